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
reference implementation. Ballots are kept as *pieces* (ballot, alternative, rank, value) in
NumPy arrays; pieces that can no longer differ are merged after every transfer.
"""

from __future__ import annotations

import numpy as np

from parsoc.choice.outcome import Tally
from parsoc.choice.profile import RankedProfile
from parsoc.errors import InputError

EPS = 1e-12


def droop_quota(voters: float, seats: int) -> int:
    return int(np.floor(voters / (seats + 1))) + 1


class _Pile:
    """Ballot pieces: which ballot, at which alternative, at which rank, with what value."""

    def __init__(self, profile: RankedProfile):
        self.ranks = profile.ranks
        self.m = profile.num_alternatives
        self.ballot = np.arange(len(profile.counts))
        self.rank = np.full(len(self.ballot), -1)
        self.cand = np.full(len(self.ballot), -1)
        self.value = profile.counts.astype(float)

    def tallies(self) -> np.ndarray:
        held = self.cand >= 0
        return np.bincount(self.cand[held], weights=self.value[held], minlength=self.m)

    def forward(self, chosen: np.ndarray, value: np.ndarray, continuing: np.ndarray):
        """Pieces (arrays) carrying ``value`` of the ``chosen`` pieces to their next preferences."""
        ranks = self.ranks[self.ballot[chosen]]
        open_ = continuing[None, :] & (ranks > self.rank[chosen][:, None]) & (ranks < self.m)
        nxt = np.where(open_, ranks, self.m).min(axis=1)
        targets = open_ & (ranks == nxt[:, None])
        piece, cand = np.nonzero(targets)
        share = value[piece] / targets.sum(axis=1)[piece]
        return self.ballot[chosen][piece], nxt[piece], cand, share

    def add(self, ballot, rank, cand, value) -> None:
        self.ballot = np.concatenate([self.ballot, ballot])
        self.rank = np.concatenate([self.rank, rank])
        self.cand = np.concatenate([self.cand, cand])
        self.value = np.concatenate([self.value, value])
        self._merge()

    def _merge(self) -> None:
        keep = self.value > EPS
        ballot, rank, cand, value = self.ballot[keep], self.rank[keep], self.cand[keep], self.value[keep]
        key = (ballot * (self.m + 2) + (rank + 1)) * (self.m + 1) + (cand + 1)
        unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        self.ballot, self.rank, self.cand = ballot[first], rank[first], cand[first]
        self.value = np.bincount(inverse.reshape(-1), weights=value, minlength=len(unique))


def single_transferable_vote(profile: RankedProfile, seats: int) -> Tally:
    """Elect ``seats`` alternatives by STV (Droop, weighted inclusive Gregory)."""
    m = profile.num_alternatives
    if not 1 <= seats <= m:
        raise InputError(f"{profile.source or 'profile'}: seats must be between 1 and {m}, got {seats}")
    quota = droop_quota(profile.num_voters, seats)
    pile = _Pile(profile)
    continuing = np.ones(m, dtype=bool)
    everyone = np.arange(len(pile.ballot))
    ballot, rank, cand, value = pile.forward(everyone, pile.value, continuing)
    pile.ballot, pile.rank, pile.cand, pile.value = ballot, rank, cand, value
    pile._merge()
    elected: list[int] = []
    rounds: list[dict] = []
    tied = False
    label = profile.label
    while len(elected) < seats:
        tallies = pile.tallies()
        live = np.flatnonzero(continuing)
        record = {"tallies": {label(int(a)): round(float(tallies[a]), 6) for a in live}, "quota": quota}
        reached = [int(a) for a in live if tallies[a] >= quota - EPS]
        if reached:
            reached.sort(key=lambda a: (-tallies[a], a))
            seats_left = seats - len(elected)
            if len(reached) > seats_left and abs(tallies[reached[seats_left - 1]] - tallies[reached[seats_left]]) <= EPS:
                tied = True
            now = reached[:seats_left]
            continuing[now] = False
            elected.extend(now)
            record["elected"] = [label(a) for a in now]
            rounds.append(record)
            if len(elected) >= seats:
                break
            _transfer_surpluses(pile, now, quota, continuing, record, label)
            if continuing.sum() <= seats - len(elected):
                rest = [int(a) for a in np.flatnonzero(continuing)]
                elected.extend(rest)
                record["elected"] += [label(a) for a in rest]
                break
            continue
        if len(live) <= seats - len(elected):
            elected.extend(int(a) for a in live)
            record["elected"] = [label(int(a)) for a in live]
            rounds.append(record)
            break
        fewest = tallies[live].min()
        lowest = [int(a) for a in live if abs(tallies[a] - fewest) <= EPS]
        if len(lowest) > 1:
            tied = True
        out = max(lowest)
        continuing[out] = False
        record["excluded"] = label(out)
        rounds.append(record)
        chosen = np.flatnonzero(pile.cand == out)
        moved = pile.forward(chosen, pile.value[chosen], continuing)
        pile.value[chosen] = 0.0
        pile.add(*moved)
    return Tally("stv", tuple(label(a) for a in elected), tied, {"quota": quota}, tuple(rounds))


def _transfer_surpluses(pile: _Pile, now: list[int], quota: float, continuing: np.ndarray, record: dict, label) -> None:
    done: set[int] = set()
    transfers = []
    while True:
        tallies = pile.tallies()
        surplus = {a: tallies[a] - quota for a in now if a not in done and tallies[a] - quota > EPS}
        if not surplus:
            break
        a = max(surplus, key=lambda c: (surplus[c], c))
        chosen = np.flatnonzero((pile.cand == a) & (pile.value > EPS))
        fraction = min(1.0, surplus[a] / pile.value[chosen].sum())
        drained = pile.value[chosen] * fraction
        moved = pile.forward(chosen, drained, continuing)
        pile.value[chosen] -= drained
        pile.add(*moved)
        transfers.append({"from": label(a), "surplus": round(float(surplus[a]), 6), "fraction": round(fraction, 9)})
        done.add(a)
    record["transfers"] = transfers
