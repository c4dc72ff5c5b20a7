"""Decision endpoints under ``/api/decisions``: the same services and permissions as the pages.

Errors: 400 ``{"detail": reason}`` for wrong input (voting after close, a block without a
reason, delegating to yourself or in a loop), 401 anonymous, 403 not allowed (a council you
do not belong to), 404 not visible, 422 malformed fields.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from parsoc.decisions.lifecycle import CommentTag, Stage
from parsoc.decisions.polls import PollKind
from parsoc.decisions.rules import RuleKind
from parsoc.decisions.stances import StanceKind
from parsoc.errors import InputError
from parsoc.numbers import COUNT_MAX
from parsoc.web.accounts.models import User
from parsoc.web.api import login_required
from parsoc.web.comments import services as discussion
from parsoc.web.comments.api import parent_in
from parsoc.web.comments.targets import comments_on
from parsoc.web.core.numbers import Id, IdParam, SignedCount
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.councils.models import Council
from parsoc.web.decisions import services
from parsoc.web.decisions.models import Proposal

router = Router(tags=["decisions"])


def _council(request, slug: str) -> Council:
    return get_visible_or_404(request.auth, Council, "decisions.view", slug=slug)


def _proposal(request, pk: IdParam) -> Proposal:
    return get_visible_or_404(request.auth, Proposal.objects.select_related("council"), "decisions.view_proposal", pk=pk)


class ProposalIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=20000)
    question: str = Field("", max_length=200)


class StageIn(Schema):
    to: Stage


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=5000)
    tag: CommentTag = CommentTag.COMMENT
    parent: Id | None = None


class AmendIn(Schema):
    title: str = Field("", max_length=200)
    body: str = Field(..., min_length=1, max_length=20000)
    amendment: Id | None = None


class GroupIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    weight: str = Field(..., max_length=16)
    members: list[Id] = Field(..., max_length=COUNT_MAX)


class OpenIn(Schema):
    rule: RuleKind
    quorum: str = "0"
    stand_aside_limit: str = "1/3"
    supermajority: str = "9/10"
    threshold: str = "2/3"
    secret: bool = False
    hide_results: bool = False
    closes_at: datetime | None = None
    opens_at: datetime | None = None


class StanceIn(Schema):
    kind: StanceKind
    reason: str = Field("", max_length=5000)


class BallotIn(Schema):
    token: str = Field(..., max_length=200)
    kind: StanceKind
    reason: str = Field("", max_length=5000)


class CloseIn(Schema):
    statement: str = Field("", max_length=5000)
    review_on: date | None = None


class DelegateIn(Schema):
    to: Id
    proposal: Id | None = None


def proposal_json(user, p: Proposal) -> dict[str, Any]:
    data = {
        "id": p.pk, "council": p.council.slug, "question": p.question, "title": p.title, "body": p.body,
        "version": p.version, "stage": p.stage, "rule": services.rule_of(p).to_json() if p.rule_kind else None,
        "secret": p.secret, "hide_results": p.hide_results, "round": p.round,
        "opens_at": p.opens_at, "closes_at": p.closes_at, "status": p.status or None,
        "statement": p.statement, "review_on": p.review_on,
        "versions": [{"number": v.number, "title": v.title, "body": v.body} for v in p.versions.all()],
        "comments": [{"id": c.pk, "tag": c.tag, "body": c.body, "parent": c.parent_id,
                      "author": c.author.display_name if c.author else None, "removed": c.removed}
                     for c in comments_on(p).select_related("author")],
        "temperature": services.temperature_counts(p),
        "result": None, "delegated": {},
    }
    if p.outcome:
        data["result"] = p.outcome
    elif p.rule_kind and not p.hide_results:
        outcome, via = services.live_result(p)
        data["result"] = outcome.to_json()
        data["delegated"] = {} if p.secret else {m: list(path) for m, path in via.items()}
    return data


@router.get("/councils/{slug}/proposals")
def list_proposals(request, slug: str):
    council = _council(request, slug)
    return [{"id": p.pk, "title": p.title, "stage": p.stage, "question": p.question, "status": p.status or None}
            for p in council.proposals.all() if services.may_see(request.auth, p)]


@router.post("/councils/{slug}/proposals", response={201: dict})
def create_proposal(request, slug: str, payload: ProposalIn):
    user = login_required(request)
    p = services.create_proposal(user, _council(request, slug), **payload.dict())
    return Status(201, proposal_json(user, p))


@router.get("/proposals/{pk}")
def get_proposal(request, pk: IdParam):
    return proposal_json(request.auth, _proposal(request, pk))


@router.post("/proposals/{pk}/stage")
def set_stage(request, pk: IdParam, payload: StageIn):
    user = login_required(request)
    return proposal_json(user, services.set_stage(user, _proposal(request, pk), payload.to))


@router.post("/proposals/{pk}/comments", response={201: dict})  # also POST /api/comments/on/proposal/{pk}
def add_comment(request, pk: IdParam, payload: CommentIn):
    user = login_required(request)
    p = _proposal(request, pk)
    c = discussion.post(user, p, body=payload.body, tag=payload.tag, parent=parent_in(p, payload.parent))
    return Status(201, {"id": c.pk, "tag": c.tag, "body": c.body})


@router.post("/proposals/{pk}/amend")
def amend(request, pk: IdParam, payload: AmendIn):
    user = login_required(request)
    p = _proposal(request, pk)
    amendment = comments_on(p).filter(pk=payload.amendment).first() if payload.amendment else None
    v = services.amend(user, p, title=payload.title, body=payload.body, amendment=amendment)
    return {"version": v.number, "title": v.title, "body": v.body}


@router.put("/proposals/{pk}/groups")
def set_groups(request, pk: IdParam, payload: list[GroupIn]):
    user = login_required(request)
    p = _proposal(request, pk)
    services.set_groups(user, p, [g.dict() for g in payload])
    return services.say_of(p).to_json()


@router.post("/proposals/{pk}/open")
def open_decision(request, pk: IdParam, payload: OpenIn):
    user = login_required(request)
    return proposal_json(user, services.open_decision(user, _proposal(request, pk), **payload.dict()))


@router.post("/proposals/{pk}/temperature", response={201: dict})
def temperature(request, pk: IdParam, payload: StanceIn):
    user = login_required(request)
    p = _proposal(request, pk)
    services.temperature(user, p, kind=payload.kind, reason=payload.reason)
    return Status(201, {"temperature": services.temperature_counts(p)})


@router.post("/proposals/{pk}/stances", response={201: dict})
def cast(request, pk: IdParam, payload: StanceIn):
    user = login_required(request)
    s = services.cast(user, _proposal(request, pk), kind=payload.kind, reason=payload.reason)
    return Status(201, {"id": s.pk, "kind": s.kind, "round": s.round})


@router.post("/proposals/{pk}/ballot")
def issue_ballot(request, pk: IdParam, for_member: IdParam | None = None):
    user = login_required(request)
    p = _proposal(request, pk)
    delegator = get_object_or_404(User, pk=for_member) if for_member else None
    return {"token": services.issue_ballot(user, p, for_member=delegator),
            "note": "Keep this token: it is your receipt. Cast with it at /ballot/cast."}


@router.post("/proposals/{pk}/ballot/cast", response={201: dict})
def cast_ballot(request, pk: IdParam, payload: BallotIn):
    p = get_object_or_404(Proposal, pk=pk)  # anonymous by design: only the token counts
    return Status(201, {"receipt": services.cast_ballot(p, token=payload.token, kind=payload.kind, reason=payload.reason)})


@router.get("/proposals/{pk}/bulletin")
def get_bulletin(request, pk: IdParam):
    p = _proposal(request, pk)
    if not p.secret:
        raise InputError("this decision is not secret: its stances are in the proposal")
    if p.stage != "closed" and p.hide_results:
        return {"published": False, "ballots": []}
    return {"published": True, "ballots": [b for r in range(p.round + 1) for b in services.bulletin(p, r)]}


@router.post("/proposals/{pk}/next-round")
def next_round(request, pk: IdParam):
    user = login_required(request)
    return proposal_json(user, services.next_round(user, _proposal(request, pk)))


@router.post("/proposals/{pk}/close")
def close(request, pk: IdParam, payload: CloseIn):
    user = login_required(request)
    return proposal_json(user, services.close(user, _proposal(request, pk), **payload.dict()))


@router.post("/councils/{slug}/delegations", response={201: dict})
def delegate(request, slug: str, payload: DelegateIn):
    user = login_required(request)
    council = _council(request, slug)
    to = get_object_or_404(User, pk=payload.to)
    proposal = _proposal(request, payload.proposal) if payload.proposal else None
    d = services.delegate(user, council, to=to, proposal=proposal)
    return Status(201, {"delegator": d.delegator_id, "delegate": d.delegate_id, "proposal": d.proposal_id})


@router.delete("/councils/{slug}/delegations", response={204: None})
def revoke(request, slug: str, proposal: IdParam | None = None):
    user = login_required(request)
    council = _council(request, slug)
    services.revoke_delegation(user, council, proposal=_proposal(request, proposal) if proposal else None)
    return Status(204, None)


@router.get("/councils/{slug}/log")
def export_log(request, slug: str):
    return services.export_log(request.auth, _council(request, slug))


# ---- polls ----------------------------------------------------------------------------------

class PollIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: PollKind
    options: list[str]
    params: dict[str, SignedCount] = {}
    hide_results: bool = False
    secret: bool = False


class PollOpenIn(Schema):
    closes_at: datetime | None = None


class PollVoteIn(Schema):
    ballot: list[str] | dict[str, SignedCount]


class PollCastIn(Schema):
    token: str = Field(..., max_length=200)
    ballot: list[str] | dict[str, SignedCount]


def _poll(request, pk: IdParam):
    from parsoc.web.decisions.models import Poll

    return get_visible_or_404(request.auth, Poll.objects.select_related("council"), "decisions.view", pk=pk,
                              of=lambda poll: poll.council)


def poll_json(poll) -> dict[str, Any]:
    from parsoc.web.decisions import polls

    data = {"id": poll.pk, "council": poll.council.slug, "title": poll.title, "kind": poll.kind,
            "options": poll.options, "params": poll.params, "stage": poll.stage, "result": poll.result,
            "secret": poll.secret}
    if poll.secret and poll.stage == "closed":
        data["bulletin"] = polls.bulletin(poll)
    if poll.result is None and poll.stage == "decision" and not poll.hide_results:
        try:
            data["result"] = polls.results(poll)
        except InputError as exc:  # a ranked poll before its engine is installed
            data["note"] = str(exc)
    return data


@router.post("/councils/{slug}/polls", response={201: dict})
def create_poll(request, slug: str, payload: PollIn):
    from parsoc.web.decisions import polls

    user = login_required(request)
    return Status(201, poll_json(polls.create_poll(user, _council(request, slug), **payload.dict())))


@router.get("/polls/{pk}")
def get_poll(request, pk: IdParam):
    return poll_json(_poll(request, pk))


@router.post("/polls/{pk}/open")
def open_poll(request, pk: IdParam, payload: PollOpenIn):
    from parsoc.web.decisions import polls

    user = login_required(request)
    return poll_json(polls.open_poll(user, _poll(request, pk), closes_at=payload.closes_at))


@router.post("/polls/{pk}/votes", response={201: dict})
def vote_poll(request, pk: IdParam, payload: PollVoteIn):
    from parsoc.web.decisions import polls

    user = login_required(request)
    polls.vote(user, _poll(request, pk), payload.ballot)
    return Status(201, {"ok": True})


@router.post("/polls/{pk}/ballot")
def take_poll_ballot(request, pk: IdParam):
    """A secret poll: your one-time token (shown once, stored nowhere; your receipt)."""
    from parsoc.web.decisions import polls

    user = login_required(request)
    return {"token": polls.issue_ballot(user, _poll(request, pk)),
            "note": "Keep this token: it is your receipt. Cast with it at /ballot/cast."}


@router.post("/polls/{pk}/ballot/cast", response={201: dict})
def cast_poll_ballot(request, pk: IdParam, payload: PollCastIn):
    from parsoc.web.decisions import polls
    from parsoc.web.decisions.models import Poll

    poll = get_object_or_404(Poll, pk=pk)  # anonymous by design: only the token counts
    return Status(201, {"receipt": polls.cast_ballot(poll, token=payload.token, ballot=payload.ballot)})


@router.post("/polls/{pk}/close")
def close_poll(request, pk: IdParam):
    from parsoc.web.decisions import polls

    user = login_required(request)
    return poll_json(polls.close_poll(user, _poll(request, pk)))


class QuestionCloseIn(Schema):
    question: str = Field(..., min_length=1, max_length=200)
    statement: str = Field("", max_length=5000)


@router.post("/councils/{slug}/questions/close")
def close_question(request, slug: str, payload: QuestionCloseIn):
    """Close every open proposal on one question together; the answer lists them ranked
    (passed first, then by weighted share of support): the first is the council's choice."""
    user = login_required(request)
    ranked = services.close_question(user, _council(request, slug), payload.question, statement=payload.statement)
    return [{"id": p.pk, "title": p.title, "status": p.status, "support": str(services.support_share(p))}
            for p in ranked]
