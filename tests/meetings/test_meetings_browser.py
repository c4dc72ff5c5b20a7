"""Meetings in a real browser, several people at once (each in their own browser context)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from parsoc.councils.kinds import Role
from parsoc.web.councils.models import Membership
from parsoc.web.meetings.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _patient_expectations():
    """The shared 2-core machine can be slow: wait up to 15 s (as the pages do), not 5."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def person_page(new_page, base, user, **size):
    """A browser context logged in as ``user`` (session cookie made server-side)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = new_page(**size)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": base}])
    return page


@pytest.fixture
def chapter(council_world, make_user):
    """The test chapter with two more members, Ivy and Gus."""
    extra = [make_user("Ivy Member"), make_user("Gus Member")]
    for user in extra:
        Membership.objects.create(council=council_world.chapter, user=user, role=Role.MEMBER)
    return council_world, extra


def test_scheduling_poll_answered_by_four_and_finalised(live_server, new_page, chapter):
    world, (ivy, gus) = chapter
    base = live_server.url
    day = (timezone.now() + timedelta(days=20)).date()
    fay = person_page(new_page, base, world.facilitator)
    fay.goto(f"{base}/c/{world.chapter.slug}/meetings/")
    fay.get_by_text("Find a time: start a poll").click()
    fay.get_by_label("Poll title").fill("Winter assembly")
    fay.get_by_role("button", name="Start the poll").click()
    fay.get_by_role("heading", name="Winter assembly").wait_for()
    poll_url = fay.url
    for hour in ("18:00", "19:30"):
        fay.get_by_label("Start (local time)").fill(f"{day.isoformat()}T{hour}")
        fay.get_by_label("Time zone").fill("Europe/Berlin")
        fay.get_by_label("Minutes").fill("90")
        fay.get_by_role("button", name="Add the time").click()
    expect(fay.locator("[data-testid^=option-]")).to_have_count(2)

    answers = {  # person: (first option, second option)
        world.facilitator: ("yes", "ifneedbe"),
        world.member: ("no", "yes"),
        ivy: ("ifneedbe", "yes"),
        gus: ("yes", "yes"),
    }
    pages = {user: fay if user == world.facilitator else person_page(new_page, base, user, width=390, height=844)
             for user in answers}
    for user, (first, second) in answers.items():
        page = pages[user]
        page.goto(poll_url)
        page.get_by_test_id(f"answer-0-{first}").check()
        page.get_by_test_id(f"answer-1-{second}").check()
        page.get_by_role("button", name="Save my answer").click()
        page.get_by_text("Your answer is saved.").wait_for()

    fay.goto(poll_url)
    second_row = fay.get_by_test_id("option-1")
    expect(second_row.get_by_test_id("yes")).to_have_text("3")
    expect(second_row.get_by_test_id("ifneedbe")).to_have_text("1")
    expect(second_row.get_by_test_id("best")).to_be_visible()
    # the heat colour comes from data-heat through parsoc/sizes.js (no style attributes under the CSP)
    assert second_row.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    expect(fay.get_by_test_id("option-0").get_by_test_id("yes")).to_have_text("2")

    mail.outbox.clear()
    fay.get_by_role("button", name="Finalise and invite").click()
    fay.get_by_text("The meeting is scheduled and the invitations are sent.").wait_for()
    expect(fay.get_by_test_id("meeting-when")).to_contain_text("18:30 UTC")  # 19:30 in Berlin
    meeting = Meeting.objects.get()
    assert meeting.start.hour == 18 and meeting.start.minute == 30  # 19:30 CET = 18:30 UTC
    # one invitation, with the .ics, to each member but the facilitator who finalised it
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in (world.member, ivy, gus))
    assert all(m.attachments[0][0] == "meeting.ics" for m in mail.outbox)

    late = pages[gus]
    late.goto(poll_url)
    expect(late.get_by_test_id("poll-closed")).to_be_visible()
    expect(late.get_by_role("button", name="Save my answer")).to_have_count(0)


@pytest.fixture
def live_meeting(chapter):
    world, extra = chapter
    meeting = Meeting.objects.create(council=world.chapter, title="General assembly",
                                     start=timezone.now() + timedelta(hours=1))
    return world, extra, meeting


def _queue(page):
    return page.get_by_test_id("queue").locator("li")


def test_three_hands_of_different_kinds_are_ordered_by_the_rules(live_server, new_page,
                                                                  live_meeting):
    world, (ivy, gus), meeting = live_meeting
    base = live_server.url
    url = f"{base}/meetings/{meeting.pk}/live/"
    keeper = person_page(new_page, base, world.facilitator)
    # Mo's second "New point" is refused (400): the page shows why; the browser logs the 400.
    mo = person_page(new_page, base, world.member, width=390, height=844,
                     allow=[r"status of 400 \(Bad Request\)"])
    ivy_p = person_page(new_page, base, ivy, width=390, height=844)
    gus_p = person_page(new_page, base, gus)
    for page in (keeper, mo, ivy_p, gus_p):
        page.goto(url)
        expect(page.get_by_test_id("connection")).to_have_text("live")

    # Mo has had a turn already.
    mo.get_by_role("button", name="New point").click()
    expect(_queue(keeper)).to_have_text(["Mo Member — new point"])
    keeper.get_by_role("button", name="Next speaker").click()
    expect(mo.get_by_test_id("speaking")).to_have_text("Mo Member")

    # Now three hands: Mo a new point, Ivy a new point (never spoken), Gus a point of process.
    mo.get_by_role("button", name="New point").click()
    expect(_queue(keeper)).to_have_count(1)
    ivy_p.get_by_role("button", name="New point").click()
    expect(_queue(keeper)).to_have_count(2)
    gus_p.get_by_role("button", name="Point of process").click()
    expected = ["Gus Member — point of process", "Ivy Member — new point", "Mo Member — new point"]
    for page in (keeper, mo, ivy_p, gus_p):  # everyone sees it, nobody reloaded
        expect(_queue(page)).to_have_text(expected)
        expect(page.get_by_test_id("next")).to_have_text("Gus Member")

    # A late joiner sees the current state at once.
    late = person_page(new_page, base, world.member)
    late.goto(url)
    expect(_queue(late)).to_have_text(expected)
    expect(late.get_by_test_id("speaking")).to_have_text("Mo Member")

    keeper.get_by_role("button", name="Next speaker").click()
    for page in (keeper, mo, ivy_p, gus_p, late):
        expect(page.get_by_test_id("speaking")).to_have_text("Gus Member")
        expect(page.get_by_test_id("next")).to_have_text("Ivy Member")

    # The stack keeper switches the progressive rules off: Mo raised before Ivy, so he leads.
    keeper.get_by_label("Not yet spoken first").uncheck()
    keeper.get_by_label("Fewest turns first").uncheck()
    expect(_queue(ivy_p)).to_have_text(["Mo Member — new point", "Ivy Member — new point"])
    keeper.get_by_label("Not yet spoken first").check()
    expect(_queue(ivy_p)).to_have_text(["Ivy Member — new point", "Mo Member — new point"])

    # A member cannot call the next speaker; the page says why.
    expect(mo.get_by_role("button", name="Next speaker")).to_have_count(0)
    mo.get_by_role("button", name="New point").click()
    expect(mo.get_by_test_id("live-error")).to_have_text(
        "Mo Member already has a hand raised for a new point")


def test_temperature_check_aggregates_live(live_server, new_page, live_meeting, monkeypatch):
    from parsoc.web.meetings import stream

    # Streams end after 1.5 s here, so the browsers' EventSource reconnects all the time and a
    # connection is really dropped while Gus is offline.
    monkeypatch.setattr(stream, "WSGI_LIFETIME", 1.5)
    world, (ivy, gus), meeting = live_meeting
    base = live_server.url
    url = f"{base}/meetings/{meeting.pk}/live/"
    keeper = person_page(new_page, base, world.facilitator)
    # Gus goes offline below: his browser logs the stream's failed reconnections.
    people = [person_page(new_page, base, u, width=390, height=844,
                          allow=[r"ERR_INTERNET_DISCONNECTED"] if u == gus else [])
              for u in (world.member, ivy, gus)]
    for page in (keeper, *people):
        page.goto(url)
        expect(page.get_by_test_id("connection")).to_have_text("live")

    keeper.get_by_label("Temperature check").fill("Meet on Tuesdays from January?")
    keeper.get_by_role("button", name="Start").click()
    for page in people:
        expect(page.get_by_test_id("check-question")).to_have_text("Meet on Tuesdays from January?")
    mo, ivy_p, gus_p = people
    gus_p.context.set_offline(True)  # Gus's phone loses the network
    expect(gus_p.get_by_test_id("connection")).to_have_text("reconnecting…")
    mo.get_by_role("button", name="Agree", exact=True).click()
    ivy_p.get_by_role("button", name="Agree", exact=True).click()
    expect(keeper.get_by_test_id("agree")).to_have_text("2")
    gus_p.context.set_offline(False)  # back: the stream reconnects and shows the current state
    expect(gus_p.get_by_test_id("agree")).to_have_text("2")
    expect(gus_p.get_by_test_id("connection")).to_have_text("live")
    gus_p.get_by_role("button", name="Disagree", exact=True).click()
    for page in (keeper, *people):
        expect(page.get_by_test_id("agree")).to_have_text("2")
        expect(page.get_by_test_id("disagree")).to_have_text("1")
        expect(page.get_by_test_id("neutral")).to_have_text("0")
    gus_p.get_by_role("button", name="Neutral", exact=True).click()  # Gus changes his signal
    expect(keeper.get_by_test_id("disagree")).to_have_text("0")
    expect(keeper.get_by_test_id("neutral")).to_have_text("1")
    keeper.get_by_role("button", name="End the check").click()
    for page in people:
        expect(page.get_by_test_id("check")).to_be_hidden()
