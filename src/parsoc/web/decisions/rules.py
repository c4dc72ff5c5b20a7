"""Who may do what with proposals: predicates over (user, council) from the councils app, and
``view_proposal`` over (user, proposal): a draft is seen by its author and the facilitators."""

from __future__ import annotations

import rules

from parsoc.decisions.lifecycle import Stage
from parsoc.web.councils.rules import can_manage, can_view, is_member


@rules.predicate
def sees_its_council(user, proposal) -> bool:
    return can_view(user, proposal.council)


@rules.predicate
def is_draft(user, proposal) -> bool:
    return proposal.stage == Stage.DRAFT.value


@rules.predicate
def wrote_it(user, proposal) -> bool:
    return user.is_authenticated and proposal.author_id == user.pk


@rules.predicate
def manages_its_council(user, proposal) -> bool:
    return can_manage(user, proposal.council)


rules.add_perm("decisions.view", can_view)
rules.add_perm("decisions.view_proposal", sees_its_council & (~is_draft | wrote_it | manages_its_council))
rules.add_perm("decisions.propose", is_member)
rules.add_perm("decisions.comment", is_member)
rules.add_perm("decisions.take_stance", is_member)
rules.add_perm("decisions.delegate", is_member)
rules.add_perm("decisions.facilitate", can_manage)
