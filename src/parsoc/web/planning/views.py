"""Planning pages: a federation's years, a year (rounds, chart, who has not answered) and one
council's page in a year (its proposal by hand, its ratio, its members' personal requests)."""

from __future__ import annotations

import math

import numpy as np
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parsoc.errors import InputError
from parsoc.planning.economy import CATEGORIES
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.councils.views import visible_council
from parsoc.web.planning import services
from parsoc.web.planning.models import CATEGORY_LABELS, Participant, PlanningYear, unpack

CHART_W, CHART_H = 600, 180


def _year(request: HttpRequest, slug: str, pk: int) -> PlanningYear:
    return get_visible_or_404(request.user, PlanningYear.objects.select_related("federation"), "planning.view_year",
                              pk=pk, federation__slug=slug)


def _participant(request: HttpRequest, year: PlanningYear, council_slug: str) -> Participant:
    participant = (Participant.objects.select_related("council", "year", "year__federation")
                   .filter(year=year, council__slug=council_slug).first())
    if participant is None or not request.user.has_perm("planning.view_council", participant):
        raise Http404("No such council in this year")
    return participant


def index(request: HttpRequest, slug: str, status: int = 200, errors: dict | None = None) -> HttpResponse:
    council = visible_council(request, slug)
    years = council.planning_years.all()
    return render(request, "planning/index.html", {
        "council": council, "years": years, "errors": errors or {},
        "can_open": request.user.has_perm("planning.open_year", council),
        "form": request.POST if errors else {},
    }, status=status)


def _goods_lines(text: str) -> list[dict]:
    goods = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 2:
            raise InputError(f"goods: line {i}: write 'category, name, unit[, endowment]'")
        goods.append({"category": parts[0], "name": parts[1], "unit": parts[2] if len(parts) > 2 else "",
                      "endowment": parts[3] if len(parts) > 3 else None})
    return goods


