"""A council's activity at a glance: what needs the reader, and what happened.

:func:`needs_reader` lists what waits for one member of one council (open decisions without
their stance, polls they have not answered, the next meeting, announcements they have not
read); :func:`timeline` lists the council's recent events (from :func:`.services.notify`),
leaving out the ones about one person (a mention, a join request).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from parsoc.web.notifications.kinds import KINDS
from parsoc.web.notifications.models import Event

#: At most this many of each list on the council page.
SHOWN = 10


@dataclass
class Waiting:
    """What waits for the reader in one council."""

    decisions: list[Any] = field(default_factory=list)
    polls: list[tuple[str, str, Any]] = field(default_factory=list)  # (title, url, closes_at or None)
    next_meeting: Any = None
    announcements: list[Any] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.decisions or self.polls or self.next_meeting or self.announcements)


def needs_reader(user, council) -> Waiting:
    """What needs ``user`` in ``council`` now (nothing for someone who is not a member)."""
    waiting = Waiting()
    if not user.is_authenticated or not council.memberships.filter(user=user).exists():
        return waiting
    from parsoc.decisions.lifecycle import Stage
    from parsoc.web.councils.models import AnnouncementRead, Membership
    from parsoc.web.decisions.models import Poll, PollBallot, PollRoll, Proposal, Stance, VoterRoll
    from parsoc.web.meetings.models import Meeting, PollAnswer
    from parsoc.web.meetings.models import Poll as SchedulingPoll

    stance = Stance.objects.filter(proposal=OuterRef("pk"), member=user, binding=True, round=OuterRef("round"))
    voted = VoterRoll.objects.filter(proposal=OuterRef("pk"), member=user, round=OuterRef("round"))
    open_now = Proposal.objects.filter(council=council, stage=Stage.DECISION.value)
    waiting.decisions = [
        p for p in open_now.exclude(Exists(stance)).exclude(Exists(voted))
        .order_by(F("closes_at").asc(nulls_last=True), "pk")[:SHOWN * 2]
        if str(user.pk) in (p.eligible or [])
    ][:SHOWN]

    ballot = PollBallot.objects.filter(poll=OuterRef("pk"), voter=user)
    rolled = PollRoll.objects.filter(poll=OuterRef("pk"), member=user)
    for poll in (Poll.objects.filter(council=council, stage=Stage.DECISION.value)
                 .exclude(Exists(ballot)).exclude(Exists(rolled)).order_by("closes_at", "pk")[:SHOWN]):
        waiting.polls.append((poll.title, reverse("decisions:poll", args=[council.slug, poll.pk]), poll.closes_at))
    answered = PollAnswer.objects.filter(poll=OuterRef("pk"), user=user)
    for scheduling in (SchedulingPoll.objects.filter(council=council, closed=False).exclude(Exists(answered))
                       .order_by("pk")[:SHOWN]):
        waiting.polls.append((scheduling.title, scheduling.get_absolute_url(), None))

    now = timezone.now()
    coming = (Meeting.objects.filter(council=council, status__in=[Meeting.Status.SCHEDULED, Meeting.Status.LIVE])
              .filter(Q(status=Meeting.Status.LIVE) | Q(start__gte=now - timedelta(days=1))).order_by("start")[:SHOWN])
    waiting.next_meeting = next(
        (m for m in coming if m.status == Meeting.Status.LIVE or m.start + timedelta(minutes=m.minutes_long) >= now), None)

    joined = Membership.objects.filter(user=user, council=council).values_list("joined_at", flat=True).first()
    read = AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user)
    waiting.announcements = list(
        council.announcements.filter(created_at__gte=joined).exclude(Exists(read)).order_by("-created_at")[:SHOWN]
    )
    return waiting


def timeline(council, limit: int = 15) -> list[Event]:
    """The council's recent events, newest first (those about one person left out)."""
    kinds = [k.value for k, info in KINDS.items() if info.timeline]
    return list(Event.objects.filter(council=council, kind__in=kinds).select_related("actor")[:limit])
