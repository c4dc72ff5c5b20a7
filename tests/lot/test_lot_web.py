"""Selection by lot in a council: volunteers, their chances, a seed fixed in public, a draw anyone replays."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from parsoc.councils.kinds import Role
from parsoc.lot.draw import draw_panel, lottery_from_json
from parsoc.lot.seed import commitment, seed_from_reveals
from parsoc.web.councils.models import Membership
from parsoc.web.lot.models import Commitment, Selection, Volunteer
from tests.html import by_test_id, visible_text
from tests.lot.conftest import ROOT

pytestmark = pytest.mark.django_db

QUOTAS = "neighbourhood, north, 1, 1\nneighbourhood, south, 1, 1\n"


def url(name, selection=None, slug="test-chapter"):
    return reverse(f"lot:{name}", args=[slug] if selection is None else [slug, selection.pk])


def open_selection(client, **extra):
    data = {"title": "Review panel", "panel_size": "2", "quotas": QUOTAS, "seed_source": "advance",
            "seed_note": "the EuroMillions numbers of 11 December", **extra}
    response = client.post(url("create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Selection.objects.latest("id")


@pytest.fixture
def pool(council_world, make_user, client_as):
    """The chapter's member and three more members, volunteering: north, north, south, north."""
    world = council_world
    extra = [make_user(name) for name in ("Ann North", "Bea South", "Cy North")]
    for person in extra:
        Membership.objects.create(council=world.chapter, user=person, role=Role.MEMBER)
    selection = open_selection(client_as(world.facilitator))
    for person, where in zip([world.member, *extra], ["north", "north", "south", "north"], strict=True):
        response = client_as(person).post(url("volunteer", selection), {"feature-0": where})
        assert response.status_code == 302
    return world, selection, [world.member, *extra]


def test_volunteers_see_their_chance_and_the_draw_replays(pool, client_as):
    world, selection, people = pool
    assert Volunteer.objects.filter(selection=selection).count() == 4
    response = client_as(world.facilitator).post(url("compute", selection))
    assert response.status_code == 302
    selection.refresh_from_db()
    assert selection.phase == "seeding"
    # three in the north share one seat, the one in the south always sits
    page = client_as(people[0]).get(url("detail", selection))
    assert by_test_id(page, "my-probability") == ["0.33"]
    assert by_test_id(page, "minimum") == ["0.3333"]
    assert by_test_id(client_as(people[2]).get(url("detail", selection)), "my-probability") == ["1.00"]
    assert "Nobody has volunteered" not in visible_text(page)

    response = client_as(world.facilitator).post(url("draw", selection), {"published_value": "04 17 23 38 49 + 02 11"})
    assert response.status_code == 302
    selection.refresh_from_db()
    assert selection.phase == "drawn" and selection.seed == "04 17 23 38 49 + 02 11"
    assert len(selection.panel) == 2 and people[2].pk in selection.panel
    page = client_as(None).get(url("detail", selection))
    names = by_test_id(page, "panel")[0]
    assert "Bea South" in names
    # anyone replays the draw from the published result
    result = json.loads(client_as(None).get(url("result_json", selection)).content)
    again = draw_panel(lottery_from_json(result), result["seed"])
    assert list(again) == result["panel"]
    assert sorted(selection.pool[i] for i in again) == sorted(selection.panel)


