"""Selection-by-lot pages: a council's selections, one selection's page, and its actions."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from parsoc.errors import InputError
from parsoc.web.councils.views import visible_council
from parsoc.web.lot import services
from parsoc.web.lot.forms import SelectionForm
from parsoc.web.lot.models import Phase, SeedSource, Selection

FIELDS = {"title": "title", "panel size": "panel_size", "quotas": "quotas", "seed source": "seed_source",
          "seed note": "seed_note"}


def _index(request: HttpRequest, council, form: SelectionForm | None, status: int = 200) -> HttpResponse:
    can_manage = request.user.has_perm("lot.manage", council)
    return render(request, "lot/index.html", {
        "council": council, "selections": council.lot_selections.all(), "can_manage": can_manage,
        "form": (form or SelectionForm()) if can_manage else None,
    }, status=status)


def index(request: HttpRequest, slug: str) -> HttpResponse:
    return _index(request, visible_council(request, slug), None)


@require_POST
def create(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    if not request.user.has_perm("lot.manage", council):
        raise PermissionDenied("only facilitators start a selection by lot")
    form = SelectionForm(request.POST)
    if form.is_valid():
        try:
            selection = services.create_selection(request.user, council, **form.cleaned_data)
        except InputError as error:
            text = str(error)
            field = next((f for prefix, f in FIELDS.items() if text.startswith(prefix)), None)
            form.add_error(field, text)
        else:
            messages.success(request, f"“{selection.title}”: members can now volunteer.")
            return redirect(selection)
    return _index(request, council, form, status=400)


def _selection(request: HttpRequest, slug: str, pk: int) -> Selection:
    council = visible_council(request, slug)
    return get_object_or_404(Selection, council=council, pk=pk)


def detail(request: HttpRequest, slug: str, pk: int, status: int = 200) -> HttpResponse:
    selection = _selection(request, slug, pk)
    council, user = selection.council, request.user
    volunteers = list(selection.volunteers.select_related("user"))
    probability = {}
    if selection.result and selection.pool:
        probability = dict(zip(selection.pool, selection.result["probabilities"], strict=True))
    names = [c for c, _ in services.categories(selection)]
    rows = [{"name": v.user.display_name, "features": [v.features.get(c, "") for c in names],
             "probability": probability.get(v.user_id), "mine": v.user_id == user.pk,
             "selected": v.user_id in (selection.panel or [])} for v in volunteers]
    mine = next((v for v in volunteers if v.user_id == user.pk), None)
    commitments = list(selection.commitments.select_related("user"))
    context = {
        "council": council, "selection": selection, "phase": Phase(selection.phase).label,
        "categories": services.categories(selection), "category_names": names, "rows": rows,
        "mine": mine, "my_probability": probability.get(user.pk) if user.is_authenticated else None,
        "my_commitment": next((c for c in commitments if c.user_id == user.pk), None),
        "commitments": commitments, "panel": [r for r in rows if r["selected"]],
        "can_manage": user.has_perm("lot.manage", council),
        "can_take_part": user.has_perm("lot.take_part", council),
        "commit_reveal": selection.seed_source == SeedSource.COMMIT,
        "minimum": selection.result["minimum_probability"] if selection.result else None,
    }
    return render(request, "lot/detail.html", context, status=status)


def result_json(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    selection = _selection(request, slug, pk)
    if selection.phase != Phase.DRAWN:
        raise Http404("not drawn yet")
    response = HttpResponse(json.dumps(services.published_result(selection), indent=1),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="selection-{selection.pk}.json"'
    return response


def _act(request: HttpRequest, slug: str, pk: int, action) -> HttpResponse:
    """Run ``action(selection)``: its message and back to the page, or the page with the error (400)."""
    selection = _selection(request, slug, pk)
    try:
        text = action(selection)
    except InputError as error:
        messages.error(request, str(error))
        return detail(request, slug, pk, status=400)
    messages.success(request, text)
    return redirect(selection)


@require_POST
def volunteer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(selection):
        features = {c: request.POST.get(f"feature-{i}", "") for i, (c, _) in enumerate(services.categories(selection))}
        services.volunteer(request.user, selection, features)
        return "You are in the pool."
    return _act(request, slug, pk, action)


@require_POST
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(selection):
        services.withdraw(request.user, selection)
        return "You left the pool."
    return _act(request, slug, pk, action)


@require_POST
def compute(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(selection):
        done = services.compute(request.user, selection)
        least = (done.result or {}).get("minimum_probability", 0.0)
        return f"Probabilities computed: everyone's chance is at least {least:.1%}."
    return _act(request, slug, pk, action)


@require_POST
def commit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act(request, slug, pk, lambda s: (
        services.commit(request.user, s, request.POST.get("digest", "")),
        "Your commitment is recorded. Keep your secret: you will reveal it once every commitment is in.")[1])


@require_POST
def close_commitments(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(selection):
        services.close_commitments(request.user, selection)
        return "Commitments closed: members can now reveal their secrets."
    return _act(request, slug, pk, action)


@require_POST
def reveal(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def action(selection):
        services.reveal(request.user, selection, request.POST.get("secret", ""))
        return "Your secret matches your commitment."
    return _act(request, slug, pk, action)


@require_POST
def draw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act(request, slug, pk, lambda s: (
        services.draw(request.user, s, request.POST.get("published_value", "")), "Drawn.")[1])
