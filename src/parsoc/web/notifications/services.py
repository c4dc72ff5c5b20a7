"""The one way parsoc tells people what happened: :func:`notify`.

``notify(kind, recipients, actor=..., council=..., title=..., url=...)`` records one
:class:`~.models.Event` and one :class:`~.models.Notice` per recipient (the actor excluded:
nobody is told what they did themselves). Every notice is in the recipient's in-app inbox;
by e-mail it goes as they chose for its kind (:class:`~.kinds.Delivery`): at once (rendered
from ``notifications/email/notice.txt`` / ``.html`` and handed to the mail when the
transaction commits, through :mod:`parsoc.web.core.mail`), in the daily digest
(:func:`send_digests`, run from cron), or not at all. Links in mail are absolute, built from
the one ``PARSOC_SITE_URL`` setting. A mail that cannot be sent is logged on ``parsoc.mail``
and never undoes the change it tells about.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from parsoc.web.core.mail import mail_on_commit, one_line
from parsoc.web.notifications.kinds import KINDS, Delivery, Kind
from parsoc.web.notifications.models import DigestSent, Event, Notice, Preference

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """``PARSOC_SITE_URL`` without a trailing slash (the demo's address by default)."""
    return (getattr(settings, "PARSOC_SITE_URL", "") or DEFAULT_SITE_URL).rstrip("/")


def absolute(path: str) -> str:
    """An absolute link to ``path`` (a path on this site) for mail."""
    return f"{site_url()}/{path.lstrip('/')}"


def _site_path(url: str) -> str:
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url or one_line(url, 500) != url:
        raise ValueError(f"notify: url must be a path on this site (from reverse()), got {url!r}")
    return url


def delivery_for(user, kind: str) -> Delivery:
    """How ``user`` wants ``kind`` by e-mail (the kind's default until they choose)."""
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    return Delivery(chosen) if chosen else KINDS[Kind(kind)].default


def preferences(user) -> dict[Kind, Delivery]:
    """Every kind with ``user``'s delivery for it."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    out = {}
    for kind in Kind:
        try:
            out[kind] = Delivery(chosen[kind.value])
        except (KeyError, ValueError):
            out[kind] = KINDS[kind].default
    return out


def set_preferences(user, choices: dict[str, str]) -> None:
    """Save ``user``'s delivery per kind (``{kind: delivery}``); unknown kinds or deliveries are refused."""
    from parsoc.errors import InputError

    checked = {}
    for kind, delivery in choices.items():
        try:
            checked[Kind(kind)] = Delivery(delivery)
        except ValueError:
            raise InputError(f"{kind}: {delivery!r} is not one of {', '.join(d.value for d in Delivery)}") from None
    with transaction.atomic():
        for kind, delivery in checked.items():
            Preference.objects.update_or_create(user=user, kind=kind.value, defaults={"delivery": delivery.value})


def notify(kind: str, recipients: Iterable[Any], *, actor=None, council=None, title: str, url: str,
           context: dict | None = None, attachments: Iterable[tuple[str, str, str]] = ()) -> int:
    """Tell ``recipients`` (users) that ``kind`` happened; returns how many notices were made.

    ``title`` is one line people read ("Decision open: Buy a van"); ``url`` the page it is
    about, a site path from ``reverse()``; ``context`` (JSON-able) is passed to the mail
    templates (``body``: text shown under the title). The actor, inactive users and
    duplicates are left out. Runs inside the caller's transaction: mail leaves once it commits.
    ``attachments`` ((filename, content, mimetype)) go with the immediate mails only.
    """
    kind = Kind(kind)
    url = _site_path(url)
    title = one_line(title, 300)
    context = dict(context or {})
    people = {}
    for user in recipients:
        if user is None or not getattr(user, "is_active", True):
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        people[user.pk] = user
    chosen = dict(Preference.objects.filter(user_id__in=list(people), kind=kind.value)
                  .values_list("user_id", "delivery"))
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.create(kind=kind.value, council=council, actor=actor, title=title, url=url,
                                     context=context, created_at=now)
        notices = []
        for pk, user in people.items():
            delivery = Delivery(chosen.get(pk) or KINDS[kind].default)
            mailed = now if delivery == Delivery.IMMEDIATELY and user.email else None
            notices.append(Notice(event=event, recipient=user, delivery=delivery.value, mailed_at=mailed))
        Notice.objects.bulk_create(notices)
        mails = [_notice_mail(event, people[n.recipient_id], list(attachments)) for n in notices if n.mailed_at]
        mail_on_commit(mails, f"{kind.value} notice (event {event.pk})")
    return len(notices)


def _mail_context(user) -> dict[str, Any]:
    from django.urls import reverse

    return {"person": user, "site_url": site_url(),
            "inbox_url": absolute(reverse("notifications:inbox")),
            "preferences_url": absolute(reverse("notifications:preferences"))}


def render_notice(event: Event, user) -> tuple[str, str, str]:
    """(subject, text, HTML) of the e-mail telling ``user`` about ``event``."""
    context = {**_mail_context(user), "event": event, "link": absolute(event.url), "body": event.context.get("body", ""),
               "context": event.context}
    prefix = f"[{event.council.name}] " if event.council is not None else ""
    subject = one_line(prefix + event.title)
    return (subject, render_to_string("notifications/email/notice.txt", context),
            render_to_string("notifications/email/notice.html", context))


def _notice_mail(event: Event, user, attachments: list[tuple[str, str, str]]) -> EmailMultiAlternatives:
    subject, text, html = render_notice(event, user)
    mail = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    mail.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        mail.attach(name, content, mimetype)
    return mail


# ---- inbox ------------------------------------------------------------------------------------

def inbox(user) -> QuerySet:
    """``user``'s notices, newest first."""
    return Notice.objects.filter(recipient=user).select_related("event", "event__council", "event__actor")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notices: Iterable[Notice] | None = None) -> int:
    """Mark ``user``'s ``notices`` read (all of theirs when None); never anyone else's. Reading
    an announcement's notice also marks the announcement read."""
    from parsoc.web.councils.models import AnnouncementRead

    mine = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notices is not None:
        mine = mine.filter(pk__in=[n.pk for n in notices])
    with transaction.atomic():
        announcements = {
            c.get("announcement") for c in mine.filter(event__kind__in=[Kind.ANNOUNCEMENT, Kind.BUDGET_PHASE])
            .values_list("event__context", flat=True) if isinstance(c, dict)
        }
        changed = mine.update(read_at=timezone.now())
        for pk in announcements:
            if isinstance(pk, int):
                AnnouncementRead.objects.get_or_create(announcement_id=pk, user=user)
    return changed


