"""The words people read for the keys the records keep (see :mod:`parsoc.vocabulary`).

``{% load vocabulary %}``, then:

- ``{{ value|label:"stance" }}`` — the label of a key of one vocabulary (an unknown key is
  shown as stored); for a model field with ``choices`` the model's ``get_FOO_display`` does
  the same;
- ``{% vocabulary "comment_tag" as tags %}`` — a vocabulary's ``(key, label)`` pairs, for a
  ``<select>`` or radio buttons written by hand.

A template never prints a raw key such as ``full_consensus``.
"""

from __future__ import annotations

from django import template

from parsoc.choice.budget_process import BallotKind, Phase
from parsoc.choice.methods import BudgetRule, Completion, Satisfaction, VotingMethod
from parsoc.councils.kinds import CouncilKind, JoinPolicy, RequestStatus, Role, TermEnd, Visibility
from parsoc.decisions.lifecycle import CommentTag, Stage
from parsoc.decisions.outcome import Status
from parsoc.decisions.polls import PollKind
from parsoc.decisions.rules import TEMPERATURE_KINDS, RuleKind
from parsoc.decisions.stances import StanceKind, in_order
from parsoc.meetings.quorum import Attendance
from parsoc.meetings.rotation import MeetingRole
from parsoc.meetings.scheduling import Availability
from parsoc.meetings.status import MeetingStatus
from parsoc.vocabulary import Vocabulary, choices
from parsoc.work.kinds import ComposeMethod, EffortKind, RatingForm

register = template.Library()

#: The vocabularies templates may name, by the word they use.
VOCABULARIES: dict[str, type[Vocabulary]] = {
    "stance": StanceKind,
    "rule": RuleKind,
    "stage": Stage,
    "outcome": Status,
    "poll_kind": PollKind,
    "comment_tag": CommentTag,
    "phase": Phase,
    "ballot_kind": BallotKind,
    "budget_rule": BudgetRule,
    "satisfaction": Satisfaction,
    "completion": Completion,
    "voting_method": VotingMethod,
    "council_kind": CouncilKind,
    "visibility": Visibility,
    "join_policy": JoinPolicy,
    "role": Role,
    "request_status": RequestStatus,
    "term_end": TermEnd,
    "meeting_status": MeetingStatus,
    "meeting_role": MeetingRole,
    "attendance": Attendance,
    "answer": Availability,
    "effort_kind": EffortKind,
    "rating_form": RatingForm,
    "compose_method": ComposeMethod,
}

#: Named parts of a vocabulary, in its order.
SUBSETS: dict[str, list[tuple[str, str]]] = {
    "temperature": choices(in_order(TEMPERATURE_KINDS)),
}


def _vocabulary(name: str) -> type[Vocabulary]:
    try:
        return VOCABULARIES[name]
    except KeyError:  # a mistake in a template: fail loudly in tests, not silently on a page
        raise template.TemplateSyntaxError(f"no vocabulary {name!r} (one of: {', '.join(VOCABULARIES)})") from None


@register.filter
def label(value: object, vocabulary: str) -> str:
    """The label of ``value`` in ``vocabulary``; empty for an empty value."""
    if value in (None, ""):
        return ""
    return _vocabulary(vocabulary).label_of(value)


@register.simple_tag(name="vocabulary")
def vocabulary_choices(name: str) -> list[tuple[str, str]]:
    """``(key, label)`` pairs of a vocabulary (or of a named part of one)."""
    if name in SUBSETS:
        return SUBSETS[name]
    return _vocabulary(name).choices()
