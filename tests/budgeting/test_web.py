"""The budgeting pages and API: four parties per page, bad input, the counting wired to the core."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parsoc.web.budgeting import services
from parsoc.web.budgeting.models import Ballot, Phase, Process, Project
from tests.fixtures_web import ROLES
from tests.html import field_errors, table_rows, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(council_world):
    w = council_world
    p = services.create_process(w.facilitator, w.chapter, title="Park money", budget="100", ballot_kind="approval",
                                rule="equal-shares")
    return p


def _url(name, process, *extra):
    return reverse(f"budgeting:{name}", args=[process.council.slug, process.pk, *extra])


def _at(process, phase):
    process.phase = phase
    process.save()
    return process


def _with_projects(world, process):
    a = services.propose(world.member, process, title="Benches")
    b = services.propose(world.member, process, title="Trees")
    c = services.propose(world.facilitator, process, title="Fountain")
    _at(process, Phase.REVIEW)
    services.review(world.facilitator, a, feasible=True, cost="40")
    services.review(world.facilitator, b, feasible=True, cost="60")
    services.review(world.facilitator, c, feasible=False, note="no water")
    return a, b, c


EXPECTED_VIEW = {"anonymous": 200, "outsider": 200, "member": 200, "facilitator": 200}


@pytest.mark.parametrize("role", ROLES)
def test_index_and_detail_of_a_public_council(council_world, client_as, process, role):
    client = client_as(council_world.person(role))
    assert client.get(reverse("budgeting:index", args=["test-chapter"])).status_code == EXPECTED_VIEW[role]
    page = client.get(process.get_absolute_url())
    assert page.status_code == EXPECTED_VIEW[role]
    assert ("Propose a project" in page.content.decode()) == (role in ("member", "facilitator"))
    assert ("Move to the next phase" in page.content.decode()) == (role == "facilitator")


@pytest.mark.parametrize("role", ROLES)
def test_members_only_council_hides_its_processes(council_world, client_as, role):
    w = council_world
    hidden = services.create_process(w.facilitator, w.group, title="Quiet money", budget="50")
    client = client_as(w.person(role))
    expected = 404 if role in ("anonymous", "outsider") else 200
    assert client.get(hidden.get_absolute_url()).status_code == expected
    assert client.get(reverse("budgeting:index", args=["quiet-group"])).status_code == expected
    # the ballots: facilitators only while the process is open (tests/security/test_budget_privacy.py)
    assert client.get(_url("export", hidden)).status_code == {"member": 403}.get(role, expected)


@pytest.mark.parametrize("role", ROLES)
def test_only_facilitators_start_a_process(council_world, client_as, role):
    client = client_as(council_world.person(role))
    before = Process.objects.count()
    response = client.post(reverse("budgeting:create", args=["test-chapter"]),
                           {"title": "Library", "budget": "500", "currency": "EUR", "ballot_kind": "approval",
                            "points": "10", "rule": "greedy"})
    if role == "facilitator":
        assert response.status_code == 302
        assert Process.objects.count() == before + 1
    else:
        assert response.status_code == 403
        assert Process.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_only_members_propose_while_proposals_are_open(council_world, client_as, process, role):
    client = client_as(council_world.person(role))
    response = client.post(_url("propose", process), {"title": "Swings"})
    assert response.status_code == (302 if role in ("member", "facilitator") else 403)
    assert Project.objects.filter(title="Swings").exists() == (role in ("member", "facilitator"))


@pytest.mark.parametrize("role", ROLES)
def test_only_facilitators_review_and_advance(council_world, client_as, process, role):
    w = council_world
    project = services.propose(w.member, process, title="Swings")
    _at(process, Phase.REVIEW)
    client = client_as(w.person(role))
    response = client.post(_url("review", process, project.pk), {"feasible": "yes", "cost": "30"})
    assert response.status_code == (302 if role == "facilitator" else 403)
    project.refresh_from_db()
    assert (project.feasible is True) == (role == "facilitator")
    response = client.post(_url("advance", process))
    assert response.status_code == (302 if role == "facilitator" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_members_vote_and_comment(council_world, client_as, process, role):
    w = council_world
    a, b, _ = _with_projects(w, process)
    _at(process, Phase.VOTING)
    client = client_as(w.person(role))
    response = client.post(_url("vote", process), {"project": [a.code]})
    assert response.status_code == (302 if role in ("member", "facilitator") else 403)
    assert Ballot.objects.filter(process=process).count() == (1 if role in ("member", "facilitator") else 0)
    response = client.post(f"/discussions/project/{a.pk}/", {"body": "Yes please"})
    assert response.status_code == {"anonymous": 302, "outsider": 403, "member": 303, "facilitator": 303}[role]
    page = client.get(_url("detail", process)).content.decode()
    assert ("Yes please" in page) == (role in ("member", "facilitator"))


@pytest.mark.parametrize("role", ROLES)
def test_results_only_after_voting_and_for_those_who_see_the_council(council_world, client_as, process, role):
    w = council_world
    a, b, _ = _with_projects(w, process)
    _at(process, Phase.VOTING)
    services.cast_ballot(w.member, process, choices=[a.code])
    services.cast_ballot(w.facilitator, process, choices=[a.code, b.code])
    client = client_as(w.person(role))
    assert client.get(_url("results", process)).status_code == 403
    _at(process, Phase.RESULTS)
    page = client.get(_url("results", process))
    assert page.status_code == 200
    # equal shares of 100: Benches (40) split 20/20 by its two voters; Trees (60) unaffordable
    # for its one voter's 50 - 20 = 30 left
    assert table_rows(page) == [
        ["Project", "Cost", "Paid by", "Most one voter paid"],
        ["Benches", "40.00", "2 voters", "20.00"],
    ]
    assert "Benches: 2 voters paid 40.00" in visible_text(page)
    api = client.get(f"/api/budgeting/processes/{process.pk}/results")
    assert api.status_code == 200
    result = api.json()
    assert (result["selected"], result["cost"], result["budget"]) == ([a.code], 40, 100)
    assert sorted(result["payments"][a.code].values()) == [20.0, 20.0]
    assert result["votes"] == {a.code: 2.0, b.code: 1.0}


def test_results_are_the_core_rule_with_payments(council_world, process):
    w = council_world
    a, b, _ = _with_projects(w, process)
    _at(process, Phase.VOTING)
    services.cast_ballot(w.member, process, choices=[a.code])
    services.cast_ballot(w.facilitator, process, choices=[a.code, b.code])
    _at(process, Phase.RESULTS)
    allocation, election, votes = services.results_of(w.member, process)
    # Each voter holds 50; Benches (40) is paid 20 + 20; Trees (60) only by the facilitator, who has 30 left.
    assert allocation.selected == (a.code,)
    label = dict(process.ballots.values_list("voter_id", "voter_label"))  # the voters' pseudonyms
    assert allocation.payments[a.code] == {label[w.member.pk]: 20.0, label[w.facilitator.pk]: 20.0}
    assert votes == {a.code: 2.0, b.code: 1.0}


def test_the_council_hears_of_the_process_and_each_phase(council_world, client_as, mailoutbox):
    """Starting a process and moving it on are announced to the council: in the app (the
    members' inbox) and by email, with links to the process and, at the end, to the results."""
    from parsoc.web.councils.services import announcements_for

    w = council_world
    client = client_as(w.facilitator)
    client.post(reverse("budgeting:create", args=["test-chapter"]), {
        "title": "Street money", "budget": "250", "currency": "EUR", "ballot_kind": "approval", "points": "10",
        "rule": "equal-shares"})
    process = Process.objects.get(title="Street money")
    _with_projects(w, process)  # (its own moves to review bypass the service: no news)
    _at(process, Phase.PROPOSALS)
    for _ in range(3):
        assert client.post(_url("advance", process)).status_code == 302
    news = list(announcements_for(w.member).filter(council=w.chapter).order_by("created_at"))
    assert [a.title for a in news] == ["Participatory budgeting: Street money"] * 4
    assert "250.00 EUR to share out. Proposals are open" in news[0].body
    assert f"http://testserver/c/test-chapter/budgeting/{process.pk}" in news[0].body
    assert "Proposals are closed (3 projects)" in news[1].body
    assert "Voting is open on 2 feasible projects (approval ballot)" in news[2].body
    assert news[3].body.endswith(f"http://testserver/c/test-chapter/budgeting/{process.pk}/results")
    assert len([m for m in mailoutbox if w.member.email in m.to]) == 4
    assert client_as(w.member).get(reverse("notifications:inbox")).content.decode().count("Participatory budgeting: Street money") == 4


def test_the_council_chooses_the_equal_shares_variant(council_world, client_as, shared_data):
    """Cardinality satisfaction and "add one" completion, chosen on the form, are what the
    results run (checked against the core on a real Pabulib file), shown on the page, and kept
    through export and import."""
    from io import BytesIO

    from parsoc.choice import parse_pabulib, read_pabulib, run_rule

    w = council_world
    client = client_as(w.facilitator)
    response = client.post(reverse("budgeting:create", args=["test-chapter"]), {
        "title": "Street money", "budget": "100", "currency": "EUR", "ballot_kind": "approval", "points": "10",
        "rule": "equal-shares", "satisfaction": "cardinality", "completion": "add1"})
    assert response.status_code == 302
    made = Process.objects.get(title="Street money")
    assert (made.satisfaction, made.completion) == ("cardinality", "add1")

    path = shared_data / "pabulib" / "Poland_Warszawa_2019_Grochow_Centrum.pb"
    upload = BytesIO(path.read_bytes())
    upload.name = path.name
    assert client.post(reverse("budgeting:import", args=["test-chapter"]), {"title": "Grochow", "file": upload}).status_code == 302
    process = Process.objects.get(title="Grochow")
    process.rule, process.satisfaction, process.completion = "equal-shares", "cardinality", "add1"
    process.save()
    original = read_pabulib(path)
    expected = run_rule(original, "equal-shares", "cardinality", "add1")
    assert expected.selected != run_rule(original, "equal-shares", "cardinality", "none").selected
    allocation, _, _ = services.results_of(w.member, process)
    assert allocation.selected == expected.selected
    page = client.get(_url("results", process)).content.decode()
    assert "count: a voter" in page and f"adding one to every voter's share {expected.details['runs']} times" in page
    api = client.get(f"/api/budgeting/processes/{process.pk}/results").json()
    assert api["selected"] == list(expected.selected) and api["completion"] == "add1"

    exported = client.get(_url("export", process)).content.decode()
    assert parse_pabulib(exported).meta["completion"] == "add1"
    upload = BytesIO(exported.encode())
    upload.name = "again.pb"
    assert client.post(reverse("budgeting:import", args=["test-chapter"]), {"title": "Again", "file": upload}).status_code == 302
    again = Process.objects.get(title="Again")
    assert (again.rule, again.satisfaction, again.completion) == ("equal-shares", "cardinality", "add1")


def test_an_unknown_variant_is_a_field_error(council_world, client_as):
    response = client_as(council_world.facilitator).post(reverse("budgeting:create", args=["test-chapter"]), {
        "title": "Street money", "budget": "100", "currency": "EUR", "ballot_kind": "approval", "points": "10",
        "rule": "equal-shares", "satisfaction": "happiness", "completion": "add2"})
    assert response.status_code == 400
    assert field_errors(response, "satisfaction") == ["Select a valid choice. happiness is not one of the available choices."]
    assert field_errors(response, "completion") == ["Select a valid choice. add2 is not one of the available choices."]
    assert not Process.objects.filter(title="Street money").exists()
    from parsoc.errors import InputError

    with pytest.raises(InputError, match="completion must be one of none, add1"):
        services.create_process(council_world.facilitator, council_world.chapter, title="x", budget="1", completion="add2")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"project": ["999"]}, "project 999 is not on this ballot"),
        ({}, "choose at least one project"),
    ],
)
def test_bad_ballots_are_refused(council_world, client_as, process, data, message):
    w = council_world
    _with_projects(w, process)
    _at(process, Phase.VOTING)
    response = client_as(w.member).post(_url("vote", process), data, follow=True)
    assert message in response.content.decode()
    assert not Ballot.objects.exists()


