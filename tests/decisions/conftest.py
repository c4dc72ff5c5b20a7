"""Fixtures of the decisions tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def fast_passwords(settings):
    """A fast password hasher: these tests make many people and are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
