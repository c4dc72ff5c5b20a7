"""Anchoring a council's record outside itself, so that a consistent rewrite is caught.

A forger with write access to the database can rewrite a council's whole chain with fresh
hashes (and outcomes that match the forged stances): the rewritten record verifies on its own.
It is caught only against a point of the chain that was copied somewhere the forger cannot
reach. parsoc keeps two such anchors at every close of a decision or a poll:

- the **published head**: the council's announcements (which reach every member by email) say
  which decision closed and where the chain then ended (``seq`` and ``hash``);
  ``parsoc decide verify FILE --head HASH`` checks an export against a head obtained that way
  (:func:`check_head`);
- the **parent witness**: the same head is written as a ``witness`` event into the record of the
  parent council (see :mod:`parsoc.decisions.record`); ``parsoc decide verify CHILD --witness
  PARENT`` checks that every head the parent witnessed is a point of the child's chain
  (:func:`check_witness`). Rewriting the child then means rewriting the parent too, and the
  parent's heads are published and witnessed in turn.

A head covers the events up to it: events after the newest anchored head are not covered yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from parsoc.decisions.record import GENESIS, Event, Head
from parsoc.errors import InputError

WITNESS = "witness"
HEX = frozenset("0123456789abcdef")


def parse_head(text: str) -> str:
    """A head as given by a person (64 hex digits, either case, spaces around allowed)."""
    head = (text or "").strip().lower()
    if len(head) != 64 or not set(head) <= HEX:
        raise InputError(f"--head: {text[:80]!r} is not a record head (64 hexadecimal digits)")
    return head


def witness_data(council: str, head: Head | None, closed: str | None) -> dict[str, Any]:
    """The ``data`` of a ``witness`` event naming ``council`` and where its chain ends."""
    seq, hash_ = (0, GENESIS) if head is None else head
    return {"council": council, "seq": seq, "head": hash_, "closed": closed}


class Anchoring(NamedTuple):
    """What an anchor check found: ``problems`` (the record differs from the anchor: exit 1)
    and ``notes`` (what the check covered, for the person reading)."""

    problems: list[str]
    notes: list[str]


def check_head(events: Sequence[Event], head: str) -> Anchoring:
    """Is ``head`` (obtained elsewhere) a point of this chain? The last event is best; an
    earlier one is accepted (the record has grown since), and the note says how many events it
    does not cover."""
    short = head[:16]
    if head == GENESIS:
        return Anchoring([], [f"head {short}… is the start of every chain: it covers no event"])
    for e in reversed(events):
        if e.hash == head:
            if e.seq == len(events):
                return Anchoring([], [f"head {short}… matches the last event ({e.seq}): every event is covered"])
            later = len(events) - e.seq
            return Anchoring([], [f"head {short}… is event {e.seq} of {len(events)}: an earlier point of "
                                  f"this chain; the {later} later event(s) are not covered by it"])
    return Anchoring([f"head {short}… is not in this chain: the record differs from the one whose head "
                      "was published (rewritten, cut short, or another council's)"], [])


def witnessed(parent: Sequence[Event], council: str) -> list[tuple[Event, int, str]]:
    """The ``witness`` events of the parent's chain naming ``council``, each with the seq and
    head it witnessed."""
    found = []
    for e in parent:
        data = e.data if isinstance(e.data, dict) else {}
        if e.kind == WITNESS and data.get("council") == council:
            found.append((e, data.get("seq"), data.get("head")))
    return found


def check_witness(events: Sequence[Event], council: str, parent: Sequence[Event],
                  parent_council: str) -> Anchoring:
    """Every head the parent's chain witnessed for ``council`` must be a point of ``events``
    (the child's chain) at the witnessed position."""
    problems, notes = [], []
    seen = witnessed(parent, council)
    closes = sum(1 for e in events if e.kind in ("outcome", "poll_result"))
    if not seen:
        if closes:
            problems.append(f"the record of {parent_council!r} witnessed no head of council {council!r}, though "
                            f"this record has {closes} close(s): not its parent, a renamed council, or a "
                            "record that was replaced")
        else:
            notes.append(f"the record of {parent_council!r} witnessed no head of {council!r} (nothing has "
                         "closed in it yet): nothing to compare")
        return Anchoring(problems, notes)
    for w, seq, head in seen:
        where = f"{parent_council!r} event {w.seq} witnessed event {seq} of {council!r}"
        if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(head, str):
            problems.append(f"{where}: not a well-formed witness")
        elif seq == 0:
            if head != GENESIS:
                problems.append(f"{where} with head {head[:16]}…, which is not the start of a chain")
        elif seq > len(events):
            problems.append(f"{where}, but this record has only {len(events)} events (cut short)")
        elif events[seq - 1].hash != head:
            problems.append(f"{where} with head {head[:16]}…, but this record has {events[seq - 1].hash[:16]}… "
                            "there (rewritten)")
    last = max((s for _, s, _ in seen if isinstance(s, int)), default=0)
    if not problems:
        tail = len(events) - last
        notes.append(f"{len(seen)} head(s) witnessed by {parent_council!r} are points of this chain"
                     + (f"; the {tail} event(s) after event {last} are not witnessed yet" if tail > 0 else ""))
    return Anchoring(problems, notes)
