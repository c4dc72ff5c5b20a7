"""Polls in a council: approval, score and dot votes counted by :mod:`parsoc.decisions.polls`;
ranked choice and STV handed to the social-choice engine through
:mod:`parsoc.decisions.ranked` (refused with a clear message until that engine is installed).

Opening, every ballot cast or changed, closing and the result go into the council's
hash-chained log (``poll_opened``, ``poll_vote``, ``poll_closed``, ``poll_result``; see
:mod:`parsoc.decisions.record`), under the council's row lock like the proposals' events. The
result written at close is the one the log's replay recomputes.

Secret polls follow the secret-ballot scheme of the proposals (docs/decisions.md): a member
takes a one-time token (their name goes on the poll's roll; the token is stored nowhere), and
the ballot is cast with the token alone, stored under a random id with the token's digest — no
voter, no time. Nothing is logged per ballot; the roll and the bulletin (receipt digest and
ballot, sorted by digest) go into the log once, when the poll closes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from parsoc.decisions import polls as tally
from parsoc.decisions import secret_ballot as sb
from parsoc.decisions.lifecycle import Stage, move
from parsoc.decisions.record import Recorder
from parsoc.errors import InputError
from parsoc.web.accounts.models import User
from parsoc.web.councils.models import Council
from parsoc.web.councils.services import require
from parsoc.web.decisions.anchoring import publish_head
from parsoc.web.decisions.models import LogEvent, Poll, PollBallot, PollRoll, PollSecretBallot
from parsoc.web.decisions.services import _append, _council_key, _lock, log_events, rewrite_shuffled, write_shuffled
from parsoc.web.notifications.kinds import Kind
from parsoc.web.notifications.services import notify


def create_poll(user, council: Council, *, title: str, kind: str, options: list[str],
                params: dict[str, int] | None = None, hide_results: bool = False, secret: bool = False) -> Poll:
    require(user, "decisions.propose", council, "only members of this council can start a poll")
    kind = tally.poll_kind(kind)
    params = tally.check_params(kind, params)
    if not (title or "").strip():
        raise InputError("title: a poll needs a title")
    options = tally.check_options(options)
    poll = Poll(council=council, title=title.strip(), kind=kind, options=options, params=params,
                hide_results=hide_results, secret=bool(secret), author=user)
    _count(poll, {})  # checks the parameters (e.g. low above high) before anything is saved
    poll.save()
    return poll


def _count(poll: Poll, ballots: dict[str, Any]):
    return tally.count(poll.kind, poll.options, poll.params, ballots)


def log_key(poll: Poll) -> str:
    """The poll's id in the council's log (proposals use their bare number)."""
    return f"poll-{poll.pk}"


def _logged(poll: Poll) -> bool:
    """Whether the poll's opening is in the log (polls opened before polls were logged are not)."""
    return LogEvent.objects.filter(council_id=poll.council_id, decision=log_key(poll), kind="poll_opened").exists()


def open_poll(user, poll: Poll, *, closes_at=None) -> Poll:
    require(user, "decisions.facilitate", poll.council, "only a facilitator can open a poll")
    with transaction.atomic():
        council = _lock(poll.council)
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        poll.stage = move(poll.stage, Stage.DECISION).value
        poll.closes_at = closes_at
        poll.save(update_fields=["stage", "closes_at"])
        _append(council, log_key(poll), "poll_opened",
                {"title": poll.title, "kind": poll.kind, "options": list(poll.options), "params": dict(poll.params),
                 "secret": poll.secret})
        notify(Kind.POLL_OPENED, User.objects.filter(memberships__council=council), actor=user, council=council,
               title=f"Poll open: {poll.title}", url=reverse("decisions:poll", args=[council.slug, poll.pk]),
               context={"poll": poll.pk})
    return poll


