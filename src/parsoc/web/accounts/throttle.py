"""Login throttling: at most ``MAX_PER_EMAIL`` passwords are checked for one address (and
``MAX_PER_IP`` from one network address) until ``WINDOW`` has passed since the last of them.

The attempt is *admitted and counted before* the password is checked, in one transaction that
holds the counter rows locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite lets one writer in
at a time, and the transaction writes first). So any number of concurrent requests against one
address get at most the limit of password checks; the rest are refused without one. The counts
live in the database, so the limit holds across server processes.

A correct password resets the count for its address (not for its network address). A refused
attempt does not extend the wait.

The same counters limit what anyone may write without an account (:func:`admit_write`,
:func:`limit_writes`): sign-ups, confirmation mails sent again, password-reset mails and answers
to a scheduling poll through its outside link. Each is counted per network address (and, for
mails, per address written to) before anything is written or sent; over the limit the request is
answered 429 and nothing happens.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from parsoc.web.accounts.models import LoginThrottle

WINDOW = timedelta(minutes=15)
MAX_PER_EMAIL = 5
MAX_PER_IP = 30


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _key(kind: str, value: str) -> str:
    return salted_hmac("parsoc.accounts.throttle", f"{kind}:{value}", algorithm="sha256").hexdigest()


def _limits(email: str, ip: str | None) -> dict[str, int]:
    limits = {_key("email", email.strip().lower()): MAX_PER_EMAIL}
    if ip:
        limits[_key("ip", ip)] = MAX_PER_IP
    return limits


def admit(email: str, ip: str | None) -> bool:
    """Count one login attempt, if the limits allow it. False: refuse it without checking anything."""
    return _count_within(_limits(email, ip))


def _count_within(limits: dict[str, int]) -> bool:
    """Count one more use of every key of ``limits`` if none is at its limit (in one transaction
    over the locked counter rows); False, and nothing counted, if one is."""
    keys = sorted(limits)  # one locking order for everyone: no deadlocks between two keys
    now = timezone.now()
    with transaction.atomic():
        # Write first: on SQLite this takes the write lock at once, so a second request waits
        # here instead of reading a count that is about to change.
        LoginThrottle.objects.bulk_create(
            [LoginThrottle(key=key, attempts=0, last_at=now) for key in keys], ignore_conflicts=True
        )
        rows = list(LoginThrottle.objects.select_for_update().filter(key__in=keys).order_by("key"))
        for row in rows:
            if now - row.last_at >= WINDOW:
                row.attempts = 0
        if any(row.attempts >= limits[row.key] for row in rows):
            return False
        for row in rows:
            row.attempts += 1
            row.last_at = now
            row.save(update_fields=["attempts", "last_at"])
    return True


def succeeded(email: str) -> None:
    """A correct password for ``email``: its count starts again."""
    LoginThrottle.objects.filter(key=_key("email", email.strip().lower())).delete()
    LoginThrottle.objects.filter(last_at__lt=timezone.now() - 2 * WINDOW).delete()


# --- writes without an account ---------------------------------------------------------------

#: action → (most writes per network address, most per address written to or None) per WINDOW
WRITES = {
    "signup": (30, 3),
    "resend_confirmation": (10, 3),
    "password_reset": (10, 3),
    "outside_answer": (30, None),
}
WRITES_REFUSED = "Too many requests from your network address. Wait 15 minutes and try again."


def admit_write(action: str, ip: str | None, address: str = "") -> bool:
    """Count one ``action`` from network address ``ip`` (and to e-mail ``address``, for the
    actions that send mail), if the limits allow it. False: do nothing, answer "too many"."""
    per_ip, per_address = WRITES[action]
    limits = {}
    if ip:  # as for logins: without a network address (a Unix socket) only the address counts
        limits[_key(f"write:{action}:ip", ip)] = per_ip
    address = address.strip().lower()
    if per_address is not None and address:
        limits[_key(f"write:{action}:email", address)] = per_address
    return _count_within(limits) if limits else True


def limit_writes(action: str, address_field: str | None = None):
    """A view decorator: each POST is counted by :func:`admit_write` before the view runs; over
    the limit it is answered 429 (the error page) and the view does not run."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                address = str(request.POST.get(address_field, "")) if address_field else ""
                if not admit_write(action, client_ip(request), address):
                    from parsoc.web.core.views import too_many_requests

                    return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
