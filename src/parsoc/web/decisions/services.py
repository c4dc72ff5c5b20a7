"""What people do with proposals, for the pages and the API alike.

Every write that touches the decision log runs in one transaction holding the council's row
lock, so a council's log is appended one event at a time, without gaps, under any number of
concurrent voters. Rules and outcomes come from :mod:`parsoc.decisions`; nothing is decided here.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from parsoc.decisions import secret_ballot as sb
from parsoc.decisions.delegation import Delegation as CoreDelegation
from parsoc.decisions.delegation import delegate as core_delegate
from parsoc.decisions.delegation import effective, resolve
from parsoc.decisions.lifecycle import Stage, may_amend, move
from parsoc.decisions.outcome import Outcome, Status, decide
from parsoc.decisions.outcome import support_share as outcome_support
from parsoc.decisions.record import Event, Head, Recorder, chain, export
from parsoc.decisions.rules import Rule, temperature_kind
from parsoc.decisions.say import AffectedGroup as CoreGroup
from parsoc.decisions.say import Say
from parsoc.decisions.stances import Stance as CoreStance
from parsoc.decisions.stances import StanceKind
from parsoc.errors import InputError
from parsoc.numbers import parse_id
from parsoc.web.comments.models import Comment
from parsoc.web.councils.models import Council
from parsoc.web.councils.services import require
from parsoc.web.decisions.models import (
    AffectedGroup,
    Ballot,
    CouncilDecisionSettings,
    Delegation,
    LogEvent,
    Proposal,
    ProposalVersion,
    Stance,
    VoterRoll,
)
from parsoc.web.notifications import services as notices
from parsoc.web.notifications.kinds import Kind

CLOSING_SOON = timedelta(hours=24)
#: How many versions of one member's stance a round keeps at most. Every change is a row and an
#: event in the council's hash chain, replayed at every close: without a bound one member could
#: make every close of the council slower and the record larger without end.
MAX_STANCE_CHANGES = 1000


def _stamp(moment: datetime | None = None) -> str:
    return (moment or timezone.now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _lock(council: Council) -> Council:
    return Council.objects.select_for_update().get(pk=council.pk)


def _locked_proposal(pk: int) -> tuple[Proposal, Head | None]:
    """The proposal as it is now and the end of its council's chain, in one query. Call it
    after taking the council lock: under READ COMMITTED the statement then sees every write
    made by the lock's previous holder."""
    last = LogEvent.objects.filter(council_id=OuterRef("council_id")).order_by("-seq")
    proposal = (Proposal.objects.annotate(head_seq=Subquery(last.values("seq")[:1]),
                                          head_hash=Subquery(last.values("hash")[:1]))
                .get(pk=pk))
    head = None if proposal.head_seq is None else Head(proposal.head_seq, proposal.head_hash)
    return proposal, head