def _opened_at(poll: Poll) -> datetime | None:
    """When the poll opened, from its ``poll_opened`` event (None: opened before polls were
    logged)."""
    at = (LogEvent.objects.filter(council_id=poll.council_id, decision=log_key(poll), kind="poll_opened")
          .values_list("at", flat=True).first())
    return None if at is None else datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def electorate(poll: Poll) -> set[str]:
    """Who may vote in the poll: as for proposals, the members of the council when it opened
    (an account that joins during the vote does not vote in it)."""
    members = poll.council.memberships.all()
    opened = _opened_at(poll)
    if opened is not None:
        members = members.filter(joined_at__lte=opened)
    return {str(m) for m in members.values_list("user_id", flat=True)}


def _eligible(user, poll: Poll) -> None:
    if str(user.pk) not in electorate(poll):
        raise InputError("you joined after this poll opened, so you are not on its list of members")


def _check_ballot(poll: Poll, data: Any, who: str) -> None:
    tally.check_ballot(poll.kind, poll.options, poll.params, data, who)


def _check_open(poll: Poll) -> None:
    if poll.stage == Stage.CLOSED.value or (poll.closes_at and poll.closes_at <= timezone.now()):
        raise InputError("the poll is closed: ballots can no longer be cast or changed")
    if poll.stage != Stage.DECISION.value:
        raise InputError("the poll is not open for votes yet")


def vote(user, poll: Poll, data: Any) -> PollBallot:
    """Cast or change a ballot; it is checked against the poll's rules before it is kept."""
    require(user, "decisions.take_stance", poll.council, "only members of this council can vote")
    if poll.secret:
        raise InputError("this poll is secret: take a ballot, then cast it with its token")
    _eligible(user, poll)
    _check_ballot(poll, data, user.display_name)
    with transaction.atomic():
        council = _lock(poll.council)
        poll = Poll.objects.get(pk=poll.pk)  # as it is now, under the council's lock
        _check_open(poll)
        if PollBallot.objects.filter(poll=poll, voter=user).count() >= sb.MAX_CHANGES:  # bounded, as secret ones
            raise InputError(f"ballot: you have changed it {sb.MAX_CHANGES} times; it cannot be changed again")
        ballot = PollBallot.objects.create(poll=poll, voter=user, data=data)
        if _logged(poll):
            _append(council, log_key(poll), "poll_vote", {"voter": str(user.pk), "ballot": data})
    return ballot


def _ballot_key(poll: Poll) -> bytes:
    return sb.ballot_key(settings.SECRET_KEY.encode(), f"{poll.council_id}/{log_key(poll)}")


def issue_ballot(user, poll: Poll) -> str:
    """Put ``user`` on a secret poll's roll and return their one-time token (shown once, stored
    nowhere; it is also their receipt)."""
    require(user, "decisions.take_stance", poll.council, "only members of this council can vote")
    if not user.is_authenticated:
        raise PermissionDenied("log in first")
    if not poll.secret:
        raise InputError("this poll is not secret: vote directly")
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        _check_open(poll)
        roll = {str(m) for m in PollRoll.objects.filter(poll=poll).values_list("member_id", flat=True)}
        members = electorate(poll)
        _eligible(user, poll)
        if str(user.pk) in roll:
            raise InputError("you have already taken your ballot in this poll")
        _, token = sb.issue(_ballot_key(poll), log_key(poll), 0, roll, str(user.pk), members)
        try:
            with transaction.atomic():
                PollRoll.objects.create(poll=poll, member=user)
        except IntegrityError:
            raise InputError("you have already taken your ballot in this poll") from None
        rewrite_shuffled((PollRoll,), poll=poll)
    return token


def read_token(poll: Poll, token: Any) -> None:
    """Refuse a token that is not one issued for this secret poll, written in its one accepted
    spelling; cheap, and done before the ballot, the lock or anything else is read (a forged
    token learns nothing about the poll, not even whether it is secret: no token was ever
    issued for a poll that is not)."""
    sb.read_token(_ballot_key(poll), log_key(poll), 0, token)
    if not poll.secret:
        raise InputError("this poll is not secret")


