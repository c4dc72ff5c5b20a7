"""Scheduling polls: time options, yes / if-need-be / no answers, heat-map and best slot.

A *time option* is a start instant and a duration. It is entered as a local wall-clock time
in an IANA time zone (``Europe/Berlin``) and kept as an aware UTC instant together with the
zone it was entered in, so that every participant can see it in their own zone.

Rules:

- A time zone must be an IANA name known to the time-zone database; anything else is a
  *malformed time zone* and is refused.
- A local time that does not exist in its zone (skipped by a daylight-saving change) is
  refused; a local time that occurs twice (the hour repeated in autumn) means the first one.
- A time option must start after *now* and last between 1 minute and 7 days.
- An answer is *yes*, *if need be* or *no*, one per option; a participant may leave an option
  unanswered. Answering a closed poll is refused.
- The **best slot** is the option with the most *yes*; among those, the most *if need be*;
  among those, the earliest start; among those, the first entered. A poll with no options has
  no best slot.
- The **heat** of an option is ``(yes + ½·if-need-be) / respondents`` (0 with no respondents),
  the shade of its cell in the availability heat-map.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from parsoc.errors import InputError
from parsoc.meetings.choices import parse_choice
from parsoc.numbers import parse_int
from parsoc.numbers import shown as shown_number
from parsoc.vocabulary import Vocabulary, _

MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(days=7)


class Availability(Vocabulary):
    """A participant's answer to one time option."""

    YES = "yes", _("Yes")
    IF_NEED_BE = "ifneedbe", _("If need be")
    NO = "no", _("No")

    @classmethod
    def parse(cls, value: object, *, where: str | None = None) -> Availability:
        return parse_choice(cls, value, where or "answer")


def parse_zone(name: str) -> ZoneInfo:
    """The IANA time zone called ``name``; :class:`InputError` if it is malformed or unknown."""
    if not isinstance(name, str) or not name.strip():
        raise InputError("time zone is missing; give an IANA name such as Europe/Berlin")
    text = name.strip()
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(
            f"malformed time zone {name!r}; give an IANA name such as Europe/Berlin or UTC"
        ) from None


def localize(wall: datetime, zone: str) -> datetime:
    """The aware instant at naive wall-clock time ``wall`` in ``zone``.

    Refuses a local time skipped by a daylight-saving change; a repeated local time means its
    first occurrence.
    """
    tz = parse_zone(zone)
    if wall.tzinfo is not None:
        raise InputError(f"local time {wall.isoformat()} must not carry its own offset")
    aware = wall.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != wall:
        raise InputError(
            f"{wall.isoformat(sep=' ', timespec='minutes')} does not exist in {zone} "
            "(the clocks skip it); choose another time"
        )
    return aware


def parse_local(text: str) -> datetime:
    """A naive local date-time from ISO text (``2026-12-01 18:30`` or ``2026-12-01T18:30``)."""
    try:
        value = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(f"malformed date and time {text!r}; expected YYYY-MM-DD HH:MM") from None
    if value.tzinfo is not None:
        raise InputError(f"give {text!r} without an offset and name its time zone separately")
    return value


@dataclass(frozen=True)
class TimeOption:
    """A proposed slot: an aware start instant (UTC), a duration, and the zone it was given in."""

    start: datetime
    duration: timedelta
    zone: str = "UTC"

    @property
    def end(self) -> datetime:
        return self.start + self.duration

    def local_start(self, zone: str | None = None) -> datetime:
        """The start as wall-clock time in ``zone`` (default: the zone it was entered in)."""
        return self.start.astimezone(parse_zone(zone or self.zone))


def time_option(
    local_start: datetime | str,
    zone: str,
    minutes: int,
    now: datetime,
) -> TimeOption:
    """A validated time option starting at ``local_start`` in ``zone``, lasting ``minutes``.

    ``now`` is the aware current instant; an option must start after it.
    """
    wall = parse_local(local_start) if isinstance(local_start, str) else local_start
    start = localize(wall, zone).astimezone(UTC)
    whole = parse_int(minutes, "duration in minutes", low=None, high=None)  # bounded text, cheap
    if not MIN_DURATION.total_seconds() <= whole * 60 <= MAX_DURATION.total_seconds():
        raise InputError(f"duration of {shown_number(whole)} minutes is outside 1 minute to 7 days")
    duration = timedelta(minutes=whole)
    if not MIN_DURATION <= duration <= MAX_DURATION:
        raise InputError(f"duration of {minutes} minutes is outside 1 minute to 7 days")
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if start <= now:
        shown = wall.isoformat(sep=" ", timespec="minutes")
        raise InputError(f"time option {shown} {zone} is in the past; choose a future time")
    return TimeOption(start=start, duration=duration, zone=parse_zone(zone).key)


