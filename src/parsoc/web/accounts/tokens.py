"""Signed, expiring, single-use links: email confirmation.

A confirmation link logs its person in, so it must work once only. The signed token carries a
fingerprint of the account's state: its password hash, whether the address is confirmed, the
last login and the address itself. Following the link confirms the address and logs in, which
changes that state, so the same link is dead afterwards; so is every older link, and every link
issued before a password change or reset. Nothing needs to be stored to remember used links.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

CONFIRM_SALT = "parsoc.accounts.confirm-email"
STATE_SALT = "parsoc.accounts.confirm-email.state"
CONFIRM_MAX_AGE = 3 * 24 * 3600


def _state(user) -> str:
    last_login = "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None).isoformat()
    text = f"{user.pk}|{user.email}|{user.password}|{int(user.email_confirmed)}|{last_login}|{int(user.is_active)}"
    return salted_hmac(STATE_SALT, text, algorithm="sha256").hexdigest()[:32]


def confirmation_token(user) -> str:
    return signing.dumps({"u": user.pk, "s": _state(user)}, salt=CONFIRM_SALT)


def user_for_confirmation(token: str):
    """The person a confirmation link is for, or None if it is forged, expired or already used."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("s"), str):
        return None
    user = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
    if user is None or not constant_time_compare(_state(user), data["s"]):
        return None
    return user
