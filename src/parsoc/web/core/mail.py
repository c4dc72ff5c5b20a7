"""Mail that leaves only after the change it tells about is committed, and never breaks it.

Every e-mail parsoc sends goes through :func:`mail_on_commit`: the messages are built while the
request runs (so they say what the request saw) and handed to the mail backend by
``transaction.on_commit``: a rolled-back change sends nothing, and a change is never announced
before it is saved. Sending is :func:`deliver`: a failure (SMTP down, a refused address, a
header the backend will not write) is logged on ``parsoc.mail`` and swallowed, because the
change it tells about is already saved and the person who made it must see it saved.

Subjects are one line: :func:`one_line` turns line breaks and other control characters into
spaces, so text people typed (titles, names) cannot add or break a mail header.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

from django.core.mail import EmailMessage, get_connection
from django.db import transaction

log = logging.getLogger("parsoc.mail")

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
SUBJECT_LIMIT = 200


def one_line(text, limit: int = SUBJECT_LIMIT) -> str:
    """``text`` on one line: control characters (line breaks included) become one space,
    surrounding space is trimmed, and it is cut to ``limit`` characters."""
    return " ".join(_CONTROL.sub(" ", str(text or "")).split())[:limit]


def has_line_break(text) -> bool:
    """Whether ``text`` holds a line break or another control character (tab excepted)."""
    return bool(_CONTROL.search(str(text or "").replace("\t", " ")))


def message(subject: str, body: str, to: Sequence[str] = (), *, bcc: Sequence[str] = (),
            from_email: str | None = None) -> EmailMessage:
    """An e-mail whose subject is made one line."""
    return EmailMessage(subject=one_line(subject), body=body, from_email=from_email, to=list(to), bcc=list(bcc))


def deliver(messages: Sequence[EmailMessage], what: str) -> int:
    """Send ``messages`` over one connection; on failure log it and return 0."""
    if not messages:
        return 0
    try:
        return get_connection().send_messages(list(messages)) or 0
    except Exception:  # any backend failure: the change is saved, say so in the log
        recipients = sum(len(m.recipients()) for m in messages)
        log.exception("mail not sent: %s (%d message(s) to %d recipient(s))", what, len(messages), recipients)
        return 0


def mail_on_commit(messages: Iterable[EmailMessage], what: str) -> int:
    """Send ``messages`` once the current transaction commits (at once outside one). Returns how
    many messages are queued; sending failures are logged by :func:`deliver`."""
    queued = [m for m in messages if m.recipients()]
    for each in queued:
        each.subject = one_line(each.subject)
    if queued:
        transaction.on_commit(lambda: deliver(queued, what), robust=True)
    return len(queued)


def mass_mail_on_commit(datatuple: Iterable[tuple], what: str) -> int:
    """:func:`mail_on_commit` for ``send_mass_mail``-style tuples ``(subject, body, from, to)``."""
    return mail_on_commit((message(subject, body, to, from_email=sender) for subject, body, sender, to in datatuple),
                          what)
