"""Job complexes: the result of a composition, and the rules every result must satisfy.

A *job complex* is the bundle of task-hours one member does each week. A composition is
*valid* when it covers every task's hours exactly, fills every member's hours exactly, gives
nobody a task they lack a skill for, gives each task that cannot be split to one person whole,
and divides splittable tasks only into whole multiples of the unit.

Its *balance* is the largest deviation, over all jobs and over both ratings, of a job's
hours-weighted average empowerment or desirability from the workplace average.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from parsoc.work.problem import Problem
from parsoc.work.tasks import units_in

TOLERANCE = 1e-6


@dataclass
class JobComplexes:
    problem: Problem
    hours: np.ndarray  # (M, T) hours of each task in each job
    method: str  # "exact", "heuristic" or "greedy"
    optimal: bool = False  # proven optimal (within `gap`)
    bound: float = 0.0  # proven lower bound on the largest deviation
    gap: float = 0.0  # absolute optimality tolerance the exact solver ran with
    seconds: float = 0.0
    hours_changed: float | None = None  # against last period's jobs, when given
    notes: list[str] = field(default_factory=list)

    @property
    def average(self) -> np.ndarray:
        return self.problem.average

    @property
    def job_averages(self) -> np.ndarray:
        """(M, 2): each job's hours-weighted average empowerment and desirability."""
        p = self.problem
        return (self.hours @ p.ratings) / p.member_hours[:, None]

    @property
    def deviations(self) -> np.ndarray:
        return self.problem.deviations(self.hours)

    @property
    def largest_deviation(self) -> float:
        return float(self.deviations.max())

    def jobs(self) -> dict[str, dict[str, float]]:
        """Member name -> {task name: hours per week}."""
        p = self.problem
        out: dict[str, dict[str, float]] = {}
        for i, m in enumerate(p.members):
            cols = np.flatnonzero(self.hours[i] > TOLERANCE)
            out[m.name] = {p.tasks[j].name: round(float(self.hours[i, j]), 6) for j in cols}
        return out

    def to_dict(self) -> dict[str, Any]:
        p = self.problem
        averages = self.job_averages
        devs = self.deviations
        return {
            "method": self.method,
            "optimal": self.optimal,
            "largest_deviation": round(self.largest_deviation, 6),
            "lower_bound": round(self.bound, 6),
            "gap": self.gap,
            "seconds": round(self.seconds, 3),
            "hours_changed": None if self.hours_changed is None else round(self.hours_changed, 6),
            "workplace_average": {
                "empowerment": round(float(p.average[0]), 6),
                "desirability": round(float(p.average[1]), 6),
            },
            "jobs": [
                {
                    "member": m.name,
                    "hours": m.hours,
                    "empowerment": round(float(averages[i, 0]), 6),
                    "desirability": round(float(averages[i, 1]), 6),
                    "deviation": round(float(devs[i]), 6),
                    "tasks": self.jobs()[m.name],
                }
                for i, m in enumerate(p.members)
            ],
            "notes": list(self.notes),
        }


def hours_changed(hours: np.ndarray, previous: np.ndarray | None) -> float | None:
    """Hours of work that moved between people: half the total absolute change."""
    if previous is None:
        return None
    return float(np.abs(hours - previous).sum() / 2)


def violations(problem: Problem, hours: np.ndarray) -> list[str]:
    """Every way ``hours`` breaks the rules of a valid composition (empty when valid)."""
    p = problem
    found: list[str] = []
    if (hours < -TOLERANCE).any():
        found.append("negative hours")
    covered = hours.sum(axis=0)
    for j in np.flatnonzero(np.abs(covered - p.task_hours) > TOLERANCE):
        found.append(f"task {p.tasks[j].name!r}: {covered[j]:g} of {p.task_hours[j]:g} hours covered")
    worked = hours.sum(axis=1)
    for i in np.flatnonzero(np.abs(worked - p.member_hours) > TOLERANCE):
        found.append(f"member {p.members[i].name!r}: works {worked[i]:g} of {p.member_hours[i]:g} hours")
    for i, j in np.argwhere((hours > TOLERANCE) & ~p.eligible):
        found.append(f"member {p.members[i].name!r} lacks a skill for task {p.tasks[j].name!r}")
    for j, task in enumerate(p.tasks):
        holders = np.flatnonzero(hours[:, j] > TOLERANCE)
        if not task.splittable and len(holders) > 1:
            found.append(f"task {task.name!r} cannot be split but is shared by {len(holders)} people")
        if task.splittable:
            for i in holders:
                if units_in(hours[i, j], p.unit) is None:
                    found.append(f"task {task.name!r}: a piece of {hours[i, j]:g} h is not whole units")
    return found
