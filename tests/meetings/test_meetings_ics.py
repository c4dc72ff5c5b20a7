"""iCalendar output, read back with the icalendar parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from parsoc.errors import InputError
from parsoc.meetings.ics import CalendarEvent, calendar_bytes


def test_calendar_round_trips_through_the_parser():
    start = datetime(2026, 12, 1, 18, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    data = calendar_bytes(
        [
            CalendarEvent("m1@parsoc", "General assembly; budget, rota", start,
                          timedelta(minutes=90), location="Hall 2", url="https://x.test/m/1",
                          description="Agenda:\n1. budget", sequence=2),
            CalendarEvent("m2@parsoc", "Cancelled one", start + timedelta(days=7),
                          timedelta(hours=1), cancelled=True),
        ],
        name="Chapter",
        stamp=datetime(2026, 11, 23, tzinfo=UTC),
    )
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"METHOD:PUBLISH" in data
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == ["m1@parsoc", "m2@parsoc"]
    first = events[0]
    assert first.decoded("dtstart") == datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    assert first.decoded("dtend") == datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    assert str(first["summary"]) == "General assembly; budget, rota"
    assert str(first["description"]) == "Agenda:\n1. budget"
    assert int(first["sequence"]) == 2
    assert str(first["status"]) == "CONFIRMED"
    assert str(events[1]["status"]) == "CANCELLED"
    assert str(cal["x-wr-calname"]) == "Chapter"


def test_naive_start_is_refused():
    with pytest.raises(InputError, match="without a time zone"):
        calendar_bytes([CalendarEvent("u", "t", datetime(2026, 1, 1), timedelta(hours=1))])


def test_empty_calendar_is_valid():
    cal = Calendar.from_ical(calendar_bytes([]))
    assert list(cal.walk("VEVENT")) == []
