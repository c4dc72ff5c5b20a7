"""Ranked-choice and STV polls are counted by parsoc.choice, the same as pref_voting counts them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsoc.decisions import ranked
from parsoc.errors import InputError

OPTIONS = ("ana", "ben", "cy", "dee")


def test_ranked_choice_transfers_to_a_majority():
    ballots = [("ana",)] * 4 + [("ben", "cy")] * 3 + [("cy", "ben")] * 2
    result = ranked.tally("ranked_choice", OPTIONS, ballots)
    assert result.elected == ("ben",) and not result.tied
    assert result.rounds[0]["ana"] == 4 and result.rounds[-1]["ben"] == 5


def test_stv_elects_delegates_with_surplus_transfer():
    ballots = [("ana", "ben")] * 6 + [("cy",)] * 3 + [("dee", "cy")] * 2
    result = ranked.tally("stv", OPTIONS, ballots, seats=2)
    assert set(result.elected) == {"ana", "cy"}


def test_empty_and_bad_polls_are_refused_clearly():
    with pytest.raises(InputError, match="no ballot"):
        ranked.tally("stv", OPTIONS, [(), ()], seats=2)
    with pytest.raises(InputError, match="STV"):
        ranked.tally("ranked_choice", OPTIONS, [("ana",)], seats=2)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.permutations(OPTIONS).map(tuple), min_size=1, max_size=25))
def test_ranked_choice_agrees_with_pref_voting(ballots):
    from pref_voting.profiles import Profile
    from pref_voting.voting_methods import instant_runoff

    index = {o: i for i, o in enumerate(OPTIONS)}
    expected = set(instant_runoff(Profile([[index[o] for o in b] for b in ballots])))
    result = ranked.tally("ranked_choice", OPTIONS, ballots)
    if result.tied:
        assert result.elected[0] in {OPTIONS[i] for i in expected}
    else:
        assert {OPTIONS[i] for i in expected} == set(result.elected)
