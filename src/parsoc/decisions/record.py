"""The tamper-evident record: a hash-chained log of decision events, one chain per council.

Every event is a JSON object::

    {"seq": 1, "council": "c1", "decision": "d1", "kind": "opened", "at": "2026-11-23T14:00:00Z",
     "data": {...}, "prev": "<hash of event seq-1>", "hash": "<SHA-256 of this event>"}

- ``hash`` is the SHA-256 (hex) of the *canonical JSON* of the event without its ``hash``
  field: keys sorted, no spaces (``","`` and ``":"``), UTF-8, no floats (numbers that are not
  whole are written as fraction strings such as ``"9/10"``) — so any program can recompute it.
- ``prev`` of the first event is 64 zeros; ``seq`` counts from 1 without gaps.
- Changing, removing, inserting or reordering any event breaks a hash or a link. Rewriting the
  chain with fresh hashes is only caught against a ``head`` kept outside it (the last hash,
  printed by the export): every close announces it and writes it into the parent council's
  record as a ``witness`` (see :mod:`parsoc.decisions.anchors`).

Event kinds and their ``data`` (``decision`` is null for council-wide delegations):

==============  ===========================================================================
``opened``      ``rule`` (see :class:`~parsoc.decisions.rules.Rule`), ``members`` (eligible),
                ``say`` (affected groups, may be null), ``secret`` (bool), ``max_chain``
``stance``      ``member``, ``kind``, ``reason``, ``round`` (0-based) — a stance cast or
                changed, a block included; never used on secret decisions
``delegated``   ``delegator``, ``delegate``, ``max_chain``
``revoked``     ``delegator``
``ballots``     ``round``, ``roll`` (who took a ballot), ``bulletin`` (see
                :func:`~parsoc.decisions.secret_ballot.bulletin`) — a secret round's ballot box,
                written once when the round ends
``round``       ``round`` — the second round, or the supermajority vote, begins
``closed``      (nothing) — the decision window closes
``outcome``     ``result`` (:meth:`~parsoc.decisions.outcome.Outcome.to_json`), ``statement``,
                ``review`` (a date or null)
``poll_opened`` ``title``, ``kind`` (approval, score, dot_vote, ranked_choice, stv),
                ``options``, ``params``, ``secret`` — a poll opens for votes (``decision`` is
                the poll's id, such as ``poll-7``)
``poll_vote``   ``voter``, ``ballot`` — a poll ballot cast or changed (the newest counts);
                never used on secret polls
``poll_ballots`` ``roll`` (who took a ballot), ``bulletin`` (``receipt``, ``ballot``; sorted by
                receipt) — a secret poll's ballot box, written once before it closes
``poll_closed`` (nothing) — the poll closes
``poll_result`` ``result`` (:func:`~parsoc.decisions.polls.count` of each voter's newest
                ballot, as JSON)
``witness``     ``council`` (a council nested in this one), ``seq`` and ``head`` (where that
                council's chain ended when one of its decisions closed), ``closed`` (that
                decision's id) — written into the *parent's* chain at every close of the
                child, so a rewrite of the child's whole record is caught against the parent's
                (see :mod:`parsoc.decisions.anchors`)
==============  ===========================================================================

:class:`Ledger` replays events in order, refusing what the process does not allow (a stance
after close, a second round nobody needed, a ballot box with more ballots than voters) and
recomputing every outcome from the stances, delegations and rule, and every poll result from
the ballots; :func:`verify` runs both the
chain check and the replay over an exported file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

from parsoc.decisions.delegation import Delegation, delegate, resolve, revoke
from parsoc.decisions.outcome import Status, decide
from parsoc.decisions.polls import count as count_poll
from parsoc.decisions.rules import Rule
from parsoc.decisions.say import Say
from parsoc.decisions.secret_ballot import audit
from parsoc.decisions.stances import Stance, StanceKind
from parsoc.errors import InputError

GENESIS = "0" * 64
FORMAT = "parsoc-decision-log"
VERSION = 1
FIELDS = ("seq", "council", "decision", "kind", "at", "data", "prev")
KINDS = ("opened", "stance", "delegated", "revoked", "ballots", "round", "closed", "outcome",
         "poll_opened", "poll_vote", "poll_ballots", "poll_closed", "poll_result", "witness")


def _no_floats(value: Any, where: str) -> None:
    if isinstance(value, float):
        raise InputError(f"{where}: {value!r} is a float; write it as a fraction string")
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise InputError(f"{where}: key {k!r} is not a string")
            _no_floats(v, f"{where}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _no_floats(v, f"{where}[{i}]")


def canonical(value: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8, floats refused."""
    _no_floats(value, "event")
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


