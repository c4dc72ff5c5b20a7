"""Weighted say: a say in proportion to how much a decision affects you.

For one decision a facilitator may define *affected groups*, each with a weight — say,
residents of the street 3, the rest of the neighbourhood 1. Every member's stance then counts
with their group's weight. A member in no group has the ``default`` weight (1 unless set).
A member in several groups counts once, with the largest weight among their groups: being
affected in two ways does not give two voices.

Weights are exact non-negative rationals (ints, Fractions or strings like ``"3/2"``). A weight
of 0 is allowed and means: present, heard, counted in the head count, but no weight in the
result. Results always show the weighted and the head counts side by side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from parsoc.errors import InputError
from parsoc.numbers import WEIGHT_MAX, parse_fraction


def weight(value: Any, *, where: str) -> Fraction:
    """An exact weight between 0 and :data:`~parsoc.numbers.WEIGHT_MAX`, through the one number
    parser; floats are refused (they do not recompute exactly)."""
    result = parse_fraction(value, where, low=None, high=WEIGHT_MAX)
    if result < 0:
        raise InputError(f"{where}: a weight cannot be negative ({result})")
    return result


@dataclass(frozen=True)
class AffectedGroup:
    """A named group of members who are affected alike, and their weight."""

    name: str
    weight: Fraction
    members: frozenset[str]

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InputError("affected group: the name is missing")
        object.__setattr__(self, "weight", weight(self.weight, where=f"group {self.name!r} weight"))
        object.__setattr__(self, "members", frozenset(self.members))


@dataclass(frozen=True)
class Say:
    """The affected groups of one decision and the default weight of everyone else."""

    groups: tuple[AffectedGroup, ...] = field(default_factory=tuple)
    default: Fraction = Fraction(1)

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", tuple(self.groups))
        object.__setattr__(self, "default", weight(self.default, where="default weight"))
        names = [g.name for g in self.groups]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise InputError(f"affected groups: the name {duplicated[0]!r} is used twice")

    def weight_of(self, member: str) -> Fraction:
        """The member's weight: the largest weight of their groups, else the default."""
        weights = [g.weight for g in self.groups if member in g.members]
        return max(weights) if weights else self.default

    def weights(self, members: Iterable[str]) -> dict[str, Fraction]:
        """Member → weight for every member given."""
        return {m: self.weight_of(m) for m in members}

    @property
    def equal(self) -> bool:
        """True when everyone counts the same (no groups, or all at the default weight)."""
        return all(g.weight == self.default for g in self.groups)

    def to_json(self) -> dict[str, Any]:
        return {
            "default": str(self.default),
            "groups": [
                {"name": g.name, "weight": str(g.weight), "members": sorted(g.members)}
                for g in self.groups
            ],
        }

    @classmethod
    def from_json(cls, data: Any, *, where: str = "say") -> Say:
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise InputError(f"{where}: expected an object with \"groups\"")
        groups = []
        for i, g in enumerate(data.get("groups", [])):
            if not isinstance(g, Mapping) or not {"name", "weight", "members"} <= set(g):
                raise InputError(f"{where} group {i + 1}: needs name, weight and members")
            groups.append(AffectedGroup(str(g["name"]), g["weight"], frozenset(g["members"])))
        return cls(tuple(groups), data.get("default", 1))
