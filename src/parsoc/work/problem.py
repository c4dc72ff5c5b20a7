"""The composition problem in array form, shared by the exact solver and the heuristics.

Rows are members, columns are tasks. ``eligible[m, t]`` says member *m* has every skill task
*t* needs. ``offsets[t]`` is the task's ratings minus the workplace average, so the sum of
``hours[m, t] * offsets[t]`` over a job is that job's *imbalance* (hours times deviation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parsoc.work.tasks import DEFAULT_UNIT, Member, Task, validate


def workplace_average(tasks: list[Task]) -> np.ndarray:
    """Hours-weighted average (empowerment, desirability) over all the council's tasks."""
    hours = np.array([t.hours for t in tasks], dtype=float)
    ratings = np.array([[t.empowerment, t.desirability] for t in tasks], dtype=float)
    return hours @ ratings / hours.sum()


@dataclass
class Problem:
    tasks: list[Task]
    members: list[Member]
    unit: float
    task_hours: np.ndarray  # (T,)
    member_hours: np.ndarray  # (M,)
    ratings: np.ndarray  # (T, 2) empowerment, desirability
    average: np.ndarray  # (2,)
    offsets: np.ndarray  # (T, 2) ratings - average
    eligible: np.ndarray  # (M, T) bool
    splittable: np.ndarray  # (T,) bool

    @classmethod
    def build(
        cls,
        tasks: list[Task],
        members: list[Member],
        unit: float = DEFAULT_UNIT,
        average: np.ndarray | None = None,
    ) -> Problem:
        """Validate and index the input; ``average`` overrides the workplace average (for
        re-balancing a few jobs of a larger workplace against the whole workplace's average)."""
        validate(tasks, members, unit)
        ratings = np.array([[t.empowerment, t.desirability] for t in tasks], dtype=float)
        average = workplace_average(tasks) if average is None else np.asarray(average, dtype=float)
        eligible = np.array([[t.skills <= m.skills for t in tasks] for m in members], dtype=bool)
        return cls(
            tasks=list(tasks),
            members=list(members),
            unit=unit,
            task_hours=np.array([t.hours for t in tasks], dtype=float),
            member_hours=np.array([m.hours for m in members], dtype=float),
            ratings=ratings,
            average=average,
            offsets=ratings - average,
            eligible=eligible,
            splittable=np.array([t.splittable for t in tasks], dtype=bool),
        )

    def deviations(self, hours: np.ndarray) -> np.ndarray:
        """Each job's largest deviation (over both ratings) of its hours-weighted average."""
        imbalance = hours @ self.offsets  # (M, 2)
        return np.abs(imbalance).max(axis=1) / self.member_hours

    def previous_matrix(self, previous: dict[str, dict[str, float]] | None) -> np.ndarray | None:
        """Last period's jobs as an (M, T) matrix of hours; unknown names are ignored."""
        if not previous:
            return None
        m_index = {m.name: i for i, m in enumerate(self.members)}
        t_index = {t.name: j for j, t in enumerate(self.tasks)}
        matrix = np.zeros((len(self.members), len(self.tasks)))
        for member, job in previous.items():
            for task, h in job.items():
                if member in m_index and task in t_index:
                    matrix[m_index[member], t_index[task]] += h
        return matrix
