"""The actions of a participatory budgeting process; pages and API call these.

Each checks the permission, checks the input (with the pure core where it counts), and writes
inside a transaction. The counting is ``parsoc.choice``: the process becomes a
:class:`~parsoc.choice.PBElection` (feasible projects with their cost, the ballots) and the
council's rule runs on it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.urls import reverse

from parsoc.choice import PBElection, parse_pabulib, run_rule, write_pabulib
from parsoc.choice.budget_process import next_phase
from parsoc.errors import InputError
from parsoc.numbers import COUNT_MAX, MONEY_MAX, MONEY_MIN, MONEY_PLACES, parse_decimal, parse_int, shown
from parsoc.web.budgeting.models import (
    Ballot,
    BallotKind,
    Completion,
    Phase,
    Process,
    Project,
    Rule,
    Satisfaction,
    new_pseudonym,
)
from parsoc.web.councils.services import announce, require
from parsoc.web.notifications.kinds import Kind


def _amount(text, what: str) -> Decimal:
    """Money from a user: more than 0, at most :data:`~parsoc.numbers.MONEY_MAX`, two decimals."""
    try:
        value = parse_decimal(text if isinstance(text, (int, Decimal)) else str(text), what, low=None, high=None, places=None)
    except InputError:
        raise InputError(f"{what} must be a number, got {shown(str(text))}") from None
    if value <= 0:
        raise InputError(f"{what} must be more than 0")
    return parse_decimal(value, what, low=MONEY_MIN, high=MONEY_MAX, places=MONEY_PLACES)


def _news(user, process: Process, body: str, build_url=str) -> None:
    """Announce ``body`` to the council (in the app and by email), under the process's title."""
    announce(user, process.council, f"Participatory budgeting: {process.title}"[:200], kind=Kind.BUDGET_PHASE, body=body.format(
        url=build_url(process.get_absolute_url()),
        results=build_url(reverse("budgeting:results", args=[process.council.slug, process.pk])),
        budget=f"{process.budget} {process.currency}", ballot=process.get_ballot_kind_display().split(" (")[0].lower(),
        feasible=process.projects.filter(feasible=True).count(), proposed=process.projects.count(),
    ))


PHASE_NEWS = {
    Phase.PROPOSALS: "{budget} to share out. Proposals are open: propose and discuss projects at {url}. "
                     "Then facilitators review them with cost estimates, members vote, and the results are published.",
    Phase.REVIEW: "Proposals are closed ({proposed} projects). Facilitators are reviewing them and estimating costs: {url}",
    Phase.VOTING: "Voting is open on {feasible} feasible projects ({ballot} ballot): {url}",
    Phase.RESULTS: "Voting is closed; the results are out: {results}",
}
"""What the council is told when a process starts (proposals) and as it moves to each phase."""


def create_process(user, council, *, title: str, budget, ballot_kind: str = BallotKind.APPROVAL,
                   rule: str = Rule.EQUAL_SHARES, max_choices=None, points=10, currency: str = "EUR",
                   satisfaction: str = Satisfaction.COST, completion: str = Completion.NONE, build_url=str) -> Process:
    """Start a process at the proposal phase, and announce it to the council."""
    require(user, "budgeting.create_process", council, "only facilitators start a budgeting process")
    title = (title or "").strip()
    if not title:
        raise InputError("the process needs a title")
    if ballot_kind not in BallotKind.values():
        raise InputError(f"ballot kind must be one of {', '.join(BallotKind.values())}")
    if rule not in Rule.values():
        raise InputError(f"rule must be one of {', '.join(Rule.values())}")
    if satisfaction not in Satisfaction.values():
        raise InputError(f"satisfaction must be one of {', '.join(Satisfaction.values())}")
    if completion not in Completion.values():
        raise InputError(f"completion must be one of {', '.join(Completion.values())}")
    if max_choices in ("", None):
        max_choices = None
    else:
        max_choices = parse_int(max_choices, "the most projects on one ballot", low=1, high=COUNT_MAX)
    points = parse_int(points or 10, "points", low=1, high=COUNT_MAX)
    with transaction.atomic():
        process = Process.objects.create(
            council=council, title=title[:200], budget=_amount(budget, "the budget"), ballot_kind=ballot_kind, rule=rule,
            satisfaction=satisfaction, completion=completion, max_choices=max_choices, points=points,
            currency=(currency or "EUR")[:8], created_by=user,
        )
        _news(user, process, PHASE_NEWS[Phase.PROPOSALS], build_url)
    return process


