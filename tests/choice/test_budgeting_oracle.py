"""Budgeting rules against pabutools on every Pabulib file in tests/data (copied from ../shared/data).

pabutools parses each file itself and runs its own rules with the same settings: lexicographic
tie-breaking (pabutools' default), cost or cardinality satisfaction, exact (gmpy2) arithmetic.
Greedy by votes is pabutools' greedy utilitarian welfare with a satisfaction whose welfare per
unit of cost is the project's votes. Sequential Phragmén sees every ballot as the approval of
the projects it names (pabutools returns its Phragmén outcome sorted by id, so the funded sets
are compared). pabutools' Equal Shares on Budapest takes seconds per call, so the
largest file is checked with Equal Shares (cost satisfaction) and greedy (marked slow; Equal Shares
with cardinality and Phragmén on it are compared in bench/choice_speed.py); completion by "add one" is checked
on the files where pabutools needs few reruns and on random small elections.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsoc.choice import parse_pabulib, read_pabulib, run_rule
from tests.choice.conftest import PABULIB_FILES, file_id

pabutools = pytest.importorskip("pabutools")
from pabutools.election import (  # noqa: E402
    AdditiveSatisfaction,
    ApprovalBallot,
    ApprovalProfile,
    Cardinality_Sat,
    CumulativeProfile,
    Cost_Sat,
    parse_pabulib as pb_parse,
)
from pabutools.election.pabulib import parse_pabulib_from_string  # noqa: E402
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares, sequential_phragmen  # noqa: E402

SATISFACTION = {"cost": Cost_Sat, "cardinality": Cardinality_Sat}
SMALL = [p for p in PABULIB_FILES if "Budapest" not in p.name]
BIG = [p for p in PABULIB_FILES if "Budapest" in p.name]
FEW_RERUNS = [p for p in PABULIB_FILES if any(k in p.name for k in ("Gdansk", "Zabrze", "Katowice", "Aleksandrow",
                                                                     "Bienczyce", "35th_Ward", "Amsterdam"))]


def _votes_times_cost(instance, profile, ballot, project, precomputed):
    """Satisfaction whose total per unit of cost is the project's votes (points if cumulative)."""
    if project not in ballot:
        return 0
    weight = ballot[project] if isinstance(profile, CumulativeProfile) else 1
    return weight * project.cost


class VotesSat(AdditiveSatisfaction):
    def __init__(self, instance, profile, ballot):
        super().__init__(instance, profile, ballot, _votes_times_cost)


def _as_approval(profile):
    if isinstance(profile, ApprovalProfile):
        return profile
    return ApprovalProfile([ApprovalBallot(set(b)) for b in profile])


def _names(allocation):
    return [p.name for p in allocation]


def test_the_data_is_there(shared_data):
    assert len(PABULIB_FILES) >= 16


@functools.lru_cache(maxsize=2)
def _reference(path):
    return pb_parse(str(path))


@pytest.mark.parametrize("path", PABULIB_FILES, ids=file_id)
def test_reader_agrees_with_pabutools(shared_data, path):
    ours = read_pabulib(path)
    instance, profile = _reference(path)
    assert ours.budget == Fraction(str(instance.budget_limit))
    costs = {p.name: Fraction(str(p.cost)) for p in instance}
    assert dict(zip(ours.projects, ours.costs)) == costs
    assert len(ours.ballots) == len(profile)
    for ballot, ref in zip(ours.ballots, profile):
        assert {ours.projects[p] for p in ballot} == {p.name for p in ref}
    if ours.vote_type == "ordinal":
        for ballot, ref in zip(ours.ballots, profile):
            assert [ours.projects[p] for p in ballot] == [p.name for p in ref]


@pytest.mark.parametrize("path", SMALL, ids=file_id)
def test_greedy_equal_shares_phragmen_match_pabutools(shared_data, path):
    election = read_pabulib(path)
    instance, profile = pb_parse(str(path))
    for satisfaction, sat_class in SATISFACTION.items():
        expected = _names(method_of_equal_shares(instance, profile, sat_class=sat_class))
        assert list(run_rule(election, "equal-shares", satisfaction).selected) == expected, satisfaction
    expected = _names(greedy_utilitarian_welfare(instance, profile, sat_class=VotesSat))
    assert list(run_rule(election, "greedy").selected) == expected
    expected = _names(sequential_phragmen(instance, _as_approval(profile)))  # pabutools sorts it
    assert sorted(run_rule(election, "phragmen").selected) == expected


@pytest.mark.slow
@pytest.mark.parametrize("path", BIG, ids=file_id)
def test_largest_file_matches_pabutools(shared_data, path):
    election = read_pabulib(path)
    instance, profile = _reference(path)
    expected = _names(method_of_equal_shares(instance, profile, sat_class=Cost_Sat))
    assert list(run_rule(election, "equal-shares", "cost").selected) == expected
    expected = _names(greedy_utilitarian_welfare(instance, profile, sat_class=VotesSat))
    assert list(run_rule(election, "greedy").selected) == expected


@pytest.mark.parametrize("path", FEW_RERUNS, ids=file_id)
def test_add_one_completion_matches_pabutools(shared_data, path):
    election = read_pabulib(path)
    instance, profile = pb_parse(str(path))
    for satisfaction, sat_class in SATISFACTION.items():
        expected = _names(method_of_equal_shares(instance, profile, sat_class=sat_class, voter_budget_increment=1))
        assert list(run_rule(election, "equal-shares", satisfaction, "add1").selected) == expected, satisfaction


@st.composite
def small_elections(draw):
    """A random approval election as .pb text: a few projects, voters, a budget."""
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 12))
    costs = [draw(st.integers(1, 40)) for _ in range(m)]
    budget = draw(st.integers(1, sum(costs)))
    lines = ["META", "key;value", f"budget;{budget}", "vote_type;approval", "PROJECTS", "project_id;cost"]
    lines += [f"p{i};{c}" for i, c in enumerate(costs)]
    lines += ["VOTES", "voter_id;vote"]
    for v in range(n):
        ballot = draw(st.sets(st.integers(0, m - 1), min_size=1, max_size=m))
        lines.append(f"{v};" + ",".join(f"p{i}" for i in sorted(ballot)))
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=small_elections(), satisfaction=st.sampled_from(["cost", "cardinality"]), completion=st.sampled_from(["none", "add1"]))
def test_random_elections_match_pabutools(text, satisfaction, completion):
    election = parse_pabulib(text)
    instance, profile = parse_pabulib_from_string(text)
    increment = 1 if completion == "add1" else None
    expected = _names(method_of_equal_shares(instance, profile, sat_class=SATISFACTION[satisfaction],
                                             voter_budget_increment=increment))
    assert list(run_rule(election, "equal-shares", satisfaction, completion).selected) == expected
    assert sorted(run_rule(election, "phragmen").selected) == _names(sequential_phragmen(instance, profile))
    assert list(run_rule(election, "greedy").selected) == _names(
        greedy_utilitarian_welfare(instance, profile, sat_class=VotesSat)
    )
