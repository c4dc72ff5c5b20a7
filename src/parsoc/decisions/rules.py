"""Decision rules, chosen when a proposal opens and recorded with it.

A :class:`Rule` is plain data; :func:`parsoc.decisions.outcome.decide` applies it. All shares
are exact fractions (``Fraction``), never floats, so an outcome recomputed from the event log
is the same to the last digit.

The kinds (their exact definitions are in :mod:`parsoc.decisions.outcome`):

- ``full_consensus``     — passes with no block, some support, and stand-asides under a set
  share (``stand_aside_limit``, default one third) of the stances cast.
- ``modified_consensus`` — as full consensus, but a block does not end it: a second round of
  consensus follows; if a block still stands, a vote decides, passing with a supermajority
  (``supermajority``, default nine-tenths) of the yes and no votes cast.
- ``consent``            — passes when no one objects (and someone took part).
- ``simple_majority``    — passes when more say yes than no.
- ``qualified_majority`` — passes when yes is at least ``threshold`` (default two thirds) of
  the yes and no votes cast.

Every kind also has ``quorum``: the share of the eligible members who must cast a stance (of
any kind, stand-aside and abstain included) in the deciding round; 0 means none.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from parsoc.decisions.stances import StanceKind, in_order
from parsoc.errors import InputError
from parsoc.numbers import parse_fraction, shown
from parsoc.vocabulary import Vocabulary, _


class RuleKind(Vocabulary):
    """The decision rules (key: the word stored with the decision; label: what people read)."""

    FULL_CONSENSUS = "full_consensus", _("Full consensus")
    MODIFIED_CONSENSUS = "modified_consensus", _("Modified consensus")
    CONSENT = "consent", _("Consent")
    SIMPLE_MAJORITY = "simple_majority", _("Simple majority")
    QUALIFIED_MAJORITY = "qualified_majority", _("Qualified majority")


CONSENSUS_KINDS = frozenset(
    {StanceKind.AGREE, StanceKind.RESERVATIONS, StanceKind.STAND_ASIDE, StanceKind.BLOCK}
)
CONSENT_KINDS = frozenset(
    {StanceKind.AGREE, StanceKind.RESERVATIONS, StanceKind.STAND_ASIDE, StanceKind.OBJECT}
)
VOTE_KINDS = frozenset({StanceKind.YES, StanceKind.NO, StanceKind.ABSTAIN})
#: A temperature check (non-binding, before the decision window) asks the consensus question.
TEMPERATURE_KINDS = CONSENSUS_KINDS


def temperature_kind(value: object) -> StanceKind:
    """The stance kind of a temperature check named by ``value``; :class:`InputError` for a
    kind a temperature check does not take."""
    kind = StanceKind.parse(value, where="kind")
    if kind not in TEMPERATURE_KINDS:
        words = ", ".join(k.label.lower() for k in in_order(TEMPERATURE_KINDS))
        raise InputError(f"kind: a temperature check takes {words}")
    return kind


def share(value: Any, *, where: str) -> Fraction:
    """An exact share in [0, 1] from a Fraction, an int, or a string such as ``"9/10"``.

    Floats are refused: ``0.9`` is not exactly nine-tenths, and outcomes must recompute exactly.
    """
    if isinstance(value, bool | float):
        raise InputError(f"{where}: give a fraction such as \"9/10\", not {value!r}")
    try:  # the one number parser: bounded text, denominators up to a million (stored as 16 characters)
        result = parse_fraction(value, where, low=None, high=None, max_denominator=10**6)
    except InputError:
        raise InputError(f"{where}: {shown(value)} is not a fraction such as \"9/10\"") from None
    if not 0 <= result <= 1:
        raise InputError(f"{where}: {shown(value)} is not between 0 and 1")
    return result


def fraction_text(value: Fraction) -> str:
    """A Fraction as ``"9/10"`` (or ``"1"``) — the form stored in files and the event log."""
    return str(value)


@dataclass(frozen=True)
class Rule:
    """A decision rule and its parameters (exact shares; see the module docstring)."""

    kind: RuleKind
    quorum: Fraction = Fraction(0)
    stand_aside_limit: Fraction = Fraction(1, 3)
    supermajority: Fraction = Fraction(9, 10)
    threshold: Fraction = Fraction(2, 3)

    def __post_init__(self) -> None:
        if not isinstance(self.kind, RuleKind):
            try:
                object.__setattr__(self, "kind", RuleKind(str(self.kind)))
            except ValueError:
                known = ", ".join(k.value for k in RuleKind)
                raise InputError(f"rule: unknown kind {self.kind!r} (one of: {known})") from None
        for name in ("quorum", "stand_aside_limit", "supermajority", "threshold"):
            object.__setattr__(self, name, share(getattr(self, name), where=f"rule {name}"))
        if self.stand_aside_limit == 0:
            raise InputError("rule stand_aside_limit: must be more than 0 (no share is under 0)")
        if self.supermajority <= Fraction(1, 2) or self.threshold <= Fraction(1, 2):
            raise InputError("rule: a supermajority or qualified threshold must be more than 1/2")

    @property
    def rounds(self) -> int:
        """How many rounds the rule may take: three for modified consensus, one otherwise."""
        return 3 if self.kind is RuleKind.MODIFIED_CONSENSUS else 1

    def allowed(self, round: int = 0) -> frozenset[StanceKind]:
        """The stance kinds that may be cast in ``round`` under this rule."""
        if round >= self.rounds:
            raise InputError(f"rule {self.kind.value}: there is no round {round + 1}")
        if self.kind in (RuleKind.FULL_CONSENSUS,):
            return CONSENSUS_KINDS
        if self.kind is RuleKind.MODIFIED_CONSENSUS:
            return VOTE_KINDS if round == 2 else CONSENSUS_KINDS
        if self.kind is RuleKind.CONSENT:
            return CONSENT_KINDS
        return VOTE_KINDS

    def assent(self, round: int = 0) -> StanceKind:
        """The plain "I support it" kind of ``round`` (agree, or yes in a vote)."""
        return StanceKind.YES if StanceKind.YES in self.allowed(round) else StanceKind.AGREE

    def to_json(self) -> dict[str, str]:
        """Plain JSON (shares as exact fraction strings)."""
        return {
            "kind": self.kind.value,
            "quorum": fraction_text(self.quorum),
            "stand_aside_limit": fraction_text(self.stand_aside_limit),
            "supermajority": fraction_text(self.supermajority),
            "threshold": fraction_text(self.threshold),
        }

    @classmethod
    def from_json(cls, data: Any, *, where: str = "rule") -> Rule:
        """The rule written by :meth:`to_json` (missing parameters take their defaults)."""
        if not isinstance(data, dict) or "kind" not in data:
            raise InputError(f"{where}: expected an object with a \"kind\"")
        unknown = set(data) - {"kind", "quorum", "stand_aside_limit", "supermajority", "threshold"}
        if unknown:
            raise InputError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        return cls(**data)
