"""A council's participatory budgeting process: its phases, in order, and its kinds of ballot.

A process moves forward one phase at a time and never back:

- **proposals**: members propose and discuss projects;
- **review**: facilitators estimate costs and mark projects feasible or not;
- **voting**: members vote on the feasible projects with the process's kind of ballot;
- **results**: the council's rule (:mod:`parsoc.choice.budgeting`) has counted the ballots.

Voting opens only when at least one project is feasible, with a cost: a vote with nothing to
vote for would be counted as an empty outcome.
"""

from __future__ import annotations

from parsoc.errors import InputError
from parsoc.vocabulary import Vocabulary, _


class Phase(Vocabulary):
    """A phase of the process, declared in the order the process goes through them."""

    PROPOSALS = "proposals", _("Proposal submission")
    REVIEW = "review", _("Review and cost estimates")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")


PHASE_ORDER = tuple(Phase)


class BallotKind(Vocabulary):
    """How a member votes in the process."""

    APPROVAL = "approval", _("Approval (tick the projects you support)")
    CHOOSE_ONE = "choose-1", _("Choose one project")
    CUMULATIVE = "cumulative", _("Cumulative (share out points)")
    ORDINAL = "ordinal", _("Ranking (number your choices)")


def next_phase(phase: object, *, feasible_projects: int) -> Phase:
    """The phase after ``phase``; an :class:`InputError` when the process is at its results, or
    when voting would open with no feasible project (``feasible_projects``: how many are)."""
    now = Phase.parse(phase, where="phase")
    at = PHASE_ORDER.index(now)
    if at == len(PHASE_ORDER) - 1:
        raise InputError("the process is already at its results")
    if now is Phase.REVIEW and feasible_projects < 1:
        raise InputError("mark at least one project feasible, with a cost, before voting opens")
    return PHASE_ORDER[at + 1]
