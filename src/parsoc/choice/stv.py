"""Single transferable vote: Droop quota, weighted inclusive Gregory surplus transfers.

The variant, stated exactly (it is pref_voting's ``stv_wig`` with ``quota_rule="droop"``):

* **Quota** (Droop): ``floor(V / (seats + 1)) + 1`` where ``V`` is the number of voters.
* **First count**: each ballot goes to its top-ranked alternative; a ballot ranking several
  alternatives tied at the top is split equally between them.
* **Election**: every continuing alternative whose tally reaches the quota is elected, highest
  tally first (equal tallies: the one listed first in the file); never more than the seats left.
* **Surplus transfer** (weighted inclusive Gregory, fractional): the surplus (tally - quota)
  of each alternative elected in this stage, largest surplus first, is taken in the same
  fraction ``surplus / tally`` from *every* ballot in its pile, and each drained part moves at
  its reduced value to the ballot's next preference among the continuing alternatives (split
  equally over tied next preferences); parts with no further preference are exhausted. An
  elected alternative keeps exactly a quota and never receives ballots again.
* **Exclusion**: when nobody reaches the quota, the continuing alternative with the smallest
  tally is excluded and its ballots move on at their current value. Ties for the smallest
  tally exclude the alternative listed *last* in the file (the documented tie-break; the count
  reports ``tied``).
* **End**: as soon as the continuing alternatives are no more than the seats left, they are all
  elected.

Arithmetic is in floating point with an absolute tolerance of 1e-12 on tallies, as in the
reference implementation. The count is kept in one of two ways, with the same results (both are
checked against the reference in ``tests/choice/test_stv.py``):

* in plain Python lists (:class:`_Lists`), for profiles with at most ``SMALL`` distinct
  ballots from their second count on: each part of a ballot sits at its holder's place on the
  ballot; an alternative's pile is only put together when it moves (each pile moves at most
  once); the ballots as lists are made once per profile and kept with it;
* otherwise in NumPy (:class:`_Pile`): one matrix of the value of each distinct ballot held by
  each alternative.
"""

from __future__ import annotations

import math
from weakref import WeakKeyDictionary, WeakSet

import numpy as np

from parsoc.choice.outcome import Tally
from parsoc.choice.profile import RankedProfile
from parsoc.errors import InputError

EPS = 1e-12

SMALL = 4000
"""Profiles with at most this many distinct ballots are counted again in plain Python lists.

Measured on the 2-core development box: on Glasgow Drumchapel (2,103 distinct ballots, 10
candidates) a count in lists, once the lists exist, takes about half the time of the matrix;
on the synthetic million (33,764 distinct) the matrix is faster."""


def droop_quota(voters: float, seats: int) -> int:
    return math.floor(voters / (seats + 1)) + 1


