"""Playwright driving Debian's Chromium (``/usr/bin/chromium``) against a live test server.

``browser``: one headless Chromium per test module (skips — or fails under
``PARSOC_REQUIRE_ALL=1`` — when Chromium or Playwright is missing). ``new_page``: a fresh
browser context (its own cookies: a separate person) per call, closed after the test.
Use with ``live_server`` (pytest-django) for the server.
"""

from __future__ import annotations

import os
import shutil

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


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width: int = 1200, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, base: str, email: str) -> None:
    """Log ``email`` in on ``page`` (password ``tests.fixtures_web.PASSWORD``) and wait until
    the login page is left behind."""
    from tests.fixtures_web import PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
