"""Shared helpers for the selection-by-lot tests: the two published instances and random ones."""

from __future__ import annotations

import math
import re
from pathlib import Path

from hypothesis import strategies as st

from parsoc.lot.instance import Instance, Pool, Quota, make_instance, read_instance

ROOT = Path(__file__).resolve().parents[2]
SORTITION = ROOT / "tests" / "data" / "sortition"
INSTANCES = ["example_small_20", "example_large_200"]


def published(name: str) -> Instance:
    folder = SORTITION / name
    return read_instance(folder / "categories.csv", folder / "respondents.csv", int(name.rsplit("_", 1)[1]))


def published_minimum(name: str) -> float:
    """The LEXIMIN minimum the paper's analysis printed (``reference_statistics.txt``), as a share."""
    text = (SORTITION / name / "reference_statistics.txt").read_text(encoding="utf-8")
    found = re.search(r"LEXIMIN minimum probability \(exact\):\s*([0-9.]+)%", text)
    assert found, text
    return float(found.group(1)) / 100


@st.composite
def instances(draw, max_people: int = 24, max_categories: int = 3) -> Instance:
    """A random pool (1-3 categories of 2-3 features) with quotas around each feature's share.

    A few are infeasible (the categories together); the tests that need a panel filter those out.
    """
    n = draw(st.integers(6, max_people))
    categories = draw(st.integers(1, max_categories))
    names = tuple(f"c{j}" for j in range(categories))
    values = [[f"v{j}{v}" for v in range(draw(st.integers(2, 3)))] for j in range(categories)]
    people = tuple(tuple(draw(st.sampled_from(values[j])) for j in range(categories)) for _ in range(n))
    k = draw(st.integers(2, max(2, n // 2)))
    quotas = []
    for j in range(categories):
        for v in values[j]:
            share = k * sum(p[j] == v for p in people) / n
            low = max(0, int(share) - draw(st.integers(0, 1)))
            quotas.append(Quota(names[j], v, low, min(k, math.ceil(share) + draw(st.integers(0, 1)))))
    return make_instance(Pool(names, people), tuple(quotas), k)