def _pg_lock_and_read(proposal: Proposal) -> tuple[Proposal, Head | None]:
    """PostgreSQL: take the council lock and read the proposal and the end of the chain in one
    round trip. Two statements in one message: in READ COMMITTED the second takes its snapshot
    after the first has the lock, so it sees every write of the lock's previous holder, exactly
    as :func:`_lock` followed by :func:`_locked_proposal` does."""
    qn = connection.ops.quote_name
    fields = Proposal._meta.concrete_fields
    seq, hash_ = (qn(LogEvent._meta.get_field(n).column) for n in ("seq", "hash"))
    log, log_council = qn(LogEvent._meta.db_table), qn(LogEvent._meta.get_field("council").column)
    last = f"FROM {log} e WHERE e.{log_council} = p.{qn(Proposal._meta.get_field('council').column)} " \
           f"ORDER BY e.{seq} DESC LIMIT 1"
    sql = (f"SELECT 1 FROM {qn(Council._meta.db_table)} WHERE {qn(Council._meta.pk.column)} = %s FOR UPDATE; "
           f"SELECT {', '.join('p.' + qn(f.column) for f in fields)}, (SELECT e.{seq} {last}), "
           f"(SELECT e.{hash_} {last}) FROM {qn(Proposal._meta.db_table)} p "
           f"WHERE p.{qn(Proposal._meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [proposal.council_id, proposal.pk])
        if not cursor.fetchone() or not cursor.nextset():
            raise Proposal.DoesNotExist("the council is gone")
        row = cursor.fetchone()
    if row is None:
        raise Proposal.DoesNotExist("the proposal is gone")
    values = [f.from_db_value(v, None, connection) if hasattr(f, "from_db_value") else v
              for f, v in zip(fields, row, strict=False)]
    fresh = Proposal.from_db(connection.alias, [f.attname for f in fields], values)
    fresh.council = proposal.council  # fixed, and already loaded
    head_seq, head_hash = row[len(fields):]
    return fresh, None if head_seq is None else Head(head_seq, head_hash)


def _pg_insert_stance_and_event(council: Council, proposal: Proposal, user, kind: str, reason: str,
                                head: Head | None) -> Stance:
    """PostgreSQL, under the council lock: the stance row and its chained event in one round
    trip (two INSERT statements in one message, in this transaction)."""
    qn = connection.ops.quote_name
    created = timezone.now()
    event = chain(head, _council_key(council), proposal.decision_id, "stance", _stamp(created),
                  {"member": str(user.pk), "kind": kind, "reason": reason, "round": proposal.round})
    s_cols = [Stance._meta.get_field(n).column for n in
              ("proposal", "member", "round", "binding", "kind", "reason", "created_at")]
    e_cols = [LogEvent._meta.get_field(n).column for n in
              ("council", "seq", "decision", "kind", "at", "data", "prev", "hash")]
    sql = (f"INSERT INTO {qn(Stance._meta.db_table)} ({', '.join(map(qn, s_cols))}) "
           f"VALUES (%s, %s, %s, true, %s, %s, %s) RETURNING {qn(Stance._meta.pk.column)}; "
           f"INSERT INTO {qn(LogEvent._meta.db_table)} ({', '.join(map(qn, e_cols))}) "
           f"VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [proposal.pk, user.pk, proposal.round, kind, reason, created,
                             council.pk, event.seq, event.decision, event.kind, event.at,
                             json.dumps(event.data), event.prev, event.hash])
        stance_id = cursor.fetchone()[0]
    stance = Stance(id=stance_id, proposal=proposal, member=user, round=proposal.round, binding=True,
                    kind=kind, reason=reason, created_at=created)
    stance._state.adding, stance._state.db = False, connection.alias
    return stance


def _council_key(council: Council) -> str:
    """The council's name in its log: its slug (fixed when the council is created)."""
    return council.slug


def _head(council: Council) -> Head | None:
    """The end of the council's chain (None: no event yet); read it under the council lock."""
    row = LogEvent.objects.filter(council=council).order_by("-seq").values_list("seq", "hash").first()
    return None if row is None else Head(*row)


def _append(council: Council, decision: str | None, kind: str, data: dict[str, Any],
            head: Head | None | bool = False) -> LogEvent:
    """Chain one event onto the council's log (the caller holds the council lock). ``head``:
    the chain's end as read under that lock (see :func:`_locked_proposal`); left out, it is
    read here."""
    last = _head(council) if head is False else head
    event = chain(last, _council_key(council), decision, kind, _stamp(), data)
    return LogEvent.objects.create(council=council, seq=event.seq, decision=decision, kind=kind, at=event.at,
                                   data=event.data, prev=event.prev, hash=event.hash)


def _event(council: Council, row: LogEvent) -> Event:
    return Event(row.seq, _council_key(council), row.decision, row.kind, row.at, row.data, row.prev, row.hash)


def log_events(council: Council) -> list[Event]:
    return [_event(council, r) for r in LogEvent.objects.filter(council=council).order_by("seq")]


def export_log(user, council: Council) -> dict[str, Any]:
    require(user, "decisions.view", council)
    return export(_council_key(council), log_events(council))


# ---- notifications ------------------------------------------------------------------------

_NOTICE_KINDS = {"opened": Kind.DECISION_OPENED, "blocked": Kind.DECISION_BLOCKED, "closing": Kind.DECISION_CLOSING,
                 "closed": Kind.DECISION_CLOSED, "review": Kind.DECISION_REVIEW}


def notify(users, proposal: Proposal, kind: str, text: str, actor=None) -> None:
    """Tell ``users`` about ``proposal`` (in their inbox, and by mail as they chose), through
    the one notification module (parsoc.web.notifications); ``actor`` is not told."""
    notices.notify(_NOTICE_KINDS[kind], users, actor=actor, council=proposal.council, title=text,
                   url=proposal.get_absolute_url(), context={"proposal": proposal.pk})


