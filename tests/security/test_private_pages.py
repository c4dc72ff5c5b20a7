"""No copy of a signed-in person's pages in any cache (ASVS 8.2.1): every answer to a signed-in
request is ``Cache-Control: private, no-store``; anonymous public pages keep their own headers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.fixtures_web import ROLES


def _pages(w):
    return [
        reverse("home"),
        reverse("councils:detail", args=[w.chapter.slug]),
        reverse("decisions:index", args=[w.chapter.slug]),
        reverse("accounts:profile"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_signed_in_answers_are_never_stored(role, council_world, client_as):
    w = council_world
    client = client_as(w.person(role))
    for url in _pages(w):
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        cache = response.get("Cache-Control", "")
        if role == "anonymous":
            assert "no-store" not in cache, (url, cache)  # public pages may be cached
        else:
            assert "no-store" in cache and "private" in cache, (url, cache)


def test_the_api_answers_a_signed_in_session_the_same_way(council_world, client_as):
    response = client_as(council_world.member).get("/api/councils")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_login_answer_is_never_stored(council_world, client_as):
    from tests.fixtures_web import PASSWORD

    response = client_as(None).post(reverse("accounts:login"),
                                    {"email": council_world.member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
