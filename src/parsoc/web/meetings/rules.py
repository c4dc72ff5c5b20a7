"""Who may do what with polls and meetings, as ``rules`` predicates.

Council-level permissions take the council; poll and meeting permissions take the poll or
meeting and ask the same question of its council. A meeting's facilitator, stack keeper and
note taker gain the powers of their role in that meeting only.
"""

from __future__ import annotations

import rules

from parsoc.web.councils import rules as council_rules


def _council(obj):
    return getattr(obj, "council", obj)


@rules.predicate
def member_of_council(user, obj) -> bool:
    return obj is not None and council_rules.is_member(user, _council(obj))


@rules.predicate
def facilitator_of_council(user, obj) -> bool:
    return obj is not None and council_rules.is_facilitator(user, _council(obj))


@rules.predicate
def council_visible(user, obj) -> bool:
    return obj is not None and council_rules.can_view(user, _council(obj))


def _holds(*roles):
    """Holds one of ``roles`` in this meeting and is still a member of its council (a role
    is given to members only; whoever leaves or is removed loses its powers at once)."""
    @rules.predicate
    def holds(user, meeting) -> bool:
        if meeting is None or not user.is_authenticated or not hasattr(meeting, "roles"):
            return False
        if not council_rules.is_member(user, _council(meeting)):
            return False
        return meeting.roles.filter(user=user, role__in=roles).exists()

    return holds


@rules.predicate
def created_poll(user, poll) -> bool:
    return poll is not None and user.is_authenticated and poll.created_by_id == user.pk


@rules.predicate
def minutes_published(user, meeting) -> bool:
    return meeting is not None and meeting.minutes_published


admin = rules.is_superuser

rules.add_perm("meetings.view", council_visible | admin)
rules.add_perm("meetings.create_poll", member_of_council | admin)
rules.add_perm("meetings.answer_poll", member_of_council)
rules.add_perm("meetings.manage_poll", created_poll | facilitator_of_council | admin)
rules.add_perm("meetings.change_settings", facilitator_of_council | admin)
rules.add_perm("meetings.create_meeting", facilitator_of_council | admin)
rules.add_perm("meetings.take_part", member_of_council)
rules.add_perm(
    "meetings.run_meeting",
    facilitator_of_council | _holds("facilitator", "stack keeper") | admin,
)
rules.add_perm("meetings.change_meeting", facilitator_of_council | _holds("facilitator") | admin)
rules.add_perm(
    "meetings.write_minutes", facilitator_of_council | _holds("note taker", "facilitator") | admin
)
rules.add_perm(
    "meetings.read_minutes",
    member_of_council | (council_visible & minutes_published) | admin,
)
