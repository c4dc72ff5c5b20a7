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
loses a clause (``join`` without ``~is_member``, ``vote`` without the voting phase, ...)
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
    # asked of a proposal: whoever sees its council; a draft (here the member's) only its author
    # and the facilitators
    "decisions.view_proposal": {
        "proposal in chapter": ALL, "proposal in group": VIEWERS_OF_PRIVATE,
        "draft in chapter": VIEWERS_OF_PRIVATE, "draft in group": VIEWERS_OF_PRIVATE,
    },
    # --- work (asked of the council) ----------------------------------------------------------
    "work.view": {"chapter": ALL, "group": VIEWERS_OF_PRIVATE},
    "work.rate": {"chapter": MEMBERS, "group": MEMBERS},
    "work.manage": {"chapter": MANAGERS, "group": MANAGERS},
    "work.view_entitlements": {"chapter": VIEWERS_OF_PRIVATE, "group": VIEWERS_OF_PRIVATE},
    # --- selection by lot (asked of the council) -----------------------------------------------
    "lot.view": {"chapter": ALL, "group": VIEWERS_OF_PRIVATE},
    "lot.take_part": {"chapter": MEMBERS, "group": MEMBERS},
    "lot.manage": {"chapter": MANAGERS, "group": MANAGERS},
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
    # --- discussions (targets: a proposal or a budget project; comments by the member) -------------
    "comments.view": {
        "proposal in chapter, discussion": ALL, "proposal in group, discussion": VIEWERS_OF_PRIVATE,
        "proposal in chapter, draft": (0, 0, 1, 1, 1),  # its author (the member) and facilitators
        "project in chapter, results": ALL, "project in group, voting": VIEWERS_OF_PRIVATE,
    },
    "comments.post": {
        "proposal in chapter, discussion": MEMBERS, "proposal in group, discussion": MEMBERS,
        "proposal in chapter, draft": NO, "proposal in chapter, closed": NO,
        "project in chapter, voting": MEMBERS, "project in chapter, results": NO,
    },
    "comments.edit": {
        "comment in chapter, by the member": (0, 0, 1, 0, 0),
        "comment in group, by the member": (0, 0, 1, 0, 0),
        "comment in chapter, by the member, removed": NO,
        "comment in chapter, by the member, closed": NO,
    },
    "comments.remove": {
        "comment in chapter, by the member": (0, 0, 1, 1, 1),
        "comment in group, by the member": (0, 0, 1, 1, 1),
        "comment in chapter, by the member, removed": NO,
    },
    # --- notifications: each person's own inbox and notices only ------------------------------
    "notifications.view_inbox": {"no object": (0, 1, 1, 1, 1)},
    "notifications.read_notice": {"notice to the member": (0, 0, 1, 0, 0), "notice to the facilitator": (0, 0, 0, 1, 0)},
    # --- planning (asked of a federation, a year, or a council taking part in a year) -------------
    "planning.open_year": {"chapter": MANAGERS, "group": MANAGERS},
    "planning.view_year": {"year in chapter": ALL, "year in group": VIEWERS_OF_PRIVATE},
    "planning.run_year": {"year in chapter": MANAGERS, "year in group": MANAGERS},
    "planning.view_council": {
        "worker council in chapter": ALL, "simulated council in chapter": ALL, "consumer council in chapter": ALL,
        "worker council in group": VIEWERS_OF_PRIVATE,
    },
    # only the council's own members; the federation's facilitators only for member-less (simulated) ones
    "planning.act_for": {
        "worker council in chapter": MEMBERS, "simulated council in chapter": MANAGERS,
        "consumer council in chapter": MEMBERS, "worker council in group": MEMBERS,
    },
    "planning.set_function": {
        "worker council in chapter": MANAGERS, "simulated council in chapter": MANAGERS,
        "consumer council in chapter": MANAGERS, "worker council in group": MANAGERS,
    },
    "planning.request": {
        "worker council in chapter": NO, "simulated council in chapter": NO,
        "consumer council in chapter": MEMBERS, "worker council in group": NO,
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
    # a draft is its author's: another member does not see it, a facilitator does
    ("decisions.view_proposal", "draft in chapter, by the facilitator", "member", False),
    ("decisions.view_proposal", "draft in chapter, by the outsider", "outsider", True),
    ("decisions.view_proposal", "draft in group, by the outsider", "outsider", False),
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
    # a member of a council taking part sees the year even when the federation is members-only
    ("planning.view_year", "year in group", "participant", True),
    ("planning.view_council", "worker council in group", "participant", True),
    ("planning.act_for", "worker council in group", "participant", True),
    ("planning.act_for", "simulated council in chapter", "participant", False),
]


