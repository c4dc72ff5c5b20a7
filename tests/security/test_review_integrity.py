"""A forged ballot token, well formed, cast anonymously through the API.

Casting is anonymous by design (only the token counts), so the token's tag *is* the permission
check. Before, a token in the right shape but with a made-up tag took the proposal's row lock,
read the whole ballot box and the roll, and answered by the decision's state ("the decision is
closed", "this decision is not secret", "no is not allowed now") before its tag was checked: any
visitor could hold a lock on any proposal and read the state of proposals in members-only
councils. Now the tag is checked first: every forged token gets one answer, with no lock taken
and no ballot read, whatever the decision's state and whoever may see it.
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parsoc.web.decisions import polls, services
from parsoc.web.decisions.models import Ballot, PollRoll, PollSecretBallot, VoterRoll


def services_token_shape(text: str) -> bool:
    from parsoc.decisions.secret_ballot import TOKEN

    return TOKEN.fullmatch(text) is not None


FORGED = "A" * 21 + "Q" + ".1." + "B" * 21 + "g"  # the one accepted shape, a tag nobody issued


@pytest.fixture
def decisions_in_every_state(council_world):
    """Proposals in the members-only group: secret and open, secret and closed, open but not
    secret, and secret in its second round; polls: secret open, secret closed, not secret."""
    w = council_world
    found = {}

    def proposal(name, *, secret, close=False):
        p = services.create_proposal(w.facilitator, w.group, title=name, body="text")
        services.set_stage(w.facilitator, p, "discussion")
        p = services.open_decision(w.facilitator, p, rule="simple_majority", secret=secret)
        if close:
            p = services.close(w.facilitator, p)
        found[name] = ("proposal", p.pk)

    proposal("secret open", secret=True)
    proposal("secret closed", secret=True, close=True)
    proposal("open ballot", secret=False)

    def poll(name, *, secret, close=False):
        the_poll = polls.create_poll(w.facilitator, w.group, title=name, kind="approval",
                                     options=["tea", "cake"], secret=secret)
        the_poll = polls.open_poll(w.facilitator, the_poll)
        if close:
            the_poll = polls.close_poll(w.facilitator, the_poll)
        found[name] = ("poll", the_poll.pk)

    poll("secret poll", secret=True)
    poll("closed secret poll", secret=True, close=True)
    poll("open poll", secret=False)
    return found


BALLOT_TABLES = [m._meta.db_table for m in (Ballot, VoterRoll, PollSecretBallot, PollRoll)]


@pytest.mark.django_db
def test_a_forged_token_gets_one_answer_whatever_the_state_with_no_lock_or_box_read(decisions_in_every_state,
                                                                                   client_as):
    anonymous = client_as(None)
    answers = {}
    for name, (what, pk) in decisions_in_every_state.items():
        if what == "proposal":
            url, body = f"/api/decisions/proposals/{pk}/ballot/cast", {"token": FORGED, "kind": "no"}
        else:
            url, body = f"/api/decisions/polls/{pk}/ballot/cast", {"token": FORGED, "ballot": ["cake"]}
        with CaptureQueriesContext(connection) as queries:
            response = anonymous.post(url, json.dumps(body), content_type="application/json")
        answers[name] = (what, response.status_code, response.json().get("detail"))
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "FOR UPDATE" not in sql.upper(), name
        assert not any(table in sql for table in BALLOT_TABLES), (name, sql[:500])
    for what in ("proposal", "poll"):
        seen = {(status, detail) for kind, status, detail in answers.values() if kind == what}
        assert len(seen) == 1, (what, answers)
        ((status, detail),) = seen
        assert status == 400 and "not issued" in detail


# --- participatory budgets: no ballot after voting has closed -----------------------------------

VOTERS = 24


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_budget_ballot_is_kept_after_voting_closes(council_world, make_user):
    """Members vote while a facilitator closes the vote, all at once. Before, a vote checked the
    phase on the process as read at the start of its request and wrote its ballot later, so a
    ballot could land after the close and change results already published. Now the vote holds
    the process row while it checks and writes: every ballot kept was written before the close,
    and every later vote is refused."""
    import threading

    from django.db import connections
    from django.test import Client

    from parsoc.councils.kinds import Role
    from parsoc.web.budgeting import services as budgeting
    from parsoc.web.budgeting.models import Ballot, Phase
    from parsoc.web.councils.models import Announcement, Membership

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): threads need their own connections")
    w = council_world
    process = budgeting.create_process(w.facilitator, w.chapter, title="Park money", budget="100",
                                       ballot_kind="approval", rule="equal-shares")
    project = budgeting.propose(w.member, process, title="Benches")
    budgeting.advance_phase(w.facilitator, process)
    budgeting.review(w.facilitator, project, feasible=True, cost="40")
    budgeting.advance_phase(w.facilitator, process)
    assert process.phase == Phase.VOTING
    voters = [make_user(f"Voter {n}") for n in range(VOTERS)]
    Membership.objects.bulk_create([Membership(council=w.chapter, user=v, role=Role.MEMBER) for v in voters])

    def client_of(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    base = f"/c/{w.chapter.slug}/budgeting/{process.pk}"
    clients = [client_of(v) for v in voters]
    facilitator = client_of(w.facilitator)
    barrier = threading.Barrier(VOTERS + 1)
    statuses, lock = [], threading.Lock()

    def vote(client) -> None:
        try:
            barrier.wait(timeout=60)
            status = client.post(f"{base}/vote", {"project": [project.code]}).status_code
            with lock:
                statuses.append(status)
        finally:
            connections.close_all()

    def close() -> None:
        try:
            barrier.wait(timeout=60)
            for _ in range(10_000):  # close once the first ballots are in, while others are on their way
                if Ballot.objects.filter(process=process).exists():
                    break
            assert facilitator.post(f"{base}/advance").status_code == 302
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(c,)) for c in clients] + [threading.Thread(target=close)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    process.refresh_from_db()
    assert process.phase == Phase.RESULTS
    closed_at = Announcement.objects.filter(council=w.chapter, body__startswith="Voting is closed").get().created_at
    late = Ballot.objects.filter(process=process, cast_at__gt=closed_at).count()
    kept = Ballot.objects.filter(process=process).count()
    assert late == 0, f"{late} of {kept} ballots were written after voting closed"
    assert set(statuses) <= {302, 403} and statuses.count(302) == kept, statuses


@pytest.mark.django_db
def test_a_token_is_good_for_its_own_decision_and_round_only(council_world, client_as):
    """Replayed after the next round opens, or at another decision or poll of the same council,
    a genuine token is refused and no ballot is added."""
    w = council_world
    member, anonymous = client_as(w.member), client_as(None)

    def post(client, url, body=None):
        response = client.post(url, json.dumps(body or {}), content_type="application/json")
        return response.status_code, response.json()

    def secret_proposal(title):
        p = services.create_proposal(w.facilitator, w.chapter, title=title, body="text")
        services.set_stage(w.facilitator, p, "discussion")
        return services.open_decision(w.facilitator, p, rule="modified_consensus", secret=True)

    p, other = secret_proposal("Blocked"), secret_proposal("Other")
    poll = polls.open_poll(w.facilitator, polls.create_poll(w.facilitator, w.chapter, title="Snacks",
                                                            kind="approval", options=["tea", "cake"], secret=True))
    _, taken = post(member, f"/api/decisions/proposals/{p.pk}/ballot")
    token = taken["token"]
    cast = f"/api/decisions/proposals/{p.pk}/ballot/cast"
    assert post(anonymous, cast, {"token": token, "kind": "block", "reason": "no water"})[0] == 201
    status, fac_token = post(client_as(w.facilitator), f"/api/decisions/proposals/{p.pk}/ballot")
    assert post(anonymous, cast, {"token": fac_token["token"], "kind": "agree"})[0] == 201
    assert post(client_as(w.facilitator), f"/api/decisions/proposals/{p.pk}/next-round")[0] == 200

    for url, body in ((cast, {"kind": "agree"}),
                      (f"/api/decisions/proposals/{other.pk}/ballot/cast", {"kind": "agree"}),
                      (f"/api/decisions/polls/{poll.pk}/ballot/cast", {"ballot": ["tea"]})):
        status, answer = post(anonymous, url, {"token": token, **body})
        assert status == 400 and "not issued" in answer["detail"], (url, status, answer)
    assert not Ballot.objects.filter(proposal=p, round=1).exists()
    assert not Ballot.objects.filter(proposal=other).exists()
    assert not PollSecretBallot.objects.filter(poll=poll).exists()


@pytest.mark.django_db
def test_a_page_showing_a_ballot_token_is_never_stored_by_the_browser(council_world, client_as):
    """The token is the ballot (it can change it until close): the page that shows it must not
    be kept in the browser's cache or back/forward history of a shared computer."""
    w = council_world
    p = services.create_proposal(w.facilitator, w.chapter, title="Spoke", body="Ana")
    services.set_stage(w.facilitator, p, "discussion")
    p = services.open_decision(w.facilitator, p, rule="simple_majority", secret=True)
    poll = polls.open_poll(w.facilitator, polls.create_poll(w.facilitator, w.chapter, title="Snacks",
                                                            kind="approval", options=["tea", "cake"], secret=True))
    member = client_as(w.member)
    for url in (f"/c/test-chapter/decisions/{p.pk}/ballot/take/", f"/c/test-chapter/polls/{poll.pk}/take/"):
        response = member.post(url)
        assert response.status_code == 200
        token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
        assert services_token_shape(token)
        assert "no-store" in response.get("Cache-Control", ""), url


