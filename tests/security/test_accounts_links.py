"""Links sent by mail work once: a confirmation link logs its person in at most once and is dead
after use, after a password change or reset and after three days; a personal invitation makes one
membership; no link ever logs anyone in a second time. Through the real HTTP interface."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail, signing
from django.test import Client

from parsoc.web.accounts import tokens
from parsoc.web.accounts.models import User
from tests.fixtures_web import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {"display_name": "Rosa", "email": "rosa@example.org", "city": "", "password1": PASSWORD,
          "password2": PASSWORD}


def last_link(pattern: str) -> str:
    return re.search(pattern, mail.outbox[-1].body).group(0)


def logged_in_as(client: Client) -> str | None:
    response = client.get("/api/me")
    return response.json()["email"] if response.status_code == 200 else None


def sign_up() -> str:
    """Sign up as Rosa; the confirmation link from the mail."""
    assert Client().post("/accounts/signup/", SIGNUP).status_code == 200
    return last_link(r"/accounts/confirm/\S+/")


def use(client: Client, link: str):
    """What the button on the link's page does (opening the link only shows the button)."""
    return client.post(link)


def refused(response) -> bool:
    return response.status_code == 400 and b"confirmation link is not valid" in response.content


def test_a_confirmation_link_logs_in_once_and_is_dead_afterwards():
    link = sign_up()
    first = Client()
    opened = first.get(link)  # opening the link (a mail scanner, a preview) uses nothing up
    assert opened.status_code == 200 and b"Confirm and log in" in opened.content
    assert logged_in_as(first) is None and not User.objects.get().email_confirmed
    assert use(first, link).status_code == 302
    assert logged_in_as(first) == "rosa@example.org"

    for again in (Client(), first):  # a stranger holding the link, or the same browser
        if again is first:
            again.post("/accounts/logout/")
        assert refused(again.get(link))
        assert refused(use(again, link))
        assert logged_in_as(again) is None
    assert User.objects.get().email_confirmed  # the first use did its job


def test_every_older_link_is_dead_once_one_is_used():
    old = sign_up()
    Client().post("/accounts/confirm-again/", {"email": "rosa@example.org"})
    new = last_link(r"/accounts/confirm/\S+/")
    assert use(Client(), new).status_code == 302
    client = Client()
    assert refused(use(client, old)) and logged_in_as(client) is None


def test_a_confirmation_link_is_dead_after_a_password_reset():
    """Someone who reset the password may be locking out whoever read the old mail."""
    link = sign_up()
    client = Client()
    client.post("/accounts/password-reset/", {"email": "rosa@example.org"})
    reset = last_link(r"/accounts/password-reset/[^/\s]+/[^/\s]+/")
    form_page = client.get(reset, follow=True)
    new = "a brand new passphrase 77"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert User.objects.get().check_password(new)

    attacker = Client()
    assert refused(attacker.get(link)) and refused(use(attacker, link))
    assert logged_in_as(attacker) is None
    assert not User.objects.get().email_confirmed


def test_a_confirmation_link_is_dead_after_a_password_change():
    link = sign_up()
    user = User.objects.get()
    user.set_password("another passphrase 88")
    user.save()
    client = Client()
    assert refused(use(client, link)) and logged_in_as(client) is None


def test_a_confirmation_link_is_dead_after_three_days():
    sign_up()
    user = User.objects.get()

    class IssuedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - tokens.CONFIRM_MAX_AGE - 60)

    old = IssuedLongAgo(salt=tokens.CONFIRM_SALT).sign_object({"u": user.pk, "s": tokens._state(user)})
    fresh = tokens.confirmation_token(user)  # the same content, signed now: valid
    client = Client()
    assert refused(use(client, f"/accounts/confirm/{old}/")) and logged_in_as(client) is None
    assert use(client, f"/accounts/confirm/{fresh}/").status_code == 302


def test_another_site_cannot_use_a_link_for_a_visitor():
    """Login CSRF: a page elsewhere posting someone's link does not log the visitor in."""
    link = sign_up()
    victim = Client(enforce_csrf_checks=True)
    assert use(victim, link).status_code == 403
    assert logged_in_as(victim) is None and not User.objects.get().email_confirmed


def test_the_link_leads_back_to_where_the_person_was_going_but_not_elsewhere():
    Client().post("/accounts/signup/?next=/councils/%3Fq%3Da%26kind%3Db", SIGNUP)
    link = last_link(r"/accounts/confirm/\S+")
    assert use(Client(), link)["Location"] == "/councils/?q=a&kind=b"
    Client().post("/accounts/signup/?next=https://evil.example/", {**SIGNUP, "email": "two@example.org"})
    link = last_link(r"/accounts/confirm/\S+")
    assert use(Client(), link)["Location"] == "/"


