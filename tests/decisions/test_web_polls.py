"""Polls through the API: approval, score and dot votes; ranked kinds wait for parsoc.choice."""

from __future__ import annotations

import pytest

from parsoc.web.decisions.models import Poll, PollBallot
from tests.decisions.test_web_api import post
from tests.fixtures_web import ROLES
from tests.html import alerts, by_test_id, statuses, table_rows

pytestmark = [pytest.mark.django_db]


def make_poll(client_as, w, kind, params=None, options=("park", "library", "bikes")):
    fac = client_as(w.facilitator)
    status, poll = post(fac, "/api/decisions/councils/test-chapter/polls",
                        {"title": "Where does the money go?", "kind": kind, "options": list(options), "params": params or {}})
    assert status == 201, poll
    assert post(fac, f"/api/decisions/polls/{poll['id']}/open", {})[0] == 200
    return poll["id"], fac


def test_approval_poll_counts_the_newest_ballot_of_each_voter(council_world, client_as):
    w = council_world
    pk, fac = make_poll(client_as, w, "approval")
    member = client_as(w.member)
    assert post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": ["park"]})[0] == 201
    assert post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": ["park", "bikes"]})[0] == 201  # changed
    assert post(fac, f"/api/decisions/polls/{pk}/votes", {"ballot": ["bikes"]})[0] == 201
    status, closed = post(fac, f"/api/decisions/polls/{pk}/close")
    assert status == 200 and closed["stage"] == "closed"
    assert [(o["option"], o["head"]) for o in closed["result"]["options"]] == [("bikes", 2), ("park", 1), ("library", 0)]
    status, body = post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": ["park"]})
    assert status == 400 and "the poll is closed" in body["detail"]


def test_score_and_dot_polls_check_their_ballots(council_world, client_as):
    w = council_world
    pk, _ = make_poll(client_as, w, "score", {"low": 1, "high": 3})
    member = client_as(w.member)
    status, body = post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": {"park": 4}})
    assert status == 400 and "score 4 for 'park' is not a whole number from 1 to 3" in body["detail"]
    assert post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": {"park": 3, "bikes": 1}})[0] == 201
    _, state = post(member, f"/api/decisions/polls/{pk}", method="get")
    assert state["result"]["options"][0] == {"option": "park", "head": 3, "weighted": "3", "scored": 1}
    pk, _ = make_poll(client_as, w, "dot_vote", {"dots": 3})
    status, body = post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": {"park": 2, "bikes": 2}})
    assert status == 400 and "4 dots spent of 3" in body["detail"]
    status, body = post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": {"pool": 1}})
    assert status == 400 and "'pool' is not an option" in body["detail"]


def test_bad_polls_are_refused(council_world, client_as):
    fac = client_as(council_world.facilitator)
    url = "/api/decisions/councils/test-chapter/polls"
    for payload, message in [
        ({"title": "t", "kind": "approval", "options": ["a"]}, "at least two different"),
        ({"title": "t", "kind": "dot_vote", "options": ["a", "b"]}, "how many dots"),
        ({"title": "t", "kind": "score", "options": ["a", "b"], "params": {"low": 5, "high": 1}}, "lowest score 5 is above"),
        ({"title": "t", "kind": "approval", "options": ["a", "b"], "params": {"dots": 3}}, "do not apply"),
    ]:
        status, body = post(fac, url, payload)
        assert status == 400 and message in body["detail"], body
    # an unknown kind is a malformed field (the schema's type is the core's PollKind): 422, naming the kinds
    status, body = post(fac, url, {"title": "t", "kind": "lottery", "options": ["a", "b"]})
    assert status == 422 and body["detail"][0]["loc"][-1] == "kind", body
    assert all(f"'{k}'" in body["detail"][0]["msg"] for k in ("approval", "score", "dot_vote", "ranked_choice", "stv"))


def test_ranked_polls_check_ballots_and_are_counted_by_stv(council_world, client_as):
    w = council_world
    pk, fac = make_poll(client_as, w, "stv", {"seats": 1})
    member = client_as(w.member)
    status, body = post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": ["park", "park"]})
    assert status == 400 and "ranked twice" in body["detail"]
    assert post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": ["bikes", "park"]})[0] == 201
    assert post(fac, f"/api/decisions/polls/{pk}/votes", {"ballot": ["bikes"]})[0] == 201
    status, body = post(fac, f"/api/decisions/polls/{pk}/close")
    assert status == 200, body
    assert "bikes" in str(body) and "park" in str(body)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_vote_in_a_poll(council_world, client_as, role):
    pk, _ = make_poll(client_as, council_world, "approval")
    status, _ = post(client_as(council_world.person(role)), f"/api/decisions/polls/{pk}/votes", {"ballot": ["park"]})
    assert status == {"anonymous": 401, "outsider": 403, "member": 201, "facilitator": 201}[role]


