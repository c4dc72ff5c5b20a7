"""A planning year in real browsers: four people, each in their own browser context — two
worker councils and two consumer councils. Three rounds by hand (one council lets a round pass),
then their functions answer until the threshold is met; the federation adopts the plan by a
decision and each council sees its targets."""

from __future__ import annotations

import pytest

from tests.fixtures_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world(make_user):
    from parsoc.councils.kinds import CouncilKind, Role
    from parsoc.web.councils.models import Council, Membership
    from parsoc.web.planning import services

    people = {k: make_user(n) for k, n in (("bea", "Bea Baker"), ("milo", "Milo Miller"), ("nell", "Nell North"),
                                           ("sol", "Sol South"))}
    fed = Council.objects.create(name="Valley Federation", slug="valley", kind=CouncilKind.FEDERATION)
    Membership.objects.create(council=fed, user=people["bea"], role=Role.FACILITATOR)
    for key in ("milo", "nell", "sol"):
        Membership.objects.create(council=fed, user=people[key])
    for slug, kind, key in (("bakery", CouncilKind.WORKER_COUNCIL, "bea"), ("mill", CouncilKind.WORKER_COUNCIL, "milo"),
                            ("north", CouncilKind.CONSUMER_COUNCIL, "nell"), ("south", CouncilKind.CONSUMER_COUNCIL, "sol")):
        council = Council.objects.create(name=slug.title(), slug=slug, kind=kind, parent=fed)
        Membership.objects.create(council=council, user=people[key], role=Role.FACILITATOR)
    year = services.open_year(people["bea"], fed, title="Plan 2027", threshold_pct=10, goods=[
        {"category": "private", "name": "bread", "unit": "loaf"}, {"category": "intermediate", "name": "flour", "unit": "kg"},
        {"category": "nature", "name": "land", "unit": "ha", "endowment": 5},
        {"category": "labor", "name": "hours", "unit": "h", "endowment": 10}])
    return people, year


def test_four_councils_plan_a_year(live_server, new_page, make_user):
    from parsoc.web.planning import services
    from parsoc.web.planning.models import PlanningYear

    people, year = _world(make_user)
    base = live_server.url
    pages = {}
    for key, person in people.items():
        pages[key] = new_page()
        log_in(pages[key], base, person.email)
    home = f"{base}/c/valley/planning/{year.pk}/"
    council_of = {"bea": "bakery", "milo": "mill", "nell": "north", "sol": "south"}

    def propose(key, **quantities):
        page = pages[key]
        page.goto(f"{home}c/{council_of[key]}/")
        if key in ("nell", "sol"):
            for good, q in quantities.items():
                page.get_by_label(f"quantity of {good}").fill(str(q))
            page.get_by_role("button", name="Save my request").click()
            page.get_by_text("Your request is saved.").wait_for()
        else:
            for field, q in quantities.items():
                kind, good = field.split("_")
                page.get_by_label(f"{kind} of {good}").fill(str(q))
            page.get_by_role("button", name="Save the proposal").click()
            page.get_by_text("Proposal saved.").wait_for()

    def round_open(number):
        pages["bea"].goto(home)
        pages["bea"].get_by_text(f"Round {number} is open").wait_for()

    # round 1: everyone answers; the fourth answer closes the round
    propose("bea", output_bread=10, use_flour=5, use_hours=4)
    propose("milo", output_flour=6, use_land=3, use_hours=2)
    propose("nell", bread=2)
    round_open(1)
    propose("sol", bread=2)
    round_open(2)
    # the baker sees the board's view of her goods at round 2's prices
    pages["bea"].goto(f"{home}c/bakery/")
    pages["bea"].get_by_text("excess supply").first.wait_for()
    # round 2: the south council lets it pass; the facilitator closes it
    propose("bea", output_bread=7, use_flour=5, use_hours=4)
    propose("milo", output_flour=5, use_land=3, use_hours=3)
    propose("nell", bread=3)
    pages["bea"].goto(home)
    pages["bea"].get_by_text("1 council answering by hand has not answered yet").wait_for()
    pages["bea"].get_by_role("button", name="Close round 2 now").click()
    pages["bea"].get_by_text("Round 2 closed").wait_for()
    # round 3: everyone again
    propose("bea", output_bread=6, use_flour=4, use_hours=4)
    propose("milo", output_flour=5, use_land=4, use_hours=3)
    propose("nell", bread=3)
    propose("sol", bread=3)
    round_open(4)
    assert year.rounds.get(number=2).answered == 3 and year.rounds.get(number=3).answered == 4

    # now each council answers from its function
    functions = {"bea": ("bread", "flour = 0.3\nhours = 0.3"), "milo": ("flour", "land = 0.3\nhours = 0.3")}
    for key, (output, inputs) in functions.items():
        page = pages[key]
        page.goto(f"{home}c/{council_of[key]}/")
        page.get_by_label("Output good").select_option(output)
        page.get_by_label("Inputs, one per line").fill(inputs)
        page.get_by_role("button", name="Answer from this function").click()
        page.get_by_text("now answers each round from its function").wait_for()
    for key in ("nell", "sol"):
        page = pages[key]
        page.goto(f"{home}c/{council_of[key]}/")
        page.get_by_label("Exponents, one per line").fill("bread = 1")
        page.get_by_role("button", name="Answer from this function").click()
        page.get_by_text("now answers each round from its function").wait_for()
    for _ in range(150):
        services.close_round(people["bea"], year)
        if services.current_round(year) is None:
            break
    assert services.converged(year)

    # the facilitator puts the plan to the federation; two members agree; it passes
    bea = pages["bea"]
    bea.goto(home)
    bea.get_by_text("the plan is ready to be put to the federation").wait_for()
    bea.get_by_role("button", name="Put the plan to the federation").click()
    bea.get_by_role("heading", name="Adopt the plan").first.wait_for()
    decision_url = bea.url
    for key in ("bea", "milo"):
        page = pages[key]
        page.goto(decision_url)
        page.locator("input[name=kind][value=yes]").check()
        page.get_by_role("button", name="Cast my stance").click()
        page.get_by_text("You may change it until close").wait_for()
    bea.goto(decision_url)
    bea.get_by_role("button", name="Close and record the outcome").click()
    bea.goto(home)
    bea.get_by_text("The federation adopted the plan").wait_for()
    assert PlanningYear.objects.get(pk=year.pk).status == "adopted"
    for key in ("bea", "milo"):
        pages[key].goto(f"{home}c/{council_of[key]}/")
        pages[key].get_by_role("heading", name="Your targets in the adopted plan").wait_for()
    for key in ("nell", "sol"):
        pages[key].goto(f"{home}c/{council_of[key]}/")
        pages[key].get_by_role("heading", name="Your allocation in the adopted plan").wait_for()
