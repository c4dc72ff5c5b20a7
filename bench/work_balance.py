"""Job-complex composition: ours (exact MILP up to 200x200 pairs, heuristic beyond) against a
greedy baseline, on seeded random workplaces from 10 members x 30 tasks to 500 x 2000.

Prints, per size: the largest deviation (rating points on a 1-10 scale) and seconds of both,
whether the exact result is proven optimal (within the default tolerance), and the ratios.

    .venv/bin/python bench/work_balance.py [--seeds N] [--time-limit S] [--whole-share F] [--sizes 10x30,60x200]
"""

from __future__ import annotations

import argparse
import time

from parsoc.work.composer import compose_jobs
from parsoc.work.job_complexes import violations
from parsoc.work.synthetic import random_workplace

SIZES = [(10, 30), (30, 100), (60, 200), (200, 600), (500, 2000)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--whole-share", type=float, default=0.2, help="share of tasks (of at most 8 h) that cannot be split")
    parser.add_argument("--sizes", default=",".join(f"{m}x{t}" for m, t in SIZES), help="e.g. 10x30,60x200")
    args = parser.parse_args()
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    print(f"{'size':>10} {'seed':>4} {'greedy dev':>10} {'greedy s':>8} {'ours dev':>9} {'ours s':>7} {'method':>9} {'proven':>6} {'dev ratio':>9}")
    for members, tasks in sizes:
        for seed in range(args.seeds):
            t, m = random_workplace(members, tasks, seed, whole_share=args.whole_share)
            began = time.perf_counter()
            greedy = compose_jobs(t, m, method="greedy")
            greedy_s = time.perf_counter() - began
            began = time.perf_counter()
            ours = compose_jobs(t, m, method="auto", time_limit=args.time_limit)
            ours_s = time.perf_counter() - began
            assert not violations(ours.problem, ours.hours) and not violations(greedy.problem, greedy.hours)
            ratio = greedy.largest_deviation / max(ours.largest_deviation, 1e-12)
            print(f"{members:>4}x{tasks:<5} {seed:>4} {greedy.largest_deviation:>10.4f} {greedy_s:>8.2f} "
                  f"{ours.largest_deviation:>9.4f} {ours_s:>7.2f} {ours.method:>9} {str(ours.optimal):>6} {ratio:>8.0f}x",
                  flush=True)


if __name__ == "__main__":
    main()
