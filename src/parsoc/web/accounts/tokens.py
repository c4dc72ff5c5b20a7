"""Signed, expiring links: email confirmation."""

from __future__ import annotations

from django.core import signing

CONFIRM_SALT = "parsoc.accounts.confirm-email"
CONFIRM_MAX_AGE = 3 * 24 * 3600


def confirmation_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT)


def read_confirmation_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
