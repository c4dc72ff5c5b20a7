"""Results of a run: the original program's CSV, a plot, a JSON summary, the plan per council.

CSV layout (the original program's): ``:iteration``, ``:color``, then per commodity (category
by category) the prices after the round, the step sizes (``new-deltas``), the step multiplier
(``pdlist``), supply, demand, surplus and the imbalance in percent (``threshold-report``),
then ``wc_N_output`` and ``wc_N_effort`` for every worker council at the round's prices. A
row beginning ``exponent-sum`` separates year one from year two.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import numpy as np

from parsoc.planning.councils import consumer_proposals, worker_proposals
from parsoc.planning.economy import Economy
from parsoc.planning.procedure import PlanRun, YearResult

PRICE_NAMES = ("private-good-prices", "intermediate-good-prices", "nature-prices", "labor-prices", "public-good-prices")
GROUP_SUFFIXES = ("private-goods", "intermediate-goods", "nature", "labor", "public-goods")
GROUPS = ("new-deltas", "pdlist", "supply", "demand", "surplus", "threshold-report")


def csv_header(economy: Economy) -> list[str]:
    header = [":iteration", ":color"]
    header += [f":{name}-{i + 1}" for name, n in zip(PRICE_NAMES, economy.sizes, strict=False) for i in range(n)]
    for group in GROUPS:
        header += [f":{group}-{suffix}-{i + 1}" for suffix, n in zip(GROUP_SUFFIXES, economy.sizes, strict=False) for i in range(n)]
    for w in range(economy.n_wcs):
        header += [f"wc_{w + 1}_output", f"wc_{w + 1}_effort"]
    return header


def _fmt(x: float) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)


def write_csv(run: PlanRun, path: str | Path) -> None:
    """Write every round of every year in the original program's column layout."""
    path = Path(path)
    header = csv_header(run.economies[0])
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for year, (result, economy) in enumerate(zip(run.years, run.economies, strict=False)):
            if year:
                out.writerow(["exponent-sum"] + [""] * (len(header) - 1))
            for record in result.rounds:
                workers = worker_proposals(economy, record.prices_before)
                per_wc = np.empty(2 * economy.n_wcs)
                per_wc[0::2], per_wc[1::2] = workers.output, workers.effort
                columns = [record.prices_after, record.step, record.multiplier, record.supply,
                           record.demand, record.surplus, 100.0 * record.imbalance, per_wc]
                out.writerow([str(record.number), ":" + record.colour] + [_fmt(x) for col in columns for x in col])


def plot_imbalance(run: PlanRun, path: str | Path) -> None:
    """A plot of the largest imbalance (percent, log scale) per round, one line per year."""
    from parsoc.optional import require

    matplotlib = require("matplotlib")

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for year, result in enumerate(run.years, start=1):
        rounds = [r.number for r in result.rounds]
        ax.plot(rounds, [r.max_imbalance_pct for r in result.rounds], marker="o", label=f"year {year} ({result.rule})")
    for bound, style in ((5.0, ":"), (3.0, "--")):
        ax.axhline(bound, color="grey", linestyle=style, linewidth=1)
    ax.set_yscale("log")
    ax.set_xlabel("round")
    ax.set_ylabel("largest imbalance (%)")
    ax.set_title("Participatory planning: largest imbalance per round")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def year_summary(result: YearResult) -> dict[str, Any]:
    """The JSON fields of one year."""
    threshold_key = f"{result.threshold_pct:g}"
    return {
        "rule": result.rule,
        "threshold_pct": result.threshold_pct,
        "rounds": len(result.rounds),
        "converged": result.converged,
        "round_reached": result.round_reached((threshold_key,)),
        "max_imbalance_pct": _finite(result.max_imbalance_pct),
        "prices": [_finite(x) for x in result.prices],
        "colours": [r.colour for r in result.rounds],
        "max_imbalance_pct_per_round": [_finite(r.max_imbalance_pct) for r in result.rounds],
        "seconds_per_round": result.seconds_per_round,
    }


def summary(run: PlanRun, economy: Economy) -> dict[str, Any]:
    """The ``--json`` object: the last year's fields at the top, every year under ``years``."""
    years = [year_summary(r) for r in run.years]
    out = dict(years[-1])
    out["commodities"] = economy.commodity_names()
    out["ccs"] = economy.n_ccs
    out["wcs"] = economy.n_wcs
    out["years"] = years
    return out


def plan_per_council(economy: Economy, prices: np.ndarray) -> dict[str, np.ndarray]:
    """The plan each council proposes at ``prices`` (for the plan of a run: the prices the
    last round's proposals answered, whose imbalances met the threshold).

    ``wc_output``, ``wc_effort`` and ``wc_input_use`` (aligned with ``wc_input_commodity``)
    per worker council; ``cc_private`` and ``cc_public`` (stated amounts) per consumer council.
    """
    workers = worker_proposals(economy, prices)
    private, public = consumer_proposals(economy, prices)
    return {
        "wc_output": workers.output,
        "wc_effort": workers.effort,
        "wc_input_use": workers.input_use,
        "cc_private": private,
        "cc_public": public,
    }
