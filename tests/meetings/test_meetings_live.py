"""The live meeting state: changes, versions, snapshots and storage."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsoc.errors import InputError
from parsoc.meetings.live import LiveMeeting
from parsoc.meetings.stack import HandKind, StackRules


def _room(*people):
    live = LiveMeeting()
    for p in people:
        live.join(p, p.title())
    return live


def test_three_hands_are_called_by_the_rules():
    live = _room("ana", "bo", "cy", "dee")
    live.raise_hand("ana", "new")
    live.call_next()  # ana speaks once
    live.raise_hand("ana", "new")
    live.raise_hand("bo", "new")
    live.raise_hand("cy", "direct")
    live.raise_hand("dee", "process")
    snap = live.snapshot()
    assert [(q["id"], q["kind"]) for q in snap["queue"]] == [
        ("dee", "process"), ("cy", "direct"), ("bo", "new"), ("ana", "new")]
    assert snap["speaking"] == {"id": "ana", "name": "Ana"}
    assert snap["next"]["id"] == "dee"
    called = [live.call_next().person for _ in range(4)]
    assert called == ["dee", "cy", "bo", "ana"]
    assert live.turns == {"ana": 2, "dee": 1, "cy": 1, "bo": 1}
    assert live.call_next() is None and live.snapshot()["speaking"] is None


def test_every_change_raises_the_version_by_one():
    live = _room("ana")
    v = live.version
    live.raise_hand("ana", "clarifying")
    live.lower_hand("ana")
    live.start_check("Lunch at one?")
    live.show_signal("ana", "agree")
    live.end_check()
    live.set_rules(StackRules(False, False, False))
    assert live.version == v + 6


def test_bad_live_input_is_refused_with_a_reason():
    live = _room("ana")
    with pytest.raises(InputError, match="'zed' is not a participant"):
        live.raise_hand("zed", "new")
    live.raise_hand("ana", "new")
    with pytest.raises(InputError, match="already has a hand raised for a new point"):
        live.raise_hand("ana", "new")
    live.raise_hand("ana", HandKind.POINT_OF_PROCESS)  # another kind is fine
    with pytest.raises(InputError, match="no such hand"):
        live.lower_hand("ana", "direct")
    with pytest.raises(InputError, match="no temperature check is open"):
        live.show_signal("ana", "agree")
    with pytest.raises(InputError, match="needs a question"):
        live.start_check("  ")


def test_temperature_check_aggregates_and_snapshot_hides_under_heard():
    live = _room("ana", "bo", "cy")
    live.start_check("Move the meeting to Tuesdays?")
    live.show_signal("ana", "agree")
    live.show_signal("bo", "disagree")
    live.show_signal("bo", "neutral")  # changed their mind
    live.raise_hand("cy", "new", under_heard=True)
    check = live.snapshot()["check"]
    assert (check["agree"], check["neutral"], check["disagree"], check["waiting"]) == (1, 1, 0, 1)
    entry = live.snapshot()["queue"][0]
    assert entry["id"] == "cy" and set(entry) == {"id", "name", "kind", "kind_label", "turns"}


actions = st.lists(
    st.tuples(
        st.sampled_from(["raise", "lower", "next", "finish", "check", "signal", "end"]),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(list(HandKind)),
        st.booleans(),
    ),
    max_size=40,
)


@settings(max_examples=80, deadline=None)
@given(actions)
def test_json_round_trip_and_version_monotone_under_any_sequence(steps):
    live = _room("a", "b", "c")
    for action, person, kind, flag in steps:
        before = live.version
        try:
            if action == "raise":
                live.raise_hand(person, kind, flag)
            elif action == "lower":
                live.lower_hand(person, kind if flag else None)
            elif action == "next":
                live.call_next()
            elif action == "finish":
                live.finish_speaking()
            elif action == "check":
                live.start_check(f"q{person}")
            elif action == "signal":
                live.show_signal(person, "agree" if flag else "disagree")
            else:
                live.end_check()
        except InputError:
            assert live.version == before  # a refused change changes nothing
            continue
        assert live.version == before + 1
        stored = LiveMeeting.from_json(json.loads(json.dumps(live.to_json())))
        assert stored == live
        assert stored.snapshot() == live.snapshot()
        snap = live.snapshot()
        if snap["queue"]:
            assert snap["next"]["id"] == snap["queue"][0]["id"]