def _first_count(profile: RankedProfile) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct ballot's top group (a boolean matrix) and the value it gives each member.

    Group positions are dense (0 = top), so the top group is where the rank is 0; a ballot
    ranking nobody has no top group and counts for nobody.
    """
    first = profile.ranks == 0
    width = first.sum(axis=1)
    value = np.divide(profile.counts, width, out=np.zeros(len(width)), where=width > 0)
    return first, value


class _Ballots:
    """The distinct ballots of a profile as plain Python lists, built once per profile.

    A ballot without tied alternatives is its ranked alternatives in preference order
    (``order[i]``); a ballot with tied alternatives is its groups in order (``groups[i]``, a list
    of lists). ``first`` and ``value``: the first count (see :func:`_first_count`); ``onward``:
    the part of ``first`` on ballots ranking more than their top group (the only first-count
    parts that can ever move on).
    """

    def __init__(self, profile: RankedProfile):
        m = profile.num_alternatives
        ranks = profile.ranks
        self.voters = profile.num_voters
        first, self.value = _first_count(profile)
        self.first_tally = (self.value @ first).tolist()
        self.onward = first & (ranks == 1).any(axis=1, keepdims=True)
        order = np.argsort(ranks, axis=1, kind="stable")
        level = np.sort(ranks, axis=1)
        ranked = level < m
        self.order = order.tolist()
        self.ranked = ranked.sum(axis=1).tolist()
        tied = np.flatnonzero(((level[:, 1:] == level[:, :-1]) & ranked[:, 1:]).any(axis=1))
        self.groups: dict[int, list[list[int]]] = {}
        for i, levels in zip(tied.tolist(), level[tied].tolist()):
            groups: list[list[int]] = []
            for x, rank in zip(self.order[i], levels):
                if rank >= m:
                    break
                if rank == len(groups):
                    groups.append([])
                groups[rank].append(x)
            self.groups[i] = groups
        self._top: dict[int, tuple[list, list]] = {}

    def top(self, a: int) -> tuple[list, list]:
        """The parts of the first count held by ``a`` that can move on, as pile entries
        (see :class:`_Lists`): those of ballots without ties, and those of ballots with ties."""
        parts = self._top.get(a)
        if parts is None:
            rows = np.flatnonzero(self.onward[:, a])
            strict, tied = [], []
            order, ranked, groups = self.order, self.ranked, self.groups
            for i, value in zip(rows.tolist(), self.value[rows].tolist()):
                if i in groups:
                    tied.append((groups[i], 0, value))
                else:
                    strict.append((order[i], 0, ranked[i] - 1, value))
            parts = self._top[a] = (strict, tied)
        return parts


_BALLOTS: WeakKeyDictionary[RankedProfile, _Ballots] = WeakKeyDictionary()
"""The lists of each profile counted in lists (profiles are immutable; kept while it lives)."""
_COUNTED: WeakSet[RankedProfile] = WeakSet()
"""The profiles with few distinct ballots counted once in NumPy (see :func:`_lists_pay`)."""


class _Lists:
    """The count in plain Python lists, for profiles with few distinct ballots.

    A part of a ballot without ties is ``(order, at, last, value)``: held by ``order[at]``, the
    ballot's last ranked alternative at ``order[last]``. A part of a ballot with ties is
    ``(groups, at, value)``: held by a member of ``groups[at]``. Each alternative's pile moves at
    most once (when it is excluded, or for its surplus when it is elected) and receives no
    ballots afterwards, so a pile is only put together when it moves: its parts of the first
    count plus the parts that arrived later (``strict[a]``, ``tied[a]``). A part arriving at a
    ballot's last group can never move on (it would be exhausted), so it is only added to the
    tally. Tallies are kept up to date as parts move.
    """

    def __init__(self, profile: RankedProfile):
        ballots = _BALLOTS.get(profile)
        if ballots is None:
            ballots = _BALLOTS[profile] = _Ballots(profile)
        self.ballots = ballots
        self.voters = ballots.voters
        self.tally = list(ballots.first_tally)
        m = profile.num_alternatives
        self.strict: list[list[tuple[list[int], int, int, float]]] = [[] for _ in range(m)]
        self.tied: list[list[tuple[list[list[int]], int, float]]] = [[] for _ in range(m)]

    def forward(self, a: int, fraction: float, continuing: list[bool]) -> None:
        """Move ``fraction`` of every ballot part ``a`` holds to the next preferences.

        ``a`` leaves the count with this move, so its own tally is not kept up to date.
        """
        tally, strict, tied = self.tally, self.strict, self.tied
        first_strict, first_tied = self.ballots.top(a)
        for pile in (first_strict, strict[a]):
            for order, at, last, held in pile:
                moved = held * fraction
                for j in range(at + 1, last + 1):
                    x = order[j]
                    if continuing[x]:
                        tally[x] += moved
                        if j < last:
                            strict[x].append((order, j, last, moved))
                        break
        for pile in (first_tied, tied[a]):
            for groups, at, held in pile:
                last = len(groups) - 1
                for g in range(at + 1, last + 1):
                    targets = []
                    for x in groups[g]:
                        if continuing[x]:
                            targets.append(x)
                    if targets:
                        share = held * fraction / len(targets)
                        for x in targets:
                            tally[x] += share
                            if g < last:
                                tied[x].append((groups, g, share))
                        break
        strict[a] = []
        tied[a] = []

    def tallies(self) -> list[float]:
        return self.tally


class _Pile:
    """The count in NumPy, for large profiles and first counts: ``held[ballot, alternative]``,
    the value of each distinct ballot held by each alternative.

    A ballot's part held by an alternative sits at that alternative's rank on the ballot, so
    this matrix is the whole state of the count; moving a part forward goes to the ballot's next
    preference after that rank among the continuing alternatives.
    """

    def __init__(self, profile: RankedProfile):
        self.ranks = profile.ranks
        self.m = profile.num_alternatives
        self.voters = profile.num_voters
        first, value = _first_count(profile)
        self.held = first * value[:, None]

    def tallies(self) -> list[float]:
        return self.held.sum(axis=0).tolist()

    def forward(self, alternative: int, fraction: float, continuing: list[bool]) -> None:
        """Move ``fraction`` of every ballot part ``alternative`` holds to the next preferences."""
        rows = np.flatnonzero(self.held[:, alternative] > 0)
        moved = self.held[rows, alternative] * fraction
        self.held[rows, alternative] -= moved
        ranks = self.ranks[rows]
        open_ = np.asarray(continuing)[None, :] & (ranks > ranks[:, alternative : alternative + 1]) & (ranks < self.m)
        nxt = np.where(open_, ranks, self.m).min(axis=1, keepdims=True)
        targets = open_ & (ranks == nxt)
        width = targets.sum(axis=1)
        share = np.divide(moved, width, out=np.zeros_like(moved), where=width > 0)
        self.held[rows] += targets * share[:, None]


def single_transferable_vote(profile: RankedProfile, seats: int) -> Tally:
    """Elect ``seats`` alternatives by STV (Droop, weighted inclusive Gregory)."""
    m = profile.num_alternatives
    if not 1 <= seats <= m:
        raise InputError(f"{profile.source or 'profile'}: seats must be between 1 and {m}, got {seats}")
    return _count(profile, seats, _Lists if _lists_pay(profile) else _Pile)


def _lists_pay(profile: RankedProfile) -> bool:
    """Whether to count in lists: few distinct ballots, and the profile counted before.

    Making the lists costs about one count, so the first count of a profile is in NumPy (as
    fast as the lists on a first count, measured on the three PrefLib files of
    ``bench/choice_speed.py --stv-only``) and the lists are made from the second count on.
    """
    if len(profile.counts) > SMALL:
        return False
    if profile in _BALLOTS:
        return True
    if profile in _COUNTED:
        return True
    _COUNTED.add(profile)
    return False


def _count(profile: RankedProfile, seats: int, state) -> Tally:
    """The count itself, with the state kept by ``state`` (:class:`_Lists` or :class:`_Pile`)."""
    m = profile.num_alternatives
    pile = state(profile)
    quota = droop_quota(pile.voters, seats)
    names = profile.alternatives
    continuing = [True] * m
    live = list(range(m))
    elected: list[int] = []
    rounds: list[dict] = []
    tied = False
    while len(elected) < seats:
        tallies = pile.tallies()
        record = {"tallies": {names[a]: round(tallies[a], 6) for a in live}, "quota": quota}
        rounds.append(record)
        seats_left = seats - len(elected)
        reached = [a for a in live if tallies[a] >= quota - EPS]
        if reached:
            reached.sort(key=lambda a: (-tallies[a], a))
            if len(reached) > seats_left and abs(tallies[reached[seats_left - 1]] - tallies[reached[seats_left]]) <= EPS:
                tied = True
            now = reached[:seats_left]
            for a in now:
                continuing[a] = False
            live = [a for a in live if continuing[a]]
            elected.extend(now)
            record["elected"] = [names[a] for a in now]
            if len(elected) >= seats:
                break
            record["transfers"] = _transfer_surpluses(pile, now, quota, continuing, names)
            if len(live) <= seats - len(elected):
                elected.extend(live)
                record["elected"] += [names[a] for a in live]
                break
            continue
        if len(live) <= seats_left:
            elected.extend(live)
            record["elected"] = [names[a] for a in live]
            break
        fewest = min([tallies[a] for a in live])
        lowest = [a for a in live if abs(tallies[a] - fewest) <= EPS]
        if len(lowest) > 1:
            tied = True
        out = max(lowest)
        continuing[out] = False
        live.remove(out)
        record["excluded"] = names[out]
        pile.forward(out, 1.0, continuing)
    return Tally("stv", tuple(names[a] for a in elected), tied, {"quota": quota}, tuple(rounds))


def _transfer_surpluses(pile, now: list[int], quota: float, continuing: list[bool], names) -> list[dict]:
    """Transfer the surpluses of the alternatives elected in this stage, largest first."""
    tallies = pile.tallies()
    surplus = {a: tallies[a] - quota for a in now if tallies[a] - quota > EPS}
    transfers = []
    for a in sorted(surplus, key=lambda c: (surplus[c], c), reverse=True):
        fraction = min(1.0, surplus[a] / tallies[a])
        pile.forward(a, fraction, continuing)
        transfers.append({"from": names[a], "surplus": round(float(surplus[a]), 6), "fraction": round(fraction, 9)})
    return transfers
