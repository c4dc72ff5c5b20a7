"""Work pages and API: the four parties, bad input, composing through the web."""

from __future__ import annotations

import json

import pytest

from tests.fixtures_web import ROLES

pytestmark = pytest.mark.django_db

EXPECT_PAGE = {"anonymous": 200, "outsider": 200, "member": 200, "facilitator": 200}
EXPECT_ADD_TASK = {"anonymous": 403, "outsider": 403, "member": 403, "facilitator": 302}
EXPECT_RATE = {"anonymous": 403, "outsider": 403, "member": 302, "facilitator": 302}


def _task(world, name="till", hours=10, skills="", splittable=True):
    from parsoc.web.work.models import WorkTask

    return WorkTask.objects.create(council=world.chapter, name=name, hours=hours, skills=skills, splittable=splittable)


@pytest.mark.parametrize("role", ROLES)
def test_page_of_a_public_council(role, council_world, client_as):
    response = client_as(council_world.person(role)).get("/c/test-chapter/work/")
    assert response.status_code == EXPECT_PAGE[role]
    assert ("Add a task" in response.content.decode()) == (role == "facilitator")


@pytest.mark.parametrize("role", ROLES)
def test_members_only_council_is_hidden_from_outsiders(role, council_world, client_as):
    response = client_as(council_world.person(role)).get("/c/quiet-group/work/")
    assert response.status_code == (404 if role in ("anonymous", "outsider") else 200)


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_task(role, council_world, client_as):
    from parsoc.web.work.models import WorkTask

    response = client_as(council_world.person(role)).post("/c/test-chapter/work/tasks/", {"name": "till", "hours": "10", "splittable": "on"})
    assert response.status_code == EXPECT_ADD_TASK[role]
    assert WorkTask.objects.filter(name="till").exists() == (role == "facilitator")


@pytest.mark.parametrize("role", ROLES)
def test_rating(role, council_world, client_as):
    from parsoc.web.work.models import TaskRating

    task = _task(council_world)
    response = client_as(council_world.person(role)).post("/c/test-chapter/work/rate/", {f"e{task.pk}": "7", f"d{task.pk}": "4"})
    assert response.status_code == EXPECT_RATE[role]
    assert TaskRating.objects.filter(task=task).count() == (1 if role in ("member", "facilitator") else 0)


@pytest.mark.parametrize("role", ROLES)
def test_composing(role, council_world, client_as):
    from parsoc.web.work import services
    from parsoc.web.work.models import Composition

    a, b = _task(council_world, "plan", 4), _task(council_world, "clean", 4)
    for person, hours in ((council_world.facilitator, 4), (council_world.member, 4)):
        services.set_hours(person, council_world.chapter, hours=hours)
        services.rate(person, council_world.chapter, {a.pk: (8, 7), b.pk: (2, 3)})
    response = client_as(council_world.person(role)).post("/c/test-chapter/work/compose/")
    assert response.status_code == (302 if role == "facilitator" else 403)
    assert Composition.objects.count() == (1 if role == "facilitator" else 0)
    if role == "facilitator":
        report = Composition.objects.get().report
        assert report["largest_deviation"] == pytest.approx(0.0)
        page = client_as(council_world.facilitator).get("/c/test-chapter/work/").content.decode()
        assert "Job complexes" in page and "work-fill" in page


def test_bad_input_is_a_400_with_the_reason(council_world, client_as):
    facilitator = client_as(council_world.facilitator)
    response = facilitator.post("/c/test-chapter/work/tasks/", {"name": "till", "hours": "lots"})
    assert response.status_code == 400 and "hours: &#x27;lots&#x27; is not a number" in response.content.decode()
    task = _task(council_world)
    response = client_as(council_world.member).post("/c/test-chapter/work/rate/", {f"e{task.pk}": "11", f"d{task.pk}": "4"})
    assert response.status_code == 400 and "till empowerment: 11 is out of range" in response.content.decode()
    response = facilitator.post("/c/test-chapter/work/compose/")
    assert response.status_code == 400 and "has no ratings yet" in response.content.decode()


def test_infeasible_composition_is_refused_with_the_reason(council_world, client_as):
    from parsoc.web.work import services

    task = _task(council_world, "drive", 10, skills="driving")
    services.set_hours(council_world.member, council_world.chapter, hours=10)
    services.rate(council_world.member, council_world.chapter, {task.pk: (5, 5)})
    response = client_as(council_world.facilitator).post("/c/test-chapter/work/compose/")
    assert response.status_code == 400
    assert "needs skill &#x27;driving&#x27; that no member has" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_api(role, council_world, client_as):
    client = client_as(council_world.person(role))
    response = client.post("/api/work/test-chapter/tasks", json.dumps({"name": "till", "hours": 8}), content_type="application/json")
    assert response.status_code == {"anonymous": 401, "outsider": 403, "member": 403, "facilitator": 200}[role]
    _task(council_world, "plan", 8)
    response = client.post("/api/work/test-chapter/ratings", json.dumps([{"task": "plan", "empowerment": 6, "desirability": 5}]),
                           content_type="application/json")
    assert response.status_code == {"anonymous": 401, "outsider": 403, "member": 200, "facilitator": 200}[role]
    response = client.get("/api/work/test-chapter")
    assert response.status_code == 200
    tasks = {t["name"]: (t["hours"], t["ratings"], t["empowerment"], t["desirability"]) for t in response.json()["tasks"]}
    rated = (8.0, 1, 6.0, 5.0) if role in ("member", "facilitator") else (8.0, 0, None, None)
    if role == "facilitator":  # only a facilitator's task was added
        assert tasks == {"plan": rated, "till": (8.0, 0, None, None)}
    else:
        assert tasks == {"plan": rated}


