"""LEGACY: the greedy draw used before LEXIMIN, kept for comparison.

The Sortition Foundation's original algorithm (``find_random_sample_legacy`` in the
``sortition-algorithms`` package), step by step: leave out everyone whose feature has a maximum
of 0; then, ``k`` times, take the quota whose unmet minimum is largest relative to the people
still available with its feature (``(min − selected) / remaining``, the first such quota on a
tie), and select one of those people uniformly at random; when a quota reaches its maximum,
everyone else with its feature leaves the pool. An attempt that runs out of people, or ends
with a quota unmet, is started again (at most :data:`ATTEMPTS` times).

People are chosen through their profiles (see :mod:`parsoc.lot.panels`): picking a uniform
person among those with a feature is picking a profile in proportion to how many of its people
remain, then (at the end) the profile's selected members uniformly — the same distribution.

Its selection probabilities have no formula: :func:`parsoc.lot.draw.select` averages
``count / size`` per profile over many seeded draws. It can leave some people with almost no chance (on the
published instances one person in 2,000 is selected in about 0.14% of draws, not 10%).
"""

from __future__ import annotations

import numpy as np

from parsoc.errors import InputError
from parsoc.lot.instance import Instance
from parsoc.lot.panels import Profiles
from parsoc.lot.seed import Stream

ATTEMPTS = 100
"""Greedy attempts before giving up on a draw."""


def _attempt(instance: Instance, profiles: Profiles, stream: Stream) -> np.ndarray | None:
    """One greedy attempt: the count per profile, or None if it failed."""
    has = profiles.has.astype(bool)  # Q x T
    remaining = profiles.sizes.astype(np.int64).copy()
    mins = np.array([q.min for q in instance.quotas], dtype=np.int64)
    maxs = np.array([q.max for q in instance.quotas], dtype=np.int64)
    selected = np.zeros(len(instance.quotas), dtype=np.int64)
    counts = np.zeros(len(profiles), dtype=np.int64)
    for qi in np.flatnonzero(maxs == 0):
        remaining[has[qi]] = 0
    for _ in range(instance.panel_size):
        left = has @ remaining
        needed = np.maximum(mins - selected, 0)
        if (left < needed).any():
            return None
        best, best_ratio = -1, -100.0
        for qi in range(len(mins)):
            if left[qi] == 0 or maxs[qi] == 0:
                continue
            ratio = needed[qi] / float(left[qi])
            if ratio > best_ratio:
                best, best_ratio = qi, ratio
        if best < 0:
            return None
        position = stream.below(int(left[best]))
        for t in np.flatnonzero(has[best]):
            if position < remaining[t]:
                break
            position -= int(remaining[t])
        counts[t] += 1
        remaining[t] -= 1
        selected += has[:, t]
        for qi in np.flatnonzero(has[:, t] & (selected == maxs)):
            remaining[has[qi]] = 0
        if remaining.sum() == 0 and counts.sum() < instance.panel_size:
            return None
    panel = has @ counts
    if ((panel < mins) | (panel > maxs)).any():
        return None
    return counts


def legacy_counts(instance: Instance, profiles: Profiles, stream: Stream) -> np.ndarray:
    """The count per profile of one LEGACY draw (retrying failed attempts)."""
    for _ in range(ATTEMPTS):
        counts = _attempt(instance, profiles, stream)
        if counts is not None:
            return counts
    raise InputError(f"the LEGACY greedy found no panel meeting the quotas in {ATTEMPTS} attempts "
                     f"(try --method leximin)")

