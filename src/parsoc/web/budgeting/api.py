"""``/api/budgeting``: a council's processes, and a process's results with the explanation."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router

from parsoc.web.budgeting import services
from parsoc.web.budgeting.models import Process
from parsoc.web.core.numbers import IdParam
from parsoc.web.councils.models import Council

router = Router(tags=["budgeting"])


def _visible_process(request, pk: IdParam) -> Process:
    process = get_object_or_404(Process.objects.select_related("council"), pk=pk)
    if not request.auth.has_perm("budgeting.view_process", process):
        raise Http404("No such process")
    return process


@router.get("/councils/{slug}/processes")
def processes(request, slug: str):
    council = get_object_or_404(Council, slug=slug)
    if not request.auth.has_perm("councils.view_council", council):
        raise Http404("No such council")
    return [
        {"id": p.pk, "title": p.title, "budget": float(p.budget), "phase": p.phase, "ballot_kind": p.ballot_kind, "rule": p.rule,
         "satisfaction": p.satisfaction, "completion": p.completion}
        for p in council.budgeting_processes.all()
    ]


@router.get("/processes/{pk}/results")
def results(request, pk: IdParam):
    process = _visible_process(request, pk)
    allocation, election, votes = services.results_of(request.auth, process)
    out = allocation.as_dict(election)
    out["votes"] = votes
    return out
