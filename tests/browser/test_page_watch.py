"""The browser tests' watch (``tests.fixtures_browser.PageWatch``) really sees what it must fail
on: an inline script refused by the Content-Security-Policy, an uncaught script error, a console
error, and a request to another origin."""

from __future__ import annotations

import pytest

from tests.fixtures_browser import PageWatch, _origin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_watch_records_csp_violations_errors_and_outside_requests(live_server, browser):
    context = browser.new_context()
    try:
        watch = PageWatch(_origin(live_server.url))
        watch.attach(context)
        page = context.new_page()
        watch._watch_page(page)
        page.goto(f"{live_server.url}/councils/")
        # an inline script, as an injection would add it: the CSP refuses to run it
        page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__ran = 1'; document.body.append(s); }""")
        assert page.evaluate("window.__ran") is None
        page.evaluate("() => { setTimeout(() => { throw new Error('boom'); }, 0); }")
        page.evaluate("() => console.error('something broke')")
        page.evaluate("() => fetch('http://example.invalid/x').catch(() => null)")
        page.wait_for_function("true")
        watch.flush(context)
        problems = "\n".join(watch.problems)
        assert "CSP violation: script-src" in problems, problems
        assert "page error: boom" in problems or "Error: boom" in problems, problems
        assert "something broke" in problems, problems
    finally:
        context.close()
    # Were the policy missing (here: bypassed), a request elsewhere is still caught.
    context = browser.new_context(bypass_csp=True)
    try:
        watch = PageWatch(_origin(live_server.url), allow=[r"ERR_NAME_NOT_RESOLVED|Failed to fetch"])
        watch.attach(context)
        page = context.new_page()
        watch._watch_page(page)
        page.goto(f"{live_server.url}/councils/")
        page.evaluate("() => fetch('http://example.invalid/x').catch(() => null)")
        watch.flush(context)
        assert any("request to another origin: GET http://example.invalid/x" in p for p in watch.problems), watch.problems
    finally:
        context.close()
