"""Random workplaces for tests and benchmarks (seeded, reproducible).

Members work 20 to 40 hours a week in whole hours; the task-hours add up exactly to the
members' hours; ratings lie on a 1–10 scale with one decimal; about a fifth of the tasks
cannot be split (they are at most 8 hours); some tasks need one of a few skills that about a
third of the members have.
"""

from __future__ import annotations

import numpy as np

from parsoc.work.tasks import Member, Task


def random_workplace(
    n_members: int,
    n_tasks: int,
    seed: int = 0,
    *,
    n_skills: int = 4,
    skilled_share: float = 0.2,
    whole_share: float = 0.2,
) -> tuple[list[Task], list[Member]]:
    rng = np.random.default_rng(seed)
    skills = [f"skill{k}" for k in range(n_skills)]
    member_hours = rng.choice([20, 25, 30, 35, 40], size=n_members)
    have = rng.random((n_members, n_skills)) < 0.35
    have[rng.integers(n_members, size=n_skills), np.arange(n_skills)] = True
    members = [
        Member(f"m{i:03d}", float(member_hours[i]), frozenset(s for k, s in enumerate(skills) if have[i, k]))
        for i in range(n_members)
    ]
    total = int(member_hours.sum())
    if n_tasks > total:
        raise ValueError("more tasks than hours")
    shares = rng.dirichlet(np.ones(n_tasks)) * (total - n_tasks)
    hours = np.floor(shares).astype(int) + 1
    for k in rng.choice(n_tasks, size=total - hours.sum(), replace=True):
        hours[k] += 1
    whole = (rng.random(n_tasks) < whole_share) & (hours <= 8)
    needs = rng.random(n_tasks) < skilled_share
    ratings = np.round(rng.uniform(1, 10, size=(n_tasks, 2)), 1)
    tasks = [
        Task(
            f"t{j:04d}",
            float(hours[j]),
            float(ratings[j, 0]),
            float(ratings[j, 1]),
            frozenset({skills[rng.integers(n_skills)]}) if needs[j] and n_skills else frozenset(),
            not whole[j],
        )
        for j in range(n_tasks)
    ]
    return tasks, members
