"""The live state of a meeting in session, as one versioned value.

Everything the facilitation page shows — who is speaking, the ordered stack, the open
temperature check — is a pure function of a :class:`LiveMeeting`. Each change goes through a
method that validates it (raising :class:`~parsoc.errors.InputError` for what a user got
wrong) and raises ``version`` by one. The web shell stores the value as JSON
(:meth:`LiveMeeting.to_json` / :meth:`LiveMeeting.from_json`) in the database, inside a
transaction that locks the row, and streams :meth:`LiveMeeting.snapshot` to every screen:
a client that reconnects or joins late simply receives the current snapshot, and a client
ignores any snapshot whose version is not newer than the one it shows.

Turns: every time a person is called to speak (whatever the kind of hand) counts as a turn.
A person may have at most one hand of each kind raised at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parsoc.errors import InputError
from parsoc.meetings.stack import Hand, HandKind, StackRules, order_stack
from parsoc.meetings.temperature import Signal, aggregate


@dataclass
class LiveMeeting:
    """The state of one meeting in session. Person ids are strings."""

    version: int = 0
    rules: StackRules = field(default_factory=StackRules)
    names: dict[str, str] = field(default_factory=dict)
    hands: list[Hand] = field(default_factory=list)
    turns: dict[str, int] = field(default_factory=dict)
    speaking: str | None = None
    speaking_kind: HandKind | None = None
    raised_count: int = 0
    check_question: str | None = None
    check_signals: dict[str, Signal] = field(default_factory=dict)
    check_round: int = 0

    # -- changes ---------------------------------------------------------------------------

    def _changed(self) -> None:
        self.version += 1

    def _require(self, person: str) -> None:
        if person not in self.names:
            raise InputError(f"person {person!r} is not a participant of this meeting")

    def join(self, person: str, name: str) -> None:
        """Add ``person`` (shown as ``name``) to the participants; joining again renames."""
        if not str(person):
            raise InputError("a participant needs an id")
        if self.names.get(person) == name:
            return
        self.names[str(person)] = str(name) or str(person)
        self._changed()

    def raise_hand(self, person: str, kind: HandKind | str, under_heard: bool = False) -> Hand:
        """Raise a hand of ``kind``; ``under_heard`` is the person's own opt-in choice."""
        self._require(person)
        kind = HandKind.parse(kind)
        if any(h.person == person and h.kind is kind for h in self.hands):
            raise InputError(f"{self.names[person]} already has a hand raised for a {kind.label}")
        self.raised_count += 1
        hand = Hand(person, kind, self.raised_count, bool(under_heard))
        self.hands.append(hand)
        self._changed()
        return hand

    def lower_hand(self, person: str, kind: HandKind | str | None = None) -> None:
        """Lower ``person``'s hand of ``kind`` (all their hands when ``kind`` is ``None``)."""
        self._require(person)
        wanted = None if kind is None else HandKind.parse(kind)
        kept = [
            h for h in self.hands if not (h.person == person and wanted in (None, h.kind))
        ]
        if len(kept) == len(self.hands):
            raise InputError(f"{self.names[person]} has no such hand raised")
        self.hands = kept
        self._changed()

    def call_next(self) -> Hand | None:
        """Give the floor to the top of the stack; with an empty stack, nobody speaks."""
        ordered = self.queue()
        if not ordered:
            self.speaking, self.speaking_kind = None, None
            self._changed()
            return None
        top = ordered[0]
        self.hands = [h for h in self.hands if h is not top]
        self.speaking, self.speaking_kind = top.person, top.kind
        self.turns[top.person] = self.turns.get(top.person, 0) + 1
        self._changed()
        return top

    def finish_speaking(self) -> None:
        self.speaking, self.speaking_kind = None, None
        self._changed()

    def set_rules(self, rules: StackRules) -> None:
        self.rules = rules
        self._changed()

    def start_check(self, question: str) -> None:
        """Open a temperature check on ``question`` (replacing any open one)."""
        question = str(question).strip()
        if not question:
            raise InputError("a temperature check needs a question")
        self.check_question = question
        self.check_signals = {}
        self.check_round += 1
        self._changed()

    def show_signal(self, person: str, signal: Signal | str) -> None:
        self._require(person)
        if self.check_question is None:
            raise InputError("no temperature check is open")
        self.check_signals[person] = Signal.parse(signal)
        self._changed()

    def end_check(self) -> None:
        if self.check_question is None:
            raise InputError("no temperature check is open")
        self.check_question = None
        self._changed()

    # -- views -----------------------------------------------------------------------------

    def queue(self) -> list[Hand]:
        """The raised hands in the order the council's stack rules give."""
        return order_stack(self.hands, self.turns, self.rules)

    def snapshot(self) -> dict[str, Any]:
        """What every screen shows, as JSON-ready data (no under-heard flags: they are private)."""
        ordered = self.queue()

        def person(pid: str | None) -> dict[str, str] | None:
            return None if pid is None else {"id": pid, "name": self.names.get(pid, pid)}

        check = None
        if self.check_question is not None:
            check = {
                "question": self.check_question,
                "round": self.check_round,
                **aggregate(self.check_signals, self.names).as_dict(),
            }
        return {
            "version": self.version,
            "speaking": person(self.speaking),
            "speaking_kind": self.speaking_kind.value if self.speaking_kind else None,
            "next": person(ordered[0].person) if ordered else None,
            "queue": [
                {
                    **person(h.person),
                    "kind": h.kind.value,
                    "kind_label": h.kind.label,
                    "turns": self.turns.get(h.person, 0),
                }
                for h in ordered
            ],
            "rules": self.rules.as_dict(),
            "participants": len(self.names),
            "check": check,
        }

    # -- storage ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "rules": self.rules.as_dict(),
            "names": self.names,
            "hands": [[h.person, h.kind.value, h.raised, h.under_heard] for h in self.hands],
            "turns": self.turns,
            "speaking": self.speaking,
            "speaking_kind": self.speaking_kind.value if self.speaking_kind else None,
            "raised_count": self.raised_count,
            "check_question": self.check_question,
            "check_signals": {p: s.value for p, s in self.check_signals.items()},
            "check_round": self.check_round,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LiveMeeting:
        if not data:
            return cls()
        return cls(
            version=int(data["version"]),
            rules=StackRules.from_dict(data["rules"]),
            names=dict(data["names"]),
            hands=[Hand(p, HandKind(k), r, bool(u)) for p, k, r, u in data["hands"]],
            turns={p: int(n) for p, n in data["turns"].items()},
            speaking=data["speaking"],
            speaking_kind=HandKind(data["speaking_kind"]) if data["speaking_kind"] else None,
            raised_count=int(data["raised_count"]),
            check_question=data["check_question"],
            check_signals={p: Signal(s) for p, s in data["check_signals"].items()},
            check_round=int(data["check_round"]),
        )
