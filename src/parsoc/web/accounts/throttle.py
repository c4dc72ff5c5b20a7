"""Login throttling: too many failures for one address or from one IP lock further tries.

Failures are stored in the database, so the limit holds across server processes.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from parsoc.web.accounts.models import LoginFailure

WINDOW = timedelta(minutes=15)
MAX_PER_EMAIL = 5
MAX_PER_IP = 30


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def locked_out(email: str, ip: str | None) -> bool:
    since = timezone.now() - WINDOW
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(email=email.lower()).count() >= MAX_PER_EMAIL:
        return True
    return ip is not None and recent.filter(ip=ip).count() >= MAX_PER_IP


def record_failure(email: str, ip: str | None) -> None:
    LoginFailure.objects.create(email=email.lower(), ip=ip)
    LoginFailure.objects.filter(at__lt=timezone.now() - 2 * WINDOW).delete()


def clear(email: str) -> None:
    LoginFailure.objects.filter(email=email.lower()).delete()
