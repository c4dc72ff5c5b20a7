"""Who may read and write a discussion.

``comments.view`` and ``comments.post`` take the *target* (a proposal, poll, budget project,
meeting or announcement); ``comments.edit`` and ``comments.remove`` take a comment.

- read: whoever may see the target (a draft proposal: its author and facilitators);
- post (and reply): members of the target's council, while the target takes comments;
- edit: the author, still a member, while the target takes comments, until it is removed;
- remove: the author, or a facilitator of the council (or a site admin), until it is removed.
"""

from __future__ import annotations

import rules

from parsoc.web.comments.targets import kind_of
from parsoc.web.councils.rules import can_manage, is_member


@rules.predicate
def sees_target(user, target) -> bool:
    return target is not None and kind_of(target).may_see(user, target)


@rules.predicate
def member_at_target(user, target) -> bool:
    return target is not None and is_member(user, kind_of(target).council(target))


@rules.predicate
def target_open(user, target) -> bool:
    return target is not None and kind_of(target).is_open(target)


@rules.predicate
def wrote_it(user, comment) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def not_removed(user, comment) -> bool:
    return comment is not None and comment.removed_at is None


@rules.predicate
def may_still_post_there(user, comment) -> bool:
    if comment is None or comment.target is None:
        return False
    target = comment.target
    return bool(member_at_target(user, target) and target_open(user, target))


@rules.predicate
def manages_its_council(user, comment) -> bool:
    return comment is not None and can_manage(user, comment.council)


rules.add_perm("comments.view", sees_target)
rules.add_perm("comments.post", sees_target & member_at_target & target_open)
rules.add_perm("comments.edit", wrote_it & not_removed & may_still_post_there)
rules.add_perm("comments.remove", not_removed & (wrote_it | manages_its_council))
