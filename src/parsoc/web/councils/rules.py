"""Who may do what to a council: small predicates combined with the ``rules`` package.

Every view and API endpoint asks ``user.has_perm(<permission>, council)``; nothing else
grants access. Site administrators (superusers) may do everything.
"""

from __future__ import annotations

import rules

from parsoc.councils.kinds import Role, Visibility


@rules.predicate
def is_member(user, council) -> bool:
    if council is None or not user.is_authenticated:
        return False
    return council.memberships.filter(user=user).exists()


@rules.predicate
def is_facilitator(user, council) -> bool:
    if council is None or not user.is_authenticated:
        return False
    return council.memberships.filter(user=user, role=Role.FACILITATOR).exists()


@rules.predicate
def is_public(user, council) -> bool:
    return council is not None and council.visibility == Visibility.PUBLIC


@rules.predicate
def is_confirmed(user) -> bool:
    return user.is_authenticated and user.is_active and user.email_confirmed


is_site_admin = rules.is_superuser

can_view = is_public | is_member | is_site_admin
can_manage = is_facilitator | is_site_admin

rules.add_perm("councils.view_council", can_view)
rules.add_perm("councils.create_council", is_confirmed)
rules.add_perm("councils.change_council", can_manage)
rules.add_perm("councils.manage_members", can_manage)
rules.add_perm("councils.invite", can_manage)
rules.add_perm("councils.post_announcement", can_manage)
rules.add_perm("councils.name_delegate", can_manage)
rules.add_perm("councils.view_members", can_view)
rules.add_perm("councils.join", is_confirmed & can_view & ~is_member)
rules.add_perm("councils.leave", is_member)
rules.add_perm("councils.nest_under", is_member | is_site_admin)
