"""Who may do what with a council's work: view (anyone who can see the council), rate and
give one's hours (members), list tasks and compose jobs (facilitators)."""

import rules

from parsoc.web.councils.rules import can_manage, can_view, is_member

rules.add_perm("work.view", can_view)
rules.add_perm("work.rate", is_member)
rules.add_perm("work.manage", can_manage)

is_site_admin = rules.is_superuser
rules.add_perm("work.view_entitlements", is_member | is_site_admin)
