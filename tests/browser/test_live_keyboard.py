"""The live meeting page by keyboard alone, as a screen reader hears it.

Every control of the page is reached with Tab (and shows a visible focus ring); raising a hand,
calling the next speaker, switching a stack rule, starting a temperature check and answering it
are done with Enter and Space only; each change is said in words in the page's status region
(``role="status"``, ``aria-live="polite"``) on the other person's screen.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The focused element: its name as a person hears it, and whether its focus is visible.
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  const style = getComputedStyle(el);
  return {
    name: (el.getAttribute("aria-label") || label || el.textContent || el.name || "").trim(),
    tag: el.tagName.toLowerCase(),
    visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    inside: !!el.closest("#live"),
  };
}"""

#: Every control of the live page a person can use now.
_CONTROLS = """() => [...document.querySelectorAll("#live button, #live input")]
  .filter((el) => el.offsetParent !== null && !el.disabled)
  .map((el) => ((el.getAttribute("aria-label") || (el.labels && el.labels.length ? el.labels[0].textContent : "")
                 || el.textContent || el.name || "").trim()))"""


@pytest.fixture(autouse=True)
def _patient_expectations():
    """The shared 2-core machine can be slow: wait up to 15 s (as the pages do), not 5."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def person_page(new_page, base, user, **size):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = new_page(**size)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    return page


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the control called ``name`` has the focus (its focus ring visible)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            continue
        seen.append(focused["name"])
        if focused["name"].startswith(name):
            assert focused["visible"], f"{name!r} has the focus but no visible focus ring"
            return
    raise AssertionError(f"Tab never reached {name!r}; it went through {seen}")


def tab_cycle(page, limit: int = 120) -> set[str]:
    """The names of the live page's controls that Tab reaches, going once round the page."""
    reached = set()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            continue
        if focused["inside"]:
            assert focused["visible"], f"{focused['name']!r} has the focus but no visible focus ring"
            if focused["name"] in reached:
                break
            reached.add(focused["name"])
    return reached


def test_live_meeting_by_keyboard_with_announcements(live_server, new_page, council_world):
    from playwright.sync_api import expect

    from parsoc.web.meetings.models import Meeting

    w = council_world
    meeting = Meeting.objects.create(council=w.chapter, title="General assembly",
                                     start=timezone.now() + timedelta(hours=1))
    base = live_server.url
    url = f"{base}/meetings/{meeting.pk}/live/"
    keeper = person_page(new_page, base, w.facilitator)
    mo = person_page(new_page, base, w.member, width=390, height=844)  # Mo is on a phone
    for page in (keeper, mo):
        page.goto(url)
        expect(page.get_by_test_id("connection")).to_have_text("live")

    # Every control is reachable with Tab, with a visible focus ring.
    for page in (keeper, mo):
        controls = set(page.evaluate(_CONTROLS))
        assert controls and controls <= tab_cycle(page), controls - tab_cycle(page)

    expect(keeper.get_by_test_id("announce")).to_have_attribute("role", "status")

    # Mo raises a hand with the keyboard; the keeper's screen reader hears it.
    tab_to(mo, "New point")
    mo.keyboard.press("Enter")
    expect(keeper.get_by_test_id("queue").locator("li")).to_have_text(["Mo Member — new point"])
    expect(keeper.get_by_test_id("announce")).to_contain_text("Mo Member raised a hand: new point.")

    # The keeper calls the next speaker; Mo hears that he has the floor.
    tab_to(keeper, "Next speaker")
    keeper.keyboard.press("Enter")
    expect(mo.get_by_test_id("speaking")).to_have_text("Mo Member")
    expect(mo.get_by_test_id("announce")).to_contain_text("Now speaking: Mo Member.")

    # A stack rule with Space.
    fewest = keeper.get_by_label("Fewest turns first")
    was = fewest.is_checked()
    tab_to(keeper, "Fewest turns first")
    keeper.keyboard.press("Space")
    expect(fewest).to_be_checked(checked=not was)

    # A temperature check: typed and started with Enter, answered with Space.
    tab_to(keeper, "Temperature check")
    keeper.keyboard.type("Meet on Tuesdays?")
    keeper.keyboard.press("Enter")
    expect(mo.get_by_test_id("announce")).to_contain_text("Temperature check: Meet on Tuesdays?")
    tab_to(mo, "Agree")
    mo.keyboard.press("Space")
    expect(keeper.get_by_test_id("agree")).to_have_text("1")