def test_ballot_rules_by_kind(council_world, process):
    from parsoc.errors import InputError

    w = council_world
    a, b, c = _with_projects(w, process)
    _at(process, Phase.VOTING)
    with pytest.raises(InputError, match="not on this ballot"):
        services.cast_ballot(w.member, process, choices=[c.code])  # not feasible
    with pytest.raises(InputError, match="twice"):
        services.cast_ballot(w.member, process, choices=[a.code, a.code])
    process.ballot_kind, process.points = "cumulative", 5
    process.save()
    with pytest.raises(InputError, match="5 points to share out, not 7"):
        services.cast_ballot(w.member, process, choices=[a.code, b.code], points=["3", "4"])
    with pytest.raises(InputError, match="at least 1 point"):
        services.cast_ballot(w.member, process, choices=[a.code], points=["0"])
    process.ballot_kind, process.max_choices = "choose-1", None
    process.save()
    with pytest.raises(InputError, match="exactly one"):
        services.cast_ballot(w.member, process, choices=[a.code, b.code])


def test_bad_process_and_review_input(council_world, client_as, process):
    w = council_world
    client = client_as(w.facilitator)
    response = client.post(reverse("budgeting:create", args=["test-chapter"]),
                           {"title": "", "budget": "-3", "ballot_kind": "nonsense", "points": "10", "rule": "greedy"})
    assert response.status_code == 400
    project = services.propose(w.member, process, title="Swings")
    _at(process, Phase.REVIEW)
    response = client.post(_url("review", process, project.pk), {"feasible": "yes", "cost": "lots"}, follow=True)
    assert "must be a number" in response.content.decode()
    project.refresh_from_db()
    assert project.feasible is None
    response = client.post(_url("advance", process), follow=True)
    assert "mark at least one project feasible" in response.content.decode()
    assert client.post(_url("review", process, "nope"), {"feasible": "yes", "cost": "1"}).status_code == 404


