"""Attendance and quorum.

Each member of the council is recorded as *present* (in the room), *remote* (joined from
elsewhere), *apologies* (sent regrets) or *absent* (the default). Guests who are not members
may attend but never count.

A council's quorum rule is a fraction of its members and a minimum head count. The quorum is
``max(minimum, ceil(fraction × members))`` attending members, and it is **met** when at least
that many members are present (remote attendance counts unless the council says otherwise).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from parsoc.errors import InputError
from parsoc.meetings.choices import parse_choice
from parsoc.numbers import COUNT_MAX, parse_fraction, parse_int, shown
from parsoc.vocabulary import Vocabulary, _


class Attendance(Vocabulary):
    """How a member attends a meeting."""

    PRESENT = "present", _("Present")
    REMOTE = "remote", _("Remote")
    APOLOGIES = "apologies", _("Apologies")
    ABSENT = "absent", _("Absent")

    @classmethod
    def parse(cls, value: object, *, where: str | None = None) -> Attendance:
        return parse_choice(cls, value, where or "attendance")


@dataclass(frozen=True)
class QuorumRule:
    """Quorum: at least ``fraction`` of the members, and never fewer than ``minimum``."""

    fraction: Fraction = Fraction(1, 2)
    minimum: int = 1
    remote_counts: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.fraction <= 1:
            raise InputError(f"quorum fraction {self.fraction} must be between 0 and 1")
        if self.minimum < 0:
            raise InputError(f"quorum minimum {self.minimum} cannot be negative")

    @classmethod
    def parse(cls, text: str, minimum: int = 1, remote_counts: bool = True) -> QuorumRule:
        """A rule from ``"1/2"``, ``"0.6"`` or ``"60%"``."""
        try:
            value = parse_fraction(str(text), "quorum", low=None, high=None, percent=True, max_denominator=10**6)
        except InputError:
            raise InputError(f"malformed quorum {shown(str(text))}; write it as 1/2, 0.6 or 60%") from None
        return cls(value, parse_int(minimum, "quorum minimum", low=0, high=COUNT_MAX), remote_counts)

    def needed(self, members: int) -> int:
        return max(self.minimum, math.ceil(self.fraction * members))


@dataclass(frozen=True)
class AttendanceSummary:
    members: int
    present: int
    remote: int
    apologies: int
    absent: int
    guests: int
    needed: int
    counted: int

    @property
    def met(self) -> bool:
        return self.counted >= self.needed


def attendance_summary(
    members: Iterable[Hashable],
    attendance: Mapping[Hashable, Attendance | str],
    rule: QuorumRule | None = None,
) -> AttendanceSummary:
    """Count ``attendance`` (person → status) against the council's ``members`` and ``rule``."""
    rule = rule or QuorumRule()
    roll = set(members)
    counts = dict.fromkeys(Attendance, 0)
    guests = 0
    for person, status in attendance.items():
        status = Attendance.parse(status)
        if person not in roll:
            if status in (Attendance.PRESENT, Attendance.REMOTE):
                guests += 1
            continue
        counts[status] += 1
    counts[Attendance.ABSENT] += len(roll) - sum(
        1 for person in attendance if person in roll
    )
    counted = counts[Attendance.PRESENT] + (counts[Attendance.REMOTE] if rule.remote_counts else 0)
    return AttendanceSummary(
        members=len(roll),
        present=counts[Attendance.PRESENT],
        remote=counts[Attendance.REMOTE],
        apologies=counts[Attendance.APOLOGIES],
        absent=counts[Attendance.ABSENT],
        guests=guests,
        needed=rule.needed(len(roll)),
        counted=counted,
    )