def test_poll_pages_create_vote_and_close(council_world, client_as):
    w = council_world
    fac, member = client_as(w.facilitator), client_as(w.member)
    page = fac.post("/c/test-chapter/polls/new/", {"title": "Snacks", "kind": "dot_vote", "options": "tea\ncake\n", "param": ""})
    assert page.status_code == 400 and len(alerts(page)) == 1 and "how many dots" in alerts(page)[0]
    assert not Poll.objects.exists()
    page = fac.post("/c/test-chapter/polls/new/", {"title": "Snacks", "kind": "dot_vote", "options": "tea\ncake\n", "param": "3"})
    assert page.status_code == 302
    url = page["Location"]
    assert fac.post(url + "open/").status_code == 302
    page = member.post(url + "vote/", {"option_0": "2", "option_1": "2"})
    assert page.status_code == 400 and len(alerts(page)) == 1 and "4 dots spent of 3" in alerts(page)[0]
    assert not PollBallot.objects.exists()
    assert member.post(url + "vote/", {"option_0": "1", "option_1": "2"}).status_code == 302
    assert client_as(w.outsider).post(url + "vote/", {"option_0": "1"}).status_code == 403
    assert member.post(url + "close/").status_code == 403
    assert fac.post(url + "close/").status_code == 302
    page = client_as(None).get(url)
    assert page.status_code == 200 and by_test_id(page, "stage") == ["Closed"]
    assert table_rows(page) == [["Option", "People / points", "Weighted"], ["cake", "2", "2"], ["tea", "1", "1"]]
    listing = client_as(None).get("/c/test-chapter/decisions/")
    assert listing.context["polls"] and [q.title for q in listing.context["polls"]] == ["Snacks"]


@pytest.mark.parametrize("kind, params, ballots", [
    ("approval", {}, [["park", "bikes"], ["bikes"]]),
    ("stv", {"seats": 2}, [["park", "bikes"], ["library", "park"]]),
])
def test_a_poll_run_through_the_api_is_in_the_log_and_verifies(council_world, client_as, kind, params, ballots):
    from parsoc.decisions.record import chain, export, verify

    w = council_world
    pk, fac = make_poll(client_as, w, kind, params)
    member = client_as(w.member)
    assert post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": ["library"]})[0] == 201
    assert post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": ballots[0]})[0] == 201  # changed
    assert post(fac, f"/api/decisions/polls/{pk}/votes", {"ballot": ballots[1]})[0] == 201
    _, closed = post(fac, f"/api/decisions/polls/{pk}/close")
    _, log = post(member, "/api/decisions/councils/test-chapter/log", method="get")
    mine = [e for e in log["events"] if e["decision"] == f"poll-{pk}"]
    assert [e["kind"] for e in mine] == ["poll_opened"] + ["poll_vote"] * 3 + ["poll_closed", "poll_result"]
    assert mine[2]["data"] == {"voter": str(w.member.pk), "ballot": ballots[0]}
    assert mine[-1]["data"]["result"] == closed["result"]
    report = verify(log)
    assert report.ok, report.problems
    assert report.polls == 1 and report.results_checked == 1

    def forged(change):  # changed and every hash computed again, as a forger with write access would
        events = [dict(e, data=dict(e["data"])) for e in log["events"]]
        change(events)
        last, rebuilt = None, []
        for e in events:
            last = chain(last, e["council"], e["decision"], e["kind"], e["at"], e["data"])
            rebuilt.append(last)
        return verify(export(log["council"], rebuilt))

    i_vote = log["events"].index(mine[3])  # the facilitator's only ballot
    report = forged(lambda ev: ev[i_vote]["data"].update(ballot=["library"] if kind == "approval" else ["bikes"]))
    assert any("differs from the recomputed" in p for p in report.problems), report.problems
    i_result = log["events"].index(mine[-1])
    report = forged(lambda ev: ev[i_result]["data"].update(result={**closed["result"], "voters": 9}
                                                         if kind == "approval" else {**closed["result"], "elected": ["library"]}))
    assert any("differs from the recomputed" in p for p in report.problems), report.problems
    tampered = {**log, "events": [dict(e) for e in log["events"]]}
    tampered["events"][i_vote] = {**mine[3], "data": {**mine[3]["data"], "ballot": ["park"]}}
    assert any("hash does not match" in p for p in verify(tampered).problems)


