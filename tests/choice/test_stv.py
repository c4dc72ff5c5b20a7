"""STV against pref_voting's ``stv_wig(..., quota_rule="droop")`` on random profiles.

Both ways of keeping the count (plain Python lists for few distinct ballots, the NumPy matrix
for many) are checked, on profiles with ties inside ballots, truncated ballots, ballots ranking
nobody, and equal counts (ties between tallies); the two must also give the same rounds (up to
rounding of the tallies).
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
    strict = draw(st.booleans())
    rows = []
    for _ in range(k):
        if strict:
            length = draw(st.integers(0, m))
            order = draw(st.permutations(range(m)))
            row = [m] * m
            for position, a in enumerate(order[:length]):
                row[a] = position
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
    lists = stv._count(profile, seats, stv._Lists)
    matrix = stv._count(profile, seats, stv._Pile)
    assert sorted(lists.winners) == expected
    assert sorted(matrix.winners) == expected
    # the same set; the order of alternatives elected together may differ when their tallies
    # are equal but for rounding (the two ways add the same parts in different orders)
    assert lists.tied == matrix.tied
    _same_rounds(lists, matrix)
    assert sorted(tally(profile, "stv", seats).winners) == expected


def test_lists_from_the_second_count_of_a_small_profile(monkeypatch):
    ranks = np.array([[0, 1, 2], [1, 0, 3], [2, 1, 0]])
    used = []
    for name in ("_Lists", "_Pile"):
        original = getattr(stv, name)
        monkeypatch.setattr(stv, name, type(name, (original,), {"__init__": lambda self, p, o=original, n=name: (used.append(n), o.__init__(self, p))[1]}))
    profile = RankedProfile.from_rank_matrix(("a", "b", "c"), ranks, np.array([4, 3, 2]))
    outcomes = [stv.single_transferable_vote(profile, 2) for _ in range(3)]
    assert used == ["_Pile", "_Lists", "_Lists"]
    assert outcomes[0] == outcomes[1] == outcomes[2]
    monkeypatch.setattr(stv, "SMALL", 2)
    used.clear()
    big = RankedProfile.from_rank_matrix(("a", "b", "c"), ranks, np.array([4, 3, 2]))
    for _ in range(2):
        stv.single_transferable_vote(big, 2)
    assert used == ["_Pile", "_Pile"]
