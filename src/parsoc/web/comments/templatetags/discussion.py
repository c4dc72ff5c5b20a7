"""``{% discussion target %}``: the thread on ``target`` and the forms to join it.

``label`` names the comment field (``"Comment on {title}"`` gives ``Comment on Community
garden`` where several threads share a page); ``open`` False folds the thread into a ``<details>`` (announcements)."""

from __future__ import annotations

from typing import Any

from django import template

from parsoc.decisions.lifecycle import COMMENT_TAGS
from parsoc.web.comments import services, targets

register = template.Library()


@register.inclusion_tag("comments/_thread.html", takes_context=True)
def discussion(context, target, label: str = "Comment", fold: bool = False) -> dict[str, Any]:
    user = context["request"].user
    kind = targets.kind_of(target)
    if not user.has_perm("comments.view", target):
        return {"hidden": True}
    may_post = user.has_perm("comments.post", target)
    known = services.candidates(target) if may_post else {}
    return {
        "hidden": False, "target": target, "kind": kind.key, "label": label.replace("{title}", kind.title(target)), "fold": fold,
        "shown": services.thread(user, target), "may_post": may_post,
        "tags": COMMENT_TAGS if kind.tags else (), "csrf_token": context.get("csrf_token"),
        "handles": sorted(services.text.handle_of(p, known) for p in {id(p): p for p in known.values()}.values()
                          if p != user and kind.may_see(p, target)) if may_post else [],
        "open": kind.is_open(target), "uid": f"{kind.key}-{target.pk}",
    }