def test_the_published_result_replays_on_the_command_line(pool, client_as, tmp_path):
    from tests.choice.conftest import run_cli

    world, selection, _ = pool
    client_as(world.facilitator).post(url("compute", selection))
    client_as(world.facilitator).post(url("draw", selection), {"published_value": "headline"})
    path = tmp_path / "result.json"
    path.write_bytes(client_as(None).get(url("result_json", selection)).content)
    done = run_cli("lot", "replay", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["same_as_published"] is True
    assert ROOT.is_dir()


def test_commit_reveal_among_members(council_world, make_user, client_as):
    world = council_world
    other = make_user("Di South")
    Membership.objects.create(council=world.chapter, user=other, role=Role.MEMBER)
    selection = open_selection(client_as(world.facilitator), seed_source="commit", seed_note="")
    client_as(world.member).post(url("volunteer", selection), {"feature-0": "north"})
    client_as(other).post(url("volunteer", selection), {"feature-0": "south"})
    client_as(world.facilitator).post(url("compute", selection))
    secrets = {world.member: "my own secret", other: "another secret"}
    for person, secret in secrets.items():
        response = client_as(person).post(url("commit", selection), {"digest": commitment(secret)})
        assert response.status_code == 302
    # a malformed commitment is refused, and the outsider cannot commit
    response = client_as(world.member).post(url("commit", selection), {"digest": "not hex"})
    assert response.status_code == 400 and "64 hexadecimal digits" in visible_text(response)
    assert client_as(world.outsider).post(url("commit", selection), {"digest": commitment("x")}).status_code == 403
    # no reveal before the commitments are closed
    assert client_as(world.member).post(url("reveal", selection), {"secret": "my own secret"}).status_code == 400
    assert client_as(world.facilitator).post(url("close", selection)).status_code == 302
    # a late commitment is refused
    assert client_as(world.facilitator).post(url("commit", selection), {"digest": commitment("late")}).status_code == 400
    wrong = client_as(world.member).post(url("reveal", selection), {"secret": "not my secret"})
    assert wrong.status_code == 400 and "does not match your commitment" in visible_text(wrong)
    assert Commitment.objects.get(user=world.member).secret == ""
    for person, secret in secrets.items():
        assert client_as(person).post(url("reveal", selection), {"secret": secret}).status_code == 302
    assert client_as(world.facilitator).post(url("draw", selection)).status_code == 302
    selection.refresh_from_db()
    expected = seed_from_reveals({str(p.pk): commitment(s) for p, s in secrets.items()},
                                 {str(p.pk): s for p, s in secrets.items()})
    assert selection.seed == expected
    assert sorted(selection.panel) == sorted([world.member.pk, other.pk])  # one of each: both sit
    result = json.loads(client_as(world.outsider).get(url("result_json", selection)).content)
    assert {c["secret"] for c in result["commitments"]} == set(secrets.values())


def field_errors(response, field):
    return list(response.context["form"].errors.get(field, []))


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"quotas": "neighbourhood, north, 3, 1"}, "quotas", "quotas row 1: quota neighbourhood/north has min 3 above max 1"),
    ({"quotas": "neighbourhood, north, 1\n"}, "quotas", "quotas row 1"),
    ({"quotas": "neighbourhood, north, 5, 6"}, "quotas", "asks for more people than the panel of 2"),
    ({"panel_size": "0"}, "panel_size", ""),
    ({"seed_note": ""}, "seed_note", "say which value"),
])
def test_bad_quotas_and_fields_are_field_errors_and_nothing_is_written(council_world, client_as, data, field, message):
    base = {"title": "Panel", "panel_size": "2", "quotas": QUOTAS, "seed_source": "advance", "seed_note": "tomorrow's headline"}
    response = client_as(council_world.facilitator).post(url("create"), {**base, **data})
    assert response.status_code == 400
    errors = field_errors(response, field)
    assert errors and message in errors[0]
    assert Selection.objects.count() == 0


def test_a_pool_whose_quotas_cannot_be_met_names_the_quota_and_writes_nothing(council_world, client_as):
    world = council_world
    selection = open_selection(client_as(world.facilitator))
    client_as(world.member).post(url("volunteer", selection), {"feature-0": "north"})
    client_as(world.facilitator).post(url("volunteer", selection), {"feature-0": "north"})
    response = client_as(world.facilitator).post(url("compute", selection))
    assert response.status_code == 400
    assert ("quota neighbourhood/south (min 1, max 1, row 2) asks for at least 1 people but the pool of volunteers "
            "has only 0") in visible_text(response)
    selection.refresh_from_db()
    assert selection.phase == "volunteering" and selection.result is None and selection.pool is None


def test_a_feature_not_in_the_quotas_is_refused(council_world, client_as):
    selection = open_selection(client_as(council_world.facilitator))
    response = client_as(council_world.member).post(url("volunteer", selection), {"feature-0": "east"})
    assert response.status_code == 400
    assert "neighbourhood: choose one of north, south" in visible_text(response)
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "facilitator"])
def test_who_may_do_what(council_world, client_as, role):
    world = council_world
    selection = open_selection(client_as(world.facilitator))
    client = client_as(world.person(role))
    # the public chapter's page: everyone; the members-only group's: members and facilitators
    assert client.get(url("index")).status_code == 200
    assert client.get(url("detail", selection)).status_code == 200
    assert client.get(url("index", slug="quiet-group")).status_code == (200 if role in ("member", "facilitator") else 404)
    volunteering = client.post(url("volunteer", selection), {"feature-0": "north"}).status_code
    assert volunteering == (302 if role in ("member", "facilitator") else 403)
    computing = client.post(url("compute", selection)).status_code
    assert computing == (400 if role == "facilitator" else 403)  # the facilitator: the pool cannot fill the south seat
    creating = client.post(url("create"), {"title": "x", "panel_size": "1", "quotas": QUOTAS, "seed_source": "commit"})
    assert creating.status_code == (302 if role == "facilitator" else 403)
    page = visible_text(client.get(url("detail", selection)))
    assert ("Close the pool and compute the chances" in page) == (role == "facilitator")
