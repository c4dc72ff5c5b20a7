"""Digest preferences in a real browser: a member asks for announcements in the daily digest,
a facilitator posts one, no mail leaves at once, and the digest command sends it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command

from tests.fixtures_web import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=re.compile("Inbox")).wait_for()


def test_a_kind_set_to_the_daily_digest_comes_in_the_digest_only(live_server, new_page, council_world, settings):
    settings.PARSOC_SITE_URL = live_server.url
    base, w = live_server.url, council_world
    mo, fay = new_page(width=390, height=844), new_page()  # Mo is on a phone

    log_in(mo, base, w.member.email)
    mo.goto(f"{base}/accounts/profile/")
    mo.get_by_role("link", name="Notification preferences").click()
    mo.get_by_role("heading", name="Notification preferences").wait_for()
    announcements = mo.get_by_role("group", name="An announcement is posted")
    announcements.get_by_label("In the daily digest").check()
    mo.get_by_role("button", name="Save preferences").click()
    mo.get_by_text("Your notification preferences are saved.").wait_for()
    assert mo.get_by_role("group", name="An announcement is posted").get_by_label("In the daily digest").is_checked()
    assert mo.get_by_role("group", name="Someone mentions you").get_by_label("E-mail at once").is_checked()

    log_in(fay, base, w.facilitator.email)
    fay.goto(f"{base}/c/test-chapter/")
    if not fay.get_by_label("Title").is_visible():
        fay.get_by_text("Post an announcement").click()
    fay.get_by_label("Title").fill("Picnic on Saturday")
    fay.get_by_label("Body").fill("Bring something to share.")
    fay.get_by_role("button", name="Post announcement").click()
    fay.get_by_text("Announcement posted").wait_for()

    assert not [m for m in mail.outbox if w.member.email in m.to]  # no mail at once
    mo.goto(f"{base}/")
    assert mo.get_by_test_id("unread-count").inner_text().strip() == "1"  # but in the inbox

    call_command("send_digests")
    (digest,) = [m for m in mail.outbox if w.member.email in m.to]
    assert "[Test Chapter] Picnic on Saturday" in digest.body
    link = re.search(rf"{re.escape(base)}/c/test-chapter/\S*", digest.body).group(0)
    mo.goto(link)
    mo.get_by_role("heading", name="Picnic on Saturday").wait_for()

    call_command("send_digests")  # again the same day: nothing twice
    assert len([m for m in mail.outbox if w.member.email in m.to]) == 1
