"""Speed of parsoc.lot's LEXIMIN against the reference package ``sortition-algorithms``, with equal results checked.

Times, in one run, ours and the reference's LEXIMIN on the instances the reference can solve
with Gurobi's free size-limited licence — ``example_small_20`` (../shared/data/sortition) and a
random pool of a few hundred people with four categories (seeded, below) — and prints the
ratio and the largest difference between the two sets of probabilities; then our time on
``example_large_200`` (the reference stops there: "Model too large for size-limited license").
Ours is the best of 3 runs (each from the files already read; the reference likewise starts
from its own objects built from the same rows); the reference runs once.

    .venv/bin/python bench/lot_speed.py                 # (~2 minutes, nearly all of it the reference)
    .venv/bin/python bench/lot_speed.py --pool 500      # a larger random pool
    .venv/bin/python bench/lot_speed.py --legacy        # also LEGACY's estimated minimum (1,000 draws)

Needs the ``test`` extra (sortition-algorithms, gurobipy).
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "tests" / "data" / "sortition"

from parsoc.lot.draw import select  # noqa: E402
from parsoc.lot.instance import Instance, Pool, Quota, make_instance, read_instance  # noqa: E402
from parsoc.lot.leximin import leximin  # noqa: E402
from parsoc.lot.panels import profiles_of  # noqa: E402

CATEGORIES = {
    "gender": ["female", "male"],
    "age": ["16-29", "30-44", "45-64", "65+"],
    "region": ["north", "south", "east", "west", "centre"],
    "education": ["low", "middle", "high"],
}


def random_pool(n: int, k: int, seed: int = 1) -> Instance:
    """``n`` people with four categories drawn with uneven shares; each quota is its feature's share of
    the panel, rounded down and up (the usual way an assembly's quotas are set)."""
    rng = random.Random(seed)
    names = tuple(CATEGORIES)
    weights = {c: [rng.random() + 0.3 for _ in v] for c, v in CATEGORIES.items()}
    people = tuple(tuple(rng.choices(CATEGORIES[c], weights[c])[0] for c in names) for _ in range(n))
    quotas = []
    for j, c in enumerate(names):
        for v in CATEGORIES[c]:
            share = k * sum(p[j] == v for p in people) / n
            quotas.append(Quota(c, v, int(share), int(share) + (share > int(share))))
    return make_instance(Pool(names, people), tuple(quotas), k)


def published(name: str) -> Instance:
    folder = DATA / name
    return read_instance(folder / "categories.csv", folder / "respondents.csv", int(name.rsplit("_", 1)[1]))


def ours(instance: Instance, repeat: int = 3) -> tuple[float, list[float]]:
    best, probabilities = float("inf"), []
    for _ in range(repeat):
        start = time.perf_counter()
        probabilities = leximin(instance).probabilities()
        best = min(best, time.perf_counter() - start)
    return best, probabilities


def reference(instance: Instance) -> tuple[float, list[float]]:
    from sortition_algorithms.committee_generation import find_distribution_leximin
    from tests.lot.reference import _inputs

    logging.getLogger("sortition_algorithms").setLevel(logging.WARNING)
    features, people = _inputs(instance)
    start = time.perf_counter()
    committees, weights, _ = find_distribution_leximin(features, people, instance.panel_size, [])
    seconds = time.perf_counter() - start
    marginals = [0.0] * len(instance.pool)
    for committee, w in zip(committees, weights, strict=True):
        for person in committee:
            marginals[int(person)] += float(w)
    return seconds, marginals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pool", type=int, default=300, help="people in the random pool (default 300)")
    parser.add_argument("--panel", type=int, default=30, help="its panel size (default 30)")
    parser.add_argument("--legacy", action="store_true", help="also LEGACY's estimated minimum on both instances")
    args = parser.parse_args()

    cases = [("example_small_20", published("example_small_20")),
             (f"random pool {args.pool}, panel {args.panel}", random_pool(args.pool, args.panel))]
    print(f"{'instance':32s} {'n':>5s} {'k':>4s} {'profiles':>8s} {'ours s':>8s} {'ref s':>8s} {'ratio':>7s} "
          f"{'min ours':>9s} {'max |diff|':>10s}")
    for name, instance in cases:
        mine, p = ours(instance)
        theirs, q = reference(instance)
        diff = max(abs(a - b) for a, b in zip(p, q, strict=True))
        print(f"{name:32s} {len(instance.pool):5d} {instance.panel_size:4d} {len(profiles_of(instance)):8d} "
              f"{mine:8.3f} {theirs:8.2f} {theirs / mine:6.0f}× {min(p):9.4%} {diff:10.1e}", flush=True)
    large = published("example_large_200")
    mine, p = ours(large)
    print(f"{'example_large_200':32s} {len(large.pool):5d} {large.panel_size:4d} {len(profiles_of(large)):8d} "
          f"{mine:8.3f} {'—':>8s} {'—':>7s} {min(p):9.4%}   (reference: model too large for its licence; "
          f"published analysis ~1 hour)")
    if args.legacy:
        for name in ("example_small_20", "example_large_200"):
            start = time.perf_counter()
            legacy = select(published(name), method="legacy", seed="bench", runs=1000)
            print(f"LEGACY {name}: estimated minimum {legacy.minimum_probability:.2%} over 1000 draws "
                  f"({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