def advance_phase(user, process: Process, build_url=str) -> Process:
    """Move the process to its next phase, and announce it to the council."""
    require(user, "budgeting.manage_process", process, "only facilitators move the process on")
    with transaction.atomic():
        # the phase as it is now, held until this move commits: no ballot is written meanwhile
        now = Process.objects.select_for_update().values_list("phase", flat=True).get(pk=process.pk)
        feasible = process.projects.filter(feasible=True).count() if now == Phase.REVIEW else 0
        process.phase = next_phase(now, feasible_projects=feasible)
        process.save(update_fields=["phase"])
        _news(user, process, PHASE_NEWS[process.phase], build_url)
    return process


def propose(user, process: Process, *, title: str, description: str = "") -> Project:
    require(user, "budgeting.propose", process, "members propose projects while proposals are open")
    title = (title or "").strip()
    if not title:
        raise InputError("the project needs a title")
    with transaction.atomic():
        code = str(process.projects.count() + 1)
        while process.projects.filter(code=code).exists():
            code = str(int(code) + 1)
        return Project.objects.create(process=process, code=code, title=title[:200],
                                      description=(description or "").strip(), proposed_by=user)


def review(user, project: Project, *, feasible: bool, cost=None, note: str = "") -> Project:
    require(user, "budgeting.review", project.process, "facilitators review projects during the review phase")
    if feasible:
        project.cost = _amount(cost, f"the cost of '{project.title}'")
    project.feasible = bool(feasible)
    project.review_note = (note or "").strip()
    project.save(update_fields=["cost", "feasible", "review_note"])
    return project


def cast_ballot(user, process: Process, *, choices: list[str], points: list | None = None) -> Ballot:
    """Record (or replace) ``user``'s ballot: project codes, best first if ranked; points if cumulative."""
    require(user, "budgeting.vote", process, "members vote while voting is open")
    feasible = set(process.projects.filter(feasible=True).values_list("code", flat=True))
    choices = [str(c) for c in choices]
    if not choices:
        raise InputError("choose at least one project")
    unknown = [c for c in choices if c not in feasible]
    if unknown:
        raise InputError(f"project {unknown[0]} is not on this ballot")
    if len(set(choices)) != len(choices):
        raise InputError("a project appears twice on the ballot")
    kind = process.ballot_kind
    if kind == BallotKind.CHOOSE_ONE and len(choices) != 1:
        raise InputError("choose exactly one project")
    if process.max_choices and len(choices) > process.max_choices:
        raise InputError(f"choose at most {process.max_choices} projects")
    given: list[int] = []
    if kind == BallotKind.CUMULATIVE:
        given = [parse_int(p, "points", low=0, high=COUNT_MAX) for p in (points or [])]
        if len(given) != len(choices) or any(p < 1 for p in given):
            raise InputError("give each chosen project at least 1 point")
        if sum(given) > process.points:
            raise InputError(f"you have {process.points} points to share out, not {sum(given)}")
    return _store_ballot(process, user, choices, given)