@require_POST
def open_year(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    if not request.user.has_perm("planning.open_year", council):
        raise PermissionDenied("only the federation's facilitators open a planning year")
    try:
        year = services.open_year(
            request.user, council, title=request.POST.get("title", ""),
            goods=_goods_lines(request.POST.get("goods", "")), rule=request.POST.get("rule", "hahnel2021"),
            threshold_pct=request.POST.get("threshold_pct", "3"), round_days=request.POST.get("round_days", "7"),
            income_per_person=request.POST.get("income_per_person", "5000"))
    except services.FieldErrors as error:
        return index(request, slug, status=400, errors=error.fields)
    except InputError as error:
        return index(request, slug, status=400, errors={"goods": str(error)})
    return redirect(year.get_absolute_url(), status=303)


def _polyline(values: list[float | None], n: int, top: float, log: bool = False) -> str:
    points = []
    for i, v in enumerate(values):
        if v is None or (log and v <= 0):
            continue
        x = CHART_W * (i / max(n - 1, 1))
        y = math.log10(v) if log else v
        lo, hi = (math.log10(top) - 4, math.log10(top)) if log else (0.0, top)
        frac = (y - lo) / (hi - lo) if hi > lo else 0.0
        points.append(f"{x:.1f},{CHART_H * (1 - max(0.0, min(1.0, frac))):.1f}")
    return " ".join(points)


def _charts(year: PlanningYear) -> dict | None:
    data = services.imbalance_by_category(year)
    if not data:
        return None
    n = len(data)
    top = max([c for d in data for c in d["categories"] if c is not None] + [1e-9])
    lines = []
    for c in range(5):
        values = [d["categories"][c] for d in data]
        if any(v is not None for v in values):
            lines.append({"label": CATEGORY_LABELS[c], "css": f"plan-c{c}", "points": _polyline(values, n, top, log=True)})
    goods = services.catalogue(year)[:12]
    prices = np.array([d["prices"] for d in data])
    ptop = float(prices[:, :len(goods)].max()) if prices.size else 1.0
    price_lines = [{"label": g.name, "css": f"plan-c{g.category}",
                    "points": _polyline(prices[:, i].tolist(), n, ptop)} for i, g in enumerate(goods)]
    return {"lines": lines, "prices": price_lines, "top": top, "ptop": ptop, "w": CHART_W, "h": CHART_H, "rounds": n}


def year_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    year = _year(request, slug, pk)
    services.settle(year)
    current = services.current_round(year)
    missing, missing_count = services.not_answered(year, current)
    user = request.user
    mine = []
    if user.is_authenticated:
        mine = list(year.participants.filter(council__memberships__user=user).select_related("council"))
    goods = services.catalogue(year)
    last = services.last_round(year)
    prices = unpack(current.prices) if current else (unpack(last.prices_after) if last else None)
    return render(request, "planning/year.html", {
        "council": year.federation, "year": year, "current": current, "table": services.round_table(year),
        "furthest": services.furthest_from_balance(year), "missing": missing, "missing_count": missing_count,
        "chart": _charts(year), "mine": mine, "converged": services.converged(year),
        "price_rows": [{"good": g, "price": float(p)} for g, p in zip(goods, prices, strict=True)] if prices is not None else [],
        "participants": year.participants.count(),
        "can_run": user.has_perm("planning.run_year", year),
        "decision_rules": DECISION_RULES,
    })


DECISION_RULES = ("simple_majority", "qualified_majority", "consent", "modified_consensus", "full_consensus")


@require_POST
def adopt(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    year = _year(request, slug, pk)
    if not request.user.has_perm("planning.run_year", year):
        raise PermissionDenied("only the federation's facilitators put the plan to a decision")
    try:
        proposal = services.put_plan_to_decision(request.user, year, rule=request.POST.get("rule", "simple_majority"))
    except InputError as error:
        messages.error(request, str(error))
        return redirect(year.get_absolute_url(), status=303)
    return redirect("decisions:proposal", year.federation.slug, proposal.pk)


@require_POST
def close_round(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    year = _year(request, slug, pk)
    if not request.user.has_perm("planning.run_year", year):
        raise PermissionDenied("only the federation's facilitators close a round")
    try:
        r = services.close_round(request.user, year)
        messages.success(request, f"Round {r.number} closed: largest imbalance {r.max_imbalance_pct:.2f}%.")
    except InputError as error:
        messages.error(request, str(error))
    return redirect(year.get_absolute_url(), status=303)


def council_page(request: HttpRequest, slug: str, pk: int, council_slug: str, status: int = 200,
                 errors: dict | None = None) -> HttpResponse:
    year = _year(request, slug, pk)
    participant = _participant(request, year, council_slug)
    current = services.current_round(year) or services.last_round(year)
    goods = services.catalogue(year)
    user = request.user
    can_act = user.has_perm("planning.act_for", participant)
    can_request = user.has_perm("planning.request", participant)
    view = services.ratio_view(participant, current) if current else None
    supply, demand, _ = services.council_answer(participant, current) if current else (None, None, "")
    allowed_s = services.SUPPLY_CATEGORIES[participant.kind]
    allowed_d = services.DEMAND_CATEGORIES[participant.kind]
    posted = request.POST if errors else {}
    fields = [{"good": g, "s_name": f"s:{g.name}", "d_name": f"d:{g.name}",
               "can_supply": g.category in allowed_s, "can_demand": g.category in allowed_d and
               not (participant.kind == "cc" and g.category == 0),
               "s": posted.get(f"s:{g.name}", f"{supply[i]:.6g}" if supply is not None and supply[i] else ""),
               "d": posted.get(f"d:{g.name}", f"{demand[i]:.6g}" if demand is not None and demand[i] else "")}
              for i, g in enumerate(goods)]
    personal = None
    if participant.kind == "cc" and can_request and current:
        prices = unpack(current.prices)
        mine = services.request_of(user, participant)
        before = year.rounds.filter(number=current.number - 1).first()
        rose = []
        if before is not None:
            old = unpack(before.prices)
            rose = [g.name for i, g in enumerate(goods) if prices[i] > old[i] and g.category == 0]
        private = [(i, g) for i, g in enumerate(goods) if g.category == 0]
        cost = float(sum(prices[i] * (mine[j] if mine is not None else 0) for j, (i, _g) in enumerate(private)))
        personal = {"budget": services.budget_of(user, participant), "cost": cost, "rose": rose,
                    "rows": [{"good": g, "name": f"r:{g.name}", "price": float(prices[i]),
                              "value": posted.get(f"r:{g.name}", f"{mine[j]:.6g}" if mine is not None and mine[j] else "")}
                             for j, (i, g) in enumerate(private)]}
    history = []
    for r in year.rounds.filter(closed_at__isnull=False).order_by("number"):
        v = services.ratio_view(participant, r)
        history.append({"round": r.number, "benefit": v["benefit"], "cost": v["cost"], "ratio": v["ratio"], "how": v["how"]})
    return render(request, "planning/council.html", {
        "council": year.federation, "year": year, "participant": participant, "round": current,
        "view": view, "fields": fields, "can_act": can_act and current is not None and current.is_open,
        "personal": personal, "errors": errors or {}, "history": history,
        "function": services.function_of(participant) if can_act else None,
        "can_set_function": user.has_perm("planning.set_function", participant),
        "output_goods": [g for g in goods if g.category in (0, 1, 4)],
        "targets": services.targets_of(participant),
    }, status=status)


def _posted(request: HttpRequest, prefix: str) -> dict[str, str]:
    out = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if key.startswith(prefix) and value.strip():
            out[key[len(prefix):]] = value
    return out


@require_POST
def propose(request: HttpRequest, slug: str, pk: int, council_slug: str) -> HttpResponse:
    year = _year(request, slug, pk)
    participant = _participant(request, year, council_slug)
    if not request.user.has_perm("planning.act_for", participant):
        raise PermissionDenied("only this council's members act for it")
    try:
        number = request.POST.get("round")
        services.post_proposal(request.user, participant, supply=_posted(request, "s:"), demand=_posted(request, "d:"),
                               round_number=int(number) if number and number.isdigit() and len(number) < 9 else None)
    except services.FieldErrors as error:
        return council_page(request, slug, pk, council_slug, status=400, errors=error.fields)
    except InputError as error:
        return council_page(request, slug, pk, council_slug, status=400, errors={"form": str(error)})
    messages.success(request, "Proposal saved.")
    return redirect("planning:council", slug, pk, council_slug)


@require_POST
def personal_request(request: HttpRequest, slug: str, pk: int, council_slug: str) -> HttpResponse:
    year = _year(request, slug, pk)
    participant = _participant(request, year, council_slug)
    if not request.user.has_perm("planning.request", participant):
        raise PermissionDenied("only members of this consumer council make requests in it")
    try:
        services.save_request(request.user, participant, _posted(request, "r:"))
    except services.FieldErrors as error:
        return council_page(request, slug, pk, council_slug, status=400, errors=error.fields)
    messages.success(request, "Your request is saved.")
    return redirect("planning:council", slug, pk, council_slug)


def _lines(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.strip():
            name, _, value = line.partition("=")
            out[name.strip()] = value.strip()
    return out


@require_POST
def set_function(request: HttpRequest, slug: str, pk: int, council_slug: str) -> HttpResponse:
    year = _year(request, slug, pk)
    participant = _participant(request, year, council_slug)
    if not request.user.has_perm("planning.set_function", participant):
        raise PermissionDenied("only this council's facilitators state its function")
    post = request.POST
    if participant.kind == "wc":
        params = {"output": post.get("output", ""), "a": post.get("a"), "s": post.get("s"), "c": post.get("c"),
                  "k": post.get("k"), "inputs": _lines(post.get("inputs", ""))}
    else:
        params = {"income": post.get("income"), "exponents": _lines(post.get("exponents", ""))}
    try:
        services.set_function(request.user, participant, params)
    except services.FieldErrors as error:
        return council_page(request, slug, pk, council_slug, status=400, errors=error.fields)
    messages.success(request, "The council now answers each round from its function.")
    return redirect("planning:council", slug, pk, council_slug)


def export_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    year = _year(request, slug, pk)
    response = HttpResponse(services.rounds_csv(year), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="planning-year-{year.pk}.csv"'
    return response


def export_edn(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    year = _year(request, slug, pk)
    try:
        text = services.economy_edn(year)
    except InputError as error:
        messages.error(request, str(error))
        return redirect(year.get_absolute_url())
    response = HttpResponse(text, content_type="application/edn; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="planning-year-{year.pk}.clj"'
    return response


__all__ = ["CATEGORIES"]
