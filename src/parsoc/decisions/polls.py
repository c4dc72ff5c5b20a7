"""Poll tallies: approval, score and dot votes (on the same lifecycle as proposals).

Every tally takes the options (in their display order), the ballots (voter → what they gave)
and optionally each voter's weight (weighted say, 1 when absent), and returns a
:class:`PollResult` with head and weighted figures side by side. Ballots naming an unknown
option, or breaking the poll's limits, are refused with an :class:`InputError` naming the voter.

Approval
    A ballot is a set of approved options (at most ``max_approvals`` when set). An option's
    head figure is the number of voters approving it; its weighted figure the sum of their
    weights.

Score
    A ballot gives some options a whole-number score in ``[low, high]``. An option's head figure
    is the sum of its scores, its weighted figure the sum of score × weight; ``scored`` says how
    many voters scored it, and ``mean`` is the head sum over those voters.

Dot vote
    Each voter has ``dots`` dots to spread over the options (at most ``per_option`` on one
    option when set; fewer than all is allowed). Figures are summed like scores.

Ranked choice and STV are not tallied here: see :mod:`parsoc.decisions.ranked`.
:func:`count` dispatches any poll kind (the web shell and the record's replay both use it, so
a recorded poll result recomputes to the digit).

The ranking orders options by weighted figure, then head figure, highest first; options that
tie on both keep their display order, and ``ties`` names the tied groups so a facilitator sees
them instead of a silent tie-break.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from parsoc.errors import InputError
from parsoc.numbers import COUNT_MAX, parse_int
from parsoc.vocabulary import Vocabulary, _

if TYPE_CHECKING:
    from parsoc.decisions.ranked import RankedResult


@dataclass(frozen=True)
class PollResult:
    """Per-option figures (head and weighted side by side), and the ranking."""

    options: tuple[str, ...]
    head: dict[str, int]
    weighted: dict[str, Fraction]
    scored: dict[str, int]
    voters: int

    @property
    def ranking(self) -> tuple[str, ...]:
        order = {o: i for i, o in enumerate(self.options)}
        return tuple(
            sorted(self.options, key=lambda o: (-self.weighted[o], -self.head[o], order[o]))
        )

    @property
    def ties(self) -> tuple[tuple[str, ...], ...]:
        """Groups of two or more options with equal weighted and head figures."""
        groups: dict[tuple[Fraction, int], list[str]] = {}
        for o in self.ranking:
            groups.setdefault((self.weighted[o], self.head[o]), []).append(o)
        return tuple(tuple(g) for g in groups.values() if len(g) > 1)

    def mean(self, option: str) -> Fraction | None:
        """The mean given to ``option`` by the voters who gave it anything (None if nobody)."""
        n = self.scored[option]
        return Fraction(self.head[option], n) if n else None

    def to_json(self) -> dict[str, Any]:
        return {
            "voters": self.voters,
            "options": [
                {
                    "option": o,
                    "head": self.head[o],
                    "weighted": str(self.weighted[o]),
                    "scored": self.scored[o],
                }
                for o in self.ranking
            ],
            "ties": [list(t) for t in self.ties],
        }


def _options(options: Sequence[str]) -> tuple[str, ...]:
    result = tuple(options)
    if not result:
        raise InputError("poll: there are no options")
    if len(set(result)) != len(result):
        twice = next(o for i, o in enumerate(result) if o in result[:i])
        raise InputError(f"poll: the option {twice!r} is listed twice")
    return result


def _tally(
    options: Sequence[str],
    ballots: Mapping[str, Mapping[str, int]],
    weights: Mapping[str, Fraction] | None,
) -> PollResult:
    """Sum voter → {option: points} ballots (already checked) into a result."""
    opts = _options(options)
    head = dict.fromkeys(opts, 0)
    weighted = {o: Fraction(0) for o in opts}
    scored = dict.fromkeys(opts, 0)
    for voter, points in ballots.items():
        if weights is not None and voter not in weights:
            raise InputError(f"ballot of {voter}: this voter has no weight in this poll")
        w = Fraction(1) if weights is None else weights[voter]
        for option, p in points.items():
            head[option] += p
            weighted[option] += p * w
            scored[option] += 1
    return PollResult(opts, head, weighted, scored, len(ballots))


def _check_known(voter: str, chosen: Collection[str], options: Sequence[str]) -> None:
    known = set(options)
    for option in chosen:
        if option not in known:
            raise InputError(f"ballot of {voter}: {option!r} is not an option of this poll")


def approval(
    options: Sequence[str],
    ballots: Mapping[str, Collection[str]],
    weights: Mapping[str, Fraction] | None = None,
    *,
    max_approvals: int | None = None,
) -> PollResult:
    """Approval tally (definition in the module docstring)."""
    points: dict[str, dict[str, int]] = {}
    for voter, approved in ballots.items():
        chosen = set(approved)
        _check_known(voter, chosen, options)
        if max_approvals is not None and len(chosen) > max_approvals:
            raise InputError(
                f"ballot of {voter}: {len(chosen)} approvals, this poll allows {max_approvals}"
            )
        points[voter] = dict.fromkeys(chosen, 1)
    return _tally(options, points, weights)


def score(
    options: Sequence[str],
    ballots: Mapping[str, Mapping[str, int]],
    weights: Mapping[str, Fraction] | None = None,
    *,
    low: int = 0,
    high: int = 5,
) -> PollResult:
    """Score tally (definition in the module docstring)."""
    if low > high:
        raise InputError(f"score poll: the lowest score {low} is above the highest {high}")
    for voter, scores in ballots.items():
        _check_known(voter, scores, options)
        for option, s in scores.items():
            if isinstance(s, bool) or not isinstance(s, int) or not low <= s <= high:
                raise InputError(
                    f"ballot of {voter}: score {s!r} for {option!r} is not a whole number "
                    f"from {low} to {high}"
                )
    return _tally(options, ballots, weights)


def dot_vote(
    options: Sequence[str],
    ballots: Mapping[str, Mapping[str, int]],
    weights: Mapping[str, Fraction] | None = None,
    *,
    dots: int,
    per_option: int | None = None,
) -> PollResult:
    """Dot-vote tally (definition in the module docstring)."""
    if dots < 1:
        raise InputError(f"dot vote: each voter needs at least one dot, not {dots}")
    for voter, given in ballots.items():
        _check_known(voter, given, options)
        for option, d in given.items():
            if isinstance(d, bool) or not isinstance(d, int) or d < 0:
                raise InputError(f"ballot of {voter}: {d!r} dots on {option!r} is not a count")
            if per_option is not None and d > per_option:
                raise InputError(
                    f"ballot of {voter}: {d} dots on {option!r}, at most {per_option} allowed"
                )
        if sum(given.values()) > dots:
            raise InputError(f"ballot of {voter}: {sum(given.values())} dots spent of {dots}")
    return _tally(options, {v: {o: d for o, d in g.items() if d} for v, g in ballots.items()}, weights)


class PollKind(Vocabulary):
    """The kinds of poll (key: the word stored with the poll and in the record)."""

    APPROVAL = "approval", _("Approval")
    SCORE = "score", _("Score")
    DOT_VOTE = "dot_vote", _("Dot vote")
    RANKED_CHOICE = "ranked_choice", _("Ranked choice")
    STV = "stv", _("Single transferable vote (STV)")


KINDS = PollKind.values()

#: The parameters each kind of poll takes (all whole numbers; see :func:`count`).
PARAMS: Mapping[PollKind, frozenset[str]] = {
    PollKind.APPROVAL: frozenset({"max_approvals"}),
    PollKind.SCORE: frozenset({"low", "high"}),
    PollKind.DOT_VOTE: frozenset({"dots", "per_option"}),
    PollKind.RANKED_CHOICE: frozenset(),
    PollKind.STV: frozenset({"seats"}),
}

#: Kinds whose ballot is a list of options (approved, or ranked best first); the others give
#: each option a number.
LIST_BALLOTS = frozenset({PollKind.APPROVAL, PollKind.RANKED_CHOICE, PollKind.STV})
RANKED = frozenset({PollKind.RANKED_CHOICE, PollKind.STV})


def poll_kind(value: object) -> PollKind:
    """The kind named by ``value``; an :class:`InputError` naming the kinds otherwise."""
    if isinstance(value, PollKind):
        return value
    try:
        return PollKind(str(value))
    except ValueError:
        raise InputError(f"kind: {str(value)[:40]!r} is not one of {', '.join(KINDS)}") from None


def check_params(kind: object, params: Mapping[str, Any] | None) -> dict[str, int]:
    """The parameters of a new poll of ``kind``, checked: only those the kind takes, each a
    whole number within bounds, ``dots`` present for a dot vote, and limits that a ballot can
    meet (e.g. the lowest score not above the highest)."""
    k = poll_kind(kind)
    checked = dict(params or {})
    unknown = set(checked) - PARAMS[k]
    if unknown:
        raise InputError(f"params: {', '.join(sorted(unknown))} do not apply to a {k.value} poll")
    for name, value in checked.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"params.{name}: {value!r} is not a whole number")
        checked[name] = parse_int(value, f"params.{name}", low=-COUNT_MAX, high=COUNT_MAX)
    if k is PollKind.DOT_VOTE and "dots" not in checked:
        raise InputError("params.dots: say how many dots each voter has")
    if k not in RANKED:
        count(k, ("a", "b"), checked, {})  # limits no ballot could meet (low above high, no dots)
    return checked


def check_options(options: Sequence[object]) -> list[str]:
    """A new poll's options, trimmed: at least two, all different and none empty."""
    trimmed = [str(o).strip() for o in options]
    if len(trimmed) < 2 or any(not o for o in trimmed) or len(set(trimmed)) != len(trimmed):
        raise InputError("options: give at least two different, non-empty options")
    return trimmed


