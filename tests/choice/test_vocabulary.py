"""The vocabulary of social choice and budgeting, and the budgeting phase machine (pure)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from parsoc.choice.budget_process import PHASE_ORDER, BallotKind, Phase, next_phase
from parsoc.choice.methods import BudgetRule, Completion, Satisfaction, VotingMethod
from parsoc.errors import InputError

# Stored in the database and written in .pb files and on the command line: they never change.
STORED = {
    Phase: ("proposals", "review", "voting", "results"),
    BallotKind: ("approval", "choose-1", "cumulative", "ordinal"),
    BudgetRule: ("equal-shares", "greedy", "phragmen"),
    Satisfaction: ("cost", "cardinality"),
    Completion: ("none", "add1"),
    VotingMethod: ("plurality", "borda", "irv", "schulze", "copeland", "minimax", "ranked-pairs", "stv",
                   "approval", "pav", "phragmen"),
}


@pytest.mark.parametrize("vocabulary", list(STORED), ids=lambda v: v.__name__)
def test_keys_stay_and_read_as_words(vocabulary) -> None:
    assert vocabulary.values() == STORED[vocabulary]
    assert all(m.label and m.label != m.value for m in vocabulary if m.value not in ("stv",))


def test_every_name_is_counted_by_the_entry_points() -> None:
    from parsoc.choice.budgeting import RULES
    from parsoc.choice.equal_shares import COMPLETIONS, SATISFACTIONS
    from parsoc.choice.tally import APPROVAL, METHODS, SINGLE_WINNER

    assert set(METHODS) == {*SINGLE_WINNER, "stv", *APPROVAL} == set(VotingMethod)
    assert set(RULES) == set(BudgetRule) and SATISFACTIONS == Satisfaction.values() and COMPLETIONS == Completion.values()


def test_the_vocabulary_loads_without_the_counting_code() -> None:
    """The command line offers these choices at start-up: importing them must not load NumPy."""
    code = ("import sys; import parsoc.choice.methods, parsoc.choice.budget_process; "
            "print('numpy' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_a_process_goes_through_its_phases_in_order_and_stops_at_results() -> None:
    assert PHASE_ORDER == (Phase.PROPOSALS, Phase.REVIEW, Phase.VOTING, Phase.RESULTS)
    assert next_phase("proposals", feasible_projects=0) is Phase.REVIEW
    assert next_phase(Phase.REVIEW, feasible_projects=1) is Phase.VOTING
    assert next_phase("voting", feasible_projects=0) is Phase.RESULTS
    with pytest.raises(InputError, match="^the process is already at its results$"):
        next_phase(Phase.RESULTS, feasible_projects=5)


def test_voting_opens_only_with_a_feasible_project() -> None:
    with pytest.raises(InputError, match="mark at least one project feasible, with a cost, before voting opens"):
        next_phase(Phase.REVIEW, feasible_projects=0)


def test_an_unknown_phase_is_refused() -> None:
    with pytest.raises(InputError, match=r"^phase: unknown value 'done' \(one of: proposals, review, voting, results\)$"):
        next_phase("done", feasible_projects=1)
