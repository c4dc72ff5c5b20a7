"""Meetings in the web shell: permissions for the four parties, bad input, polls, feeds, API."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from parsoc.web.meetings import services
from parsoc.web.meetings.models import Meeting, Poll, PollAnswer, TimeOption
from tests.fixtures_web import ROLES
from tests.html import by_test_id

pytestmark = pytest.mark.django_db

FUTURE = (timezone.now() + timedelta(days=10)).strftime("%Y-%m-%d 18:00")


@pytest.fixture
def poll(council_world):
    p = Poll.objects.create(council=council_world.chapter, title="December assembly",
                            created_by=council_world.facilitator)
    start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    for hours in (0, 24):
        TimeOption.objects.create(poll=p, start=start + timedelta(hours=hours), minutes=90,
                                  zone="Europe/Berlin")
    return p


@pytest.fixture
def meeting(council_world):
    return Meeting.objects.create(council=council_world.chapter, title="Assembly",
                                  start=(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0), zone="UTC")


def _option_ids(poll):
    return list(poll.options.values_list("pk", flat=True))


# -- permissions: anonymous, outsider, member, facilitator ------------------------------------

EXPECT = {
    # (what, method) : status per role
    "council_page": {"anonymous": 200, "outsider": 200, "member": 200, "facilitator": 200},
    "answer": {"anonymous": 302, "outsider": 403, "member": 303, "facilitator": 303},
    "add_option": {"anonymous": 302, "outsider": 403, "member": 403, "facilitator": 303},
    "call_meeting": {"anonymous": 302, "outsider": 403, "member": 403, "facilitator": 302},
    "raise_hand": {"anonymous": 401, "outsider": 403, "member": 200, "facilitator": 200},
    "next_speaker": {"anonymous": 401, "outsider": 403, "member": 403, "facilitator": 200},
    "agenda": {"anonymous": 302, "outsider": 403, "member": 403, "facilitator": 303},
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_do_what(role, council_world, client_as, poll, meeting):
    client = client_as(council_world.person(role))
    slug = council_world.chapter.slug
    ids = _option_ids(poll)
    got = {
        "council_page": client.get(f"/c/{slug}/meetings/").status_code,
        "answer": client.post(f"/meetings/poll/{poll.pk}/answer",
                              {f"option-{ids[0]}": "yes"}).status_code,
        "add_option": client.post(f"/meetings/poll/{poll.pk}/option",
                                  {"start": FUTURE, "zone": "UTC", "minutes": 60}).status_code,
        "call_meeting": client.post(f"/c/{slug}/meetings/new", {
            "title": "Extra", "start": FUTURE, "zone": "UTC", "minutes": 60}).status_code,
        "raise_hand": client.post(f"/meetings/{meeting.pk}/live/raise", {"kind": "new"}).status_code,
        "next_speaker": client.post(f"/meetings/{meeting.pk}/live/next").status_code,
        "agenda": client.post(f"/meetings/{meeting.pk}/change/agenda",
                              {"title": "Budget", "minutes": "20"}).status_code,
    }
    assert got == {what: EXPECT[what][role] for what in EXPECT}


@pytest.mark.parametrize("role", ROLES)
def test_members_only_council_is_hidden(role, council_world, client_as):
    group_meeting = Meeting.objects.create(council=council_world.group, title="Quiet",
                                           start=timezone.now() + timedelta(days=1))
    client = client_as(council_world.person(role))
    visible = role in ("member", "facilitator")
    assert client.get(f"/c/{council_world.group.slug}/meetings/").status_code == (200 if visible else 404)
    assert client.get(f"/meetings/{group_meeting.pk}/").status_code == (200 if visible else 404)
    assert client.get(f"/meetings/{group_meeting.pk}/live/").status_code == (200 if visible else 404)
    assert client.get(f"/api/meetings/{group_meeting.pk}/live").status_code == (200 if visible else 404)


# -- bad input ---------------------------------------------------------------------------------


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_answering_a_closed_poll_is_refused(council_world, client_as, poll):
    poll.closed = True
    poll.save()
    client = client_as(council_world.member)
    response = client.post(f"/meetings/poll/{poll.pk}/answer",
                           {f"option-{_option_ids(poll)[0]}": "yes"}, follow=True)
    assert "the poll 'December assembly' is closed; answers are no longer taken" in _messages(response)
    assert not PollAnswer.objects.exists()
    api = client.post(f"/api/meetings/polls/{poll.pk}/answers",
                      {"choices": {str(_option_ids(poll)[0]): "yes"}}, content_type="application/json")
    assert api.status_code == 400 and "is closed" in api.json()["detail"]


@pytest.mark.parametrize(
    ("start", "zone", "message"),
    [
        ("2020-01-01 10:00", "UTC", "time option 2020-01-01 10:00 UTC is in the past"),
        (FUTURE, "Mars/Olympus", "malformed time zone 'Mars/Olympus'"),
        (FUTURE, "", "time zone is missing"),
        ("next tuesday", "UTC", "malformed date and time 'next tuesday'"),
    ],
)
def test_bad_time_options_are_refused_clearly(start, zone, message, council_world, client_as, poll):
    client = client_as(council_world.facilitator)
    response = client.post(f"/meetings/poll/{poll.pk}/option",
                           {"start": start, "zone": zone, "minutes": 60}, follow=True)
    assert any(message in m for m in _messages(response)), _messages(response)
    assert poll.options.count() == 2
    api = client.post(f"/api/meetings/polls/{poll.pk}/options",
                      {"start": start, "zone": zone, "minutes": 60}, content_type="application/json")
    assert api.status_code == 400 and message in api.json()["detail"]


def test_raising_a_hand_in_a_meeting_you_are_not_in(council_world, client_as, meeting):
    client = client_as(council_world.outsider)
    response = client.post(f"/meetings/{meeting.pk}/live/raise", {"kind": "new"})
    assert response.status_code == 403
    assert "you are not in this meeting" in response.json()["detail"]
    api = client.post(f"/api/meetings/{meeting.pk}/live/raise", {"kind": "new"},
                      content_type="application/json")
    assert api.status_code == 403 and "not in this meeting" in api.json()["detail"]
    meeting.refresh_from_db()
    assert meeting.live_version == 0


def test_bad_live_input_answers_400(council_world, client_as, meeting):
    client = client_as(council_world.member)
    bad_kind = client.post(f"/meetings/{meeting.pk}/live/raise", {"kind": "shout"})
    assert bad_kind.status_code == 400 and "unknown kind of hand 'shout'" in bad_kind.json()["detail"]
    client.post(f"/meetings/{meeting.pk}/live/raise", {"kind": "new"})
    twice = client.post(f"/meetings/{meeting.pk}/live/raise", {"kind": "new"})
    assert twice.status_code == 400 and "already has a hand raised" in twice.json()["detail"]
    no_check = client.post(f"/meetings/{meeting.pk}/live/signal", {"signal": "agree"})
    assert no_check.status_code == 400 and "no temperature check is open" in no_check.json()["detail"]
    unknown = client.post(f"/meetings/{meeting.pk}/live/dance")
    assert unknown.status_code == 400


# -- flows -------------------------------------------------------------------------------------


def test_poll_answers_heat_map_best_slot_and_finalise(council_world, client_as, poll, make_user):
    from parsoc.councils.kinds import Role
    from parsoc.web.councils.models import Membership

    first, second = _option_ids(poll)
    extra = make_user("Ivy")
    Membership.objects.create(council=council_world.chapter, user=extra, role=Role.MEMBER)
    for person, answers in [
        (council_world.facilitator, {first: "yes", second: "yes"}),
        (council_world.member, {first: "ifneedbe", second: "yes"}),
        (extra, {first: "yes", second: "no"}),
    ]:
        client_as(person).post(f"/meetings/poll/{poll.pk}/answer",
                               {f"option-{k}": v for k, v in answers.items()})
    data = client_as(council_world.member).get(f"/api/meetings/polls/{poll.pk}").json()
    assert [(o["yes"], o["ifneedbe"], o["no"]) for o in data["options"]] == [(2, 1, 0), (2, 0, 1)]
    assert data["best"] == first
    mail.outbox.clear()
    response = client_as(council_world.facilitator).post(f"/meetings/poll/{poll.pk}/finalise")
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.start == poll.options.get(pk=first).start
    poll.refresh_from_db()
    assert poll.closed and poll.meeting == meeting
    # One invitation to each member but the facilitator who finalised the poll.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([council_world.member.email, extra.email])
    invitation = next(m for m in mail.outbox if m.to == [extra.email])
    name, content, mimetype = invitation.attachments[0]
    assert name == "meeting.ics" and mimetype == "text/calendar"
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == meeting.start


def test_outside_answers_only_when_the_council_allows(council_world, client, poll):
    poll.open_link = True
    poll.save()
    url = f"/meetings/answer/{poll.link_token}/"
    assert client.get(url).status_code == 404  # council has not allowed it
    services.settings_for(council_world.chapter)
    council_world.chapter.meeting_settings.allow_outside_answers = True
    council_world.chapter.meeting_settings.save()
    form = client.get(url)
    assert form.status_code == 200
    # the form asks about every time option of this poll, and only those
    assert {int(n) for n in re.findall(r'name="option-(\d+)"', form.content.decode())} == set(_option_ids(poll))
    first = _option_ids(poll)[0]
    client.post(url, {"name": "Gus from the tenants' union", f"option-{first}": "yes"})
    answer = PollAnswer.objects.get()
    assert answer.user is None and answer.choices == {str(first): "yes"}
    nameless = client.post(url, {f"option-{first}": "yes"}, follow=True)
    assert "name: tell the council who you are" in _messages(nameless)
    assert client.get("/meetings/answer/not-the-token/").status_code == 404


def test_calendar_feed_with_secret_token(council_world, client_as, meeting, client):
    member = client_as(council_world.member)
    page = member.get("/meetings/calendar/")
    url = page.context["url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = client.get(f"/meetings/calendar/{token}.ics")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    uids = [str(e["uid"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert uids == [f"{meeting.uid}@parsoc"]
    member.post("/meetings/calendar/")  # renew: the old address stops working
    assert client.get(f"/meetings/calendar/{token}.ics").status_code == 404
    assert client.get("/meetings/calendar/guess.ics").status_code == 404


def test_roles_rotation_minutes_actions_and_quorum(council_world, client_as, meeting):
    fac = client_as(council_world.facilitator)
    past = Meeting.objects.create(council=council_world.chapter, title="Before",
                                  start=meeting.start - timedelta(days=14))
    services.assign_role(council_world.facilitator, past, "facilitator", council_world.facilitator)
    suggestion = services.role_suggestion(meeting)
    assert suggestion["facilitator"] == council_world.member  # Fay facilitated last time
    assert suggestion["stack keeper"] == council_world.facilitator
    fac.post(f"/meetings/{meeting.pk}/change/suggested-roles")
    assert dict(meeting.roles.values_list("role", "user")) == {
        "facilitator": council_world.member.pk, "stack keeper": council_world.facilitator.pk}
    # the member now facilitates this meeting, so may run it
    member = client_as(council_world.member)
    before = Meeting.objects.get(pk=meeting.pk).live_version
    response = member.post(f"/meetings/{meeting.pk}/live/next")
    assert response.status_code == 200
    assert response.json()["version"] == Meeting.objects.get(pk=meeting.pk).live_version > before
    fac.post(f"/meetings/{meeting.pk}/change/minutes", {"text": "We agreed.", "publish": "on"})
    fac.post(f"/meetings/{meeting.pk}/change/action",
             {"text": "Book the hall", "owner": council_world.member.pk})
    bad_owner = fac.post(f"/meetings/{meeting.pk}/change/action",
                         {"text": "x", "owner": council_world.outsider.pk}, follow=True)
    assert any("is not a member of Test Chapter" in m for m in _messages(bad_owner))
    fac.post(f"/meetings/{meeting.pk}/change/attendance",
             {"person": council_world.member.pk, "status": "present"})
    summary = services.attendance(meeting)
    assert (summary.counted, summary.needed, summary.met) == (1, 1, True)
    outsider_view = client_as(council_world.outsider).get(f"/meetings/{meeting.pk}/")
    assert by_test_id(outsider_view, "minutes") == ["We agreed."]  # published minutes of a public council
    assert meeting.actions.get().owner == council_world.member


def test_live_flow_orders_the_queue_by_the_councils_rules(council_world, client_as, meeting,
                                                          make_user):
    from parsoc.councils.kinds import Role
    from parsoc.web.councils.models import Membership

    ivy = make_user("Ivy")
    Membership.objects.create(council=council_world.chapter, user=ivy, role=Role.MEMBER)
    mo, ivy_c = client_as(council_world.member), client_as(ivy)
    fay = client_as(council_world.facilitator)
    url = f"/meetings/{meeting.pk}/live/"
    mo.post(url + "raise", {"kind": "new"})
    fay.post(url + "next")  # Mo has spoken once
    mo.post(url + "raise", json.dumps({"kind": "new"}), content_type="application/json")
    ivy_c.post(url + "raise", {"kind": "new"})
    snap = fay.post(url + "raise", {"kind": "process"}).json()
    assert [q["name"] for q in snap["queue"]] == ["Fay Facilitator", "Ivy", "Mo Member"]
    services.update_settings(council_world.facilitator, council_world.chapter)
    off = fay.post(url + "rules", json.dumps({"rules": {
        "not_yet_spoken_first": False, "under_heard_first": False, "fewest_turns_first": False}}),
        content_type="application/json").json()
    assert [q["name"] for q in off["queue"]] == ["Fay Facilitator", "Mo Member", "Ivy"]
    stream_page = mo.get(url)
    assert stream_page.status_code == 200 and b"live.js" in stream_page.content


def test_poll_page_shows_times_in_their_zone_and_empty_poll_cannot_be_finalised(
        council_world, client_as):
    empty = Poll.objects.create(council=council_world.chapter, title="Nothing yet",
                                created_by=council_world.member)
    member = client_as(council_world.member)
    refused = member.post(f"/meetings/poll/{empty.pk}/finalise", follow=True)
    assert "the poll 'Nothing yet' has no times to choose from" in _messages(refused)
    services.add_option(council_world.member, empty, start="2031-07-01 19:30",
                        zone="Europe/Berlin", minutes=60)
    page = member.get(f"/meetings/poll/{empty.pk}/").content.decode()
    assert "Tue 1 Jul 2031, 19:30 Europe/Berlin" in page and "(17:30 UTC)" in page
    outsider = client_as(council_world.outsider)
    assert outsider.post(f"/meetings/poll/{empty.pk}/finalise").status_code == 403
    assert not Meeting.objects.exists()


def test_ended_meeting_takes_no_hands_and_api_schema_lists_meetings(council_world, client_as,
                                                                   meeting):
    fac = client_as(council_world.facilitator)
    assert client_as(council_world.member).post(f"/meetings/{meeting.pk}/change/end").status_code == 403
    fac.post(f"/meetings/{meeting.pk}/change/end")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ENDED
    again = fac.post(f"/meetings/{meeting.pk}/change/end", follow=True)
    assert "the meeting 'Assembly' has already ended" in _messages(again)
    late = client_as(council_world.member).post(f"/meetings/{meeting.pk}/live/raise", {"kind": "new"})
    assert late.status_code == 400 and late.json()["detail"] == "the meeting 'Assembly' has ended"
    paths = fac.get("/api/openapi.json").json()["paths"]
    assert "/api/meetings/{meeting_id}/live/{action}" in paths
    assert "/api/meetings/polls/{poll_id}/answers" in paths


def test_agenda_item_links_a_proposal_of_the_same_council(council_world, client_as, meeting):
    from parsoc.web.decisions.models import Proposal

    w = council_world
    ours = Proposal.objects.create(council=w.chapter, title="Rent strike fund", body="Set it up.", author=w.member)
    theirs = Proposal.objects.create(council=w.group, title="Quiet plan", body="Hush.", author=w.member)
    client = client_as(w.facilitator)
    url = f"/meetings/{meeting.pk}/change/agenda"
    client.post(url, {"title": "Decide the fund", "minutes": "20", "proposal": str(ours.pk)})
    item = meeting.agenda.get()
    assert item.proposal == ours
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert ours.get_absolute_url() in page and "Rent strike fund" in page
    for bad in (str(theirs.pk), "abc", "999999"):
        response = client.post(url, {"title": "Sneaky", "minutes": "5", "proposal": bad}, follow=True)
        assert any("proposal" in m for m in _messages(response))
    assert meeting.agenda.count() == 1
