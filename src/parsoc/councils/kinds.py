"""The vocabulary of councils: their kinds, visibility, how they are joined, and roles."""

from __future__ import annotations

from enum import StrEnum


class CouncilKind(StrEnum):
    """What kind of body a council is. Any kind may nest inside any other."""

    GENERAL_ASSEMBLY = "general_assembly"
    CHAPTER = "chapter"
    AFFINITY_GROUP = "affinity_group"
    WORKING_GROUP = "working_group"
    WORKER_COUNCIL = "worker_council"
    CONSUMER_COUNCIL = "consumer_council"
    FEDERATION = "federation"
    SPOKESCOUNCIL = "spokescouncil"

    @property
    def label(self) -> str:
        return {
            "general_assembly": "General assembly",
            "chapter": "Chapter",
            "affinity_group": "Affinity group",
            "working_group": "Working group",
            "worker_council": "Worker council",
            "consumer_council": "Consumer (neighbourhood) council",
            "federation": "Federation",
            "spokescouncil": "Spokescouncil",
        }[self.value]


class Visibility(StrEnum):
    """Who may see a council's page, members and announcements."""

    PUBLIC = "public"
    MEMBERS = "members"

    @property
    def label(self) -> str:
        return {"public": "Public", "members": "Members only"}[self.value]


class JoinPolicy(StrEnum):
    """How a person becomes a member."""

    OPEN = "open"  # anyone may join at once
    REQUEST = "request"  # a facilitator approves each request
    INVITATION = "invitation"  # only with an invitation (link or email)

    @property
    def label(self) -> str:
        return {
            "open": "Open: anyone may join",
            "request": "On request: a facilitator approves",
            "invitation": "By invitation only",
        }[self.value]


class Role(StrEnum):
    """A member's role. Facilitators manage members, settings and announcements."""

    MEMBER = "member"
    FACILITATOR = "facilitator"

    @property
    def label(self) -> str:
        return {"member": "Member", "facilitator": "Facilitator"}[self.value]


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """``(value, label)`` pairs for forms and model fields."""
    return [(member.value, member.label) for member in enum]  # type: ignore[attr-defined]
