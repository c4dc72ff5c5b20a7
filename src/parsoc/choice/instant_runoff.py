"""Instant runoff (the alternative vote, Hare).

Round by round, each ballot counts for the alternative(s) it ranks highest among those still
in the count; when a ballot ties several of them at its top, each of them gets the ballot's
full vote (the "approval" reading of tied tops, as in pref_voting). Ballots that rank none of
the remaining alternatives are exhausted. All alternatives with the fewest votes are excluded
together; when every remaining alternative has the fewest votes, they are the tied winners.
The last one standing wins.
"""

from __future__ import annotations

import numpy as np

from parsoc.choice.outcome import Tally
from parsoc.choice.profile import RankedProfile


def top_counts(profile: RankedProfile, remaining: np.ndarray) -> np.ndarray:
    """Votes per alternative among ``remaining`` (bool mask); others get 0."""
    m = profile.num_alternatives
    ranks = np.where(remaining[None, :], profile.ranks, m)
    best = ranks.min(axis=1, keepdims=True)
    at_top = (ranks == best) & (best < m)
    return profile.counts @ at_top.astype(np.int64)


def instant_runoff(profile: RankedProfile) -> Tally:
    m = profile.num_alternatives
    remaining = np.ones(m, dtype=bool)
    rounds = []
    while remaining.sum() > 1:
        votes = top_counts(profile, remaining)
        live = np.flatnonzero(remaining)
        fewest = votes[live].min()
        lowest = live[votes[live] == fewest]
        rounds.append(
            {
                "votes": {profile.label(int(a)): int(votes[a]) for a in live},
                "excluded": [profile.label(int(a)) for a in lowest] if len(lowest) < len(live) else [],
            }
        )
        if len(lowest) == len(live):
            break
        remaining[lowest] = False
    winners = tuple(profile.label(int(a)) for a in np.flatnonzero(remaining))
    return Tally("irv", winners, len(winners) > 1, {}, tuple(rounds))