def test_import_and_export_round_trip(council_world, client_as, shared_data):
    from io import BytesIO

    from parsoc.choice import read_pabulib, run_rule

    w = council_world
    path = shared_data / "pabulib" / "Poland_Warszawa_2019_Grochow_Centrum.pb"
    upload = BytesIO(path.read_bytes())
    upload.name = path.name
    client = client_as(w.facilitator)
    response = client.post(reverse("budgeting:import", args=["test-chapter"]), {"title": "", "file": upload})
    assert response.status_code == 302
    process = Process.objects.get(council=w.chapter)
    assert process.phase == Phase.RESULTS and process.ballots.count() == 598
    original = read_pabulib(path)
    allocation, election, _ = services.results_of(w.member, process)
    assert process.rule == "greedy"  # the file says so
    assert allocation.selected == run_rule(original, "greedy").selected
    exported = client.get(_url("export", process)).content.decode()
    from parsoc.choice import parse_pabulib

    again = parse_pabulib(exported)
    assert again.ballots == original.ballots and again.costs == original.costs


def test_malformed_import_is_refused(council_world, client_as):
    from io import BytesIO

    upload = BytesIO(b"META\nkey;value\nbudget;abc\n")
    upload.name = "bad.pb"
    response = client_as(council_world.facilitator).post(
        reverse("budgeting:import", args=["test-chapter"]), {"file": upload}, follow=True)
    assert "the budget must be a number" in response.content.decode()
    assert not Process.objects.exists()
    upload = BytesIO(b"META\n")
    upload.name = "bad.pb"
    response = client_as(council_world.member).post(reverse("budgeting:import", args=["test-chapter"]), {"file": upload})
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_processes_by_visibility(council_world, client_as, role):
    w = council_world
    services.create_process(w.facilitator, w.group, title="Quiet money", budget="50")
    response = client_as(w.person(role)).get("/api/budgeting/councils/quiet-group/processes")
    assert response.status_code == (404 if role in ("anonymous", "outsider") else 200)


def test_demo_world_has_a_budgeting_vote(db, client_as):
    from parsoc.web.demo import load_demo_world

    load_demo_world()
    load_demo_world()  # idempotent
    process = Process.objects.get(title="Neighbourhood fund")
    assert process.phase == Phase.VOTING and process.projects.count() == 4 and process.ballots.count() == 6
    _at(process, Phase.RESULTS)
    allocation, election, _ = services.results_of(process.ballots.first().voter, process)
    assert allocation.cost <= election.budget and allocation.selected