class Scenes:
    """Builds, once per test, the objects the scenes name, in ``council_world``."""

    def __init__(self, world, make_user):
        self.world = world
        self.make_user = make_user
        self.meetings = {}
        self.years = {}
        self.participant_user = None

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

    def proposal(self, place: str, stage: str):
        from parsoc.web.decisions import services
        from parsoc.web.decisions.models import Proposal

        p = services.create_proposal(self.world.member, self.council(place), title="Paint", body="Red.")
        if stage != "draft":
            Proposal.objects.filter(pk=p.pk).update(stage=stage)
            p.refresh_from_db()
        return p

    def comment(self, place: str, detail: str):
        from parsoc.web.comments import services
        from parsoc.web.decisions.models import Proposal

        proposal = self.proposal(place, "discussion")
        comment = services.post(self.world.member, proposal, body="Which red?")
        if detail.endswith(", removed"):
            services.remove(self.world.member, comment)
        if detail.endswith(", closed"):
            Proposal.objects.filter(pk=proposal.pk).update(stage="closed")
        comment.refresh_from_db()
        return comment

    def year(self, place: str):
        from parsoc.councils.kinds import CouncilKind, Role, Visibility
        from parsoc.web.councils.models import Council, Membership
        from parsoc.web.planning import services

        if place not in self.years:
            parent = self.council(place)
            private = place == "group"
            visibility = Visibility.MEMBERS if private else Visibility.PUBLIC

            def council(name, kind, people):
                made = Council.objects.create(name=name, slug=Council.unique_slug(name), kind=kind, parent=parent,
                                              visibility=visibility)
                for user, role in people:
                    Membership.objects.create(council=made, user=user, role=role)
                return made

            w = self.world
            staff = [(w.member, Role.MEMBER), (w.facilitator, Role.FACILITATOR)]
            councils = {"worker council": council(f"WC {place}", CouncilKind.WORKER_COUNCIL, staff),
                        "consumer council": council(f"CC {place}", CouncilKind.CONSUMER_COUNCIL, staff),
                        "simulated council": council(f"Sim {place}", CouncilKind.WORKER_COUNCIL, [])}
            if self.participant_user is not None and private:
                Membership.objects.create(council=councils["worker council"], user=self.participant_user)
            year = services.open_year(None, parent, title="Plan", goods=[{"category": "private", "name": "bread"}])
            self.years[place] = (year, {k: year.participants.get(council=c) for k, c in councils.items()})
        return self.years[place]

    def build(self, scene: str):
        w = self.world
        if scene == "no object":
            return None
        if scene in ("chapter", "group"):
            return self.council(scene)
        if scene.startswith("notice to the "):
            from parsoc.web.notifications.models import Notice
            from parsoc.web.notifications.services import notify

            recipient = getattr(w, scene.removeprefix("notice to the "))
            notify("announcement", [recipient], council=w.chapter, title="Hello", url="/")
            return Notice.objects.filter(recipient=recipient).latest("pk")
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
        if what == "proposal" and detail in ("", "discussion", "draft", "closed", "decision", "temperature"):
            if detail:
                return self.proposal(place, detail)
        if what in ("proposal", "draft"):
            from parsoc.web.decisions.models import Proposal

            author = {"": w.member, "by the facilitator": w.facilitator, "by the outsider": w.outsider}[detail]
            stage = "draft" if what == "draft" else "discussion"
            return Proposal.objects.create(council=self.council(place), author=author, title="Kettle", body="Buy one.",
                                           stage=stage)
        if what == "project":
            from parsoc.web.budgeting.models import Project

            return Project.objects.create(process=self.process(place, detail), code="1", title="Garden")
        if what == "comment":
            return self.comment(place, detail)
        if what == "year":
            return self.year(place)[0]
        if what in ("worker council", "consumer council", "simulated council"):
            return self.year(place)[1][what]
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
        if who == "participant":
            if self.participant_user is None:
                self.participant_user = self.make_user("Pat Participant")
            return self.participant_user
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