def _members(council: Council):
    from parsoc.web.accounts.models import User

    return User.objects.filter(memberships__council=council)


def _facilitators(council: Council):
    from parsoc.councils.kinds import Role
    from parsoc.web.accounts.models import User

    return User.objects.filter(memberships__council=council, memberships__role=Role.FACILITATOR)


# ---- proposals and discussion -------------------------------------------------------------

def may_see(user, proposal: Proposal) -> bool:
    return user.has_perm("decisions.view_proposal", proposal)


def create_proposal(user, council: Council, *, title: str, body: str, question: str = "") -> Proposal:
    require(user, "decisions.propose", council, "only members of this council can make proposals")
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise InputError("title: a proposal needs a title", field="title")
    if not body:
        raise InputError("body: say what you propose", field="body")
    with transaction.atomic():
        proposal = Proposal.objects.create(council=council, title=title, body=body, author=user,
                                           question=(question or "").strip())
        ProposalVersion.objects.create(proposal=proposal, number=1, title=title, body=body, author=user)
    return proposal


def set_stage(user, proposal: Proposal, to: str) -> Proposal:
    """Publish a draft (its author or a facilitator), start or end a temperature check
    (facilitator). Opening the decision window is :func:`open_decision`."""
    if to == Stage.DECISION.value:
        raise InputError("stage: open the decision window with its rule", field="stage")
    if to == Stage.CLOSED.value:
        raise InputError("stage: close the decision with its outcome", field="stage")
    is_author_publishing = proposal.author_id == user.pk and proposal.stage == Stage.DRAFT.value
    if not is_author_publishing:
        require(user, "decisions.facilitate", proposal.council, "only a facilitator can do that")
    proposal.stage = move(proposal.stage, to).value
    proposal.save(update_fields=["stage"])
    return proposal


def amend(user, proposal: Proposal, *, title: str, body: str, amendment: Comment | None = None) -> ProposalVersion:
    """A new version of the text (the author or a facilitator); the old versions are kept."""
    if proposal.author_id != user.pk:
        require(user, "decisions.facilitate", proposal.council, "only the author or a facilitator can amend")
    if not may_amend(proposal.stage):
        raise InputError(f"the text cannot change while the proposal is {proposal.stage}")
    title, body = (title or proposal.title).strip(), (body or "").strip()
    if not body:
        raise InputError("body: the amended text is empty", field="body")
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        proposal.version += 1
        proposal.title, proposal.body = title, body
        proposal.save(update_fields=["version", "title", "body"])
        return ProposalVersion.objects.create(proposal=proposal, number=proposal.version, title=title, body=body,
                                              author=user, amendment=amendment)


def set_groups(user, proposal: Proposal, groups: list[dict[str, Any]]) -> None:
    """Affected groups with weights (facilitator, before the decision window opens)."""
    require(user, "decisions.facilitate", proposal.council, "only a facilitator can weigh the say")
    if proposal.stage in (Stage.DECISION.value, Stage.CLOSED.value):
        raise InputError("weighted say is fixed once the decision window opens")
    member_ids = set(_members(proposal.council).values_list("pk", flat=True))
    core = []
    for g in groups:
        ids = {parse_id(m, f"group {str(g.get('name'))[:40]!r} members") for m in g.get("members", [])}
        strangers = ids - member_ids
        if strangers:
            raise InputError(f"group {g.get('name')!r}: {len(strangers)} of its people are not members")
        core.append(CoreGroup(str(g.get("name", "")), g.get("weight"), frozenset(str(i) for i in ids)))
    Say(tuple(core))  # checks names and weights
    with transaction.atomic():
        proposal.groups.all().delete()
        for g, c in zip(groups, core, strict=False):
            row = AffectedGroup.objects.create(proposal=proposal, name=c.name, weight=str(c.weight))
            row.members.set([parse_id(m, "members") for m in g.get("members", [])])


def say_of(proposal: Proposal) -> Say:
    groups = tuple(CoreGroup(g.name, g.weight, frozenset(str(m) for m in g.members.values_list("pk", flat=True)))
                   for g in proposal.groups.prefetch_related("members"))
    return Say(groups)


def rule_of(proposal: Proposal) -> Rule:
    return Rule(proposal.rule_kind, proposal.quorum, proposal.stand_aside_limit, proposal.supermajority,
                proposal.threshold)


