"""Decision pages. Every view asks a permission before it shows or changes anything; a
members-only council is a 404 to people who may not see it. Wrong input re-renders the page
with the reason (status 400); refusals are 403."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from parsoc.decisions.rules import RuleKind
from parsoc.decisions.secret_ballot import check_receipt, parse_token
from parsoc.decisions.stances import StanceKind
from parsoc.errors import InputError
from parsoc.numbers import COUNT_MAX, parse_id, parse_int
from parsoc.web.accounts.models import User
from parsoc.web.comments.targets import comments_on
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.councils.services import require
from parsoc.web.councils.views import visible_council
from parsoc.web.decisions import services
from parsoc.web.decisions.anchoring import record_head
from parsoc.web.decisions.models import Delegation, Proposal

STANCE_LABELS = dict(StanceKind.choices())  # key → label, in the order pages list stances


def _proposal(request, slug: str, pk: int) -> Proposal:
    proposal = get_visible_or_404(request.user, Proposal.objects.select_related("council", "author"),
                                  "decisions.view_proposal", pk=pk, council__slug=slug)
    if proposal.stage == "decision" and proposal.closes_at and proposal.closes_at <= timezone.now():
        services.close(None, proposal)
        proposal.refresh_from_db()
    return proposal


def index(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    proposals = [p for p in council.proposals.select_related("author") if services.may_see(request.user, p)]
    return render(request, "decisions/index.html", {
        "council": council, "proposals": proposals, "polls": council.decision_polls.all(),
        "can_propose": request.user.has_perm("decisions.propose", council),
        "record_head": record_head(request.user, council)})


@login_required
def new(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    require(request.user, "decisions.propose", council, "only members of this council can make proposals")
    error, values = "", {"title": "", "body": "", "question": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            p = services.create_proposal(request.user, council, **values)
            return redirect(p.get_absolute_url())
        except InputError as exc:
            error = str(exc)
    return render(request, "decisions/new.html", {"council": council, "error": error, "values": values},
                  status=400 if error else 200)


def _page(request, proposal: Proposal, error: str = "", status: int = 200, **extra) -> HttpResponse:
    user = request.user
    council = proposal.council
    facilitator = user.has_perm("decisions.facilitate", council)
    result = via = None
    if proposal.outcome:
        result = proposal.outcome
    elif proposal.rule_kind and (not proposal.hide_results):
        outcome, via = services.live_result(proposal)
        result = outcome.to_json()
    allowed = []
    if proposal.rule_kind:
        allowed = sorted(services.rule_of(proposal).allowed(proposal.round), key=lambda k: list(STANCE_LABELS).index(k.value))
    mine = None
    if user.is_authenticated and proposal.rule_kind and not proposal.secret:
        mine = proposal.stances.filter(member=user, binding=True, round=proposal.round).order_by("-id").first()
    members = User.objects.filter(memberships__council=council).order_by("display_name")
    names = {str(m.pk): m.display_name for m in members}
    context = {
        "council": council, "proposal": proposal, "error": error, "facilitator": facilitator,
        "member": user.has_perm("decisions.take_stance", council),
        "is_author": user.is_authenticated and proposal.author_id == user.pk,
        "result": result, "rounds": _rounds_for_display(result),
        "via": {names.get(m, m): [names.get(x, x) for x in p] for m, p in (via or {}).items()},
        "allowed": [(k.value, STANCE_LABELS[k.value]) for k in allowed], "mine": mine,
        "temperature": services.temperature_counts(proposal),
        "rule_kinds": [k.value for k in RuleKind], "current_stances": _current_stances(proposal),
        "versions": proposal.versions.all(), "stance_labels": STANCE_LABELS,
        "history": proposal.stances.filter(binding=True).select_related("member").order_by("id") if not proposal.secret else [],
        "members": members, **extra,
    }
    return render(request, "decisions/proposal.html", context, status=status)


def _current_stances(proposal: Proposal) -> list[dict[str, Any]]:
    """Each person's current stance with its reason, as everyone sees them (Loomio's "position
    list"): the binding stances of this round once the decision window is open, the temperature
    check's before. None for a secret ballot, nor while results are hidden until close."""
    if proposal.secret or (proposal.hide_results and proposal.stage != "closed"):
        return []
    binding = bool(proposal.rule_kind)
    rows = proposal.stances.filter(binding=binding, **({"round": proposal.round} if binding else {}))
    latest = {s.member_id: s for s in rows.select_related("member").order_by("id")}
    return [{"name": s.member.display_name, "label": STANCE_LABELS.get(s.kind, s.kind), "reason": s.reason,
             "kind": s.kind, "at": s.created_at, "binding": binding}
            for s in sorted(latest.values(), key=lambda s: s.member.display_name.lower())]


