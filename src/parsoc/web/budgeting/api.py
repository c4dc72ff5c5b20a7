"""``/api/budgeting``: a council's processes, and a process's results with the explanation."""

from __future__ import annotations

from ninja import Router

from parsoc.web.budgeting import services
from parsoc.web.budgeting.models import Process
from parsoc.web.core.numbers import IdParam
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.councils.models import Council

router = Router(tags=["budgeting"])


def _visible_process(request, pk: IdParam) -> Process:
    return get_visible_or_404(request.auth, Process.objects.select_related("council"), "budgeting.view_process", pk=pk)


@router.get("/councils/{slug}/processes")
def processes(request, slug: str):
    council = get_visible_or_404(request.auth, Council, "councils.view_council", slug=slug)
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
