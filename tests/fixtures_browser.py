"""Playwright driving Debian's Chromium (``/usr/bin/chromium``) against a live test server.

``browser``: one headless Chromium per test module (skips — or fails under
``PARSOC_REQUIRE_ALL=1`` — when Chromium or Playwright is missing). ``new_page``: a fresh
browser context (its own cookies: a separate person) per call, closed after the test.
Use with ``live_server`` (pytest-django) for the server.

Every page runs under the real Content-Security-Policy and is watched: console errors, uncaught
script errors (``pageerror``), CSP violations (``securitypolicyviolation`` events and the
browser's own "Content Security Policy" messages) and requests to any origin other than the
live server's are recorded, and the test fails at teardown if there was any. A page that
expects a console error (say, a refused request it shows to the user) names it:
``new_page(allow=[r"status of 400"])``.
"""

from __future__ import annotations

import os
import re
import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("PARSOC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's sync API keeps an event loop running in this
    thread while it is open, which would break ``asyncio.run`` in later, non-browser tests."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.skip("playwright is not installed (make install-test)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls tests make around
    # it are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


#: Runs in every page before its own scripts (init scripts are not subject to the page's CSP):
#: turns each CSP violation into a console error the watch records.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " refused " + (e.blockedURI || "inline")
    + " at " + (e.sourceFile || document.location.href) + ":" + e.lineNumber);
}, true);
"""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class PageWatch:
    """What went wrong in one browser context: console errors, page errors, CSP violations,
    requests to other origins (each a line in :attr:`problems`)."""

    LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}

    def __init__(self, origin: str | None, allow=()):
        self.origin = origin
        self.allow = [re.compile(pattern) for pattern in allow]
        self.problems: list[str] = []
        self._pages: set[int] = set()

    def _allowed(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.allow)

    def attach(self, context) -> None:
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("page", self._watch_page)
        context.on("request", self._request)

    def _watch_page(self, page) -> None:
        if id(page) in self._pages:
            return
        self._pages.add(id(page))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message) -> None:
        text = message.text
        csp = "Content Security Policy" in text or text.startswith("CSP violation")
        if (message.type == "error" or csp) and (csp or not self._allowed(text)):
            where = message.location.get("url", "") if message.location else ""
            self.problems.append(f"console {message.type}: {text} ({where})")

    def _request(self, request) -> None:
        url = request.url
        if not url.startswith(("http:", "https:", "ws:", "wss:")):
            return  # data:, blob:, about:
        origin = _origin(url)
        if self.origin is not None:
            outside = origin != self.origin
        else:
            outside = (urlsplit(url).hostname or "") not in self.LOCAL_HOSTS
        if outside:
            self.problems.append(f"request to another origin: {request.method} {url}")

    def flush(self, context) -> None:
        """Let events already sent by the browser reach :attr:`problems` (one round trip)."""
        for page in context.pages:
            try:
                page.evaluate("0")
            except Exception:  # a page that is closing or crashed: nothing more to read
                pass


@pytest.fixture
def new_page(browser, request):
    """``new_page(width=1200, height=900, allow=())``: a page in a fresh context (a separate
    person). ``allow``: regular expressions for console errors this page is expected to log
    (never CSP violations). Fails the test at teardown on anything :class:`PageWatch` saw."""
    origin = _origin(request.getfixturevalue("live_server").url) if "live_server" in request.fixturenames else None
    opened = []

    def make(width: int = 1200, height: int = 900, allow=()):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        watch = PageWatch(origin, allow)
        watch.attach(context)
        opened.append((context, watch))
        page = context.new_page()
        watch._watch_page(page)
        return page

    yield make
    problems = []
    for context, watch in opened:
        watch.flush(context)
        problems.extend(watch.problems)
        context.close()
    if problems:
        pytest.fail("the browser reported problems:\n" + "\n".join(f"- {p}" for p in problems), pytrace=False)


def log_in(page, base: str, email: str) -> None:
    """Log ``email`` in on ``page`` (password ``tests.fixtures_web.PASSWORD``) and wait until
    the login page is left behind."""
    from tests.fixtures_web import PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
