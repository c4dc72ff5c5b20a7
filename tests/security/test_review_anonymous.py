"""What anyone may write without an account is limited per network address (and per address
mailed to), counted atomically before anything is written or sent.

Attacked through HTTP: sign-ups, "send the confirmation again", password-reset mails and answers
to a scheduling poll through its outside link. Before this, each could be repeated without end
from one address: a mail bomb against any address (reset, resend), or a scheduling poll stuffed
with invented names. Over the limit the answer is 429 and nothing is written or sent; concurrent
requests against a real ``parsoc serve`` (SQLite and PostgreSQL) get exactly the limit through.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from parsoc.web.accounts import throttle
from parsoc.web.accounts.models import LoginThrottle, User
from parsoc.web.meetings import services as meeting_services
from parsoc.web.meetings.models import Poll, PollAnswer, TimeOption
from tests.security.test_throttle import Server, test_database_url

CONCURRENT = 30


def _limit(action: str, which: int = 0) -> int:
    return throttle.WRITES[action][which]


def time_passes(delta: timedelta) -> None:
    for row in LoginThrottle.objects.all():
        row.last_at -= delta
        row.save(update_fields=["last_at"])


@pytest.mark.django_db
def test_password_reset_mails_to_one_address_are_limited(make_user):
    victim = make_user("Victim", email="victim@example.org")
    client = Client()
    statuses = [client.post("/accounts/password-reset/", {"email": victim.email}).status_code for _ in range(8)]
    per_address = _limit("password_reset", 1)
    assert statuses[:per_address] == [302] * per_address
    assert set(statuses[per_address:]) == {429}
    assert len(mail.outbox) == per_address
    refused = client.post("/accounts/password-reset/", {"email": victim.email})
    assert refused.status_code == 429 and b"Too many requests" in refused.content
    time_passes(throttle.WINDOW)
    assert client.post("/accounts/password-reset/", {"email": victim.email}).status_code == 302
    assert len(mail.outbox) == per_address + 1


@pytest.mark.django_db
def test_password_reset_from_one_network_address_is_limited_across_addresses(make_user):
    client = Client()
    per_ip = _limit("password_reset")
    statuses = [client.post("/accounts/password-reset/", {"email": f"p{n}@example.org"}).status_code
                for n in range(per_ip + 3)]
    assert statuses[:per_ip] == [302] * per_ip and set(statuses[per_ip:]) == {429}
    other = Client(REMOTE_ADDR="192.0.2.7")  # another network address is not held back
    assert other.post("/accounts/password-reset/", {"email": "p0@example.org"}).status_code == 302


@pytest.mark.django_db
def test_confirmation_mails_sent_again_are_limited(make_user):
    waiting = make_user("Waiting", confirmed=False, email="waiting@example.org")
    client = Client()
    statuses = [client.post("/accounts/confirm-again/", {"email": waiting.email}).status_code for _ in range(6)]
    per_address = _limit("resend_confirmation", 1)
    assert statuses == [200] * per_address + [429] * (6 - per_address)
    assert len(mail.outbox) == per_address


@pytest.mark.django_db
def test_sign_ups_from_one_network_address_are_limited(db):
    client = Client()
    per_ip = _limit("signup")
    for n in range(per_ip):
        client.post("/accounts/signup/", {"email": f"new{n}@example.org", "display_name": f"New {n}",
                                          "password1": "a long enough pass phrase 42",
                                          "password2": "a long enough pass phrase 42"})
    created = User.objects.count()
    refused = client.post("/accounts/signup/", {"email": "one.more@example.org", "display_name": "One more",
                                                "password1": "a long enough pass phrase 42",
                                                "password2": "a long enough pass phrase 42"})
    assert refused.status_code == 429
    assert User.objects.count() == created and not User.objects.filter(email="one.more@example.org").exists()
    assert client.get("/accounts/signup/").status_code == 200  # reading the form is not limited


@pytest.fixture
def open_link_poll(council_world):
    poll = Poll.objects.create(council=council_world.chapter, title="December assembly",
                               created_by=council_world.facilitator, open_link=True)
    start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    TimeOption.objects.create(poll=poll, start=start, minutes=90, zone="Europe/Berlin")
    settings_row = meeting_services.settings_for(council_world.chapter)
    settings_row.allow_outside_answers = True
    settings_row.save()
    return poll


@pytest.mark.django_db
def test_outside_answers_to_a_scheduling_poll_are_limited(open_link_poll):
    option = open_link_poll.options.get().pk
    url = f"/meetings/answer/{open_link_poll.link_token}/"
    client = Client()
    per_ip = _limit("outside_answer")
    statuses = [client.post(url, {"name": f"Invented {n}", f"option-{option}": "yes"}).status_code
                for n in range(per_ip + 5)]
    assert statuses[:per_ip] == [303] * per_ip and set(statuses[per_ip:]) == {429}
    assert PollAnswer.objects.filter(poll=open_link_poll).count() == per_ip
    assert client.get(url).status_code == 200  # the poll can still be read


@pytest.mark.django_db
def test_the_counter_table_holds_no_network_or_mail_addresses(make_user):
    Client().post("/accounts/password-reset/", {"email": "someone@example.org"})
    keys = list(LoginThrottle.objects.values_list("key", flat=True))
    assert keys and all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys)


# --- concurrent requests against a real server --------------------------------------------------


def resend_form(server: Server) -> tuple[str, str]:
    _, set_cookie, page = server.request("GET", "/accounts/confirm-again/")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", set_cookie).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return f"csrftoken={csrf_cookie}", token


def flood(server: Server) -> None:
    """30 concurrent "send my confirmation again" for one unconfirmed address: exactly the
    per-address limit of mails is sent, every other request is answered 429."""
    server.start()
    cookie, token = resend_form(server)
    status, _, _ = server.request("POST", "/accounts/signup/", {
        "csrfmiddlewaretoken": token, "email": "flooded@example.org", "display_name": "Flooded",
        "password1": "a long enough pass phrase 42", "password2": "a long enough pass phrase 42"}, cookie)
    assert status == 200
    mails_before = len(list((server.home / "mail").glob("*")))
    assert mails_before == 1  # the sign-up's own confirmation

    barrier = threading.Barrier(CONCURRENT)
    statuses: list[int] = []
    lock = threading.Lock()

    def resend() -> None:
        barrier.wait(timeout=60)
        status, _, _ = server.request("POST", "/accounts/confirm-again/", {
            "csrfmiddlewaretoken": token, "email": "flooded@example.org"}, cookie)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=resend) for _ in range(CONCURRENT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    per_address = _limit("resend_confirmation", 1)
    assert sorted(statuses) == [200] * per_address + [429] * (CONCURRENT - per_address), statuses
    assert len(list((server.home / "mail").glob("*"))) == mails_before + per_address


@pytest.mark.slow
def test_concurrent_resends_send_exactly_the_limit_on_sqlite(tmp_path):
    server = Server(tmp_path, database_url=None)
    try:
        flood(server)
    finally:
        server.stop()


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_resends_send_exactly_the_limit_on_postgresql(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    server = Server(tmp_path, database_url=test_database_url())
    try:
        flood(server)
    finally:
        server.stop()
