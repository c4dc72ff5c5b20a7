"""Sequential Phragmén, for participatory budgets and for committees.

Every voter carries a *load*, starting at 0. Funding project ``p`` spreads its cost over its
supporters so that they all end with the same load: the new load would be
``(sum of the supporters' loads + cost(p)) / supporters(p)``. Each step funds the project with
the smallest such new load and sets its supporters' loads to it. When the project chosen next
(or any project tied with it) no longer fits in the budget, the rule stops (it does not skip to
cheaper projects — this is the rule as pabutools implements it). Projects nobody supports have
an infinite load. Ties: the project id that sorts first as text. On cumulative and ordinal
ballots a voter supports every project on the ballot.

A committee of ``k`` is the same rule with every candidate costing 1 and a budget of ``k``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from parsoc.choice.allocation import Allocation
from parsoc.choice.pabulib import PBElection

TOLERANCE = 1e-12


def sequential_phragmen_core(
    approvals: np.ndarray,
    costs: list[Fraction],
    budget: Fraction,
    names: tuple[str, ...],
    counts: np.ndarray | None = None,
) -> tuple[list[int], bool, list[float]]:
    """Indices funded in order, whether a tie was broken, and the load after each step.

    ``approvals`` has one row per ballot; ``counts`` how many voters cast each (1 by default).
    """
    n, m = approvals.shape
    counts = np.ones(n) if counts is None else np.asarray(counts, dtype=float)
    support = counts @ approvals.astype(float)
    cost_f = np.array([float(c) for c in costs])
    load = np.zeros(n)
    remaining = np.array([c <= budget for c in costs])
    spent = Fraction(0)
    selected: list[int] = []
    loads: list[float] = []
    tied = False
    weights = approvals.astype(float)
    carried = np.zeros(m)  # per project: the load its supporters already carry (count-weighted)
    while remaining.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            new_load = np.where(support > 0, (carried + cost_f) / support, np.inf)
        new_load[~remaining] = np.nan
        best = np.nanmin(new_load)
        if np.isinf(best):
            candidates = np.flatnonzero(remaining & np.isinf(new_load))
        else:
            candidates = np.flatnonzero(remaining & (np.abs(new_load - best) <= TOLERANCE * max(1.0, abs(best))))
        if any(spent + costs[p] > budget for p in candidates):
            break
        chosen = min(candidates, key=lambda p: names[p])
        tied = tied or len(candidates) > 1
        who = np.flatnonzero(approvals[:, chosen])
        if np.isfinite(best):
            # Only the chosen project's supporters change load: update every project's sum by them.
            carried += ((best - load[who]) * counts[who]) @ weights[who]
            load[who] = best
        remaining[chosen] = False
        spent += costs[chosen]
        selected.append(int(chosen))
        loads.append(float(best))
    return selected, tied, loads


def sequential_phragmen(election: PBElection) -> Allocation:
    selected, tied, loads = sequential_phragmen_core(
        election.approvals, list(election.costs), election.budget, election.projects
    )
    return Allocation(
        "phragmen",
        tuple(election.projects[p] for p in selected),
        sum((election.costs[p] for p in selected), Fraction(0)),
        tied,
        details={"loads": {election.projects[p]: load for p, load in zip(selected, loads, strict=True)}},
    )
