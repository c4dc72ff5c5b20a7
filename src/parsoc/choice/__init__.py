"""Social choice: ranked voting, STV, approval committees and participatory budgeting.

Pure Python and NumPy, no Django. Read elections with :func:`read_preflib`,
:func:`read_pabulib` (or :func:`read_ranked` / :func:`read_approval` for any file), count them
with :func:`tally` (ranked and approval methods) or :func:`run_rule` (budgeting rules).
``docs/choice.md`` states every rule and tie-break.
"""

from parsoc.choice.allocation import Allocation, outcome_measures
from parsoc.choice.approval_committee import ApprovalProfile
from parsoc.choice.budgeting import RULES, run_rule
from parsoc.choice.election_files import read_approval, read_ranked
from parsoc.choice.outcome import Tally
from parsoc.choice.pabulib import PBElection, parse_pabulib, read_pabulib, write_pabulib
from parsoc.choice.preflib import read_preflib
from parsoc.choice.profile import RankedProfile
from parsoc.choice.tally import METHODS, pairwise_margins, tally

__all__ = [
    "Allocation", "ApprovalProfile", "METHODS", "PBElection", "RULES", "RankedProfile", "Tally",
    "outcome_measures", "pairwise_margins", "parse_pabulib", "read_approval", "read_pabulib",
    "read_preflib", "read_ranked", "run_rule", "tally", "write_pabulib",
]
