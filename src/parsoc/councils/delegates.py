"""Delegates: who a council sends to its parent council, and for how long.

A term runs from ``start`` to ``end`` inclusive (``end`` may be open). A term ends early when
the delegate is recalled or steps down; rotation is a sequence of terms. Terms are kept, never
overwritten, so the history of who spoke for whom stays readable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from parsoc.errors import InputError


@dataclass(frozen=True)
class DelegateTerm:
    person: object
    start: date
    end: date | None = None
    ended_early_on: date | None = None  # recall or stepping down

    @property
    def last_day(self) -> date | None:
        """The last day the term is in force, counting an early end."""
        if self.ended_early_on is None:
            return self.end
        if self.end is None:
            return self.ended_early_on
        return min(self.end, self.ended_early_on)

    def in_force_on(self, day: date) -> bool:
        last = self.last_day
        return self.start <= day and (last is None or day <= last)


def check_term(start: date | None, end: date | None) -> None:
    """Refuse a term without a start, or one that ends before it starts."""
    if start is None:
        raise InputError("a delegate's term needs a start date", field="start")
    if end is not None and end < start:
        raise InputError("a delegate's term cannot end before it starts", field="end")


def terms_in_force(terms: Iterable[DelegateTerm], day: date) -> list[DelegateTerm]:
    """The terms in force on ``day``, earliest start first."""
    return sorted((t for t in terms if t.in_force_on(day)), key=lambda t: t.start)


def overlapping_term(
    terms: Iterable[DelegateTerm], person: object, start: date, end: date | None
) -> DelegateTerm | None:
    """A term of the same person that overlaps ``[start, end]``, if any (no double mandates)."""
    for term in terms:
        if term.person != person:
            continue
        last = term.last_day
        begins_before_new_ends = end is None or term.start <= end
        ends_after_new_begins = last is None or last >= start
        if begins_before_new_ends and ends_after_new_begins:
            return term
    return None
