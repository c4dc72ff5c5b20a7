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
reference implementation; the tallies of each round are reported as counted. The count is kept
in one of two ways, with the same results (both are checked against the reference in
``tests/choice/test_stv.py``):

* as each ballot's place (:class:`_Places`), for profiles whose ballots tie alternatives only in
  their last group (strict ballots; PrefLib's ``.toc`` files): one value per distinct ballot,
  its holder found again each round with one minimum over a key matrix;
* otherwise as a matrix of who holds what (:class:`_Pile`): the value of each distinct ballot
  held by each alternative.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from parsoc.choice.outcome import Tally
from parsoc.choice.profile import RankedProfile
from parsoc.errors import InputError

EPS = 1e-12


def droop_quota(voters: float, seats: int) -> int:
    return math.floor(voters / (seats + 1)) + 1


class _Places:
    """The count as each ballot's place, for profiles whose ballots tie alternatives only in
    their last group (strict ballots, and PrefLib's ``.toc`` files, which add the unranked
    alternatives tied at the bottom).

    A ballot's main part is held by its best-ranked continuing alternative, at ``value``: its
    count times the fraction passed on by each elected alternative that held it. What a ballot
    left behind stays with alternatives that have left the count, whose tallies no longer
    matter, so each round finds every ballot's holder afresh with one minimum over ``keys``:
    one row per holder and one column per ballot, each key the holder's rank on the ballot
    shifted left by ``bits``, plus the holder's number. Alternative ``a`` is holder ``a + 2``
    (row ``a + first``); an alternative that has left the count (or is unranked) has the rank
    ``m``; the minimum starts from rank ``m`` and holder 0, so a ballot ranking no continuing
    alternative is held by 0, "exhausted".

    A ballot whose last group ties several alternatives splits its value, when it arrives there,
    equally over the members of that group continuing at that moment; those parts can only be
    exhausted afterwards. Two kinds:

    * the last group is every alternative not ranked above it (``.toc``): on arrival its value
      is split over *all* continuing alternatives, since those ranked above have left. Holder 1,
      "the rest", stands for that group (same rank, and it comes first); what the rest gains in
      a round arrived in that round, and ``even`` adds up each arrival's share of one
      continuing alternative (``live`` of them);
    * otherwise ``bag[i]`` is the rank of ballot ``i``'s tied last group (-1 for other ballots,
      and once it has arrived there) and ``members[i]`` that group as 0/1 over the alternatives;
      on arrival the shares are added to ``arrived`` and the ballot's value is set to 0.
    """

    def __init__(self, keys: np.ndarray, bits: int, value: np.ndarray, m: int, bag=None, members=None):
        self.m = m
        self.keys = keys
        self.first = len(keys) - m
        self.bits = bits
        self.value = value
        self.rest = 0.0
        self.even = 0.0
        self.live = m
        self.bag = bag
        self.members = members
        self.arrived = None if bag is None else np.zeros(m)
        self.continuing = np.ones(m)

    @classmethod
    def of(cls, profile: RankedProfile) -> _Places | None:
        """The places of ``profile``'s ballots, or None when a ballot ties before its last group."""
        m = profile.num_alternatives
        ranks = np.ascontiguousarray(profile.ranks.T)
        bits = (m + 2).bit_length()
        value = profile.counts.astype(float)
        # each ranked alternative as a power of two of its rank: a ballot ties alternatives
        # when these add up to more than they combine bitwise
        weights = _powers(m)[ranks] if m < 62 else None
        if weights is not None:
            total, combined = weights.sum(axis=0), np.bitwise_or.reduce(weights, axis=0)
            if (total == combined).all():
                return cls(_keys(None, ranks, bits), bits, value, m)
        # how many alternatives each ballot ranks (all of them on every ballot, as in .toc files,
        # when no rank is m)
        complete = bool(ranks.max() < m)
        ranked = None if complete else ranks < m
        many = m if complete else ranked.view(np.int8).sum(axis=0, dtype=np.int64)
        if weights is not None:
            # ranks are dense (0, 1, 2, ...): the groups above the last (at rank ``last``) hold
            # one alternative each exactly when the powers add up to 2**last - 1, plus
            # 2**last for each member of the last group (``many - last`` of them)
            last = np.bitwise_count(combined >> 1).astype(np.int64)
            if (((many - last + 1) << last) != total + 1).any():
                return None
        else:
            ranked = ranks < m
            last = np.where(ranked, ranks, -1).max(axis=0)
            if ((ranks < last).view(np.int8).sum(axis=0, dtype=np.int64) != last).any():
                return None
        # a ballot ranking every alternative ends with the rest (which is its last group)
        rest = ranks.max(axis=0, keepdims=True)
        if complete:
            return cls(_keys(rest, ranks, bits), bits, value, m)
        tied = (many < m) & (many - last > 1)
        if not tied.any():
            return cls(_keys(rest, ranks, bits), bits, value, m)
        bag = np.where(tied, last, -1)
        members = (ranks == last).T.astype(float)
        return cls(_keys(rest, ranks, bits), bits, value, m, bag, members)

    def tallies(self) -> list[float]:
        key = np.minimum.reduce(self.keys, axis=0, initial=self.m << self.bits)
        self.holder = holder = key & ((1 << self.bits) - 1)
        if self.bag is not None:
            self._arrive(key >> self.bits)
        tally = np.bincount(holder, self.value, minlength=self.m + 2)
        rest = float(tally[1])
        if rest > self.rest:
            self.even += (rest - self.rest) / self.live
            self.rest = rest
        tally = tally[2:]
        if self.even:
            tally += self.even
        if self.arrived is not None:
            tally += self.arrived
        return tally.tolist()

    def _arrive(self, rank: np.ndarray) -> None:
        """Split the ballots that reached their last group this round over its continuing members."""
        rows = np.flatnonzero(rank == self.bag)
        if len(rows):
            self.bag[rows] = -1
            members = self.members[rows]
            value = self.value[rows]
            self.value[rows] = 0.0
            self.arrived += (value / (members @ self.continuing)) @ members * self.continuing

    def forward(self, a: int, fraction: float, continuing: list[bool]) -> None:
        """``a`` leaves the count, passing on ``fraction`` of each ballot it holds."""
        self.keys[a + self.first] = (self.m << self.bits) | (a + 2)
        self.continuing[a] = 0.0
        self.live -= 1
        if fraction != 1.0:
            self.value[self.holder == a + 2] *= fraction


def _keys(rest: np.ndarray | None, ranks: np.ndarray, bits: int) -> np.ndarray:
    """The key matrix of :class:`_Places`: the rest's ranks (one row; left out when no ballot
    ties, the rest then never holding anything), then the alternatives'."""
    if rest is None:
        return (ranks << bits) | np.arange(2, len(ranks) + 2)[:, None]
    keys = np.concatenate([rest, ranks])
    keys <<= bits
    keys |= np.arange(1, len(keys) + 1)[:, None]
    return keys


@cache
def _powers(m: int) -> np.ndarray:
    """2**rank for the ranks 0..m-1, and 0 for rank m (unranked)."""
    powers = 1 << np.arange(m + 1, dtype=np.int64)
    powers[m] = 0
    return powers


class _Pile:
    """The count as a matrix, for any ballots (ties anywhere): ``held[alternative, ballot]``,
    the value of each distinct ballot held by each alternative.

    A ballot's part held by an alternative sits at that alternative's rank on the ballot, so
    this matrix is the whole state of the count; moving a part forward goes to the ballot's next
    preference after that rank among the continuing alternatives (``open_ranks``: the ranks,
    one row per alternative, with ``m`` for each alternative that has left). A row is not kept
    up to date once its alternative has left the count: its tally no longer matters.
    """

    def __init__(self, profile: RankedProfile):
        self.m = profile.num_alternatives
        self.ranks = np.ascontiguousarray(profile.ranks.T)
        self.open_ranks = self.ranks.copy()
        # the first count: the top group (rank 0; ranks are dense) shares the ballot equally,
        # and a ballot ranking nobody counts for nobody
        first = self.ranks == 0
        width = first.view(np.int8).sum(axis=0, dtype=np.int64)
        value = np.divide(profile.counts, width, out=np.zeros(len(width)), where=width > 0)
        self.held = first * value

    def tallies(self) -> list[float]:
        return self.held.sum(axis=1).tolist()

    def forward(self, alternative: int, fraction: float, continuing: list[bool]) -> None:
        """``alternative`` leaves the count, moving ``fraction`` of every ballot part it holds
        to the next preferences."""
        m = self.m
        if fraction == 0.0:
            return
        # every alternative elected in this stage has left, not only this one
        self.open_ranks[[a for a, c in enumerate(continuing) if not c]] = m
        moved = self.held[alternative] * fraction
        later = np.where(self.open_ranks > self.ranks[alternative], self.open_ranks, m)
        nxt = later.min(axis=0)
        targets = later == nxt
        width = targets.view(np.int8).sum(axis=0, dtype=np.int64)
        share = np.divide(moved, width, out=np.zeros(len(moved)), where=nxt < m)
        self.held += targets * share


def single_transferable_vote(profile: RankedProfile, seats: int) -> Tally:
    """Elect ``seats`` alternatives by STV (Droop, weighted inclusive Gregory)."""
    m = profile.num_alternatives
    if not 1 <= seats <= m:
        raise InputError(f"{profile.source or 'profile'}: seats must be between 1 and {m}, got {seats}")
    return _count(profile, seats, _Places.of(profile) or _Pile(profile))


def _count(profile: RankedProfile, seats: int, pile) -> Tally:
    """The count itself, with its state kept by ``pile`` (:class:`_Places` or :class:`_Pile`)."""
    m = profile.num_alternatives
    quota = droop_quota(profile.num_voters, seats)
    reach = quota - EPS
    names = profile.alternatives
    continuing = [True] * m
    live = list(range(m))
    elected: list[int] = []
    rounds: list[dict] = []
    tied = False
    while True:
        tallies = pile.tallies()
        record = {"tallies": {names[a]: tallies[a] for a in live}, "quota": quota}
        rounds.append(record)
        seats_left = seats - len(elected)
        reached = [a for a in live if tallies[a] >= reach]
        if reached:
            if len(reached) > 1:
                reached.sort(key=lambda a: (-tallies[a], a))
                if len(reached) > seats_left and abs(tallies[reached[seats_left - 1]] - tallies[reached[seats_left]]) <= EPS:
                    tied = True
                reached = reached[:seats_left]
            for a in reached:
                continuing[a] = False
            live = [a for a in live if continuing[a]]
            elected += reached
            record["elected"] = [names[a] for a in reached]
            if len(elected) >= seats:
                break
            record["transfers"] = _transfer_surpluses(pile, reached, tallies, quota, continuing, names)
            if len(live) <= seats - len(elected):
                elected += live
                record["elected"] += [names[a] for a in live]
                break
            continue
        if len(live) <= seats_left:
            elected += live
            record["elected"] = [names[a] for a in live]
            break
        fewest = min([tallies[a] for a in live])
        lowest = [a for a in live if tallies[a] - fewest <= EPS]
        if len(lowest) > 1:
            tied = True
        out = lowest[-1]
        continuing[out] = False
        live = [a for a in live if a != out]
        record["excluded"] = names[out]
        pile.forward(out, 1.0, continuing)
    return Tally("stv", tuple(names[a] for a in elected), tied, {"quota": quota}, tuple(rounds))


def _transfer_surpluses(pile, now: list[int], tallies: list[float], quota: float, continuing: list[bool], names) -> list[dict]:
    """Transfer the surpluses of the alternatives elected in this stage, largest first.

    An alternative elected without a surplus keeps all its ballots: it passes on a fraction 0."""
    surplus = {a: tallies[a] - quota for a in now if tallies[a] - quota > EPS}
    transfers = []
    for a in sorted(surplus, key=lambda c: (surplus[c], c), reverse=True):
        fraction = min(1.0, surplus[a] / tallies[a])
        pile.forward(a, fraction, continuing)
        transfers.append({"from": names[a], "surplus": surplus[a], "fraction": fraction})
    for a in now:
        if a not in surplus:
            pile.forward(a, 0.0, continuing)
    return transfers