def check_ballot(kind: object, options: Sequence[str], params: Mapping[str, Any], ballot: Any, who: str) -> None:
    """Refuse a ballot that the poll could not count: the wrong shape for its kind (a list of
    options, or an object option → number), a number out of bounds, an unknown option, or
    one breaking the poll's limits."""
    k = poll_kind(kind)
    if k in LIST_BALLOTS:
        if not isinstance(ballot, list):
            raise InputError("ballot: give a list of options")
    elif not isinstance(ballot, dict):
        raise InputError("ballot: give an object option → number")
    else:
        for option, number in ballot.items():
            parse_int(number, f"ballot.{str(option)[:40]}", low=-COUNT_MAX, high=COUNT_MAX)
    if k in RANKED:
        from parsoc.decisions import ranked

        ranked.check_ballots(options, [ballot], params.get("seats", 1))
    else:
        count(k, options, params, {who: ballot})


def count(
    kind: str, options: Sequence[str], params: Mapping[str, Any], ballots: Mapping[str, Any]
) -> PollResult | RankedResult:
    """The result of a poll of ``kind`` (one of :data:`KINDS`) from voter → newest ballot:
    a :class:`PollResult`, or a :class:`~parsoc.decisions.ranked.RankedResult` for ranked
    kinds (empty before anyone ranked anything). ``params``: ``max_approvals``; ``low``,
    ``high``; ``dots``, ``per_option``; ``seats``."""
    from parsoc.decisions import ranked

    p = params
    if kind == "approval":
        return approval(options, {v: set(b) for v, b in ballots.items()}, max_approvals=p.get("max_approvals"))
    if kind == "score":
        return score(options, ballots, low=p.get("low", 0), high=p.get("high", 5))
    if kind == "dot_vote":
        if "dots" not in p:
            raise InputError("params.dots: say how many dots each voter has")
        return dot_vote(options, ballots, dots=p["dots"], per_option=p.get("per_option"))
    if kind not in KINDS:
        raise InputError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    ranked.check_ballots(options, list(ballots.values()), p.get("seats", 1))
    if not ballots:
        return ranked.RankedResult(())
    return ranked.tally(kind, options, list(ballots.values()), p.get("seats", 1))
