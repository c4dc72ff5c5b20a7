"""Planning pages and API: who may see and do what, bad input, rounds by hand."""

from __future__ import annotations

import numpy as np
import pytest

from parsoc.web.planning import services
from parsoc.web.planning.models import PersonalRequest, PlanProposal, unpack

pytestmark = pytest.mark.django_db


def url(world, *rest):
    base = f"/c/valley/planning/{world.year.pk}/"
    return base + "".join(rest)


def test_participants_are_worker_and_consumer_councils_at_any_depth(plan_world):
    kinds = sorted(plan_world.year.participants.values_list("council__slug", "kind"))
    assert kinds == [("bakery", "wc"), ("mill", "wc"), ("north", "cc"), ("south", "cc")]


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "facilitator"])
def test_year_page_by_visibility(plan_world, client_as, role):
    from parsoc.councils.kinds import Visibility

    person = {"anonymous": None, "outsider": plan_world.outsider, "member": plan_world.baker,
              "facilitator": plan_world.facilitator}[role]
    page = client_as(person).get(url(plan_world))
    assert page.status_code == 200 and b"Plan 2027" in page.content
    assert (b"Close round 1 now" in page.content) == (role == "facilitator")
    plan_world.federation.visibility = Visibility.MEMBERS
    plan_world.federation.save()
    page = client_as(person).get(url(plan_world))
    assert page.status_code == (200 if role in ("member", "facilitator") else 404)  # the baker's council takes part
    api = client_as(person).get(f"/api/planning/years/{plan_world.year.pk}")
    assert api.status_code == (200 if role in ("member", "facilitator") else 404)


def test_worker_council_proposes_by_hand_and_sees_ratio(plan_world, client_as):
    c = client_as(plan_world.baker)
    answer = c.post(url(plan_world, "c/bakery/propose/"), {"round": "1", "s:bread": "10", "d:flour": "5", "d:hours": "4"})
    assert answer.status_code == 302
    page = c.get(url(plan_world, "c/bakery/"))
    # benefit 10*700, cost (5+4)*700
    assert b"7000.00" in page.content and b"6300.00" in page.content and b"1.111" in page.content
    proposal = PlanProposal.objects.get(participant__council=plan_world.bakery)
    assert unpack(proposal.supply).tolist() == [0.0, 10.0]


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "facilitator"])
def test_only_members_act_for_a_worker_council(plan_world, client_as, role):
    # "member": a member of another council (the miller); "facilitator": of the federation
    person = {"anonymous": None, "outsider": plan_world.outsider, "member": plan_world.miller,
              "facilitator": plan_world.facilitator}[role]
    answer = client_as(person).post(url(plan_world, "c/bakery/propose/"), {"s:bread": "10"})
    assert answer.status_code in (302, 403) and answer.status_code != 302 or role == "anonymous"
    assert not PlanProposal.objects.exists()


def test_bad_input_is_refused_with_field_errors_and_nothing_written(plan_world, client_as):
    c = client_as(plan_world.baker)
    answer = c.post(url(plan_world, "c/bakery/propose/"), {"s:bread": "10", "d:flour": "-5"})
    assert answer.status_code == 400 and b"flour" in answer.content
    answer = c.post(url(plan_world, "c/bakery/propose/"), {"s:bread": "10", "d:cake": "1"})
    assert answer.status_code == 400 and b"not a good in this year" in answer.content
    answer = c.post(url(plan_world, "c/bakery/propose/"), {"s:bread": "1e400"})
    assert answer.status_code == 400
    assert not PlanProposal.objects.exists()


def test_proposal_after_the_round_closed(plan_world, client_as):
    services.close_round(plan_world.facilitator, plan_world.year)
    answer = client_as(plan_world.baker).post(url(plan_world, "c/bakery/propose/"), {"round": "1", "s:bread": "10"})
    assert answer.status_code == 400 and b"round 1 is closed" in answer.content
    assert not PlanProposal.objects.exists()