# ---- the decision window ------------------------------------------------------------------

def open_decision(user, proposal: Proposal, *, rule: str, quorum: str = "0", stand_aside_limit: str = "1/3",
                  supermajority: str = "9/10", threshold: str = "2/3", secret: bool = False,
                  hide_results: bool = False, closes_at: datetime | None = None,
                  opens_at: datetime | None = None) -> Proposal:
    require(user, "decisions.facilitate", proposal.council, "only a facilitator can open the decision")
    chosen = Rule(rule, quorum or "0", stand_aside_limit or "1/3", supermajority or "9/10", threshold or "2/3")
    now = timezone.now()
    if closes_at is not None and closes_at <= max(now, opens_at or now):
        raise InputError("closes_at: the window must close after it opens", field="closes_at")
    with transaction.atomic():
        council = _lock(proposal.council)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        proposal.stage = move(proposal.stage, Stage.DECISION).value
        settings_row = CouncilDecisionSettings.objects.filter(council=council).first()
        proposal.max_chain = settings_row.max_chain if settings_row else 1
        proposal.rule_kind = chosen.kind.value
        proposal.quorum, proposal.stand_aside_limit = str(chosen.quorum), str(chosen.stand_aside_limit)
        proposal.supermajority, proposal.threshold = str(chosen.supermajority), str(chosen.threshold)
        proposal.secret, proposal.hide_results = bool(secret), bool(hide_results)
        proposal.opens_at, proposal.closes_at = opens_at or now, closes_at
        proposal.eligible = sorted(str(pk) for pk in _members(council).values_list("pk", flat=True))
        proposal.round = 0
        proposal.save()
        _append(council, proposal.decision_id, "opened", {
            "title": proposal.title, "version": proposal.version, "rule": chosen.to_json(),
            "members": proposal.eligible, "say": say_of(proposal).to_json(), "secret": proposal.secret,
            "max_chain": proposal.max_chain,
        })
    notify(_members(proposal.council), proposal, "opened", f"Decision open: {proposal.title}", actor=user)
    return proposal


def _check_window(proposal: Proposal) -> None:
    now = timezone.now()
    if proposal.stage == Stage.CLOSED.value or (proposal.closes_at is not None and proposal.closes_at <= now):
        raise InputError("the decision is closed: stances can no longer be cast or changed")
    if proposal.stage != Stage.DECISION.value:
        raise InputError(f"the decision window is not open (the proposal is in {proposal.stage})")
    if proposal.opens_at is not None and proposal.opens_at > now:
        raise InputError(f"the decision window opens at {proposal.opens_at:%Y-%m-%d %H:%M} UTC")


def _eligible(user, proposal: Proposal) -> None:
    if not user.is_authenticated:
        raise PermissionDenied("log in first")
    if str(user.pk) not in proposal.eligible:
        raise InputError("you joined after this decision opened, so you are not on its list of members")


def temperature(user, proposal: Proposal, *, kind: str, reason: str = "") -> Stance:
    """A non-binding stance in a temperature check (live counts)."""
    require(user, "decisions.take_stance", proposal.council, "only members of this council can take a stance")
    if proposal.stage != Stage.TEMPERATURE.value:
        raise InputError("there is no temperature check running on this proposal")
    k = temperature_kind(kind)
    CoreStance(str(user.pk), k, reason or "")
    return Stance.objects.create(proposal=proposal, member=user, binding=False, round=0, kind=k.value,
                                 reason=(reason or "").strip())


