"""The demo world: an international federation with city chapters, affinity and working groups,
a worker co-op, neighbourhood consumer councils, about thirty fictional members, delegates and
announcements. Loading it twice changes nothing.

All demo members share one password, generated on first load and kept in
``PARSOC_HOME/demo_password`` (so it is never committed and stays the same between runs).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from parsoc.councils.kinds import CouncilKind as K
from parsoc.councils.kinds import JoinPolicy as J
from parsoc.councils.kinds import Role
from parsoc.councils.kinds import Visibility as V

PEOPLE = [
    # (display name, city, bio)
    ("Amara Okafor", "Glasgow", "Tenant organiser; facilitates the Glasgow chapter."),
    ("Bruno Salgado", "Barcelona", "Bookbinder and co-op treasurer."),
    ("Chen Wei", "Winnipeg", "Barista at the co-op; rotates into bookkeeping."),
    ("Dana Whitehorse", "Winnipeg", "Facilitates the Winnipeg chapter."),
    ("Efua Mensah", "Glasgow", "Nurse; neighbourhood council delegate."),
    ("Farid Haddad", "Barcelona", "Facilitates the Barcelona chapter."),
    ("Greta Lindqvist", "Glasgow", "Writes the chapter newsletter."),
    ("Hiro Tanaka", "Winnipeg", "Cook and shift planner."),
    ("Ines Moreau", "Barcelona", "Urbanist; participatory budgeting working group."),
    ("Jonas Becker", "Glasgow", "Bike mechanic."),
    ("Kalinda Rivers", "Winnipeg", "Bookseller; job complex committee."),
    ("Luis Ortega", "Barcelona", "Electrician."),
    ("Maya Goldberg", "Glasgow", "Teacher; education working group."),
    ("Nikos Pappas", "Barcelona", "Dock worker."),
    ("Olu Adeyemi", "Winnipeg", "Student; affinity group spoke."),
    ("Priya Raman", "Glasgow", "Software developer; federation delegate."),
    ("Quinn Murphy", "Glasgow", "Librarian."),
    ("Rosa Delgado", "Barcelona", "Retired seamstress; neighbourhood council."),
    ("Sami Nieminen", "Winnipeg", "Carpenter."),
    ("Tariq Aziz", "Glasgow", "Bus driver."),
    ("Uma Chaudhry", "Winnipeg", "Co-op buyer."),
    ("Viktor Horvath", "Barcelona", "Musician."),
    ("Wanjiru Kamau", "Glasgow", "Community gardener."),
    ("Xavier Laurent", "Barcelona", "Translator; international working group."),
    ("Yara Haddad", "Barcelona", "Architect."),
    ("Zoe Campbell", "Glasgow", "Social worker."),
    ("Aleksander Nowak", "Winnipeg", "Delivery rider."),
    ("Beatriz Costa", "Barcelona", "Pharmacist."),
    ("Cian O'Neill", "Glasgow", "Welder."),
    ("Divya Menon", "Winnipeg", "Accountant; rotates into the café."),
]


@dataclass(frozen=True)
class CouncilSpec:
    key: str
    name: str
    kind: K
    city: str
    parent: str | None
    description: str
    visibility: V = V.PUBLIC
    join: J = J.REQUEST


COUNCILS = [
    CouncilSpec("iops", "International Organisation for a Participatory Society", K.FEDERATION, "", None,
                "A federation of city chapters working toward participatory democracy and participatory economics."),
    CouncilSpec("glasgow", "Glasgow Chapter", K.CHAPTER, "Glasgow", "iops",
                "The Glasgow city chapter: monthly general meetings, decided by consensus."),
    CouncilSpec("winnipeg", "Winnipeg Chapter", K.CHAPTER, "Winnipeg", "iops",
                "The Winnipeg city chapter and its co-op allies."),
    CouncilSpec("barcelona", "Barcelona Chapter", K.CHAPTER, "Barcelona", "iops",
                "Capítol de Barcelona: assemblies, neighbourhood councils and co-ops."),
    CouncilSpec("glasgow-housing", "Housing Working Group", K.WORKING_GROUP, "Glasgow", "glasgow",
                "Tenant organising and the rent strike fund.", join=J.OPEN),
    CouncilSpec("glasgow-education", "Education Working Group", K.WORKING_GROUP, "Glasgow", "glasgow",
                "Study circles on participatory economics.", join=J.OPEN),
    CouncilSpec("glasgow-riverside", "Riverside Affinity Group", K.AFFINITY_GROUP, "Glasgow", "glasgow",
                "A small affinity group for direct action.", visibility=V.MEMBERS, join=J.INVITATION),
    CouncilSpec("winnipeg-coop", "Red River Books & Coffee Worker Council", K.WORKER_COUNCIL, "Winnipeg", "winnipeg",
                "A worker co-operative bookshop and café with balanced job complexes."),
    CouncilSpec("winnipeg-students", "Students' Affinity Group", K.AFFINITY_GROUP, "Winnipeg", "winnipeg",
                "Students organising on campus.", join=J.OPEN),
    CouncilSpec("barcelona-gracia", "Gràcia Neighbourhood Consumer Council", K.CONSUMER_COUNCIL, "Barcelona", "barcelona",
                "The consumer council of the Gràcia neighbourhood."),
    CouncilSpec("barcelona-sants", "Sants Neighbourhood Consumer Council", K.CONSUMER_COUNCIL, "Barcelona", "barcelona",
                "The consumer council of Sants."),
    CouncilSpec("barcelona-budget", "Participatory Budgeting Working Group", K.WORKING_GROUP, "Barcelona", "barcelona",
                "Runs the chapter's participatory budget.", join=J.OPEN),
    CouncilSpec("iops-international", "International Working Group", K.WORKING_GROUP, "", "iops",
                "Translation and coordination between chapters.", join=J.OPEN),
]

# council key -> (facilitator indexes, member indexes) into PEOPLE
MEMBERS = {
    "iops": ([15], [0, 3, 5, 23]),
    "glasgow": ([0], [4, 6, 9, 12, 15, 16, 19, 22, 25, 28]),
    "winnipeg": ([3], [2, 7, 10, 14, 18, 20, 26, 29]),
    "barcelona": ([5], [1, 8, 11, 13, 17, 21, 23, 24, 27]),
    "glasgow-housing": ([4], [0, 19, 25, 28]),
    "glasgow-education": ([12], [6, 16, 22]),
    "glasgow-riverside": ([9], [22, 28]),
    "winnipeg-coop": ([10], [2, 7, 18, 20, 29]),
    "winnipeg-students": ([14], [26]),
    "barcelona-gracia": ([17], [1, 8, 21, 24]),
    "barcelona-sants": ([13], [11, 27]),
    "barcelona-budget": ([8], [1, 24, 27]),
    "iops-international": ([23], [15, 0, 5]),
}

# (from council, person index, days ago the term started, term length in days, mandate)
DELEGATES = [
    ("glasgow", 0, 120, 365, "Carry the chapter's proposals on the federation's charter."),
    ("winnipeg", 3, 60, 180, "Report on the co-op's job complexes."),
    ("barcelona", 23, 200, 365, "Coordinate translation of federation documents."),
    ("glasgow-housing", 4, 30, 90, "Bring the rent strike fund proposal to the chapter."),
    ("winnipeg-coop", 10, 45, 180, "Speak for the worker council at the chapter."),
    ("barcelona-gracia", 17, 20, 120, "Carry Gràcia's consumption proposals to the chapter."),
    ("barcelona-sants", 13, 20, 120, "Carry Sants' consumption proposals to the chapter."),
]

ANNOUNCEMENTS = [
    ("iops", 15, "Federation congress: call for proposals",
     "Chapters may send proposals for the congress agenda until the end of the month. Each chapter sends two delegates."),
    ("glasgow", 0, "General meeting on Thursday",
     "Our monthly general meeting is on Thursday at 19:00 in the community hall. Agenda: the rent strike fund and the summer school."),
    ("winnipeg-coop", 10, "Rating round for job complexes opens",
     "Please rate every task for empowerment and desirability before Friday. We compose next quarter's job complexes on Monday."),
    ("barcelona-gracia", 17, "Consumption proposals for next year",
     "The planning round starts next month. Think about what the neighbourhood needs: the library extension, the bike workshop, the clinic hours."),
]


def demo_password() -> str:
    path = settings.PARSOC_HOME / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def email_for(name: str) -> str:
    first = name.split()[0].lower().replace("'", "")
    return f"{first}@demo.parsoc.org"


@transaction.atomic
def load_demo_world() -> list[tuple[str, str, str]]:
    """Create the demo world if it is not there yet; return (name, email, what they do) logins."""
    from parsoc.web.accounts.models import User
    from parsoc.web.councils.models import Announcement, AnnouncementRead, Council, DelegateTerm, Membership

    password = demo_password()
    people = []
    for name, city, bio in PEOPLE:
        user = User.objects.filter(email=email_for(name)).first()
        if user is None:
            user = User.objects.create_user(
                email_for(name), password, display_name=name, city=city, bio=bio, email_confirmed=True
            )
        people.append(user)

    councils: dict[str, Council] = {}
    for spec in COUNCILS:
        council = Council.objects.filter(slug=f"demo-{spec.key}").first()
        if council is None:
            council = Council.objects.create(
                slug=f"demo-{spec.key}", name=spec.name, kind=spec.kind, city=spec.city,
                parent=councils.get(spec.parent) if spec.parent else None, description=spec.description,
                visibility=spec.visibility, join_policy=spec.join, created_by=people[MEMBERS[spec.key][0][0]],
            )
        councils[spec.key] = council
        facilitators, members = MEMBERS[spec.key]
        for index in facilitators:
            Membership.objects.get_or_create(council=council, user=people[index], defaults={"role": Role.FACILITATOR})
        for index in members:
            Membership.objects.get_or_create(council=council, user=people[index], defaults={"role": Role.MEMBER})

    today = timezone.localdate()
    for key, index, ago, length, mandate in DELEGATES:
        council = councils[key]
        start = today - timedelta(days=ago)
        DelegateTerm.objects.get_or_create(
            council=council, person=people[index], to_council=council.parent,
            defaults={"start": start, "end": start + timedelta(days=length), "mandate": mandate,
                      "created_by": people[index]},
        )
    # One past term, recalled, so the history shows how recall is kept.
    glasgow = councils["glasgow"]
    DelegateTerm.objects.get_or_create(
        council=glasgow, person=people[15], to_council=glasgow.parent, start=date(today.year - 1, 1, 1),
        defaults={"end": date(today.year - 1, 12, 31), "ended_early_on": date(today.year - 1, 6, 30),
                  "end_reason": DelegateTerm.EndReason.STEPPED_DOWN, "mandate": "First federation delegate."},
    )

    for key, index, title, body in ANNOUNCEMENTS:
        announcement, _ = Announcement.objects.get_or_create(
            council=councils[key], title=title, defaults={"body": body, "author": people[index]}
        )
        AnnouncementRead.objects.get_or_create(announcement=announcement, user=people[index])

    from parsoc.web.meetings.demo import load_meetings_demo

    load_meetings_demo()

    from parsoc.web.decisions.demo import load_demo_decisions  # the decisions domain's demo

    load_demo_decisions(councils)

    from parsoc.web.budgeting.demo import load_budgeting_demo

    load_budgeting_demo(councils["glasgow"], people)

    logins = [
        (people[0].display_name, people[0].email, "facilitator of the Glasgow Chapter"),
        (people[10].display_name, people[10].email, "facilitator of the worker co-op in Winnipeg"),
        (people[17].display_name, people[17].email, "facilitator of the Gràcia consumer council"),
        (people[6].display_name, people[6].email, "a member of the Glasgow Chapter"),
    ]
    from parsoc.web.work.demo import load_work_demo

    load_work_demo()

    from parsoc.web.planning.demo import load_planning_demo

    load_planning_demo()
    return [(name, email, role) for name, email, role in logins] + [("(every demo member)", "", f"password: {password}")]
