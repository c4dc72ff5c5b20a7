"""Effort and sacrifice: co-workers' ratings become each member's consumption entitlement.

Pay follows effort and sacrifice, not output or bargaining power. A council chooses how
effort is rated (an :class:`EffortScheme`):

* ``hours``: effort is the hours worked; no ratings are needed;
* ``intensity``: hours × intensity, the intensity of a member's work being the *median* of
  the ratings their co-workers give (on ``intensity_range``, by default 0.5 to 1.5, 1 = usual);
* ``onerousness``: hours × the weight of an onerousness category (by default light 0.9,
  usual 1.0, heavy 1.15); a member's category is the median of the categories their
  co-workers rate them in (ordered by weight).

Self-ratings are not counted. A member nobody rated gets factor 1. The median keeps a single
friend or rival from moving a member's factor.

Inflation guard: a council cannot rate itself rich. Its total effort points,
``sum(hours × factor)``, may be at most ``cap × sum(hours)`` (``cap`` 1.0 by default: ratings
are relative, the average factor is at most 1). When the total is above the cap every factor
is scaled down by the same proportion.

Entitlement: a member's income is their effort points × the value of an effort point
(set by the plan, e.g. the average consumption per hour of work). The table
:func:`income_table` is what consumer councils read: one row per member with council and income.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from parsoc.errors import InputError
from parsoc.work.kinds import EffortKind

SCHEMES = EffortKind.values()
DEFAULT_CATEGORIES = {"light": 0.9, "usual": 1.0, "heavy": 1.15}


@dataclass(frozen=True)
class EffortScheme:
    kind: str = "hours"
    intensity_range: tuple[float, float] = (0.5, 1.5)
    categories: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CATEGORIES))
    cap: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in SCHEMES:
            raise InputError(f"effort is rated by {', '.join(SCHEMES)}, not {self.kind!r}")
        if not (self.cap > 0 and math.isfinite(self.cap)):
            raise InputError(f"the council's cap must be a positive number, not {self.cap}")
        low, high = self.intensity_range
        if not 0 < low <= 1 <= high:
            raise InputError("the intensity range must contain 1 and start above 0")
        if not self.categories or any(not (w > 0) for w in self.categories.values()):
            raise InputError("onerousness categories need positive weights")


@dataclass(frozen=True)
class EffortRating:
    """A co-worker's rating of a member: an intensity (number) or a category name."""

    rater: str
    ratee: str
    value: float | str


@dataclass(frozen=True)
class Effort:
    member: str
    hours: float
    factor: float  # after the inflation guard
    rated_factor: float  # before it
    ratings: int
    points: float


@dataclass(frozen=True)
class Entitlement:
    member: str
    council: str
    points: float
    income: float


def effort_points(scheme: EffortScheme, hours: dict[str, float], ratings: list[EffortRating]) -> list[Effort]:
    """Each member's effort points under the council's scheme, with the inflation guard."""
    for member, h in hours.items():
        if not (h >= 0 and math.isfinite(h)):
            raise InputError(f"member {member!r}: hours must be a non-negative number, not {h}")
    received: dict[str, list[float]] = {m: [] for m in hours}
    if scheme.kind != "hours":
        for r in ratings:
            for who in (r.rater, r.ratee):
                if who not in hours:
                    raise InputError(f"{who!r} is not a member of this council")
            if r.rater == r.ratee:
                continue
            received[r.ratee].append(_factor(scheme, r))
    factors = {m: float(np.median(v)) if v else 1.0 for m, v in received.items()}
    total_hours = sum(hours.values())
    total = sum(hours[m] * factors[m] for m in hours)
    scale = min(1.0, scheme.cap * total_hours / total) if total > 0 else 1.0
    return [
        Effort(m, hours[m], factors[m] * scale, factors[m], len(received[m]), hours[m] * factors[m] * scale)
        for m in hours
    ]


def _factor(scheme: EffortScheme, r: EffortRating) -> float:
    try:
        return rating_factor(scheme, r.value)
    except InputError as error:
        raise InputError(f"{r.rater!r} rated {r.ratee!r} {error}") from None


def rating_factor(scheme: EffortScheme, value: float | str) -> float:
    """The factor one rating stands for under ``scheme``; InputError if it is not a valid rating."""
    if scheme.kind == "intensity":
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{value!r}: an intensity is a number") from None
        low, high = scheme.intensity_range
        if not low <= v <= high:
            raise InputError(f"{v:g}: intensity must lie in {low:g}–{high:g}")
        return v
    if value not in scheme.categories:
        raise InputError(f"{value!r}: choose one of {', '.join(scheme.categories)}")
    return scheme.categories[value]


def entitlements(council: str, efforts: list[Effort], point_value: float) -> list[Entitlement]:
    """Each member's income: effort points × the value of an effort point."""
    if not (point_value >= 0 and math.isfinite(point_value)):
        raise InputError(f"the value of an effort point must be a non-negative number, not {point_value}")
    return [Entitlement(e.member, council, e.points, e.points * point_value) for e in efforts]


def income_table(rows: list[Entitlement]) -> list[dict[str, Any]]:
    """Plain rows ``{"member", "council", "income"}`` for the consumer councils."""
    return [{"member": r.member, "council": r.council, "income": round(r.income, 6)} for r in rows]