def cast(user, proposal: Proposal, *, kind: str, reason: str = "") -> Stance:
    """Cast or change a binding stance (not on secret decisions: see :func:`issue_ballot`)."""
    require(user, "decisions.take_stance", proposal.council, "only members of this council can take a stance")
    k = StanceKind.parse(kind, where="kind")
    reason = (reason or "").strip()
    CoreStance(str(user.pk), k, reason)  # a block or objection needs a reason
    # Counted before the lock (one indexed count): a bound against flooding the record, so a
    # few changes racing past it at once do no harm.
    versions = Stance.objects.filter(proposal_id=proposal.pk, binding=True, round=proposal.round, member=user).count()
    if versions >= MAX_STANCE_CHANGES:
        raise InputError(f"kind: your stance was changed {versions} times this round, the most a round keeps")
    fast = connection.vendor == "postgresql"
    with transaction.atomic():
        # the proposal as it is now, under the council's lock, with the end of the chain
        if fast:
            council = proposal.council
            proposal, head = _pg_lock_and_read(proposal)
        else:
            council = _lock(proposal.council)
            proposal, head = _locked_proposal(proposal.pk)
        _eligible(user, proposal)
        if proposal.secret:
            raise InputError("this decision is secret: take a secret ballot instead")
        _check_window(proposal)
        rule = rule_of(proposal)
        if k not in rule.allowed(proposal.round):
            allowed = ", ".join(sorted(a.value for a in rule.allowed(proposal.round)))
            raise InputError(f"kind: {k.value} is not allowed now (allowed: {allowed})")
        if fast:
            stance = _pg_insert_stance_and_event(council, proposal, user, k.value, reason, head)
        else:
            stance = Stance.objects.create(proposal=proposal, member=user, round=proposal.round, kind=k.value,
                                           reason=reason)
            _append(council, proposal.decision_id, "stance",
                    {"member": str(user.pk), "kind": k.value, "reason": reason, "round": proposal.round}, head)
    if k is StanceKind.BLOCK:
        notify(_facilitators(proposal.council), proposal, "blocked",
               f"{user.display_name} blocked: {proposal.title}", actor=user)
    return stance


# ---- secret ballots -------------------------------------------------------------------------

def _ballot_key(proposal: Proposal) -> bytes:
    return sb.ballot_key(settings.SECRET_KEY.encode(), f"{proposal.council_id}/{proposal.pk}")


def issue_ballot(user, proposal: Proposal, *, for_member=None) -> str:
    """Put a name on the roll and return a one-time ballot token (shown once, never stored).

    ``for_member``: a delegator whose vote ``user`` holds (a direct delegation to ``user``).
    """
    require(user, "decisions.take_stance", proposal.council, "only members of this council can take a stance")
    proposal = Proposal.objects.select_related("council").get(pk=proposal.pk)
    _eligible(user, proposal)
    if not proposal.secret:
        raise InputError("this decision is not secret: take a stance directly")
    voter = user if for_member is None else for_member
    if for_member is not None and for_member.pk != user.pk:
        ds = _core_delegations(proposal.council)
        if effective(ds, proposal.decision_id).get(str(for_member.pk)) != str(user.pk):
            raise InputError(f"{for_member.display_name} has not handed you their vote on this decision")
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _check_window(proposal)
        roll = set(VoterRoll.objects.filter(proposal=proposal, round=proposal.round)
                   .values_list("member_id", flat=True))
        if voter.pk in roll:
            raise InputError("a ballot was already taken in this name for this round")
        _, token = sb.issue(_ballot_key(proposal), proposal.decision_id, proposal.round,
                            {str(m) for m in roll}, str(voter.pk), proposal.eligible,
                            say_of(proposal).weight_of(str(voter.pk)))
        try:
            with transaction.atomic():
                VoterRoll.objects.create(proposal=proposal, round=proposal.round, member=voter)
        except IntegrityError:
            raise InputError("a ballot was already taken in this name for this round") from None
        rewrite_shuffled((VoterRoll,), proposal=proposal, round=proposal.round)
    return token


def held_votes(user, proposal: Proposal) -> list[tuple[Any, bool]]:
    """The members who handed ``user`` their vote on this decision (directly, as
    :func:`issue_ballot` with ``for_member`` requires), each with whether a ballot was already
    taken in their name this round. Empty for anonymous people and non-secret decisions."""
    if not user.is_authenticated or not proposal.secret or not proposal.rule_kind:
        return []
    from parsoc.web.accounts.models import User

    held = [int(m) for m, d in effective(_core_delegations(proposal.council), proposal.decision_id).items()
            if d == str(user.pk) and m in proposal.eligible]
    taken = set(VoterRoll.objects.filter(proposal=proposal, round=proposal.round, member_id__in=held)
                .values_list("member_id", flat=True))
    return [(m, m.pk in taken) for m in User.objects.filter(pk__in=held).order_by("display_name")]


