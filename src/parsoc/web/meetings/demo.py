"""Meetings in the demo world: a scheduling poll with answers, a past meeting with roles,
minutes and action items, and the next meeting with its agenda. Loading it twice changes
nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

AGENDA = [
    ("Welcome, roles and the stack rules", 5),
    ("Report back from the rent strike working group", 20),
    ("Proposal: join the federation's spokescouncil", 40),
    ("Action items and the next meeting", 10),
]


def load_meetings_demo() -> None:
    from parsoc.web.councils.models import Council
    from parsoc.web.meetings.models import (
        ActionItem,
        AgendaItem,
        Meeting,
        Poll,
        PollAnswer,
        RoleAssignment,
        TimeOption,
    )

    council = Council.objects.filter(slug="demo-glasgow").first()
    if council is None:
        return
    members = [m.user for m in council.memberships.select_related("user").order_by("pk")]
    if len(members) < 3:
        return
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)

    past, created = Meeting.objects.get_or_create(
        council=council, title="November general assembly",
        defaults={"start": hour - timedelta(days=14), "zone": "Europe/London",
                  "location": "Govanhill Baths community room", "status": Meeting.Status.ENDED,
                  "minutes_published": True,
                  "minutes_text": "Twelve members present, quorum met.\n"
                                  "Agreed by consensus to support the rent strike fund.\n"
                                  "One stand-aside (budget timing), no blocks."},
    )
    if created:
        for role, person in zip(("facilitator", "stack keeper", "note taker"), members, strict=False):
            RoleAssignment.objects.create(meeting=past, role=role, user=person)
        ActionItem.objects.create(meeting=past, text="Open the strike fund account",
                                  owner=members[1], due=(hour + timedelta(days=7)).date())
        ActionItem.objects.create(meeting=past, text="Write to the federation about the spokescouncil",
                                  owner=members[2])

    upcoming, created = Meeting.objects.get_or_create(
        council=council, title="December general assembly",
        defaults={"start": hour + timedelta(days=9, hours=2), "zone": "Europe/London",
                  "location": "Govanhill Baths community room", "minutes_long": 120},
    )
    if created:
        for position, (title, minutes) in enumerate(AGENDA):
            AgendaItem.objects.create(meeting=upcoming, title=title, minutes=minutes,
                                      position=position)

    poll, created = Poll.objects.get_or_create(
        council=council, title="January assembly: when?",
        defaults={"created_by": members[0], "location": "Govanhill Baths community room"},
    )
    if created:
        options = [
            TimeOption.objects.create(poll=poll, start=hour + timedelta(days=days, hours=h),
                                      minutes=120, zone="Europe/London")
            for days, h in ((40, 0), (41, 1), (43, 0))
        ]
        patterns = [("yes", "ifneedbe", "no"), ("yes", "yes", "no"), ("no", "yes", "yes"),
                    ("ifneedbe", "yes", "yes")]
        for person, pattern in zip(members, patterns, strict=False):
            PollAnswer.objects.create(poll=poll, user=person, choices={
                str(o.pk): a for o, a in zip(options, pattern, strict=True)})


def load(world) -> None:
    """The app's demo loader, as its declaration names it (world: parsoc.web.demo.DemoWorld)."""
    load_meetings_demo()
