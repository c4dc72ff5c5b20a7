"""Council actions through the pages: joining, leaving, nesting, inviting, delegates, bad input."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from parsoc.web.councils.models import Council, DelegateTerm, Invitation, JoinRequest, Membership
from tests.html import field_errors

pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_create_council_makes_creator_facilitator(make_user, client_as):
    person = make_user("Creator")
    response = client_as(person).post("/councils/new/", {
        "name": "Leith Chapter", "kind": "chapter", "visibility": "public", "join_policy": "open",
    })
    council = Council.objects.get(name="Leith Chapter")
    assert response.status_code == 302 and response["Location"] == "/c/leith-chapter/"
    assert council.role_of(person) == "facilitator"


def test_create_council_with_bad_input_shows_field_errors(make_user, client_as):
    response = client_as(make_user()).post("/councils/new/", {"name": "", "kind": "empire", "visibility": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required" in body and "Select a valid choice" in body
    assert not Council.objects.exists()


def test_unconfirmed_person_cannot_create_councils(make_user, client_as):
    response = client_as(make_user(confirmed=False)).get("/councils/new/")
    assert response.status_code == 403


def test_council_cannot_become_its_own_ancestor(council_world, client_as):
    client = client_as(council_world.facilitator)
    response = client.post("/c/test-chapter/settings/", {
        "name": "Test Chapter", "kind": "chapter", "visibility": "public", "join_policy": "request",
        "parent": council_world.group.pk,
    })
    assert response.status_code == 400
    assert field_errors(response, "parent") == [
        "that parent is inside this council: a council cannot be its own ancestor"]
    council_world.chapter.refresh_from_db()
    assert council_world.chapter.parent is None


def test_nest_to_any_depth(make_user, client_as):
    person = make_user()
    client = client_as(person)
    parent = None
    for depth in range(8):
        data = {"name": f"Level {depth}", "kind": "working_group", "visibility": "public", "join_policy": "open"}
        if parent:
            data["parent"] = parent.pk
        assert client.post("/councils/new/", data).status_code == 302
        parent = Council.objects.get(name=f"Level {depth}")
    assert len(parent.ancestors()) == 7


def test_join_open_request_and_approve(council_world, client_as, make_user):
    newcomer = make_user("Newcomer")
    client = client_as(newcomer)
    client.post("/c/test-chapter/join/", {"message": "Hello!"})
    join_request = JoinRequest.objects.get(user=newcomer)
    assert mail.outbox[-1].to == [council_world.facilitator.email] and "Hello!" in mail.outbox[-1].body
    assert join_request.status == "pending" and not council_world.chapter.memberships.filter(user=newcomer).exists()
    again = client.post("/c/test-chapter/join/")
    assert again.status_code == 303 and "already asked" in messages_of(again)
    client_as(council_world.facilitator).post(
        "/c/test-chapter/members/approve/", {"request": join_request.pk}
    )
    assert council_world.chapter.role_of(newcomer) == "member"


def test_joining_twice_is_refused_clearly(council_world, client_as):
    council_world.chapter.join_policy = "open"
    council_world.chapter.save()
    response = client_as(council_world.member).post("/c/test-chapter/join/")
    assert response.status_code == 303
    assert "already a member" in messages_of(response)
    assert council_world.chapter.memberships.filter(user=council_world.member).count() == 1


def test_invitation_only_council_refuses_plain_join(council_world, client_as, make_user):
    council_world.chapter.join_policy = "invitation"
    council_world.chapter.save()
    response = client_as(make_user()).post("/c/test-chapter/join/")
    assert "invitation only" in messages_of(response)


def test_invite_by_email_and_accept(council_world, client_as, make_user):
    guest = make_user("Guest", email="guest@example.org")
    response = client_as(council_world.facilitator).post("/c/test-chapter/invite/", {"emails": "guest@example.org"})
    assert response.status_code == 200
    link = re.search(r"/invitations/\S+/", mail.outbox[-1].body).group(0)
    stranger = make_user("Stranger")
    assert client_as(stranger).post(link).status_code == 400  # addressed to someone else
    assert client_as(guest).post(link).status_code == 302
    assert council_world.chapter.role_of(guest) == "member"
    assert client_as(guest).post(link).status_code == 400  # used up / already a member


def test_inviting_to_council_you_do_not_facilitate_is_refused(council_world, client_as):
    response = client_as(council_world.member).post("/c/test-chapter/invite/", {"emails": "x@example.org"})
    assert response.status_code == 403
    assert not Invitation.objects.exists() and not mail.outbox


def test_invite_with_bad_emails_is_a_form_error(council_world, client_as):
    response = client_as(council_world.facilitator).post("/c/test-chapter/invite/", {"emails": "not-an-email, b@"})
    assert response.status_code == 400
    assert field_errors(response, "emails") == ["Not an email address: not-an-email, b@"]
    assert not Invitation.objects.exists()


def test_link_invitation(council_world, client_as, make_user):
    response = client_as(council_world.facilitator).post("/c/test-chapter/invite/", {"make_link": "on"})
    link = re.search(r'value="http://testserver(/invitations/[^"]+)"', response.content.decode()).group(1)
    for _ in range(2):
        person = make_user()
        assert client_as(person).post(link).status_code == 302
        assert council_world.chapter.role_of(person) == "member"


def test_last_facilitator_cannot_leave_or_be_demoted(council_world, client_as):
    client = client_as(council_world.facilitator)
    response = client.post("/c/test-chapter/leave/")
    assert "only facilitator" in messages_of(response)
    response = client.post("/c/test-chapter/members/role/", {"user": council_world.facilitator.pk, "role": "member"})
    assert "at least one facilitator" in messages_of(response)
    assert council_world.chapter.role_of(council_world.facilitator) == "facilitator"


def test_member_leaves(council_world, client_as):
    client_as(council_world.member).post("/c/test-chapter/leave/")
    assert council_world.chapter.role_of(council_world.member) is None


def test_announcement_reaches_members_in_app_and_by_email(council_world, client_as):
    client_as(council_world.facilitator).post("/c/test-chapter/announce/", {"title": "Assembly", "body": "Sunday"})
    assert [m.to for m in mail.outbox] == [[council_world.member.email]]
    member_home = client_as(council_world.member).get("/")
    assert member_home.context["unread_count"] == 1
    client_as(council_world.member).get("/notifications/")  # the one inbox (the old /inbox/ leads there)
    assert client_as(council_world.member).get("/").context["unread_count"] == 0
    assert b"badge" not in client_as(council_world.member).get("/inbox/unread/").content


def test_empty_announcement_is_refused(council_world, client_as):
    response = client_as(council_world.facilitator).post("/c/test-chapter/announce/", {"title": "", "body": ""})
    assert "required" in messages_of(response)
    assert not council_world.chapter.announcements.exists()


def test_delegates_terms_and_recall(council_world, client_as):
    client = client_as(council_world.facilitator)
    data = {"person": council_world.member.pk, "start": "2026-01-01", "end": "2026-12-31", "mandate": "Speak"}
    assert client.post("/c/quiet-group/delegates/", data).status_code == 302
    term = DelegateTerm.objects.get()
    assert term.to_council == council_world.chapter
    overlapping = client.post("/c/quiet-group/delegates/", {**data, "start": "2026-06-01"})
    assert overlapping.status_code == 400
    assert field_errors(overlapping, "start") == [
        f"{council_world.member} already has a delegate term from 2026-01-01 that overlaps these dates"]
    backwards = client.post("/c/quiet-group/delegates/", {**data, "start": "2027-06-01", "end": "2027-01-01"})
    assert backwards.status_code == 400
    assert field_errors(backwards, "end") == ["The term cannot end before it starts."]
    client.post("/c/quiet-group/members/end-term/", {"term": term.pk, "reason": "recalled"})
    term.refresh_from_db()
    assert term.end_reason == "recalled" and term.ended_early_on is not None


def test_top_level_council_has_no_delegates(council_world, client_as):
    response = client_as(council_world.facilitator).post(
        "/c/test-chapter/delegates/", {"person": council_world.member.pk, "start": "2026-01-01"})
    assert response.status_code == 400 and "no parent council" in response.content.decode()


def test_directory_search_by_name_kind_city(council_world, client_as):
    client = client_as(None)
    assert b"Test Chapter" in client.get("/councils/?q=test").content
    assert b"Test Chapter" not in client.get("/councils/?kind=federation").content
    assert b"Test Chapter" in client.get("/councils/?city=glasg").content
    partial = client.get("/councils/?q=test", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Test Chapter" in partial.content


def test_member_action_with_garbage_is_refused(council_world, client_as):
    client = client_as(council_world.facilitator)
    for action, data, said in (("approve", {"request": "abc"}, "no such request"),
                               ("remove", {"user": "999999"}, "that person is not a member of this council"),
                               ("end-term", {}, "no such delegate term")):
        response = client.post(f"/c/test-chapter/members/{action}/", data)
        assert response.status_code == 303 and said in messages_of(response)
    assert client.post("/c/test-chapter/members/action/", {"action": "remove"}).status_code == 404
    assert Membership.objects.filter(council=council_world.chapter).count() == 2


def test_a_refusal_without_a_field_goes_above_the_form(council_world, client_as):
    response = client_as(council_world.facilitator).post(
        "/c/test-chapter/delegates/", {"person": council_world.member.pk, "start": "2026-01-01"})
    assert field_errors(response, "__all__") == ["this council has no parent council to send delegates to"]
