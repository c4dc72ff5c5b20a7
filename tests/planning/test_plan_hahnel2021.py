"""hahnel2021 reproduces the original program's year one on the five real experiments."""

from __future__ import annotations

import numpy as np
import pytest

from parsoc.planning.board import RULES
from parsoc.planning.procedure import run_plan

EXPERIMENTS = [f"dep1ex0{n}" for n in range(1, 6)]

PRICE_COLUMNS = (":private-good-prices", ":intermediate-good-prices", ":nature-prices", ":labor-prices", ":public-good-prices")


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_prices_every_round_colours_and_rounds(experiments, columns, name):
    economy, header, rows = experiments[name]
    year = run_plan(economy, RULES["hahnel2021"], threshold_pct=3.0).years[0]
    assert len(year.rounds) == len(rows)
    expected = columns(header, rows, PRICE_COLUMNS)
    ours = np.array([r.prices_after for r in year.rounds])
    assert np.max(np.abs(ours / expected - 1.0)) < 1e-9
    assert [":" + r.colour for r in year.rounds] == [row[1] for row in rows]
    first = lambda colour: next(int(row[0]) for row in rows if row[1] in colour)  # noqa: E731
    reached = year.round_reached()
    assert reached["5"] == first((":green", ":blue"))
    assert reached["3"] == first((":blue",))
    assert year.converged


@pytest.mark.parametrize("name", EXPERIMENTS[:2])
def test_supply_demand_steps_and_outputs_match_the_original(experiments, columns, name, tmp_path):
    """Our CSV has the original's header and, round by round, its numbers."""
    import csv

    from parsoc.planning.report import write_csv

    economy, header, rows = experiments[name]
    run = run_plan(economy, RULES["hahnel2021"], threshold_pct=3.0)
    write_csv(run, tmp_path / "ours.csv")
    with open(tmp_path / "ours.csv", newline="") as handle:
        ours = list(csv.reader(handle))
    assert ours[0] == header
    for group in (":new-deltas", ":pdlist", ":supply", ":demand", ":threshold-report"):
        a, b = columns(header, rows, (group,)), columns(header, ours[1:], (group,))
        assert np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-300)) < 1e-9, group
    surplus_scale = columns(header, rows, (":supply",))
    a, b = columns(header, rows, (":surplus",)), columns(header, ours[1:], (":surplus",))
    assert np.max(np.abs(a - b) / surplus_scale) < 1e-9
    outputs = [i for i, h in enumerate(header) if h.endswith("_output")]
    a = np.array([[float(r[i]) for i in outputs] for r in rows])
    b = np.array([[float(r[i]) for i in outputs] for r in ours[1:]])
    assert np.max(np.abs(a / b - 1)) < 1e-9
