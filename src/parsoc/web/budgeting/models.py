"""A council's participatory budgeting process: phases, projects, discussion, ballots.

The counting is the pure core's (``parsoc.choice``): the models only hold what people entered.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from parsoc.choice.budget_process import PHASE_ORDER, BallotKind, Phase
from parsoc.choice.methods import BudgetRule as Rule
from parsoc.choice.methods import Completion, Satisfaction
from parsoc.numbers import COUNT_MAX, MONEY_DIGITS, MONEY_MAX, MONEY_MIN, MONEY_PLACES
from parsoc.web.core.numbers import bounded

# The vocabulary is the core's (parsoc.choice); named here too, for the shell's imports.
__all__ = ["PHASE_ORDER", "Ballot", "BallotKind", "Completion", "Phase", "Process", "Project", "Rule",
           "Satisfaction", "new_pseudonym"]


class Process(models.Model):
    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="budgeting_processes")
    title = models.CharField(max_length=200)
    budget = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, validators=bounded(MONEY_MIN, MONEY_MAX))
    currency = models.CharField(max_length=8, default="EUR")
    ballot_kind = models.CharField(max_length=16, choices=BallotKind.choices(), default=BallotKind.APPROVAL)
    max_choices = models.PositiveIntegerField(null=True, blank=True, help_text="Most projects on one ballot.",
                                              validators=bounded(1, COUNT_MAX))
    points = models.PositiveIntegerField(default=10, help_text="Points each voter shares out (cumulative ballots).",
                                         validators=bounded(1, COUNT_MAX))
    rule = models.CharField(max_length=16, choices=Rule.choices(), default=Rule.EQUAL_SHARES)
    satisfaction = models.CharField(max_length=16, choices=Satisfaction.choices(), default=Satisfaction.COST,
                                    help_text="Equal Shares only.")
    completion = models.CharField(max_length=8, choices=Completion.choices(), default=Completion.NONE,
                                  help_text="Equal Shares only.")
    phase = models.CharField(max_length=16, choices=Phase.choices(), default=Phase.PROPOSALS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:detail", args=[self.council.slug, self.pk])


class Project(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="projects")
    code = models.CharField(max_length=60, help_text="The project's id in .pb files.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cost = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True,
                               validators=bounded(0, MONEY_MAX))
    feasible = models.BooleanField(null=True)
    review_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["process", "code"], name="budgeting_project_code_unique")]

    def __str__(self) -> str:
        return self.title


def new_pseudonym() -> str:
    """A voter's name in this process's exports: random, never derived from the account."""
    return f"v{secrets.token_hex(8)}"


class Ballot(models.Model):
    """One voter's ballot: project codes (best first when ranked) and points (cumulative).

    ``voter_label`` is the name the ballot has in exports and in the results: for a member's
    ballot a random pseudonym drawn when they first vote in this process and kept when they
    change their ballot (:func:`new_pseudonym`), never their account id; for an imported
    ballot the voter id the ``.pb`` file gave it.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    voter_label = models.CharField(max_length=80, help_text="The voter's pseudonym in this process (imported ballots: the file's voter id).")
    choices = models.JSONField(default=list)
    points = models.JSONField(default=list)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "voter_label"], name="budgeting_one_ballot_each"),
            models.UniqueConstraint(fields=["process", "voter"], condition=models.Q(voter__isnull=False),
                                    name="budgeting_one_ballot_per_member"),
        ]
