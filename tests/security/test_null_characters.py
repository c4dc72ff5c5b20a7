"""A NUL character in any text a request sends is a 400 that says so, never a 500 (PostgreSQL
cannot store U+0000) and never a write. Found by the API fuzz on PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from parsoc.web.core.null_characters import REFUSED


def _proposals(council):
    from parsoc.web.decisions.models import Proposal

    return Proposal.objects.filter(council=council).count()


@pytest.mark.parametrize("body", [
    {"title": "Buy a kettle\x00", "body": "A big one."},
    {"title": "Buy a kettle", "body": "\x00"},
    {"title": "Buy a kettle", "body": "A big one.", "extra\x00": 1},
    {"title": "Buy a kettle", "body": "A big one.", "nested": [{"deep": ["\x00"]}]},
])
def test_json_with_nul_is_a_400_naming_it_and_writes_nothing(body, council_world, client_as):
    w = council_world
    before = _proposals(w.chapter)
    response = client_as(w.facilitator).post(f"/api/decisions/councils/{w.chapter.slug}/proposals",
                                              json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": REFUSED}
    assert _proposals(w.chapter) == before


def test_the_text_backslash_u0000_is_not_a_nul_and_is_kept(council_world, client_as):
    w = council_world
    title = "Escapes: \\u0000 written out"
    response = client_as(w.facilitator).post(f"/api/decisions/councils/{w.chapter.slug}/proposals",
                                              json.dumps({"title": title, "body": "Text."}),
                                              content_type="application/json")
    assert response.status_code in (200, 201), response.content
    assert response.json()["title"] == title


def test_a_form_field_with_nul_is_a_400_page_and_writes_nothing(council_world, client_as):
    w = council_world
    before = _proposals(w.chapter)
    response = client_as(w.facilitator).post(reverse("decisions:new", args=[w.chapter.slug]),
                                              {"title": "Kettle\x00", "body": "A big one."})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert _proposals(w.chapter) == before


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_a_query_string_with_nul_is_a_400(role, council_world, client_as):
    response = client_as(council_world.person(role)).get("/councils/?q=ab%00cd")
    assert response.status_code == 400
    api = client_as(council_world.person(role)).get("/api/councils?q=%00")
    assert api.status_code == 400 and api.json() == {"detail": REFUSED}
