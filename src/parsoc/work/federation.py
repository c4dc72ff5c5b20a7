"""Across workplaces: a federation compares its councils' average job complexes.

Within a council, balanced jobs all sit near the council's workplace average. Between
councils the averages differ: a bookshop's average job may be more empowering than a
warehouse's. The federation average is the hours-weighted average over all member councils
of their workplace averages. For each council whose average empowerment (or desirability)
lies below the federation's, :func:`suggest_outside_tasks` proposes hours of *outside tasks*
— tasks of other councils rated above the federation average in that respect, which some
member of the council has the skills for. Trading ``h`` hours of its own average work for
``h`` hours of an outside task rated ``r`` moves a council's average from ``a`` to
``a + h (r - a) / H`` (``H`` the council's hours), so the hours that close the gap are
``H (F - a) / (r - a)``. No council gives more than ``max_share`` of an outside task's hours,
and no council spends more than ``max_share`` of its own hours outside. These are
suggestions only: each council decides.

Ratings must be comparable across councils (the federation's own rating round, or councils
using the same scale).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parsoc.errors import InputError
from parsoc.work.problem import workplace_average
from parsoc.work.rating_rounds import DIMENSIONS
from parsoc.work.tasks import Member, Task


@dataclass(frozen=True)
class Workplace:
    council: str
    tasks: list[Task]
    members: list[Member]

    @property
    def hours(self) -> float:
        return float(sum(t.hours for t in self.tasks))


@dataclass(frozen=True)
class CouncilComparison:
    council: str
    hours: float
    empowerment: float
    desirability: float
    below: tuple[str, ...]  # the ratings in which it lies below the federation average


@dataclass(frozen=True)
class Suggestion:
    council: str  # the council whose members would take the hours
    task: str
    host: str  # the council the task belongs to
    hours: float  # per week, for the council's members together
    rating: str  # which average it raises
    effect: float  # how much it raises that average


def federation_average(workplaces: list[Workplace]) -> np.ndarray:
    if not workplaces:
        raise InputError("a federation needs at least one council")
    for w in workplaces:
        if not w.tasks:
            raise InputError(f"council {w.council!r} has no tasks")
    averages = np.array([workplace_average(w.tasks) for w in workplaces])
    weights = np.array([w.hours for w in workplaces])
    return weights @ averages / weights.sum()


def compare_workplaces(workplaces: list[Workplace]) -> tuple[np.ndarray, list[CouncilComparison]]:
    """The federation average and each council's average job complex against it."""
    fed = federation_average(workplaces)
    rows = []
    for w in workplaces:
        a = workplace_average(w.tasks)
        below = tuple(name for k, name in enumerate(DIMENSIONS) if a[k] < fed[k] - 1e-9)
        rows.append(CouncilComparison(w.council, w.hours, float(a[0]), float(a[1]), below))
    return fed, rows


def suggest_outside_tasks(workplaces: list[Workplace], max_share: float = 0.2) -> list[Suggestion]:
    """Outside-task hours for councils below the federation average (see module docstring)."""
    if not 0 < max_share <= 1:
        raise InputError(f"max_share must lie in (0, 1], not {max_share}")
    fed, rows = compare_workplaces(workplaces)
    suggestions = []
    for w, row in zip(workplaces, rows, strict=False):
        skills = [m.skills for m in w.members]
        for name in row.below:
            k = DIMENSIONS.index(name)
            a = float(workplace_average(w.tasks)[k])
            budget = max_share * w.hours
            outside = [
                (t, host.council)
                for host in workplaces
                if host is not w
                for t in host.tasks
                if (t.empowerment, t.desirability)[k] > fed[k] and any(t.skills <= s for s in skills)
            ]
            outside.sort(key=lambda pair: (-(pair[0].empowerment, pair[0].desirability)[k], pair[1], pair[0].name))
            current = a
            for t, host in outside:
                if current >= fed[k] - 1e-9 or budget <= 1e-9:
                    break
                r = (t.empowerment, t.desirability)[k]
                needed = w.hours * (fed[k] - current) / (r - a)
                h = min(needed, max_share * t.hours, budget)
                effect = h * (r - a) / w.hours
                suggestions.append(Suggestion(w.council, t.name, host, round(h, 6), name, round(effect, 6)))
                current += effect
                budget -= h
    return suggestions
