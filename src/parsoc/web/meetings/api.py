"""Meeting endpoints: the same services and permissions as the web pages."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema

from parsoc.meetings.status import MeetingStatus
from parsoc.web.api import login_required
from parsoc.web.core.numbers import IdParam, Minutes
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.councils.models import Council
from parsoc.web.meetings import services
from parsoc.web.meetings.models import Meeting, Poll

router = Router(tags=["meetings"])


def _poll(request, pk: int) -> Poll:
    return get_visible_or_404(request.auth, Poll.objects.select_related("council"), "meetings.view", pk=pk)


def _meeting(request, pk: int) -> Meeting:
    return get_visible_or_404(request.auth, Meeting.objects.select_related("council"), "meetings.view", pk=pk)


class OptionOut(Schema):
    id: int
    start: datetime
    minutes: int
    zone: str
    yes: int
    ifneedbe: int
    no: int
    heat: float


class PollOut(Schema):
    id: int
    council: str
    title: str
    closed: bool
    options: list[OptionOut]
    best: int | None = Field(None, description="id of the best option")
    meeting: int | None


class AnswerIn(Schema):
    choices: dict[IdParam, str] = Field(..., description='option id → "yes", "ifneedbe" or "no"')
    comment: str = Field("", max_length=2000)


class OptionIn(Schema):
    start: str = Field(..., description="local wall-clock time, YYYY-MM-DD HH:MM")
    zone: str = Field(..., description="IANA time zone, e.g. Europe/Berlin")
    minutes: Minutes


class MeetingOut(Schema):
    id: int
    council: str
    title: str
    start: datetime
    minutes: int
    zone: str
    location: str
    status: MeetingStatus


class LiveIn(Schema):
    kind: str | None = None
    under_heard: bool = False
    signal: str | None = None
    question: str | None = None
    rules: dict[str, bool] | None = None


def _poll_out(poll: Poll) -> dict:
    results = services.poll_results(poll)
    return {
        "id": poll.pk, "council": poll.council.slug, "title": poll.title, "closed": poll.closed,
        "options": [
            {"id": r["option"].pk, "start": r["option"].start, "minutes": r["option"].minutes,
             "zone": r["option"].zone, "yes": r["yes"], "ifneedbe": r["ifneedbe"], "no": r["no"],
             "heat": r["heat"] / 100}
            for r in results.rows()
        ],
        "best": results.options[results.best].pk if results.best is not None else None,
        "meeting": poll.meeting_id,
    }


def _meeting_out(m: Meeting) -> dict:
    return {"id": m.pk, "council": m.council.slug, "title": m.title, "start": m.start,
            "minutes": m.minutes_long, "zone": m.zone, "location": m.location, "status": m.status}


@router.get("/councils/{slug}", response=list[MeetingOut])
def council_meetings(request, slug: str):
    council = get_visible_or_404(request.auth, Council, "meetings.view", slug=slug)
    return [_meeting_out(m) for m in council.meetings.select_related("council")]


@router.get("/polls/{poll_id}", response=PollOut)
def get_poll(request, poll_id: IdParam):
    return _poll_out(_poll(request, poll_id))


@router.post("/polls/{poll_id}/options", response=PollOut)
def add_option(request, poll_id: IdParam, body: OptionIn):
    user = login_required(request)
    poll = _poll(request, poll_id)
    services.add_option(user, poll, start=body.start, zone=body.zone, minutes=body.minutes)
    return _poll_out(poll)


@router.post("/polls/{poll_id}/answers", response=PollOut)
def answer_poll(request, poll_id: IdParam, body: AnswerIn):
    user = login_required(request)
    poll = _poll(request, poll_id)
    services.answer_poll(user, poll, body.choices, comment=body.comment)
    return _poll_out(poll)


@router.post("/polls/{poll_id}/finalise", response=MeetingOut)
def finalise_poll(request, poll_id: IdParam, option: IdParam | None = None):
    user = login_required(request)
    poll = _poll(request, poll_id)
    return _meeting_out(services.finalise_poll(user, poll, option))


@router.get("/{meeting_id}/live")
def live_snapshot(request, meeting_id: IdParam):
    meeting = _meeting(request, meeting_id)
    return services.live_snapshot(meeting)


@router.post("/{meeting_id}/live/{action}")
def live_act(request, meeting_id: IdParam, action: str, body: LiveIn):
    user = login_required(request)
    meeting = _meeting(request, meeting_id)
    data = {k: v for k, v in body.dict().items() if v is not None}
    return services.live_act(user, meeting.pk, action, **data)