def _rounds_for_display(result):
    if not result:
        return []
    rows = []
    for i, counts in enumerate(result["counts"]):
        rows.append({"number": i + 1, "counts": [(STANCE_LABELS.get(k, k), c["head"], c["weighted"]) for k, c in counts.items()]})
    return rows


def proposal(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _page(request, _proposal(request, slug, pk))


def _when(text: str) -> datetime | None:
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is None:
        raise InputError(f"closes_at: {text!r} is not a date and time (YYYY-MM-DDTHH:MM)", field="closes_at")
    return timezone.make_aware(moment, UTC) if timezone.is_naive(moment) else moment


def _day(text: str) -> date | None:
    if not text:
        return None
    day = parse_date(text)
    if day is None:
        raise InputError(f"review_on: {text!r} is not a date (YYYY-MM-DD)", field="review_on")
    return day


def _proposal_action(anchor: str):
    """A view for one action on a proposal (POST only, signed in): ``do(user, proposal, post)``
    calls the service; then back to the proposal at ``#anchor``, or its page again with the
    reason and status 400 when the input is wrong."""

    def decorate(do):
        @login_required
        @require_POST
        @wraps(do)
        def view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
            p = _proposal(request, slug, pk)
            try:
                do(request.user, p, request.POST)
            except InputError as exc:
                p.refresh_from_db()
                return _page(request, p, error=str(exc), status=400)
            return redirect(p.get_absolute_url() + "#" + anchor, permanent=False)

        return view

    return decorate


@_proposal_action("stage")
def stage(user, p: Proposal, post) -> None:
    services.set_stage(user, p, post.get("to", ""))


@_proposal_action("amend")
def amend(user, p: Proposal, post) -> None:
    amendment = comments_on(p).filter(pk=parse_id(post["amendment"], "amendment")).first() \
        if post.get("amendment") else None
    services.amend(user, p, title=post.get("title", ""), body=post.get("body", ""), amendment=amendment)


@_proposal_action("temperature")
def temperature(user, p: Proposal, post) -> None:
    services.temperature(user, p, kind=post.get("kind", ""), reason=post.get("reason", ""))


@_proposal_action("open")
def open_decision(user, p: Proposal, post) -> None:
    services.open_decision(user, p, rule=post.get("rule", ""), quorum=post.get("quorum") or "0",
                           stand_aside_limit=post.get("stand_aside_limit") or "1/3",
                           supermajority=post.get("supermajority") or "9/10",
                           threshold=post.get("threshold") or "2/3", secret=bool(post.get("secret")),
                           hide_results=bool(post.get("hide_results")), closes_at=_when(post.get("closes_at", "")))


@_proposal_action("stance")
def stance(user, p: Proposal, post) -> None:
    services.cast(user, p, kind=post.get("kind", ""), reason=post.get("reason", ""))


@_proposal_action("next_round")
def next_round(user, p: Proposal, post) -> None:
    services.next_round(user, p)


@_proposal_action("close")
def close(user, p: Proposal, post) -> None:
    services.close(user, p, statement=post.get("statement", ""), review_on=_day(post.get("review_on", "")))


@_proposal_action("groups")
def groups(user, p: Proposal, post) -> None:
    found = []
    for line in post.get("groups", "").splitlines():
        if line.strip():
            name, _, rest = line.partition(":")
            weight, _, emails = rest.partition(":")
            ids = list(User.objects.filter(email__in=[e.strip() for e in emails.split(",") if e.strip()])
                       .values_list("pk", flat=True))
            found.append({"name": name.strip(), "weight": weight.strip(), "members": ids})
    services.set_groups(user, p, found)


def _shown_back(token: str) -> str:
    """A cast token to show again on the page (to retry with): only a text in the one accepted
    spelling of a token; anything else is not shown back as "your receipt"."""
    try:
        return parse_token(token).text
    except InputError:
        return ""


def _ballot_page(request: HttpRequest, p: Proposal, *, error: str = "", status: int = 200, **shown) -> HttpResponse:
    context = {"council": p.council, "proposal": p, "token": "", "receipt": "", "error": error, "found": None,
               "for_member": None,
               "allowed": [(k.value, STANCE_LABELS[k.value]) for k in services.rule_of(p).allowed(p.round)] if p.rule_kind else []}
    context.update(shown)
    context["held"] = services.held_votes(request.user, p) if p.stage == "decision" else []
    return render(request, "decisions/ballot.html", context, status=status)


@never_cache  # it shows a ballot token: not for the browser's cache or history
@login_required
def ballot(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A secret decision's ballot page: take a ballot (below), cast it with the token alone, and
    once it closes check a receipt (``?check=``)."""
    p = _proposal(request, slug, pk)
    if request.GET.get("check"):
        if p.stage != "closed":
            return _ballot_page(request, p, error="the bulletin is published when the decision closes", status=400)
        board = [b for r in range(p.round + 1) for b in services.bulletin(p, r)]
        return _ballot_page(request, p, found=check_receipt(board, request.GET["check"]) or False)
    return _ballot_page(request, p)


@never_cache
@login_required
@require_POST
def take_ballot(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Take a secret ballot for yourself, or for a member who handed you their vote (``for_member``)."""
    p = _proposal(request, slug, pk)
    try:
        for_member = None
        if request.POST.get("for_member"):
            raw = request.POST["for_member"].strip()
            for_member = User.objects.filter(pk=parse_id(raw, "member")).first() if raw.isdigit() else None
            if for_member is None:
                raise InputError(f"for_member: {raw!r} is not a member of this council", field="for_member")
        token = services.issue_ballot(request.user, p, for_member=for_member)
    except InputError as exc:
        return _ballot_page(request, p, error=str(exc), status=400)
    return _ballot_page(request, p, token=token,
                        for_member=for_member if for_member is not None and for_member.pk != request.user.pk else None)


@never_cache
@login_required
@require_POST
def cast_ballot(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Cast a secret ballot with its token alone."""
    p = _proposal(request, slug, pk)
    token = request.POST.get("token", "")
    try:
        receipt = services.cast_ballot(p, token=token, kind=request.POST.get("kind", ""),
                                       reason=request.POST.get("reason", ""))
    except InputError as exc:
        return _ballot_page(request, p, error=str(exc), status=400, token=_shown_back(token))
    return _ballot_page(request, p, token=_shown_back(token), receipt=receipt)


def _delegation_page(request: HttpRequest, council, error: str = "") -> HttpResponse:
    mine = Delegation.objects.filter(council=council, delegator=request.user).select_related("delegate", "proposal")
    held = Delegation.objects.filter(council=council, delegate=request.user).select_related("delegator", "proposal")
    secret_open = council.proposals.filter(stage="decision", secret=True)
    members = User.objects.filter(memberships__council=council).exclude(pk=request.user.pk).order_by("display_name")
    open_ = council.proposals.filter(stage__in=["discussion", "temperature", "decision"])
    return render(request, "decisions/delegation.html", {"council": council, "mine": mine, "members": members,
                                                         "proposals": open_, "error": error, "held": held,
                                                         "secret_open": secret_open},
                  status=400 if error else 200)


def _delegation_proposal(council, post) -> Proposal | None:
    if not post.get("proposal"):
        return None
    return get_object_or_404(Proposal, pk=parse_id(post["proposal"], "proposal"), council=council)


@login_required
def delegation(request: HttpRequest, slug: str) -> HttpResponse:
    """Your delegations in a council; POST hands your vote to a member (``to``), for one
    proposal or for all."""
    council = visible_council(request, slug)
    require(request.user, "decisions.delegate", council, "only members of this council can delegate")
    if request.method == "POST":
        try:
            proposal = _delegation_proposal(council, request.POST)
            to = User.objects.filter(pk=parse_id(request.POST.get("to") or "", "to")).first() if request.POST.get("to") else None
            if to is None:
                raise InputError("to: choose a member to hand your vote to", field="to")
            services.delegate(request.user, council, to=to, proposal=proposal)
        except InputError as exc:
            return _delegation_page(request, council, str(exc))
        return redirect("decisions:delegation", council.slug)
    return _delegation_page(request, council)


@login_required
@require_POST
def revoke_delegation(request: HttpRequest, slug: str) -> HttpResponse:
    """Take back the vote you handed on (for one proposal, or for all)."""
    council = visible_council(request, slug)
    require(request.user, "decisions.delegate", council, "only members of this council can delegate")
    try:
        services.revoke_delegation(request.user, council, proposal=_delegation_proposal(council, request.POST))
    except InputError as exc:
        return _delegation_page(request, council, str(exc))
    return redirect("decisions:delegation", council.slug)


def log(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    response = JsonResponse(services.export_log(request.user, council), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{council.slug}-decisions.json"'
    return response


def notifications(request: HttpRequest) -> HttpResponse:
    """Retired: decision notices are in the one inbox (parsoc.web.notifications)."""
    return redirect("notifications:inbox", permanent=True)


def _poll_of(request: HttpRequest, slug: str, pk: int):
    from parsoc.web.decisions.models import Poll

    return get_visible_or_404(request.user, Poll.objects.select_related("council"), "decisions.view", pk=pk,
                              council__slug=slug, of=lambda found: found.council)


def _poll_page(request: HttpRequest, the_poll, *, error: str = "", status: int = 200, token: str = "",
               receipt: str = "") -> HttpResponse:
    from parsoc.web.decisions import polls

    council = the_poll.council
    result, note = the_poll.result, ""
    if result is None and the_poll.stage == "decision" and not the_poll.hide_results:
        try:
            result = polls.results(the_poll)
        except InputError as exc:
            note = str(exc)
    return render(request, "decisions/poll.html", {
        "council": council, "poll": the_poll, "result": result, "note": note, "error": error,
        "token": token, "receipt": receipt,
        "member": request.user.has_perm("decisions.take_stance", council),
        "facilitator": request.user.has_perm("decisions.facilitate", council)}, status=status)


@never_cache  # a secret poll's page shows the token just taken
def poll(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A poll: the tally (unless hidden) and the forms of the actions below."""
    return _poll_page(request, _poll_of(request, slug, pk))


def _poll_action(*, back: bool):
    """A view for one action on a poll (POST only, signed in): ``do(user, poll, post, shown)``
    calls the service and puts what the page shows once (a secret ballot's token, a receipt)
    in ``shown``; then back to the poll (``back``) or its page with ``shown``; wrong input
    shows the page again with the reason and status 400."""

    def decorate(do):
        @never_cache  # a secret poll's page shows the token just taken
        @login_required
        @require_POST
        @wraps(do)
        def view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
            the_poll = _poll_of(request, slug, pk)
            shown: dict[str, str] = {}
            try:
                do(request.user, the_poll, request.POST, shown)
            except InputError as exc:
                return _poll_page(request, the_poll, error=str(exc), status=400, token=shown.get("token", ""))
            if back:
                return redirect("decisions:poll", the_poll.council.slug, the_poll.pk)
            return _poll_page(request, the_poll, token=shown.get("token", ""), receipt=shown.get("receipt", ""))

        return view

    return decorate


@_poll_action(back=True)
def open_poll(user, the_poll, post, shown) -> None:
    from parsoc.web.decisions import polls

    polls.open_poll(user, the_poll)


@_poll_action(back=True)
def close_poll(user, the_poll, post, shown) -> None:
    from parsoc.web.decisions import polls

    polls.close_poll(user, the_poll)


@_poll_action(back=True)
def vote_poll(user, the_poll, post, shown) -> None:
    from parsoc.web.decisions import polls

    polls.vote(user, the_poll, _poll_ballot(the_poll, post))


@_poll_action(back=False)
def take_poll_ballot(user, the_poll, post, shown) -> None:
    """A secret poll: the token is shown on the page this answers, and nowhere else."""
    from parsoc.web.decisions import polls

    shown["token"] = polls.issue_ballot(user, the_poll)


@_poll_action(back=False)
def cast_poll_ballot(user, the_poll, post, shown) -> None:
    from parsoc.web.decisions import polls

    raw = post.get("token", "")
    shown["token"] = _shown_back(raw)
    polls.read_token(the_poll, raw)  # the token first: nothing else is read for a wrong one
    shown["receipt"] = polls.cast_ballot(the_poll, token=raw, ballot=_poll_ballot(the_poll, post))


def _poll_ballot(the_poll, post):
    """The ballot from the form: checkboxes (approval), numbers per option (score, dots) or
    ranks per option (ranked kinds: 1 = first choice, blank = not ranked)."""
    if the_poll.kind == "approval":
        return post.getlist("option")
    numbers = {}
    for i, option in enumerate(the_poll.options):
        text = post.get(f"option_{i}", "").strip()
        if text:
            numbers[option] = parse_int(text, option, low=-COUNT_MAX, high=COUNT_MAX)
    if the_poll.kind in ("ranked_choice", "stv"):
        return [o for o, _ in sorted(numbers.items(), key=lambda item: item[1])]
    return numbers


@login_required
def new_poll(request: HttpRequest, slug: str) -> HttpResponse:
    from parsoc.web.decisions import polls

    council = visible_council(request, slug)
    require(request.user, "decisions.propose", council, "only members of this council can start a poll")
    error, values = "", {"title": "", "kind": "approval", "options": "", "param": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            params = {}
            if values["param"].strip():
                key = {"approval": "max_approvals", "score": "high", "dot_vote": "dots", "stv": "seats"}.get(values["kind"])
                if key is None:
                    raise InputError("the number does not apply to this kind of poll")
                params[key] = parse_int(values["param"], "number", low=-COUNT_MAX, high=COUNT_MAX)
            new = polls.create_poll(request.user, council, title=values["title"], kind=values["kind"],
                                    options=[o for o in values["options"].splitlines() if o.strip()], params=params,
                                    secret=bool(request.POST.get("secret")))
            return redirect("decisions:poll", council.slug, new.pk)
        except InputError as exc:
            error = str(exc)
    return render(request, "decisions/new_poll.html", {"council": council, "error": error, "values": values},
                  status=400 if error else 200)
