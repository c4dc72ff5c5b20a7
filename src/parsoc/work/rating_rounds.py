"""Rating rounds: members rate every task for empowerment and desirability.

A council chooses the form of a round:

* ``scale``: each rater gives each task a number on the council's scale ``(low, high)``
  (by default 1 to 10) for empowerment and for desirability;
* ``ranking``: each rater ranks all the tasks, 1 = most empowering (most desirable). A rank
  ``r`` among ``n`` tasks becomes the score ``high - (r - 1) * (high - low) / (n - 1)``, so a
  ranking round yields numbers on the same scale (a Borda count rescaled).

Ratings submitted after the round's deadline are not counted (and are listed as late). For
each task and rating the aggregate is the *mean* of the counted ratings, shown with its
spread: median, population standard deviation, lowest and highest. A task is *flagged for
discussion* when, for either rating, the standard deviation exceeds ``disagreement`` times
the width of the scale (by default 0.2: 1.8 points on a 1–10 scale) — its ratings disagree
widely and the council should talk before composing jobs with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from parsoc.errors import InputError
from parsoc.work.kinds import RatingForm
from parsoc.work.tasks import Task

DIMENSIONS = ("empowerment", "desirability")


@dataclass(frozen=True)
class Rating:
    """One rater's rating of one task (a score, or a rank in a ranking round)."""

    rater: str
    task: str
    empowerment: float
    desirability: float
    submitted: datetime | None = None


@dataclass(frozen=True)
class RatingRound:
    tasks: tuple[str, ...]
    raters: tuple[str, ...]
    form: str = "scale"  # "scale" or "ranking"
    scale: tuple[float, float] = (1.0, 10.0)
    deadline: datetime | None = None
    disagreement: float = 0.2


@dataclass(frozen=True)
class Spread:
    mean: float
    median: float
    std: float
    low: float
    high: float
    count: int


@dataclass
class TaskRating:
    task: str
    empowerment: Spread
    desirability: Spread
    flagged: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class RoundResult:
    tasks: list[TaskRating]
    late: list[Rating]
    missing: dict[str, list[str]]  # rater -> tasks they have not rated

    def rated_tasks(self, specs: list[Task]) -> list[Task]:
        """``specs`` (hours, skills, splitting) with the aggregated means as their ratings."""
        by_name = {r.task: r for r in self.tasks}
        out = []
        for t in specs:
            r = by_name.get(t.name)
            if r is None or r.empowerment.count == 0:
                raise InputError(f"task {t.name!r} has no ratings yet")
            out.append(Task(t.name, t.hours, r.empowerment.mean, r.desirability.mean, t.skills, t.splittable))
        return out


def _spread(values: list[float]) -> Spread:
    if not values:
        nan = math.nan
        return Spread(nan, nan, nan, nan, nan, 0)
    a = np.asarray(values, dtype=float)
    return Spread(float(a.mean()), float(np.median(a)), float(a.std()), float(a.min()), float(a.max()), len(a))


def _scores(round_: RatingRound, counted: list[Rating]) -> dict[tuple[str, str], tuple[float, float]]:
    """(rater, task) -> (empowerment, desirability) on the round's scale."""
    low, high = round_.scale
    out = {}
    if round_.form == "scale":
        for r in counted:
            for name, v in zip(DIMENSIONS, (r.empowerment, r.desirability), strict=True):
                if not (low <= v <= high):
                    raise InputError(f"rater {r.rater!r}, task {r.task!r}: {name} {v:g} is outside the scale {low:g}–{high:g}")
            out[(r.rater, r.task)] = (r.empowerment, r.desirability)
        return out
    n = len(round_.tasks)
    step = (high - low) / (n - 1) if n > 1 else 0.0
    by_rater: dict[str, list[Rating]] = {}
    for r in counted:
        by_rater.setdefault(r.rater, []).append(r)
    for rater, ratings in by_rater.items():
        for name in DIMENSIONS:
            ranks = sorted(int(getattr(r, name)) for r in ratings)
            if ranks != list(range(1, n + 1)) or any(getattr(r, name) != int(getattr(r, name)) for r in ratings):
                raise InputError(f"rater {rater!r}: the {name} ranking must rank all {n} tasks 1..{n}, each once")
        for r in ratings:
            out[(rater, r.task)] = (high - (r.empowerment - 1) * step, high - (r.desirability - 1) * step)
    return out


def aggregate(round_: RatingRound, ratings: list[Rating]) -> RoundResult:
    """Aggregate a round's ratings: mean with spread per task, and disagreement flags."""
    if round_.form not in RatingForm.values():
        raise InputError(f"a rating round is 'scale' or 'ranking', not {round_.form!r}")
    low, high = round_.scale
    if not high > low:
        raise InputError(f"the scale must run from low to high, not {low:g}–{high:g}")
    tasks, raters = set(round_.tasks), set(round_.raters)
    counted, late, seen = [], [], set()
    for r in ratings:
        if r.task not in tasks:
            raise InputError(f"rater {r.rater!r} rated {r.task!r}, which is not a task of this round")
        if r.rater not in raters:
            raise InputError(f"{r.rater!r} is not a rater of this round")
        if (r.rater, r.task) in seen:
            raise InputError(f"rater {r.rater!r} rated task {r.task!r} twice")
        seen.add((r.rater, r.task))
        if round_.deadline is not None and r.submitted is not None and r.submitted > round_.deadline:
            late.append(r)
        else:
            counted.append(r)
    scores = _scores(round_, counted)
    width = high - low
    results = []
    for task in round_.tasks:
        values = [v for (rater, t), v in scores.items() if t == task]
        spreads = [_spread([v[k] for v in values]) for k in range(2)]
        reasons = [
            f"{name} ratings disagree: standard deviation {s.std:.2f} (from {s.low:g} to {s.high:g})"
            for name, s in zip(DIMENSIONS, spreads, strict=False)
            if s.count >= 2 and s.std > round_.disagreement * width
        ]
        results.append(TaskRating(task, spreads[0], spreads[1], bool(reasons), reasons))
    missing = {
        rater: [t for t in round_.tasks if (rater, t) not in scores]
        for rater in round_.raters
    }
    return RoundResult(results, late, {k: v for k, v in missing.items() if v})