def test_a_secret_poll_keeps_no_link_from_ballot_to_voter_and_verifies(council_world, client_as):
    from parsoc.decisions.record import verify
    from parsoc.web.decisions.models import PollSecretBallot

    w = council_world
    fac = client_as(w.facilitator)
    status, poll = post(fac, "/api/decisions/councils/test-chapter/polls",
                        {"title": "Secret spend", "kind": "approval", "options": ["park", "bikes"], "secret": True})
    assert status == 201 and poll["secret"] is True
    pk = poll["id"]
    assert post(fac, f"/api/decisions/polls/{pk}/open", {})[0] == 200
    member = client_as(w.member)
    status, body = post(member, f"/api/decisions/polls/{pk}/votes", {"ballot": ["park"]})
    assert status == 400 and "this poll is secret" in body["detail"]
    tokens = [post(c, f"/api/decisions/polls/{pk}/ballot")[1]["token"] for c in (member, fac)]
    status, body = post(member, f"/api/decisions/polls/{pk}/ballot")
    assert status == 400 and "already taken your ballot" in body["detail"]
    anonymous = client_as(None)
    assert post(anonymous, f"/api/decisions/polls/{pk}/ballot/cast", {"token": tokens[0], "ballot": ["park"]})[0] == 201
    assert post(anonymous, f"/api/decisions/polls/{pk}/ballot/cast", {"token": tokens[0], "ballot": ["bikes"]})[0] == 201
    assert post(anonymous, f"/api/decisions/polls/{pk}/ballot/cast", {"token": tokens[1], "ballot": ["bikes", "park"]})[0] == 201
    status, body = post(anonymous, f"/api/decisions/polls/{pk}/ballot/cast", {"token": "forged.1.x", "ballot": []})
    assert status == 400 and "not issued for this decision" in body["detail"]
    status, body = post(anonymous, f"/api/decisions/polls/{pk}/ballot/cast", {"token": tokens[1], "ballot": ["pool"]})
    assert status == 400 and "'pool' is not an option" in body["detail"]
    assert not PollBallot.objects.filter(poll_id=pk).exists()
    assert {f.name for f in PollSecretBallot._meta.get_fields()} == {"id", "poll", "receipt", "versions"}
    _, closed = post(fac, f"/api/decisions/polls/{pk}/close")
    assert [(o["option"], o["head"]) for o in closed["result"]["options"]] == [("bikes", 2), ("park", 1)]
    _, log = post(member, "/api/decisions/councils/test-chapter/log", method="get")
    mine = [e for e in log["events"] if e["decision"] == f"poll-{pk}"]
    assert [e["kind"] for e in mine] == ["poll_opened", "poll_ballots", "poll_closed", "poll_result"]
    box = mine[1]["data"]
    assert box["roll"] == sorted([str(w.member.pk), str(w.facilitator.pk)])
    assert all(set(b) == {"receipt", "ballot"} for b in box["bulletin"])
    assert box["bulletin"] == closed["bulletin"]
    from parsoc.decisions.secret_ballot import digest
    assert {"receipt": digest(tokens[0]), "ballot": ["bikes"]} in box["bulletin"]  # the receipt finds the newest ballot
    assert verify(log).ok
    forged = {**log, "events": [dict(e) for e in log["events"]]}
    i = log["events"].index(mine[1])
    forged["events"][i] = {**mine[1], "data": {**box, "bulletin": box["bulletin"] * 2}}
    assert not verify(forged).ok


@pytest.mark.parametrize("role", ROLES)
def test_secret_poll_ballots_by_role(council_world, client_as, role):
    pk, _ = make_poll(client_as, council_world, "approval")

    Poll.objects.filter(pk=pk).update(secret=True)
    status, _ = post(client_as(council_world.person(role)), f"/api/decisions/polls/{pk}/ballot")
    assert status == {"anonymous": 401, "outsider": 403, "member": 200, "facilitator": 200}[role]


def test_secret_poll_pages_take_a_ballot_then_cast_it_with_the_token(council_world, client_as):
    from parsoc.decisions.record import verify
    from parsoc.web.decisions import services

    w = council_world
    fac, member = client_as(w.facilitator), client_as(w.member)
    page = fac.post("/c/test-chapter/polls/new/", {"title": "Treasurer", "kind": "approval",
                                                   "options": "ana\nbo\n", "secret": "1"})
    url = page["Location"]
    assert fac.post(url + "open/").status_code == 302
    page = member.get(url)
    assert "Take my ballot" in page.content.decode() and 'value="vote"' not in page.content.decode()
    assert client_as(w.outsider).post(url + "take/").status_code == 403
    assert client_as(None).post(url + "take/").status_code == 302  # to the login page
    page = member.post(url + "take/")
    token = page.context["token"]
    assert page.status_code == 200 and by_test_id(page, "receipt") == [token]
    page = member.post(url + "cast/", {"token": "nonsense", "option": ["ana"]})
    assert page.status_code == 400 and len(alerts(page)) == 1 and "not a ballot token" in alerts(page)[0]
    page = member.post(url + "cast/", {"token": token, "option": ["ana"]})
    assert page.status_code == 200 and statuses(page)[0].startswith("Your ballot is cast.") and alerts(page) == []
    page = member.post(url + "take/")
    assert page.status_code == 400 and len(alerts(page)) == 1 and "already taken your ballot" in alerts(page)[0]
    assert by_test_id(page, "receipt") == []
    assert fac.post(url + "close/").status_code == 302
    assert table_rows(client_as(None).get(url)) == [
        ["Option", "People / points", "Weighted"], ["ana", "1", "1"], ["bo", "0", "0"]]
    assert verify(services.export_log(w.member, w.chapter)).ok