def test_api_bad_input(council_world, client_as):
    client = client_as(council_world.facilitator)
    response = client.post("/api/work/test-chapter/tasks", json.dumps({"name": "", "hours": 8}), content_type="application/json")
    assert response.status_code == 400 and "needs a name" in response.json()["detail"]
    response = client.post("/api/work/test-chapter/ratings", json.dumps([{"task": "nope", "empowerment": 6, "desirability": 5}]),
                           content_type="application/json")
    assert response.status_code == 400 and "no task 'nope'" in response.json()["detail"]
    quiet = client.get("/api/work/quiet-group")
    assert quiet.status_code == 200 and quiet.json() == {"tasks": [], "composition": None}
    assert client_as(council_world.outsider).get("/api/work/quiet-group").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_effort_scheme_and_ratings(role, council_world, client_as):
    from parsoc.web.work import services
    from parsoc.web.work.models import EffortRatingRecord

    chapter = council_world.chapter
    services.set_hours(council_world.facilitator, chapter, hours=30)
    services.set_hours(council_world.member, chapter, hours=30)
    client = client_as(council_world.person(role))
    response = client.post("/c/test-chapter/work/effort/scheme/", {"scheme": "intensity", "cap": "1", "point_value": "2"})
    assert response.status_code == (302 if role == "facilitator" else 403)
    services.set_effort_scheme(council_world.facilitator, chapter, scheme="intensity", cap=1, point_value=2)
    other = council_world.member if role != "member" else council_world.facilitator
    response = client.post("/c/test-chapter/work/effort/rate/", {f"effort{other.pk}": "1.3"})
    assert response.status_code == (302 if role in ("member", "facilitator") else 403)
    assert EffortRatingRecord.objects.count() == (1 if role in ("member", "facilitator") else 0)
    page = client.get("/c/test-chapter/work/effort/")
    assert page.status_code == 200
    assert ("Entitlements" in page.content.decode()) == (role in ("member", "facilitator"))
    api = client.get("/api/work/test-chapter/entitlements")
    assert api.status_code == {"anonymous": 401, "outsider": 403, "member": 200, "facilitator": 200}[role]


def test_entitlements_follow_ratings_under_the_cap(council_world, client_as):
    from parsoc.web.work import services

    chapter, fay, mo = council_world.chapter, council_world.facilitator, council_world.member
    services.set_hours(fay, chapter, hours=30)
    services.set_hours(mo, chapter, hours=30)
    services.set_effort_scheme(fay, chapter, scheme="intensity", cap=1, point_value=2)
    services.rate_effort(fay, chapter, {mo.pk: "1.5"})
    services.rate_effort(mo, chapter, {fay.pk: "0.9"})
    rows = client_as(mo).get("/api/work/test-chapter/entitlements").json()
    incomes = {r["member"]: r["income"] for r in rows}
    # rated 30*1.5 + 30*0.9 = 72 points > cap 60: scaled by 60/72; a point is worth 2
    assert incomes["Mo Member"] == pytest.approx(2 * 45 * 60 / 72)
    assert incomes["Fay Facilitator"] == pytest.approx(2 * 27 * 60 / 72)
    assert rows[0]["council"] == "test-chapter"