@dataclass(frozen=True)
class Event:
    seq: int
    council: str
    decision: str | None
    kind: str
    at: str
    data: dict[str, Any]
    prev: str
    hash: str

    def body(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}

    def to_json(self) -> dict[str, Any]:
        return {**self.body(), "hash": self.hash}


class Head(NamedTuple):
    """Where a chain ends: the last event's ``seq`` and ``hash`` (all :func:`chain` needs)."""

    seq: int
    hash: str


def event_hash(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(dict(body))).hexdigest()


def chain(
    last: Event | Head | None, council: str, decision: str | None, kind: str, at: str, data: dict[str, Any]
) -> Event:
    """The event that follows ``last`` (None: the council's first event), hash included."""
    if kind not in KINDS:
        raise InputError(f"event: unknown kind {kind!r}")
    body = {
        "seq": 1 if last is None else last.seq + 1,
        "council": council,
        "decision": decision,
        "kind": kind,
        "at": at,
        "data": data,
        "prev": GENESIS if last is None else last.hash,
    }
    return Event(**body, hash=event_hash(body))


def export(council: str, events: Sequence[Event]) -> dict[str, Any]:
    """The exportable JSON document of a council's log."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "council": council,
        "head": events[-1].hash if events else GENESIS,
        "events": [e.to_json() for e in events],
    }


def check_chain(document: Any) -> tuple[list[Event], list[str]]:
    """The events of an exported document and the problems with their chain (empty: intact)."""
    if not isinstance(document, Mapping) or document.get("format") != FORMAT:
        raise InputError(f"not a decision log (expected \"format\": \"{FORMAT}\")")
    if document.get("version") != VERSION:
        raise InputError(f"decision log version {document.get('version')!r} is not {VERSION}")
    raw = document.get("events")
    if not isinstance(raw, list):
        raise InputError("decision log: \"events\" must be a list")
    problems: list[str] = []
    events: list[Event] = []
    prev = GENESIS
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping) or set(item) != set(FIELDS) | {"hash"}:
            problems.append(f"event {i}: not an event object with fields {', '.join(FIELDS)}, hash")
            prev = item.get("hash", "") if isinstance(item, Mapping) else ""
            continue
        try:
            recomputed = event_hash({k: item[k] for k in FIELDS})
        except InputError as exc:
            problems.append(f"event {i}: {exc}")
            recomputed = ""
        if item["seq"] != i:
            problems.append(f"event {i}: seq is {item['seq']!r}, expected {i}")
        if item["prev"] != prev:
            problems.append(f"event {i}: prev does not match the hash of event {i - 1}")
        if item["hash"] != recomputed:
            problems.append(f"event {i}: hash does not match its content (changed after writing)")
        if item["council"] != document.get("council"):
            problems.append(f"event {i}: belongs to council {item['council']!r}")
        prev = item["hash"]
        events.append(Event(**{k: item[k] for k in FIELDS}, hash=item["hash"]))
    if document.get("head") != prev:
        problems.append("head does not match the hash of the last event")
    return events, problems


@dataclass
class _Decision:
    rule: Rule
    members: frozenset[str]
    say: Say
    secret: bool
    max_chain: int
    round: int = 0
    current: dict[str, StanceKind] = field(default_factory=dict)  # this round, last version
    rounds: list[dict[str, StanceKind]] = field(default_factory=list)
    weights: dict[str, Fraction] = field(default_factory=dict)
    boxes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    closed: bool = False
    outcome: dict[str, Any] | None = None


@dataclass
class _Poll:
    kind: str
    options: tuple[str, ...]
    params: dict[str, Any]
    secret: bool = False
    ballots: dict[str, Any] = field(default_factory=dict)  # voter (secret: receipt) -> newest ballot
    boxed: bool = False  # a secret poll's ballot box is in the log
    closed: bool = False
    result: dict[str, Any] | None = None

    def count(self) -> dict[str, Any]:
        return count_poll(self.kind, self.options, self.params, self.ballots).to_json()


class Ledger:
    """Replays a council's events, checking the process and recomputing outcomes and poll
    results."""

    def __init__(self) -> None:
        self.decisions: dict[str, _Decision] = {}
        self.polls: dict[str, _Poll] = {}
        self.delegations: tuple[Delegation, ...] = ()
        self.outcomes_checked = 0
        self.results_checked = 0
        self.witnessed: dict[str, Head] = {}  # nested council -> the last head witnessed here

    @staticmethod
    def _find(table: Mapping[str | None, Any], what: str, key: str | None, open_: bool) -> Any:
        """The decision or poll ``key`` of ``table``; refused when never opened, or closed
        while ``open_`` is asked for."""
        if key not in table:
            raise InputError(f"{what} {key!r} was never opened")
        found = table[key]
        if open_ and found.closed:
            raise InputError(f"{what} {key} is already closed")
        return found

    def _poll(self, poll: str | None, *, open_: bool = True) -> _Poll:
        return self._find(self.polls, "poll", poll, open_)

    def _apply_poll(self, e: Event, data: Mapping[str, Any]) -> None:
        if e.kind == "poll_opened":
            if e.decision is None or e.decision in self.polls:
                raise InputError(f"poll {e.decision!r} opened twice or without an id")
            options, params = data.get("options"), data.get("params") or {}
            if not isinstance(options, list) or not isinstance(params, Mapping):
                raise InputError("poll_opened: options must be a list and params an object")
            p = _Poll(str(data.get("kind")), tuple(str(o) for o in options), dict(params),
                      secret=bool(data.get("secret", False)))
            p.count()  # refuses an unknown kind, repeated options or impossible parameters
            self.polls[e.decision] = p
        elif e.kind == "poll_vote":
            p = self._poll(e.decision)
            if p.secret:
                raise InputError(f"poll {e.decision} is secret: a named ballot is not allowed")
            voter = data.get("voter")
            if not isinstance(voter, str) or not voter:
                raise InputError("poll_vote: no voter")
            count_poll(p.kind, p.options, p.params, {voter: data.get("ballot")})  # a valid ballot
            p.ballots[voter] = data.get("ballot")
        elif e.kind == "poll_ballots":
            p = self._poll(e.decision)
            if not p.secret or p.boxed:
                raise InputError(f"poll {e.decision}: a ballot box on a poll that is not secret, or twice")
            roll, board = list(data.get("roll", [])), list(data.get("bulletin", []))
            problems = audit(roll, board, roll)
            if problems:
                raise InputError("ballot box: " + "; ".join(problems))
            p.ballots = {str(b["receipt"]): b["ballot"] for b in board}
            count_poll(p.kind, p.options, p.params, p.ballots)  # every ballot valid
            p.boxed = True
        elif e.kind == "poll_closed":
            p = self._poll(e.decision)
            if p.secret and not p.boxed:
                raise InputError(f"secret poll {e.decision} closed without its ballot box")
            p.closed = True
        else:  # poll_result
            p = self._poll(e.decision, open_=False)
            if not p.closed or p.result is not None:
                raise InputError(f"result of poll {e.decision} before close, or twice")
            recomputed = p.count()
            if recomputed != data.get("result"):
                raise InputError(f"recorded result of poll {e.decision} differs from the recomputed {recomputed}")
            p.result = recomputed
            self.results_checked += 1

    def _get(self, decision: str | None, *, open_: bool = True) -> _Decision:
        return self._find(self.decisions, "decision", decision, open_)

    def _not_closed(self, decision: str | None) -> None:
        """Delegations may name a decision before it opens (it is then still in discussion),
        never one that has closed."""
        if decision is not None and decision in self.decisions and self.decisions[decision].closed:
            raise InputError(f"decision {decision} is already closed")

    def _round_stances(self, decision: str, d: _Decision) -> dict[str, StanceKind]:
        """The stances that count in the current round, delegated votes resolved."""
        if d.secret:
            board = d.boxes.get(d.round)
            if board is None:
                raise InputError(f"decision {decision}: round {d.round + 1} ended without ballots")
            return {f"r{d.round}:{b['receipt']}": StanceKind(b["kind"]) for b in board}
        direct = d.current
        return resolve(direct, self.delegations, decision, d.members, d.max_chain).votes

    def _decide(self, decision: str, d: _Decision, rounds: list[dict[str, StanceKind]]):
        if d.secret:
            voters = {m for r in rounds for m in r}
            return decide(d.rule, rounds, voters, d.weights, electorate=len(d.members))
        return decide(d.rule, rounds, d.members, d.say)

    def apply(self, e: Event) -> None:
        """Apply one event; InputError says what the process did not allow."""
        data = e.data if isinstance(e.data, Mapping) else {}
        if e.kind.startswith("poll_") and e.kind in KINDS:
            self._apply_poll(e, data)
        elif e.kind == "opened":
            if e.decision in self.decisions or e.decision is None:
                raise InputError(f"decision {e.decision!r} opened twice or without an id")
            self.decisions[e.decision] = _Decision(
                rule=Rule.from_json(data.get("rule")),
                members=frozenset(data.get("members", [])),
                say=Say.from_json(data.get("say")),
                secret=bool(data.get("secret", False)),
                max_chain=int(data.get("max_chain", 1)),
            )
        elif e.kind == "stance":
            d = self._get(e.decision)
            if d.secret:
                raise InputError(f"decision {e.decision} is secret: a named stance is not allowed")
            stance = Stance(
                str(data.get("member", "")),
                StanceKind.parse(str(data.get("kind")), where="stance event"),
                str(data.get("reason", "")),
                int(data.get("round", 0)),
                e.at,
            )
            if stance.member not in d.members:
                raise InputError(f"{stance.member!r} is not eligible on decision {e.decision}")
            if stance.round != d.round:
                raise InputError(f"stance for round {stance.round + 1} during round {d.round + 1}")
            if stance.kind not in d.rule.allowed(d.round):
                raise InputError(f"stance {stance.kind.value} not allowed in this round")
            d.current[stance.member] = stance.kind
        elif e.kind == "delegated":
            self._not_closed(e.decision)
            new = Delegation(str(data.get("delegator", "")), str(data.get("delegate", "")), e.decision)
            known = {new.delegator, new.delegate} | {x for dl in self.delegations for x in (dl.delegator, dl.delegate)}
            self.delegations = delegate(
                self.delegations, new, members=known, max_chain=int(data.get("max_chain", 1))
            )
        elif e.kind == "revoked":
            self._not_closed(e.decision)
            self.delegations = revoke(self.delegations, str(data.get("delegator", "")), e.decision)
        elif e.kind == "ballots":
            d = self._get(e.decision)
            if not d.secret:
                raise InputError(f"decision {e.decision} is not secret: no ballot box")
            if data.get("round") != d.round or d.round in d.boxes:
                raise InputError(f"ballot box for round {data.get('round')!r} out of place")
            roll, board = list(data.get("roll", [])), list(data.get("bulletin", []))
            problems = audit(roll, board, d.members)
            if problems:
                raise InputError("ballot box: " + "; ".join(problems))
            d.boxes[d.round] = board
            for b in board:
                d.weights[f"r{d.round}:{b['receipt']}"] = Fraction(b["weight"])
        elif e.kind == "round":
            d = self._get(e.decision)
            d.rounds.append(self._round_stances(e.decision, d))
            status = self._decide(e.decision, d, d.rounds).status
            wanted = {1: Status.SECOND_ROUND, 2: Status.SUPERMAJORITY_VOTE}.get(data.get("round"))
            if data.get("round") != d.round + 1 or status is not wanted:
                raise InputError(
                    f"round {data.get('round')!r} opened, but the rule says {status.value}"
                )
            d.round += 1
            d.current = {}
        elif e.kind == "closed":
            d = self._get(e.decision)
            d.rounds.append(self._round_stances(e.decision, d))
            d.closed = True
        elif e.kind == "outcome":
            d = self._get(e.decision, open_=False)
            if not d.closed or d.outcome is not None:
                raise InputError(f"outcome of decision {e.decision} before close, or twice")
            recomputed = self._decide(e.decision, d, d.rounds).to_json()
            if recomputed != data.get("result"):
                raise InputError(
                    f"recorded outcome {data.get('result', {}).get('status')!r} differs from the "
                    f"recomputed {recomputed['status']!r} ({'; '.join(recomputed['reasons'])})"
                )
            d.outcome = recomputed
            self.outcomes_checked += 1
        elif e.kind == "witness":
            self._apply_witness(e, data)
        else:
            raise InputError(f"unknown event kind {e.kind!r}")

    def _apply_witness(self, e: Event, data: Mapping[str, Any]) -> None:
        """A nested council's head, witnessed here: well formed, never this council's own, and
        never going back along that council's chain."""
        child, seq, head = data.get("council"), data.get("seq"), data.get("head")
        if not isinstance(child, str) or not child or child == e.council:
            raise InputError("witness: no nested council named")
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
            raise InputError(f"witness of {child!r}: seq {seq!r} is not a position in a chain")
        if not isinstance(head, str) or len(head) != 64 or head.strip("0123456789abcdef"):
            raise InputError(f"witness of {child!r}: {head!r} is not a head (64 hex digits)")
        last = self.witnessed.get(child)
        if last is not None and (seq < last.seq or (seq == last.seq and head != last.hash)):
            raise InputError(f"witness of {child!r}: event {seq} after event {last.seq} was witnessed "
                             "(a chain only grows)")
        self.witnessed[child] = Head(seq, head)

    def outcome(self, decision: str) -> dict[str, Any]:
        """The recomputed outcome JSON of a closed decision (what its outcome event must say)."""
        d = self._get(decision, open_=False)
        if not d.closed:
            raise InputError(f"decision {decision} is not closed")
        return self._decide(decision, d, d.rounds).to_json()

    def poll_result(self, poll: str) -> dict[str, Any]:
        """The recomputed result JSON of a closed poll (what its poll_result event must say)."""
        p = self._poll(poll, open_=False)
        if not p.closed:
            raise InputError(f"poll {poll} is not closed")
        return p.count()


