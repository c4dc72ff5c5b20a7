"""Greedy by votes: the usual rule of city participatory budgets.

Projects are taken in order of their votes, most first, and each is funded when its cost still
fits in what is left of the budget (a project that does not fit is skipped and the next is
tried). The votes of a project: on approval and choose-1 ballots the number of voters
approving it, on cumulative ballots the points it received, on ordinal ballots the number of
voters ranking it. Equal votes: the project whose id sorts first as text goes first (pabutools'
lexicographic tie-breaking). Budget arithmetic is exact.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from parsoc.choice.allocation import Allocation
from parsoc.choice.pabulib import PBElection


def project_votes(election: PBElection) -> np.ndarray:
    if election.vote_type == "cumulative":
        return election.point_matrix.sum(axis=0)
    return election.approvals.sum(axis=0).astype(float)


def greedy_by_votes(election: PBElection) -> Allocation:
    votes = project_votes(election)
    order = sorted(range(election.num_projects), key=lambda p: (-votes[p], election.projects[p]))
    left = election.budget
    selected: list[int] = []
    for p in order:
        if election.costs[p] <= left:
            selected.append(p)
            left -= election.costs[p]
    chosen = set(selected)
    tied = any(
        votes[a] == votes[b] and (a in chosen) != (b in chosen)
        for i, a in enumerate(order) for b in order[i + 1 :]
    )
    return Allocation(
        "greedy",
        tuple(election.projects[p] for p in selected),
        sum((election.costs[p] for p in selected), Fraction(0)),
        tied,
        details={"votes": {election.projects[p]: _plain(votes[p]) for p in range(election.num_projects)}},
    )


def _plain(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)
