"""Temperature checks: a quick reading of the room by hand signals.

Each participant shows one signal: *agree* (fingers up / twinkling), *neutral* (flat hand) or
*disagree* (fingers down); showing again replaces the earlier signal. The aggregate counts
each signal, gives each share of those who signalled, and a **temperature** in [-1, 1]:
``(agree - disagree) / signalled`` (0 when nobody has signalled). A temperature check is not a
decision: blocks and stand-asides belong to the decisions domain.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from parsoc.meetings.choices import parse_choice


class Signal(str, Enum):
    AGREE = "agree"
    NEUTRAL = "neutral"
    DISAGREE = "disagree"

    @classmethod
    def parse(cls, value: str | Signal) -> Signal:
        return parse_choice(cls, value, "hand signal")


@dataclass(frozen=True)
class Temperature:
    agree: int
    neutral: int
    disagree: int
    waiting: int

    @property
    def signalled(self) -> int:
        return self.agree + self.neutral + self.disagree

    @property
    def temperature(self) -> float:
        return (self.agree - self.disagree) / self.signalled if self.signalled else 0.0

    def shares(self) -> dict[str, float]:
        n = self.signalled
        return {
            "agree": self.agree / n if n else 0.0,
            "neutral": self.neutral / n if n else 0.0,
            "disagree": self.disagree / n if n else 0.0,
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "agree": self.agree,
            "neutral": self.neutral,
            "disagree": self.disagree,
            "waiting": self.waiting,
            "signalled": self.signalled,
            "temperature": round(self.temperature, 4),
            "shares": {k: round(v, 4) for k, v in self.shares().items()},
        }


def aggregate(
    signals: Mapping[Hashable, Signal | str], present: Iterable[Hashable] = ()
) -> Temperature:
    """Aggregate ``signals`` (person → signal); ``waiting`` counts ``present`` people silent."""
    counts = dict.fromkeys(Signal, 0)
    for signal in signals.values():
        counts[Signal.parse(signal)] += 1
    waiting = sum(1 for person in set(present) if person not in signals)
    return Temperature(
        counts[Signal.AGREE], counts[Signal.NEUTRAL], counts[Signal.DISAGREE], waiting
    )
