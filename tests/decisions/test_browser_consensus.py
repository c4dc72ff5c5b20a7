"""A full consensus run in a real browser: proposal, a concern, an amendment, a temperature
check, a block, the second round, the nine-tenths vote, the outcome."""

from __future__ import annotations

import pytest

from tests.fixtures_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def stance(page, label, reason=""):
    page.get_by_label(label, exact=True).check()
    if reason:
        page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Cast my stance").click()


def test_full_consensus_run(live_server, new_page, council_world, make_user):
    from parsoc.web.councils.models import Membership
    from parsoc.web.decisions import services
    from parsoc.web.decisions.models import Proposal

    w = council_world
    blocker = make_user("Bea Blocker")
    others = [make_user(f"Assembly {i}") for i in range(7)]
    for person in [blocker, *others]:
        Membership.objects.create(council=w.chapter, user=person, role="member")
    base = live_server.url
    # Bea's block without a reason is refused: the form comes back with status 400, which the
    # browser logs as a console error.
    fay, mo = new_page(), new_page(width=390, height=844)
    bea = new_page(allow=[r"status of 400 \(Bad Request\)"])
    for page, person in ((fay, w.facilitator), (mo, w.member), (bea, blocker)):
        log_in(page, base, person.email)

    # Mo proposes and opens it for discussion
    mo.goto(f"{base}/c/test-chapter/")
    mo.get_by_role("link", name="Decisions").click()
    mo.get_by_role("link", name="New proposal").click()
    mo.get_by_label("Title").fill("Move the kitchen")
    mo.get_by_label("Proposal", exact=True).fill("Move the kitchen to the north tent.")
    mo.get_by_role("button", name="Save draft").click()
    mo.get_by_role("button", name="Open for discussion").click()
    assert mo.get_by_test_id("stage").inner_text() == "Discussion"
    url = mo.url.split("#")[0]

    # Bea raises a concern, Fay offers an amendment and Mo takes it as a new version
    bea.goto(url)
    bea.get_by_label("Kind of comment").select_option("concern")
    bea.get_by_label("Comment", exact=True).fill("There is no water at the north tent.")
    bea.get_by_role("button", name="Post comment").click()
    bea.get_by_text("There is no water at the north tent.").wait_for()
    fay.goto(url)
    fay.get_by_label("Kind of comment").select_option("amendment")
    fay.get_by_label("Comment", exact=True).fill("Run a hose from the fountain.")
    fay.get_by_role("button", name="Post comment").click()
    mo.goto(url)
    mo.get_by_text("Amend the text").click()
    mo.get_by_label("New text").fill("Move the kitchen to the north tent and run a hose from the fountain.")
    mo.get_by_role("button", name="Save new version").click()
    mo.get_by_text("version 2").wait_for()
    assert "hose" in mo.get_by_test_id("proposal-body").inner_text()

    # temperature check: live, not binding
    fay.goto(url)
    fay.get_by_role("button", name="Start a temperature check").click()
    bea.goto(url)
    bea.get_by_label("How do you feel about it?").select_option("block")
    bea.get_by_label("Why").fill("No water.")
    bea.get_by_role("button", name="Share my temperature").click()
    mo.goto(url)
    mo.get_by_label("How do you feel about it?").select_option("agree")
    mo.get_by_role("button", name="Share my temperature").click()
    assert sorted(mo.get_by_test_id("temperature").inner_text().split(" · ")) == ["Agree: 1", "Block: 1"]

    # the decision opens under modified consensus
    fay.goto(url)
    fay.get_by_label("Decision rule").select_option("modified_consensus")
    fay.get_by_role("button", name="Open the decision").click()
    assert fay.get_by_test_id("stage").inner_text() == "Decision open"
    proposal = Proposal.objects.get(title="Move the kitchen")
    for person in others:
        services.cast(person, proposal, kind="agree")
    for page in (fay, mo):
        page.goto(url)
        stance(page, "Agree")
    # a block needs a reason: the form says so
    bea.goto(url)
    stance(bea, "Block")
    bea.get_by_role("alert").get_by_text("a block needs a reason").wait_for()
    stance(bea, "Block", "It evicts the kitchen collective from its water.")
    assert "Second round" in bea.get_by_test_id("result-status").inner_text()

    # the second round: the block still stands
    fay.goto(url)
    fay.get_by_role("button", name="Start the next round").click()
    fay.get_by_role("heading", name="Your stance — second round").wait_for()
    for person in others:
        services.cast(person, proposal, kind="agree")
    for page in (fay, mo):
        page.goto(url)
        stance(page, "Agree")
    bea.goto(url)
    stance(bea, "Block", "Still no water.")
    fay.goto(url)
    assert "Supermajority vote" in fay.get_by_test_id("result-status").inner_text()

    # the nine-tenths vote
    fay.get_by_role("button", name="Start the next round").click()
    fay.get_by_role("heading", name="Your stance — supermajority vote").wait_for()
    for person in others:
        services.cast(person, proposal, kind="yes")
    for page in (fay, mo):
        page.goto(url)
        stance(page, "Yes")
    bea.goto(url)
    stance(bea, "No")
    fay.goto(url)
    fay.get_by_label("Outcome statement").fill("The kitchen moves north; the hose goes in first.")
    fay.get_by_label("Review date").fill("2027-03-01")
    fay.get_by_role("button", name="Close and record the outcome").click()
    assert fay.get_by_test_id("outcome").inner_text() == "Passed"
    fay.get_by_text("yes is 9/10 of the yes and no votes, at least 9/10").wait_for()

    # voting after close is refused; the record verifies
    proposal.refresh_from_db()
    assert proposal.status == "passed" and proposal.outcome["round"] == 2
    from parsoc.decisions.record import verify
    from parsoc.web.decisions.services import export_log
    assert verify(export_log(w.member, w.chapter)).ok
