"""A ranked profile: who ranked the alternatives how, and how many voters cast each ballot.

A ballot is a weak order over some of the alternatives: a sequence of groups, best first, where
the alternatives in one group are tied. Alternatives a ballot does not mention are tied below
every alternative it mentions (the *extended strict preference* of PrefLib and pref_voting).

The profile keeps each distinct ballot once with its count, and offers the ballots as an
integer matrix ``ranks`` (one row per distinct ballot, one column per alternative): the group
position of the alternative (0 = top) or ``len(alternatives)`` when it is not ranked. Every
method works on that matrix with NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from parsoc.errors import InputError

Ballot = tuple[tuple[int, ...], ...]
"""A weak order as groups of alternative indices, best group first."""


@dataclass(frozen=True, eq=False)
class RankedProfile:
    """Distinct ballots with their counts over named alternatives.

    ``alternatives`` are the ids as the file gives them (strings); ``names`` their labels.
    ``ranks[i, a]`` is the group position (0 = top) of alternative ``a`` on distinct ballot ``i``,
    ``m`` when the ballot leaves ``a`` unranked; ``counts[i]`` how many voters cast ballot ``i``.
    Build one with :meth:`from_rank_matrix` (which merges identical ballots) or
    :meth:`from_ballots`.
    """

    alternatives: tuple[str, ...]
    ranks: np.ndarray
    counts: np.ndarray
    names: dict[str, str] = field(default_factory=dict)
    source: str = ""

    @property
    def num_alternatives(self) -> int:
        return len(self.alternatives)

    @property
    def num_voters(self) -> int:
        return int(self.counts.sum())

    @cached_property
    def ballots(self) -> tuple[Ballot, ...]:
        """The distinct ballots as groups of alternative indices, best first."""
        m = self.num_alternatives
        return tuple(_ballot_from_ranks(row, m) for row in self.ranks)

    def label(self, index: int) -> str:
        return self.alternatives[index]

    @classmethod
    def from_ballots(
        cls,
        alternatives: tuple[str, ...],
        ballots: list[Ballot],
        counts: list[int] | np.ndarray,
        names: dict[str, str] | None = None,
        source: str = "",
    ) -> RankedProfile:
        """Build a profile from weak orders given as groups of alternative indices."""
        m = len(alternatives)
        ranks = np.full((len(ballots), m), m, dtype=np.int64)
        for row, ballot in enumerate(ballots):
            for position, group in enumerate(ballot):
                ranks[row, list(group)] = position
        return cls.from_rank_matrix(alternatives, ranks, np.asarray(counts, dtype=np.int64), names, source)

    @classmethod
    def from_rank_matrix(
        cls,
        alternatives: tuple[str, ...],
        ranks: np.ndarray,
        counts: np.ndarray | None = None,
        names: dict[str, str] | None = None,
        source: str = "",
    ) -> RankedProfile:
        """Build a profile from a rank matrix (one row per ballot; m or more = unranked).

        Identical ballots are merged and their counts added (a million ballots over ten
        alternatives become the few thousand distinct ones before any counting starts);
        ballots with count 0 are dropped.
        """
        alternatives = tuple(alternatives)
        m = len(alternatives)
        if m == 0:
            raise InputError(f"{source or 'profile'}: no alternatives")
        ranks = np.asarray(ranks, dtype=np.int64)
        if ranks.ndim != 2 or ranks.shape[1] != m:
            raise InputError(f"{source or 'profile'}: the rank matrix needs one column per alternative ({m})")
        counts = np.ones(len(ranks), dtype=np.int64) if counts is None else np.asarray(counts, dtype=np.int64)
        if len(counts) != len(ranks) or (counts < 0).any():
            raise InputError(f"{source or 'profile'}: one non-negative count per ballot is needed")
        keep = counts > 0
        ranks, counts = _dense_ranks(np.clip(ranks[keep], 0, m), m), counts[keep]
        unique_rows, inverse = _unique_rows(ranks)
        merged = np.bincount(inverse, weights=counts, minlength=len(unique_rows)).astype(np.int64)
        return cls(alternatives, unique_rows, merged, dict(names or {}), source)


def _ballot_from_ranks(row: np.ndarray, m: int) -> Ballot:
    levels = sorted({int(r) for r in row if r < m})
    return tuple(tuple(int(a) for a in np.flatnonzero(row == level)) for level in levels)


def _dense_ranks(ranks: np.ndarray, m: int) -> np.ndarray:
    """Renumber each row's group positions 0, 1, 2, ... without gaps; unranked stays m."""
    if ranks.size == 0:
        return ranks.reshape(-1, m)
    order = np.argsort(ranks, axis=1, kind="stable")
    ordered = np.take_along_axis(ranks, order, axis=1)
    new_group = np.ones_like(ordered, dtype=np.int64)
    new_group[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    dense = np.cumsum(new_group, axis=1) - 1
    out = np.empty_like(ranks)
    np.put_along_axis(out, order, dense, axis=1)
    out[ranks >= m] = m
    return out


def _unique_rows(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows and the index of each input row among them (fast path: one int64 key)."""
    n, m = ranks.shape
    base = m + 1
    if n == 0:
        return ranks, np.zeros(0, dtype=np.int64)
    if m * np.log2(base) < 62:
        weights = base ** np.arange(m - 1, -1, -1, dtype=np.int64)
        keys = ranks @ weights
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        return ranks[first], inverse.reshape(-1)
    unique_rows, inverse = np.unique(ranks, axis=0, return_inverse=True)
    return unique_rows, inverse.reshape(-1)
