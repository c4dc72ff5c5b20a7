"""The life of a proposal: draft → discussion → (temperature check) → decision → closed.

- **draft**: only its author and the facilitators see it; it can be edited freely.
- **discussion**: members comment, tagging a comment as a *question*, a *concern* or an
  *amendment*; an accepted amendment makes a new version (every version is kept).
- **temperature**: an optional, non-binding check with live counts; discussion goes on.
- **decision**: the decision window is open (from ``opens_at`` until ``closes_at`` or until a
  facilitator closes it); the rule is fixed and recorded when it opens; stances are binding.
- **closed**: the outcome (statement, review date) is recorded; nothing changes any more.

Moves go forward only, except that a temperature check may return to discussion.
"""

from __future__ import annotations

from parsoc.errors import InputError
from parsoc.vocabulary import Vocabulary, _


class Stage(Vocabulary):
    """Where a proposal (or a poll) is in its life."""

    DRAFT = "draft", _("Draft")
    DISCUSSION = "discussion", _("Discussion")
    TEMPERATURE = "temperature", _("Temperature check")
    DECISION = "decision", _("Decision open")
    CLOSED = "closed", _("Closed")


MOVES: dict[Stage, frozenset[Stage]] = {
    Stage.DRAFT: frozenset({Stage.DISCUSSION}),
    Stage.DISCUSSION: frozenset({Stage.TEMPERATURE, Stage.DECISION}),
    Stage.TEMPERATURE: frozenset({Stage.DISCUSSION, Stage.DECISION}),
    Stage.DECISION: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
}



class CommentTag(Vocabulary):
    """What a comment in a proposal's discussion is."""

    COMMENT = "comment", _("Comment")
    QUESTION = "question", _("Question")
    CONCERN = "concern", _("Concern")
    AMENDMENT = "amendment", _("Amendment")


COMMENT_TAGS = CommentTag.values()


def move(stage: Stage | str, to: Stage | str) -> Stage:
    """The new stage, or an InputError saying which moves are possible from ``stage``."""
    try:
        here, there = Stage(stage), Stage(to)
    except ValueError:
        raise InputError(f"stage: {to!r} is not one of {', '.join(s.value for s in Stage)}") from None
    if there not in MOVES[here]:
        possible = ", ".join(sorted(s.value for s in MOVES[here])) or "none (it is closed)"
        raise InputError(f"a proposal in {here.value} cannot move to {there.value} (possible: {possible})")
    return there


def may_comment(stage: Stage | str) -> bool:
    return Stage(stage) in (Stage.DISCUSSION, Stage.TEMPERATURE, Stage.DECISION)


def may_amend(stage: Stage | str) -> bool:
    """Amendments make new versions only before the decision window opens."""
    return Stage(stage) in (Stage.DRAFT, Stage.DISCUSSION, Stage.TEMPERATURE)