def cast_ballot(proposal: Proposal, *, token: str, kind: str, reason: str = "") -> str:
    """Cast or change the anonymous ballot of ``token``; returns its receipt digest. The caller
    is deliberately not asked for: only the token counts. A token not written in its one
    accepted spelling is refused first, before any lock, digest or number (see
    :func:`parsoc.decisions.secret_ballot.parse_token`); so is a token whose tag was not
    issued for this decision and round: the tag is the permission check, so nothing about the
    decision (its state, its box) is read or locked for a forged one. (Checked again under the
    lock, against the round as it is then.)"""
    sb.read_token(_ballot_key(proposal), proposal.decision_id, proposal.round, token)
    k = StanceKind.parse(kind, where="kind")
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _check_window(proposal)
        if not proposal.secret:
            raise InputError("this decision is not secret")
        if k not in rule_of(proposal).allowed(proposal.round):
            raise InputError(f"kind: {k.value} is not allowed now")
        rows = {b.receipt: b for b in Ballot.objects.filter(proposal=proposal, round=proposal.round)}
        box = {d: sb.SecretBallot(b.id, d, Fraction(b.weight), tuple((StanceKind(x), y) for x, y in b.versions))
               for d, b in rows.items()}
        roll_size = VoterRoll.objects.filter(proposal=proposal, round=proposal.round).count()
        box, digest = sb.cast(_ballot_key(proposal), proposal.decision_id, proposal.round, box, roll_size,
                              token, k, (reason or "").strip())
        write_shuffled(Ballot, [Ballot(id=b.ballot_id, proposal=proposal, round=proposal.round, receipt=d,
                                       weight=str(b.weight), versions=[[kk.value, rr] for kk, rr in b.versions])
                                for d, b in box.items()], proposal=proposal, round=proposal.round)
    return digest


def bulletin(proposal: Proposal, round: int | None = None) -> list[dict[str, Any]]:
    r = proposal.round if round is None else round
    return [{"receipt": b.receipt, "weight": b.weight, "kind": b.versions[-1][0], "reason": b.versions[-1][1]}
            for b in Ballot.objects.filter(proposal=proposal, round=r).order_by("receipt")]


# ---- delegation -----------------------------------------------------------------------------

def _core_delegations(council: Council) -> tuple[CoreDelegation, ...]:
    return tuple(CoreDelegation(str(d.delegator_id), str(d.delegate_id), str(d.proposal_id) if d.proposal_id else None)
                 for d in Delegation.objects.filter(council=council))


def delegate(user, council: Council, *, to, proposal: Proposal | None = None) -> Delegation:
    require(user, "decisions.delegate", council, "only members of this council can delegate")
    if proposal is not None:
        if proposal.council_id != council.pk:
            raise InputError("proposal: it belongs to another council", field="proposal")
        if proposal.stage == Stage.CLOSED.value:
            raise InputError("the decision is closed")
    members = {str(pk) for pk in _members(council).values_list("pk", flat=True)}
    settings_row = CouncilDecisionSettings.objects.filter(council=council).first()
    max_chain = settings_row.max_chain if settings_row else 1
    new = CoreDelegation(str(user.pk), str(to.pk), proposal.decision_id if proposal else None)
    with transaction.atomic():
        council = _lock(council)
        core_delegate(_core_delegations(council), new, members=members, max_chain=max_chain)
        Delegation.objects.filter(council=council, delegator=user, proposal=proposal).delete()
        row = Delegation.objects.create(council=council, delegator=user, delegate=to, proposal=proposal)
        _append(council, new.decision, "delegated",
                {"delegator": new.delegator, "delegate": new.delegate, "max_chain": max_chain})
    return row


def revoke_delegation(user, council: Council, *, proposal: Proposal | None = None) -> None:
    require(user, "decisions.delegate", council, "only members of this council can delegate")
    if proposal is not None and proposal.stage == Stage.CLOSED.value:
        raise InputError("the decision is closed: its delegated votes are counted")
    with transaction.atomic():
        council = _lock(council)
        deleted, _ = Delegation.objects.filter(council=council, delegator=user, proposal=proposal).delete()
        if not deleted:
            raise InputError("you have no delegation there to take back")
        _append(council, proposal.decision_id if proposal else None, "revoked", {"delegator": str(user.pk)})


# ---- results, rounds and close -------------------------------------------------------------

def _round_kinds(proposal: Proposal, round: int) -> dict[str, StanceKind]:
    latest: dict[str, StanceKind] = {}
    for member_id, kind in (Stance.objects.filter(proposal=proposal, binding=True, round=round)
                            .order_by("id").values_list("member_id", "kind")):
        latest[str(member_id)] = StanceKind(kind)
    return latest


