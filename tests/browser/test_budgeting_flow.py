"""A whole participatory budgeting process in a real browser: a facilitator and a member.

The facilitator starts the process, the member proposes projects and comments, the facilitator
reviews them with costs and opens voting, both vote, and the results page shows the funded
projects, who paid what (Equal Shares) and the chart; the process exports as a .pb file.
"""

from __future__ import annotations

import pytest

from tests.fixtures_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_whole_budgeting_process(live_server, new_page, council_world):
    from parsoc.choice import parse_pabulib

    base = live_server.url
    w = council_world
    fay, mo = new_page(), new_page(width=390, height=844)  # Mo is on a phone
    log_in(fay, base, w.facilitator.email)
    log_in(mo, base, w.member.email)

    fay.goto(f"{base}/c/test-chapter/")
    fay.get_by_role("link", name="Participatory budgeting").click()
    fay.get_by_label("Title", exact=True).fill("Neighbourhood fund 2026")
    fay.get_by_label("Budget", exact=True).fill("1000")
    fay.get_by_label("Ballot", exact=True).select_option("approval")
    fay.get_by_label("Rule", exact=True).select_option("equal-shares")
    fay.get_by_role("button", name="Start process").click()
    fay.get_by_role("heading", name="Neighbourhood fund 2026").wait_for()
    process_url = fay.url

    mo.goto(process_url)
    for title in ("Community garden", "Bike repair stand", "Street party"):
        mo.get_by_label("Project title").fill(title)
        mo.get_by_role("button", name="Propose").click()
        mo.get_by_text(f"Project “{title}” proposed.").wait_for()
    mo.get_by_label("Comment on Community garden").fill("We have volunteers for watering.")
    mo.get_by_role("button", name="Comment").first.click()
    mo.get_by_text("We have volunteers for watering.").wait_for()

    fay.goto(process_url)
    fay.get_by_role("button", name="Move to the next phase").click()
    fay.get_by_text("The process is now at: Review and cost estimates.").wait_for()
    for title, cost in (("Community garden", "600"), ("Bike repair stand", "300"), ("Street party", "500")):
        fay.get_by_label(f"Cost of {title}").fill(cost)
        fay.locator(f"form:has(#{fay.get_by_label(f'Cost of {title}').get_attribute('id')})").get_by_role("button", name="Feasible", exact=True).click()
        fay.get_by_text(f"“{title}” marked feasible.").wait_for()
    fay.get_by_role("button", name="Move to the next phase").click()
    fay.get_by_text("The process is now at: Voting.").wait_for()

    fay.get_by_label("Community garden (600.00 EUR)").check()
    fay.get_by_label("Bike repair stand (300.00 EUR)").check()
    fay.get_by_role("button", name="Cast ballot").click()
    fay.get_by_text("Your ballot is recorded.").wait_for()
    mo.goto(process_url)
    mo.get_by_label("Community garden (600.00 EUR)").check()
    mo.get_by_role("button", name="Cast ballot").click()
    mo.get_by_text("Your ballot is recorded.").wait_for()

    fay.get_by_role("button", name="Move to the next phase").click()
    fay.get_by_text("The process is now at: Results.").wait_for()
    mo.goto(process_url)
    mo.get_by_role("link", name="See the results").click()
    mo.get_by_role("heading", name="Results of Neighbourhood fund 2026").wait_for()
    funded = mo.get_by_role("table").inner_text()
    # Each voter holds 500: the garden (600) is paid 300 + 300; the stand (300) only by Fay, who has 200 left.
    assert "Community garden" in funded and "Bike repair stand" not in funded
    mo.get_by_role("img", name="Votes per project, funded projects highlighted").wait_for()
    # bar lengths come from data-width through parsoc/sizes.js (no style attributes under the CSP)
    assert mo.locator(".budgeting-bar").first.evaluate("e => e.style.width") == "100%"
    mo.get_by_text("Community garden: 2 voters paid 600.00").click()
    mo.get_by_text("300.00").first.wait_for()

    with fay.expect_download() as download:
        fay.get_by_role("link", name="Export .pb").click()
    text = open(download.value.path(), encoding="utf-8").read()
    election = parse_pabulib(text)
    assert len(election.ballots) == 2 and len(election.projects) == 3
