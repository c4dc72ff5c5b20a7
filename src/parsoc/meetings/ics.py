"""iCalendar (RFC 5545) output of meetings, through the ``icalendar`` package.

One ``VEVENT`` per meeting, with a stable ``UID`` (so a calendar feed updates an event rather
than duplicating it), ``SEQUENCE`` raised on every change, times in UTC, and ``STATUS``
``CONFIRMED`` or ``CANCELLED``. A feed is a ``VCALENDAR`` with ``METHOD:PUBLISH``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from parsoc.errors import InputError

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//parsoc//meetings//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """A meeting as a calendar sees it."""

    uid: str
    title: str
    start: datetime
    duration: timedelta
    location: str = ""
    description: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False


def _event(item: CalendarEvent, stamp: datetime) -> Event:
    from icalendar import Event

    if item.start.tzinfo is None:
        raise InputError(f"meeting {item.title!r} has a start time without a time zone")
    if item.duration <= timedelta(0):
        raise InputError(f"meeting {item.title!r} has no positive duration")
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.start.astimezone(UTC))
    event.add("dtend", (item.start + item.duration).astimezone(UTC))
    event.add("summary", item.title)
    event.add("sequence", item.sequence)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    return event


def calendar_bytes(
    events: Iterable[CalendarEvent], name: str = "parsoc", stamp: datetime | None = None
) -> bytes:
    """A ``VCALENDAR`` holding ``events``, serialised as RFC 5545 text (CRLF line ends)."""
    from icalendar import Calendar

    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for item in events:
        cal.add_component(_event(item, stamp))
    ical: bytes = cal.to_ical()
    return ical
