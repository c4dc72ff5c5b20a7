"""Fixtures for the web shell, shared by every domain's web tests.

- ``make_user(name)``: a confirmed person with password ``PASSWORD``.
- ``council_world``: a public chapter (with a facilitator and a member), an outsider, and a
  members-only working group inside the chapter.
- ``client_as(user_or_None)``: a Django test client logged in as that person (None = anonymous).
- ``ROLES``: the four parties every permission test covers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

PASSWORD = "correct horse battery staple 42"
ROLES = ("anonymous", "outsider", "member", "facilitator")


@dataclass
class CouncilWorld:
    chapter: object
    group: object
    facilitator: object
    member: object
    outsider: object

    def person(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def make_user(db):
    from parsoc.web.accounts.models import User

    counter = {"n": 0}

    def make(name: str | None = None, *, confirmed: bool = True, **extra):
        counter["n"] += 1
        name = name or f"Person {counter['n']}"
        email = extra.pop("email", None) or f"{name.lower().replace(' ', '.')}.{counter['n']}@example.org"
        return User.objects.create_user(email, PASSWORD, display_name=name, email_confirmed=confirmed, **extra)

    return make


@pytest.fixture
def council_world(db, make_user) -> CouncilWorld:
    from parsoc.councils.kinds import CouncilKind, JoinPolicy, Role, Visibility
    from parsoc.web.councils.models import Council, Membership

    facilitator, member, outsider = make_user("Fay Facilitator"), make_user("Mo Member"), make_user("Oz Outsider")
    chapter = Council.objects.create(
        name="Test Chapter", slug="test-chapter", kind=CouncilKind.CHAPTER, city="Glasgow",
        visibility=Visibility.PUBLIC, join_policy=JoinPolicy.REQUEST,
    )
    group = Council.objects.create(
        name="Quiet Group", slug="quiet-group", kind=CouncilKind.WORKING_GROUP, parent=chapter,
        visibility=Visibility.MEMBERS, join_policy=JoinPolicy.INVITATION,
    )
    for council in (chapter, group):
        Membership.objects.create(council=council, user=facilitator, role=Role.FACILITATOR)
        Membership.objects.create(council=council, user=member, role=Role.MEMBER)
    return CouncilWorld(chapter, group, facilitator, member, outsider)


@pytest.fixture
def client_as(db):
    from django.test import Client

    def make(user=None, **kwargs):
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make
