"""Where a meeting is: scheduled, in session, ended or cancelled."""

from __future__ import annotations

from parsoc.vocabulary import Vocabulary, _


class MeetingStatus(Vocabulary):
    """A meeting's status (key: stored with the meeting and in its calendar feed)."""

    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("In session")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")
