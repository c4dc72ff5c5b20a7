"""Demo data for participatory budgeting: the Glasgow Chapter votes on its neighbourhood fund."""

from __future__ import annotations

from decimal import Decimal

PROJECTS = [
    ("Community garden on Maryhill Road", "Raised beds, tools and a water butt.", "1800"),
    ("Repair café kit", "Tools and a monthly table at the library.", "900"),
    ("Childcare at general assemblies", "Two trained carers at every assembly for a year.", "2400"),
    ("Accessible meeting room ramp", "A permanent ramp and handrail for the hall.", "1500"),
]


def load_budgeting_demo(council, people) -> None:
    """A process in its voting phase, with reviewed projects and some ballots (idempotent)."""
    from parsoc.web.budgeting.models import Ballot, Phase, Process, Project, new_pseudonym

    if Process.objects.filter(council=council, title="Neighbourhood fund").exists():
        return
    members = [m.user for m in council.memberships.select_related("user")]
    process = Process.objects.create(
        council=council, title="Neighbourhood fund", budget=Decimal("4000"), currency="GBP",
        ballot_kind="approval", rule="equal-shares", phase=Phase.VOTING, created_by=members[0] if members else None,
    )
    for n, (title, description, cost) in enumerate(PROJECTS, start=1):
        Project.objects.create(process=process, code=str(n), title=title, description=description,
                               proposed_by=members[n % len(members)] if members else None, cost=Decimal(cost),
                               feasible=True, review_note="Quote checked by the facilitation board.")
    patterns = [["1", "2"], ["3"], ["1", "4"], ["2", "3"], ["3", "4"], ["1"]]
    for user, choices in zip(members[1:], patterns, strict=False):
        Ballot.objects.create(process=process, voter=user, voter_label=new_pseudonym(), choices=choices)


def load(world) -> None:
    """The app's demo loader, as its declaration names it (world: parsoc.web.demo.DemoWorld)."""
    load_budgeting_demo(world.councils["glasgow"], world.people)
