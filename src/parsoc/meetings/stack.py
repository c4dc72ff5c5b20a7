"""The progressive stack: the order in which raised hands are called.

A *hand* is raised by a person with a *kind*. The order is a pure function of the raised
hands, of how many turns each person has already had in this meeting, and of the council's
stack rules. It is defined as a sort by this key, most significant first:

1. **Kind.** A point of process comes first, then a direct response, then a clarifying
   question, then a new point (:data:`KIND_RANK`). The three interrupting kinds are taken in
   the order raised; the progressive rules below reorder new points only.
2. **Not yet spoken first** (rule ``not_yet_spoken_first``): among new points, a person with
   no turn yet in this meeting comes before anyone who has had one.
3. **Under-heard first** (rule ``under_heard_first``): among new points with the same answer
   to 2, a person who chose, when raising the hand, to identify as belonging to a group that is
   heard less comes first. Nobody is ever asked to or put in that group by someone else: it is
   opt-in, per hand.
4. **Fewest turns** (rule ``fewest_turns_first``): then fewer turns before more turns.
5. **Order raised**: finally, earlier hands before later ones (``raised`` is a sequence
   number or a timestamp; ties keep the input order, since the sort is stable).

Each rule can be switched off; with all three off the stack of new points is a plain queue.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from parsoc.errors import InputError
from parsoc.meetings.choices import parse_choice


class HandKind(str, Enum):
    """What a raised hand is for (the hand signals of an assembly)."""

    POINT_OF_PROCESS = "process"
    DIRECT_RESPONSE = "direct"
    CLARIFYING_QUESTION = "clarifying"
    NEW_POINT = "new"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, value: str | HandKind) -> HandKind:
        """The kind named by ``value`` (its value or its name); :class:`InputError` if none."""
        if isinstance(value, HandKind):
            return value
        for kind in cls:
            if str(value).strip().lower() == kind.label:
                return kind
        return parse_choice(cls, value, "kind of hand")


_LABELS = {
    HandKind.POINT_OF_PROCESS: "point of process",
    HandKind.DIRECT_RESPONSE: "direct response",
    HandKind.CLARIFYING_QUESTION: "clarifying question",
    HandKind.NEW_POINT: "new point",
}

#: Rank of each kind in the stack: lower is called first.
KIND_RANK: Mapping[HandKind, int] = {
    HandKind.POINT_OF_PROCESS: 0,
    HandKind.DIRECT_RESPONSE: 1,
    HandKind.CLARIFYING_QUESTION: 2,
    HandKind.NEW_POINT: 3,
}


@dataclass(frozen=True)
class StackRules:
    """A council's switchable progressive-stack rules (all on by default)."""

    not_yet_spoken_first: bool = True
    under_heard_first: bool = True
    fewest_turns_first: bool = True

    def as_dict(self) -> dict[str, bool]:
        return {
            "not_yet_spoken_first": self.not_yet_spoken_first,
            "under_heard_first": self.under_heard_first,
            "fewest_turns_first": self.fewest_turns_first,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> StackRules:
        unknown = set(data) - set(cls().as_dict())
        if unknown:
            raise InputError(f"unknown stack rule(s): {', '.join(sorted(unknown))}")
        return cls(**{k: bool(v) for k, v in data.items()})


@dataclass(frozen=True)
class Hand:
    """A raised hand: who, what for, when (a sequence number), and the opt-in under-heard flag."""

    person: Hashable
    kind: HandKind
    raised: float
    under_heard: bool = False


def stack_key(hand: Hand, turns: Mapping[Hashable, int], rules: StackRules) -> tuple[Any, ...]:
    """The sort key of ``hand`` under ``rules`` (see the module docstring for the definition)."""
    rank = KIND_RANK[hand.kind]
    if hand.kind is not HandKind.NEW_POINT:
        return (rank, 0, 0, 0, hand.raised)
    had = turns.get(hand.person, 0)
    if had < 0:
        raise InputError(f"turns of {hand.person!r} cannot be negative ({had})")
    return (
        rank,
        (1 if had > 0 else 0) if rules.not_yet_spoken_first else 0,
        (0 if hand.under_heard else 1) if rules.under_heard_first else 0,
        had if rules.fewest_turns_first else 0,
        hand.raised,
    )


def order_stack(
    hands: Iterable[Hand],
    turns: Mapping[Hashable, int] | None = None,
    rules: StackRules | None = None,
) -> list[Hand]:
    """The raised ``hands`` in the order they are to be called.

    ``turns`` maps a person to the number of turns they have had in this meeting (missing
    means none); ``rules`` are the council's stack rules (all on when omitted).
    """
    turns = turns or {}
    rules = rules or StackRules()
    return sorted(hands, key=lambda hand: stack_key(hand, turns, rules))


def next_hand(
    hands: Sequence[Hand],
    turns: Mapping[Hashable, int] | None = None,
    rules: StackRules | None = None,
) -> Hand | None:
    """The hand to call next, or ``None`` when no hand is raised."""
    ordered = order_stack(hands, turns, rules)
    return ordered[0] if ordered else None