@pytest.mark.django_db
@pytest.mark.parametrize("secret", [False, True])
def test_who_joins_after_a_poll_opens_does_not_vote_in_it(council_world, make_user, client_as, secret):
    """As for proposals: the electorate of a poll is fixed when it opens. Before, anyone who
    joined an open council while a poll was open (any number of fresh accounts) could vote in it."""
    from parsoc.councils.kinds import JoinPolicy
    from parsoc.web.decisions.models import PollBallot

    w = council_world
    w.chapter.join_policy = JoinPolicy.OPEN
    w.chapter.save()
    poll = polls.open_poll(w.facilitator, polls.create_poll(w.facilitator, w.chapter, title="Snacks",
                                                            kind="approval", options=["tea", "cake"], secret=secret))
    late = make_user("Late Comer")
    newcomer = client_as(late)
    assert newcomer.post("/c/test-chapter/join/").status_code in (200, 302)
    assert w.chapter.memberships.filter(user=late).exists()
    if secret:
        response = newcomer.post(f"/api/decisions/polls/{poll.pk}/ballot")
        assert not PollRoll.objects.filter(poll=poll, member=late).exists()
    else:
        response = newcomer.post(f"/api/decisions/polls/{poll.pk}/votes", json.dumps({"ballot": ["tea"]}),
                                 content_type="application/json")
        assert not PollBallot.objects.filter(poll=poll, voter=late).exists()
    assert response.status_code == 400 and "joined after" in response.json()["detail"]
    # a member from before the opening votes as ever
    member = client_as(w.member)
    if secret:
        assert member.post(f"/api/decisions/polls/{poll.pk}/ballot").status_code == 200
    else:
        assert member.post(f"/api/decisions/polls/{poll.pk}/votes", json.dumps({"ballot": ["tea"]}),
                           content_type="application/json").status_code == 201


