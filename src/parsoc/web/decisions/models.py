"""Proposals, their discussion, stances, delegations, secret ballots and the decision log.

The rules live in :mod:`parsoc.decisions`; these models only keep what happened. Stances are
never updated: each cast is a new row, and a member's current stance in a round is their
newest row. Secret ballots are kept apart from the voter roll: see ``VoterRoll`` and ``Ballot``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from parsoc.decisions.lifecycle import Stage
from parsoc.decisions.outcome import Status
from parsoc.decisions.polls import PollKind
from parsoc.decisions.rules import RuleKind
from parsoc.decisions.stances import StanceKind
from parsoc.numbers import SMALL_MAX
from parsoc.web.core.numbers import bounded


class CouncilDecisionSettings(models.Model):
    """Per-council settings of the decisions domain (how long a chain of delegates may be)."""

    council = models.OneToOneField("councils.Council", on_delete=models.CASCADE, related_name="decision_settings")
    max_chain = models.PositiveSmallIntegerField(default=1, validators=bounded(1, SMALL_MAX))


class Proposal(models.Model):
    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="proposals")
    question = models.CharField(max_length=200, blank=True,
                                help_text="Competing proposals on one question share it and close together.")
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=20000)
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    stage = models.CharField(max_length=16, choices=Stage.choices(), default=Stage.DRAFT.value)
    # the rule, fixed when the decision window opens
    rule_kind = models.CharField(max_length=24, choices=RuleKind.choices(), blank=True)
    quorum = models.CharField(max_length=16, default="0")
    stand_aside_limit = models.CharField(max_length=16, default="1/3")
    supermajority = models.CharField(max_length=16, default="9/10")
    threshold = models.CharField(max_length=16, default="2/3")
    secret = models.BooleanField(default=False)
    hide_results = models.BooleanField(default=False)
    max_chain = models.PositiveSmallIntegerField(default=1, validators=bounded(1, SMALL_MAX))
    eligible = models.JSONField(default=list, blank=True)  # member ids (strings) when it opened
    round = models.PositiveSmallIntegerField(default=0)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    closing_soon_sent = models.BooleanField(default=False)
    # the outcome
    status = models.CharField(max_length=24, choices=Status.choices(), blank=True)
    outcome = models.JSONField(null=True, blank=True)
    statement = models.TextField(max_length=5000, blank=True)
    review_on = models.DateField(null=True, blank=True)
    review_reminded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["council", "stage"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:proposal", args=[self.council.slug, self.pk])

    @property
    def decision_id(self) -> str:
        return str(self.pk)


class ProposalVersion(models.Model):
    """Every version of a proposal's text; an accepted amendment adds one."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=20000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    amendment = models.ForeignKey("comments.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="one_version_number")]


class Stance(models.Model):
    """One version of a member's stance. ``binding`` False: a temperature-check stance."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stances")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(default=0)
    binding = models.BooleanField(default=True)
    kind = models.CharField(max_length=16, choices=StanceKind.choices())
    reason = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["proposal", "binding", "round", "member"])]


class AffectedGroup(models.Model):
    """Weighted say for one decision: its members count with ``weight`` (a fraction string)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=100)
    weight = models.CharField(max_length=16)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "name"], name="one_group_name")]


class Delegation(models.Model):
    """A vote handed to another member, on one proposal or (``proposal`` null) on all."""

    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="+")
    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "delegator", "proposal"], name="one_delegation_per_scope"),
            models.UniqueConstraint(fields=["council", "delegator"], condition=models.Q(proposal__isnull=True),
                                    name="one_council_wide_delegation"),
        ]


class VoterRoll(models.Model):
    """Who has taken their secret ballot in a round — names only, nothing about the ballot."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField()
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "round", "member"], name="one_ballot_each")]


def _ballot_id() -> str:
    return secrets.token_hex(16)


class Ballot(models.Model):
    """An anonymous ballot: random key, token digest, weight, every stance version.

    No voter, no timestamp, no sequence number: nothing here joins it to ``VoterRoll``.
    """

    id = models.CharField(primary_key=True, max_length=32, default=_ballot_id, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField()
    receipt = models.CharField(max_length=64)
    weight = models.CharField(max_length=16, default="1")
    versions = models.JSONField(default=list)  # [[kind, reason], ...]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "round", "receipt"], name="one_ballot_per_token")]


class LogEvent(models.Model):
    """One event of a council's hash-chained decision log (see parsoc.decisions.record)."""

    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField()
    decision = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001 -- landed schema; NULL = no decision
    kind = models.CharField(max_length=16)
    at = models.CharField(max_length=40)
    data = models.JSONField()
    prev = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["council", "seq"], name="one_event_per_seq")]


class Poll(models.Model):
    """A poll (approval, score, dot vote, ranked choice, STV) on the proposals' lifecycle:
    discussion → decision (open for votes) → closed."""

    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="decision_polls")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=PollKind.choices())
    options = models.JSONField(default=list)
    params = models.JSONField(default=dict, blank=True)  # max_approvals, low, high, dots, per_option, seats
    stage = models.CharField(max_length=16, choices=Stage.choices(), default=Stage.DISCUSSION.value)
    hide_results = models.BooleanField(default=False)
    secret = models.BooleanField(default=False)  # ballots by token (PollRoll, PollSecretBallot)
    closes_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class PollBallot(models.Model):
    """One version of a voter's poll ballot; the newest counts (changes kept until close)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField()  # approval: [options]; score/dot: {option: n}; ranked: [options best first]
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class PollRoll(models.Model):
    """Who has taken their ballot in a secret poll — names only, nothing about the ballot."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "member"], name="one_poll_ballot_each")]


class PollSecretBallot(models.Model):
    """An anonymous poll ballot: random key, token digest, every version of the ballot.

    No voter, no timestamp, no sequence number: nothing here joins it to ``PollRoll``.
    """

    id = models.CharField(primary_key=True, max_length=32, default=_ballot_id, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    receipt = models.CharField(max_length=64)
    versions = models.JSONField(default=list)  # [ballot, ...], the newest last

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "receipt"], name="one_poll_ballot_per_token")]
