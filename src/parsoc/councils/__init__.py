"""Councils: nested self-governing bodies, their members and the delegates they send up.

Pure rules with no Django import: the kinds of council, how one is joined, where it may sit in
the tree of councils, and when a delegate's term is in force. The web shell stores councils
and asks these functions before it changes anything.
"""

from parsoc.councils.delegates import DelegateTerm, check_term, terms_in_force
from parsoc.councils.kinds import CouncilKind, JoinPolicy, Role, Visibility
from parsoc.councils.nesting import ancestors_of, check_parent, depth_of

__all__ = [
    "CouncilKind",
    "JoinPolicy",
    "Role",
    "Visibility",
    "ancestors_of",
    "check_parent",
    "depth_of",
    "DelegateTerm",
    "check_term",
    "terms_in_force",
]
