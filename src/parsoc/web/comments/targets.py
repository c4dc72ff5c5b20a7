"""What people can discuss: one :class:`Kind` per model, with who may read and write there.

A kind names its model, the target's council, whether a person may see the target, whether
the target takes comments now (a proposal while under discussion or decision, a budget
project until the results), the page it lives on and whether comments carry a tag
(question / concern / amendment on proposals). Reading follows the target (who may see it);
writing is for members of the target's council while it is open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import post_delete
from django.urls import reverse


@dataclass(frozen=True)
class Kind:
    key: str
    model: str  # "app_label.ModelName"
    council: Callable[[Any], Any]
    may_see: Callable[[Any, Any], bool]
    is_open: Callable[[Any], bool]
    url: Callable[[Any], str]
    title: Callable[[Any], str]
    tags: bool = False

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)


def _see_proposal(user, proposal) -> bool:
    from parsoc.web.decisions.services import may_see

    return may_see(user, proposal)


def _proposal_open(proposal) -> bool:
    from parsoc.decisions.lifecycle import may_comment

    return may_comment(proposal.stage)


def _project_open(project) -> bool:
    return project.process.phase in ("proposals", "review", "voting")


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("proposal", "decisions.Proposal", lambda p: p.council, _see_proposal, _proposal_open,
         lambda p: p.get_absolute_url(), lambda p: p.title, tags=True),
    Kind("project", "budgeting.Project", lambda p: p.process.council,
         lambda u, p: u.has_perm("budgeting.view_process", p.process), _project_open,
         lambda p: reverse("budgeting:detail", args=[p.process.council.slug, p.process_id]) + f"#project-{p.code}",
         lambda p: p.title),
    Kind("poll", "meetings.Poll", lambda p: p.council, lambda u, p: u.has_perm("meetings.view", p),
         lambda p: True, lambda p: p.get_absolute_url(), lambda p: p.title),
    Kind("meeting", "meetings.Meeting", lambda m: m.council, lambda u, m: u.has_perm("meetings.view", m),
         lambda m: True, lambda m: m.get_absolute_url(), lambda m: m.title),
    Kind("announcement", "councils.Announcement", lambda a: a.council,
         lambda u, a: u.has_perm("councils.view_council", a.council), lambda a: True,
         lambda a: reverse("councils:detail", args=[a.council.slug]) + f"#announcement-{a.pk}",
         lambda a: a.title),
)}


def kind_of(obj) -> Kind:
    label = f"{obj._meta.app_label}.{obj._meta.object_name}"
    for kind in KINDS.values():
        if kind.model == label:
            return kind
    raise LookupError(f"{label} takes no comments")


def find(key: str, pk: int):
    """The target ``key``/``pk`` (``None`` when there is none)."""
    kind = KINDS.get(key)
    if kind is None:
        return None
    return kind.model_class()._default_manager.filter(pk=pk).first()


def comments_on(obj):
    from parsoc.web.comments.models import Comment

    return Comment.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)


def _delete_comments(sender, instance, **kwargs) -> None:
    comments_on(instance).delete()


def connect_cleanup() -> None:
    """A deleted target takes its discussion with it (a deleted council does so by cascade)."""
    for kind in KINDS.values():
        post_delete.connect(_delete_comments, sender=kind.model, weak=False,
                            dispatch_uid=f"comments-cleanup-{kind.key}")
