"""Property tests (hypothesis) on random profiles and budgets.

* A Condorcet winner wins under Schulze, Copeland, minimax and ranked pairs.
* Every single-winner method agrees with pref_voting on random small profiles with ties.
* Equal Shares never spends more than the budget, nobody pays more than their equal share,
  and the payments for each funded project add up to its cost.
* PAV is optimal: no committee of the same size scores higher (checked by brute force).
* Reading back what the Pabulib writer wrote gives the same election.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from parsoc.choice import ApprovalProfile, RankedProfile, parse_pabulib, run_rule, tally, write_pabulib
from parsoc.choice.approval_committee import pav_score
from parsoc.choice.pairwise import condorcet_winner, margin_matrix

pytest.importorskip("pref_voting")


@st.composite
def weak_orders(draw, m):
    """A ballot as a rank row: each alternative a group position or m (unranked)."""
    return [draw(st.integers(0, m)) for _ in range(m)]


@st.composite
def ranked_profiles(draw, max_m=5, max_ballots=8):
    m = draw(st.integers(2, max_m))
    k = draw(st.integers(1, max_ballots))
    rows = [draw(weak_orders(m)) for _ in range(k)]
    assume(any(r < m for row in rows for r in row))
    counts = [draw(st.integers(1, 20)) for _ in range(k)]
    ranks = np.array(rows)
    # every ballot ranks someone
    assume(all((np.array(row) < m).any() for row in rows))
    return RankedProfile.from_rank_matrix(tuple(str(a + 1) for a in range(m)), ranks, np.array(counts))


@settings(max_examples=150, deadline=None)
@given(ranked_profiles())
def test_condorcet_winner_wins(profile):
    cw = condorcet_winner(margin_matrix(profile))
    assume(cw is not None)
    for method in ("schulze", "copeland", "minimax", "ranked-pairs"):
        outcome = tally(profile, method)
        assert outcome.winners == (profile.alternatives[cw],), method
        assert not outcome.tied


def _to_pref_voting(profile: RankedProfile):
    from pref_voting.profiles_with_ties import ProfileWithTies

    rankings = []
    for row in profile.ranks:
        rankings.append({int(a) + 1: int(r) + 1 for a, r in enumerate(row) if r < profile.num_alternatives})
    ref = ProfileWithTies(rankings, rcounts=[int(c) for c in profile.counts], candidates=list(range(1, profile.num_alternatives + 1)))
    ref.use_extended_strict_preference()
    return ref


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranked_profiles(max_m=4, max_ballots=6))
def test_random_profiles_match_pref_voting(profile):
    from pref_voting.c1_methods import copeland
    from pref_voting.iterative_methods import instant_runoff
    from pref_voting.margin_based_methods import beat_path, minimax, ranked_pairs

    ref = _to_pref_voting(profile)
    methods = [("irv", instant_runoff), ("copeland", copeland), ("minimax", minimax), ("schulze", beat_path)]
    margins = margin_matrix(profile)
    edges = [int(margins[a, b]) for a in range(len(margins)) for b in range(len(margins)) if a != b and margins[a, b] >= 0]
    if max(edges.count(x) for x in set(edges)) <= 4:  # pref_voting tries every order of equal edges
        methods.append(("ranked-pairs", ranked_pairs))
    for name, method in methods:
        assert sorted(tally(profile, name).winners) == sorted(str(c) for c in method(ref)), name


@st.composite
def approval_elections(draw):
    m = draw(st.integers(1, 7))
    n = draw(st.integers(1, 15))
    costs = [draw(st.integers(1, 50)) for _ in range(m)]
    budget = draw(st.integers(1, sum(costs) + 10))
    lines = ["META", "key;value", f"budget;{budget}", "vote_type;approval", "PROJECTS", "project_id;cost"]
    lines += [f"{i};{c}" for i, c in enumerate(costs)]
    lines += ["VOTES", "voter_id;vote"]
    for v in range(n):
        ballot = draw(st.sets(st.integers(0, m - 1), max_size=m))
        lines.append(f"v{v};" + ",".join(str(i) for i in sorted(ballot)))
    return parse_pabulib("\n".join(lines) + "\n")


@settings(max_examples=150, deadline=None)
@given(approval_elections(), st.sampled_from(["cost", "cardinality"]), st.sampled_from(["none", "add1"]))
def test_equal_shares_respects_budget_and_shares(election, satisfaction, completion):
    outcome = run_rule(election, "equal-shares", satisfaction, completion)
    assert outcome.cost <= election.budget
    share = float(election.budget) / election.num_voters
    if completion == "add1":
        share = outcome.details["money_per_voter"]
    index = {p: i for i, p in enumerate(election.projects)}
    paid_by: dict[str, float] = {}
    for project, payments in outcome.payments.items():
        assert sum(payments.values()) == pytest.approx(float(election.costs[index[project]]), rel=1e-9)
        for voter, amount in payments.items():
            assert amount >= 0
            paid_by[voter] = paid_by.get(voter, 0.0) + amount
            assert project in {election.projects[p] for p in election.ballots[election.voters.index(voter)]}
    assert all(total <= share * (1 + 1e-9) for total in paid_by.values())


@settings(max_examples=80, deadline=None)
@given(approval_elections(), st.sampled_from(["greedy", "equal-shares", "phragmen"]))
def test_every_rule_stays_within_budget(election, rule):
    outcome = run_rule(election, rule)
    index = {p: i for i, p in enumerate(election.projects)}
    assert outcome.cost == sum((election.costs[index[p]] for p in outcome.selected), Fraction(0))
    assert outcome.cost <= election.budget
    assert len(set(outcome.selected)) == len(outcome.selected)


@st.composite
def unit_approval_profiles(draw, max_ballots=10):
    """Small approval profiles, one voter per ballot (so PAV ties often), and a committee size."""
    m = draw(st.integers(2, 6))
    rows = draw(st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=1, max_size=max_ballots))
    profile = ApprovalProfile(tuple(str(a) for a in range(m)), np.array(rows, dtype=bool), np.ones(len(rows), dtype=np.int64))
    return profile, draw(st.integers(1, m))


@settings(max_examples=100, deadline=None)
@given(unit_approval_profiles())
def test_pav_is_optimal(args):
    profile, seats = args
    m = len(profile.alternatives)
    outcome = tally(profile, "pav", seats)
    chosen = [int(a) for a in outcome.winners]
    best = max(pav_score(profile, c) for c in combinations(range(m), seats))
    assert pav_score(profile, chosen) == pytest.approx(best)
    optimal = [c for c in combinations(range(m), seats) if pav_score(profile, c) >= best - 1e-9]
    assert outcome.tied == (len(optimal) > 1)
    assert tuple(chosen) == optimal[0]


def test_pav_mip_agrees_with_enumeration(monkeypatch):
    import parsoc.choice.approval_committee as committee

    rng = np.random.default_rng(7)
    for _ in range(10):
        m = int(rng.integers(3, 8))
        rows = rng.random((20, m)) < 0.4
        profile = ApprovalProfile(tuple(str(a) for a in range(m)), rows, rng.integers(1, 5, 20))
        seats = int(rng.integers(1, m))
        exact = tally(profile, "pav", seats)
        monkeypatch.setattr(committee, "ENUMERATION_LIMIT", 0)
        by_mip = tally(profile, "pav", seats)
        monkeypatch.undo()
        assert by_mip.scores["pav_score"] == pytest.approx(exact.scores["pav_score"])
        assert by_mip.tied == exact.tied
        assert by_mip.winners == exact.winners


@settings(max_examples=60, deadline=None)
@given(unit_approval_profiles(max_ballots=8))
def test_pav_mip_names_the_first_optimal_committee_in_file_order(args):
    """Small unit-count profiles tie often; the MIP must settle them as the enumeration does."""
    import parsoc.choice.approval_committee as committee

    profile, seats = args
    m = len(profile.alternatives)
    chosen, tied, value = committee._pav_by_mip(profile, seats)
    best = max(pav_score(profile, c) for c in combinations(range(m), seats))
    optimal = [c for c in combinations(range(m), seats) if pav_score(profile, c) >= best - 1e-9]
    assert value == pytest.approx(best)
    assert tied == (len(optimal) > 1)
    assert tuple(chosen) == optimal[0]


@settings(max_examples=50, deadline=None)
@given(approval_elections())
def test_pabulib_round_trip(election):
    again = parse_pabulib(write_pabulib(election))
    assert again.projects == election.projects
    assert again.costs == election.costs
    assert again.budget == election.budget
    assert again.ballots == election.ballots
    assert again.voters == election.voters
