"""Stances: what a member says on a proposal, and every version of it.

A *stance* is one member's position in one round of a decision. The kinds are those of an
Occupy-style consensus process and of a plain vote:

- ``agree``            — I support it.
- ``reservations``     — I support it, with concerns I want heard ("agree with reservations").
- ``stand_aside``      — I will not stand in the way, and I will not take part in carrying it out.
- ``block``            — a principled objection: I would consider leaving if this passed.
  A reason is required.
- ``object``           — under consent: a reasoned objection (the proposal would harm the group's
  aims). A reason is required.
- ``yes`` / ``no`` / ``abstain`` — a vote under majority rules and the supermajority round of
  modified consensus.

A member may change their stance until the decision closes; every version is kept, in order,
in a :class:`StanceBook`. The *current* stance of a member in a round is their last version in
that round. Nothing here knows about time zones or databases: ``at`` is whatever sortable stamp
the caller uses (an ISO-8601 string in the web shell and the event log).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from parsoc.errors import InputError
from parsoc.vocabulary import Vocabulary, _


class StanceKind(Vocabulary):
    """The kinds of stance; the key is the word used in files, the API and the event log, the
    label what people read. Declared in the order pages list them."""

    AGREE = "agree", _("Agree")
    RESERVATIONS = "reservations", _("Agree with reservations")
    STAND_ASIDE = "stand_aside", _("Stand aside")
    BLOCK = "block", _("Block")
    OBJECT = "object", _("Object")
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")

    @classmethod
    def parse(cls, value: object, *, where: str | None = None) -> StanceKind:
        """The kind named by ``value``; an :class:`InputError` naming ``where`` otherwise."""
        if isinstance(value, cls):
            return value
        try:
            return cls(str(value))
        except ValueError:
            known = ", ".join(cls.values())
            raise InputError(f"{where or 'stance'}: unknown stance {str(value)[:40]!r} (one of: {known})") from None


#: Kinds that must carry a reason: a block or an objection has to say what is wrong.
NEEDS_REASON = frozenset({StanceKind.BLOCK, StanceKind.OBJECT})

#: Kinds that support the proposal: agree (with or without reservations), and yes in a vote.
SUPPORT = frozenset({StanceKind.AGREE, StanceKind.RESERVATIONS, StanceKind.YES})


def in_order(kinds: Iterable[StanceKind]) -> list[StanceKind]:
    """``kinds`` in the order pages list them (the order :class:`StanceKind` declares)."""
    order = list(StanceKind)
    return sorted(set(kinds), key=order.index)


@dataclass(frozen=True)
class Stance:
    """One version of one member's stance in one round (0 = first round).

    ``reason`` is free text; it is required for a block and an objection.
    """

    member: str
    kind: StanceKind
    reason: str = ""
    round: int = 0
    at: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.kind, StanceKind):
            object.__setattr__(self, "kind", StanceKind.parse(str(self.kind)))
        if not self.member:
            raise InputError("stance: the member is missing")
        if self.round < 0:
            raise InputError(f"stance of {self.member}: round must be 0 or more, not {self.round}")
        if self.kind in NEEDS_REASON and not self.reason.strip():
            raise InputError(
                f"stance of {self.member}: a {self.kind.label.lower()} needs a reason"
            )


@dataclass(frozen=True)
class StanceBook:
    """Every stance version cast on one decision, oldest first. Immutable: :meth:`cast` returns
    a new book, so a caller can keep the old one as the record of what was."""

    versions: tuple[Stance, ...] = field(default_factory=tuple)

    def cast(self, stance: Stance, *, closed: bool = False) -> StanceBook:
        """The book with ``stance`` added as the member's newest version.

        Refused (``InputError``) when the decision is ``closed``: a stance may be cast or
        changed only until close.
        """
        if closed:
            raise InputError(f"stance of {stance.member}: the decision is closed")
        return StanceBook(self.versions + (stance,))

    def history(self, member: str) -> tuple[Stance, ...]:
        """All versions by ``member``, oldest first."""
        return tuple(s for s in self.versions if s.member == member)

    def current(self, round: int = 0) -> dict[str, Stance]:
        """Each member's last version in ``round``, by member (members without one are absent)."""
        latest: dict[str, Stance] = {}
        for stance in self.versions:
            if stance.round == round:
                latest[stance.member] = stance
        return latest

    def kinds(self, round: int = 0) -> dict[str, StanceKind]:
        """Each member's current kind in ``round``."""
        return {member: s.kind for member, s in self.current(round).items()}


def kinds_of(stances: Mapping[str, Stance] | Iterable[Stance]) -> dict[str, StanceKind]:
    """Member → kind from either a member → stance mapping or a sequence of stances (the last
    stance of a member wins)."""
    items = stances.values() if isinstance(stances, Mapping) else stances
    return {s.member: s.kind for s in items}