def live_result(proposal: Proposal) -> tuple[Outcome, dict[str, tuple[str, ...]]] | None:
    """The outcome if it closed now, and the delegated votes (member → path); None before the
    window opens. Secret decisions count ballots."""
    if not proposal.rule_kind:
        return None
    rule = rule_of(proposal)
    if proposal.secret:
        rounds, weights = [], {}
        for r in range(proposal.round + 1):
            board = bulletin(proposal, r)
            rounds.append({f"r{r}:{b['receipt']}": StanceKind(b["kind"]) for b in board})
            weights.update({f"r{r}:{b['receipt']}": Fraction(b["weight"]) for b in board})
        voters = {k for r in rounds for k in r}
        return decide(rule, rounds, voters, weights, electorate=len(proposal.eligible)), {}
    ds = _core_delegations(proposal.council)
    rounds, via = [], {}
    for r in range(proposal.round + 1):
        resolution = resolve(_round_kinds(proposal, r), ds, proposal.decision_id, proposal.eligible, proposal.max_chain)
        rounds.append(resolution.votes)
        via = resolution.delegated()
    return decide(rule, rounds, proposal.eligible, say_of(proposal)), via


def temperature_counts(proposal: Proposal) -> dict[str, int]:
    latest: dict[int, str] = {}
    for member_id, kind in Stance.objects.filter(proposal=proposal, binding=False).order_by("id").values_list("member_id", "kind"):
        latest[member_id] = kind
    counts: dict[str, int] = {}
    for kind in latest.values():
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def _secret_box_event(council: Council, proposal: Proposal) -> None:
    roll = sorted(str(m) for m in VoterRoll.objects.filter(proposal=proposal, round=proposal.round)
                  .values_list("member_id", flat=True))
    _append(council, proposal.decision_id, "ballots",
            {"round": proposal.round, "roll": roll, "bulletin": bulletin(proposal)})


def next_round(user, proposal: Proposal) -> Proposal:
    """Start the second round, or the supermajority vote, when a block stands (facilitator)."""
    require(user, "decisions.facilitate", proposal.council, "only a facilitator can start the next round")
    with transaction.atomic():
        council = _lock(proposal.council)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)  # no cast in flight while the box is read
        _check_window(proposal)
        outcome, _ = live_result(proposal)
        if outcome.status not in (Status.SECOND_ROUND, Status.SUPERMAJORITY_VOTE):
            raise InputError(f"no further round: the rule says {outcome.status.value} ({'; '.join(outcome.reasons)})")
        if proposal.secret:
            _secret_box_event(council, proposal)
        proposal.round += 1
        _append(council, proposal.decision_id, "round", {"round": proposal.round})
        proposal.save(update_fields=["round"])
    what = "second round" if proposal.round == 1 else "nine-tenths vote" if proposal.supermajority == "9/10" else "supermajority vote"
    notify(_members(proposal.council), proposal, "opened", f"The {what} is open: {proposal.title}", actor=user)
    return proposal


def close(user, proposal: Proposal, *, statement: str = "", review_on: date | None = None) -> Proposal:
    """Close the window, record the outcome recomputed from the log (facilitator, or ``user``
    None when the closing time has come)."""
    if user is not None:
        require(user, "decisions.facilitate", proposal.council, "only a facilitator can close the decision")
    with transaction.atomic():
        council = _lock(proposal.council)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)  # no cast in flight while the box is read
        if proposal.stage != Stage.DECISION.value:
            raise InputError(f"there is no open decision to close (the proposal is in {proposal.stage})")
        if user is None and (proposal.closes_at is None or proposal.closes_at > timezone.now()):
            raise InputError("the closing time has not come")
        if proposal.secret:
            _secret_box_event(council, proposal)
        _append(council, proposal.decision_id, "closed", {})
        recorder = Recorder(_council_key(council), log_events(council))
        result = recorder.ledger.outcome(proposal.decision_id)
        review = review_on.isoformat() if review_on else None
        _append(council, proposal.decision_id, "outcome",
                {"result": result, "statement": (statement or "").strip(), "review": review})
        proposal.stage = Stage.CLOSED.value
        proposal.status, proposal.outcome = result["status"], result
        proposal.statement, proposal.review_on = (statement or "").strip(), review_on
        proposal.closed_at = timezone.now()
        proposal.save()
        if proposal.secret:
            _rewrite_box(proposal)
        from parsoc.web.decisions.anchoring import publish_head

        publish_head(council, closed=proposal.decision_id, what="Decision", title=proposal.title,
                     outcome=str(proposal.status).replace("_", " "))
    notify(_members(proposal.council), proposal, "closed", f"Decision {proposal.status}: {proposal.title}", actor=user)
    return proposal


