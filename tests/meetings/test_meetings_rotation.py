"""Fair role rotation, checked against brute force over every assignment."""

from __future__ import annotations

from collections import Counter
from itertools import permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsoc.errors import InputError
from parsoc.meetings.rotation import ROLES, role_counts, suggest_roles

PEOPLE = ["ana", "bo", "cy", "dee", "eli"]


def _history_counts(history):
    held, total, last = Counter(), Counter(), {}
    for when, meeting in enumerate(history):
        for person, role in meeting:
            held[person, role] += 1
            total[person] += 1
            last[person, role] = when
    return held, total, last


def _brute_force(roles, candidates, history):
    held, total, last = _history_counts(history)
    filled = roles[: len(candidates)]
    best = None
    for chosen in permutations(range(len(candidates)), len(filled)):
        key = (
            sum(held[candidates[i], r] for i, r in zip(chosen, filled)),
            sum(total[candidates[i]] for i in chosen),
            sum(last.get((candidates[i], r), -1) + 1 for i, r in zip(chosen, filled)),
            sum(chosen),
        )
        if best is None or key < best[0]:
            best = (key, chosen)
    return best[0]


def _key(assignment, history, roles, candidates):
    held, total, last = _history_counts(history)
    pairs = [(p, r) for r, p in assignment.items() if p is not None]
    return (
        sum(held[p, r] for p, r in pairs),
        sum(total[p] for p, _ in pairs),
        sum(last.get((p, r), -1) + 1 for p, r in pairs),
        sum(candidates.index(p) for p, _ in pairs),
    )


history_st = st.lists(
    st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(ROLES)), max_size=5),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(
    history_st,
    st.lists(st.sampled_from(PEOPLE), unique=True, min_size=1, max_size=5),
    st.integers(1, 5),
)
def test_suggestion_is_the_lexicographic_optimum(history, candidates, n_roles):
    roles = list(ROLES[:n_roles])
    suggestion = suggest_roles(roles, candidates, history)
    assigned = [p for p in suggestion.values() if p is not None]
    assert len(assigned) == len(set(assigned)) == min(len(roles), len(candidates))
    assert all(suggestion[r] is not None for r in roles[: len(candidates)])
    assert _key(suggestion, history, roles, candidates) == _brute_force(
        roles, candidates, history
    )


def test_who_held_a_role_least_gets_it():
    history = [
        [("ana", "facilitator"), ("bo", "note taker")],
        [("ana", "facilitator"), ("cy", "note taker")],
        [("bo", "facilitator"), ("ana", "note taker")],
    ]
    got = suggest_roles(["facilitator", "note taker"], ["ana", "bo", "cy"], history)
    # cy never facilitated; for notes ana and bo each took them once, bo held fewer roles
    assert got == {"facilitator": "cy", "note taker": "bo"}
    assert role_counts(history)["ana"] == {"facilitator": 2, "note taker": 1}


def test_fewer_candidates_leave_the_last_roles_open():
    got = suggest_roles(list(ROLES), ["ana", "bo"], [])
    assert got == {"facilitator": "ana", "stack keeper": "bo", "note taker": None,
                   "timekeeper": None, "vibes watcher": None}


def test_duplicates_are_refused():
    with pytest.raises(InputError, match="role is listed twice"):
        suggest_roles(["facilitator", "facilitator"], ["ana"], [])
    with pytest.raises(InputError, match="candidate is listed twice"):
        suggest_roles(["facilitator"], ["ana", "ana"], [])
