"""Every council page and action, for anonymous, outsider, member and facilitator."""

from __future__ import annotations

import pytest

from tests.fixtures_web import ROLES

pytestmark = pytest.mark.django_db

LOGIN = "login"  # redirected to the login page

# (method, url, {role: expected status}); urls use the public chapter unless said otherwise.
PAGES = [
    ("get", "/", {"anonymous": 200, "outsider": 200, "member": 200, "facilitator": 200}),
    ("get", "/councils/", {"anonymous": 200, "outsider": 200, "member": 200, "facilitator": 200}),
    ("get", "/c/test-chapter/", {"anonymous": 200, "outsider": 200, "member": 200, "facilitator": 200}),
    ("get", "/c/quiet-group/", {"anonymous": 404, "outsider": 404, "member": 200, "facilitator": 200}),
    ("get", "/c/test-chapter/settings/", {"anonymous": LOGIN, "outsider": 403, "member": 403, "facilitator": 200}),
    ("get", "/c/quiet-group/settings/", {"anonymous": LOGIN, "outsider": 404, "member": 403, "facilitator": 200}),
    ("get", "/c/test-chapter/members/", {"anonymous": LOGIN, "outsider": 403, "member": 403, "facilitator": 200}),
    ("get", "/c/test-chapter/invite/", {"anonymous": LOGIN, "outsider": 403, "member": 403, "facilitator": 200}),
    ("get", "/c/quiet-group/delegates/", {"anonymous": LOGIN, "outsider": 404, "member": 403, "facilitator": 200}),
    ("get", "/councils/new/", {"anonymous": LOGIN, "outsider": 200, "member": 200, "facilitator": 200}),
    ("get", "/notifications/", {"anonymous": LOGIN, "outsider": 200, "member": 200, "facilitator": 200}),
    ("get", "/accounts/profile/", {"anonymous": LOGIN, "outsider": 200, "member": 200, "facilitator": 200}),
    ("get", "/accounts/tokens/", {"anonymous": LOGIN, "outsider": 200, "member": 200, "facilitator": 200}),
    ("post", "/c/test-chapter/announce/", {"anonymous": LOGIN, "outsider": 403, "member": 403, "facilitator": 302}),
    ("post", "/c/test-chapter/members/role/", {"anonymous": LOGIN, "outsider": 403, "member": 403, "facilitator": 303}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "expected"), PAGES, ids=[f"{m} {u}" for m, u, _ in PAGES])
def test_page_permissions(council_world, client_as, role, method, url, expected):
    client = client_as(council_world.person(role))
    data = {"title": "Hello", "body": "World"} if url.endswith("announce/") else {}
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == want, response.content[:300]


def test_members_only_council_is_hidden_from_directory(council_world, client_as):
    assert b"Quiet Group" not in client_as(None).get("/councils/").content
    assert b"Quiet Group" not in client_as(council_world.outsider).get("/councils/").content
    assert b"Quiet Group" in client_as(council_world.member).get("/councils/").content


def test_only_facilitator_announcement_is_stored(council_world, client_as):
    from parsoc.web.councils.models import Announcement

    client_as(council_world.member).post("/c/test-chapter/announce/", {"title": "Sneaky", "body": "x"})
    client_as(council_world.outsider).post("/c/test-chapter/announce/", {"title": "Sneaky", "body": "x"})
    assert not Announcement.objects.filter(title="Sneaky").exists()


def test_outsider_cannot_join_members_only_council(council_world, client_as):
    response = client_as(council_world.outsider).post("/c/quiet-group/join/")
    assert response.status_code == 404
    assert not council_world.group.memberships.filter(user=council_world.outsider).exists()
