"""The outcome of a decision: ONE pure function of the stances and the rule.

:func:`decide` takes the rule, the stances of each round (member → kind, after delegated votes
are resolved), the eligible members and their say, and returns an :class:`Outcome`: a status,
the reasons in words, and the head and weighted counts of every round side by side.

Definitions (``cast`` = members with a stance of any kind in the round; weighted sums use each
member's weight from :class:`~parsoc.decisions.say.Say`; shares are exact fractions):

Quorum (every rule)
    The deciding round fails unless at least ``quorum`` × (number of eligible members) members
    cast a stance in it. Quorum is a head count: weights do not make a crowd.

Full consensus
    Fails when anyone blocks (one block is enough, whatever its weight). Otherwise passes when at
    least one member agrees (agree or agree with reservations) and the weighted share of
    stand-asides among the stances cast is *under* ``stand_aside_limit``.

Modified consensus (Occupy Wall Street's general assembly)
    Round 1 is judged as full consensus, except that a block sends it to round 2 (a second round
    of discussion and stances). If no block stands after round 2 it is judged as full consensus
    again; if a block still stands, round 3 is a vote (yes / no / abstain) that passes when the
    weighted yes votes are at least ``supermajority`` (nine-tenths by default) of the weighted
    yes and no votes cast, and at least one member votes yes. Abstentions count for quorum only.

Consent
    Passes when no one objects and at least one member cast a stance.

Simple majority
    Passes when the weighted yes votes are more than the weighted no votes (a tie fails).
    Abstentions count for quorum only.

Qualified majority
    Passes when the weighted yes votes are at least ``threshold`` (two thirds by default) of the
    weighted yes and no votes, and at least one member votes yes.

An outcome whose status is ``second_round`` or ``supermajority_vote`` is not final: the process
moves to that round. Rounds given past a final verdict are refused, as are stances by members
who are not eligible and stance kinds the round does not allow.

Monotonicity (checked by property tests): adding an assenting stance (agree, or yes in a vote)
by another eligible member never turns a pass into a fail.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from parsoc.decisions.rules import Rule, RuleKind
from parsoc.decisions.say import Say
from parsoc.decisions.stances import SUPPORT, StanceKind
from parsoc.errors import InputError
from parsoc.vocabulary import Vocabulary, _


class Status(Vocabulary):
    """What :func:`decide` found (key: the word in the record; label: what people read)."""

    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    SECOND_ROUND = "second_round", _("Second round")
    SUPERMAJORITY_VOTE = "supermajority_vote", _("Supermajority vote")


@dataclass(frozen=True)
class Count:
    """Head and weighted counts of each stance kind in one round."""

    head: Mapping[StanceKind, int]
    weighted: Mapping[StanceKind, Fraction]

    def n(self, *kinds: StanceKind) -> int:
        return sum(self.head.get(k, 0) for k in kinds)

    def w(self, *kinds: StanceKind) -> Fraction:
        return sum((self.weighted.get(k, Fraction(0)) for k in kinds), Fraction(0))

    @property
    def cast(self) -> int:
        return sum(self.head.values())

    def to_json(self) -> dict[str, dict[str, Any]]:
        """``{kind: {"head": n, "weighted": "p/q"}}`` for every kind present, sorted by kind."""
        return {
            k.value: {"head": self.head[k], "weighted": str(self.weighted[k])}
            for k in sorted(self.head, key=lambda k: k.value)
        }


@dataclass(frozen=True)
class Outcome:
    """What :func:`decide` found: status, reasons, and counts of every round so far."""

    status: Status
    rule: Rule
    round: int
    reasons: tuple[str, ...]
    counts: tuple[Count, ...]
    eligible: int

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    @property
    def final(self) -> bool:
        return self.status in (Status.PASSED, Status.FAILED)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "round": self.round,
            "reasons": list(self.reasons),
            "counts": [c.to_json() for c in self.counts],
            "eligible": self.eligible,
        }


def count(stances: Mapping[str, StanceKind], weights: Mapping[str, Fraction]) -> Count:
    """Head and weighted count of a round's stances."""
    head: dict[StanceKind, int] = {}
    weighted: dict[StanceKind, Fraction] = {}
    for member, kind in stances.items():
        head[kind] = head.get(kind, 0) + 1
        weighted[kind] = weighted.get(kind, Fraction(0)) + weights[member]
    return Count(head, weighted)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _quorum(rule: Rule, c: Count, eligible: int) -> str | None:
    """The reason the round misses quorum, or None when it meets it."""
    needed = rule.quorum * eligible
    if c.cast < needed:
        return (
            f"quorum not met: {c.cast} of {eligible} members took part, "
            f"{rule.quorum} of the members ({needed.__ceil__()}) needed"
        )
    return None


def _consensus(rule: Rule, c: Count) -> tuple[Status, list[str]]:
    """Judge a round of consensus stances that has no block."""
    support = c.n(StanceKind.AGREE, StanceKind.RESERVATIONS)
    if support == 0:
        return Status.FAILED, ["no one agreed"]
    total = c.w(*c.weighted)
    aside = c.w(StanceKind.STAND_ASIDE)
    ratio = aside / total if total else Fraction(0)
    stand_asides = _plural(c.n(StanceKind.STAND_ASIDE), "stand-aside")
    if ratio < rule.stand_aside_limit:
        return Status.PASSED, [
            f"no block; {support} agreed; {stand_asides} weighing {ratio} of the stances cast, "
            f"under the limit of {rule.stand_aside_limit}"
        ]
    return Status.FAILED, [
        f"no block, but {stand_asides} weigh {ratio} of the stances cast, "
        f"not under the limit of {rule.stand_aside_limit}"
    ]


