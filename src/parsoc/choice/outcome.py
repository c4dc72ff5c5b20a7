"""The outcome of a ranked or approval count, as a council reads it.

``winners`` lists alternative ids (strings) in order: for a single-winner method the set of
co-winners (more than one only when they are tied), for a multi-winner method the elected in
the order they were elected. ``tied`` is true when the count could not separate them without a
tie-break. ``winner`` is the single alternative named when one must be: the first co-winner in
the file's order of alternatives (the documented tie-break). ``scores`` and ``rounds`` explain
the count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Tally:
    method: str
    winners: tuple[str, ...]
    tied: bool
    scores: dict[str, Any] = field(default_factory=dict)
    rounds: tuple[dict[str, Any], ...] = ()

    @property
    def winner(self) -> str:
        """The single winner after the documented tie-break (first in the file's order)."""
        return self.winners[0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "winners": list(self.winners),
            "tied": self.tied,
            "winner": self.winner if self.winners else None,
            "scores": self.scores,
            "rounds": list(self.rounds),
        }
