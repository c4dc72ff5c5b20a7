"""The progressive stack ordering: examples and properties."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from parsoc.errors import InputError
from parsoc.meetings.stack import (
    KIND_RANK,
    Hand,
    HandKind,
    StackRules,
    next_hand,
    order_stack,
)

PEOPLE = [f"p{i}" for i in range(8)]

# Edge cases random stacks reach only sometimes, given to every property below:
# a person with exactly one turn (the boundary of "has spoken"), raised before one who has none;
ONE_TURN = (
    [Hand("p0", HandKind.NEW_POINT, raised=0, under_heard=False),
     Hand("p1", HandKind.NEW_POINT, raised=1, under_heard=False)],
    {"p0": 1},
    StackRules(True, False, False),  # fewest-turns off: it would put p1 first on its own
)
# the same with only "fewest turns" on, and an under-heard person with one turn;
ONE_TURN_FEWEST = (ONE_TURN[0], {"p0": 1}, StackRules(False, False, True))
ONE_TURN_UNDER_HEARD = (
    [Hand("p0", HandKind.NEW_POINT, raised=0, under_heard=False),
     Hand("p1", HandKind.NEW_POINT, raised=1, under_heard=True),
     Hand("p2", HandKind.NEW_POINT, raised=2, under_heard=True)],
    {"p0": 1, "p1": 1},
    StackRules(True, True, True),
)
# one person with every kind of hand at once, and nobody at all.
EVERY_KIND = ([Hand("p0", kind, raised=len(HandKind) - i) for i, kind in enumerate(HandKind)], {"p0": 1}, StackRules())
EMPTY = ([], {}, StackRules())


def edge_cases(test):
    for case in (ONE_TURN, ONE_TURN_FEWEST, ONE_TURN_UNDER_HEARD, EVERY_KIND, EMPTY):
        test = example(case)(test)
    return test

rules_st = st.builds(StackRules, st.booleans(), st.booleans(), st.booleans())


@st.composite
def stacks(draw):
    """Distinct raised hands (one per person and kind), turns so far, and rules."""
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(PEOPLE), st.sampled_from(list(HandKind))),
            unique=True,
            max_size=20,
        )
    )
    order = draw(st.permutations(range(len(pairs))))
    hands = [
        Hand(person, kind, raised=order[i], under_heard=draw(st.booleans()))
        for i, (person, kind) in enumerate(pairs)
    ]
    turns = draw(st.dictionaries(st.sampled_from(PEOPLE), st.integers(0, 6)))
    return hands, turns, draw(rules_st)


@given(stacks())
@edge_cases
def test_point_of_process_always_comes_first(case):
    hands, turns, rules = case
    ordered = order_stack(hands, turns, rules)
    kinds = [h.kind for h in ordered]
    if HandKind.POINT_OF_PROCESS in kinds:
        first_other = next(
            (i for i, k in enumerate(kinds) if k is not HandKind.POINT_OF_PROCESS), len(kinds)
        )
        assert all(k is HandKind.POINT_OF_PROCESS for k in kinds[:first_other])
        assert HandKind.POINT_OF_PROCESS not in kinds[first_other:]
        assert ordered[0].kind is HandKind.POINT_OF_PROCESS


@given(stacks())
@edge_cases
def test_kinds_come_in_rank_order(case):
    hands, turns, rules = case
    ranks = [KIND_RANK[h.kind] for h in order_stack(hands, turns, rules)]
    assert ranks == sorted(ranks)


@given(stacks())
@edge_cases
def test_among_new_points_not_yet_spoken_before_spoken(case):
    hands, turns, rules = case
    rules = StackRules(True, rules.under_heard_first, rules.fewest_turns_first)
    new = [h for h in order_stack(hands, turns, rules) if h.kind is HandKind.NEW_POINT]
    spoken = [turns.get(h.person, 0) > 0 for h in new]
    assert spoken == sorted(spoken)  # all False (not spoken) before any True


@given(stacks())
@edge_cases
def test_interrupting_kinds_keep_the_order_raised(case):
    hands, turns, rules = case
    ordered = order_stack(hands, turns, rules)
    for kind in (HandKind.POINT_OF_PROCESS, HandKind.DIRECT_RESPONSE,
                 HandKind.CLARIFYING_QUESTION):
        raised = [h.raised for h in ordered if h.kind is kind]
        assert raised == sorted(raised)


@given(stacks())
@edge_cases
def test_ordering_is_a_permutation_and_independent_of_input_order(case):
    hands, turns, rules = case
    ordered = order_stack(hands, turns, rules)
    assert sorted(map(id, ordered)) == sorted(map(id, hands))
    assert order_stack(list(reversed(hands)), turns, rules) == ordered
    assert next_hand(hands, turns, rules) == (ordered[0] if ordered else None)


@given(stacks())
@edge_cases
def test_with_all_rules_off_new_points_are_a_plain_queue(case):
    hands, turns, _ = case
    ordered = order_stack(hands, turns, StackRules(False, False, False))
    raised = [h.raised for h in ordered if h.kind is HandKind.NEW_POINT]
    assert raised == sorted(raised)


@given(stacks())
@edge_cases
def test_fewest_turns_orders_new_points_by_turns_when_alone(case):
    hands, turns, _ = case
    ordered = order_stack(hands, turns, StackRules(False, False, True))
    had = [turns.get(h.person, 0) for h in ordered if h.kind is HandKind.NEW_POINT]
    assert had == sorted(had)


@given(stacks())
@edge_cases
def test_under_heard_first_within_the_same_spoken_status(case):
    hands, turns, _ = case
    ordered = order_stack(hands, turns, StackRules(True, True, True))
    new = [h for h in ordered if h.kind is HandKind.NEW_POINT]
    for spoken in (False, True):
        group = [h.under_heard for h in new if (turns.get(h.person, 0) > 0) is spoken]
        assert group == sorted(group, reverse=True)  # True (under-heard) first


def test_three_kinds_example():
    turns = {"ana": 2, "bo": 0}
    hands = [
        Hand("ana", HandKind.NEW_POINT, 1),
        Hand("bo", HandKind.NEW_POINT, 2),
        Hand("cy", HandKind.DIRECT_RESPONSE, 3),
        Hand("dee", HandKind.POINT_OF_PROCESS, 4),
        Hand("eli", HandKind.NEW_POINT, 5, under_heard=True),
    ]
    assert [h.person for h in order_stack(hands, turns)] == ["dee", "cy", "eli", "bo", "ana"]
    off = StackRules(False, False, False)
    assert [h.person for h in order_stack(hands, turns, off)] == ["dee", "cy", "ana", "bo", "eli"]


def test_kind_parsing_and_rules_dict():
    assert HandKind.parse("point of process") is HandKind.POINT_OF_PROCESS
    assert HandKind.parse("direct") is HandKind.DIRECT_RESPONSE
    with pytest.raises(InputError, match="unknown kind of hand 'shout'"):
        HandKind.parse("shout")
    rules = StackRules(True, False, True)
    assert StackRules.from_dict(rules.as_dict()) == rules
    with pytest.raises(InputError, match="loudest_first"):
        StackRules.from_dict({"loudest_first": True})
    with pytest.raises(InputError, match="negative"):
        order_stack([Hand("a", HandKind.NEW_POINT, 1)], {"a": -1})


def test_rules_dict_words_and_messages_exactly():
    # found by the mutation run (docs/testing.md): each key, each value's truth, each message
    assert StackRules(True, False, True).as_dict() == {
        "not_yet_spoken_first": True, "under_heard_first": False, "fewest_turns_first": True}
    rules = StackRules.from_dict({"under_heard_first": 0, "fewest_turns_first": "yes"})
    assert rules == StackRules(True, False, True)
    assert rules.under_heard_first is False and rules.fewest_turns_first is True
    assert StackRules.from_dict({}) == StackRules()
    with pytest.raises(InputError) as error:
        StackRules.from_dict({"loudest_first": True, "eldest_first": True, "fewest_turns_first": False})
    assert str(error.value) == "unknown stack rule(s): eldest_first, loudest_first"
    with pytest.raises(InputError) as error:
        order_stack([Hand("a", HandKind.NEW_POINT, 1)], {"a": -1})
    assert str(error.value) == "turns of 'a' cannot be negative (-1)"
    # a person with no turn recorded is not refused; zero turns is the boundary
    assert order_stack([Hand("a", HandKind.NEW_POINT, 1)], {"a": 0}) == [Hand("a", HandKind.NEW_POINT, 1)]


def test_kind_labels_and_parsing_by_label_value_or_kind():
    assert [kind.label for kind in HandKind] == ["point of process", "direct response", "clarifying question", "new point"]
    for kind in HandKind:
        assert HandKind.parse(kind) is kind
        assert HandKind.parse(kind.value) is kind
        assert HandKind.parse(f"  {kind.label.upper()} ") is kind