def mark_announcements_read(user, announcement_ids: Iterable[int]) -> None:
    """The notices of these announcements are read (the announcement was seen elsewhere)."""
    ids = list(announcement_ids)
    for pk in ids:
        Notice.objects.filter(recipient=user, read_at__isnull=True, event__context__announcement=pk).update(
            read_at=timezone.now())


# ---- daily digest ----------------------------------------------------------------------------

def pending_digest(user=None) -> QuerySet:
    """Notices waiting for a digest (of ``user``, or of everyone)."""
    pending = Notice.objects.filter(delivery=Delivery.DIGEST.value, mailed_at__isnull=True)
    return pending.filter(recipient=user) if user is not None else pending


def render_digest(user, notices: list[Notice]) -> tuple[str, str, str]:
    context = {**_mail_context(user), "notices": [
        {"event": n.event, "link": absolute(n.event.url), "body": n.event.context.get("body", "")} for n in notices
    ]}
    subject = one_line(f"Your parsoc digest: {len(notices)} notice{'s' if len(notices) != 1 else ''}")
    return (subject, render_to_string("notifications/email/digest.txt", context),
            render_to_string("notifications/email/digest.html", context))


def send_digests(now: datetime | None = None) -> dict[str, int]:
    """One e-mail per person with their notices waiting for the digest, at most one per person
    per day (``now``'s date in the site's time zone). Run it daily from cron."""
    from parsoc.web.accounts.models import User

    now = now or timezone.now()
    day = timezone.localdate(now)
    done = {"people": 0, "notices": 0, "skipped": 0}
    waiting = pending_digest().filter(event__created_at__lte=now).values_list("recipient_id", flat=True).distinct()
    for person in User.objects.filter(pk__in=list(waiting)).order_by("pk"):
        try:
            sent = _send_digest(person, day, now)
        except IntegrityError:  # another run sent this person's digest for the day just now
            sent = None
        if sent is None:
            done["skipped"] += 1
        elif sent:
            done["people"] += 1
            done["notices"] += sent
    return done


def _send_digest(person, day, now: datetime) -> int | None:
    """Mail ``person`` their digest for ``day``: how many notices it held (None: one was already sent)."""
    with transaction.atomic():
        if DigestSent.objects.filter(user=person, day=day).exists():
            return None
        notices = list(pending_digest(person).filter(event__created_at__lte=now)
                       .select_related("event", "event__council").select_for_update(of=("self",))
                       .order_by("event__created_at", "pk"))
        if not notices:
            return 0
        # The row is unique per person and day: a second run at the same moment fails here.
        DigestSent.objects.create(user=person, day=day, notices=len(notices), sent_at=now)
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(mailed_at=now)
        if person.is_active and person.email:
            subject, text, html = render_digest(person, notices)
            mail = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
            mail.attach_alternative(html, "text/html")
            mail_on_commit([mail], f"daily digest to user {person.pk}")
        return len(notices)
