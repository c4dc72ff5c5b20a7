"""Who may do what with proposals: predicates over (user, council) from the councils app."""

from __future__ import annotations

import rules

from parsoc.web.councils.rules import can_manage, can_view, is_member

rules.add_perm("decisions.view", can_view)
rules.add_perm("decisions.propose", is_member)
rules.add_perm("decisions.comment", is_member)
rules.add_perm("decisions.take_stance", is_member)
rules.add_perm("decisions.delegate", is_member)
rules.add_perm("decisions.facilitate", can_manage)
