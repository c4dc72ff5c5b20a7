"""Attendance, quorum and temperature checks."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from parsoc.errors import InputError
from parsoc.meetings.quorum import Attendance, QuorumRule, attendance_summary
from parsoc.meetings.temperature import Signal, aggregate

MEMBERS = [f"m{i}" for i in range(10)]


def test_quorum_example():
    attendance = {"m0": "present", "m1": "present", "m2": "remote", "m3": "apologies",
                  "guest": "present"}
    summary = attendance_summary(MEMBERS, attendance, QuorumRule(Fraction(1, 2), 3))
    assert (summary.present, summary.remote, summary.apologies, summary.absent) == (2, 1, 1, 6)
    assert summary.guests == 1 and summary.needed == 5 and summary.counted == 3
    assert not summary.met
    in_room = attendance_summary(MEMBERS, attendance, QuorumRule(Fraction(1, 4), 1, False))
    assert in_room.needed == 3 and in_room.counted == 2 and not in_room.met
    assert attendance_summary(MEMBERS, attendance, QuorumRule(Fraction(1, 5))).met


@given(
    st.dictionaries(st.sampled_from(MEMBERS + ["g1", "g2"]), st.sampled_from(list(Attendance))),
    st.fractions(0, 1),
    st.integers(0, 12),
)
# exactly half present for a half quorum (met at the boundary); a quarter of ten (2.5) needs 3;
# nobody at all; only guests, with a minimum above the membership
@example(dict.fromkeys(MEMBERS[:5], Attendance.PRESENT), Fraction(1, 2), 0)
@example(dict.fromkeys(MEMBERS[:2], Attendance.PRESENT) | {"m2": Attendance.REMOTE}, Fraction(1, 4), 0)
@example({}, Fraction(0), 0)
@example({"g1": Attendance.PRESENT, "g2": Attendance.PRESENT}, Fraction(1), 12)
def test_counts_add_up_and_quorum_is_monotone(attendance, fraction, minimum):
    rule = QuorumRule(fraction, minimum)
    summary = attendance_summary(MEMBERS, attendance, rule)
    assert summary.met == (summary.counted >= summary.needed)
    assert summary.present + summary.remote + summary.apologies + summary.absent == 10
    assert summary.needed >= minimum and summary.needed >= fraction * 10
    # one more member present never breaks a met quorum
    absent = [m for m in MEMBERS if attendance.get(m, Attendance.ABSENT) != Attendance.PRESENT]
    if summary.met and absent:
        more = dict(attendance, **{absent[0]: Attendance.PRESENT})
        assert attendance_summary(MEMBERS, more, rule).met


def test_bad_quorum_and_attendance_input():
    assert QuorumRule.parse("60%").fraction == Fraction(3, 5)
    assert QuorumRule.parse("0.5").fraction == Fraction(1, 2)
    with pytest.raises(InputError, match="malformed quorum 'half'"):
        QuorumRule.parse("half")
    with pytest.raises(InputError, match="between 0 and 1"):
        QuorumRule.parse("3/2")
    with pytest.raises(InputError, match="unknown attendance 'maybe'"):
        attendance_summary(MEMBERS, {"m1": "maybe"})


def test_temperature_example():
    t = aggregate({"a": "agree", "b": "agree", "c": "disagree", "d": Signal.NEUTRAL},
                  present=["a", "b", "c", "d", "e", "f"])
    assert (t.agree, t.neutral, t.disagree, t.waiting, t.signalled) == (2, 1, 1, 2, 4)
    assert t.temperature == pytest.approx(0.25)
    assert t.shares() == {"agree": 0.5, "neutral": 0.25, "disagree": 0.25}
    assert aggregate({}).temperature == 0.0
    with pytest.raises(InputError, match="unknown hand signal 'wave'"):
        aggregate({"a": "wave"})


@given(st.dictionaries(st.integers(0, 30), st.sampled_from(list(Signal))))
def test_temperature_is_bounded_and_counts_add_up(signals):
    t = aggregate(signals)
    assert t.signalled == len(signals)
    assert -1.0 <= t.temperature <= 1.0
    if signals:
        assert sum(t.shares().values()) == pytest.approx(1.0)
