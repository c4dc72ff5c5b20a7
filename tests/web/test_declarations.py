"""Each app declares itself once (``src/parsoc/web/<app>/declaration.py``); the shell mounts
what the declarations say: installed apps, URLs, API routers, a council's links, demo loaders."""

from __future__ import annotations

import pkgutil

import pytest
from django.conf import settings
from django.urls import reverse

import parsoc.web
from parsoc.web.core.declarations import declarations, load, notification_kinds
from tests.html import visible_text

DOMAIN_APPS = ["accounts", "councils", "meetings", "work", "decisions", "budgeting"]


def test_every_app_with_models_declares_itself_in_order():
    packages = {m.name for m in pkgutil.iter_modules(parsoc.web.__path__) if m.ispkg} - {"core", "templates"}
    declared = [d.app.removeprefix("parsoc.web.") for d in declarations()]
    assert set(declared) == packages  # a package under parsoc.web without a declaration is not mounted
    assert [app for app in declared if app in DOMAIN_APPS] == DOMAIN_APPS


def test_settings_install_every_declared_app_after_the_core():
    apps = settings.INSTALLED_APPS
    ours = [app for app in apps if app.startswith("parsoc.web.")]
    assert ours == ["parsoc.web.core", *(d.app for d in declarations())]


def test_every_declared_url_module_router_and_demo_loader_resolves():
    for d in declarations():
        if d.api_router:
            assert load(d.api_router).__class__.__name__ == "Router"
        if d.demo:
            assert callable(load(d.demo))


@pytest.mark.django_db
def test_the_api_serves_every_declared_router(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for d in declarations():
        if d.api_router:
            assert any(p.startswith(f"/api{d.api_prefix}/") or p == f"/api{d.api_prefix}" for p in paths), d.app


@pytest.mark.django_db
def test_a_council_page_shows_every_declared_link_in_order(council_world, client_as):
    page = client_as(council_world.member).get(reverse("councils:detail", args=[council_world.chapter.slug]))
    links = [link for d in declarations() for link in d.links]
    labels = [link.label for link in links]
    assert [label for label in labels if label in ("Meetings", "Work", "Decisions", "Participatory budgeting")] == [
        "Meetings", "Work", "Decisions", "Participatory budgeting"]
    text = visible_text(page)
    assert all(link.label in text for link in links)
    html = page.content.decode()
    for link in links:
        assert f'href="{reverse(link.url_name, args=[council_world.chapter.slug])}"' in html


def test_notification_kinds_are_collected_from_the_declarations():
    assert {"opened", "blocked", "closing", "closed", "review"} <= set(notification_kinds())
