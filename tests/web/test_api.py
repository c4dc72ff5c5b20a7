"""The JSON API: same permissions as the pages, clear 4xx JSON answers, token and session auth."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from parsoc.web.accounts.models import ApiToken
from parsoc.web.councils.models import Announcement, Council
from tests.fixtures_web import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(council_world):
    """A client that sends a Bearer token for the role's person (none for anonymous)."""

    def make(role: str) -> Client:
        person = council_world.person(role)
        if person is None:
            return Client()
        _, key = ApiToken.issue(person, "test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


def call(client: Client, method: str, url: str, body=None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


ENDPOINTS = [
    ("get", "/api/councils", None, {"anonymous": 200, "outsider": 200, "member": 200, "facilitator": 200}),
    ("get", "/api/councils/test-chapter", None, {"anonymous": 200, "outsider": 200, "member": 200, "facilitator": 200}),
    ("get", "/api/councils/quiet-group", None, {"anonymous": 404, "outsider": 404, "member": 200, "facilitator": 200}),
    ("get", "/api/councils/quiet-group/members", None, {"anonymous": 404, "outsider": 404, "member": 200, "facilitator": 200}),
    ("get", "/api/councils/quiet-group/announcements", None, {"anonymous": 404, "outsider": 404, "member": 200, "facilitator": 200}),
    ("patch", "/api/councils/test-chapter", {"description": "new"}, {"anonymous": 401, "outsider": 403, "member": 403, "facilitator": 200}),
    ("post", "/api/councils/test-chapter/announcements", {"title": "t", "body": "b"}, {"anonymous": 401, "outsider": 403, "member": 403, "facilitator": 201}),
    ("post", "/api/councils/test-chapter/invitations", {"emails": ["a@example.org"]}, {"anonymous": 401, "outsider": 403, "member": 403, "facilitator": 201}),
    ("post", "/api/councils/quiet-group/delegates", {"person": 0, "start": "2026-01-01"}, {"anonymous": 401, "outsider": 404, "member": 403, "facilitator": 201}),
    ("post", "/api/councils/test-chapter/join", {}, {"anonymous": 401, "outsider": 202, "member": 400, "facilitator": 400}),
    ("post", "/api/councils/test-chapter/leave", None, {"anonymous": 401, "outsider": 403, "member": 204, "facilitator": 400}),
    ("post", "/api/councils", {"name": "New", "kind": "chapter"}, {"anonymous": 401, "outsider": 201, "member": 201, "facilitator": 201}),
    ("get", "/api/me", None, {"anonymous": 401, "outsider": 200, "member": 200, "facilitator": 200}),
    ("get", "/api/councils/-/unread", None, {"anonymous": 401, "outsider": 200, "member": 200, "facilitator": 200}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "body", "expected"), ENDPOINTS, ids=[f"{m} {u}" for m, u, _, _ in ENDPOINTS])
def test_endpoint_permissions(council_world, api_as, role, method, url, body, expected):
    if body and "person" in body:
        body = {**body, "person": council_world.member.pk}
    response = call(api_as(role), method, url, body)
    assert response.status_code == expected[role], response.content[:300]
    if response.status_code >= 400:
        assert "detail" in response.json()


def test_malformed_json_is_400_with_detail(council_world, api_as):
    response = api_as("facilitator").post(
        "/api/councils/test-chapter/announcements", data="{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()
    assert not Announcement.objects.exists()


def test_missing_and_wrong_fields_are_422_with_detail(council_world, api_as):
    response = call(api_as("facilitator"), "post", "/api/councils", {"name": "", "kind": "empire"})
    assert response.status_code == 422
    fields = {tuple(e["loc"])[-1] for e in response.json()["detail"]}
    assert {"name", "kind"} <= fields
    assert Council.objects.count() == 2


def test_cycle_via_api_is_400(council_world, api_as):
    response = call(api_as("facilitator"), "patch", "/api/councils/test-chapter", {"parent": "quiet-group"})
    assert response.status_code == 400
    assert "ancestor" in response.json()["detail"] and response.json()["field"] == "parent"


def test_unknown_parent_is_400(council_world, api_as):
    response = call(api_as("member"), "post", "/api/councils", {"name": "X", "kind": "chapter", "parent": "nope"})
    assert response.status_code == 400 and "parent" in response.json()["detail"]
    assert response.json()["field"] == "parent"


def test_wrong_token_is_401(council_world):
    response = Client(HTTP_AUTHORIZATION="Bearer psk_wrong").get("/api/me")
    assert response.status_code == 401 and "token" in response.json()["detail"]


def test_session_auth_needs_csrf_for_writes(council_world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(council_world.facilitator, backend="django.contrib.auth.backends.ModelBackend")
    me = client.get("/api/me")  # reading needs no CSRF token
    assert me.status_code == 200 and me.json()["email"] == council_world.facilitator.email
    response = call(client, "post", "/api/councils/test-chapter/announcements", {"title": "t", "body": "b"})
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Announcement.objects.exists()


def test_revoked_token_stops_working(council_world):
    token, key = ApiToken.issue(council_world.member, "script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/me").json()["email"] == council_world.member.email
    token.delete()
    assert client.get("/api/me").status_code == 401


def test_directory_filters_and_bad_kind(council_world, api_as):
    client = api_as("anonymous")
    assert [c["slug"] for c in client.get("/api/councils?q=test").json()] == ["test-chapter"]
    assert client.get("/api/councils?kind=federation").json() == []
    assert client.get("/api/councils?kind=empire").status_code == 400


def test_openapi_schema_lists_council_endpoints(db):
    schema = Client().get("/api/openapi.json").json()
    assert "/api/councils" in schema["paths"] and "/api/councils/{slug}/announcements" in schema["paths"]


def test_unknown_api_path_is_json_404(db):
    response = Client().get("/api/nothing-here")
    assert response.status_code == 404 and response.json()["detail"]


def test_malformed_invitation_emails_are_400(council_world, api_as):
    response = call(api_as("facilitator"), "post", "/api/councils/test-chapter/invitations",
                    {"emails": ["ok@example.org", "not an address"]})
    assert response.status_code == 400 and "not an email address" in response.json()["detail"]
    assert response.json()["field"] == "emails"
    assert not council_world.chapter.invitations.exists()


def test_null_for_a_required_field_is_400(council_world, api_as):
    response = call(api_as("facilitator"), "patch", "/api/councils/test-chapter", {"description": None})
    assert response.json() == {"detail": "description: cannot be null (leave it out to keep it as it is)",
                               "field": "description"}
