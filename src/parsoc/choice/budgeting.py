"""One entry point for the participatory budgeting rules, by the names the command line uses."""

from __future__ import annotations

from collections.abc import Callable

from parsoc.choice.allocation import Allocation
from parsoc.choice.equal_shares import method_of_equal_shares
from parsoc.choice.greedy import greedy_by_votes
from parsoc.choice.methods import BudgetRule, Completion, Satisfaction
from parsoc.choice.pabulib import PBElection
from parsoc.choice.phragmen import sequential_phragmen
from parsoc.errors import InputError

__all__ = ["RULES", "BudgetRule", "Completion", "Satisfaction", "run_rule"]


RULES = BudgetRule.values()


def run_rule(
    election: PBElection, rule: str, satisfaction: str = "cost", completion: str = "none",
    progress: Callable[[float], object] | None = None,
) -> Allocation:
    """Run ``rule``; ``satisfaction`` and ``completion`` apply to Equal Shares only."""
    if rule == "greedy":
        return greedy_by_votes(election)
    if rule == "equal-shares":
        return method_of_equal_shares(election, satisfaction, completion, progress=progress)
    if rule == "phragmen":
        return sequential_phragmen(election)
    raise InputError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
