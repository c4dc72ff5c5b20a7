"""The one notification module: notices, mail rendered from templates with absolute links,
preferences per kind, the daily digest, failures to send, and who sees which notice."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from parsoc.web.notifications.kinds import KINDS, Delivery, Kind
from parsoc.web.notifications.models import DigestSent, Event, Notice
from parsoc.web.notifications.services import notify, send_digests, set_preferences


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the mail) when the block ends, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _announce(world, title="Assembly on Sunday", body="Bring chairs."):
    return notify(Kind.ANNOUNCEMENT, [world.member, world.facilitator], actor=world.facilitator,
                  council=world.chapter, title=title, url=world.chapter.get_absolute_url(), context={"body": body})


def test_every_kind_has_a_label_and_a_default():
    assert set(KINDS) == set(Kind) and Kind.MENTION in KINDS
    assert all(info.label and info.default in Delivery for info in KINDS.values())
    assert {"decision_opened", "decision_blocked", "decision_closing", "decision_closed", "poll_opened",
            "meeting_scheduled", "meeting_changed", "meeting_starting", "join_approved", "mention",
            "planning_round", "budget_phase", "delegate_mandate", "announcement"} <= {k.value for k in Kind}


def test_mail_is_rendered_with_absolute_links_from_the_site_url(council_world, on_commit, settings):
    settings.PARSOC_SITE_URL = "https://parsoc.example.org/"
    mail.outbox.clear()
    with on_commit():
        assert _announce(council_world) == 1  # the facilitator who posted it is not told
    (sent,) = mail.outbox
    assert sent.to == [council_world.member.email]
    assert sent.subject == "[Test Chapter] Assembly on Sunday"
    assert "Bring chairs." in sent.body
    assert "https://parsoc.example.org/c/test-chapter/\n" in sent.body
    assert "Choose what you get by e-mail: https://parsoc.example.org/notifications/preferences/" in sent.body
    (html, mimetype), = sent.alternatives
    assert mimetype == "text/html"
    assert 'href="https://parsoc.example.org/c/test-chapter/"' in html
    assert 'href="https://parsoc.example.org/notifications/preferences/"' in html


def test_text_people_typed_is_escaped_in_the_html_mail_and_kept_in_the_text(council_world, on_commit):
    mail.outbox.clear()
    with on_commit():
        _announce(council_world, title="<b>Bold</b> & co", body="<script>alert(1)</script>")
    (sent,) = mail.outbox
    assert "<script>alert(1)</script>" in sent.body  # plain text: as typed
    html = sent.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html


def test_the_actor_duplicates_and_inactive_people_are_not_told(council_world, make_user):
    w = council_world
    gone = make_user("Gone Person", is_active=False)
    made = notify(Kind.MENTION, [w.member, w.member, gone, w.facilitator, None], actor=w.facilitator,
                  council=w.chapter, title="Fay mentioned you", url="/c/test-chapter/")
    assert made == 1
    assert list(Notice.objects.values_list("recipient_id", flat=True)) == [w.member.pk]


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "c/relative", "/a\nb"])
def test_a_notice_links_only_to_a_path_on_this_site(council_world, url):
    with pytest.raises(ValueError, match="path on this site"):
        notify(Kind.ANNOUNCEMENT, [council_world.member], council=council_world.chapter, title="x", url=url)
    assert not Event.objects.exists()


def test_an_unknown_kind_is_refused(council_world):
    with pytest.raises(ValueError):
        notify("no_such_kind", [council_world.member], title="x", url="/")


@pytest.mark.parametrize("delivery", ["immediately", "digest", "off"])
def test_preferences_are_respected(council_world, on_commit, delivery):
    w = council_world
    set_preferences(w.member, {"announcement": delivery})
    mail.outbox.clear()
    with on_commit():
        _announce(w)
    now_mails = [m for m in mail.outbox if m.to == [w.member.email]]
    assert len(now_mails) == (1 if delivery == "immediately" else 0)
    mail.outbox.clear()
    with on_commit():
        done = send_digests()
    digests = [m for m in mail.outbox if m.to == [w.member.email]]
    assert done["people"] == len(digests) == (1 if delivery == "digest" else 0)
    if digests:
        assert "[Test Chapter] Assembly on Sunday" in digests[0].body
    # In the inbox whatever the choice: the choice is about e-mail.
    assert Notice.objects.get(recipient=w.member).delivery == delivery


def test_a_preference_is_per_kind(council_world, on_commit):
    w = council_world
    set_preferences(w.member, {"announcement": "off"})
    mail.outbox.clear()
    with on_commit():
        _announce(w)
        notify(Kind.JOIN_APPROVED, [w.member], council=w.chapter, title="You are in", url="/c/test-chapter/")
    assert [m.subject for m in mail.outbox] == ["[Test Chapter] You are in"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_failing_mail_server_is_logged_and_not_fatal(council_world, client_as, settings, caplog,
                                                       django_capture_on_commit_callbacks):
    """A real SMTP backend pointed at a port nobody listens on: the announcement is saved, the
    facilitator sees it saved, and the failure is on the ``parsoc.mail`` log."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 5
    settings.EMAIL_USE_TLS = False
    caplog.set_level(logging.ERROR, logger="parsoc.mail")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(council_world.facilitator).post(
            "/c/test-chapter/announce/", {"title": "Assembly", "body": "Sunday"})
    assert response.status_code == 302
    assert Notice.objects.filter(recipient=council_world.member, event__title="Assembly").exists()
    failures = [r for r in caplog.records if r.name == "parsoc.mail"]
    assert failures and "mail not sent: announcement notice" in failures[0].getMessage()
    assert failures[0].exc_info is not None  # the reason (connection refused) is in the log

    # The digest too: logged, and the command still finishes.
    set_preferences(council_world.member, {"announcement": "digest"})
    _announce(council_world)
    caplog.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests()["people"] == 1
    assert any("mail not sent: daily digest" in r.getMessage() for r in caplog.records)


