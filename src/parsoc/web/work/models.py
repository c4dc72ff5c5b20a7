"""A worker council's tasks, its members' hours and ratings, and composed job complexes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parsoc.numbers import HOURS_MAX, RATING_MAX, RATING_MIN
from parsoc.web.core.numbers import bounded
from parsoc.web.councils.models import Council
from parsoc.work.kinds import EffortKind


class WorkTask(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="work_tasks")
    name = models.CharField(max_length=120)
    hours = models.FloatField(validators=bounded(0, HOURS_MAX))
    skills = models.CharField(max_length=300, blank=True)  # ";"-separated
    splittable = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="one_task_name_per_council")]


class Worker(models.Model):
    """A member's hours per week and skills in a council."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="workers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    hours = models.FloatField(validators=bounded(0, HOURS_MAX))
    skills = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="one_worker_per_council")]


class TaskRating(models.Model):
    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    empowerment = models.FloatField(validators=bounded(RATING_MIN, RATING_MAX))
    desirability = models.FloatField(validators=bounded(RATING_MIN, RATING_MAX))
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "rater"], name="one_rating_per_task_and_rater")]


class Composition(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="compositions")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    report = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-pk"]


class EffortSettings(models.Model):
    """How a council rates effort (see parsoc.work.effort), its cap and the value of a point."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="effort_settings")
    scheme = models.CharField(max_length=16, choices=EffortKind.choices(), default=EffortKind.HOURS.value)
    cap = models.FloatField(default=1.0, validators=bounded(0, 10))
    point_value = models.FloatField(default=1.0, validators=bounded(0, 1e9))


class EffortRatingRecord(models.Model):
    """A co-worker's rating of a member's effort: an intensity or an onerousness category."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="effort_ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ratee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "rater", "ratee"], name="one_effort_rating_per_pair")]


class RatingRoundSettings(models.Model):
    """A council's rating round: its deadline (ratings after it are refused) and how widely
    ratings may disagree before a task is flagged (a share of the 1–10 scale's width)."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="rating_round")
    deadline = models.DateTimeField(null=True, blank=True)
    disagreement = models.FloatField(default=0.2, validators=bounded(0, 1))
