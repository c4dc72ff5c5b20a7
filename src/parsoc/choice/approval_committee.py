"""Approval committees: approval voting, proportional approval voting (PAV), sequential Phragmén.

Ballots are sets of approved alternatives, kept as a boolean matrix of distinct ballots with
their counts. From a ranked profile, a voter approves the alternatives they rank when the
ballot leaves some unranked (``.soi``/``.toi``), and the alternatives in their top group when it
ranks all of them (``.soc``/``.toc``: the first choice, or the tied first choices as in the
Vermont two-seat files).

Approval (``k`` seats)
    The ``k`` alternatives with the most approvals.
PAV (``k`` seats)
    The committee ``W`` of size ``k`` maximising the sum over voters of
    ``1 + 1/2 + ... + 1/|A_v ∩ W|`` (exact: every committee is scored when there are few
    enough, otherwise a mixed-integer programme solved to optimality with HiGHS, which settles
    ties by the same file order with one more solve per alternative).
Sequential Phragmén (``k`` seats)
    Phragmén's load balancing with every candidate costing 1 (see :mod:`parsoc.choice.phragmen`):
    each step elects the candidate whose supporters would end with the smallest equal load.

Ties are reported (``tied``); the committee named is then the one listed first in the file's
order of alternatives (for approval and PAV) or chosen by the id sorting first as text at each
step (sequential Phragmén, as in pabutools).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import comb

import numpy as np

from parsoc.choice.outcome import Tally
from parsoc.choice.phragmen import sequential_phragmen_core
from parsoc.choice.profile import RankedProfile
from parsoc.errors import InputError
from parsoc.highs import new_highs

ENUMERATION_LIMIT = 20_000_000  # committees × distinct ballots scored at once before using the MIP


@dataclass(frozen=True, eq=False)
class ApprovalProfile:
    alternatives: tuple[str, ...]
    approvals: np.ndarray  # distinct ballots × alternatives, bool
    counts: np.ndarray

    @classmethod
    def from_ranked(cls, profile: RankedProfile) -> ApprovalProfile:
        m = profile.num_alternatives
        ranks = profile.ranks
        complete = (ranks < m).all(axis=1, keepdims=True)
        approvals = np.where(complete, ranks == 0, ranks < m)
        return cls(profile.alternatives, approvals, profile.counts)

    def scores(self) -> np.ndarray:
        return self.counts @ self.approvals.astype(np.int64)


def _check_seats(profile: ApprovalProfile, seats: int) -> None:
    m = len(profile.alternatives)
    if not 1 <= seats <= m:
        raise InputError(f"seats must be between 1 and {m}, got {seats}")


def approval_voting(profile: ApprovalProfile, seats: int = 1) -> Tally:
    _check_seats(profile, seats)
    scores = profile.scores()
    order = sorted(range(len(scores)), key=lambda a: (-scores[a], a))
    chosen = order[:seats]
    tied = seats < len(order) and scores[order[seats - 1]] == scores[order[seats]]
    return Tally(
        "approval",
        tuple(profile.alternatives[a] for a in chosen),
        bool(tied),
        {profile.alternatives[a]: int(scores[a]) for a in range(len(scores))},
    )


def pav_score(profile: ApprovalProfile, committee: list[int] | tuple[int, ...]) -> float:
    """Sum over voters of the harmonic number of their approved committee members."""
    harmonic = np.concatenate(([0.0], np.cumsum(1.0 / np.arange(1, len(profile.alternatives) + 1))))
    members = profile.approvals[:, list(committee)].sum(axis=1)
    return float(profile.counts @ harmonic[members])


def proportional_approval_voting(profile: ApprovalProfile, seats: int) -> Tally:
    _check_seats(profile, seats)
    m = len(profile.alternatives)
    n = len(profile.counts)
    if comb(m, seats) * max(n, 1) <= ENUMERATION_LIMIT:
        committee, tied, value = _pav_by_enumeration(profile, seats)
    else:
        committee, tied, value = _pav_by_mip(profile, seats)
    return Tally(
        "pav",
        tuple(profile.alternatives[a] for a in committee),
        tied,
        {"pav_score": round(value, 9)},
    )


def _pav_by_enumeration(profile: ApprovalProfile, seats: int) -> tuple[list[int], bool, float]:
    m = len(profile.alternatives)
    harmonic = np.concatenate(([0.0], np.cumsum(1.0 / np.arange(1, m + 1))))
    committees = np.array(list(combinations(range(m), seats)), dtype=np.int64)
    members = np.zeros((len(committees), m), dtype=np.int64)
    np.put_along_axis(members, committees, 1, axis=1)
    best_value, best_index, ties = -1.0, 0, 0
    chunk = max(1, ENUMERATION_LIMIT // max(len(profile.counts), 1) // 4)
    approvals = profile.approvals.astype(np.int64).T
    values = np.empty(len(committees))
    for start in range(0, len(committees), chunk):
        hits = members[start : start + chunk] @ approvals  # committees × ballots
        values[start : start + chunk] = harmonic[hits] @ profile.counts
    best_value = values.max()
    close = np.flatnonzero(values >= best_value - 1e-9 * max(1.0, best_value))
    best_index = int(close[0])  # combinations come in lexicographic order of the file's order
    ties = len(close)
    return [int(a) for a in committees[best_index]], ties > 1, float(values[best_index])


def _pav_by_mip(profile: ApprovalProfile, seats: int) -> tuple[list[int], bool, float]:
    """PAV by mixed-integer programming; on a tie, the committee first in the file's order.

    A second solve excluding the optimum tells whether another committee does as well. When it
    does, the committee named is the one the enumeration would name (the first optimal one in
    lexicographic order of the alternatives' positions in the file): each alternative in file
    order is kept in if some optimal committee has it with the choices made so far, else left
    out, one solve per alternative until the committee is settled.
    """
    committee, value = _solve_pav(profile, seats)
    other, other_value = _solve_pav(profile, seats, exclude=[committee])
    tied = other is not None and other_value >= value - _tolerance(value)
    if not tied:
        return sorted(committee), False, value
    m = len(profile.alternatives)
    fixed: dict[int, int] = {}
    for a in range(m):
        chosen = sum(fixed.values())
        if chosen == seats or seats - chosen == m - a:
            break
        fixed[a] = 1
        found, _ = _solve_pav(profile, seats, fixed=fixed, at_least=value - _tolerance(value))
        if found is None:
            fixed[a] = 0
        else:
            committee = found
    return sorted(committee), True, value


def _tolerance(value: float) -> float:
    return 1e-7 * max(1.0, value)


def _solve_pav(profile: ApprovalProfile, seats: int, exclude=(), fixed=None, at_least=None):
    """The best committee (and its PAV score) excluding the committees in ``exclude``, with the
    alternatives in ``fixed`` in (1) or out (0), scoring at least ``at_least``; None if none."""
    m = len(profile.alternatives)
    h, highspy = new_highs()
    h.setOptionValue("mip_rel_gap", 0.0)
    inf = highspy.kHighsInf
    # y_c: candidate c elected (binary); x_{v,j}: ballot v has at least j members (continuous 0..1).
    for c in range(m):
        h.addVar(float((fixed or {}).get(c, 0)), float((fixed or {}).get(c, 1)))
    h.changeColsIntegrality(m, np.arange(m, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * m))
    rows = []
    next_var = m
    costs = []
    for v in range(len(profile.counts)):
        approved = np.flatnonzero(profile.approvals[v])
        depth = min(len(approved), seats)
        if depth == 0:
            continue
        xs = list(range(next_var, next_var + depth))
        for j in range(depth):
            h.addVar(0.0, 1.0)
            costs.append((next_var + j, -float(profile.counts[v]) / (j + 1)))
        next_var += depth
        rows.append((xs, approved))
    for var, cost in costs:
        h.changeColCost(var, cost)
    for xs, approved in rows:
        idx = np.array(xs + list(approved), dtype=np.int32)
        val = np.array([1.0] * len(xs) + [-1.0] * len(approved))
        h.addRow(-inf, 0.0, len(idx), idx, val)
    h.addRow(seats, seats, m, np.arange(m, dtype=np.int32), np.ones(m))
    for committee in exclude:
        h.addRow(-inf, seats - 1, len(committee), np.array(committee, dtype=np.int32), np.ones(len(committee)))
    if at_least is not None and costs:
        h.addRow(-inf, -at_least, len(costs), np.array([v for v, _ in costs], dtype=np.int32),
                 np.array([c for _, c in costs]))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None, -np.inf
    y = np.array(h.getSolution().col_value[:m])
    committee = [int(c) for c in np.flatnonzero(y > 0.5)]
    return committee, -h.getInfo().objective_function_value


def sequential_phragmen_committee(profile: ApprovalProfile, seats: int) -> Tally:
    _check_seats(profile, seats)
    m = len(profile.alternatives)
    selected, tied, loads = sequential_phragmen_core(
        profile.approvals, [Fraction(1)] * m, Fraction(seats), profile.alternatives, profile.counts
    )
    return Tally(
        "phragmen",
        tuple(profile.alternatives[a] for a in selected),
        tied,
        {"loads": {profile.alternatives[a]: load for a, load in zip(selected, loads, strict=True)}},
    )
