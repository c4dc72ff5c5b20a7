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
reference implementation. The state of the count is one matrix: the value of each distinct
ballot held by each alternative (a ballot's part held by an alternative sits at that
alternative's rank on the ballot, so nothing else needs remembering).
"""

from __future__ import annotations

import math
from weakref import WeakKeyDictionary

import numpy as np

from parsoc.choice.outcome import Tally
from parsoc.choice.profile import RankedProfile
from parsoc.errors import InputError

EPS = 1e-12

SMALL = 1000
"""Profiles with at most this many distinct ballots are counted in plain Python (see _Lists)."""


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

    ``order[i]``: ballot ``i``'s alternatives in preference order (tied ones adjacent), then its
    unranked ones written as ``m`` (which never continues). ``level[i]``, only for ballots with
    tied alternatives: the group position of each entry of ``order[i]``. ``top[a]``: the parts
    of the first count held by ``a`` as ``(ballot, 0, value)`` (a ballot tied at the top gives
    each of its top group an equal share); ``first_tally[a]``: their total.
    """

    def __init__(self, profile: RankedProfile):
        m = profile.num_alternatives
        ranks = profile.ranks
        first, value = _first_count(profile)
        self.first_tally = (value @ first).tolist()
        values = value.tolist()
        self.top = [[(i, 0, values[i]) for i in np.flatnonzero(first[:, a]).tolist()] for a in range(m)]
        order = np.argsort(ranks, axis=1, kind="stable")
        level = np.sort(ranks, axis=1)
        unranked = level >= m
        order[unranked] = m
        self.order = order.tolist()
        tied = np.flatnonzero(((level[:, 1:] == level[:, :-1]) & ~unranked[:, 1:]).any(axis=1))
        self.level = dict(zip(tied.tolist(), level[tied].tolist()))


_BALLOTS: WeakKeyDictionary[RankedProfile, _Ballots] = WeakKeyDictionary()


class _Lists:
    """The count in plain Python lists, for profiles with few distinct ballots.

    A part of ballot ``i`` is held at index ``at`` of its preference order (see
    :class:`_Ballots`). Each alternative's pile moves at most once (when it is excluded, or for
    its surplus when it is elected) and receives no ballots afterwards, so a pile is only put
    together when it moves: its parts of the first count plus the parts that arrived later,
    ``arrived[a] = [(ballot, at, value), ...]``. Tallies are kept up to date as parts move.
    """

    def __init__(self, profile: RankedProfile):
        self.m = profile.num_alternatives
        ballots = _BALLOTS.get(profile)
        if ballots is None:
            ballots = _BALLOTS[profile] = _Ballots(profile)
        self.ballots = ballots
        self.tally = list(ballots.first_tally)
        self.arrived: list[list[tuple[int, int, float]]] = [[] for _ in range(self.m)]

    def forward(self, a: int, fraction: float, continuing: list[bool]) -> None:
        """Move ``fraction`` of every ballot part ``a`` holds to the next preferences.

        ``a`` leaves the count with this move, so its own tally is not kept up to date.
        """
        orders, levels, tally, arrived, m = self.ballots.order, self.ballots.level, self.tally, self.arrived, self.m
        open_ = continuing + [False]
        for pile in (self.ballots.top[a], arrived[a]):
            for i, at, held in pile:
                moved = held * fraction
                order = orders[i]
                if i not in levels:
                    for j in range(at + 1, m):
                        x = order[j]
                        if open_[x]:
                            arrived[x].append((i, j, moved))
                            tally[x] += moved
                            break
                    continue
                level = levels[i]
                after, nxt = level[at], m
                targets = []
                for j in range(at + 1, m):
                    rank = level[j]
                    if rank <= after:
                        continue
                    if rank > nxt:
                        break
                    x = order[j]
                    if open_[x]:
                        nxt = rank
                        targets.append((x, j))
                if targets:
                    share = moved / len(targets)
                    for x, j in targets:
                        arrived[x].append((i, j, share))
                        tally[x] += share
        arrived[a] = []

    def tallies(self) -> list[float]:
        return self.tally


class _Pile:
    """The count in NumPy, for large profiles: ``held[ballot, alternative]``, the value of each
    distinct ballot held by each alternative.

    A ballot's part held by an alternative sits at that alternative's rank on the ballot, so
    this matrix is the whole state of the count; moving a part forward goes to the ballot's next
    preference after that rank among the continuing alternatives.
    """

    def __init__(self, profile: RankedProfile):
        self.ranks = profile.ranks
        self.m = profile.num_alternatives
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
    return _count(profile, seats, _Lists if len(profile.counts) <= SMALL else _Pile)


def _count(profile: RankedProfile, seats: int, state) -> Tally:
    """The count itself, with the state kept by ``state`` (:class:`_Lists` or :class:`_Pile`)."""
    m = profile.num_alternatives
    quota = droop_quota(profile.num_voters, seats)
    pile = state(profile)
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
        fewest = min(tallies[a] for a in live)
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
