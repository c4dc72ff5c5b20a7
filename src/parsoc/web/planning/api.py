"""Planning endpoints: read a year's prices and totals; post a council's proposal, or many
councils' proposals at once (simulations and large federations). Same services and permissions
as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema

from parsoc.errors import InputError
from parsoc.planning.board import colour
from parsoc.planning.economy import CATEGORIES
from parsoc.web.api import login_required
from parsoc.web.core.numbers import IdParam
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.planning import services
from parsoc.web.planning.models import Participant, PlanningYear, unpack

router = Router(tags=["planning"])


class ProposalIn(Schema):
    supply: dict[str, float] = {}
    demand: dict[str, float] = {}
    round: int | None = None


class BulkItem(Schema):
    council: str
    supply: dict[str, float] = {}
    demand: dict[str, float] = {}


class BulkIn(Schema):
    proposals: list[BulkItem]


def _bad(request, error):
    from parsoc.web.api import api

    body = {"detail": str(error)}
    if isinstance(error, services.FieldErrors):
        body["fields"] = error.fields  # type: ignore[assignment]
    return api.create_response(request, body, status=400)


def _year(request, pk: int) -> PlanningYear:
    return get_visible_or_404(request.auth, PlanningYear.objects.select_related("federation"), "planning.view_year",
                              pk=pk)


@router.get("/years/{pk}")
def year_state(request, pk: IdParam):
    """The year: its catalogue, the open round, and every closed round's prices and totals."""
    year = _year(request, pk)
    goods = services.catalogue(year)
    current = services.current_round(year)
    rounds = []
    for r in year.rounds.filter(closed_at__isnull=False).order_by("number"):
        rounds.append({"number": r.number, "prices": unpack(r.prices).tolist(), "supply": unpack(r.supply).tolist(),
                       "demand": unpack(r.demand).tolist(), "new_prices": unpack(r.prices_after).tolist(),
                       "max_imbalance_pct": r.max_imbalance_pct, "colour": colour(r.max_imbalance_pct or 0.0),
                       "answered": r.answered, "participants": r.participants})
    return {
        "id": year.pk, "title": year.title, "federation": year.federation.slug, "rule": year.rule,
        "threshold_pct": year.threshold_pct, "status": year.status,
        "goods": [{"name": g.name, "unit": g.unit, "category": CATEGORIES[g.category]} for g in goods],
        "open_round": None if current is None else {
            "number": current.number, "prices": unpack(current.prices).tolist(), "deadline": current.deadline},
        "rounds": rounds, "converged": services.converged(year),
    }


@router.post("/years/{pk}/councils/{slug}/proposal")
def post_proposal(request, pk: IdParam, slug: str, payload: ProposalIn):
    user = login_required(request)
    year = _year(request, pk)
    participant = Participant.objects.select_related("council", "year").filter(year=year, council__slug=slug).first()
    if participant is None or not user.has_perm("planning.view_council", participant):
        raise Http404("No such council in this year")
    try:
        proposal = services.post_proposal(user, participant, supply=payload.supply, demand=payload.demand,
                                          round_number=payload.round)
    except InputError as error:
        return _bad(request, error)
    return {"council": slug, "round": proposal.round.number}


@router.post("/years/{pk}/proposals")
def post_bulk(request, pk: IdParam, payload: BulkIn):
    """Many councils' proposals for the open round, all or nothing."""
    user = login_required(request)
    year = _year(request, pk)
    try:
        count = services.post_bulk(user, year, [item.dict() for item in payload.proposals])
    except InputError as error:
        return _bad(request, error)
    except PermissionDenied:
        raise
    return {"saved": count}
