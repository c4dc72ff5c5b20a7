"""Who may do what in the directory.

The directory is public (anyone may read and export it); people with a confirmed address add
organisations;
the person who added one, or a site administrator, changes or removes it; importing a file
(many rows at once) is for facilitators of a council and administrators.
"""

from __future__ import annotations

import rules

from parsoc.councils.kinds import Role
from parsoc.web.councils.rules import is_confirmed


@rules.predicate
def added_it(user, entry) -> bool:
    return bool(entry is not None and user is not None and user.is_authenticated and entry.added_by_id == user.pk)


@rules.predicate
def is_admin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def facilitates_a_council(user) -> bool:
    if not (user is not None and user.is_authenticated):
        return False
    from parsoc.web.councils.models import Membership

    return bool(user.is_active) and Membership.objects.filter(user=user, role=Role.FACILITATOR).exists()


rules.add_perm("orgs.view", rules.always_allow)
rules.add_perm("orgs.add", is_confirmed)
rules.add_perm("orgs.change", (added_it & is_confirmed) | is_admin)
rules.add_perm("orgs.import", facilitates_a_council | is_admin)