def test_the_digest_is_one_mail_per_person_per_day_and_never_twice(council_world, on_commit, make_user, settings):
    settings.PARSOC_SITE_URL = "https://parsoc.example.org"
    w = council_world
    other = make_user("Ola Other")
    for person in (w.member, other):
        set_preferences(person, {"announcement": "digest", "mention": "digest"})
    mail.outbox.clear()
    with on_commit():
        _announce(w, title="First")
        notify(Kind.MENTION, [w.member, other], actor=w.facilitator, council=w.chapter, title="Fay mentioned you",
               url="/c/test-chapter/decisions/")
    assert mail.outbox == []  # nothing at once
    now = timezone.now()
    with on_commit():
        assert send_digests(now) == {"people": 2, "notices": 3, "skipped": 0}
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {w.member.email, other.email}
    mine = by_person[w.member.email]
    assert "First" in mine.body and "Fay mentioned you" in mine.body
    assert "https://parsoc.example.org/c/test-chapter/decisions/" in mine.body
    assert mine.subject == "Your parsoc digest: 2 notices"
    assert "Fay mentioned you" in by_person[other.email].body and "First" not in by_person[other.email].body

    mail.outbox.clear()
    with on_commit():
        assert send_digests(now)["people"] == 0  # run again: nothing twice
        _announce(w, title="Second")
        assert send_digests(now + timedelta(minutes=5)) == {"people": 0, "notices": 0, "skipped": 1}
    assert mail.outbox == []  # one digest a day
    with on_commit():
        assert send_digests(now + timedelta(days=1))["people"] == 1
    (next_day,) = mail.outbox
    assert next_day.to == [w.member.email] and "Second" in next_day.body and "First" not in next_day.body
    assert DigestSent.objects.filter(user=w.member).count() == 2


def test_the_digest_command(council_world, capsys, on_commit):
    set_preferences(council_world.member, {"announcement": "digest"})
    _announce(council_world)
    mail.outbox.clear()
    with on_commit():
        call_command("send_digests")
    assert "digests: 1 sent (1 notices)" in capsys.readouterr().out
    assert [m.to for m in mail.outbox] == [[council_world.member.email]]


def test_the_digest_from_the_cli(council_world, on_commit):
    from typer.testing import CliRunner

    from parsoc.cli.main import app

    set_preferences(council_world.member, {"announcement": "digest"})
    _announce(council_world)
    mail.outbox.clear()
    with on_commit():
        result = CliRunner().invoke(app, ["notices", "digest"])
    assert result.exit_code == 0 and "digests: 1 sent (1 notices), 0 already sent today" in result.output
    assert len(mail.outbox) == 1


# ---- the inbox and who sees what -------------------------------------------------------------

