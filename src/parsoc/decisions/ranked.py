"""Ranked-choice and STV polls: the interface to the social-choice engine.

Decisions does not count ranked ballots itself: ranked choice (instant runoff) and STV elections
of delegates and roles are counted by :mod:`parsoc.choice`, the social-choice domain, which is
verified there against pref_voting on real PrefLib elections. This module fixes what the
decisions domain hands over and what it expects back, and checks the ballots on the way in:

- a ballot is a tuple of options, most preferred first; it may leave options out (they rank
  below every option it names) but may not name one twice or name an unknown option;
- ``seats`` is 1 for ranked choice, the number of delegates or roles for STV;
- the engine returns a :class:`RankedResult`: the elected options in order of election, and the
  rounds as a list of ``{option: votes}`` (with exact fractions for transferred surplus).

An engine is a callable ``(options, ballots, seats) -> RankedResult`` registered under a method
name with :func:`register`; :func:`tally` looks it up. Until :mod:`parsoc.choice` registers its
methods (:mod:`parsoc.decisions.ranked_engines` does so on first use), tallying a ranked poll
is refused with a message saying so — never counted by a stand-in here.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from parsoc.errors import InputError

METHODS = ("ranked_choice", "stv")


@dataclass(frozen=True)
class RankedResult:
    elected: tuple[str, ...]
    rounds: tuple[dict[str, Fraction], ...] = field(default_factory=tuple)
    tied: bool = False  # the count could not separate some options without a tie-break

    def to_json(self) -> dict[str, Any]:
        return {
            "elected": list(self.elected),
            "tied": self.tied,
            "rounds": [{o: str(v) for o, v in r.items()} for r in self.rounds],
        }


Engine = Callable[[tuple[str, ...], list[tuple[str, ...]], int], RankedResult]
_ENGINES: dict[str, Engine] = {}


def register(method: str, engine: Engine) -> None:
    """Make ``engine`` count polls of ``method`` (``ranked_choice`` or ``stv``)."""
    if method not in METHODS:
        raise ValueError(f"unknown ranked method {method!r}; one of {METHODS}")
    _ENGINES[method] = engine


def check_ballots(
    options: Sequence[str], ballots: Sequence[Sequence[str]], seats: int
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The options and ballots as tuples, after the checks in the module docstring."""
    opts = tuple(options)
    if len(set(opts)) != len(opts) or not opts:
        raise InputError("ranked poll: the options must be given, each once")
    if not 1 <= seats <= len(opts):
        raise InputError(f"ranked poll: {seats} seats for {len(opts)} options")
    known = set(opts)
    checked = []
    for i, ballot in enumerate(ballots, start=1):
        ranking = tuple(ballot)
        for option in ranking:
            if option not in known:
                raise InputError(f"ranked ballot {i}: {option!r} is not an option of this poll")
        if len(set(ranking)) != len(ranking):
            raise InputError(f"ranked ballot {i}: an option is ranked twice")
        checked.append(ranking)
    return opts, checked


def tally(
    method: str, options: Sequence[str], ballots: Sequence[Sequence[str]], seats: int = 1
) -> RankedResult:
    """Count a ranked poll with the engine registered for ``method``."""
    if method not in METHODS:
        raise InputError(f"ranked poll: unknown method {method!r} (one of: {', '.join(METHODS)})")
    opts, checked = check_ballots(options, ballots, seats)
    if method not in _ENGINES:
        # the adapter to parsoc.choice registers its engines on import
        with contextlib.suppress(ImportError):
            importlib.import_module("parsoc.decisions.ranked_engines")
    engine = _ENGINES.get(method)
    if engine is None:
        raise InputError(
            f"ranked poll: no engine for {method!r} yet — it comes from parsoc.choice, "
            "which is not installed in this build"
        )
    return engine(opts, checked, seats)
