"""Every kind of notice parsoc sends, in one registry.

A kind names one sort of event a person may be told about. Each has a label (what people see
on their preferences page), the delivery a person gets until they choose (``default``), and
whether it is about the council as a whole (``timeline``: shown on the council page's timeline
of what happened) or about one person (a mention, their own join request).

To add a kind: add a member to :class:`Kind` and a row to :data:`KINDS`; callers then use
:func:`parsoc.web.notifications.services.notify`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    DECISION_OPENED = "decision_opened"
    DECISION_BLOCKED = "decision_blocked"
    DECISION_CLOSING = "decision_closing"
    DECISION_CLOSED = "decision_closed"
    DECISION_REVIEW = "decision_review"
    POLL_OPENED = "poll_opened"
    MEETING_SCHEDULED = "meeting_scheduled"
    MEETING_CHANGED = "meeting_changed"
    MEETING_STARTING = "meeting_starting"
    JOIN_REQUESTED = "join_requested"
    JOIN_APPROVED = "join_approved"
    MENTION = "mention"
    REPLY = "reply"
    PLANNING_ROUND = "planning_round"
    BUDGET_PHASE = "budget_phase"
    DELEGATE_MANDATE = "delegate_mandate"
    ANNOUNCEMENT = "announcement"


class Delivery(StrEnum):
    """How a person wants a kind of notice by e-mail. Every notice is in the in-app inbox."""

    IMMEDIATELY = "immediately"
    DIGEST = "digest"
    OFF = "off"


DELIVERY_LABELS = {
    Delivery.IMMEDIATELY: "E-mail at once",
    Delivery.DIGEST: "In the daily digest",
    Delivery.OFF: "No e-mail (inbox only)",
}


@dataclass(frozen=True)
class KindInfo:
    label: str
    default: Delivery = Delivery.IMMEDIATELY
    timeline: bool = True


KINDS: dict[Kind, KindInfo] = {
    Kind.DECISION_OPENED: KindInfo("A decision opens for stances or votes"),
    Kind.DECISION_BLOCKED: KindInfo("A member blocks a proposal (to facilitators)"),
    Kind.DECISION_CLOSING: KindInfo("A decision you have not answered closes soon", timeline=False),
    Kind.DECISION_CLOSED: KindInfo("A decision is closed"),
    Kind.DECISION_REVIEW: KindInfo("A decision is due for review (to facilitators)"),
    Kind.POLL_OPENED: KindInfo("A poll opens"),
    Kind.MEETING_SCHEDULED: KindInfo("A meeting is called"),
    Kind.MEETING_CHANGED: KindInfo("A meeting is moved or cancelled"),
    Kind.MEETING_STARTING: KindInfo("A meeting starts"),
    Kind.JOIN_REQUESTED: KindInfo("Someone asks to join (to facilitators)", timeline=False),
    Kind.JOIN_APPROVED: KindInfo("Your request to join is approved", timeline=False),
    Kind.MENTION: KindInfo("Someone mentions you", timeline=False),
    Kind.REPLY: KindInfo("Someone replies to you", Delivery.DIGEST, timeline=False),
    Kind.PLANNING_ROUND: KindInfo("A planning round opens or moves on"),
    Kind.BUDGET_PHASE: KindInfo("Participatory budgeting moves to its next phase"),
    Kind.DELEGATE_MANDATE: KindInfo("A delegate's mandate is given or changed"),
    Kind.ANNOUNCEMENT: KindInfo("An announcement is posted"),
}

assert set(KINDS) == set(Kind), "every kind needs a row in KINDS"


def label(kind: str) -> str:
    """What people see for ``kind`` (the kind's value itself if it is not, or no longer, known)."""
    try:
        return KINDS[Kind(kind)].label
    except ValueError:
        return str(kind)


def kind_choices() -> list[tuple[str, str]]:
    return [(k.value, KINDS[k].label) for k in Kind]


def delivery_choices() -> list[tuple[str, str]]:
    return [(d.value, DELIVERY_LABELS[d]) for d in Delivery]
