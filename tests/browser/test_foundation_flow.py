"""The foundation's whole flow in a real browser: two people, each in their own browser context."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.fixtures_web import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def last_link(to: str, pattern: str) -> str:
    for message in reversed(mail.outbox):
        if to in message.to:
            found = re.search(pattern, message.body)
            if found:
                return found.group(0)
    raise AssertionError(f"no email to {to} with a link matching {pattern}")


def sign_up(page, base: str, name: str, email: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("City").fill("Edinburgh")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    page.goto(last_link(email, r"http://\S+/accounts/confirm/\S+"))
    page.get_by_role("button", name="Confirm and log in").click()
    page.get_by_text("Your email address is confirmed").wait_for()


def test_sign_up_create_invite_join_announce(live_server, new_page):
    base = live_server.url
    ana, ben = new_page(), new_page(width=390, height=844)  # Ben is on a phone

    sign_up(ana, base, "Ana Facilitator", "ana@example.org")
    ana.get_by_role("link", name="Start a council").click()
    ana.get_by_label("Name").fill("Leith Chapter")
    ana.get_by_label("Kind").select_option("chapter")
    ana.get_by_label("City").fill("Edinburgh")
    ana.get_by_label("How people join").select_option("invitation")
    ana.get_by_role("button", name="Create council").click()
    ana.get_by_role("heading", name="Leith Chapter").wait_for()
    ana.get_by_text("you are its facilitator").wait_for()

    ana.get_by_role("link", name="Members & invitations").click()
    ana.get_by_label("Emails").fill("ben@example.org")
    ana.get_by_role("button", name="Invite").click()
    ana.get_by_text("Invitation sent to ben@example.org").wait_for()

    sign_up(ben, base, "Ben Member", "ben@example.org")
    ben.goto(last_link("ben@example.org", r"http://\S+/invitations/\S+/"))
    ben.get_by_role("heading", name="Join Leith Chapter").wait_for()
    ben.get_by_role("button", name="Accept and join").click()
    ben.get_by_text("Welcome to Leith Chapter!").wait_for()
    assert ben.get_by_role("link", name="Ben Member").count() >= 1  # listed among the members

    ana.goto(f"{base}/c/leith-chapter/")
    if not ana.get_by_label("Title").is_visible():
        ana.get_by_text("Post an announcement").click()
    ana.get_by_label("Title").fill("First meeting")
    ana.get_by_label("Body").fill("Saturday at ten, in the library.")
    ana.get_by_role("button", name="Post announcement").click()
    ana.get_by_text("Announcement posted").wait_for()

    ben.goto(f"{base}/")
    assert ben.get_by_test_id("unread-count").inner_text().strip() == "1"
    ben.get_by_role("link", name=re.compile("Inbox")).click()
    ben.get_by_role("link", name="First meeting").wait_for()
    assert "Saturday at ten" in ben.get_by_test_id("notice").first.inner_text()
    ben.goto(f"{base}/")
    assert ben.get_by_test_id("unread-count").count() == 0  # read now
    assert any("ben@example.org" in m.to for m in mail.outbox if "First meeting" in m.subject)
