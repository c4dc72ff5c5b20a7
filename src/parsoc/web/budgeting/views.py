"""Pages of a council's participatory budgeting processes (under ``c/<slug>/budgeting/``)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parsoc.errors import InputError
from parsoc.numbers import COUNT_MAX, parse_id, parse_int
from parsoc.web.budgeting import services
from parsoc.web.budgeting.forms import ImportForm, ProcessForm, ProposalForm
from parsoc.web.budgeting.models import BallotKind, Phase, Process, Project
from parsoc.web.core.forms import add_input_error
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.councils.views import visible_council


def _process(request, slug: str, pk: int) -> Process:
    return get_visible_or_404(request.user, Process.objects.select_related("council"), "budgeting.view_process",
                              pk=pk, council__slug=slug)


def _back(view):
    """Wrong input becomes a message (status 400 page for the list, redirect for a process)."""

    @wraps(view)
    def wrapper(request, slug, pk=None, **kwargs):
        try:
            return view(request, slug, pk, **kwargs) if pk is not None else view(request, slug, **kwargs)
        except InputError as error:
            messages.error(request, str(error))
            target = redirect("budgeting:detail", slug, pk) if pk is not None else redirect("budgeting:index", slug)
            target.status_code = 303
            return target

    return wrapper


def index(request, slug):
    council = visible_council(request, slug)
    processes = council.budgeting_processes.all()
    can_create = request.user.has_perm("budgeting.create_process", council)
    return render(request, "budgeting/index.html", {
        "council": council, "processes": processes, "can_create": can_create,
        "form": ProcessForm() if can_create else None, "import_form": ImportForm() if can_create else None,
    })


@require_POST
def create(request, slug):
    council = visible_council(request, slug)
    form = ProcessForm(request.POST)
    if form.is_valid():
        try:
            process = services.create_process(request.user, council, **form.cleaned_data,
                                              build_url=request.build_absolute_uri)
        except InputError as error:
            add_input_error(form, error)
        else:
            messages.success(request, f"Process “{process.title}” started: proposals are open.")
            return redirect(process)
    if not request.user.has_perm("budgeting.create_process", council):
        raise PermissionDenied("only facilitators start a budgeting process")
    return render(request, "budgeting/index.html", {
        "council": council, "processes": council.budgeting_processes.all(), "can_create": True,
        "form": form, "import_form": ImportForm()}, status=400)


@require_POST
@transaction.non_atomic_requests  # reading a large .pb file takes seconds; import_pb writes in one transaction
@_back
def import_process(request, slug):
    council = visible_council(request, slug)
    if not request.user.has_perm("budgeting.create_process", council):
        raise PermissionDenied("only facilitators import a budgeting process")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        raise InputError("choose a .pb file to import")
    try:
        text = form.cleaned_data["file"].read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("the .pb file is not UTF-8 text") from None
    process = services.import_pb(request.user, council, text, form.cleaned_data.get("title", ""))
    messages.success(request, f"Imported “{process.title}”: {process.projects.count()} projects, {process.ballots.count()} ballots.")
    return redirect(process)


def detail(request, slug, pk):
    process = _process(request, slug, pk)
    user = request.user
    projects = process.projects.select_related("proposed_by", "process__council")
    ballot = process.ballots.filter(voter=user).first() if user.is_authenticated else None
    voting = [p for p in projects if p.feasible]
    return render(request, "budgeting/detail.html", {
        "council": process.council, "process": process, "projects": projects, "voting_projects": voting,
        "phases": Phase.choices(), "ballot": ballot,
        "can_manage": user.has_perm("budgeting.manage_process", process),
        "can_propose": user.has_perm("budgeting.propose", process),
        "can_review": user.has_perm("budgeting.review", process),
        "can_vote": user.has_perm("budgeting.vote", process),
        "proposal_form": ProposalForm(),
        "BallotKind": BallotKind,
    })


@require_POST
@_back
def advance(request, slug, pk):
    process = services.advance_phase(request.user, _process(request, slug, pk), build_url=request.build_absolute_uri)
    messages.success(request, f"The process is now at: {process.get_phase_display()}.")
    return redirect(process)


@require_POST
@_back
def propose(request, slug, pk):
    process = _process(request, slug, pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        if not request.user.has_perm("budgeting.propose", process):
            raise PermissionDenied("members propose projects while proposals are open")
        raise InputError("the project needs a title (at most 200 characters)")
    project = services.propose(request.user, process, **form.cleaned_data)
    messages.success(request, f"Project “{project.title}” proposed.")
    return redirect(process)


def _project(process, code) -> Project:
    try:
        return process.projects.get(pk=parse_id(code, "project"))
    except (ValueError, Project.DoesNotExist):
        raise Http404("No such project") from None


@require_POST
@_back
def review(request, slug, pk, project):
    process = _process(request, slug, pk)
    feasible = request.POST.get("feasible") == "yes"
    item = services.review(request.user, _project(process, project), feasible=feasible,
                           cost=request.POST.get("cost", ""), note=request.POST.get("note", ""))
    messages.success(request, f"“{item.title}” marked {'feasible' if item.feasible else 'not feasible'}.")
    return redirect(process)


@require_POST
@_back
def vote(request, slug, pk):
    process = _process(request, slug, pk)
    if not request.user.has_perm("budgeting.vote", process):
        raise PermissionDenied("members vote while voting is open")
    codes = list(process.projects.filter(feasible=True).values_list("code", flat=True))
    kind = process.ballot_kind
    points = None
    if kind == BallotKind.APPROVAL:
        choices = request.POST.getlist("project")
    elif kind == BallotKind.CHOOSE_ONE:
        choices = [c for c in [request.POST.get("project", "")] if c]
    elif kind == BallotKind.ORDINAL:
        ranked = []
        for code in codes:
            text = request.POST.get(f"rank_{code}", "").strip()
            if text:
                ranked.append((parse_int(text, f"the rank of project {code}", low=1, high=COUNT_MAX), code))
        if len({r for r, _ in ranked}) != len(ranked):
            raise InputError("give each ranked project a different number")
        choices = [code for _, code in sorted(ranked)]
    else:
        choices, points = [], []
        for code in codes:
            text = request.POST.get(f"points_{code}", "").strip()
            if text and text != "0":
                choices.append(code)
                points.append(text)
    services.cast_ballot(request.user, process, choices=choices, points=points)
    messages.success(request, "Your ballot is recorded. You can change it until voting closes.")
    return redirect(process)


def results(request, slug, pk):
    process = _process(request, slug, pk)
    if not request.user.has_perm("budgeting.view_results", process):
        raise PermissionDenied("results are shown once voting has closed")
    allocation, election, votes = services.results_of(request.user, process)
    info = allocation.as_dict(election)
    index = {code: i for i, code in enumerate(election.projects)}
    top = max(votes.values(), default=0) or 1
    bars = [
        {"code": code, "title": election.name(code), "votes": votes.get(code, 0), "cost": float(election.costs[index[code]]),
         "funded": code in allocation.selected, "width": round(100 * votes.get(code, 0) / top, 1)}
        for code in sorted(election.projects, key=lambda c: -votes.get(c, 0))
    ]
    funded = [
        {"code": code, "title": election.name(code), "cost": float(election.costs[index[code]]),
         "payers": len(allocation.payments.get(code, {})),
         "per_supporter": allocation.details.get("payment_per_supporter", {}).get(code),
         "payments": sorted(allocation.payments.get(code, {}).items())}
        for code in allocation.selected
    ]
    return render(request, "budgeting/results.html", {
        "council": process.council, "process": process, "info": info, "bars": bars, "funded": funded,
        "measures": info["measures"],
    })


def export(request, slug, pk):
    process = _process(request, slug, pk)
    text = services.export_pb(request.user, process)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{process.council.slug}-budget-{process.pk}.pb"'
    return response