@pytest.mark.django_db
def test_one_token_cannot_change_its_ballot_without_end(council_world, client_as):
    """Every cast rewrites the whole ballot box, and a ballot keeps all its versions: one token
    changed without end (each with a long reason) grew every later cast of everyone's ballot.
    A ballot may now be changed a bounded number of times; then the cast is refused and the box
    is as it was."""
    from parsoc.decisions.secret_ballot import MAX_CHANGES

    w = council_world
    p = services.create_proposal(w.facilitator, w.chapter, title="Spoke", body="Ana")
    services.set_stage(w.facilitator, p, "discussion")
    p = services.open_decision(w.facilitator, p, rule="simple_majority", secret=True)
    poll = polls.open_poll(w.facilitator, polls.create_poll(w.facilitator, w.chapter, title="Snacks",
                                                            kind="approval", options=["tea", "cake"], secret=True))
    member, anonymous = client_as(w.member), client_as(None)
    for take, cast, body, rows in (
        (f"/api/decisions/proposals/{p.pk}/ballot", f"/api/decisions/proposals/{p.pk}/ballot/cast",
         {"kind": "no", "reason": "x" * 5000}, lambda: Ballot.objects.get(proposal=p).versions),
        (f"/api/decisions/polls/{poll.pk}/ballot", f"/api/decisions/polls/{poll.pk}/ballot/cast",
         {"ballot": ["tea"]}, lambda: PollSecretBallot.objects.get(poll=poll).versions),
    ):
        token = member.post(take).json()["token"]
        for _ in range(MAX_CHANGES):
            assert anonymous.post(cast, json.dumps({"token": token, **body}),
                                  content_type="application/json").status_code == 201
        refused = anonymous.post(cast, json.dumps({"token": token, **body}), content_type="application/json")
        assert refused.status_code == 400 and "changed" in refused.json()["detail"]
        assert len(rows()) == MAX_CHANGES


