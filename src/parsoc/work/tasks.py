"""Tasks and members of a worker council: the inputs of a job-complex composition.

A *task* is work the council needs done every week: a name, the hours per week it needs,
its rated empowerment and desirability (aggregated from a rating round, on the council's
scale), the skills a person needs to do it, and whether it *can be split* among several
people. A *member* brings the hours per week they will work and the skills they have.

Splitting and integrality. A task that cannot be split goes whole to one member. A task that
can be split is divided into pieces of whole multiples of the council's *unit* (by default
half an hour): nobody is given 0.137 hours of a task, so its hours must be a multiple of the
unit. Hours are checked here so every solver can rely on them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from parsoc.errors import InputError

DEFAULT_UNIT = 0.5
"""Smallest piece (hours per week) a splittable task is divided into."""


@dataclass(frozen=True)
class Task:
    """A task of a worker council (hours per week; ratings on the council's scale)."""

    name: str
    hours: float
    empowerment: float
    desirability: float
    skills: frozenset[str] = field(default_factory=frozenset)
    splittable: bool = True


@dataclass(frozen=True)
class Member:
    """A member of a worker council: the hours per week they will work, their skills."""

    name: str
    hours: float
    skills: frozenset[str] = field(default_factory=frozenset)


def units_in(hours: float, unit: float) -> int | None:
    """``hours / unit`` when that is a whole number (within rounding), else ``None``."""
    k = hours / unit
    n = round(k)
    return n if math.isclose(k, n, abs_tol=1e-6) else None


def validate(tasks: list[Task], members: list[Member], unit: float = DEFAULT_UNIT) -> None:
    """Refuse malformed input with a message naming the task or member at fault."""
    if unit <= 0 or not math.isfinite(unit):
        raise InputError(f"unit must be a positive number of hours, not {unit}")
    if not tasks:
        raise InputError("no tasks: list the council's tasks first")
    if not members:
        raise InputError("no members: a job complex needs someone to do it")
    _unique("task", [t.name for t in tasks])
    _unique("member", [m.name for m in members])
    for t in tasks:
        if not (t.hours > 0 and math.isfinite(t.hours)):
            raise InputError(f"task {t.name!r}: hours must be a positive number, not {t.hours}")
        for label, value in (("empowerment", t.empowerment), ("desirability", t.desirability)):
            if not math.isfinite(value):
                raise InputError(f"task {t.name!r}: {label} must be a number, not {value}")
        if t.splittable and units_in(t.hours, unit) is None:
            raise InputError(
                f"task {t.name!r}: {t.hours:g} hours cannot be split into pieces of {unit:g} h"
                " — make its hours a multiple of the unit or mark it as not splittable"
            )
    for m in members:
        if not (m.hours > 0 and math.isfinite(m.hours)):
            raise InputError(f"member {m.name!r}: hours must be a positive number, not {m.hours}")


def _unique(kind: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if not name.strip():
            raise InputError(f"a {kind} has an empty name")
        if name in seen:
            raise InputError(f"{kind} {name!r} is listed twice")
        seen.add(name)