@dataclass(frozen=True)
class Report:
    events: int
    decisions: int
    outcomes_checked: int
    problems: tuple[str, ...]
    polls: int = 0
    results_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(document: Any) -> Report:
    """Check the chain of an exported log and replay it, recomputing every outcome."""
    events, problems = check_chain(document)
    ledger = Ledger()
    for e in events:
        try:
            ledger.apply(e)
        except (InputError, KeyError, TypeError, ValueError) as exc:
            problems.append(f"event {e.seq} ({e.kind}): {exc}")
        except Exception as exc:  # noqa: BLE001 - a forged event must be reported, never crash the check
            problems.append(f"event {e.seq} ({e.kind}): cannot be replayed ({type(exc).__name__}: {exc})")
    return Report(len(events), len(ledger.decisions), ledger.outcomes_checked, tuple(problems),
                  len(ledger.polls), ledger.results_checked)


class Recorder:
    """Writes a council's log: every event is checked by a :class:`Ledger` before it is chained,
    so a log written here always verifies. The web shell and the tests write through it."""

    def __init__(self, council: str, events: Sequence[Event] = ()) -> None:
        self.council = council
        self.events: list[Event] = []
        self.ledger = Ledger()
        for e in events:
            self.ledger.apply(e)
            self.events.append(e)

    def append(self, decision: str | None, kind: str, data: dict[str, Any], at: str) -> Event:
        event = chain(self.events[-1] if self.events else None, self.council, decision, kind, at, data)
        self.ledger.apply(event)
        self.events.append(event)
        return event

    def close(self, decision: str, at: str, statement: str = "", review: str | None = None) -> Event:
        """Append ``closed`` and the recomputed ``outcome``; returns the outcome event."""
        self.append(decision, "closed", {}, at)
        result = self.ledger.outcome(decision)
        return self.append(
            decision, "outcome", {"result": result, "statement": statement, "review": review}, at
        )

    def export(self) -> dict[str, Any]:
        return export(self.council, self.events)
