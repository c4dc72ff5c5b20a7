"""Who may do what in a planning year.

Asked of a year (``view_year``, ``run_year``), of a federation (``open_year``) or of one
participating council (``act_for``, ``request``, ``view_council``).
"""

from __future__ import annotations

import rules

from parsoc.councils.kinds import Role
from parsoc.web.councils.rules import can_manage, can_view, is_site_admin


@rules.predicate
def sees_federation(user, year) -> bool:
    return year is not None and can_view(user, year.federation)


@rules.predicate
def in_participating_council(user, year) -> bool:
    """A member of a council taking part in the year (whatever the federation's visibility)."""
    if year is None or not user.is_authenticated:
        return False
    return year.participants.filter(council__memberships__user=user).exists()


@rules.predicate
def facilitates_federation(user, year) -> bool:
    return year is not None and can_manage(user, year.federation)


@rules.predicate
def is_member_of_participant(user, participant) -> bool:
    if participant is None or not user.is_authenticated:
        return False
    return participant.council.memberships.filter(user=user).exists()


@rules.predicate
def is_facilitator_of_participant(user, participant) -> bool:
    if participant is None or not user.is_authenticated:
        return False
    return participant.council.memberships.filter(user=user, role=Role.FACILITATOR).exists()


@rules.predicate
def is_simulated_and_facilitated(user, participant) -> bool:
    """A council with no members at all (imported from an economy file) is acted for by the
    year's facilitators; a council with people is acted for only by its own members."""
    if participant is None or not user.is_authenticated:
        return False
    return (not participant.council.memberships.exists()) and can_manage(user, participant.year.federation)


@rules.predicate
def is_consumer_council(user, participant) -> bool:
    return participant is not None and participant.kind == "cc"


@rules.predicate
def sees_participant(user, participant) -> bool:
    """The federation's and the council's visibility both allow it."""
    return participant is not None and can_view(user, participant.year.federation) and can_view(user, participant.council)


rules.add_perm("planning.view_year", sees_federation | in_participating_council)
rules.add_perm("planning.open_year", can_manage)
rules.add_perm("planning.run_year", facilitates_federation)
rules.add_perm("planning.view_council", sees_participant | is_member_of_participant)
rules.add_perm("planning.act_for", is_member_of_participant | is_simulated_and_facilitated)
rules.add_perm("planning.set_function", is_facilitator_of_participant | is_simulated_and_facilitated | is_site_admin)
rules.add_perm("planning.request", is_consumer_council & is_member_of_participant)
