"""In a real browser: a member commits to a secret (the page computes the commitment, the secret
stays in the browser), reveals it, and the facilitator draws; the page shows the selected member."""

from __future__ import annotations

import pytest

from tests.fixtures_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commit_reveal_in_the_browser(live_server, new_page, make_user):
    from parsoc.councils.kinds import CouncilKind, Role
    from parsoc.lot.seed import commitment, seed_from_reveals
    from parsoc.web.councils.models import Council, Membership
    from parsoc.web.lot.models import Commitment, Selection

    council = Council.objects.create(name="Tenants", slug="tenants", kind=CouncilKind.CHAPTER)
    fay, mo = make_user("Fay"), make_user("Mo")
    Membership.objects.create(council=council, user=fay, role=Role.FACILITATOR)
    Membership.objects.create(council=council, user=mo, role=Role.MEMBER)
    base = live_server.url

    facilitator = new_page()
    log_in(facilitator, base, fay.email)
    facilitator.goto(f"{base}/c/tenants/lot/")
    facilitator.get_by_label("Title").fill("Spoke for the housing council")
    facilitator.get_by_label("How many people to select").fill("1")
    facilitator.get_by_label("Quotas").fill("floor, upper, 0, 1\nfloor, ground, 0, 1")
    facilitator.get_by_label("The random seed comes from").select_option("commit")
    facilitator.get_by_role("button", name="Open the pool").click()
    facilitator.wait_for_url(lambda url: "/lot/new" not in url and url.rstrip("/").split("/")[-1].isdigit())
    page_url = facilitator.url

    member = new_page()
    log_in(member, base, mo.email)
    member.goto(page_url)
    member.get_by_label("floor").select_option("upper")
    member.get_by_role("button", name="Volunteer").click()
    member.get_by_text("You are in the pool.").wait_for()

    facilitator.goto(page_url)
    facilitator.get_by_role("button", name="Close the pool and compute the chances").click()
    facilitator.get_by_text("Probabilities computed: everyone").wait_for()

    member.goto(page_url)
    assert member.get_by_test_id("my-probability").inner_text() == "1.00"
    member.get_by_label("Your secret (kept in your browser)").fill("blue heron at dawn")
    digest = member.get_by_label("Its commitment")
    expected = commitment("blue heron at dawn")
    member.wait_for_function("(want) => document.querySelector('.lot-digest').value === want", arg=expected)
    assert digest.input_value() == expected
    member.get_by_role("button", name="Commit").click()
    member.get_by_text("Your commitment is recorded").wait_for()
    assert Commitment.objects.get(user=mo).digest == expected
    assert Commitment.objects.get(user=mo).secret == ""  # the secret never left the browser

    facilitator.goto(page_url)
    facilitator.get_by_role("button", name="Close the commitments").click()
    facilitator.get_by_text("Commitments closed:").wait_for()
    member.goto(page_url)
    member.get_by_label("Your secret").fill("blue heron at dawn")
    member.get_by_role("button", name="Reveal").click()
    member.get_by_text("Your secret matches your commitment.").wait_for()
    facilitator.goto(page_url)
    facilitator.get_by_role("button", name="Draw with the revealed secrets").click()
    facilitator.get_by_test_id("panel").wait_for()
    assert facilitator.get_by_test_id("panel").inner_text().strip() == "Mo"
    selection = Selection.objects.get()
    assert selection.seed == seed_from_reveals({str(mo.pk): expected}, {str(mo.pk): "blue heron at dawn"})
    assert facilitator.get_by_test_id("seed").inner_text() == selection.seed
