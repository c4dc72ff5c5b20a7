"""Pages that need nothing from elsewhere, and forms that need no JavaScript.

* htmx is the copy django-htmx ships (``{% htmx_script %}``), configured by the page's
  ``htmx-config`` meta under the strict CSP (no inline styles, no eval);
* the footer's "API" link opens the OpenAPI docs, drawn from our own static files;
* with JavaScript switched off, a member still casts a stance on a proposal (a plain form post).

The ``new_page`` watch fails each test on a console error, a CSP violation or a request to
another origin.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(page, base: str, user) -> None:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])


def shipped_file(url: str) -> Path:
    """The file of django-htmx's package that a ``/static/django_htmx/...`` URL serves."""
    import django_htmx

    name = url.split("/static/django_htmx/", 1)[1].split("?")[0]
    return Path(django_htmx.__file__).parent / "static" / "django_htmx" / name


def test_htmx_comes_from_django_htmx_and_keeps_its_config(live_server, new_page, council_world):
    from playwright.sync_api import expect

    base = live_server.url
    page = new_page()
    logged_in(page, base, council_world.member)
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(f"{base}/")
    page.wait_for_function("() => window.htmx !== undefined")
    ours = [url for url in scripts if "/static/django_htmx/htmx" in url]
    assert len(ours) == 1 and not any("/static/parsoc/htmx" in url for url in scripts), scripts
    assert f'"{page.evaluate("htmx.version")}"' in shipped_file(ours[0]).read_text()
    config = page.evaluate("({e: htmx.config.allowEval, s: htmx.config.allowScriptTags, i: htmx.config.includeIndicatorStyles})")
    assert config == {"e": False, "s": False, "i": False}
    # htmx works: it fetches the header's unread badge (its hx-get) into place, CSRF header and all.
    with page.expect_response(lambda r: r.url.endswith("/notifications/unread/")) as answer:
        page.evaluate("""htmx.ajax("GET", "/notifications/unread/", {target: document.querySelector("[hx-get$='/notifications/unread/']"), swap: "innerHTML"})""")
    assert answer.value.status == 200 and answer.value.request.headers.get("hx-request") == "true"
    expect(page.get_by_role("link", name=re.compile("Inbox"))).to_be_visible()


def test_footer_api_link_opens_the_docs_from_our_own_files(live_server, new_page):
    from playwright.sync_api import expect

    page = new_page(width=390, height=844)
    page.goto(f"{live_server.url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="API").click()
    page.wait_for_url(re.compile(r"/api/docs$"))
    expect(page.get_by_role("heading", name="parsoc API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()


def test_a_stance_is_cast_with_javascript_off(live_server, browser, council_world):
    from playwright.sync_api import expect

    from parsoc.web.decisions import services

    w = council_world
    proposal = services.create_proposal(w.facilitator, w.chapter, title="Paint the hall green",
                                        body="Green walls, white ceiling.")
    services.set_stage(w.facilitator, proposal, "discussion")
    proposal = services.open_decision(w.facilitator, proposal, rule="simple_majority")
    base = live_server.url
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        logged_in(page, base, w.member)
        page.goto(f"{base}{proposal.get_absolute_url()}")
        assert page.evaluate("1") == 1  # Playwright's own evaluate still runs; the page's scripts do not
        stance = page.locator("#stance")
        stance.get_by_role("radio").first.check()
        chosen = stance.locator("input[type=radio]:checked + *, label:has(input:checked)").first.inner_text().strip()
        stance.get_by_label("Reason").fill("Green is calming.")
        stance.get_by_role("button", name="Cast my stance").click()
        page.wait_for_load_state()
        expect(page.locator("#stance")).to_contain_text(re.compile(f"Now: {re.escape(chosen)}", re.IGNORECASE))
        expect(page.locator("#stance")).to_contain_text("Green is calming.")
    finally:
        context.close()
    from parsoc.web.decisions.models import Stance

    assert Stance.objects.filter(proposal=proposal, member=w.member, reason="Green is calming.").exists()
