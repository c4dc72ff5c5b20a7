"""Positional scoring: plurality and Borda.

Plurality
    Each ballot gives one point to the alternative it ranks alone at the top. A ballot with a
    tie at the top (an overvote) gives no point. The winners are the alternatives with the
    most points; several are reported as tied.

Borda (symmetric)
    An alternative scores, on each ballot, the number of alternatives ranked strictly below it
    minus the number ranked strictly above it (unranked alternatives are tied at the bottom).
    On complete strict ballots this orders alternatives exactly as the classic Borda count
    (m-1 points for first, m-2 for second, ...), and it is the sum of the alternative's
    pairwise margins. The winners have the highest score.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parsoc.choice.outcome import Tally
from parsoc.choice.pairwise import margin_matrix
from parsoc.choice.profile import RankedProfile


def plurality_scores(profile: RankedProfile) -> np.ndarray:
    """Points per alternative: ballots ranking it alone in first place."""
    top = profile.ranks == 0
    sole = top.sum(axis=1) == 1
    return profile.counts[sole] @ top[sole].astype(np.int64)


def borda_scores(profile: RankedProfile) -> np.ndarray:
    """Symmetric Borda score: the row sums of the margin matrix."""
    return margin_matrix(profile).sum(axis=1)


def best(profile: RankedProfile, scores: np.ndarray, method: str, highest: bool = True) -> Tally:
    """The alternatives with the best score, reported as tied when more than one."""
    target = scores.max() if highest else scores.min()
    winners = tuple(profile.label(int(a)) for a in np.flatnonzero(scores == target))
    return Tally(
        method,
        winners,
        len(winners) > 1,
        {profile.label(a): _plain(scores[a]) for a in range(profile.num_alternatives)},
    )


def plurality(profile: RankedProfile) -> Tally:
    return best(profile, plurality_scores(profile), "plurality")


def borda(profile: RankedProfile) -> Tally:
    return best(profile, borda_scores(profile), "borda")


def _plain(value: Any) -> int | float:
    return float(value) if isinstance(value, (float, np.floating)) and not float(value).is_integer() else int(value)
