"""Discussion endpoints under ``/api/comments``: the same services and permissions as the pages.

- ``GET  /on/{kind}/{pk}``: the thread on a target (kind: proposal, project, poll, meeting,
  announcement), in reading order, each with ``depth``;
- ``POST /on/{kind}/{pk}``: post (``parent`` to reply; ``tag`` on proposals);
- ``PATCH /{id}``: edit (the old text becomes a version); ``DELETE /{id}``: remove;
- ``GET /{id}/versions``: the earlier texts.

Errors: 400 ``{"detail": ...}`` wrong input, 401 anonymous, 403 not allowed, 404 not visible,
422 malformed fields.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Field, Router, Schema, Status

from parsoc.errors import InputError
from parsoc.web.api import login_required
from parsoc.web.comments import services, targets
from parsoc.web.comments.models import MAX_BODY, Comment
from parsoc.web.core.numbers import Id, IdParam

router = Router(tags=["comments"])


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=MAX_BODY)
    tag: str = "comment"
    parent: Id | None = None


class EditIn(Schema):
    body: str = Field(..., min_length=1, max_length=MAX_BODY)


def target_or_404(request, kind: str, pk: int):
    target = targets.find(kind, pk)
    if target is None or not request.auth.has_perm("comments.view", target):
        raise Http404(f"no such {kind}" if kind in targets.KINDS else f"{kind!r} takes no comments")
    return target


def _comment(request, pk: int) -> Comment:
    comment = Comment.objects.select_related("author").filter(pk=pk).first()
    if comment is None or comment.target is None or not request.auth.has_perm("comments.view", comment.target):
        raise Http404("no such comment")
    return comment


def parent_in(target, parent: int | None) -> Comment | None:
    if not parent:
        return None
    found = targets.comments_on(target).filter(pk=parent).first()
    if found is None:
        raise InputError("parent: no such comment in this discussion")
    return found


@router.get("/on/{kind}/{pk}")
def list_comments(request, kind: str, pk: IdParam) -> list[dict[str, Any]]:
    target = target_or_404(request, kind, pk)
    return [{**services.as_json(s.comment), "depth": s.depth} for s in services.thread(request.auth, target)]


@router.post("/on/{kind}/{pk}", response={201: dict})
def post_comment(request, kind: str, pk: IdParam, payload: CommentIn):
    user = login_required(request)
    target = target_or_404(request, kind, pk)
    comment = services.post(user, target, body=payload.body, tag=payload.tag, parent=parent_in(target, payload.parent))
    return Status(201, services.as_json(comment))


@router.patch("/{pk}")
def edit_comment(request, pk: IdParam, payload: EditIn) -> dict[str, Any]:
    user = login_required(request)
    return services.as_json(services.edit(user, _comment(request, pk), body=payload.body))


@router.delete("/{pk}")
def remove_comment(request, pk: IdParam) -> dict[str, Any]:
    user = login_required(request)
    return services.as_json(services.remove(user, _comment(request, pk)))


@router.get("/{pk}/versions")
def versions(request, pk: IdParam) -> list[dict[str, Any]]:
    comment = _comment(request, pk)
    return [{"number": v.number, "body": v.body, "written_at": v.written_at} for v in comment.versions.all()]
