"""Half-done writes: every writing request is one transaction, mail leaves only after it commits,
and a failing mail server never turns a saved change into an error page.

Attack (found on main): a meeting title with a line break was saved, then the invitation mail
failed (header injection check), the request answered 500, and retrying created a second
meeting. Here the mail backend is Django's real SMTP backend pointed at a closed port on this
machine, so every send fails for real; the databases commit for real (``transaction=True``).
"""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from parsoc.web.core.null_characters import REFUSED
from parsoc.web.councils.models import Announcement
from parsoc.web.meetings.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)

FUTURE = (timezone.now() + timedelta(days=10)).strftime("%Y-%m-%d 18:00")


@pytest.fixture
def smtp_down(settings):
    """Mail goes to SMTP on 127.0.0.1 at a port bound but not listening: connection refused."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", holder.getsockname()[1]
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield
    holder.close()


def _mail_failures(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "parsoc.mail" and r.levelno >= logging.ERROR]


def test_meeting_is_saved_and_shown_when_the_invitation_cannot_be_sent(council_world, client_as, smtp_down, caplog):
    client = client_as(council_world.facilitator)
    response = client.post("/c/test-chapter/meetings/new",
                           {"title": "Spring assembly", "start": FUTURE, "zone": "UTC", "minutes": 60})
    assert response.status_code == 302
    (meeting,) = Meeting.objects.all()
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Spring assembly" in page.content.decode()
    assert any("meeting_scheduled notice" in m for m in _mail_failures(caplog))


def test_announcement_is_saved_when_mail_fails_page_and_api(council_world, client_as, smtp_down, caplog):
    client = client_as(council_world.facilitator)
    response = client.post("/c/test-chapter/announce/", {"title": "Assembly", "body": "Sunday at ten"}, follow=True)
    assert response.status_code == 200 and "Announcement posted" in response.content.decode()
    api = client.post("/api/councils/test-chapter/announcements", {"title": "Again", "body": "Monday"},
                      content_type="application/json")
    assert api.status_code == 201
    assert sorted(Announcement.objects.values_list("title", flat=True)) == ["Again", "Assembly"]
    assert len([m for m in _mail_failures(caplog) if "announcement" in m]) == 2


@pytest.mark.parametrize("title", ["Spring\r\nBcc: everyone@example.org", "Spring\nassembly", "Spring\rassembly",
                                   "Spring\u2028assembly", "Spring\x00assembly"])
def test_a_title_with_a_line_break_is_refused_and_nothing_is_saved(council_world, client_as, title, mailoutbox):
    client = client_as(council_world.facilitator)
    # a NUL never reaches the form: every request holding one is a 400 (core/null_characters.py)
    refused = (400, REFUSED) if "\x00" in title else (200, "a title is one line")
    response = client.post("/c/test-chapter/meetings/new",
                           {"title": title, "start": FUTURE, "zone": "UTC", "minutes": 60}, follow=True)
    assert response.status_code == refused[0] and refused[1] in response.content.decode()
    assert not Meeting.objects.exists() and not mailoutbox
    poll = client.post("/c/test-chapter/meetings/poll", {"title": title}, follow=True)
    assert poll.status_code == refused[0] and refused[1] in poll.content.decode()
    assert not council_world.chapter.polls.exists()


def test_one_meeting_per_request_and_mail_after_commit(council_world, client_as, mailoutbox):
    client = client_as(council_world.facilitator)
    response = client.post("/c/test-chapter/meetings/new",
                           {"title": "Spring assembly", "start": FUTURE, "zone": "UTC", "minutes": 60})
    assert response.status_code == 302 and Meeting.objects.count() == 1
    (invitation,) = mailoutbox
    assert invitation.subject == "[Test Chapter] Invitation: Spring assembly" and "\n" not in invitation.subject


def test_announcement_title_becomes_one_line_in_the_subject(council_world, client_as, mailoutbox):
    client = client_as(council_world.facilitator)
    client.post("/api/councils/test-chapter/announcements", {"title": "Sunday\r\nBcc: all@example.org", "body": "x"},
                content_type="application/json")
    (announcement,) = Announcement.objects.all()
    assert announcement.title == "Sunday Bcc: all@example.org"
    (sent,) = mailoutbox
    assert sent.subject == "[Test Chapter] Sunday Bcc: all@example.org" and sent.bcc == []
    assert sent.message()["Bcc"] is None


@pytest.mark.urls("tests.security.failing_urls")
@pytest.mark.parametrize("how", ["raise", "answer-500"])
def test_a_write_that_fails_mid_request_leaves_nothing(council_world, client_as, how):
    client = client_as(council_world.facilitator, raise_request_exception=False)
    response = client.post(f"/test/test-chapter/{how}")
    assert response.status_code == 500
    assert not Announcement.objects.exists()
    council_world.chapter.refresh_from_db()
    assert council_world.chapter.description == ""


@pytest.mark.urls("tests.security.failing_urls")
def test_a_write_that_succeeds_is_kept_and_reads_take_no_transaction(council_world, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(council_world.facilitator)
    assert client.post("/test/test-chapter/answer-200").status_code == 200
    assert Announcement.objects.count() == 1
    with CaptureQueriesContext(connection) as reads:
        assert client.get("/c/test-chapter/").status_code == 200
    # not wrapped: it reads first (a page that records something, like "announcement read",
    # opens its own short transaction around that one write)
    assert not reads.captured_queries[0]["sql"].upper().startswith(("BEGIN", "SAVEPOINT"))


def test_only_the_long_computations_opt_out_of_the_request_transaction():
    """Composing jobs (seconds of solver) and the .pb import write in their own transactions
    (on SQLite a request-wide one would hold the write lock while they compute)."""
    from django.urls import resolve

    from parsoc.web.core.transactions import opted_out

    def out(path, method="POST"):
        return opted_out(resolve(path).func, method)

    assert out("/api/work/test-chapter/compose") and out("/c/test-chapter/work/compose/")
    assert out("/c/test-chapter/budgeting/import")
    assert not out("/api/work/test-chapter/tasks") and not out("/api/decisions/proposals/1/stances")
    assert not out("/c/test-chapter/meetings/new") and not out("/c/test-chapter/announce/")
