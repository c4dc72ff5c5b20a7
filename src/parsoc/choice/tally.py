"""One entry point for every ranked and approval method, by the names the command line uses."""

from __future__ import annotations

from pathlib import Path

from parsoc.choice.approval_committee import (
    ApprovalProfile,
    approval_voting,
    proportional_approval_voting,
    sequential_phragmen_committee,
)
from parsoc.choice.election_files import read_approval, read_ranked
from parsoc.choice.instant_runoff import instant_runoff
from parsoc.choice.margin_methods import copeland, minimax, ranked_pairs, schulze
from parsoc.choice.methods import VotingMethod
from parsoc.choice.outcome import Tally
from parsoc.choice.pairwise import margin_matrix
from parsoc.choice.profile import RankedProfile
from parsoc.choice.scoring import borda, plurality
from parsoc.choice.stv import single_transferable_vote
from parsoc.errors import InputError

SINGLE_WINNER = {
    "plurality": plurality,
    "borda": borda,
    "irv": instant_runoff,
    "schulze": schulze,
    "copeland": copeland,
    "minimax": minimax,
    "ranked-pairs": ranked_pairs,
}
APPROVAL = {
    "approval": approval_voting,
    "pav": proportional_approval_voting,
    "phragmen": sequential_phragmen_committee,
}
METHODS = VotingMethod.values()


def tally(source: str | Path | RankedProfile | ApprovalProfile, method: str, seats: int = 1) -> Tally:
    """Count ``source`` (a file or a profile) by ``method`` for ``seats`` seats."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method in APPROVAL:
        profile = source if isinstance(source, ApprovalProfile) else (
            ApprovalProfile.from_ranked(source) if isinstance(source, RankedProfile) else read_approval(source)
        )
        return APPROVAL[method](profile, seats)
    profile = source if isinstance(source, RankedProfile) else read_ranked(source)
    if method == "stv":
        return single_transferable_vote(profile, seats)
    if seats != 1:
        raise InputError(f"{method} elects one winner; use --seats only with stv, approval, pav or phragmen")
    return SINGLE_WINNER[method](profile)


def pairwise_margins(profile: RankedProfile) -> dict[str, dict[str, int]]:
    """The margin matrix keyed by alternative ids, for a council to read."""
    margins = margin_matrix(profile)
    ids = profile.alternatives
    return {ids[a]: {ids[b]: int(margins[a, b]) for b in range(len(ids)) if b != a} for a in range(len(ids))}
