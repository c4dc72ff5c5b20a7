"""Open any supported election file as ranked or approval ballots.

PrefLib files (``.soc``, ``.soi``, ``.toc``, ``.toi``) are ranked. A Pabulib ``.pb`` file is
read as ranked ballots too: ordinal ballots as given; cumulative ballots ranked by points
(equal points tied); approval and choose-1 ballots as the approved projects tied above the
rest. As approval ballots, a ``.pb`` ballot approves every project it names; a PrefLib ballot
approves what :meth:`ApprovalProfile.from_ranked` says.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from parsoc.choice.approval_committee import ApprovalProfile
from parsoc.choice.pabulib import PBElection, read_pabulib
from parsoc.choice.preflib import KINDS, read_preflib
from parsoc.choice.profile import RankedProfile
from parsoc.errors import InputError


def _kind(path: Path) -> str:
    suffix = path.suffix.lstrip(".").lower()
    if suffix in KINDS or suffix == "pb":
        return suffix
    raise InputError(f"{path.name}: unknown file kind; expected .soc, .soi, .toc, .toi or .pb")


def ranked_from_pb(election: PBElection) -> RankedProfile:
    m = election.num_projects
    ranks = np.full((election.num_voters, m), m, dtype=np.int64)
    for v, (ballot, pts) in enumerate(zip(election.ballots, election.points, strict=False)):
        if not ballot:
            continue
        if election.vote_type == "ordinal":
            ranks[v, list(ballot)] = np.arange(len(ballot))
        elif election.vote_type == "cumulative":
            levels = sorted(set(pts), reverse=True)
            ranks[v, list(ballot)] = [levels.index(x) for x in pts]
        else:
            ranks[v, list(ballot)] = 0
    names = {p: election.name(p) for p in election.projects}
    return RankedProfile.from_rank_matrix(election.projects, ranks, None, names, election.source)


def approval_from_pb(election: PBElection) -> ApprovalProfile:
    return ApprovalProfile(election.projects, election.approvals, np.ones(election.num_voters, dtype=np.int64))


def read_ranked(path: str | Path) -> RankedProfile:
    path = Path(path)
    if _kind(path) == "pb":
        return ranked_from_pb(read_pabulib(path))
    return read_preflib(path)


def read_approval(path: str | Path) -> ApprovalProfile:
    path = Path(path)
    if _kind(path) == "pb":
        return approval_from_pb(read_pabulib(path))
    return ApprovalProfile.from_ranked(read_preflib(path))