def test_personal_requests_within_budget_and_private(plan_world, client_as):
    nell, ola = client_as(plan_world.neighbour), client_as(plan_world.other_neighbour)
    over = nell.post(url(plan_world, "c/north/request/"), {"r:bread": "8"})  # 8 * 700 > 5000
    assert over.status_code == 400 and b"above your budget" in over.content
    assert not PersonalRequest.objects.exists() and not PlanProposal.objects.exists()
    assert nell.post(url(plan_world, "c/north/request/"), {"r:bread": "3"}).status_code == 302
    assert ola.post(url(plan_world, "c/north/request/"), {"r:bread": "4"}).status_code == 302
    page = nell.get(url(plan_world, "c/north/"))
    assert b'value="3"' in page.content and b'value="4"' not in page.content
    assert b"2100.00" in page.content  # Nell's cost
    proposal = PlanProposal.objects.get(participant__council=plan_world.north)
    assert unpack(proposal.demand).tolist() == [0.0, 7.0]  # the council sees the sum
    # a member of another council may not request here
    assert client_as(plan_world.baker).post(url(plan_world, "c/north/request/"), {"r:bread": "1"}).status_code == 403


def test_round_closes_when_all_answered_and_keeps_last_proposals(plan_world, client_as):
    year = plan_world.year
    for council, s, d in (("bakery", {"bread": 10}, {"flour": 5, "hours": 4}),
                          ("mill", {"flour": 6}, {"land": 3, "hours": 2})):
        person = plan_world.baker if council == "bakery" else plan_world.miller
        services.post_proposal(person, plan_world.participant(getattr(plan_world, council)), supply=s, demand=d)
    services.save_request(plan_world.neighbour, plan_world.participant(plan_world.north), {"bread": 4}, {"park": 2})
    assert services.current_round(year).number == 1
    services.save_request(plan_world.other_neighbour, plan_world.participant(plan_world.south), {"bread": 3})
    r1 = year.rounds.get(number=1)
    assert r1.closed_at is not None and r1.answered == 4
    supply, demand = unpack(r1.supply), unpack(r1.demand)
    assert supply.tolist() == [10, 6, 1000, 1000, 0]
    assert demand.tolist() == [7, 5, 3, 6, 1.0]  # park: the mean of the statements (2 + 0) / 2
    r2 = services.current_round(year)
    assert r2.number == 2 and unpack(r2.prices)[0] < 700 < unpack(r2.prices)[4]  # bread in excess supply, park in excess demand
    # round 2: only the bakery answers; the facilitator closes; the others keep round 1's
    services.post_proposal(plan_world.baker, plan_world.participant(plan_world.bakery), supply={"bread": 7},
                           demand={"flour": 5})
    services.close_round(plan_world.facilitator, year)
    r2.refresh_from_db()
    assert r2.answered == 1 and unpack(r2.supply)[0] == 7 and unpack(r2.demand)[1] == 5
    assert unpack(r2.demand)[0] == 7  # the consumer councils kept their requests


