"""A federation's planning year: its catalogue of goods, its participating councils, its rounds
and the councils' proposals.

Every number the engine computes with is stored as the raw bytes of a float64 array
(``BinaryField``), never as decimal text, so a year read back from the database gives the engine
exactly the numbers it wrote, bit for bit (the equality with :mod:`parsoc.planning` depends on it).
"""

from __future__ import annotations

import numpy as np
from django.conf import settings
from django.db import models
from django.urls import reverse

from parsoc.planning.economy import CATEGORIES
from parsoc.web.councils.models import Council

CATEGORY_LABELS = ("Private goods", "Intermediate goods", "Natural resources", "Labour types", "Public goods")


def pack(values) -> bytes:
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64)).tobytes()


def unpack(data) -> np.ndarray:
    if data is None:
        return np.zeros(0)
    return np.frombuffer(bytes(data), dtype=np.float64)


class PlanningYear(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Rounds open"
        VOTING = "voting", "Plan put to a decision"
        ADOPTED = "adopted", "Plan adopted"

    RULES = (("hahnel2021", "hahnel2021 (the published rule)"), ("broyden", "broyden (quasi-Newton)"))

    federation = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="planning_years")
    title = models.CharField(max_length=200)
    rule = models.CharField(max_length=16, choices=RULES, default="hahnel2021")
    threshold_pct = models.FloatField(default=3.0)
    round_days = models.PositiveIntegerField(default=7)
    income_per_person = models.FloatField(default=5000.0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    board_state = models.BinaryField()
    plan_hash = models.CharField(max_length=64, blank=True)
    decision = models.ForeignKey(
        "decisions.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("planning:year", args=[self.federation.slug, self.pk])

    @property
    def council(self) -> Council:
        return self.federation


class Good(models.Model):
    """One commodity of the year's catalogue; ``category`` indexes ``CATEGORIES``, ``position``
    its place within the category (the engine's commodity number follows both)."""

    year = models.ForeignKey(PlanningYear, on_delete=models.CASCADE, related_name="goods")
    category = models.PositiveSmallIntegerField(choices=list(enumerate(CATEGORY_LABELS)))
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=80)
    unit = models.CharField(max_length=40, blank=True)
    endowment = models.FloatField(null=True, blank=True)  # natural resources and labour types

    class Meta:
        ordering = ["category", "position"]
        constraints = [
            models.UniqueConstraint(fields=["year", "category", "position"], name="planning_good_place"),
            models.UniqueConstraint(fields=["year", "name"], name="planning_good_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def category_name(self) -> str:
        return CATEGORIES[self.category]


class Participant(models.Model):
    """A worker or consumer council taking part in a year, with its function parameters.

    ``params`` (float64 bytes) holds, for a worker council, ``[output commodity, A, S, c, k,
    commodity, exponent, commodity, exponent, ...]`` and, for a consumer council, ``[income,
    u_1..u_private, g_1..g_public]``; empty when the council answers only by hand.
    ``position`` orders the councils of one kind as the exported economy does.
    """

    class Kind(models.TextChoices):
        WORKER = "wc", "Worker council"
        CONSUMER = "cc", "Consumer council"

    class Answers(models.TextChoices):
        FUNCTION = "function", "From its function"
        HAND = "hand", "By hand"

    year = models.ForeignKey(PlanningYear, on_delete=models.CASCADE, related_name="participants")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="planning_participations")
    kind = models.CharField(max_length=2, choices=Kind.choices)
    position = models.PositiveIntegerField()
    answers = models.CharField(max_length=8, choices=Answers.choices, default=Answers.HAND)
    params = models.BinaryField(default=b"")
    public_request = models.BinaryField(default=b"")  # a consumer council's public-good statements
    latest = models.ForeignKey(
        "PlanProposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["year", "council"], name="planning_one_participation"),
            models.UniqueConstraint(fields=["year", "kind", "position"], name="planning_participant_place"),
        ]

    def __str__(self) -> str:
        return f"{self.council} in {self.year}"


class Round(models.Model):
    year = models.ForeignKey(PlanningYear, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    prices = models.BinaryField()  # announced for this round
    opened_at = models.DateTimeField()
    deadline = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    supply = models.BinaryField(null=True)
    demand = models.BinaryField(null=True)
    prices_after = models.BinaryField(null=True)
    max_imbalance_pct = models.FloatField(null=True)
    answered = models.PositiveIntegerField(null=True)
    participants = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["year", "number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="planning_round_number")]

    def __str__(self) -> str:
        return f"{self.year} round {self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class PlanProposal(models.Model):
    """A council's proposal in one round: ``supply`` and ``demand`` are float64 pairs
    ``[commodity, quantity, ...]`` (a consumer council's public goods as its statements)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="proposals")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    supply = models.BinaryField(default=b"")
    demand = models.BinaryField(default=b"")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "round"], name="planning_one_proposal")]


class PersonalRequest(models.Model):
    """One member's request of private goods in a consumer council; seen only by that member
    (and, summed, by the council). ``quantities`` is one float64 per private good."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    quantities = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "user"], name="planning_one_request")]
