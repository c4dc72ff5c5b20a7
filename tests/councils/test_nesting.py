"""The pure council rules: nesting stays a tree; delegate terms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsoc.councils.delegates import DelegateTerm, check_term, overlapping_term, terms_in_force
from parsoc.councils.nesting import ancestors_of, check_parent, depth_of
from parsoc.errors import InputError


def forest(parents: dict):
    return parents.get


def test_ancestors_and_depth():
    parent_of = forest({"group": "chapter", "chapter": "federation", "federation": None})
    assert ancestors_of("group", parent_of) == ["chapter", "federation"]
    assert depth_of("federation", parent_of) == 0 and depth_of("group", parent_of) == 2


def test_cannot_be_own_parent_or_ancestor():
    parent_of = forest({"group": "chapter", "chapter": "federation"})
    with pytest.raises(InputError, match="own parent"):
        check_parent("chapter", "chapter", parent_of)
    with pytest.raises(InputError, match="own ancestor"):
        check_parent("federation", "group", parent_of)
    check_parent("group", "federation", parent_of)  # moving up is fine
    check_parent(None, "group", parent_of)  # a new council may go anywhere


@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=30), st.data())
def test_check_parent_keeps_a_tree(raw, data):
    # Build a random forest: node i's parent is a smaller index (so it starts acyclic).
    parents = {i: (raw[i] % i if i else None) for i in range(len(raw))}
    node = data.draw(st.integers(0, len(raw) - 1))
    new_parent = data.draw(st.integers(0, len(raw) - 1))
    try:
        check_parent(node, new_parent, parents.get)
    except InputError:
        assert new_parent == node or node in ancestors_of(new_parent, parents.get)
        return
    parents[node] = new_parent
    for n in parents:  # still a tree: every chain ends
        ancestors_of(n, parents.get)


def test_terms_in_force_and_early_end():
    start = date(2026, 1, 1)
    term = DelegateTerm("ana", start, start + timedelta(days=90))
    assert term.in_force_on(start) and term.in_force_on(start + timedelta(days=90))
    assert not term.in_force_on(start + timedelta(days=91))
    recalled = DelegateTerm("ana", start, None, ended_early_on=start + timedelta(days=10))
    assert recalled.last_day == start + timedelta(days=10)
    assert terms_in_force([term, recalled], start + timedelta(days=20)) == [term]


def test_check_term_and_overlap():
    with pytest.raises(InputError):
        check_term(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(InputError):
        check_term(None, None)
    terms = [DelegateTerm("ana", date(2026, 1, 1), date(2026, 6, 30))]
    assert overlapping_term(terms, "ana", date(2026, 6, 1), None) is terms[0]
    assert overlapping_term(terms, "ana", date(2026, 7, 1), None) is None
    assert overlapping_term(terms, "ben", date(2026, 6, 1), None) is None
