"""Methods on the margin matrix: Copeland, minimax, Schulze and ranked pairs.

All four elect the Condorcet winner when there is one (an alternative beating every other by a
positive margin). ``margin[a, b]`` is the number of voters preferring ``a`` to ``b`` minus the
number preferring ``b`` to ``a`` (unranked alternatives tied at the bottom of a ballot).

Copeland
    Score = pairwise wins minus pairwise losses; the highest score wins.
Minimax
    Score = the largest margin by which another alternative beats it (0 when none does); the
    lowest score wins.
Schulze (beat path)
    A path a -> ... -> b uses only positive-margin defeats and is as strong as its weakest
    defeat; ``a`` wins when for every ``b`` the strongest path from a to b is at least as strong
    as the strongest path from b to a.
Ranked pairs (Tideman)
    Lock the pairs in order of decreasing margin (pairs with margin 0 in both directions),
    skipping any that would close a cycle; the top of the locked order wins. Pairs with equal
    margins may be locked in any order: an alternative is a winner when it wins for some such
    order, so the reported winners are every alternative that wins under some tie-breaking.
"""

from __future__ import annotations

import numpy as np

from parsoc.choice.outcome import Tally
from parsoc.choice.pairwise import condorcet_winner, margin_matrix
from parsoc.choice.profile import RankedProfile
from parsoc.choice.scoring import best


def copeland_scores(margins: np.ndarray) -> np.ndarray:
    return (margins > 0).sum(axis=1) - (margins < 0).sum(axis=1)


def minimax_scores(margins: np.ndarray) -> np.ndarray:
    return np.maximum(margins, 0).max(axis=0)


def strongest_paths(margins: np.ndarray) -> np.ndarray:
    """Widest-path strengths over positive-margin defeats (Floyd–Warshall, vectorised)."""
    strength = np.where(margins > 0, margins.astype(float), -np.inf)
    np.fill_diagonal(strength, 0.0)
    for k in range(len(margins)):
        strength = np.maximum(strength, np.minimum(strength[:, k : k + 1], strength[k : k + 1, :]))
    return strength


def copeland(profile: RankedProfile, margins: np.ndarray | None = None) -> Tally:
    margins = margin_matrix(profile) if margins is None else margins
    return best(profile, copeland_scores(margins), "copeland")


def minimax(profile: RankedProfile, margins: np.ndarray | None = None) -> Tally:
    margins = margin_matrix(profile) if margins is None else margins
    return best(profile, minimax_scores(margins), "minimax", highest=False)


def schulze(profile: RankedProfile, margins: np.ndarray | None = None) -> Tally:
    margins = margin_matrix(profile) if margins is None else margins
    paths = strongest_paths(margins)
    beaten = (paths < paths.T).any(axis=1)
    winners = tuple(profile.label(int(a)) for a in np.flatnonzero(~beaten))
    return Tally("schulze", winners, len(winners) > 1)


def ranked_pairs_winners(margins: np.ndarray) -> list[int]:
    """Every alternative that wins ranked pairs under some order of equal-margin pairs."""
    m = len(margins)
    cw = condorcet_winner(margins)
    if cw is not None:
        return [cw]
    pairs = [(a, b) for a in range(m) for b in range(m) if a != b and margins[a, b] >= 0]
    strengths = sorted({int(margins[a, b]) for a, b in pairs}, reverse=True)
    groups = [[p for p in pairs if margins[p] == s] for s in strengths]
    start = np.eye(m, dtype=bool)  # reach[a, b]: a is locked above b (reflexive closure)
    states = {start.tobytes(): start}
    for group in groups:
        next_states: dict[bytes, np.ndarray] = {}
        for reach in states.values():
            for result in _lock_in_any_order(reach, tuple(group), {}):
                next_states[result.tobytes()] = result
        states = next_states
    winners: set[int] = set()
    for reach in states.values():
        tops = np.flatnonzero(reach.sum(axis=0) == 1)  # only reached by itself
        winners.update(int(t) for t in tops[:1])
    return sorted(winners)


def _lock_in_any_order(
    reach: np.ndarray, group: tuple[tuple[int, int], ...], memo: dict[tuple[bytes, tuple[tuple[int, int], ...]], list[np.ndarray]]
) -> list[np.ndarray]:
    group = tuple((a, b) for a, b in group if not reach[a, b] and not reach[b, a])
    key = (reach.tobytes(), group)
    if key in memo:
        return memo[key]
    if not group:
        return [reach]
    results: dict[bytes, np.ndarray] = {}
    for i, (a, b) in enumerate(group):
        rest = group[:i] + group[i + 1 :]
        if reach[b, a]:
            locked = reach
        else:
            locked = reach | np.outer(reach[:, a], reach[b, :])
        for result in _lock_in_any_order(locked, rest, memo):
            results[result.tobytes()] = result
    memo[key] = list(results.values())
    return memo[key]


def ranked_pairs(profile: RankedProfile, margins: np.ndarray | None = None) -> Tally:
    margins = margin_matrix(profile) if margins is None else margins
    winners = tuple(profile.label(a) for a in ranked_pairs_winners(margins))
    return Tally("ranked-pairs", winners, len(winners) > 1)
