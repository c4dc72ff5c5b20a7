"""Scheduling polls, meetings and what hangs off them.

Times are stored as UTC instants with the IANA zone they were entered in. The live state of a
meeting in session is one JSON value (:class:`parsoc.meetings.live.LiveMeeting`) with its
version in a column of its own, so the stream can watch the version with one small query.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse

from parsoc.meetings.quorum import Attendance
from parsoc.meetings.rotation import MeetingRole
from parsoc.meetings.scheduling import Availability
from parsoc.meetings.status import MeetingStatus
from parsoc.numbers import AGENDA_MINUTES_MAX, COUNT_MAX, MINUTES_MAX
from parsoc.web.core.numbers import bounded
from parsoc.web.core.validators import validate_link


def new_token() -> str:
    return secrets.token_urlsafe(24)


class MeetingSettings(models.Model):
    """A council's meeting rules: its progressive stack, quorum and outside poll answers."""

    council = models.OneToOneField(
        "councils.Council", on_delete=models.CASCADE, related_name="meeting_settings"
    )
    not_yet_spoken_first = models.BooleanField(default=True)
    under_heard_first = models.BooleanField(default=True)
    fewest_turns_first = models.BooleanField(default=True)
    quorum = models.CharField(max_length=16, default="1/2", help_text="1/2, 0.6 or 60%")
    quorum_minimum = models.PositiveIntegerField(default=1, validators=bounded(0, COUNT_MAX))
    remote_counts = models.BooleanField(default=True)
    allow_outside_answers = models.BooleanField(
        default=False, help_text="People outside the council may answer polls through a link."
    )


class Poll(models.Model):
    """A scheduling poll: time options answered yes / if need be / no."""

    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed = models.BooleanField(default=False)
    open_link = models.BooleanField(default=False)
    link_token = models.CharField(max_length=64, default=new_token, unique=True)
    chosen = models.ForeignKey(
        "TimeOption", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.OneToOneField(
        "Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="poll"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:poll", args=[self.pk])


class TimeOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    start = models.DateTimeField()
    minutes = models.PositiveIntegerField(validators=bounded(1, MINUTES_MAX))
    zone = models.CharField(max_length=64)

    class Meta:
        ordering = ["start", "pk"]

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes)


class PollAnswer(models.Model):
    """One respondent's answers: a member (``user``) or someone outside (``name``)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=120, blank=True)
    comment = models.TextField(max_length=2000, blank=True)
    #: ``{str(option id): "yes" | "ifneedbe" | "no"}``
    choices = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "user"], condition=models.Q(user__isnull=False),
                name="one_answer_per_member",
            )
        ]

    @property
    def who(self) -> str:
        return self.user.display_name if self.user_id else f"{self.name} (guest)"


class Meeting(models.Model):
    Status = MeetingStatus  # the core's vocabulary (parsoc.meetings.status)

    council = models.ForeignKey(
        "councils.Council", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(max_length=200)
    start = models.DateTimeField()
    minutes_long = models.PositiveIntegerField(default=90, validators=bounded(1, MINUTES_MAX))
    zone = models.CharField(max_length=64, default="UTC")
    location = models.CharField(max_length=200, blank=True)
    description = models.TextField(max_length=5000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices(), default=Status.SCHEDULED)
    uid = models.CharField(max_length=64, default=new_token, unique=True)
    sequence = models.PositiveIntegerField(default=0)  # server-kept counters (sequence, live_version, position): no user input
    minutes_text = models.TextField(blank=True)
    minutes_published = models.BooleanField(default=False)
    live_state = models.JSONField(default=dict)
    live_version = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        indexes = [models.Index(fields=["council", "start"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes_long)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    minutes = models.PositiveIntegerField(default=10, validators=bounded(1, AGENDA_MINUTES_MAX))
    proposal_url = models.CharField(
        max_length=500, blank=True, validators=[validate_link],
        help_text="A page this item is about: an https://, http:// or mailto: link.",
    )
    proposal = models.ForeignKey(
        "decisions.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items",
        help_text="A proposal of the same council that this item decides or discusses.",
    )

    class Meta:
        ordering = ["position", "pk"]


class AttendanceRecord(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=16, choices=Attendance.choices()
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_person")
        ]


class RoleAssignment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=MeetingRole.choices())
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "role"], name="one_holder_per_role")
        ]


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["done", "pk"]


class CalendarFeed(models.Model):
    """A member's secret calendar URL; a new token revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, default=new_token, unique=True)


ANSWER_CHOICES = list(Availability.values())
