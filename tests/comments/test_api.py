"""The discussions API over real HTTP (a live server, urllib, API tokens): a thread with a reply,
an edit and its versions, a removal, the old proposal endpoint, and the answers for the four
parties and for wrong input."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = [pytest.mark.django_db(transaction=True)]


def call(base, key, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def keys(council_world):
    from parsoc.web.accounts.models import ApiToken

    w = council_world
    return {role: ApiToken.issue(w.person(role), "test")[1] for role in ("outsider", "member", "facilitator")} | {
        "anonymous": None}


def test_a_discussion_through_the_api(live_server, council_world, keys):
    from parsoc.web.decisions import services as decisions

    w = council_world
    p = decisions.create_proposal(w.member, w.group, title="Paint the door", body="Red.")
    decisions.set_stage(w.member, p, "discussion")
    base, on = live_server.url, f"/api/comments/on/proposal/{p.pk}"

    status, first = call(base, keys["member"], "POST", on, {"body": "Which *red*, @fay-facilitator?", "tag": "question"})
    assert status == 201 and first["tag"] == "question" and first["mentions"] == ["Fay Facilitator"]
    status, reply = call(base, keys["facilitator"], "POST", on, {"body": "Post-box red.", "parent": first["id"]})
    assert status == 201 and reply["parent"] == first["id"]
    # the old proposal endpoint still posts into the same discussion
    status, old = call(base, keys["member"], "POST", f"/api/decisions/proposals/{p.pk}/comments", {"body": "Or blue"})
    assert status == 201
    status, thread = call(base, keys["member"], "GET", on)
    assert status == 200
    assert [(c["body"], c["depth"]) for c in thread] == [("Which *red*, @fay-facilitator?", 0), ("Post-box red.", 1), ("Or blue", 0)]
    status, proposal = call(base, keys["member"], "GET", f"/api/decisions/proposals/{p.pk}")
    assert [c["body"] for c in proposal["comments"]] == ["Which *red*, @fay-facilitator?", "Post-box red.", "Or blue"]

    # edit: only the author; the old text is a version
    assert call(base, keys["facilitator"], "PATCH", f"/api/comments/{first['id']}", {"body": "mine now"})[0] == 403
    status, edited = call(base, keys["member"], "PATCH", f"/api/comments/{first['id']}", {"body": "Which red exactly?"})
    assert status == 200 and edited["body"] == "Which red exactly?" and edited["edited_at"]
    status, versions = call(base, keys["member"], "GET", f"/api/comments/{first['id']}/versions")
    assert status == 200 and [v["body"] for v in versions] == ["Which *red*, @fay-facilitator?"]

    # remove: the facilitator may; the thread keeps its shape
    status, removed = call(base, keys["facilitator"], "DELETE", f"/api/comments/{first['id']}")
    assert status == 200 and removed["removed"] and removed["body"] == ""
    status, thread = call(base, keys["member"], "GET", on)
    assert [(c["body"], c["removed"], c["parent"]) for c in thread][:2] == [("", True, None), ("Post-box red.", False, first["id"])]
    assert call(base, keys["member"], "GET", f"/api/comments/{first['id']}/versions") == (200, [])

    # the four parties on a members-only council
    for role, expected in {"anonymous": 404, "outsider": 404, "member": 200, "facilitator": 200}.items():
        assert call(base, keys[role], "GET", on)[0] == expected, role
    for role, expected in {"anonymous": 401, "outsider": 404, "member": 201, "facilitator": 201}.items():
        assert call(base, keys[role], "POST", on, {"body": f"from {role}"})[0] == expected, role
    assert call(base, keys["outsider"], "PATCH", f"/api/comments/{reply['id']}", {"body": "x"})[0] == 404
    assert call(base, keys["anonymous"], "DELETE", f"/api/comments/{reply['id']}")[0] == 401


def test_wrong_input_gets_a_clear_answer(live_server, council_world, keys):
    from parsoc.web.decisions import services as decisions

    w = council_world
    p = decisions.create_proposal(w.member, w.chapter, title="Paint", body="Red.")
    decisions.set_stage(w.member, p, "discussion")
    q = decisions.create_proposal(w.member, w.chapter, title="Other", body="Blue.")
    decisions.set_stage(w.member, q, "discussion")
    base, key = live_server.url, keys["member"]
    status, elsewhere = call(base, key, "POST", f"/api/comments/on/proposal/{q.pk}", {"body": "there"})
    assert status == 201
    cases = [
        ("POST", f"/api/comments/on/proposal/{p.pk}", {"body": "x", "parent": elsewhere["id"]}, 400, "no such comment in this discussion"),
        ("POST", f"/api/comments/on/proposal/{p.pk}", {"body": "   "}, 400, "the comment is empty"),
        ("POST", f"/api/comments/on/proposal/{p.pk}", {"body": "x", "tag": "rant"}, 400, "is not one of"),
        ("POST", f"/api/comments/on/proposal/{p.pk}", {"body": "x" * 5001}, 422, ""),
        ("POST", f"/api/comments/on/nothing/{p.pk}", {"body": "x"}, 404, "takes no comments"),
        ("POST", "/api/comments/on/proposal/999999", {"body": "x"}, 404, "no such proposal"),
        ("GET", "/api/comments/999999/versions", None, 404, "no such comment"),
    ]
    for method, path, body, expected, words in cases:
        status, answer = call(base, key, method, path, body)
        assert status == expected, (path, body, answer)
        assert words in json.dumps(answer), (path, answer)
    # a project's tag stays "comment"
    from parsoc.web.budgeting.models import Process, Project

    process = Process.objects.create(council=w.chapter, title="Budget", budget=1000, phase="proposals")
    project = Project.objects.create(process=process, code="1", title="Garden")
    status, answer = call(base, key, "POST", f"/api/comments/on/project/{project.pk}", {"body": "x", "tag": "concern"})
    assert status == 400 and "is not one of comment" in answer["detail"]
