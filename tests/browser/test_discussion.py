"""A threaded discussion between two people in two browsers: Mo comments on a proposal and
mentions Bea, Bea replies in the thread (on a phone-sized screen), Mo sees the reply, edits
his comment and its history keeps the first text, and Bea's inbox has the mention, which
leads to the comment."""

from __future__ import annotations

import re

import pytest

from tests.fixtures_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_threaded_discussion_with_a_mention(live_server, new_page, council_world, make_user):
    from parsoc.web.councils.models import Membership
    from parsoc.web.decisions import services

    w = council_world
    bea = make_user("Bea Bell")
    Membership.objects.create(council=w.chapter, user=bea, role="member")
    proposal = services.create_proposal(w.member, w.chapter, title="Paint the door", body="Red.")
    services.set_stage(w.member, proposal, "discussion")
    base = live_server.url
    url = f"{base}{proposal.get_absolute_url()}"
    mo, bea_page = new_page(), new_page(width=390, height=844)
    log_in(mo, base, w.member.email)
    log_in(bea_page, base, bea.email)

    # Mo writes, with Markdown and a mention
    mo.goto(url)
    mo.get_by_text("Who you can mention").click()
    assert "@bea-bell" in mo.get_by_test_id("handles").inner_text()
    mo.get_by_label("Comment", exact=True).fill("Could @bea-bell check the **paint**?\n\n- red\n- blue")
    mo.get_by_role("button", name="Post comment").click()
    first = mo.get_by_test_id("comment").first
    text = first.get_by_test_id("comment-body")
    text.get_by_text("check the").wait_for()
    assert text.locator("strong", has_text="paint").count() == 1
    assert text.locator("li").all_inner_texts() == ["red", "blue"]
    mention = text.get_by_role("link", name="@bea-bell")
    assert mention.get_attribute("href") == f"/accounts/people/{bea.pk}/"
    stamp = first.locator("time").first
    assert stamp.get_attribute("datetime") and stamp.get_attribute("title")
    assert re.fullmatch(r"(0 minutes|1 minute|\d+ seconds?) ago", stamp.inner_text().replace("\xa0", " "))

    # Bea replies in the thread
    bea_page.goto(url)
    bea_page.get_by_test_id("comment").first.get_by_text("Reply", exact=True).click()
    bea_page.get_by_label("Reply to Mo Member").fill("On it: blue it is.")
    bea_page.get_by_role("button", name="Post reply").click()
    reply = bea_page.locator(".comment.depth-1")
    reply.get_by_test_id("comment-body").get_by_text("On it: blue it is.").wait_for()
    assert "in reply to Mo Member" in reply.inner_text()
    assert bea_page.evaluate("document.documentElement.scrollWidth") <= 390

    # Mo sees the reply under his comment and edits his comment; the history keeps the first text
    mo.goto(url)
    mo.locator(".comment.depth-1").get_by_test_id("comment-body").get_by_text("On it: blue it is.").wait_for()
    mo.get_by_test_id("comment").first.get_by_role("link", name="Edit", exact=True).click()
    mo.get_by_label("Edit your comment").fill("Could @bea-bell check the **paint** (blue)?")
    mo.get_by_role("button", name="Save edit").click()
    mo.get_by_test_id("comment-body").get_by_text("(blue)?").wait_for()
    mo.get_by_role("link", name="· edited").click()
    assert "- red" in mo.get_by_test_id("version").inner_text()

    # Bea's inbox has the mention; it leads to the comment
    bea_page.goto(f"{base}/notifications/")
    bea_page.get_by_role("link", name="Mo Member mentioned you on “Paint the door”").click()
    bea_page.wait_for_url(re.compile(r".*#comment-\d+$"))
    bea_page.get_by_test_id("comment-body").get_by_text("check the").wait_for()
