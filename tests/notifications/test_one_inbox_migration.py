"""The data migration into the one inbox: old decision notices and announcements become notices."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from tests.migrating import migrate

BEFORE = [("decisions", "0003_bounded_numbers"), ("notifications", "0001_notices"), ("councils", "0002_bounded_numbers")]
AFTER = [("decisions", "0004_notices_moved_to_one_inbox"), ("notifications", "0002_one_inbox")]




@pytest.mark.django_db(transaction=True)
def test_old_notices_and_announcements_move_into_the_one_inbox():
    old = migrate(BEFORE)
    try:
        User = old.get_model("accounts", "User")
        Council = old.get_model("councils", "Council")
        Membership = old.get_model("councils", "Membership")
        Announcement = old.get_model("councils", "Announcement")
        AnnouncementRead = old.get_model("councils", "AnnouncementRead")
        Proposal = old.get_model("decisions", "Proposal")
        Notification = old.get_model("decisions", "Notification")
        at = datetime(2026, 3, 1, 12, tzinfo=UTC)
        fay = User.objects.create(email="fay@example.org", display_name="Fay")
        mo = User.objects.create(email="mo@example.org", display_name="Mo")
        late = User.objects.create(email="late@example.org", display_name="Late")
        council = Council.objects.create(name="Chapter", slug="chapter", kind="chapter")
        for person in (fay, mo):
            Membership.objects.create(council=council, user=person, role="member", joined_at=at)
        Membership.objects.create(council=council, user=late, role="member", joined_at=datetime(2026, 4, 1, tzinfo=UTC))
        proposal = Proposal.objects.create(council=council, title="Paint the door", body="Red.")
        for person, read in ((fay, None), (mo, at)):
            note = Notification.objects.create(user=person, proposal=proposal, kind="opened", text="Decision open: Paint the door")
            Notification.objects.filter(pk=note.pk).update(read_at=read)
        Notification.objects.create(user=fay, proposal=proposal, kind="blocked", text="Mo blocked: Paint the door")
        news = Announcement.objects.create(council=council, author=fay, title="Picnic", body="Saturday", created_at=at)
        AnnouncementRead.objects.create(announcement=news, user=fay)
        AnnouncementRead.objects.create(announcement=news, user=mo)
    finally:
        new = migrate(AFTER)

    Event = new.get_model("notifications", "Event")
    Notice = new.get_model("notifications", "Notice")
    opened = Event.objects.get(kind="decision_opened")
    assert opened.url == f"/c/chapter/decisions/{proposal.pk}/" and opened.title == "Decision open: Paint the door"
    assert {(n.recipient_id, n.read_at is not None) for n in Notice.objects.filter(event=opened)} == {
        (fay.pk, False), (mo.pk, True)}
    assert list(Notice.objects.filter(event__kind="decision_blocked").values_list("recipient_id", flat=True)) == [fay.pk]
    picnic = Event.objects.get(kind="announcement")
    assert picnic.context == {"body": "Saturday", "announcement": news.pk} and picnic.actor_id == fay.pk
    # Members who had joined by then, but not its author; read as they had read it.
    assert {(n.recipient_id, n.read_at is not None) for n in Notice.objects.filter(event=picnic)} == {(mo.pk, True)}
    assert Notice.objects.filter(mailed_at__isnull=True).count() == 0  # nothing is mailed again
    assert "decisions_notification" not in connection.introspection.table_names()


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations():
    """Whatever the test did, leave the database at every app's latest migration (the other
    apps' later migrations, e.g. comments', need it; PostgreSQL's flush fails otherwise)."""
    yield
    migrate()