@dataclass(frozen=True)
class PollTally:
    """The heat-map data of a poll: one row per option.

    ``grid[p, o]`` is participant ``p``'s answer to option ``o``: 2 yes, 1 if need be, 0 no,
    -1 unanswered. ``yes``, ``if_need_be``, ``no`` and ``unanswered`` count per option;
    ``heat`` is the shade in [0, 1] (see the module docstring).
    """

    participants: tuple[Hashable, ...]
    grid: np.ndarray
    yes: np.ndarray = field(repr=False)
    if_need_be: np.ndarray = field(repr=False)
    no: np.ndarray = field(repr=False)
    unanswered: np.ndarray = field(repr=False)
    heat: np.ndarray = field(repr=False)


_CODE = {Availability.YES: 2, Availability.IF_NEED_BE: 1, Availability.NO: 0}


def tally(
    n_options: int,
    answers: Mapping[Hashable, Mapping[int, Availability | str]],
) -> PollTally:
    """Count the answers: ``answers[participant][option index] = answer``."""
    participants = tuple(answers)
    grid = np.full((len(participants), n_options), -1, dtype=np.int8)
    for row, person in enumerate(participants):
        for index, answer in answers[person].items():
            if not 0 <= int(index) < n_options:
                raise InputError(f"answer of {person!r} names option {index}, which does not exist")
            grid[row, int(index)] = _CODE[Availability.parse(answer)]
    yes = (grid == 2).sum(axis=0)
    maybe = (grid == 1).sum(axis=0)
    no = (grid == 0).sum(axis=0)
    unanswered = (grid == -1).sum(axis=0)
    respondents = len(participants)
    heat = (yes + 0.5 * maybe) / respondents if respondents else np.zeros(n_options)
    return PollTally(participants, grid, yes, maybe, no, unanswered, heat)


def best_slot(options: Sequence[TimeOption], counts: PollTally) -> int | None:
    """Index of the best option: most yes, then most if-need-be, then earliest, then first."""
    if not options:
        return None
    return min(
        range(len(options)),
        key=lambda i: (-int(counts.yes[i]), -int(counts.if_need_be[i]), options[i].start, i),
    )


@dataclass(frozen=True)
class SchedulingPoll:
    """A poll as plain data: its options, whether it is closed, and the answers so far."""

    title: str
    options: tuple[TimeOption, ...]
    closed: bool = False
    answers: Mapping[Hashable, Mapping[int, Availability]] = field(default_factory=dict)

    def answer(
        self, person: Hashable, choices: Mapping[int, Availability | str]
    ) -> SchedulingPoll:
        """The poll with ``person``'s answers replaced by ``choices``; refused when closed."""
        if self.closed:
            raise InputError(f"the poll {self.title!r} is closed; answers are no longer taken")
        parsed: dict[int, Availability] = {}
        for index, value in choices.items():
            if not 0 <= int(index) < len(self.options):
                raise InputError(f"option {index} does not exist in the poll {self.title!r}")
            parsed[int(index)] = Availability.parse(value)
        answers = dict(self.answers)
        answers[person] = parsed
        return SchedulingPoll(self.title, self.options, self.closed, answers)

    def tally(self) -> PollTally:
        return tally(len(self.options), self.answers)

    def best(self) -> TimeOption | None:
        index = best_slot(self.options, self.tally())
        return None if index is None else self.options[index]


def day_grid(options: Sequence[TimeOption], zone: str) -> dict[date, list[tuple[time, int]]]:
    """Options grouped by local day in ``zone``: ``{day: [(local start time, option index)]}``.

    The rows of a calendar-shaped heat-map, as Rallly and Crab.fit draw it.
    """
    tz = parse_zone(zone)
    days: dict[date, list[tuple[time, int]]] = {}
    for index, option in sorted(enumerate(options), key=lambda pair: pair[1].start):
        local = option.start.astimezone(tz)
        days.setdefault(local.date(), []).append((local.time(), index))
    return days
