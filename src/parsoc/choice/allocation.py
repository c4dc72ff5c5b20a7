"""The outcome of a participatory budgeting rule, with its explanation and measures.

``selected`` lists the funded project ids in the order the rule funded them; ``cost`` is their
total (exact); ``tied`` is true when the rule had to break a tie between projects (ties are
broken in favour of the project id that sorts first as text, as pabutools does).
``payments`` (Method of Equal Shares) says, for each funded project, how much each voter paid
towards it. ``measures`` are the figures a council reads: the share of the budget used and the
share of voters with at least one funded project they voted for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from parsoc.choice.pabulib import PBElection


@dataclass(frozen=True)
class Allocation:
    rule: str
    selected: tuple[str, ...]
    cost: Fraction
    tied: bool = False
    payments: Mapping[str, dict[str, float]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, election: PBElection) -> dict[str, Any]:
        out = {
            "rule": self.rule,
            "selected": list(self.selected),
            "cost": _number(self.cost),
            "budget": _number(election.budget),
            "tied": self.tied,
            "measures": outcome_measures(election, self.selected),
        }
        if self.payments:
            out["payments"] = {project: dict(paid) for project, paid in self.payments.items()}
        out.update(self.details)
        return out


def outcome_measures(election: PBElection, selected: tuple[str, ...] | list[str]) -> dict[str, float]:
    """Budget used and the share of voters with at least one funded project on their ballot."""
    index = {p: i for i, p in enumerate(election.projects)}
    chosen = np.zeros(election.num_projects, dtype=bool)
    chosen[[index[p] for p in selected]] = True
    cost = sum((election.costs[index[p]] for p in selected), Fraction(0))
    voters = election.num_voters
    happy = int((election.approvals & chosen).any(axis=1).sum()) if voters else 0
    return {
        "budget_used": float(cost / election.budget) if election.budget else 0.0,
        "voters_with_funded_project": happy,
        "share_of_voters_with_funded_project": happy / voters if voters else 0.0,
        "funded_projects": int(chosen.sum()),
    }


def _number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)
