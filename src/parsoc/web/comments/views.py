"""Pages of a discussion: post or reply, edit, remove (POST, then back to the target's page)
and a comment's history. The thread itself is drawn on the target's page by the
``{% discussion %}`` tag (``templatetags/discussion.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from parsoc.errors import InputError
from parsoc.numbers import parse_id
from parsoc.web.comments import services, targets
from parsoc.web.comments.models import Comment


def _target(request, kind: str, pk: int):
    target = targets.find(kind, pk)
    if target is None or not request.user.has_perm("comments.view", target):
        raise Http404("No such discussion")
    return target


def _comment(request, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("author", "council"), pk=pk)
    if comment.target is None or not request.user.has_perm("comments.view", comment.target):
        raise Http404("No such comment")
    return comment


def _back(target, comment: Comment | None = None) -> HttpResponse:
    url = targets.kind_of(target).url(target)
    if comment is not None:
        url = f"{url.split('#')[0]}#comment-{comment.pk}"
    response = redirect(url)
    response.status_code = 303
    return response


@login_required
@require_POST
def post(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target(request, kind, pk)
    try:
        parent = None
        if request.POST.get("parent"):
            parent = targets.comments_on(target).filter(pk=parse_id(request.POST["parent"], "parent")).first()
            if parent is None:
                raise InputError("parent: no such comment in this discussion")
        comment = services.post(request.user, target, body=request.POST.get("body", ""), parent=parent,
                                tag=request.POST.get("tag", "comment"))
    except InputError as error:
        messages.error(request, f"Your comment was not posted: {error}")
        return _back(target)
    return _back(target, comment)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The edit form (GET) and the edit (POST); the old text is kept as a version."""
    comment = _comment(request, pk)
    if not request.user.has_perm("comments.edit", comment):
        raise PermissionDenied("only its author can edit a comment, while the discussion is open")
    target = comment.target
    if request.method == "POST":
        try:
            services.edit(request.user, comment, body=request.POST.get("body", ""))
            return _back(target, comment)
        except InputError as error:
            messages.error(request, f"Your edit was not saved: {error}")
    kind = targets.kind_of(target)
    return render(request, "comments/edit.html", {
        "comment": comment, "council": comment.council, "body": request.POST.get("body", comment.body),
        "target_title": kind.title(target), "target_url": kind.url(target),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    services.remove(request.user, comment)
    messages.success(request, "The comment was removed.")
    return _back(comment.target, comment)


def history(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    target = comment.target
    kind = targets.kind_of(target)
    return render(request, "comments/history.html", {
        "comment": comment, "versions": comment.versions.all(), "council": comment.council,
        "target_title": kind.title(target), "target_url": kind.url(target),
    })
