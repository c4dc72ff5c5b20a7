"""Brute-force optimum of tiny compositions: every valid assignment, enumerated."""

from __future__ import annotations

import itertools

import numpy as np

from parsoc.work.problem import Problem
from parsoc.work.tasks import units_in


def _splits(units: int, who: list[int]):
    """Every way to give ``units`` units to the members in ``who``."""
    if len(who) == 1:
        yield {who[0]: units}
        return
    for k in range(units + 1):
        for rest in _splits(units - k, who[1:]):
            yield {who[0]: k, **rest}


def brute_force_optimum(p: Problem) -> float | None:
    """The smallest largest deviation over all valid compositions, or None if none exists."""
    options = []
    for j, t in enumerate(p.tasks):
        who = [int(i) for i in np.flatnonzero(p.eligible[:, j])]
        if not who:
            return None
        if t.splittable:
            n = units_in(t.hours, p.unit)
            options.append([{i: k * p.unit for i, k in s.items()} for s in _splits(n, who)])
        else:
            options.append([{i: t.hours} for i in who])
    best = None
    for choice in itertools.product(*options):
        hours = np.zeros((len(p.members), len(p.tasks)))
        for j, piece in enumerate(choice):
            for i, h in piece.items():
                hours[i, j] = h
        if not np.allclose(hours.sum(axis=1), p.member_hours):
            continue
        value = float(p.deviations(hours).max())
        best = value if best is None else min(best, value)
    return best
