"""The vocabulary of councils: their kinds, visibility, how they are joined, and roles."""

from __future__ import annotations

from parsoc.vocabulary import Vocabulary, _
from parsoc.vocabulary import choices as choices


class CouncilKind(Vocabulary):
    """What kind of body a council is. Any kind may nest inside any other."""

    GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
    CHAPTER = "chapter", _("Chapter")
    AFFINITY_GROUP = "affinity_group", _("Affinity group")
    WORKING_GROUP = "working_group", _("Working group")
    WORKER_COUNCIL = "worker_council", _("Worker council")
    CONSUMER_COUNCIL = "consumer_council", _("Consumer (neighbourhood) council")
    FEDERATION = "federation", _("Federation")
    SPOKESCOUNCIL = "spokescouncil", _("Spokescouncil")


class Visibility(Vocabulary):
    """Who may see a council's page, members and announcements."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class JoinPolicy(Vocabulary):
    """How a person becomes a member."""

    OPEN = "open", _("Open: anyone may join")  # at once
    REQUEST = "request", _("On request: a facilitator approves")  # each request
    INVITATION = "invitation", _("By invitation only")  # a link or an email


class Role(Vocabulary):
    """A member's role. Facilitators manage members, settings and announcements."""

    MEMBER = "member", _("Member")
    FACILITATOR = "facilitator", _("Facilitator")


class RequestStatus(Vocabulary):
    """Where a request to join stands."""

    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TermEnd(Vocabulary):
    """Why a delegate's term ended before its end date (none: it did not)."""

    NONE = "", _("—")
    RECALLED = "recalled", _("Recalled")
    STEPPED_DOWN = "stepped_down", _("Stepped down")
