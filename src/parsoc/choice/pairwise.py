"""Pairwise comparisons: how many voters rank one alternative strictly above another.

``support[a, b]`` counts the voters whose ballot puts ``a`` strictly above ``b``; an
alternative a ballot leaves unranked is below every ranked one (extended strict preference),
and two unranked alternatives are tied. ``margin = support - support.T``. The matrix is built
with one vectorised comparison per alternative over the distinct ballots.
"""

from __future__ import annotations

import numpy as np

from parsoc.choice.profile import RankedProfile


def support_matrix(profile: RankedProfile) -> np.ndarray:
    """``S[a, b]`` = number of voters ranking ``a`` strictly above ``b``."""
    ranks, counts = profile.ranks, profile.counts
    m = profile.num_alternatives
    support = np.zeros((m, m), dtype=np.int64)
    for a in range(m):
        above = ranks[:, a : a + 1] < ranks  # ballots × alternatives: a strictly above b
        support[a] = counts @ above
    return support


def margin_matrix(profile: RankedProfile) -> np.ndarray:
    """``M[a, b]`` = voters preferring ``a`` to ``b`` minus voters preferring ``b`` to ``a``."""
    support = support_matrix(profile)
    return support - support.T


def condorcet_winner(margins: np.ndarray) -> int | None:
    """The alternative beating every other by a positive margin, if there is one."""
    m = len(margins)
    for a in range(m):
        if all(margins[a, b] > 0 for b in range(m) if b != a):
            return a
    return None
