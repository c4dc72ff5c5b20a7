"""Time parsoc's planning engine against demplan (PyPI) on the same generated economy.

1. Book scale: 30,000 + 30,000 councils, 100 commodities per category, written once as EDN
   (.clj.gz) and read by both programs; the published rule (parsoc ``hahnel2021``, demplan
   ``HahnelBook2021``) run to 5% and to 3%. Checks identical round counts and final prices,
   prints seconds per round of each and the ratio.
2. Growth: per-round time and peak memory (max RSS of a fresh process that generates the
   economy and runs it to 3%) at 10k, 100k and 1M + the same number of consumer councils.

Run: ``.venv/bin/python bench/planning_vs_demplan.py`` (``make bench`` installs demplan).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec
    from the parent that spawned us)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_size(councils: int, per_category: int, seed: int) -> dict:
    """Generate ``councils`` + ``councils``, run hahnel2021 to 3%; time and peak memory."""
    from parsoc.planning.board import RULES
    from parsoc.planning.generator import generate
    from parsoc.planning.procedure import run_plan

    started = time.perf_counter()
    economy = generate(councils, councils, per_category, seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    year = run_plan(economy, RULES["hahnel2021"], 3.0).years[0]
    total = time.perf_counter() - started
    return {
        "councils": councils,
        "rounds": len(year.rounds),
        "round_to_5": year.round_reached()["5"],
        "seconds_per_round": year.seconds_per_round,
        "seconds_per_round_with_setup": total / len(year.rounds),
        "generate_seconds": generated,
        "peak_rss_mib": peak_rss_mib(),
        "economy_mib": sum(
            getattr(economy, name).nbytes for name in economy.__dataclass_fields__ if name != "sizes"
        ) / 2**20,
    }


def demplan_order(economy) -> np.ndarray:
    """Our commodity numbers in demplan's order (private, public, intermediate, nature, labour)."""
    off = economy.offsets
    return np.concatenate([np.arange(off[c], off[c + 1]) for c in (0, 4, 1, 2, 3)])


def book_scale(councils: int, per_category: int, seed: int) -> None:
    import demplan
    from demplan.prefabs import HahnelBook2021

    from parsoc.planning.board import RULES
    from parsoc.planning.edn import read_edn, write_edn
    from parsoc.planning.generator import generate
    from parsoc.planning.procedure import run_plan

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.clj.gz"
        write_edn(generate(councils, councils, per_category, seed), path)
        ours_economy = read_edn(path)
        theirs_economy = demplan.load_dep1ex(str(path))
    order = demplan_order(ours_economy)
    print(f"## book scale: {councils} + {councils} councils, {per_category} commodities per category, seed {seed}")
    print(f"demplan {demplan.__version__ if hasattr(demplan, '__version__') else ''} core {demplan.core_version()}")
    print("| threshold | rounds parsoc | rounds demplan | s/round parsoc | s/round demplan | ratio | max price difference |")
    print("|---|---|---|---|---|---|---|")
    for threshold in (5.0, 3.0):
        theirs_times, ours_times = [], []
        for _ in range(3):
            result = demplan.run(HahnelBook2021(threshold_pct=threshold), theirs_economy, seed=0)
            theirs_times.append(result.summary.wall_seconds / result.summary.rounds)
            started = time.perf_counter()
            year = run_plan(ours_economy, RULES["hahnel2021"], threshold).years[0]
            ours_times.append((time.perf_counter() - started) / len(year.rounds))
        theirs_prices = np.asarray(result.plan.valuation["next_indicative_price"])
        difference = float(np.max(np.abs(year.prices[order] / theirs_prices - 1.0)))
        same = "yes" if len(year.rounds) == result.summary.rounds else "NO"
        ours_s, theirs_s = min(ours_times), min(theirs_times)
        print(
            f"| {threshold:g}% | {len(year.rounds)} | {result.summary.rounds} (same: {same}) | {ours_s:.5f} | "
            f"{theirs_s:.5f} | {theirs_s / ours_s:.1f}x | {difference:.1e} |"
        )


def growth(sizes: list[int], per_category: int, seed: int) -> None:
    print(f"\n## growth: n + n councils, {per_category} commodities per category, hahnel2021 to 3%")
    print("| councils (WC + CC) | rounds | round to 5% | s/round | s/round incl. setup | peak RSS MiB | economy MiB |")
    print("|---|---|---|---|---|---|---|")
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one-size", str(n), "--per-category", str(per_category), "--seed", str(seed)],
            capture_output=True, text=True, check=True,
        )
        r = json.loads(out.stdout)
        print(
            f"| {n:,} + {n:,} | {r['rounds']} | {r['round_to_5']} | {r['seconds_per_round']:.4f} | "
            f"{r['seconds_per_round_with_setup']:.4f} | {r['peak_rss_mib']:.0f} | {r['economy_mib']:.0f} |"
        )


def ten_million(per_category: int, seed: int) -> None:
    """5M + 5M councils in the compact .npz: file size, write and read times (separate
    processes so that only one copy is in memory at a time)."""
    print(f"\n## compact format: 5,000,000 + 5,000,000 councils, {per_category} commodities per category")
    with tempfile.TemporaryDirectory(dir=".") as folder:
        path = Path(folder) / "ten_million.npz"
        for step in ("write", "read"):
            out = subprocess.run(
                [sys.executable, __file__, "--npz-step", step, str(path), "--per-category", str(per_category), "--seed", str(seed)],
                capture_output=True, text=True, check=True,
            )
            r = json.loads(out.stdout)
            print(f"- {step}: {r['seconds']:.1f} s, peak RSS {r['peak_rss_mib']:.0f} MiB" + (
                f", file {path.stat().st_size / 2**20:.0f} MiB ({path.stat().st_size / 1e7:.0f} bytes per council)" if step == "write" else ""))


def npz_step(step: str, path: str, per_category: int, seed: int) -> None:
    from parsoc.planning.compact import read_npz, write_npz
    from parsoc.planning.generator import generate

    if step == "write":
        economy = generate(5_000_000, 5_000_000, per_category, seed)
        started = time.perf_counter()
        write_npz(economy, path)
    else:
        started = time.perf_counter()
        economy = read_npz(path)
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_rss_mib": peak_rss_mib()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=30_000, help="WCs (and CCs) at book scale")
    parser.add_argument("--per-category", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="growth table sizes (WCs = CCs)")
    parser.add_argument("--ten-million", action="store_true", help="also write and read 5M + 5M councils as .npz")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--npz-step", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.npz_step:
        npz_step(args.npz_step[0], args.npz_step[1], args.per_category, args.seed)
        return
    if args.one_size:
        print(json.dumps(one_size(args.one_size, args.per_category, args.seed)))
        return
    book_scale(args.councils, args.per_category, args.seed)
    growth([int(x) for x in args.sizes.split(",") if x], args.per_category, args.seed)
    if args.ten_million:
        ten_million(10, args.seed)


if __name__ == "__main__":
    main()
