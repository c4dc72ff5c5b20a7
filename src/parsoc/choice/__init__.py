"""Social choice: ranked voting, STV, approval committees and participatory budgeting.

Pure Python and NumPy, no Django. Read elections with :func:`read_preflib`,
:func:`read_pabulib` (or :func:`read_ranked` / :func:`read_approval` for any file), count them
with :func:`tally` (ranked and approval methods) or :func:`run_rule` (budgeting rules).
``docs/choice.md`` states every rule and tie-break.

The names below are loaded on first use, so that importing the light modules of this package
(:mod:`parsoc.choice.methods`, the vocabulary the command line and the web forms offer) does
not load NumPy and the counting code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parsoc.choice.allocation import Allocation, outcome_measures
    from parsoc.choice.approval_committee import ApprovalProfile
    from parsoc.choice.budgeting import RULES, run_rule
    from parsoc.choice.election_files import read_approval, read_ranked
    from parsoc.choice.outcome import Tally
    from parsoc.choice.pabulib import PBElection, parse_pabulib, read_pabulib, write_pabulib
    from parsoc.choice.preflib import read_preflib
    from parsoc.choice.profile import RankedProfile
    from parsoc.choice.tally import METHODS, pairwise_margins, tally

_WHERE = {
    "Allocation": "allocation", "outcome_measures": "allocation", "ApprovalProfile": "approval_committee",
    "RULES": "budgeting", "run_rule": "budgeting", "read_approval": "election_files", "read_ranked": "election_files",
    "Tally": "outcome", "PBElection": "pabulib", "parse_pabulib": "pabulib", "read_pabulib": "pabulib",
    "write_pabulib": "pabulib", "read_preflib": "preflib", "RankedProfile": "profile", "METHODS": "tally",
    "pairwise_margins": "tally", "tally": "tally",
}

__all__ = [
    "Allocation", "ApprovalProfile", "METHODS", "PBElection", "RULES", "RankedProfile", "Tally",
    "outcome_measures", "pairwise_margins", "parse_pabulib", "read_approval", "read_pabulib",
    "read_preflib", "read_ranked", "run_rule", "tally", "write_pabulib",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"parsoc.choice.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