def test_a_person_sees_only_their_own_notices(council_world, client_as):
    w = council_world
    notify(Kind.MENTION, [w.member], council=w.chapter, title="For Mo only", url="/c/test-chapter/")
    notify(Kind.MENTION, [w.facilitator], council=w.chapter, title="For Fay only", url="/c/test-chapter/")
    mine = client_as(w.member).get("/notifications/").content.decode()
    assert "For Mo only" in mine and "For Fay only" not in mine
    assert "For Mo only" not in client_as(w.outsider).get("/notifications/").content.decode()


@pytest.mark.parametrize("url", ["/notifications/", "/notifications/preferences/", "/notifications/1/"])
def test_anonymous_is_sent_to_log_in(client_as, db, url):
    response = client_as(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_cannot_mark_read(council_world, client_as):
    notify(Kind.MENTION, [council_world.member], title="x", url="/")
    response = client_as(None).post("/notifications/read/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Notice.objects.filter(read_at__isnull=True).count() == 1


def test_marking_read_only_ones_own(council_world, client_as):
    w = council_world
    notify(Kind.MENTION, [w.member], council=w.chapter, title="Mine", url="/c/test-chapter/")
    notice = Notice.objects.get()
    other = client_as(w.facilitator)
    assert other.post("/notifications/read/", {"notice": notice.pk}).status_code == 404
    assert other.get(f"/notifications/{notice.pk}/").status_code == 404
    other.post("/notifications/read/")  # "mark all read" marks only the facilitator's own
    notice.refresh_from_db()
    assert notice.read_at is None
    assert client_as(w.member).post("/notifications/read/", {"notice": "not a number"}).status_code == 404
    response = client_as(w.member).get(f"/notifications/{notice.pk}/")
    assert response.status_code == 302 and response["Location"] == "/c/test-chapter/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_unread_badge_counts_notices_and_the_inbox_reads_them(council_world, client_as):
    w = council_world
    _announce(w)
    notify(Kind.MENTION, [w.member], council=w.chapter, title="Fay mentioned you", url="/c/test-chapter/")
    client = client_as(w.member)
    assert client.get("/councils/").context["unread_count"] == 2
    assert client.get("/notifications/unread/").content.decode().startswith('<span class="badge" data-testid="unread-count">2</span>')
    page = client.get("/notifications/").content.decode()
    assert page.count('class="notice unread"') == 2 and "Bring chairs." in page
    assert client.get("/councils/").context["unread_count"] == 0
    assert "unread-count" not in client.get("/notifications/unread/").content.decode()


def test_the_old_inbox_pages_lead_to_the_one_inbox(council_world, client_as):
    client = client_as(council_world.member)
    for old in ("/inbox/", "/notifications/decisions/"):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == "/notifications/"
    assert client.get("/inbox/unread/")["Location"] == "/notifications/unread/"


def test_preferences_page_saves_and_refuses_bad_choices(council_world, client_as):
    client = client_as(council_world.member)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert KINDS[Kind.MENTION].label in page and "In the daily digest" in page
    choices = {k.value: KINDS[k].default.value for k in Kind}
    response = client.post("/notifications/preferences/", {**choices, "mention": "digest"})
    assert response.status_code == 302
    from parsoc.web.notifications.services import preferences

    assert preferences(council_world.member)[Kind.MENTION] == Delivery.DIGEST
    response = client.post("/notifications/preferences/", {**choices, "mention": "hourly"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert preferences(council_world.member)[Kind.MENTION] == Delivery.DIGEST
    assert 'href="/notifications/preferences/"' in client.get("/accounts/profile/").content.decode()


# ---- the events that go through notify() -----------------------------------------------------

def test_an_approved_member_is_told(council_world, make_user, client_as, on_commit):
    from parsoc.web.councils import services

    w = council_world
    newcomer = make_user("Nia Newcomer")
    mail.outbox.clear()
    with on_commit():
        request = services.join(newcomer, w.chapter, "Hello!")
    assert [m.to for m in mail.outbox] == [[w.facilitator.email]]
    assert "Nia Newcomer asks to join" in mail.outbox[0].subject and "Hello!" in mail.outbox[0].body
    mail.outbox.clear()
    with on_commit():
        services.decide_request(w.facilitator, request, approve=True)
    (told,) = mail.outbox
    assert told.to == [newcomer.email] and told.subject == "[Test Chapter] You are now a member of Test Chapter"
    assert "You are now a member of Test Chapter" in client_as(newcomer).get("/notifications/").content.decode()


def test_announcements_are_in_the_one_inbox_and_read_on_the_council_page(council_world, client_as):
    from parsoc.web.councils import services

    w = council_world
    services.announce(w.facilitator, w.chapter, "Picnic", "Saturday at noon")
    client = client_as(w.member)
    page = client.get("/c/test-chapter/").content.decode()
    assert 'data-testid="needs-announcement"' in page and "Picnic" in page
    assert client.get("/councils/").context["unread_count"] == 0  # seen on the council page
    assert 'data-testid="needs-announcement"' not in client.get("/c/test-chapter/").content.decode()


# ---- the council page: what needs the reader, and what happened ------------------------------

def test_the_council_page_shows_what_needs_the_reader_and_a_timeline(council_world, client_as):
    from parsoc.web.decisions import services

    w = council_world
    p = services.create_proposal(w.member, w.chapter, title="Paint the door", body="Red.")
    services.set_stage(w.member, p, "discussion")
    services.open_decision(w.facilitator, p, rule="consent")
    page = client_as(w.member).get("/c/test-chapter/").content.decode()
    assert 'data-testid="needs-decision"' in page and "Paint the door" in page
    assert 'data-testid="timeline"' in page and "Decision open: Paint the door" in page
    services.cast(w.member, p, kind="agree")
    page = client_as(w.member).get("/c/test-chapter/").content.decode()
    assert 'data-testid="needs-decision"' not in page and "Nothing waits for you here" in page
    # Someone who is not a member sees neither.
    page = client_as(w.outsider).get("/c/test-chapter/").content.decode()
    assert 'data-testid="needs-you"' not in page and 'data-testid="timeline"' not in page


def test_the_council_page_lists_polls_to_answer_and_the_next_meeting(council_world, client_as):
    from parsoc.web.meetings import services as meetings

    w = council_world
    poll = meetings.create_poll(w.facilitator, w.chapter, title="December assembly")
    meeting = meetings.create_meeting(w.facilitator, w.chapter, title="General assembly",
                                      start=(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
                                      zone="UTC", minutes=60, location="Hall")
    page = client_as(w.member).get("/c/test-chapter/").content.decode()
    assert 'data-testid="needs-poll"' in page and f'href="{poll.get_absolute_url()}"' in page
    assert 'data-testid="needs-meeting"' in page and "General assembly" in page
    assert "Invitation: General assembly" in page  # on the timeline
    # Mentions are about one person: never on the council's timeline.
    notify(Kind.MENTION, [w.member], actor=w.facilitator, council=w.chapter, title="Fay mentioned Mo",
           url=meeting.get_absolute_url())
    assert "Fay mentioned Mo" not in client_as(w.member).get("/c/test-chapter/").content.decode()


def test_a_poll_opening_and_a_meeting_starting_are_told(council_world, make_user):
    from parsoc.web.decisions import polls
    from parsoc.web.meetings import services as meetings

    w = council_world
    poll = polls.create_poll(w.facilitator, w.chapter, title="Which day?", kind="approval", options=["mon", "sat"])
    polls.open_poll(w.facilitator, poll)
    (told,) = Notice.objects.filter(event__kind=Kind.POLL_OPENED)
    assert told.recipient == w.member and told.event.title == "Poll open: Which day?"
    assert told.event.url == f"/c/test-chapter/polls/{poll.pk}/"

    meeting = meetings.create_meeting(w.facilitator, w.chapter, title="Assembly",
                                      start=(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                                      zone="UTC", minutes=60)
    meetings.live_act(w.facilitator, meeting.pk, "check", question="Ready?")
    meetings.live_act(w.member, meeting.pk, "raise", kind="new")  # already live: told once
    (starting,) = Notice.objects.filter(event__kind=Kind.MEETING_STARTING)
    assert starting.recipient == w.member and starting.event.url == f"/meetings/{meeting.pk}/live/"


def test_hostile_text_shows_as_text_in_the_inbox_and_on_the_timeline(council_world, client_as):
    from parsoc.web.councils import services

    w = council_world
    hostile = '<img src=x onerror="alert(1)">'
    services.announce(w.facilitator, w.chapter, f"Title {hostile}", f"Body {hostile}")
    inbox = client_as(w.member).get("/notifications/").content.decode()
    assert hostile not in inbox and "Title &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in inbox
    assert "Body &lt;img" in inbox
    page = client_as(w.member).get("/c/test-chapter/").content.decode()
    assert hostile not in page and 'data-testid="timeline"' in page
