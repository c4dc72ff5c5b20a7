"""Who may do what with a council's selections by lot: see them (anyone who can see the council),
volunteer, commit to and reveal a secret (members), start, compute and draw (facilitators)."""

import rules

from parsoc.web.councils.rules import can_manage, can_view, is_member

rules.add_perm("lot.view", can_view)
rules.add_perm("lot.take_part", is_member)
rules.add_perm("lot.manage", can_manage)
