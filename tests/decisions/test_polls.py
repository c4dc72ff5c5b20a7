"""Poll tallies: definitions, bad ballots, and agreement with pabutools on real Pabulib votes."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsoc.decisions import polls
from parsoc.errors import InputError
from tests.decisions.pabulib_votes import read_pb

OPTIONS = ["park", "library", "bikes"]


def test_approval_counts_heads_and_weights():
    r = polls.approval(OPTIONS, {"a": {"park", "bikes"}, "b": {"park"}, "c": set()}, {"a": 3, "b": 1, "c": 1})
    assert r.head == {"park": 2, "library": 0, "bikes": 1}
    assert r.weighted == {"park": 4, "library": 0, "bikes": 3}
    assert r.ranking == ("park", "bikes", "library") and r.voters == 3
    assert r.to_json()["options"][0] == {"option": "park", "head": 2, "weighted": "4", "scored": 2}


def test_score_sums_and_means():
    r = polls.score(OPTIONS, {"a": {"park": 5, "library": 2}, "b": {"park": 1}}, low=0, high=5)
    assert r.head == {"park": 6, "library": 2, "bikes": 0}
    assert r.mean("park") == 3 and r.mean("bikes") is None


def test_dot_vote_and_ties_are_reported():
    r = polls.dot_vote(OPTIONS, {"a": {"park": 2, "library": 1}, "b": {"library": 2, "bikes": 1}}, dots=3)
    assert r.head == {"park": 2, "library": 3, "bikes": 1}
    tied = polls.dot_vote(OPTIONS, {"a": {"park": 1}, "b": {"bikes": 1}}, dots=3)
    assert tied.ties == (("park", "bikes"),)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: polls.approval(OPTIONS, {"a": {"pool"}}), "ballot of a: 'pool' is not an option"),
        (lambda: polls.approval(OPTIONS, {"a": {"park", "bikes"}}, max_approvals=1), "2 approvals, this poll allows 1"),
        (lambda: polls.score(OPTIONS, {"a": {"park": 6}}), "score 6 for 'park' is not a whole number from 0 to 5"),
        (lambda: polls.score(OPTIONS, {"a": {"park": 2.5}}), "not a whole number"),
        (lambda: polls.dot_vote(OPTIONS, {"a": {"park": 4}}, dots=3), "4 dots spent of 3"),
        (lambda: polls.dot_vote(OPTIONS, {"a": {"park": 3}}, dots=3, per_option=2), "at most 2 allowed"),
        (lambda: polls.dot_vote(OPTIONS, {"a": {"park": -1}}, dots=3), "is not a count"),
        (lambda: polls.approval(["x", "x"], {}), "listed twice"),
        (lambda: polls.approval(OPTIONS, {"a": {"park"}}, {"b": 1}), "ballot of a: this voter has no weight"),
    ],
)
def test_bad_ballots_are_refused_with_the_voter_named(call, message):
    with pytest.raises(InputError, match=message):
        call()


@given(st.dictionaries(st.text("abcdef", min_size=1, max_size=3),
                       st.dictionaries(st.sampled_from(OPTIONS), st.integers(0, 3)), max_size=20))
def test_dot_totals_equal_the_dots_spent(ballots):
    r = polls.dot_vote(OPTIONS, ballots, dots=9)
    assert sum(r.head.values()) == sum(sum(b.values()) for b in ballots.values())
    assert r.weighted == {o: Fraction(r.head[o]) for o in OPTIONS}
    assert sorted(r.ranking) == sorted(OPTIONS)


# ---- real data: our tallies against pabutools and the published figures ---------------------

SMALL = ["Netherlands_Amsterdam_588.pb", "Poland_Warszawa_2018_Aleksandrow.pb",
         "Poland_Warszawa_2019_Grochow_Centrum.pb", "US_Stanford_Dataset_PB_Chicago_49th_Ward_2019_vote_approvals.pb",
         "Worldwide_Mechanical_Turk_Knapsack_7.pb",
         "France_Toulouse_2022_11_-_Bonhoure_Guilhemery_Chateau_de_lHers_Limayrac_Cote_Pavee.pb",
         "Poland_Gdansk_2020_Rudniki.pb", "Poland_Katowice_2022_Zarzecze.pb", "Poland_Czestochowa_2024_Dzbow.pb",
         "Poland_Czestochowa_2020.pb"]


@pytest.mark.parametrize("name", SMALL)
def test_tallies_match_pabutools_on_real_elections(shared_data, name):
    from pabutools.election import parse_pabulib

    path = shared_data / "pabulib" / name
    meta, projects, votes = read_pb(path)
    options = list(projects)
    if meta["vote_type"] == "approval":
        ours = polls.approval(options, {v: set(b) for v, b in votes.items()})
    else:
        ours = polls.dot_vote(options, votes, dots=int(meta["max_sum_points"]))
    instance, profile = parse_pabulib(str(path))
    for project in instance:
        if meta["vote_type"] == "approval":
            theirs = profile.approval_score(project)
        else:
            theirs = profile.total_score(project)
        assert ours.head[project.name] == theirs, project.name
    # and the figures published with the file, unless Pabulib says it removed voters
    # (Czestochowa 2020: "Some voters (around 0.5%) were removed due to the ambiguity")
    if "removed" in meta.get("comment", ""):
        return
    column = "votes" if meta["vote_type"] == "approval" else "score"
    published = {p: int(row[column]) for p, row in projects.items() if row.get(column)}
    assert published and all(ours.head[p] == n for p, n in published.items())
