"""Greedy composition: the baseline a council could follow by hand, and the heuristic's start.

Pieces are handed out one at a time: first each task that cannot be split (largest first),
then the units of splittable tasks, tasks that fewest members can do first, and among those
the tasks whose ratings lie furthest from the workplace average first. Each piece goes to
the qualified member with room left for it whose job it leaves best balanced (smallest
largest deviation of the job so far, measured against the member's full hours); ties go to
the member with the most room left. With ``balance=False`` every piece simply goes to the
qualified member with the most room left (first-fit decreasing), which packs more robustly.

Greedy never backtracks, so it can fail to pack tasks that cannot be split even when a
composition exists; it then returns ``None``.
"""

from __future__ import annotations

import numpy as np

from parsoc.work.problem import Problem
from parsoc.work.tasks import units_in


def _pieces(p: Problem) -> list[tuple[int, float]]:
    """(task index, hours) of every piece, in the order greedy hands them out."""
    whole = sorted(np.flatnonzero(~p.splittable), key=lambda j: -p.task_hours[j])
    qualified = p.eligible.sum(axis=0)
    spread = np.abs(p.offsets).max(axis=1)
    split = sorted(np.flatnonzero(p.splittable), key=lambda j: (qualified[j], -spread[j]))
    order = [(int(j), float(p.task_hours[j])) for j in whole]
    for j in split:
        order += [(int(j), p.unit)] * (units_in(p.task_hours[j], p.unit) or 0)
    return order


def compose_greedy(p: Problem, balance: bool = True) -> np.ndarray | None:
    """An (M, T) hours matrix covering every task, or ``None`` when greedy cannot pack."""
    M, T = len(p.members), len(p.tasks)
    hours = np.zeros((M, T))
    room = p.member_hours.copy()
    imbalance = np.zeros((M, 2))
    for j, size in _pieces(p):
        fits = p.eligible[:, j] & (room >= size - 1e-9)
        if not p.splittable[j]:
            # leave room that whole multiples of the unit can still fill, when possible
            ok = fits & np.array([units_in(r - size, p.unit) is not None for r in room])
            fits = ok if ok.any() else fits
        candidates = np.flatnonzero(fits)
        if not len(candidates):
            return None
        if balance:
            after = imbalance[candidates] + size * p.offsets[j]
            score = np.abs(after).max(axis=1) / p.member_hours[candidates]
            best = np.lexsort((-room[candidates], np.round(score, 12)))[0]
        else:
            best = int(np.argmax(room[candidates]))
        i = candidates[best]
        hours[i, j] += size
        room[i] -= size
        imbalance[i] += size * p.offsets[j]
    if np.abs(room).max() > 1e-6:
        return None
    return hours
