"""The composers: optimum equals brute force, every solution is valid, infeasible input refused."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsoc.errors import InputError
from parsoc.work.composer import compose_exact, compose_jobs
from parsoc.work.heuristic import compose_heuristic
from parsoc.work.job_complexes import violations
from parsoc.work.problem import Problem
from parsoc.work.synthetic import random_workplace
from parsoc.work.tasks import Member, Task

from .brute_force import brute_force_optimum


@st.composite
def tiny_workplaces(draw):
    n_tasks = draw(st.integers(2, 4))
    tasks = [
        Task(
            f"t{j}",
            float(draw(st.integers(1, 3))),
            float(draw(st.integers(1, 9))),
            float(draw(st.integers(1, 9))),
            frozenset({"a"}) if draw(st.booleans()) and j % 2 else frozenset(),
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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_workplaces())
def test_exact_equals_brute_force_optimum(workplace):
    tasks, members = workplace
    p = Problem.build(tasks, members, unit=1.0)
    expected = brute_force_optimum(p)
    if expected is None:
        with pytest.raises(InputError):
            compose_exact(tasks, members, unit=1.0, gap=1e-9)
        return
    jc = compose_exact(tasks, members, unit=1.0, gap=1e-9)
    assert violations(p, jc.hours) == []
    assert jc.optimal
    assert jc.largest_deviation == pytest.approx(expected, abs=1e-7)


def test_exact_equals_brute_force_on_a_hand_made_council():
    tasks = [
        Task("cook", 4, 3, 4),
        Task("plan", 4, 8, 6, frozenset({"acc"}), splittable=False),
        Task("clean", 4, 2, 2),
        Task("teach", 4, 7, 8),
    ]
    members = [Member("a", 8, frozenset({"acc"})), Member("b", 8)]
    p = Problem.build(tasks, members, unit=1.0)
    jc = compose_exact(tasks, members, unit=1.0, gap=1e-9)
    assert jc.largest_deviation == pytest.approx(brute_force_optimum(p), abs=1e-9)
    assert jc.jobs()["a"]["plan"] == 4


@pytest.mark.parametrize("method", ["exact", "heuristic", "greedy"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_solution_covers_tasks_and_respects_skills(method, seed):
    tasks, members = random_workplace(12, 40, seed)
    jc = compose_jobs(tasks, members, method=method, time_limit=10)
    p = jc.problem
    assert violations(p, jc.hours) == []
    np.testing.assert_allclose(jc.hours.sum(axis=0), p.task_hours)
    assert not ((jc.hours > 0) & ~p.eligible).any()


def test_heuristic_improves_on_greedy_and_exact_on_heuristic():
    tasks, members = random_workplace(20, 60, 7)
    greedy = compose_jobs(tasks, members, method="greedy")
    heuristic = compose_heuristic(tasks, members, time_limit=5)
    exact = compose_exact(tasks, members, time_limit=20)
    assert heuristic.largest_deviation < greedy.largest_deviation
    # proven within its tolerance of the optimum, so at most that far above any valid composition
    assert exact.optimal
    assert exact.largest_deviation <= heuristic.largest_deviation + exact.gap + 1e-9
    assert exact.bound <= exact.largest_deviation + 1e-9


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 8), st.integers(8, 25))
def test_heuristic_solutions_are_always_valid(seed, n_members, n_tasks):
    tasks, members = random_workplace(n_members, n_tasks, seed)
    try:
        jc = compose_heuristic(tasks, members, time_limit=1)
    except InputError:
        return  # packing tasks that cannot be split may be impossible; refused, not broken
    assert violations(jc.problem, jc.hours) == []


def test_more_task_hours_than_member_hours_is_refused():
    tasks = [Task("a", 10, 5, 5), Task("b", 12, 3, 3)]
    with pytest.raises(InputError, match="need 22 hours a week but the members work only 20"):
        compose_jobs(tasks, [Member("x", 20)])


def test_fewer_task_hours_than_member_hours_is_refused():
    with pytest.raises(InputError, match="list 5 more task-hours"):
        compose_jobs([Task("a", 15, 5, 5)], [Member("x", 20)])


def test_a_skill_nobody_has_is_refused():
    tasks = [Task("weld", 10, 5, 5, frozenset({"welding"})), Task("b", 10, 3, 3)]
    with pytest.raises(InputError, match="task 'weld' needs skill 'welding' that no member has"):
        compose_jobs(tasks, [Member("x", 10), Member("y", 10)])


def test_skills_nobody_has_together_are_refused():
    tasks = [Task("audit", 10, 5, 5, frozenset({"law", "tax"})), Task("b", 10, 3, 3)]
    members = [Member("x", 10, frozenset({"law"})), Member("y", 10, frozenset({"tax"}))]
    with pytest.raises(InputError, match="no single member has together"):
        compose_jobs(tasks, members)


def test_too_few_hours_of_a_skill_are_refused():
    tasks = [Task("drive", 15, 5, 5, frozenset({"driving"})), Task("b", 15, 3, 3)]
    members = [Member("x", 10, frozenset({"driving"})), Member("y", 20)]
    with pytest.raises(InputError, match="only 'x' can do 'drive': 15 hours a week, but they work 10"):
        compose_jobs(tasks, members)


def test_a_task_too_big_to_split_is_refused():
    tasks = [Task("run the shop", 25, 8, 5, splittable=False), Task("b", 15, 3, 3)]
    with pytest.raises(InputError, match="cannot be split and is bigger than the job"):
        compose_jobs(tasks, [Member("x", 20), Member("y", 20)])


def test_hours_that_cannot_be_packed_are_refused():
    tasks = [Task("a", 3, 8, 5, splittable=False), Task("b", 3, 3, 3, splittable=False)]
    with pytest.raises(InputError, match="cannot be packed exactly"):
        compose_exact([*tasks], [Member("x", 2), Member("y", 4)])


def test_splittable_hours_must_be_whole_units():
    with pytest.raises(InputError, match="cannot be split into pieces of 0.5 h"):
        compose_jobs([Task("a", 2.2, 5, 5)], [Member("x", 2.2)])


def test_last_periods_jobs_are_kept_when_they_are_still_best():
    tasks = [Task("a", 5, 9, 2), Task("b", 4, 1, 8), Task("c", 6, 5, 5, splittable=False), Task("d", 3, 7, 3), Task("e", 6, 2, 6)]
    members = [Member("x", 8), Member("y", 8), Member("z", 8)]
    first = compose_exact(tasks, members, unit=1.0, time_limit=20, gap=1e-9)
    assert first.optimal
    again = compose_exact(tasks, members, unit=1.0, time_limit=20, gap=1e-9, previous=first.jobs())
    assert again.largest_deviation <= first.largest_deviation + 1e-7
    assert again.hours_changed == pytest.approx(0.0, abs=1e-6)


def test_secondary_objective_moves_fewer_hours_than_ignoring_last_period():
    tasks = [Task("a", 4, 8, 5), Task("b", 4, 2, 5), Task("c", 4, 8, 5), Task("d", 4, 2, 5)]
    members = [Member("x", 8), Member("y", 8)]
    previous = {"x": {"a": 4, "b": 4}, "y": {"c": 4, "d": 4}}
    jc = compose_exact(tasks, members, unit=1.0, gap=1e-9, previous=previous)
    assert jc.largest_deviation == pytest.approx(0.0, abs=1e-9)
    assert jc.hours_changed == pytest.approx(0.0, abs=1e-9)
    assert jc.jobs() == {"x": {"a": 4.0, "b": 4.0}, "y": {"c": 4.0, "d": 4.0}}


def test_least_change_stays_within_the_tolerance_of_the_optimum():
    tasks = [Task("a", 5, 9, 2), Task("b", 4, 1, 8), Task("c", 6, 5, 5, splittable=False), Task("d", 3, 7, 3), Task("e", 6, 2, 6)]
    members = [Member("x", 8), Member("y", 8), Member("z", 8)]
    first = compose_exact(tasks, members, unit=1.0, gap=1e-9)
    jobs = first.jobs()
    rotated = {"x": jobs["y"], "y": jobs["z"], "z": jobs["x"]}  # equal hours: still a valid composition
    tolerance = 0.3
    again = compose_exact(tasks, members, unit=1.0, gap=tolerance, previous=rotated)
    assert violations(again.problem, again.hours) == []
    assert again.largest_deviation <= first.largest_deviation + tolerance + 1e-7
    assert again.hours_changed == pytest.approx(0.0, abs=1e-9)  # the rotated jobs are optimal too
    plain = compose_exact(tasks, members, unit=1.0, gap=tolerance)
    past = again.problem.previous_matrix(rotated)
    assert again.hours_changed <= float(np.abs(plain.hours - past).sum() / 2) + 1e-7
