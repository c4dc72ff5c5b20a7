"""Ranked-choice and STV polls counted by :mod:`parsoc.choice`.

The social-choice engine is verified against pref_voting on real PrefLib elections; this module
only translates: a poll's options and ballots become a :class:`~parsoc.choice.profile.RankedProfile`
(each ballot a strict order, unranked options below every ranked one), and the engine's
:class:`~parsoc.choice.outcome.Tally` becomes a :class:`~parsoc.decisions.ranked.RankedResult`.

- ``ranked_choice``: instant runoff (:func:`parsoc.choice.instant_runoff.instant_runoff`).
- ``stv``: single transferable vote, Droop quota, weighted inclusive Gregory transfers
  (:func:`parsoc.choice.stv.single_transferable_vote`).

Vote totals per round are given as fractions (rounded to a denominator of at most 10^6, since
the engine counts transferred surplus in floating point). Ties the count could not separate are
reported with ``tied=True``, never silently broken.
"""

from __future__ import annotations

from fractions import Fraction

from parsoc.choice.instant_runoff import instant_runoff
from parsoc.choice.outcome import Tally
from parsoc.choice.profile import RankedProfile
from parsoc.choice.stv import single_transferable_vote
from parsoc.decisions.ranked import RankedResult, register
from parsoc.errors import InputError


def _profile(options: tuple[str, ...], ballots: list[tuple[str, ...]]) -> RankedProfile:
    cast = [ballot for ballot in ballots if ballot]
    if not cast:
        raise InputError("ranked poll: no ballot ranks any option yet")
    index = {option: i for i, option in enumerate(options)}
    groups: list[tuple[tuple[int, ...], ...]] = [tuple((index[option],) for option in ballot) for ballot in cast]
    return RankedProfile.from_ballots(options, groups, [1] * len(groups), source="poll")


def _result(tally: Tally) -> RankedResult:
    rounds = []
    for step in tally.rounds:
        votes = step.get("votes") or step.get("tallies") or {}
        rounds.append({option: Fraction(value).limit_denominator(10**6) for option, value in votes.items()})
    return RankedResult(tuple(tally.winners), tuple(rounds), tied=tally.tied)


def ranked_choice(options: tuple[str, ...], ballots: list[tuple[str, ...]], seats: int) -> RankedResult:
    if seats != 1:
        raise InputError("ranked choice elects one option; use an STV poll for several seats")
    return _result(instant_runoff(_profile(options, ballots)))


def stv(options: tuple[str, ...], ballots: list[tuple[str, ...]], seats: int) -> RankedResult:
    return _result(single_transferable_vote(_profile(options, ballots), seats))


register("ranked_choice", ranked_choice)
register("stv", stv)
