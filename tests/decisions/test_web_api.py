"""The decisions API: a whole consensus run, permissions for the four parties, bad input."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from parsoc.decisions.record import verify
from tests.fixtures_web import ROLES

pytestmark = [pytest.mark.django_db]


def post(client, url, data=None, method="post"):
    if method in ("get", "delete"):
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")
    return response.status_code, (response.json() if response.content else None)


@pytest.fixture
def assembly(council_world, make_user):
    """The chapter with eight more members (ten in all)."""
    from parsoc.web.councils.models import Membership

    people = [make_user(f"Member {i}") for i in range(8)]
    for p in people:
        Membership.objects.create(council=council_world.chapter, user=p, role="member")
    council_world.people = people
    return council_world


def open_proposal(client_as, w, rule="modified_consensus", **extra):
    fac = client_as(w.facilitator)
    status, p = post(fac, "/api/decisions/councils/test-chapter/proposals", {"title": "Move the kitchen", "body": "To the north tent."})
    assert status == 201, p
    pk = p["id"]
    assert post(fac, f"/api/decisions/proposals/{pk}/stage", {"to": "discussion"})[0] == 200
    status, opened = post(fac, f"/api/decisions/proposals/{pk}/open", {"rule": rule, **extra})
    assert status == 200, opened
    return pk, fac


def test_full_modified_consensus_run_through_the_api(assembly, client_as):
    w = assembly
    fac = client_as(w.facilitator)
    status, p = post(fac, "/api/decisions/councils/test-chapter/proposals", {"title": "Move the kitchen", "body": "To the north tent."})
    pk = p["id"]
    assert post(fac, f"/api/decisions/proposals/{pk}/stage", {"to": "discussion"})[0] == 200
    member = client_as(w.member)
    assert post(member, f"/api/decisions/proposals/{pk}/comments", {"body": "Is there water?", "tag": "question"})[0] == 201
    status, c = post(member, f"/api/decisions/proposals/{pk}/comments", {"body": "Use the east side", "tag": "amendment"})
    status, v = post(fac, f"/api/decisions/proposals/{pk}/amend", {"body": "To the north tent, east side.", "amendment": c["id"]})
    assert status == 200 and v["version"] == 2
    assert post(fac, f"/api/decisions/proposals/{pk}/stage", {"to": "temperature"})[0] == 200
    assert post(member, f"/api/decisions/proposals/{pk}/temperature", {"kind": "reservations"})[1] == {"temperature": {"reservations": 1}}
    mail.outbox.clear()
    assert post(fac, f"/api/decisions/proposals/{pk}/open", {"rule": "modified_consensus"})[0] == 200
    assert len(mail.outbox) == 9  # every member but the facilitator who opened it hears that it opened

    everyone = [w.facilitator, w.member] + w.people
    for person in everyone[:-1]:
        assert post(client_as(person), f"/api/decisions/proposals/{pk}/stances", {"kind": "agree"})[0] == 201
    blocker = client_as(everyone[-1])
    status, body = post(blocker, f"/api/decisions/proposals/{pk}/stances", {"kind": "block"})
    assert (status, body) == (400, {"detail": f"stance of {everyone[-1].pk}: a block needs a reason"})
    assert post(blocker, f"/api/decisions/proposals/{pk}/stances", {"kind": "block", "reason": "no water there"})[0] == 201
    assert any("blocked" in m.subject for m in mail.outbox)
    _, state = post(fac, f"/api/decisions/proposals/{pk}", method="get")
    assert state["result"]["status"] == "second_round"

    assert post(fac, f"/api/decisions/proposals/{pk}/next-round")[1]["round"] == 1
    for person in everyone[:-1]:
        post(client_as(person), f"/api/decisions/proposals/{pk}/stances", {"kind": "agree"})
    post(blocker, f"/api/decisions/proposals/{pk}/stances", {"kind": "block", "reason": "still no water"})
    assert post(fac, f"/api/decisions/proposals/{pk}/next-round")[1]["round"] == 2
    for person in everyone[:-1]:
        post(client_as(person), f"/api/decisions/proposals/{pk}/stances", {"kind": "yes"})
    post(blocker, f"/api/decisions/proposals/{pk}/stances", {"kind": "no"})
    status, closed = post(fac, f"/api/decisions/proposals/{pk}/close", {"statement": "Moved.", "review_on": "2027-02-01"})
    assert status == 200 and closed["status"] == "passed" and closed["result"]["round"] == 2
    assert closed["result"]["counts"][2] == {"no": {"head": 1, "weighted": "1"}, "yes": {"head": 9, "weighted": "9"}}

    # voting after close
    status, body = post(member, f"/api/decisions/proposals/{pk}/stances", {"kind": "yes"})
    assert status == 400 and "closed" in body["detail"]
    # the record verifies and recomputes the same outcome
    _, log = post(member, "/api/decisions/councils/test-chapter/log", method="get")
    report = verify(log)
    assert report.ok, report.problems
    assert report.outcomes_checked == 1


@pytest.mark.parametrize("role", ROLES)
def test_who_may_cast_a_stance(council_world, client_as, role):
    pk, _ = open_proposal(client_as, council_world, rule="consent")
    status, body = post(client_as(council_world.person(role)), f"/api/decisions/proposals/{pk}/stances", {"kind": "agree"})
    assert status == {"anonymous": 401, "outsider": 403, "member": 201, "facilitator": 201}[role], body


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_and_close(council_world, client_as, role):
    fac = client_as(council_world.facilitator)
    _, p = post(fac, "/api/decisions/councils/test-chapter/proposals", {"title": "T", "body": "B"})
    post(fac, f"/api/decisions/proposals/{p['id']}/stage", {"to": "discussion"})
    status, _ = post(client_as(council_world.person(role)), f"/api/decisions/proposals/{p['id']}/open", {"rule": "consent"})
    assert status == {"anonymous": 401, "outsider": 403, "member": 403, "facilitator": 200}[role]


@pytest.mark.parametrize("role", ROLES)
def test_members_only_council_is_invisible_to_outsiders(council_world, client_as, role):
    status, body = post(client_as(council_world.person(role)), "/api/decisions/councils/quiet-group/proposals", method="get")
    assert status == {"anonymous": 404, "outsider": 404, "member": 200, "facilitator": 200}[role]
    status, _ = post(client_as(council_world.person(role)), "/api/decisions/councils/quiet-group/proposals",
                     {"title": "x", "body": "y"})
    assert status == {"anonymous": 401, "outsider": 404, "member": 201, "facilitator": 201}[role]


def test_a_draft_is_seen_only_by_its_author_and_facilitators(council_world, client_as):
    _, p = post(client_as(council_world.member), "/api/decisions/councils/test-chapter/proposals", {"title": "T", "body": "B"})
    url = f"/api/decisions/proposals/{p['id']}"
    assert post(client_as(council_world.member), url, method="get")[0] == 200
    assert post(client_as(council_world.facilitator), url, method="get")[0] == 200
    assert post(client_as(council_world.outsider), url, method="get")[0] == 404
    assert post(client_as(None), url, method="get")[0] == 404


def test_delegation_bad_input_and_open_display(assembly, client_as):
    w = assembly
    member = client_as(w.member)
    url = "/api/decisions/councils/test-chapter/delegations"
    status, body = post(member, url, {"to": w.member.pk})
    assert status == 400 and "cannot delegate to yourself" in body["detail"]
    assert post(member, url, {"to": w.people[0].pk})[0] == 201
    status, body = post(client_as(w.people[0]), url, {"to": w.member.pk})
    assert status == 400 and "loop" in body["detail"]
    status, body = post(client_as(w.people[1]), url, {"to": w.member.pk})
    assert status == 400 and "chain of 2 hops; the council allows 1" in body["detail"]
    status, body = post(client_as(w.outsider), url, {"to": w.member.pk})
    assert status == 403
    # the delegated vote counts and is shown openly
    pk, fac = open_proposal(client_as, w, rule="simple_majority")
    post(client_as(w.people[0]), f"/api/decisions/proposals/{pk}/stances", {"kind": "yes"})
    _, state = post(fac, f"/api/decisions/proposals/{pk}", method="get")
    assert state["result"]["counts"][0]["yes"]["head"] == 2
    assert state["delegated"] == {str(w.member.pk): [str(w.member.pk), str(w.people[0].pk)]}
    # take it back
    assert post(member, url, method="delete")[0] == 204
    _, state = post(fac, f"/api/decisions/proposals/{pk}", method="get")
    assert state["result"]["counts"][0]["yes"]["head"] == 1
    assert post(member, url, method="delete")[0] == 400


def test_weighted_say_side_by_side(assembly, client_as):
    w = assembly
    fac = client_as(w.facilitator)
    _, p = post(fac, "/api/decisions/councils/test-chapter/proposals", {"title": "Close the street", "body": "Fridays"})
    pk = p["id"]
    post(fac, f"/api/decisions/proposals/{pk}/stage", {"to": "discussion"})
    status, body = post(fac, f"/api/decisions/proposals/{pk}/groups",
                        [{"name": "x", "weight": "heavy", "members": []}], method="put")
    assert status == 400 and "group 'x' weight: 'heavy' is not a number" in body["detail"]
    status, body = post(fac, f"/api/decisions/proposals/{pk}/groups",
                        [{"name": "x", "weight": "1", "members": [w.outsider.pk]}], method="put")
    assert status == 400 and "not members" in body["detail"]
    status, say = post(fac, f"/api/decisions/proposals/{pk}/groups",
                       [{"name": "residents of the street", "weight": "3", "members": [w.member.pk]}], method="put")
    assert status == 200 and say["groups"][0]["weight"] == "3"
    post(fac, f"/api/decisions/proposals/{pk}/open", {"rule": "simple_majority"})
    post(client_as(w.member), f"/api/decisions/proposals/{pk}/stances", {"kind": "yes"})
    post(client_as(w.people[0]), f"/api/decisions/proposals/{pk}/stances", {"kind": "no"})
    post(client_as(w.people[1]), f"/api/decisions/proposals/{pk}/stances", {"kind": "no"})
    _, state = post(fac, f"/api/decisions/proposals/{pk}", method="get")
    assert state["result"]["counts"][0] == {"no": {"head": 2, "weighted": "2"}, "yes": {"head": 1, "weighted": "3"}}
    assert state["result"]["status"] == "passed"


def test_secret_ballot_through_the_api(assembly, client_as):
    from parsoc.web.decisions.models import Ballot, VoterRoll

    w = assembly
    pk, fac = open_proposal(client_as, w, rule="simple_majority", secret=True, hide_results=True)
    receipts = {}
    for person, kind in [(w.member, "yes"), (w.people[0], "no"), (w.people[1], "yes")]:
        status, issued = post(client_as(person), f"/api/decisions/proposals/{pk}/ballot")
        assert status == 200
        status, cast = post(client_as(None), f"/api/decisions/proposals/{pk}/ballot/cast",
                            {"token": issued["token"], "kind": kind})
        assert status == 201
        receipts[person.pk] = issued["token"]
    status, body = post(client_as(w.member), f"/api/decisions/proposals/{pk}/ballot")
    assert status == 400 and "already taken" in body["detail"]
    status, body = post(client_as(w.member), f"/api/decisions/proposals/{pk}/stances", {"kind": "yes"})
    assert status == 400 and "secret" in body["detail"]
    _, state = post(fac, f"/api/decisions/proposals/{pk}", method="get")
    assert state["result"] is None  # hidden until close
    # nothing in a ballot row names or orders its voter
    for row in Ballot.objects.filter(proposal_id=pk).values():
        assert set(row) == {"id", "proposal_id", "round", "receipt", "weight", "versions"}
    assert VoterRoll.objects.filter(proposal_id=pk).count() == 3
    _, closed = post(fac, f"/api/decisions/proposals/{pk}/close", {})
    assert closed["status"] == "passed" and closed["result"]["counts"][0]["yes"]["head"] == 2
    _, board = post(client_as(w.people[0]), f"/api/decisions/proposals/{pk}/bulletin", method="get")
    from parsoc.decisions.secret_ballot import check_receipt
    assert check_receipt(board["ballots"], receipts[w.people[0].pk])["kind"] == "no"
    _, log = post(fac, "/api/decisions/councils/test-chapter/log", method="get")
    assert verify(log).ok
    assert not any(e["kind"] == "stance" for e in log["events"])


def test_joining_after_open_and_bad_rules_are_explained(council_world, client_as, make_user):
    from parsoc.web.councils.models import Membership

    pk, fac = open_proposal(client_as, council_world, rule="consent")
    late = make_user("Late Comer")
    Membership.objects.create(council=council_world.chapter, user=late, role="member")
    status, body = post(client_as(late), f"/api/decisions/proposals/{pk}/stances", {"kind": "agree"})
    assert status == 400 and "joined after this decision opened" in body["detail"]
    status, body = post(client_as(council_world.member), f"/api/decisions/proposals/{pk}/stances", {"kind": "yes"})
    assert status == 400 and "not allowed now" in body["detail"]
    _, p = post(fac, "/api/decisions/councils/test-chapter/proposals", {"title": "T", "body": "B"})
    post(fac, f"/api/decisions/proposals/{p['id']}/stage", {"to": "discussion"})
    status, body = post(fac, f"/api/decisions/proposals/{p['id']}/open", {"rule": "modified_consensus", "supermajority": "1/3"})
    assert status == 400 and "more than 1/2" in body["detail"]
    # an unknown rule is a malformed field (the schema's type is the core's RuleKind): 422, naming the rules
    status, body = post(fac, f"/api/decisions/proposals/{p['id']}/open", {"rule": "lottery"})
    assert status == 422 and body["detail"][0]["loc"][-1] == "rule", body
    assert all(f"'{k}'" in body["detail"][0]["msg"] for k in ("full_consensus", "consent", "qualified_majority"))
    status, body = post(client_as(council_world.member), f"/api/decisions/proposals/{pk}/stances", {"kind": "shrug"})
    assert status == 422 and body["detail"][0]["loc"][-1] == "kind", body


def test_delegating_on_a_proposal_still_in_discussion_and_secret_proxy_ballots(assembly, client_as):
    w = assembly
    fac = client_as(w.facilitator)
    _, p = post(fac, "/api/decisions/councils/test-chapter/proposals", {"title": "Spoke", "body": "Ana"})
    pk = p["id"]
    post(fac, f"/api/decisions/proposals/{pk}/stage", {"to": "discussion"})
    url = "/api/decisions/councils/test-chapter/delegations"
    assert post(client_as(w.member), url, {"to": w.people[0].pk, "proposal": pk})[0] == 201
    post(fac, f"/api/decisions/proposals/{pk}/open", {"rule": "simple_majority", "secret": True})
    delegate = client_as(w.people[0])
    status, own = post(delegate, f"/api/decisions/proposals/{pk}/ballot")
    status, proxy = post(delegate, f"/api/decisions/proposals/{pk}/ballot?for_member={w.member.pk}")
    assert status == 200, proxy
    status, body = post(delegate, f"/api/decisions/proposals/{pk}/ballot?for_member={w.people[1].pk}")
    assert status == 400 and "has not handed you their vote" in body["detail"]
    for token in (own["token"], proxy["token"]):
        assert post(client_as(None), f"/api/decisions/proposals/{pk}/ballot/cast", {"token": token, "kind": "yes"})[0] == 201
    status, body = post(client_as(w.member), f"/api/decisions/proposals/{pk}/ballot")
    assert status == 400 and "already taken in this name" in body["detail"]
    _, closed = post(fac, f"/api/decisions/proposals/{pk}/close", {})
    assert closed["status"] == "passed" and closed["result"]["counts"][0]["yes"]["head"] == 2
    _, log = post(fac, "/api/decisions/councils/test-chapter/log", method="get")
    assert verify(log).ok


def test_a_window_that_opens_later_refuses_stances_until_then(council_world, client_as):
    from datetime import timedelta

    from django.utils import timezone

    later = (timezone.now() + timedelta(hours=1)).isoformat()
    pk, _ = open_proposal(client_as, council_world, rule="consent", opens_at=later)
    status, body = post(client_as(council_world.member), f"/api/decisions/proposals/{pk}/stances", {"kind": "agree"})
    assert status == 400 and "the decision window opens at" in body["detail"]


def test_competing_proposals_are_decided_together_through_the_api(assembly, client_as):
    w = assembly
    fac = client_as(w.facilitator)
    ids = []
    for title in ("Tool library", "Quiet room"):
        _, p = post(fac, "/api/decisions/councils/test-chapter/proposals",
                    {"title": title, "body": title, "question": "The back room"})
        post(fac, f"/api/decisions/proposals/{p['id']}/stage", {"to": "discussion"})
        post(fac, f"/api/decisions/proposals/{p['id']}/open", {"rule": "simple_majority"})
        ids.append(p["id"])
    for person in w.people[:5]:
        post(client_as(person), f"/api/decisions/proposals/{ids[0]}/stances", {"kind": "yes"})
    for person, kind in zip(w.people[:5], ["yes", "yes", "yes", "no", "no"]):
        post(client_as(person), f"/api/decisions/proposals/{ids[1]}/stances", {"kind": kind})
    status, body = post(client_as(w.member), "/api/decisions/councils/test-chapter/questions/close", {"question": "The back room"})
    assert status == 403
    status, ranked = post(fac, "/api/decisions/councils/test-chapter/questions/close", {"question": "The back room"})
    assert status == 200
    assert ranked == [{"id": ids[0], "title": "Tool library", "status": "passed", "support": "1"},
                      {"id": ids[1], "title": "Quiet room", "status": "passed", "support": "3/5"}]


def test_casting_a_stance_takes_few_queries_and_keeps_the_chain(council_world, client_as, django_assert_max_num_queries):
    """A stance by API token: the token, the proposal, one membership check, then under the
    council lock one read (proposal and end of chain together) and the two inserts (on
    PostgreSQL: the lock with the read in one round trip, the two inserts in another). Every
    version is kept and the log verifies."""
    from django.test import Client

    from parsoc.web.accounts.models import ApiToken
    from parsoc.web.decisions.models import LogEvent, Stance

    pk, _ = open_proposal(client_as, council_world, rule="simple_majority")
    _, key = ApiToken.issue(council_world.member, "script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/decisions/proposals/{pk}/stances"
    assert post(client, url, {"kind": "yes"})[0] == 201  # first use also records last_used_at
    events = LogEvent.objects.count()
    for kind in ("no", "abstain"):
        # on PostgreSQL BEGIN and COMMIT are counted too; the request's own transaction
        # (parsoc.web.core.transactions) makes the service's a savepoint: SAVEPOINT and RELEASE;
        # one indexed count of the member's versions this round (MAX_STANCE_CHANGES), before the lock
        with django_assert_max_num_queries(12):
            status, body = post(client, url, {"kind": kind})
        assert status == 201, body
    assert list(Stance.objects.filter(proposal_id=pk, member=council_world.member).values_list("kind", flat=True)) \
        == ["yes", "no", "abstain"]
    assert LogEvent.objects.count() == events + 2
    status, log = post(client_as(council_world.member), "/api/decisions/councils/test-chapter/log", method="get")
    assert status == 200 and verify(log).ok, verify(log).problems


def test_api_token_last_use_is_written_at_most_once_a_minute(council_world):
    from datetime import timedelta

    from parsoc.web.accounts.models import ApiToken

    token, key = ApiToken.issue(council_world.member, "script")
    assert ApiToken.authenticate(key) == council_world.member
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    ApiToken.authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: no write
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    ApiToken.authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)
    assert ApiToken.authenticate("psk_wrong") is None


def test_a_stance_on_a_proposal_closed_meanwhile_is_refused_and_not_logged(council_world):
    """cast() reads the proposal again under the council lock (one statement with the lock on
    PostgreSQL): a proposal object loaded before the close does not let a stance through."""
    from parsoc.errors import InputError
    from parsoc.web.decisions import services
    from parsoc.web.decisions.models import LogEvent, Proposal, Stance

    w = council_world
    p = services.create_proposal(w.facilitator, w.chapter, title="T", body="B")
    services.set_stage(w.facilitator, p, "discussion")
    services.open_decision(w.facilitator, p, rule="simple_majority")
    stale = Proposal.objects.select_related("council").get(pk=p.pk)
    services.cast(w.member, stale, kind="yes")
    services.close(w.facilitator, p)
    events = LogEvent.objects.count()
    with pytest.raises(InputError, match="closed"):
        services.cast(w.member, stale, kind="no")
    assert LogEvent.objects.count() == events
    assert list(Stance.objects.filter(proposal=p).values_list("kind", flat=True)) == ["yes"]
    log = services.export_log(w.member, w.chapter)
    assert verify(log).ok and log["events"][-1]["kind"] == "outcome"
