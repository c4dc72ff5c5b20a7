"""Reading the fixed words of the meetings domain (answers, signals, attendance) from text."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from parsoc.errors import InputError

E = TypeVar("E", bound=Enum)


def _squash(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def parse_choice(kind: type[E], value: object, what: str) -> E:
    """The member of ``kind`` that ``value`` names, by value or name, ignoring case, spaces,
    hyphens and underscores; :class:`InputError` naming ``what`` and the choices otherwise."""
    if isinstance(value, kind):
        return value
    text = _squash(str(value))
    for member in kind:
        if text in (_squash(str(member.value)), _squash(member.name)):
            return member
    choices = ", ".join(str(m.value) for m in kind)
    raise InputError(f"unknown {what} {value!r}; expected one of {choices}")
