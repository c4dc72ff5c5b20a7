"""Every permission, asked directly of its predicate, for every party.

Each registered permission (``rules.add_perm`` in ``src/parsoc/web/*/rules.py``) has a row in
``TABLE``: for each *scene* (which object the permission is asked about: the public chapter or
the members-only group of ``council_world``, or a poll, meeting or budgeting process in one of
them) the expected answer for the five parties, written out in this order::

    (anonymous, outsider, member, facilitator, site admin)

``EXTRA`` adds the parties a clause is about that the five do not tell apart: a person who has
not confirmed their address, a deactivated account, a member who holds a role in one meeting,
the member who wrote a poll.

The permission is asked of ``rules.has_perm`` (the predicate itself), not of ``user.has_perm``:
Django answers yes to every question from an active superuser before any backend runs, which
would hide the admin clause of each predicate.

Every clause of every predicate changes at least one expected value here, so a predicate that
loses a clause (``join`` without ``~is_member``, ``comment`` without the review phase, ...)
fails this test. ``test_every_permission_is_in_the_table`` fails when a permission is added
without a row.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from tests.fixtures_web import ROLES

PARTIES = (*ROLES, "admin")

# Scenes. "chapter" / "group": the council itself. Other scenes name an object in a council.
PHASES = ("proposals", "review", "voting", "results")


def every_phase(chapter, group):
    """The same answers for a process in any phase (the permission does not look at it)."""
    return {
        **{f"process in chapter, {p}": chapter for p in PHASES},
        **{f"process in group, {p}": group for p in PHASES},
    }


NO = (0, 0, 0, 0, 0)
ALL = (1, 1, 1, 1, 1)
VIEWERS_OF_PRIVATE = (0, 0, 1, 1, 1)  # members, facilitators, site admins
MEMBERS = (0, 0, 1, 1, 0)  # members and facilitators, not a site admin who is no member
MANAGERS = (0, 0, 0, 1, 1)  # facilitators and site admins

#      permission                    scene                                         A  O  M  F  S
TABLE: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    # --- councils ---------------------------------------------------------------------------
    "councils.view_council": {"chapter": ALL, "group": VIEWERS_OF_PRIVATE},
    "councils.view_members": {"chapter": ALL, "group": VIEWERS_OF_PRIVATE},
    "councils.create_council": {"no object": (0, 1, 1, 1, 1)},
    "councils.change_council": {"chapter": MANAGERS, "group": MANAGERS},
    "councils.manage_members": {"chapter": MANAGERS, "group": MANAGERS},
    "councils.invite": {"chapter": MANAGERS, "group": MANAGERS},
    "councils.post_announcement": {"chapter": MANAGERS, "group": MANAGERS},
    "councils.name_delegate": {"chapter": MANAGERS, "group": MANAGERS},
    # join: confirmed, can see the council, not yet a member
    "councils.join": {"chapter": (0, 1, 0, 0, 1), "group": (0, 0, 0, 0, 1)},
    "councils.leave": {"chapter": MEMBERS, "group": MEMBERS},
    "councils.nest_under": {"chapter": VIEWERS_OF_PRIVATE, "group": VIEWERS_OF_PRIVATE},
    # --- decisions (asked of the council) -------------------------------------------------------
    "decisions.view": {"chapter": ALL, "group": VIEWERS_OF_PRIVATE},
    "decisions.propose": {"chapter": MEMBERS, "group": MEMBERS},
    "decisions.comment": {"chapter": MEMBERS, "group": MEMBERS},
    "decisions.take_stance": {"chapter": MEMBERS, "group": MEMBERS},
    "decisions.delegate": {"chapter": MEMBERS, "group": MEMBERS},
    "decisions.facilitate": {"chapter": MANAGERS, "group": MANAGERS},
    # --- work (asked of the council) ----------------------------------------------------------
    "work.view": {"chapter": ALL, "group": VIEWERS_OF_PRIVATE},
    "work.rate": {"chapter": MEMBERS, "group": MEMBERS},
    "work.manage": {"chapter": MANAGERS, "group": MANAGERS},
    "work.view_entitlements": {"chapter": VIEWERS_OF_PRIVATE, "group": VIEWERS_OF_PRIVATE},
    # --- the directory of organisations (shared by the federation, not inside one council) -------
    "orgs.view": {"no object": ALL, "organisation added by the member": ALL},
    "orgs.add": {"no object": (0, 1, 1, 1, 1)},
    "orgs.change": {"organisation added by the member": (0, 0, 1, 0, 1),
                    "organisation added by the outsider": (0, 1, 0, 0, 1)},
    "orgs.import": {"no object": MANAGERS},  # facilitators of any council, and site admins
    # --- meetings and polls -------------------------------------------------------------------
    "meetings.view": {
        "chapter": ALL, "group": VIEWERS_OF_PRIVATE,
        "meeting in chapter": ALL, "meeting in group": VIEWERS_OF_PRIVATE,
        "poll in chapter": ALL, "poll in group": VIEWERS_OF_PRIVATE,
    },
    "meetings.create_poll": {"chapter": VIEWERS_OF_PRIVATE, "group": VIEWERS_OF_PRIVATE},
    "meetings.answer_poll": {"poll in chapter": MEMBERS, "poll in group": MEMBERS},
    # the polls here were written by the member: author, facilitator or site admin
    "meetings.manage_poll": {"poll in chapter": VIEWERS_OF_PRIVATE, "poll in group": VIEWERS_OF_PRIVATE},
    "meetings.change_settings": {"chapter": MANAGERS, "group": MANAGERS},
    "meetings.create_meeting": {"chapter": MANAGERS, "group": MANAGERS},
    "meetings.take_part": {"meeting in chapter": MEMBERS, "meeting in group": MEMBERS},
    "meetings.run_meeting": {"meeting in chapter": MANAGERS, "meeting in group": MANAGERS},
    "meetings.change_meeting": {"meeting in chapter": MANAGERS, "meeting in group": MANAGERS},
    "meetings.write_minutes": {"meeting in chapter": MANAGERS, "meeting in group": MANAGERS},
    "meetings.read_minutes": {
        "meeting in chapter": VIEWERS_OF_PRIVATE, "meeting in group": VIEWERS_OF_PRIVATE,
        "meeting in chapter, minutes published": ALL,
        "meeting in group, minutes published": VIEWERS_OF_PRIVATE,
    },
    # --- budgeting ----------------------------------------------------------------------------
    "budgeting.create_process": {"chapter": MANAGERS, "group": MANAGERS},
    "budgeting.view_process": every_phase(chapter=ALL, group=VIEWERS_OF_PRIVATE),
    "budgeting.manage_process": every_phase(chapter=MANAGERS, group=MANAGERS),
    "budgeting.propose": {
        "process in chapter, proposals": MEMBERS, "process in group, proposals": MEMBERS,
        "process in chapter, review": NO, "process in group, review": NO,
        "process in chapter, voting": NO, "process in group, voting": NO,
        "process in chapter, results": NO, "process in group, results": NO,
    },
    "budgeting.comment": {
        "process in chapter, proposals": MEMBERS, "process in group, proposals": MEMBERS,
        "process in chapter, review": MEMBERS, "process in group, review": MEMBERS,
        "process in chapter, voting": MEMBERS, "process in group, voting": MEMBERS,
        "process in chapter, results": NO, "process in group, results": NO,
    },
    "budgeting.review": {
        "process in chapter, proposals": NO, "process in group, proposals": NO,
        "process in chapter, review": MANAGERS, "process in group, review": MANAGERS,
        "process in chapter, voting": NO, "process in group, voting": NO,
        "process in chapter, results": NO, "process in group, results": NO,
    },
    "budgeting.vote": {
        "process in chapter, proposals": NO, "process in group, proposals": NO,
        "process in chapter, review": NO, "process in group, review": NO,
        "process in chapter, voting": MEMBERS, "process in group, voting": MEMBERS,
        "process in chapter, results": NO, "process in group, results": NO,
    },
    "budgeting.view_results": {
        "process in chapter, proposals": NO, "process in group, proposals": NO,
        "process in chapter, review": NO, "process in group, review": NO,
        "process in chapter, voting": NO, "process in group, voting": NO,
        "process in chapter, results": ALL, "process in group, results": VIEWERS_OF_PRIVATE,
    },
    # facilitators while open; once the results are out, whoever may see the process
    "budgeting.export_ballots": {
        "process in chapter, proposals": MANAGERS, "process in group, proposals": MANAGERS,
        "process in chapter, review": MANAGERS, "process in group, review": MANAGERS,
        "process in chapter, voting": MANAGERS, "process in group, voting": MANAGERS,
        "process in chapter, results": ALL, "process in group, results": VIEWERS_OF_PRIVATE,
    },
}

# (permission, scene, who, expected) for the parties the five above do not separate.
EXTRA: list[tuple[str, str, str, bool]] = [
    ("councils.create_council", "no object", "unconfirmed", False),
    ("orgs.add", "no object", "unconfirmed", False),
    ("orgs.add", "no object", "inactive", False),
    ("orgs.import", "no object", "inactive", False),
    ("councils.create_council", "no object", "inactive", False),
    ("councils.join", "chapter", "unconfirmed", False),
    ("councils.join", "chapter", "inactive", False),
    # the poll's author manages it; another member does not
    ("meetings.manage_poll", "poll in chapter, by the facilitator", "member", False),
    ("meetings.manage_poll", "poll in chapter, by the facilitator", "facilitator", True),
    ("meetings.manage_poll", "poll in chapter, by the outsider", "outsider", True),
    # meeting roles give their powers in that meeting only
    ("meetings.run_meeting", "meeting in chapter", "member as facilitator", True),
    ("meetings.run_meeting", "meeting in chapter", "member as stack keeper", True),
    ("meetings.run_meeting", "meeting in chapter", "member as note taker", False),
    ("meetings.run_meeting", "meeting in chapter", "member as timekeeper", False),
    ("meetings.run_meeting", "another meeting in chapter", "member as stack keeper", False),
    ("meetings.change_meeting", "meeting in chapter", "member as facilitator", True),
    ("meetings.change_meeting", "meeting in chapter", "member as stack keeper", False),
    ("meetings.change_meeting", "meeting in chapter", "member as note taker", False),
    ("meetings.write_minutes", "meeting in chapter", "member as note taker", True),
    ("meetings.write_minutes", "meeting in chapter", "member as facilitator", True),
    ("meetings.write_minutes", "meeting in chapter", "member as stack keeper", False),
    ("meetings.write_minutes", "another meeting in chapter", "member as note taker", False),
    # Roles go only to members (services.assign_role), and the predicate asks again: someone
    # who left the council or was removed loses the powers of a role they still hold.
    ("meetings.write_minutes", "meeting in chapter", "outsider as note taker", False),
    ("meetings.read_minutes", "meeting in chapter", "outsider as note taker", False),
]


class Scenes:
    """Builds, once per test, the objects the scenes name, in ``council_world``."""

    def __init__(self, world, make_user):
        self.world = world
        self.make_user = make_user
        self.meetings = {}

    def council(self, place: str):
        return {"chapter": self.world.chapter, "group": self.world.group}[place]

    def meeting(self, place: str, *, published: bool = False, key: str = ""):
        from parsoc.web.meetings.models import Meeting

        name = (place, published, key)
        if name not in self.meetings:
            self.meetings[name] = Meeting.objects.create(
                council=self.council(place), title=f"Meeting {len(self.meetings)}",
                start=datetime(2026, 5, 1, 18, tzinfo=UTC), minutes_published=published,
            )
        return self.meetings[name]

    def poll(self, place: str, author):
        from parsoc.web.meetings.models import Poll

        return Poll.objects.create(council=self.council(place), title="When?", created_by=author)

    def process(self, place: str, phase: str):
        from parsoc.web.budgeting.models import Process

        return Process.objects.create(council=self.council(place), title="Budget", budget=1000, phase=phase)

    def build(self, scene: str):
        w = self.world
        if scene == "no object":
            return None
        if scene in ("chapter", "group"):
            return self.council(scene)
        if scene.startswith("organisation added by the "):
            from parsoc.web.orgs.models import Entry

            return Entry.objects.create(name="A co-op", added_by=getattr(w, scene.rsplit(" ", 1)[1]))
        what, _, rest = scene.partition(" in ")
        place, _, detail = rest.partition(", ")
        if what == "meeting":
            return self.meeting(place, published=detail == "minutes published")
        if what == "another meeting":
            return self.meeting(place, key="another")
        if what == "poll":
            author = {"": w.member, "by the facilitator": w.facilitator, "by the outsider": w.outsider}[detail]
            return self.poll(place, author)
        if what == "process":
            return self.process(place, detail)
        raise AssertionError(f"unknown scene {scene!r}")

    def party(self, who: str):
        w = self.world
        if who == "anonymous":
            return AnonymousUser()
        if who == "admin":
            return self.make_user("Ada Admin", is_superuser=True, is_staff=True)
        if who == "unconfirmed":
            return self.make_user("Una Unconfirmed", confirmed=False)
        if who == "inactive":
            return self.make_user("Ina Inactive", is_active=False)
        person, _, role = who.partition(" as ")
        user = getattr(w, person)
        if role:
            from parsoc.web.meetings.models import RoleAssignment

            # the role is held in "meeting in chapter" only, never in "another meeting"
            RoleAssignment.objects.create(meeting=self.meeting("chapter"), role=role, user=user)
        return user


@pytest.fixture
def scenes(council_world, make_user):
    return Scenes(council_world, make_user)


CASES = [(perm, scene) for perm, row in TABLE.items() for scene in row]


def test_every_permission_is_in_the_table():
    registered = set(rules.permissions.permissions)
    assert registered == set(TABLE), (
        f"permissions without a row: {sorted(registered - set(TABLE))}; "
        f"rows for no permission: {sorted(set(TABLE) - registered)}"
    )


def test_every_row_answers_for_every_party():
    for perm, row in TABLE.items():
        for scene, expected in row.items():
            assert len(expected) == len(PARTIES), (perm, scene)
            assert set(expected) <= {0, 1}, (perm, scene)


@pytest.mark.parametrize(("perm", "scene"), CASES, ids=[f"{p}:{s}" for p, s in CASES])
def test_predicate_truth_table(scenes, perm, scene):
    obj = scenes.build(scene)
    got = tuple(int(rules.has_perm(perm, scenes.party(who), obj)) for who in PARTIES)
    assert dict(zip(PARTIES, got, strict=True)) == dict(zip(PARTIES, TABLE[perm][scene], strict=True))


@pytest.mark.parametrize(("perm", "scene", "who", "expected"), EXTRA, ids=[f"{p}:{s}:{w}" for p, s, w, _ in EXTRA])
def test_predicate_special_parties(scenes, perm, scene, who, expected):
    user = scenes.party(who)
    assert rules.has_perm(perm, user, scenes.build(scene)) is expected


def test_views_ask_through_the_rules_backend(council_world, make_user):
    """The views ask ``user.has_perm``: the rules backend is installed, so the table is what
    they get (a member may comment; an outsider may not)."""
    chapter = council_world.chapter
    assert council_world.member.has_perm("decisions.comment", chapter)
    assert not council_world.outsider.has_perm("decisions.comment", chapter)
    assert council_world.outsider.has_perm("councils.join", chapter)
    assert not council_world.member.has_perm("councils.join", chapter)
