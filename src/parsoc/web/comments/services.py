"""Posting, replying, editing and removing comments; the thread as shown; who is told.

Pages and the API call these. Each checks its permission (:mod:`parsoc.web.comments.rules`),
refuses wrong input with :class:`InputError` and writes in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from parsoc.decisions.lifecycle import COMMENT_TAGS
from parsoc.errors import InputError
from parsoc.web.comments import text
from parsoc.web.comments.models import MAX_BODY, Comment, CommentVersion
from parsoc.web.comments.targets import comments_on, kind_of
from parsoc.web.councils.rules import can_manage
from parsoc.web.councils.services import require
from parsoc.web.notifications.services import notify

#: Replies deeper than this are shown at this depth (with "in reply to ...").
MAX_DEPTH = 4


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InputError("body: the comment is empty")
    if len(body) > MAX_BODY:
        raise InputError(f"body: a comment may be at most {MAX_BODY} characters long")
    return body


def candidates(target) -> dict[str, Any]:
    """Handle → person for everyone who could be mentioned on ``target`` (its council's
    members; :func:`mentions` keeps only those who may see the target)."""
    from parsoc.web.accounts.models import User

    council = kind_of(target).council(target)
    return text.handles(User.objects.filter(memberships__council=council, is_active=True).order_by("pk"))


def mentions(target, body: str, *, author=None) -> list[Any]:
    """The people ``body`` mentions who may see ``target`` (never the author)."""
    kind = kind_of(target)
    return [p for p in text.mentioned(body, candidates(target))
            if p != author and kind.may_see(p, target)]


def _tell(comment: Comment, people: list[Any]) -> None:
    """Tell the newly mentioned (one notice each, through the one notification module)."""
    if not people:
        return
    target = comment.target
    kind = kind_of(target)
    name = comment.author.display_name if comment.author else "someone"
    notify("mention", people, actor=comment.author, council=comment.council,
           title=f"{name} mentioned you on “{kind.title(target)}”",
           url=f"{kind.url(target).split('#')[0]}#comment-{comment.pk}",
           context={"body": comment.body[:500]})


def post(user, target, *, body: str, parent: Comment | None = None, tag: str = "comment") -> Comment:
    kind = kind_of(target)
    if kind.may_see(user, target) and not kind.is_open(target):
        raise InputError("comments are closed here now")
    require(user, "comments.post", target, "only members of the council can take part in this discussion")
    body = _clean_body(body)
    tag = tag or "comment"
    if tag not in COMMENT_TAGS or (tag != "comment" and not kind.tags):
        allowed = ", ".join(COMMENT_TAGS) if kind.tags else "comment"
        raise InputError(f"tag: {tag!r} is not one of {allowed}")
    target_type = ContentType.objects.get_for_model(target)
    if parent is not None and (parent.target_type_id != target_type.pk or parent.target_id != target.pk):
        raise InputError("parent: that comment belongs to another discussion")
    people = mentions(target, body, author=user)
    with transaction.atomic():
        comment = Comment.objects.create(council=kind.council(target), target_type=target_type,
                                         target_id=target.pk, parent=parent, author=user, tag=tag, body=body)
        comment.mentioned.set(people)
        _tell(comment, people)
    return comment


def edit(user, comment: Comment, *, body: str) -> Comment:
    """A new text; the old one is kept as a version (visible in the comment's history)."""
    require(user, "comments.edit", comment, "only its author can edit a comment, while the discussion is open")
    body = _clean_body(body)
    target = comment.target
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if body == comment.body:
            return comment
        number = comment.versions.count() + 1
        CommentVersion.objects.create(comment=comment, number=number, body=comment.body,
                                      written_at=comment.edited_at or comment.created_at)
        before = set(comment.mentioned.values_list("pk", flat=True))
        people = mentions(target, body, author=user)
        comment.body, comment.edited_at = body, timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        comment.mentioned.set(people)
        _tell(comment, [p for p in people if p.pk not in before])
    return comment


def remove(user, comment: Comment) -> Comment:
    """Remove the text (and its earlier versions); the comment stays as a place in the thread."""
    require(user, "comments.remove", comment, "only its author or a facilitator can remove a comment")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.versions.all().delete()
        comment.mentioned.clear()
        comment.body, comment.removed_at, comment.removed_by = "", timezone.now(), user
        comment.save(update_fields=["body", "removed_at", "removed_by"])
    return comment


@dataclass
class Shown:
    """One comment as the thread shows it."""

    comment: Comment
    depth: int
    html: Any
    reply_to: Comment | None
    can_edit: bool
    can_remove: bool
    edits: int


def thread(user, target) -> list[Shown]:
    """The discussion on ``target`` in reading order (each reply after what it answers)."""
    rows = list(comments_on(target).select_related("author", "removed_by", "parent__author")
                .prefetch_related("mentioned").annotate(edits=Count("versions")))
    if not rows:
        return []
    known = candidates(target)
    council = kind_of(target).council(target)
    manager = user.is_authenticated and can_manage(user, council)
    by_parent: dict[int | None, list[Comment]] = {}
    for c in rows:
        by_parent.setdefault(c.parent_id, []).append(c)
    shown: list[Shown] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for c in by_parent.get(parent_id, []):
            c.target = target  # the one target, not a query per comment
            ids = {p.pk for p in c.mentioned.all()}
            mine = user.is_authenticated and c.author_id == user.pk
            html = "" if c.removed else text.render(c.body, {h: p for h, p in known.items() if p.pk in ids})
            shown.append(Shown(c, min(depth, MAX_DEPTH), html, c.parent,
                               mine and user.has_perm("comments.edit", c),
                               (mine or manager) and user.has_perm("comments.remove", c),
                               c.edits))  # type: ignore[attr-defined]
            walk(c.pk, depth + 1)

    walk(None, 0)
    return shown


def as_json(c: Comment) -> dict[str, Any]:
    return {
        "id": c.pk, "tag": c.tag, "body": c.body, "parent": c.parent_id,
        "author": c.author.display_name if c.author else None,
        "created_at": c.created_at, "edited_at": c.edited_at, "removed": c.removed,
        "mentions": [p.display_name for p in c.mentioned.all()],
    }
