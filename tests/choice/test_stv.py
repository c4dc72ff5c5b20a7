"""STV against pref_voting's ``stv_wig(..., quota_rule="droop")`` on random profiles.

Both ways of keeping the count (each ballot's place, for ballots that tie only in their last
group; the matrix of who holds what, for any ballot) are checked, on profiles with ties inside
ballots, ties in the last group only, truncated ballots, ballots ranking nobody, and equal counts
(ties between tallies); the two must also give the same rounds (up to rounding of the tallies).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from parsoc.choice import RankedProfile, tally
from parsoc.choice import stv

pytest.importorskip("pref_voting")


@st.composite
def profiles(draw, max_m=7, max_ballots=12):
    m = draw(st.integers(1, max_m))
    k = draw(st.integers(1, max_ballots))
    shape = draw(st.sampled_from(["strict", "tied last", "toc", "any"]))
    rows = []
    for _ in range(k):
        if shape != "any":
            length = draw(st.integers(0, m))
            order = draw(st.permutations(range(m)))
            row = [m] * m
            for position, a in enumerate(order[:length]):
                row[a] = position
            if shape == "toc":
                # every ballot complete, the unranked alternatives tied at the bottom (.toc)
                row = [length if r == m else r for r in row]
            elif shape == "tied last" and length < m and draw(st.booleans()):
                # unranked alternatives tied at the bottom: all of them, as PrefLib's .toc
                # files do, or some
                bottom = set(order[length:]) if draw(st.booleans()) else set(draw(st.permutations(order[length:]))[: draw(st.integers(1, m - length))])
                row = [length if a in bottom else r for a, r in enumerate(row)]
        else:
            row = [draw(st.integers(0, m)) for _ in range(m)]
        rows.append(row)
    assume(any(r < m for row in rows for r in row))
    counts = [draw(st.sampled_from([1, 2, 3, 5, 10, draw(st.integers(1, 60))])) for _ in range(k)]
    return RankedProfile.from_rank_matrix(tuple(str(a + 1) for a in range(m)), np.array(rows), np.array(counts))


def _to_pref_voting(profile: RankedProfile):
    from pref_voting.profiles_with_ties import ProfileWithTies

    m = profile.num_alternatives
    rankings = [{int(a) + 1: int(r) + 1 for a, r in enumerate(row) if r < m} for row in profile.ranks]
    ref = ProfileWithTies(rankings, rcounts=[int(c) for c in profile.counts], candidates=list(range(1, m + 1)))
    ref.use_extended_strict_preference()
    return ref


def _same_rounds(a, b):
    assert len(a.rounds) == len(b.rounds)
    for x, y in zip(a.rounds, b.rounds):
        assert x.keys() == y.keys()
        assert x["tallies"].keys() == y["tallies"].keys()
        for name in x["tallies"]:
            assert x["tallies"][name] == pytest.approx(y["tallies"][name], abs=1e-5)
        assert sorted(x.get("elected", [])) == sorted(y.get("elected", [])) and x.get("excluded") == y.get("excluded")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(), st.integers(1, 7))
def test_stv_matches_stv_wig_droop(profile, seats):
    from pref_voting.proportional_methods import stv_wig

    assume(seats <= profile.num_alternatives)
    expected = sorted(str(c) for c in stv_wig(_to_pref_voting(profile), num_seats=seats, quota_rule="droop"))
    matrix = stv._count(profile, seats, stv._Pile(profile))
    assert sorted(matrix.winners) == expected
    places = stv._Places.of(profile)
    if places is not None:
        counted = stv._count(profile, seats, places)
        assert sorted(counted.winners) == expected
        # the same set; the order of alternatives elected together may differ when their tallies
        # are equal but for rounding (the two ways add the same parts in different orders)
        assert counted.tied == matrix.tied
        _same_rounds(counted, matrix)
    assert sorted(tally(profile, "stv", seats).winners) == expected


def test_places_only_for_ballots_tied_in_their_last_group():
    alternatives = ("a", "b", "c", "d")
    strict = RankedProfile.from_rank_matrix(alternatives, np.array([[0, 1, 4, 4], [1, 0, 2, 4]]))
    bottom = RankedProfile.from_rank_matrix(alternatives, np.array([[0, 1, 2, 2], [1, 1, 0, 4]]))
    middle = RankedProfile.from_rank_matrix(alternatives, np.array([[0, 1, 1, 2]]))
    assert stv._Places.of(strict) is not None
    assert stv._Places.of(bottom) is not None
    assert stv._Places.of(middle) is None
    assert stv.single_transferable_vote(middle, 2).winners == ("a", "b")


def test_a_last_group_splits_over_the_members_continuing_when_the_ballot_arrives():
    # 10 voters: a, then {b, c, d} tied; 4 voters: b; 3: c; 2: d; 1: e.  Quota for 3 seats: 6.
    # a is elected with 10 (surplus 4, fraction 0.4): its ballots arrive at {b, c, d}, each
    # getting 4/3. Then e, d are excluded in turn; d's part of the tied ballots is exhausted,
    # not passed to b or c (they are in the same group).
    alternatives = ("a", "b", "c", "d", "e")
    ranks = np.array([[0, 1, 1, 1, 5], [5, 0, 5, 5, 5], [5, 5, 0, 5, 5], [5, 5, 5, 0, 5], [5, 5, 5, 5, 0]])
    profile = RankedProfile.from_rank_matrix(alternatives, ranks, np.array([10, 4, 3, 2, 1]))
    for pile in (stv._Places.of(profile), stv._Pile(profile)):
        counted = stv._count(profile, 3, pile)
        second = counted.rounds[1]["tallies"]
        assert second == {"b": pytest.approx(4 + 4 / 3), "c": pytest.approx(3 + 4 / 3), "d": pytest.approx(2 + 4 / 3), "e": 1}
        assert counted.rounds[2]["tallies"]["b"] == pytest.approx(4 + 4 / 3)
        assert counted.winners == ("a", "b", "c")