@pytest.mark.django_db
def test_an_open_poll_ballot_cannot_be_changed_without_end(council_world, client_as):
    """Each change of an open poll ballot is a row and an event in the council's record."""
    from parsoc.decisions.secret_ballot import MAX_CHANGES
    from parsoc.web.decisions.models import LogEvent, PollBallot

    w = council_world
    poll = polls.open_poll(w.facilitator, polls.create_poll(w.facilitator, w.chapter, title="Snacks",
                                                            kind="approval", options=["tea", "cake"]))
    member = client_as(w.member)
    url = f"/api/decisions/polls/{poll.pk}/votes"
    for n in range(MAX_CHANGES):
        body = json.dumps({"ballot": ["tea"] if n % 2 else ["cake"]})
        assert member.post(url, body, content_type="application/json").status_code == 201
    refused = member.post(url, json.dumps({"ballot": ["tea"]}), content_type="application/json")
    assert refused.status_code == 400 and "changed" in refused.json()["detail"]
    assert PollBallot.objects.filter(poll=poll).count() == MAX_CHANGES
    assert LogEvent.objects.filter(kind="poll_vote").count() == MAX_CHANGES


def test_an_open_stance_cannot_be_changed_without_end(council_world, client_as, monkeypatch):
    """Each change of an open stance is a row and an event replayed at every close: a round
    keeps at most MAX_STANCE_CHANGES versions of one member's stance (lowered here to 5)."""
    from parsoc.web.decisions.models import LogEvent, Stance

    monkeypatch.setattr(services, "MAX_STANCE_CHANGES", 5)
    w = council_world
    p = services.create_proposal(w.facilitator, w.chapter, title="Paint the door", body="Green.")
    services.set_stage(w.facilitator, p, "discussion")
    p = services.open_decision(w.facilitator, p, rule="simple_majority", secret=False)
    member = client_as(w.member)
    url = f"/api/decisions/proposals/{p.pk}/stances"
    for n in range(5):
        body = json.dumps({"kind": "yes" if n % 2 else "no"})
        assert member.post(url, body, content_type="application/json").status_code in (200, 201)
    refused = member.post(url, json.dumps({"kind": "yes"}), content_type="application/json")
    assert refused.status_code == 400 and "the most a round keeps" in refused.json()["detail"]
    assert Stance.objects.filter(proposal=p, member=w.member).count() == 5
    assert LogEvent.objects.filter(kind="stance").count() == 5
    # another member is not held back by it
    assert client_as(w.facilitator).post(url, json.dumps({"kind": "yes"}),
                                         content_type="application/json").status_code in (200, 201)