def cast_ballot(poll: Poll, *, token: str, ballot: Any) -> str:
    """Cast or change the anonymous ballot of ``token`` in a secret poll; returns its receipt
    digest. The caller is deliberately not asked for: only the token counts."""
    read_token(poll, token)
    _check_ballot(poll, ballot, "this ballot")
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        _check_open(poll)
        rows = {b.receipt: b for b in PollSecretBallot.objects.filter(poll=poll)}
        roll_size = PollRoll.objects.filter(poll=poll).count()
        digest, _ = sb.admit(_ballot_key(poll), log_key(poll), 0, set(rows), roll_size, token)
        if digest in rows:
            sb.check_changes(len(rows[digest].versions))
            rows[digest].versions = rows[digest].versions + [ballot]
        else:
            rows[digest] = PollSecretBallot(poll=poll, receipt=digest, versions=[ballot])
        write_shuffled(PollSecretBallot, rows.values(), poll=poll)
    return digest


def bulletin(poll: Poll) -> list[dict[str, Any]]:
    """A secret poll's ballots: receipt digest and newest ballot, sorted by digest."""
    return [{"receipt": b.receipt, "ballot": b.versions[-1]}
            for b in PollSecretBallot.objects.filter(poll=poll).order_by("receipt")]


def latest_ballots(poll: Poll) -> dict[str, Any]:
    """Voter → newest ballot (secret polls: receipt digest → newest ballot)."""
    if poll.secret:
        return {b["receipt"]: b["ballot"] for b in bulletin(poll)}
    latest: dict[str, Any] = {}
    for voter_id, data in poll.ballots.order_by("id").values_list("voter_id", "data"):
        latest[str(voter_id)] = data
    return latest


def results(poll: Poll) -> dict[str, Any]:
    """The tally of the newest ballot of each voter (for ranked kinds: the engine's result)."""
    counted = _count(poll, latest_ballots(poll))
    return counted.to_json()


def close_poll(user, poll: Poll) -> Poll:
    """Close the poll and keep its result; a logged poll's result is the one the log's replay
    recomputes, written as ``poll_result``."""
    require(user, "decisions.facilitate", poll.council, "only a facilitator can close a poll")
    with transaction.atomic():
        council = _lock(poll.council)
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        poll.stage = move(poll.stage, Stage.CLOSED).value
        if _logged(poll):
            if poll.secret:
                roll = sorted(str(m) for m in PollRoll.objects.filter(poll=poll).values_list("member_id", flat=True))
                _append(council, log_key(poll), "poll_ballots", {"roll": roll, "bulletin": bulletin(poll)})
            _append(council, log_key(poll), "poll_closed", {})
            recorder = Recorder(_council_key(council), log_events(council))
            poll.result = recorder.ledger.poll_result(log_key(poll))
            _append(council, log_key(poll), "poll_result", {"result": poll.result})
        else:
            poll.result = results(poll)
        poll.save(update_fields=["stage", "result"])
        if poll.secret:
            rewrite_shuffled((PollRoll, PollSecretBallot), poll=poll)
        publish_head(council, closed=log_key(poll), what="Poll", title=poll.title, outcome=_summary(poll.result))
    return poll


def _summary(result: dict[str, Any] | None) -> str:
    """A short account of a poll's result for its announcement."""
    result = result if isinstance(result, dict) else {}
    if result.get("elected"):
        return "elected " + ", ".join(str(e) for e in result["elected"])
    options = result.get("options")
    if isinstance(options, list) and options and isinstance(options[0], dict) and "option" in options[0]:
        tied = any(options[0]["option"] in t for t in result.get("ties") or [])
        return f"{'tied at the top' if tied else 'first'}: {options[0]['option']} " \
               f"({result.get('voters', 0)} voter(s))"
    return "result recorded"
