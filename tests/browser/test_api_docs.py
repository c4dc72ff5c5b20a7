"""``/api/docs`` in a real browser: Swagger UI from our own static files renders every
operation under the strict Content-Security-Policy, with no request to any other origin (the
``new_page`` watch fails the test on a CSP violation, a console error or an outside request)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_the_operations_from_our_own_files(live_server, new_page):
    from playwright.sync_api import expect

    page = new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto(f"{live_server.url}/api/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="parsoc API")).to_be_visible()
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    me = page.locator('.opblock-summary-path[data-path="/api/me"]')
    expect(me).to_have_count(1)
    assert operations.count() > 20
    me.click()  # opens one operation
    expect(page.get_by_role("button", name="Try it out")).to_be_visible()
    assert any(url.endswith("/api/openapi.json") for url in requests)
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests), requests
