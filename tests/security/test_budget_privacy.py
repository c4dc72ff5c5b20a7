"""Budget ballots protect voters: who may download them, and under which names.

Attack: while voting is open, download ``export.pb`` (anonymously, as an outsider, as a member)
and map each ballot to a person through ``/accounts/people/<id>/``. Now the ballots are for
facilitators only while the process is open; after the results, anyone who may see the process
(public council: everyone; otherwise its members). Every export, and the results (page and API),
names a member's ballot by a random pseudonym drawn for the process, never by the account id.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from parsoc.choice import parse_pabulib
from parsoc.web.budgeting import services
from parsoc.web.budgeting.models import Ballot, Phase
from tests.fixtures_web import ROLES

pytestmark = pytest.mark.django_db

#: council -> phase -> role -> status of GET export.pb
EXPECTED = {
    "public": {
        "open": {"anonymous": 403, "outsider": 403, "member": 403, "facilitator": 200},
        "closed": {"anonymous": 200, "outsider": 200, "member": 200, "facilitator": 200},
    },
    "members": {  # a members-only council hides itself (404) from people outside it
        "open": {"anonymous": 404, "outsider": 404, "member": 403, "facilitator": 200},
        "closed": {"anonymous": 404, "outsider": 404, "member": 200, "facilitator": 200},
    },
}


def _voted_process(world, council):
    process = services.create_process(world.facilitator, council, title="Park money", budget="100")
    a = services.propose(world.member, process, title="Benches")
    b = services.propose(world.facilitator, process, title="Trees")
    process.phase = Phase.REVIEW
    process.save()
    services.review(world.facilitator, a, feasible=True, cost="40")
    services.review(world.facilitator, b, feasible=True, cost="60")
    process.phase = Phase.VOTING
    process.save()
    services.cast_ballot(world.member, process, choices=[a.code])
    services.cast_ballot(world.facilitator, process, choices=[a.code, b.code])
    return process


def _export(client, process):
    return client.get(reverse("budgeting:export", args=[process.council.slug, process.pk]))


def _user_ids_in(text: str, world) -> list[str]:
    """Any account id (or the old ``u<id>`` label) appearing as a voter id in a .pb file."""
    ids = {str(u.pk) for u in (world.facilitator, world.member, world.outsider)}
    found = []
    in_votes = False
    for line in text.splitlines():
        if line.strip().upper() == "VOTES":
            in_votes = True
            continue
        if in_votes and ";" in line and not line.startswith("voter_id"):
            voter = line.split(";", 1)[0]
            if voter in ids or re.fullmatch(r"u\d+", voter) or voter.lstrip("u") in ids:
                found.append(voter)
    return found


@pytest.mark.parametrize("visibility", ["public", "members"])
@pytest.mark.parametrize("phase", ["open", "closed"])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_download_the_ballots(council_world, client_as, visibility, phase, role):
    w = council_world
    process = _voted_process(w, w.chapter if visibility == "public" else w.group)
    if phase == "closed":
        process.phase = Phase.RESULTS
        process.save()
    response = _export(client_as(w.person(role)), process)
    assert response.status_code == EXPECTED[visibility][phase][role]
    if response.status_code == 200:
        text = response.content.decode()
        assert _user_ids_in(text, w) == []
        election = parse_pabulib(text)
        assert sorted(election.voters) == sorted(process.ballots.values_list("voter_label", flat=True))


def test_voters_are_random_pseudonyms_stable_for_the_process(council_world):
    w = council_world
    process = _voted_process(w, w.chapter)
    first = Ballot.objects.get(process=process, voter=w.member).voter_label
    assert re.fullmatch(r"v[0-9a-f]{16}", first)
    assert first not in (str(w.member.pk), f"u{w.member.pk}")
    services.cast_ballot(w.member, process, choices=[process.projects.get(title="Trees").code])
    again = Ballot.objects.get(process=process, voter=w.member)
    assert again.voter_label == first and again.choices == [process.projects.get(title="Trees").code]
    assert process.ballots.count() == 2
    other = _voted_process(w, w.chapter)  # another process: another pseudonym
    assert Ballot.objects.get(process=other, voter=w.member).voter_label != first


def test_export_rows_do_not_follow_the_voting_order(council_world, make_user):
    """Ballots come out sorted by pseudonym, not in the order they were cast."""
    from parsoc.councils.kinds import Role
    from parsoc.web.councils.models import Membership

    w = council_world
    process = _voted_process(w, w.chapter)
    code = process.projects.get(title="Benches").code
    for n in range(12):
        voter = make_user(f"Voter {n}")
        Membership.objects.create(council=w.chapter, user=voter, role=Role.MEMBER)
        services.cast_ballot(voter, process, choices=[code])
    election = parse_pabulib(services.export_pb(w.facilitator, process))
    assert list(election.voters) == sorted(election.voters)


def test_results_page_and_api_name_no_account(council_world, client_as):
    w = council_world
    process = _voted_process(w, w.chapter)
    process.phase = Phase.RESULTS
    process.save()
    labels = set(process.ballots.values_list("voter_label", flat=True))
    client = client_as(None)
    api = client.get(f"/api/budgeting/processes/{process.pk}/results").json()
    payers = {voter for paid in api["payments"].values() for voter in paid}
    assert payers and payers <= labels
    page = client.get(reverse("budgeting:results", args=[process.council.slug, process.pk])).content.decode()
    assert all(label in page for label in payers)
    # the old labels were u<user id>: none may show as a word (random tokens may hold "u1")
    for pk in (w.member.pk, w.facilitator.pk):
        assert not re.search(rf"(?<![0-9A-Za-z_-])u{pk}(?![0-9A-Za-z_-])", page)
