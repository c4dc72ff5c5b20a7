"""Councils and everything that hangs off them.

Delegate terms are kept as history (never overwritten): rotation is a new term, recall ends a
term early with a reason. The pure rules live in :mod:`parsoc.councils`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from parsoc.councils import delegates as delegate_rules
from parsoc.councils.kinds import CouncilKind, JoinPolicy, RequestStatus, Role, TermEnd, Visibility, choices
from parsoc.numbers import COUNT_MAX
from parsoc.web.core.numbers import bounded


class CouncilQuerySet(models.QuerySet):
    def visible_to(self, user) -> CouncilQuerySet:
        """Public councils, and members-only ones the user belongs to."""
        if user is not None and user.is_authenticated:
            if user.is_superuser:
                return self.all()
            return self.filter(Q(visibility=Visibility.PUBLIC) | Q(memberships__user=user)).distinct()
        return self.filter(visibility=Visibility.PUBLIC)


class Council(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    kind = models.CharField(max_length=32, choices=choices(CouncilKind))
    description = models.TextField(max_length=5000, blank=True)
    city = models.CharField(max_length=80, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    visibility = models.CharField(max_length=16, choices=choices(Visibility), default=Visibility.PUBLIC)
    join_policy = models.CharField(max_length=16, choices=choices(JoinPolicy), default=JoinPolicy.REQUEST)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["city"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:detail", args=[self.slug])

    @property
    def kind_label(self) -> str:
        return CouncilKind(self.kind).label

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    def ancestors(self) -> list[Council]:
        chain, current, seen = [], self.parent, {self.pk}
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = current.parent
        return chain

    def role_of(self, user) -> str | None:
        if user is None or not user.is_authenticated:
            return None
        membership = self.memberships.filter(user=user).only("role").first()
        return membership.role if membership else None

    def facilitators(self):
        return self.memberships.filter(role=Role.FACILITATOR)

    @staticmethod
    def unique_slug(name: str) -> str:
        base = slugify(name)[:120] or "council"
        slug, n = base, 2
        while Council.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class Membership(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=choices(Role), default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="one_membership_per_council")]
        ordering = ["role", "user__display_name"]  # facilitator < member

    def __str__(self) -> str:
        return f"{self.user} in {self.council} ({self.role})"

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class JoinRequest(models.Model):
    Status = RequestStatus  # the core's vocabulary (parsoc.councils.kinds)

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices(), default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"], condition=Q(status="pending"), name="one_pending_request"
            )
        ]


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


def default_invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """A link anyone holding it may use (``email`` blank), or one addressed to one person."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    max_uses = models.PositiveIntegerField(null=True, blank=True, validators=bounded(1, COUNT_MAX))
    uses = models.PositiveIntegerField(default=0)  # counted by the server, never above max_uses
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def get_absolute_url(self) -> str:
        return reverse("councils:invitation", args=[self.token])

    @property
    def usable(self) -> bool:
        if self.revoked_at is not None or self.expires_at <= timezone.now():
            return False
        return self.max_uses is None or self.uses < self.max_uses


class Announcement(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class AnnouncementRead(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="read_once")]


class DelegateTerm(models.Model):
    """A person a council sends to another (its parent) for a term.

    Built for rotation and recall: a term is never edited away. Rotation adds the next term;
    recall or stepping down sets ``ended_early_on`` and ``end_reason``.
    """

    EndReason = TermEnd  # the core's vocabulary (parsoc.councils.kinds)

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="delegate_terms")
    to_council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="incoming_delegates")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegate_terms")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    mandate = models.TextField(max_length=2000, blank=True)
    ended_early_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices(), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start"]

    def as_term(self) -> delegate_rules.DelegateTerm:
        return delegate_rules.DelegateTerm(self.person_id, self.start, self.end, self.ended_early_on)

    def in_force(self, day=None) -> bool:
        return self.as_term().in_force_on(day or timezone.localdate())