def _rewrite_box(proposal: Proposal) -> None:
    """Write the roll and the ballots of a closed secret decision again, in random order, in
    this one transaction: every row then carries the same PostgreSQL transaction id (xmin) and
    a shuffled physical order, so neither tells when a row was first written. (The dead row
    versions stay on disk until VACUUM; see the threat model.)"""
    rewrite_shuffled((VoterRoll, Ballot), proposal=proposal)


def write_shuffled(model, rows, **where) -> None:
    """Replace the rows of ``model`` matching ``where`` by ``rows``, written as one batch in
    random order, under the caller's lock and in its transaction.

    Every issue and every cast of a secret ballot writes its whole roll or ballot box this way,
    so the physical order of the rows — SQLite's rowid, PostgreSQL's heap position (ctid) — and
    their transaction id (xmin) say nothing about who took or cast a ballot when. A table with
    an auto-numbered key (the rolls) also has its numbers dealt out at random among its rows:
    the numbers were given in issuing order, and on SQLite they are the physical order. On
    SQLite the deleted versions are overwritten with zeros (``secure_delete``); on PostgreSQL
    they stay on disk as dead rows until VACUUM (see the threat model in docs/decisions.md)."""
    rng = random.SystemRandom()
    rows = list(rows)
    if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
        numbers = [row.pk for row in rows]
        rng.shuffle(numbers)
        for row, number in zip(rows, numbers, strict=True):
            row.pk = number
    rng.shuffle(rows)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    model.objects.filter(**where).delete()
    model.objects.bulk_create(rows)


def rewrite_shuffled(models, **where) -> None:
    """Write the rows of ``models`` matching ``where`` again, in random order (see
    :func:`write_shuffled`); secret polls use it too."""
    for model in models:
        write_shuffled(model, model.objects.filter(**where), **where)


def close_question(user, council: Council, question: str, *, statement: str = "") -> list[Proposal]:
    """Close every open proposal on one question together; they are ranked by the weighted
    share of support in their deciding round (the first that passed is the council's choice)."""
    require(user, "decisions.facilitate", council, "only a facilitator can close the decision")
    open_ = list(Proposal.objects.filter(council=council, question=question, stage=Stage.DECISION.value))
    if not open_:
        raise InputError(f"question {question!r}: no open proposals")
    closed = [close(user, p, statement=statement) for p in open_]
    return sorted(closed, key=lambda p: (p.status != Status.PASSED, -support_share(p)))


def support_share(proposal: Proposal) -> Fraction:
    return outcome_support(proposal.outcome)


def tick(now: datetime | None = None) -> dict[str, int]:
    """Close windows whose time has come, send closing-soon and review reminders."""
    now = now or timezone.now()
    done = {"closed": 0, "closing": 0, "review": 0}
    for p in Proposal.objects.filter(stage=Stage.DECISION.value, closes_at__lte=now):
        close(None, p)
        done["closed"] += 1
    for p in Proposal.objects.filter(stage=Stage.DECISION.value, closing_soon_sent=False,
                                     closes_at__lte=now + CLOSING_SOON, closes_at__gt=now):
        voted = set(Stance.objects.filter(proposal=p, binding=True).values_list("member_id", flat=True))
        voted |= set(VoterRoll.objects.filter(proposal=p).values_list("member_id", flat=True))
        with transaction.atomic():  # the reminder is mailed once the flag is saved, and only then
            notify(_members(p.council).exclude(pk__in=voted), p, "closing", f"Closes soon: {p.title}")
            Proposal.objects.filter(pk=p.pk).update(closing_soon_sent=True)
        done["closing"] += 1
    for p in Proposal.objects.filter(stage=Stage.CLOSED.value, review_reminded=False, review_on__lte=now.date()):
        with transaction.atomic():
            notify(_facilitators(p.council), p, "review", f"Review due: {p.title}")
            Proposal.objects.filter(pk=p.pk).update(review_reminded=True)
        done["review"] += 1
    return done
