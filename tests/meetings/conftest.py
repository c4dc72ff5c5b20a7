"""Fixtures of the meetings tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is right for people and slow for tests that make many of them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _end_connections_left_in_async_threads(django_db_setup, django_db_blocker):
    """Django's async request handling (the live stream tests) keeps a persistent connection in
    helper threads that outlive the tests; on PostgreSQL an open connection keeps the test
    database from being dropped at the end. End the idle ones just before that."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                "current_database() AND pid <> pg_backend_pid() AND state = 'idle'")
