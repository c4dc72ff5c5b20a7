"""What happened (:class:`Event`), who is told (:class:`Notice`), and how they want it
(:class:`Preference`, :class:`DigestSent`). Written only by :mod:`.services`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from parsoc.web.notifications.kinds import Delivery, delivery_choices, kind_choices
from parsoc.web.notifications.kinds import label as kind_label


class Event(models.Model):
    """One thing that happened, told to its recipients by one :class:`Notice` each; those of a
    council make its timeline."""

    kind = models.CharField(max_length=32, choices=kind_choices())
    council = models.ForeignKey("councils.Council", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="notice_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)  # a path on this site, from reverse()
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["council", "-created_at"], name="event_council_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


class Notice(models.Model):
    """One person's copy of an :class:`Event`: in their inbox, and mailed as they chose."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    read_at = models.DateTimeField(null=True, blank=True)
    #: The recipient's preference for the kind when the notice was made.
    delivery = models.CharField(max_length=16, choices=delivery_choices())
    #: When it was handed to the mail (at once, or in a digest); null: not (yet) mailed.
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-event__created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["event", "recipient"], name="one_notice_per_person")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            models.Index(fields=["delivery", "mailed_at"], name="notice_digest_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.event.title} → {self.recipient_id}"


class Preference(models.Model):
    """How one person wants one kind of notice; without a row, the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences")
    kind = models.CharField(max_length=32, choices=kind_choices())
    delivery = models.CharField(max_length=16, choices=delivery_choices(), default=Delivery.IMMEDIATELY.value)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]


class DigestSent(models.Model):
    """A daily digest mailed to one person on one day: at most one a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    notices = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_day")]
