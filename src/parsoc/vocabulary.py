"""The fixed words of parsoc, each defined once with the label people read.

A *vocabulary* is an :class:`enum.StrEnum` whose members carry a human label beside the key::

    class StanceKind(Vocabulary):
        AGREE = "agree", _("Agree")
        STAND_ASIDE = "stand_aside", _("Stand aside")

The key (``StanceKind.AGREE == "agree"``) is what files, the API, the event log and the
database store, and it never changes; the label (``StanceKind.AGREE.label == "Agree"``) is
what pages, forms and command-line help show. Everything that offers a choice derives from
the enum: Django model and form ``choices`` (:func:`choices`), ninja schemas (the enum as the
field's type), Typer options (the enum as the option's type) and templates (the ``label``
filter of :mod:`parsoc.web.core.templatetags.vocabulary`).

Labels are wrapped in :func:`_`, a marker that returns its text unchanged: the core imports no
Django, and the marker shows a translation tool (``xgettext -k_``) which strings to collect.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Self, TypeVar

from parsoc.errors import InputError

V = TypeVar("V", bound="Vocabulary")


def _(text: str) -> str:
    """Mark ``text`` as a label to translate; returns it unchanged."""
    return text


class Vocabulary(StrEnum):
    """A StrEnum whose members are declared as ``KEY = "key", _("Label")``.

    A member declared with the key alone takes the key, with ``_`` as a space and its first
    letter in capitals, as its label.
    """

    _label: str

    def __new__(cls, value: str, label: str | None = None) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label if label is not None else value.replace("_", " ").capitalize()
        return member

    @property
    def label(self) -> str:
        """The words people read for this member."""
        return self._label

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``(key, label)`` pairs, in declaration order: for model and form fields."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Every key, in declaration order."""
        return tuple(member.value for member in cls)

    @classmethod
    def parse(cls: type[V], value: object, *, where: str | None = None) -> V:
        """The member whose key is ``value``; an :class:`InputError` naming ``where`` (the
        field, by default the vocabulary's name in words) and the keys otherwise."""
        if isinstance(value, cls):
            return value
        try:
            return cls(str(value))
        except ValueError:
            what = where or _words(cls.__name__)
            known = ", ".join(cls.values())
            raise InputError(f"{what}: unknown value {str(value)[:40]!r} (one of: {known})", field=where) from None

    @classmethod
    def label_of(cls, key: object) -> str:
        """The label of ``key``; the key itself when it is not one of this vocabulary's (an
        old value kept in the database is shown as it was stored, never as an error)."""
        try:
            return cls(str(key)).label
        except ValueError:
            return str(key)


def choices(vocabulary: type[Vocabulary] | Iterable[Vocabulary]) -> list[tuple[str, str]]:
    """``(key, label)`` pairs of a vocabulary or of some of its members."""
    return [(member.value, member.label) for member in vocabulary]


def _words(name: str) -> str:
    """``StanceKind`` → ``stance kind``."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


def help_text(vocabulary: type[Vocabulary]) -> str:
    """Each key with its label, for a command-line option's help: ``"greedy = Greedy by votes; …"``."""
    return "; ".join(f"{member.value} = {member.label}" for member in vocabulary)
