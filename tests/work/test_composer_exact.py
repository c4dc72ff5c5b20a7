"""The exact composer on its own: HiGHS without the heuristic's first solution, against brute force.

``compose_exact`` normally starts HiGHS from the heuristic's composition and keeps it when it is
better than what HiGHS returns, so a broken model (a balance row left out) is hidden whenever
the heuristic already found the optimum. Here ``start=None``: the answer and the proven lower
bound are HiGHS's alone, and both are checked against an exhaustive enumeration of every
composition of tiny workplaces, with the deviations recomputed here from the tasks' ratings
(not from ``Problem.deviations``).

A composition is valid when every task is covered exactly, every member works exactly their
hours, nobody does a task they lack a skill for, and a task that cannot be split goes whole
to one member. For each member and each rating (empowerment, desirability) the balance
constraint says the job's hours-weighted average lies within ``D`` of the workplace average.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parsoc.errors import InputError
from parsoc.work.composer import compose_exact, solve_milp
from parsoc.work.problem import Problem
from parsoc.work.tasks import Member, Task

GAP = 1e-9
BOUND_TOL = 1e-5  # HiGHS's dual bound carries its feasibility tolerance (about 1e-6)
RATINGS = ("empowerment", "desirability")


def averages(tasks: list[Task]) -> dict[str, float]:
    total = sum(t.hours for t in tasks)
    return {r: sum(t.hours * getattr(t, r) for t in tasks) / total for r in RATINGS}


def job_deviations(tasks, members, hours) -> list[dict[str, float]]:
    """For each member, how far their job's average of each rating is from the workplace's."""
    avg = averages(tasks)
    return [
        {r: abs(sum(hours[i][j] * getattr(t, r) for j, t in enumerate(tasks)) / m.hours - avg[r]) for r in RATINGS}
        for i, m in enumerate(members)
    ]


def valid_compositions(tasks: list[Task], members: list[Member]):
    """Every valid (members x tasks) hours matrix, unit 1 hour, enumerated."""
    per_task = []
    for t in tasks:
        who = [i for i, m in enumerate(members) if t.skills <= m.skills]
        if t.splittable:
            n = int(t.hours)
            per_task.append([
                split for split in itertools.product(range(n + 1), repeat=len(members))
                if sum(split) == n and all(k == 0 or i in who for i, k in enumerate(split))
            ])
        else:
            per_task.append([tuple(t.hours if i == w else 0 for i in range(len(members))) for w in who])
    for choice in itertools.product(*per_task):
        hours = [[choice[j][i] for j in range(len(tasks))] for i in range(len(members))]
        if all(sum(row) == m.hours for row, m in zip(hours, members, strict=True)):
            yield hours


def brute_force(tasks, members) -> float | None:
    best = None
    for hours in valid_compositions(tasks, members):
        worst = max(max(d.values()) for d in job_deviations(tasks, members, hours))
        best = worst if best is None else min(best, worst)
    return best


def assert_valid(tasks, members, hours):
    hours = np.asarray(hours)
    assert hours.shape == (len(members), len(tasks))
    assert (hours >= -1e-9).all()
    np.testing.assert_allclose(hours.sum(axis=0), [t.hours for t in tasks], err_msg="a task not covered exactly")
    np.testing.assert_allclose(hours.sum(axis=1), [m.hours for m in members], err_msg="a member's hours not filled")
    for j, t in enumerate(tasks):
        for i, m in enumerate(members):
            if hours[i, j] > 1e-9:
                assert t.skills <= m.skills, f"{m.name} given {t.name} without its skills"
                if not t.splittable:
                    assert hours[i, j] == pytest.approx(t.hours), f"{t.name} split though it cannot be"
        np.testing.assert_allclose(hours[:, j], np.round(hours[:, j]), err_msg="hours not whole units")


def check_exact(tasks, members):
    expected = brute_force(tasks, members)
    if expected is None:
        with pytest.raises(InputError):
            compose_exact(tasks, members, unit=1.0, gap=GAP, start=None)
        return
    jc = compose_exact(tasks, members, unit=1.0, gap=GAP, start=None)
    assert_valid(tasks, members, jc.hours)
    deviations = job_deviations(tasks, members, jc.hours.tolist())
    largest = max(max(d.values()) for d in deviations)
    # each balance constraint, for each member and each rating: within D of the average
    for member, d in zip(members, deviations, strict=True):
        for r in RATINGS:
            assert d[r] <= jc.largest_deviation + 1e-7, f"{member.name}'s {r} is {d[r]} off, D = {jc.largest_deviation}"
    assert jc.largest_deviation == pytest.approx(largest, abs=1e-9)
    assert jc.optimal
    assert largest == pytest.approx(expected, abs=1e-7), "HiGHS's composition is not the optimum"
    # the proven bound is a bound: never above the true optimum, and (proven optimal) not
    # below it by more than the gap and HiGHS's own feasibility tolerance
    assert expected - BOUND_TOL <= jc.bound + GAP <= expected + BOUND_TOL + GAP


@st.composite
def tiny_workplaces(draw):
    n_tasks = draw(st.integers(2, 4))
    tasks = [
        Task(
            f"t{j}",
            float(draw(st.integers(1, 3))),
            float(draw(st.integers(1, 9))),
            float(draw(st.integers(1, 9))),
            frozenset({"a"}) if j % 2 and draw(st.booleans()) else frozenset(),
            draw(st.booleans()),
        )
        for j in range(n_tasks)
    ]
    total = int(sum(t.hours for t in tasks))
    n_members = draw(st.integers(2, min(3, total)))
    cuts = sorted(draw(st.lists(st.integers(1, total - 1), min_size=n_members - 1, max_size=n_members - 1, unique=True)))
    bounds = [0, *cuts, total]
    members = [
        Member(f"m{i}", float(bounds[i + 1] - bounds[i]), frozenset({"a"}) if draw(st.booleans()) else frozenset())
        for i in range(n_members)
    ]
    return tasks, members


# Hand-made instances where each half of each balance row decides the optimum.
ONLY_EMPOWERMENT_VARIES = (
    [Task("hi", 2, 9, 5), Task("lo", 2, 1, 5), Task("mid", 2, 5, 5, splittable=False)],
    [Member("a", 3), Member("b", 3)],
)
ONLY_DESIRABILITY_VARIES = (
    [Task("hi", 2, 5, 9), Task("lo", 2, 5, 1), Task("mid", 2, 5, 5, splittable=False)],
    [Member("a", 3), Member("b", 3)],
)
SKILLS_FORCE_IMBALANCE = (
    [Task("plan", 2, 8, 2, frozenset({"acc"}), splittable=False), Task("cook", 2, 3, 7), Task("clean", 2, 2, 3)],
    [Member("a", 2, frozenset({"acc"})), Member("b", 2), Member("c", 2)],
)
# Only member a can do the dull task: a's job is below the average (the lower half of the row
# decides D = 8/3), b's and c's only 4/3 above it.
DULL_TASK_FORCED = (
    [Task("sort", 2, 1, 5, frozenset({"x"}), splittable=False), Task("cook", 4, 5, 5)],
    [Member("a", 2, frozenset({"x"})), Member("b", 2), Member("c", 2)],
)
HAND_MADE = [ONLY_EMPOWERMENT_VARIES, ONLY_DESIRABILITY_VARIES, SKILLS_FORCE_IMBALANCE, DULL_TASK_FORCED]
HAND_MADE_IDS = ["empowerment", "desirability", "skills", "dull task"]


@pytest.mark.parametrize("workplace", HAND_MADE, ids=HAND_MADE_IDS)
def test_exact_without_start_matches_brute_force_on_hand_made_workplaces(workplace):
    check_exact(*workplace)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_workplaces())
@example(ONLY_EMPOWERMENT_VARIES)
@example(ONLY_DESIRABILITY_VARIES)
@example(SKILLS_FORCE_IMBALANCE)
@example(DULL_TASK_FORCED)
def test_exact_without_start_matches_brute_force(workplace):
    check_exact(*workplace)


@pytest.mark.parametrize("workplace", HAND_MADE, ids=HAND_MADE_IDS)
def test_solve_milp_alone_returns_a_valid_optimal_composition(workplace):
    """The model itself (no heuristic anywhere): status, validity, optimum and bound."""
    tasks, members = workplace
    p = Problem.build(tasks, members, unit=1.0)
    hours, optimal, bound, status = solve_milp(p, time_limit=30, gap=GAP, start=None)
    assert status == "optimal" and optimal
    assert_valid(tasks, members, hours)
    expected = brute_force(tasks, members)
    largest = max(max(d.values()) for d in job_deviations(tasks, members, hours.tolist()))
    assert largest == pytest.approx(expected, abs=1e-7)
    assert bound == pytest.approx(expected, abs=BOUND_TOL)
