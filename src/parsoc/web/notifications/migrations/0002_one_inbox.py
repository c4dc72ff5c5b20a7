"""One inbox: the decisions app's notices and the councils' announcements become notices here.

Each old ``decisions.Notification`` (one per person) joins an :class:`Event` shared by the
notices with the same proposal, kind and text; each announcement becomes an event with a
notice for every member who had joined by then (read when they had read it). Nothing is
mailed again: every copied notice counts as mailed.
"""

from django.db import migrations

KINDS = {"opened": "decision_opened", "blocked": "decision_blocked", "closing": "decision_closing",
         "closed": "decision_closed", "review": "decision_review"}


def forwards(apps, schema_editor):
    Notification = apps.get_model("decisions", "Notification")
    Announcement = apps.get_model("councils", "Announcement")
    AnnouncementRead = apps.get_model("councils", "AnnouncementRead")
    Membership = apps.get_model("councils", "Membership")
    Event = apps.get_model("notifications", "Event")
    Notice = apps.get_model("notifications", "Notice")

    events = {}
    for old in Notification.objects.select_related("proposal", "proposal__council").order_by("created_at", "pk").iterator():
        key = (old.proposal_id, old.kind, old.text)
        if key not in events:
            council = old.proposal.council
            events[key] = Event.objects.create(
                kind=KINDS.get(old.kind, "decision_opened"), council=council, title=old.text[:300],
                url=f"/c/{council.slug}/decisions/{old.proposal_id}/", created_at=old.created_at,
                context={"proposal": old.proposal_id},
            )
        Notice.objects.get_or_create(event=events[key], recipient_id=old.user_id, defaults={
            "read_at": old.read_at, "delivery": "immediately", "mailed_at": old.created_at})

    for announcement in Announcement.objects.select_related("council").order_by("created_at", "pk").iterator():
        event = Event.objects.create(
            kind="announcement", council=announcement.council, actor_id=announcement.author_id,
            title=announcement.title[:300], url=f"/c/{announcement.council.slug}/",
            context={"body": announcement.body, "announcement": announcement.pk},
            created_at=announcement.created_at,
        )
        read = dict(AnnouncementRead.objects.filter(announcement=announcement).values_list("user_id", "read_at"))
        members = Membership.objects.filter(council_id=announcement.council_id, joined_at__lte=announcement.created_at)
        Notice.objects.bulk_create([
            Notice(event=event, recipient_id=user_id, read_at=read.get(user_id), delivery="immediately",
                   mailed_at=announcement.created_at)
            for user_id in members.values_list("user_id", flat=True)
            if user_id != announcement.author_id
        ])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_notices"),
        ("decisions", "0003_bounded_numbers"),
        ("councils", "0002_bounded_numbers"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