def test_api_read_post_and_bulk(plan_world, client_as):
    year = plan_world.year
    c = client_as(plan_world.baker)
    state = client_as(None).get(f"/api/planning/years/{year.pk}").json()
    assert state["open_round"]["prices"] == [700.0] * 5 and [g["name"] for g in state["goods"]][0] == "bread"
    ok = c.post(f"/api/planning/years/{year.pk}/councils/bakery/proposal",
                {"supply": {"bread": 2}, "demand": {"hours": 1}}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["round"] == 1
    bad = c.post(f"/api/planning/years/{year.pk}/councils/bakery/proposal", {"supply": {"cake": 2}},
                 content_type="application/json")
    assert bad.status_code == 400 and "cake" in bad.json()["detail"]
    other = c.post(f"/api/planning/years/{year.pk}/councils/mill/proposal", {"supply": {"flour": 2}},
                   content_type="application/json")
    assert other.status_code == 403
    # bulk: the facilitator may not act for councils with people in them
    bulk = client_as(plan_world.facilitator).post(f"/api/planning/years/{year.pk}/proposals",
                                                  {"proposals": [{"council": "mill", "supply": {"flour": 1}}]},
                                                  content_type="application/json")
    assert bulk.status_code == 403
    bulk = client_as(plan_world.miller).post(f"/api/planning/years/{year.pk}/proposals",
                                             {"proposals": [{"council": "mill", "supply": {"flour": 1}},
                                                            {"council": "nowhere", "supply": {"flour": 1}}]},
                                             content_type="application/json")
    assert bulk.status_code == 400 and "nowhere" in bulk.json()["detail"]
    assert PlanProposal.objects.filter(participant__council=plan_world.mill).count() == 0
    bulk = client_as(plan_world.miller).post(f"/api/planning/years/{year.pk}/proposals",
                                             {"proposals": [{"council": "mill", "supply": {"flour": 1}}]},
                                             content_type="application/json")
    assert bulk.status_code == 200 and bulk.json() == {"saved": 1}
    assert np.array_equal(unpack(plan_world.participant(plan_world.mill).latest.supply), [1.0, 1.0])


def test_simulated_councils_answer_from_functions_and_bulk(plan_world, client_as):
    # a separate federation filled from a generated economy, facilitated by Fran
    from parsoc.councils.kinds import CouncilKind, Role
    from parsoc.planning.generator import generate
    from parsoc.web.councils.models import Council, Membership

    fed = Council.objects.create(name="Sim", slug="sim", kind=CouncilKind.FEDERATION)
    Council.objects.create(name="x", slug="sim-x", kind=CouncilKind.CHAPTER, parent=fed)
    Membership.objects.create(council=fed, user=plan_world.facilitator, role=Role.FACILITATOR)
    economy = generate(ccs=4, wcs=6, per_category=2, seed=3)
    year = services.open_year(plan_world.facilitator, fed, title="Sim", goods=services.goods_of_economy(economy))
    assert services.import_economy(plan_world.facilitator, year, economy) == (6, 4)
    with pytest.raises(Exception, match="only the federation"):
        services.import_economy(plan_world.baker, year, economy)
    slugs = list(year.participants.filter(kind="wc").values_list("council__slug", flat=True))
    answer = client_as(plan_world.facilitator).post(
        f"/api/planning/years/{year.pk}/proposals",
        {"proposals": [{"council": s, "supply": {"private-1": 1}} for s in slugs[:2]]}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    r1 = year.rounds.get(number=1)  # everyone had answered: the bulk post closed the round
    assert r1.closed_at is not None and r1.answered == 10 and r1.participants == 10
    r2 = services.close_round(plan_world.facilitator, year)
    assert r2.number == 2 and r2.answered == 8  # the two councils answering by hand kept round 1's
    assert services.economy_edn(year).startswith("(ns parsoc.economy)")
    assert "bread" not in services.rounds_csv(year) and "private-1" in services.rounds_csv(year)


def _functions(world):
    services.set_function(world.baker, world.participant(world.bakery),
                          {"output": "bread", "a": 5, "s": 1, "c": 0.08, "k": 3.5, "inputs": {"flour": 0.3, "hours": 0.3}})
    services.set_function(world.miller, world.participant(world.mill),
                          {"output": "flour", "a": 5, "s": 1, "c": 0.08, "k": 3.5, "inputs": {"land": 0.3, "hours": 0.3}})
    # the park is made by the mill's second line... no: nobody makes it, so ask for none
    for council in (world.north, world.south):
        p = world.participant(council)
        p.params = services.check_consumer_function({"income": 5000, "exponents": {"bread": 1}},
                                                    services._index_by_name(world.year), services.sizes_of(world.year))
        p.answers = "function"
        p.save()


def test_function_errors_are_field_errors(plan_world):
    p = plan_world.participant(plan_world.bakery)
    with pytest.raises(services.FieldErrors) as error:
        services.set_function(plan_world.baker, p, {"output": "land", "a": -1, "s": 1, "c": 0.1, "k": 3,
                                                     "inputs": {"flour": 0.5, "cake": 0.1}})
    assert set(error.value.fields) == {"output", "a", "input cake"}
    with pytest.raises(services.FieldErrors, match="unbounded"):
        services.set_function(plan_world.baker, p, {"output": "bread", "a": 1, "s": 1, "c": 0.5, "k": 1,
                                                     "inputs": {"flour": 0.6}})
    with pytest.raises(Exception, match="facilitators"):
        services.set_function(plan_world.miller, p, {"output": "bread", "a": 1, "s": 1, "c": 0.1, "k": 3,
                                                      "inputs": {"flour": 0.5}})
    p.refresh_from_db()
    assert bytes(p.params) == b""


def test_adoption_by_decision_and_rejection_reopens(plan_world, client_as):
    from parsoc.web.decisions import services as decisions
    from parsoc.web.planning.models import PlanningYear

    world = plan_world
    # a year without a public good (nobody makes the park)
    goods = [{"category": "private", "name": "bread"}, {"category": "intermediate", "name": "flour"},
             {"category": "nature", "name": "land", "endowment": 5}, {"category": "labor", "name": "hours", "endowment": 10}]
    year2 = services.open_year(world.facilitator, world.federation, title="Plan 2028", goods=goods, rule="broyden",
                               threshold_pct=10)
    world.year = year2
    _functions(world)
    with pytest.raises(Exception, match="not met the threshold"):
        services.put_plan_to_decision(world.facilitator, year2)
    for _ in range(20):
        services.close_round(world.facilitator, year2)
        if services.current_round(year2) is None:
            break
    assert services.converged(year2)
    proposal = services.put_plan_to_decision(world.facilitator, year2, rule="simple_majority")
    year2.refresh_from_db()
    assert year2.status == "voting" and year2.plan_hash in proposal.body and year2.plan_hash[:16] in proposal.title
    decisions.cast(world.facilitator, proposal, kind="no")
    decisions.close(world.facilitator, proposal)
    assert services.settle(year2) == "reopened"
    assert year2.status == "open" and services.current_round(year2) is not None
    services.close_round(world.facilitator, year2)  # the functions answer the same prices again
    proposal = services.put_plan_to_decision(world.facilitator, year2, rule="simple_majority")
    decisions.cast(world.facilitator, proposal, kind="yes")
    decisions.close(world.facilitator, proposal)
    page = client_as(world.baker).get(f"/c/valley/planning/{year2.pk}/")  # the page follows the decision
    assert b"adopted the plan" in page.content
    assert PlanningYear.objects.get(pk=year2.pk).status == "adopted"
    page = client_as(world.baker).get(f"/c/valley/planning/{year2.pk}/c/bakery/")
    assert b"Your targets in the adopted plan" in page.content
    page = client_as(world.neighbour).get(f"/c/valley/planning/{year2.pk}/c/north/")
    assert b"Your allocation in the adopted plan" in page.content


def test_function_form(plan_world, client_as):
    c = client_as(plan_world.baker)
    bad = c.post(url(plan_world, "c/bakery/function/"), {"output": "bread", "a": "5", "s": "1", "c": "0.08", "k": "x",
                                                         "inputs": "flour = 0.3\ncake = 0.2"})
    assert bad.status_code == 400 and b"cake" in bad.content
    ok = c.post(url(plan_world, "c/bakery/function/"), {"output": "bread", "a": "5", "s": "1", "c": "0.08", "k": "3.5",
                                                        "inputs": "flour = 0.3\nhours = 0.3"})
    assert ok.status_code == 302
    p = plan_world.participant(plan_world.bakery)
    assert p.answers == "function" and services.function_of(p)["inputs"] == {"flour": 0.3, "hours": 0.3}
    page = c.get(url(plan_world, "c/bakery/"))
    assert b"answers from its function" in page.content
    # a plain member of the worker council may propose but not state the function
    assert client_as(plan_world.miller).post(url(plan_world, "c/bakery/function/"), {}).status_code == 403


def test_a_new_round_is_announced_to_the_members_of_councils_that_answer_by_hand(plan_world):
    from parsoc.web.notifications.models import Notice

    services.close_round(plan_world.facilitator, plan_world.year)
    new = services.current_round(plan_world.year)
    notices = Notice.objects.filter(event__kind="planning_round").select_related("event", "recipient")
    told = {n.recipient for n in notices}
    assert {plan_world.baker, plan_world.miller, plan_world.neighbour, plan_world.other_neighbour} <= told
    assert plan_world.outsider not in told
    assert all(n.event.title.endswith(f"round {new.number} is open") for n in notices)
    assert all(n.event.url == plan_world.year.get_absolute_url() for n in notices)
