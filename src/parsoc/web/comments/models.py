"""One discussion model for everything people talk about: proposals, polls, budget projects,
meetings and announcements.

A comment points at its *target* generically (content type + id, see
:mod:`parsoc.web.comments.targets` for the kinds of target and their rules) and carries the
target's council, so permissions and clean-up never need to load the target first. Replies
point at their parent; a removed comment keeps its row (and so the thread's shape) but loses
its text and its earlier versions. Every edit keeps the text it replaced as a
:class:`CommentVersion`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from parsoc.decisions.lifecycle import CommentTag

#: Longest comment (characters).
MAX_BODY = 5000


class Comment(models.Model):
    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="+")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    tag = models.CharField(max_length=16, choices=CommentTag.choices(), default=CommentTag.COMMENT.value)
    body = models.TextField(max_length=MAX_BODY, blank=True)
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"comment {self.pk}"

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


class CommentVersion(models.Model):
    """The text a comment had before an edit (``number`` 1 is what was first posted)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(max_length=MAX_BODY)
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["comment", "number"], name="one_comment_version_number")]
