"""Scheduling polls: validation, heat-map counts and the best slot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsoc.errors import InputError
from parsoc.meetings.scheduling import (
    Availability,
    SchedulingPoll,
    TimeOption,
    best_slot,
    day_grid,
    parse_zone,
    tally,
    time_option,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_option_in_a_zone_is_kept_in_utc_with_its_zone():
    option = time_option("2026-12-01 18:30", "Europe/Berlin", 90, NOW)
    assert option.start == datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    assert option.end - option.start == timedelta(minutes=90)
    assert option.zone == "Europe/Berlin"
    assert option.local_start("America/New_York").hour == 12
    summer = time_option("2027-07-01 18:30", "Europe/Berlin", 60, NOW)
    assert summer.start.hour == 16  # CEST is UTC+2


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Europe/Berlin/", "../etc/passwd", "", "+01:00"])
def test_malformed_time_zone_is_refused(zone):
    with pytest.raises(InputError, match="time zone"):
        time_option("2026-12-01 18:30", zone, 60, NOW)


def test_time_option_in_the_past_is_refused():
    with pytest.raises(InputError, match="in the past"):
        time_option("2026-11-23 12:30", "Europe/Berlin", 60, NOW)  # 11:30 UTC
    assert time_option("2026-11-23 13:30", "Europe/Berlin", 60, NOW).start > NOW


def test_skipped_local_time_is_refused_and_repeated_means_first():
    with pytest.raises(InputError, match="does not exist"):
        time_option("2027-03-28 02:30", "Europe/Berlin", 60, NOW)
    repeated = time_option("2027-10-31 02:30", "Europe/Berlin", 60, NOW)
    assert repeated.start == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "minutes", "message"),
    [
        ("2026-12-01 25:00", 60, "malformed date"),
        ("tomorrow", 60, "malformed date"),
        ("2026-12-01T18:00+02:00", 60, "without an offset"),
        ("2026-12-01 18:00", 0, "outside 1 minute"),
        ("2026-12-01 18:00", 60 * 24 * 8, "outside 1 minute"),
        ("2026-12-01 18:00", "an hour", "whole number"),
    ],
)
def test_bad_option_input_is_named(text, minutes, message):
    with pytest.raises(InputError, match=message):
        time_option(text, "UTC", minutes, NOW)


def test_zone_parse_accepts_iana_names():
    assert parse_zone("UTC").key == "UTC"
    assert parse_zone(" Asia/Kolkata ").key == "Asia/Kolkata"


def _options(n):
    return tuple(
        TimeOption(NOW + timedelta(days=1, hours=i), timedelta(hours=1)) for i in range(n)
    )


def test_tally_and_best_slot_example():
    poll = SchedulingPoll("December assembly", _options(3))
    poll = poll.answer("ana", {0: "yes", 1: "ifneedbe", 2: "no"})
    poll = poll.answer("bo", {0: "no", 1: "yes", 2: "yes"})
    poll = poll.answer("cy", {0: "yes", 1: "if need be"})
    poll = poll.answer("dee", {1: "yes", 2: "if-need-be"})
    counts = poll.tally()
    assert counts.yes.tolist() == [2, 2, 1]
    assert counts.if_need_be.tolist() == [0, 2, 1]
    assert counts.no.tolist() == [1, 0, 1]
    assert counts.unanswered.tolist() == [1, 0, 1]
    assert np.allclose(counts.heat, [0.5, 0.75, 0.375])
    assert counts.grid[counts.participants.index("dee")].tolist() == [-1, 2, 1]
    assert poll.best() == poll.options[1]  # tie on yes, more if-need-be


def test_answering_a_closed_poll_is_refused():
    poll = SchedulingPoll("x", _options(2), closed=True)
    with pytest.raises(InputError, match="closed"):
        poll.answer("ana", {0: "yes"})


def test_answer_to_a_missing_option_or_unknown_word_is_refused():
    poll = SchedulingPoll("x", _options(2))
    with pytest.raises(InputError, match="option 5 does not exist"):
        poll.answer("ana", {5: "yes"})
    with pytest.raises(InputError, match="unknown answer 'perhaps'"):
        poll.answer("ana", {0: "perhaps"})
    with pytest.raises(InputError, match="names option 3"):
        tally(2, {"ana": {3: Availability.YES}})


def test_poll_without_options_has_no_best_slot():
    assert SchedulingPoll("x", ()).best() is None


answers_st = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=3),
    st.dictionaries(st.integers(0, 4), st.sampled_from(list(Availability))),
    max_size=12,
)


@given(answers_st, st.permutations(range(5)))
def test_best_slot_has_most_yes_then_most_if_need_be(answers, hours):
    options = tuple(
        TimeOption(NOW + timedelta(hours=h + 1), timedelta(hours=1)) for h in hours
    )
    counts = tally(5, answers)
    assert (counts.yes + counts.if_need_be + counts.no + counts.unanswered == len(answers)).all()
    best = best_slot(options, counts)
    for i in range(5):
        key_best = (counts.yes[best], counts.if_need_be[best])
        key_i = (counts.yes[i], counts.if_need_be[i])
        assert key_best >= key_i
        if key_best == key_i and i != best:
            assert options[best].start < options[i].start
    assert ((counts.heat >= 0) & (counts.heat <= 1)).all()


def test_day_grid_groups_by_local_day():
    options = (
        TimeOption(datetime(2026, 12, 1, 23, 30, tzinfo=UTC), timedelta(hours=1)),
        TimeOption(datetime(2026, 12, 1, 10, 0, tzinfo=UTC), timedelta(hours=1)),
    )
    grid = day_grid(options, "Europe/Berlin")
    assert [d.isoformat() for d in grid] == ["2026-12-01", "2026-12-02"]
    assert grid[min(grid)][0][1] == 1


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
         "America/St_Johns", "Pacific/Chatham", "UTC"]


@given(
    st.datetimes(min_value=datetime(2027, 1, 1), max_value=datetime(2030, 12, 31)),
    st.sampled_from(ZONES),
    st.integers(1, 600),
)
def test_an_accepted_option_shows_the_wall_time_it_was_given(wall, zone, minutes):
    wall = wall.replace(second=0, microsecond=0)
    try:
        option = time_option(wall, zone, minutes, NOW)
    except InputError as error:  # only a time the clocks skip may be refused here
        assert "does not exist" in str(error)
        return
    assert option.start.tzinfo is not None and option.start > NOW
    assert option.local_start().replace(tzinfo=None) == wall
    assert option.end - option.start == timedelta(minutes=minutes)