def _vote(c: Count, threshold: Fraction | None, name: str) -> tuple[Status, list[str]]:
    """Judge yes/no votes: ``threshold`` None means a simple majority."""
    yes, no = c.w(StanceKind.YES), c.w(StanceKind.NO)
    heads = f"{c.n(StanceKind.YES)} yes, {c.n(StanceKind.NO)} no, {c.n(StanceKind.ABSTAIN)} abstain"
    weights = f"weighted {yes} yes to {no} no"
    if threshold is None:
        ok = yes > no
        test = "more yes than no" if ok else "not more yes than no"
    else:
        ok = yes > 0 and yes >= threshold * (yes + no)
        got = yes / (yes + no) if yes + no else Fraction(0)
        test = f"yes is {got} of the yes and no votes, {'at least' if ok else 'under'} {threshold}"
    return (Status.PASSED if ok else Status.FAILED), [f"{name}: {heads} ({weights}); {test}"]


def _judge(rule: Rule, round: int, c: Count, eligible: int) -> tuple[Status, list[str]]:
    missing = _quorum(rule, c, eligible)
    if missing:
        return Status.FAILED, [missing]
    kind = rule.kind
    blocks = c.n(StanceKind.BLOCK)
    if kind is RuleKind.FULL_CONSENSUS or (kind is RuleKind.MODIFIED_CONSENSUS and round < 2):
        if blocks and kind is RuleKind.FULL_CONSENSUS:
            return Status.FAILED, [f"blocked: {_plural(blocks, 'block')} under full consensus"]
        if blocks and round == 0:
            return Status.SECOND_ROUND, [
                f"{_plural(blocks, 'block')} in round 1: a second round of discussion follows"
            ]
        if blocks:
            return Status.SUPERMAJORITY_VOTE, [
                f"{_plural(blocks, 'block')} still standing after the second round: "
                f"a vote decides, needing {rule.supermajority} of the yes and no votes"
            ]
        return _consensus(rule, c)
    if kind is RuleKind.MODIFIED_CONSENSUS:
        return _vote(c, rule.supermajority, "supermajority vote")
    if kind is RuleKind.CONSENT:
        objections = c.n(StanceKind.OBJECT)
        if objections:
            return Status.FAILED, [f"{_plural(objections, 'objection')}: no consent"]
        if c.cast == 0:
            return Status.FAILED, ["no one took part"]
        return Status.PASSED, [f"no objection among {_plural(c.cast, 'stance')} cast"]
    if kind is RuleKind.SIMPLE_MAJORITY:
        return _vote(c, None, "simple majority")
    return _vote(c, rule.threshold, "qualified majority")


def decide(
    rule: Rule,
    rounds: Sequence[Mapping[str, StanceKind]],
    members: Collection[str],
    say: Say | Mapping[str, Fraction] | None = None,
    *,
    electorate: int | None = None,
) -> Outcome:
    """The outcome of ``rounds`` of stances under ``rule`` (definitions in the module docstring).

    ``rounds[i]`` maps each member who took part in round ``i + 1`` to their stance kind; an
    empty sequence means one round with no stances yet. ``members`` are the eligible members
    (their number is the base of the quorum); ``say`` gives their weights — affected groups, or
    member → weight directly (1 for a member it does not name), all 1 when None.
    ``electorate`` replaces ``len(members)`` as the number of eligible members — for secret
    ballots, where the stances are keyed by ballot, not by member.
    """
    eligible = frozenset(members)
    if isinstance(say, Say) or say is None:
        weights = (say or Say()).weights(eligible)
    else:
        weights = {m: say.get(m, Fraction(1)) for m in eligible}
    rounds = list(rounds) or [{}]
    if len(rounds) > rule.rounds:
        raise InputError(
            f"rule {rule.kind.value}: {len(rounds)} rounds given, it has at most {rule.rounds}"
        )
    size = len(eligible) if electorate is None else electorate
    counts: list[Count] = []
    for i, stances in enumerate(rounds):
        allowed = rule.allowed(i)
        for member, kind in stances.items():
            if member not in eligible:
                raise InputError(f"round {i + 1}: {member!r} is not an eligible member")
            if kind not in allowed:
                names = ", ".join(sorted(k.value for k in allowed))
                raise InputError(
                    f"round {i + 1}, stance of {member!r}: {getattr(kind, 'value', kind)!r} is "
                    f"not allowed under {rule.kind.value} (allowed: {names})"
                )
        counts.append(count(stances, weights))
        if counts[-1].cast > size:
            raise InputError(f"round {i + 1}: {counts[-1].cast} stances for {size} members")
        status, reasons = _judge(rule, i, counts[-1], size)
        last = i == len(rounds) - 1
        if not last and status in (Status.PASSED, Status.FAILED):
            raise InputError(
                f"round {i + 2} was given, but round {i + 1} already decided ({status.value})"
            )
        if last:
            return Outcome(status, rule, i, tuple(reasons), tuple(counts), size)
    raise AssertionError("unreachable: rounds is never empty")


def support_share(outcome: Mapping[str, Any] | None) -> Fraction:
    """The weighted share of support (:data:`~parsoc.decisions.stances.SUPPORT`: agree, agree
    with reservations, yes) among the stances cast in the deciding round of a recorded outcome
    (:meth:`Outcome.to_json`); 0 with no outcome or no stance. Competing proposals on one
    question are ranked by it."""
    if not outcome:
        return Fraction(0)
    counts: Mapping[str, Mapping[str, Any]] = outcome["counts"][outcome["round"]]
    total = sum((Fraction(c["weighted"]) for c in counts.values()), Fraction(0))
    support = sum((Fraction(c["weighted"]) for k, c in counts.items() if k in SUPPORT), Fraction(0))
    return support / total if total else Fraction(0)
