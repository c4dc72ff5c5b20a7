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

import numpy as np

from parsoc.choice.outcome import Tally
from parsoc.choice.profile import RankedProfile
from parsoc.errors import InputError

EPS = 1e-12


def droop_quota(voters: float, seats: int) -> int:
    return int(np.floor(voters / (seats + 1))) + 1


class _Pile:
    """The value of each distinct ballot held by each alternative: ``held[ballot, alternative]``.

    A ballot's part held by an alternative sits at that alternative's rank on the ballot, so
    this matrix is the whole state of the count; moving a part forward goes to the ballot's next
    preference after that rank among the continuing alternatives.
    """

    def __init__(self, profile: RankedProfile):
        self.ranks = profile.ranks
        self.m = profile.num_alternatives
        self.held = np.zeros(self.ranks.shape)
        everyone = np.arange(len(self.ranks))
        self._move(everyone, np.full((len(everyone), 1), -1), profile.counts.astype(float), np.ones(self.m, dtype=bool))

    def tallies(self) -> np.ndarray:
        return self.held.sum(axis=0)

    def _move(self, rows: np.ndarray, after: np.ndarray, value: np.ndarray, continuing: np.ndarray) -> None:
        """Give ``value`` of ballots ``rows`` to their next preferences after rank ``after`` (split if tied)."""
        ranks = self.ranks[rows]
        open_ = continuing[None, :] & (ranks > after) & (ranks < self.m)
        nxt = np.where(open_, ranks, self.m).min(axis=1, keepdims=True)
        targets = open_ & (ranks == nxt)
        width = targets.sum(axis=1)
        share = np.divide(value, width, out=np.zeros_like(value), where=width > 0)
        self.held[rows] += targets * share[:, None]

    def forward(self, alternative: int, fraction: float, continuing: np.ndarray) -> None:
        """Move ``fraction`` of every ballot part ``alternative`` holds to the next preferences."""
        rows = np.flatnonzero(self.held[:, alternative] > 0)
        moved = self.held[rows, alternative] * fraction
        self.held[rows, alternative] -= moved
        self._move(rows, self.ranks[rows, alternative : alternative + 1], moved, continuing)


def single_transferable_vote(profile: RankedProfile, seats: int) -> Tally:
    """Elect ``seats`` alternatives by STV (Droop, weighted inclusive Gregory)."""
    m = profile.num_alternatives
    if not 1 <= seats <= m:
        raise InputError(f"{profile.source or 'profile'}: seats must be between 1 and {m}, got {seats}")
    quota = droop_quota(profile.num_voters, seats)
    pile = _Pile(profile)
    continuing = np.ones(m, dtype=bool)
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
        pile.forward(out, 1.0, continuing)
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
        fraction = min(1.0, surplus[a] / tallies[a])
        pile.forward(a, fraction, continuing)
        transfers.append({"from": label(a), "surplus": round(float(surplus[a]), 6), "fraction": round(fraction, 9)})
        done.add(a)
    record["transfers"] = transfers
