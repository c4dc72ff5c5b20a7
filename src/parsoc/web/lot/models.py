"""A selection by lot in a council, its volunteers, and the members' commitments to a secret."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from parsoc.numbers import COUNT_MAX
from parsoc.web.core.numbers import bounded
from parsoc.web.councils.models import Council


class SeedSource(models.TextChoices):
    ADVANCE = "advance", "a value published in advance"
    COMMIT = "commit", "commit-reveal among members"


class Phase(models.TextChoices):
    VOLUNTEERING = "volunteering", "volunteering"
    SEEDING = "seeding", "probabilities computed: fixing the seed"
    REVEALING = "revealing", "revealing the secrets"
    DRAWN = "drawn", "drawn"


class Selection(models.Model):
    """People selected by lot for a role, committee, roster or panel, under quotas."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="lot_selections")
    title = models.CharField(max_length=200)
    panel_size = models.PositiveIntegerField(validators=bounded(1, COUNT_MAX))
    quotas = models.JSONField()  # [[category, feature, min, max], ...]
    seed_source = models.CharField(max_length=10, choices=SeedSource.choices)
    seed_note = models.CharField(max_length=300, blank=True)  # which value will be published in advance
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.VOLUNTEERING)
    result = models.JSONField(null=True, blank=True)  # the LEXIMIN result (probabilities, lottery)
    pool = models.JSONField(null=True, blank=True)  # user ids in pool order, fixed when computed
    seed = models.TextField(blank=True)
    panel = models.JSONField(null=True, blank=True)  # user ids drawn
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def get_absolute_url(self) -> str:
        return reverse("lot:detail", args=[self.council.slug, self.pk])


class Volunteer(models.Model):
    """A member in the pool, with the features they describe themselves by (category → feature)."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="volunteers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    features = models.JSONField()
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["selection", "user"], name="one_volunteer_per_selection")]


class Commitment(models.Model):
    """A member's commitment (SHA-256 of their secret), and the secret once revealed."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="commitments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    secret = models.CharField(max_length=1000, blank=True)
    committed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["selection", "user"], name="one_commitment_per_member")]