def test_bad_effort_input(council_world, client_as):
    from parsoc.web.work import services

    chapter, fay, mo = council_world.chapter, council_world.facilitator, council_world.member
    services.set_hours(fay, chapter, hours=30)
    services.set_hours(mo, chapter, hours=30)
    facilitator = client_as(fay)
    response = facilitator.post("/c/test-chapter/work/effort/scheme/", {"scheme": "output", "cap": "1", "point_value": "2"})
    assert response.status_code == 400 and "effort is rated by hours, intensity, onerousness" in response.content.decode()
    response = facilitator.post("/c/test-chapter/work/effort/rate/", {f"effort{mo.pk}": "1.2"})
    assert response.status_code == 400 and "pays by hours only" in response.content.decode()
    services.set_effort_scheme(fay, chapter, scheme="onerousness", cap=1, point_value=1)
    response = facilitator.post("/c/test-chapter/work/effort/rate/", {f"effort{mo.pk}": "brutal"})
    assert response.status_code == 400 and "choose one of light, usual, heavy" in response.content.decode()
    response = facilitator.post("/c/test-chapter/work/effort/rate/", {f"effort{fay.pk}": "heavy"})
    assert response.status_code == 400 and "you do not rate your own effort" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_rating_round_deadline(role, council_world, client_as):
    from parsoc.web.work.models import TaskRating

    task = _task(council_world)
    response = client_as(council_world.person(role)).post("/c/test-chapter/work/round/", {"deadline": "2020-01-01T12:00", "disagreement": "0.2"})
    assert response.status_code == (302 if role == "facilitator" else 403)
    if role == "facilitator":
        response = client_as(council_world.member).post("/c/test-chapter/work/rate/", {f"e{task.pk}": "7", f"d{task.pk}": "4"})
        assert response.status_code == 400 and "the rating round closed at 2020-01-01" in response.content.decode()
        assert TaskRating.objects.count() == 0
        response = client_as(council_world.facilitator).post("/c/test-chapter/work/round/", {"deadline": "soon"})
        assert response.status_code == 400 and "is not a date and time" in response.content.decode()


def test_flag_for_discussion_shows(council_world, client_as):
    from parsoc.web.work import services

    task = _task(council_world)
    services.rate(council_world.facilitator, council_world.chapter, {task.pk: (1, 5)})
    services.rate(council_world.member, council_world.chapter, {task.pk: (10, 5)})
    page = client_as(council_world.member).get("/c/test-chapter/work/").content.decode()
    assert "discuss" in page and "5.5 ± 4.5" in page


@pytest.mark.parametrize("role", ROLES)
def test_federation_compares_member_councils(role, council_world, client_as):
    from parsoc.councils.kinds import CouncilKind, Visibility
    from parsoc.web.councils.models import Council
    from parsoc.web.work import services
    from parsoc.web.work.models import WorkTask

    fay, mo = council_world.facilitator, council_world.member
    shop = Council.objects.create(name="Shop", slug="shop", kind=CouncilKind.WORKING_GROUP, parent=council_world.chapter,
                                  visibility=Visibility.PUBLIC)
    press = Council.objects.create(name="Press", slug="press", kind=CouncilKind.WORKING_GROUP, parent=council_world.chapter,
                                   visibility=Visibility.PUBLIC)
    from parsoc.web.councils.models import Membership

    for council, person in ((shop, fay), (press, mo)):
        Membership.objects.create(council=council, user=person, role="facilitator")
    sell = WorkTask.objects.create(council=shop, name="sell", hours=40)
    edit = WorkTask.objects.create(council=press, name="edit", hours=20)
    typeset = WorkTask.objects.create(council=press, name="typeset", hours=20)
    services.set_hours(fay, shop, hours=40)
    services.set_hours(mo, press, hours=40)
    services.rate(fay, shop, {sell.pk: (3, 5)})
    services.rate(mo, press, {edit.pk: (8, 7), typeset.pk: (6, 3)})
    client = client_as(council_world.person(role))
    page = client.get("/c/test-chapter/work/federation/")
    assert page.status_code == 200
    assert "Members of <strong>Shop</strong> could take" in page.content.decode()
    data = client.get("/api/work/test-chapter/federation").json()
    assert data["average"]["empowerment"] == pytest.approx(5.0)
    assert [c["council"] for c in data["councils"]] == ["Press", "Shop"]
    assert data["suggestions"][0]["council"] == "Shop" and data["suggestions"][0]["task"] == "edit"


def test_federation_hides_members_only_councils_from_outsiders(council_world, client_as):
    from parsoc.web.work import services
    from parsoc.web.work.models import WorkTask

    group = council_world.group  # members-only, inside the chapter
    task = WorkTask.objects.create(council=group, name="secret", hours=10)
    services.set_hours(council_world.member, group, hours=10)
    services.rate(council_world.member, group, {task.pk: (5, 5)})
    assert client_as(council_world.member).get("/api/work/test-chapter/federation").json()["councils"][0]["council"] == "Quiet Group"
    assert client_as(council_world.outsider).get("/api/work/test-chapter/federation").json()["councils"] == []
    assert "Quiet Group" not in client_as(None).get("/c/test-chapter/work/federation/").content.decode()


def test_demo_world_has_balanced_jobs_in_the_worker_council():
    from parsoc.web.demo import load_demo_world
    from parsoc.web.work.models import Composition

    load_demo_world()
    load_demo_world()  # idempotent
    composition = Composition.objects.get(council__slug="demo-winnipeg-coop")
    covered: dict[str, float] = {}
    for job in composition.report["jobs"]:
        for task, hours in job["tasks"].items():
            covered[task] = covered.get(task, 0) + hours
    assert covered["bookkeeping"] == 8 and sum(covered.values()) == 60
    assert composition.report["optimal"]