def _store_ballot(process: Process, user, choices: list[str], points: list[int]) -> Ballot:
    """Replace the member's ballot, or record their first one under a new random pseudonym."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                # Voting may have closed since this request read the process: check the phase
                # again on the row as it is now, held until the ballot is written
                # (advance_phase waits for it).
                process = Process.objects.select_for_update().select_related("council").get(pk=process.pk)
                require(user, "budgeting.vote", process, "members vote while voting is open")
                ballot = Ballot.objects.select_for_update().filter(process=process, voter=user).first()
                if ballot is not None:
                    ballot.choices, ballot.points = choices, points
                    ballot.save(update_fields=["choices", "points", "cast_at"])
                    return ballot
                return Ballot.objects.create(process=process, voter=user, voter_label=new_pseudonym(),
                                             choices=choices, points=points)
        except IntegrityError:
            continue  # their first ballot came in twice at once (or, once in 2^64, a pseudonym clash)
    raise InputError("your ballot could not be recorded; send it again")


def election_of(process: Process, ballot_rows=None) -> PBElection:
    """The process as a Pabulib election: feasible projects with costs, and the ballots
    (``ballot_rows``: these, in this order; by default all, in the order they were stored)."""
    projects = list(process.projects.filter(feasible=True, cost__isnull=False))
    index = {p.code: i for i, p in enumerate(projects)}
    voters, ballots, points = [], [], []
    for ballot in process.ballots.all() if ballot_rows is None else ballot_rows:
        kept = [(c, (ballot.points[i] if i < len(ballot.points) else 1)) for i, c in enumerate(ballot.choices) if c in index]
        voters.append(ballot.voter_label)
        ballots.append(tuple(index[c] for c, _ in kept))
        points.append(tuple(float(p) for _, p in kept))
    meta = {"description": process.title, "currency": process.currency, "rule": process.rule,
            "council": process.council.name}
    if process.rule == Rule.EQUAL_SHARES:
        meta["satisfaction"], meta["completion"] = process.satisfaction, process.completion
    if process.max_choices:
        meta["max_length"] = str(process.max_choices)
    if process.ballot_kind == BallotKind.CUMULATIVE:
        meta["max_sum_points"] = str(process.points)
    return PBElection(
        meta, tuple(p.code for p in projects), tuple(Fraction(str(p.cost)) for p in projects),
        Fraction(str(process.budget)), process.ballot_kind, tuple(voters), tuple(ballots), tuple(points),
        {p.code: {"name": p.title, "description": p.description} for p in projects}, process.title,
    )


def results_of(user, process: Process):
    """The rule's allocation, the election it ran on, and each project's votes."""
    require(user, "budgeting.view_results", process, "results are shown once voting has closed")
    election = election_of(process)
    allocation = run_rule(election, process.rule, process.satisfaction, process.completion)
    from parsoc.choice.greedy import project_votes

    votes = dict(zip(election.projects, project_votes(election).tolist(), strict=False)) if election.num_voters else {}
    return allocation, election, votes


def export_pb(user, process: Process) -> str:
    """The process as a ``.pb`` file: facilitators only while it is open, then whoever may see
    it. Members' ballots appear under their pseudonyms, sorted by pseudonym (so the order of
    the rows says nothing about who voted when); imported ballots keep the file's order."""
    require(user, "budgeting.export_ballots", process,
            "the ballots are for facilitators while the process is open; everyone who may see the "
            "process can download them once the results are out")
    rows = sorted(process.ballots.all(), key=lambda b: (b.voter_id is not None, b.voter_label if b.voter_id else b.pk))
    return write_pabulib(election_of(process, rows))


def _known(value, choices):
    """``value`` when it is one of ``choices``, else their default (the first)."""
    return value if value in choices.values() else choices.values()[0]


def import_pb(user, council, text: str, title: str = "") -> Process:
    """A process from a ``.pb`` file: its projects (feasible, with cost) and its ballots."""
    require(user, "budgeting.create_process", council, "only facilitators import a budgeting process")
    election = parse_pabulib(text, "uploaded .pb file")
    if len(set(election.voters)) != len(election.voters):
        raise InputError("uploaded .pb file: a voter_id appears twice")
    if election.budget <= 0:
        raise InputError("uploaded .pb file: the budget must be more than 0")
    budget = parse_decimal(election.budget, "uploaded .pb file: the budget", low=MONEY_MIN, high=MONEY_MAX)
    costs = [parse_decimal(cost, f"uploaded .pb file: the cost of project {shown(pid)}", low=0, high=MONEY_MAX)
             for pid, cost in zip(election.projects, election.costs, strict=False)]
    max_length = election.meta.get("max_length", "").strip()
    max_choices = parse_int(max_length, "uploaded .pb file: max_length", low=1, high=COUNT_MAX) if max_length else None
    with transaction.atomic():
        process = Process.objects.create(
            council=council, title=(title or election.meta.get("description") or "Imported process")[:200],
            budget=budget, ballot_kind=election.vote_type,
            rule=election.meta.get("rule") if election.meta.get("rule") in Rule.values() else Rule.EQUAL_SHARES,
            satisfaction=_known(election.meta.get("satisfaction"), Satisfaction),
            completion=_known(election.meta.get("completion"), Completion),
            currency=election.meta.get("currency", "EUR")[:8], created_by=user,
            phase=Phase.RESULTS if election.num_voters else Phase.REVIEW,
            max_choices=max_choices,
        )
        Project.objects.bulk_create([
            Project(process=process, code=pid, title=election.name(pid)[:200], cost=cost, feasible=True)
            for pid, cost in zip(election.projects, costs, strict=False)
        ])
        Ballot.objects.bulk_create([
            Ballot(process=process, voter_label=str(voter)[:80], choices=[election.projects[p] for p in ballot],
                   points=[int(x) if float(x).is_integer() else x for x in pts])
            for voter, ballot, pts in zip(election.voters, election.ballots, election.points, strict=False)
        ], batch_size=2000)
    return process