@pytest.mark.parametrize("token", [
    "x", "", "a" * 5000, "eyJ1IjoxfQ:1abc:zzzz",  # junk and a forged signature
])
def test_forged_or_junk_links_are_refused(token):
    sign_up()
    client = Client()
    for response in (client.get(f"/accounts/confirm/{token}/"), use(client, f"/accounts/confirm/{token}/")):
        assert response.status_code in (400, 404)
    assert logged_in_as(client) is None


def test_a_link_signed_for_another_purpose_is_refused(make_user):
    """A token of the right shape for the wrong person or purpose never logs in."""
    sign_up()
    rosa = User.objects.get(email="rosa@example.org")
    other = signing.dumps({"u": rosa.pk, "s": tokens._state(rosa)}, salt="some.other.purpose")
    client = Client()
    assert refused(use(client, f"/accounts/confirm/{other}/"))
    confirmed = make_user("Already Confirmed")
    for_confirmed = tokens.confirmation_token(confirmed)  # even if one were made, it logs no one in
    assert refused(use(client, f"/accounts/confirm/{for_confirmed}/"))
    assert logged_in_as(client) is None


# --- invitations -------------------------------------------------------------------------------


def invite(client: Client, slug: str, **data) -> None:
    response = client.post(f"/c/{slug}/invite/", data)
    assert response.status_code == 200, response.content[:300]


def test_a_personal_invitation_makes_one_membership(council_world, client_as, make_user):
    w = council_world
    guest = make_user("Guest", email="guest@example.org")
    invite(client_as(w.facilitator), w.group.slug, emails="guest@example.org")
    link = last_link(r"/invitations/[^/\s]+/")

    anonymous = Client()
    assert anonymous.get(link).status_code == 200
    assert logged_in_as(anonymous) is None  # an invitation link never logs anyone in
    response = anonymous.post(link)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    stranger = client_as(w.outsider)  # someone else who got hold of the link
    assert stranger.post(link).status_code == 400
    assert not w.group.memberships.filter(user=w.outsider).exists()

    client = client_as(guest)
    assert client.post(link).status_code == 302
    assert w.group.memberships.filter(user=guest).exists()
    client.post(f"/c/{w.group.slug}/leave/")
    assert not w.group.memberships.filter(user=guest).exists()
    again = client.post(link)  # used: it does not let the person back in
    assert again.status_code == 400 and b"used up" in again.content
    assert not w.group.memberships.filter(user=guest).exists()


def test_a_shared_link_with_a_limit_stops_at_the_limit(council_world, client_as, make_user):
    w = council_world
    from parsoc.web.councils import services

    inv = services.invite(w.facilitator, w.group, link=True, max_uses=2)[0]
    people = [make_user() for _ in range(3)]
    answers = [client_as(p).post(inv.get_absolute_url()).status_code for p in people]
    assert answers == [302, 302, 400]
    assert w.group.memberships.filter(user__in=people).count() == 2


def test_a_withdrawn_invitation_is_refused(council_world, client_as, make_user):
    w = council_world
    guest = make_user("Guest", email="guest@example.org")
    invite(client_as(w.facilitator), w.group.slug, emails="guest@example.org")
    link = last_link(r"/invitations/[^/\s]+/")
    inv = w.group.invitations.get()
    client_as(w.facilitator).post(f"/c/{w.group.slug}/members/withdraw-invitation/", {"invitation": inv.pk})
    assert client_as(guest).post(link).status_code == 400
    assert not w.group.memberships.filter(user=guest).exists()


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member"])
def test_only_a_facilitator_can_make_invitations(council_world, client_as, role):
    w = council_world
    client = client_as(w.person(role))
    response = client.post(f"/c/{w.chapter.slug}/invite/", {"emails": "x@example.org"})
    assert response.status_code in (302, 403)
    assert not w.chapter.invitations.exists() and not mail.outbox


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_link_followed_many_times_at_once_logs_in_once():
    """Ten requests racing with the same link: one logs in, nine are refused (claimed atomically)."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): threads on the in-memory SQLite test database share one connection")
    link = sign_up()
    barrier = threading.Barrier(10)
    answers, lock = [], threading.Lock()

    def follow():
        client = Client()
        try:
            barrier.wait(timeout=30)
            status = use(client, link).status_code
            with lock:
                answers.append((status, logged_in_as(client)))
        finally:
            connection.close()

    threads = [threading.Thread(target=follow) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(status for status, _ in answers) == [302] + [400] * 9
    assert [who for _, who in answers if who] == ["rosa@example.org"]
