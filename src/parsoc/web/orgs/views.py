"""Directory pages: search and map, one page per organisation, add, change, import, export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parsoc.errors import InputError
from parsoc.orgs.layouts import Layout
from parsoc.orgs.vocabulary import Kind
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.orgs import search, services
from parsoc.web.orgs.forms import EntryForm, ImportForm
from parsoc.web.orgs.models import Entry

MAP_POINTS = 2000


def _tiles() -> dict[str, str] | None:
    return settings.PARSOC_MAP_TILES


def _points(entries) -> list[dict[str, object]]:
    rows = entries.exclude(latitude__isnull=True).values("id", "name", "latitude", "longitude", "kind")[:MAP_POINTS]
    return [{"name": r["name"], "lat": r["latitude"], "lon": r["longitude"], "kind": Kind(r["kind"]).label,
             "url": reverse("orgs:detail", args=[r["id"]])} for r in rows]


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    try:
        filters = search.filters_from(request.GET)
    except InputError as error:
        return render(request, "orgs/directory.html", {"error": str(error), "kinds": list(Kind),
                                                        "filters": search.Filters(), "entries": [],
                                                        "points": [], "sectors": search.sectors_in_use(),
                                                        "map_tiles": _tiles()},
                      status=400)
    entries = search.found(filters)
    page, more = search.page_of(entries, filters.page)
    query = filters.query()
    return render(request, "orgs/directory.html", {
        "filters": filters, "entries": page, "more": more, "kinds": list(Kind),
        "sectors": search.sectors_in_use(), "points": _points(entries),
        "next_query": urlencode(query | {"page": filters.page + 1}),
        "previous_query": urlencode(query | {"page": filters.page - 1}) if filters.page > 1 else "",
        "export_standard": urlencode(query | {"format": "standard"}),
        "export_geojson": urlencode(query | {"format": "geojson"}),
        "map_tiles": _tiles(), "may_add": request.user.has_perm("orgs.add"), "may_import": request.user.has_perm("orgs.import"),
    })


def _entry(request: HttpRequest, pk: int) -> Entry:
    return get_visible_or_404(request.user, Entry, "orgs.view", pk=pk)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    points = _points(Entry.objects.filter(pk=entry.pk))
    return render(request, "orgs/detail.html", {"entry": entry, "points": points, "map_tiles": _tiles(),
                                                "may_change": request.user.has_perm("orgs.change", entry)})


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("orgs.add"):
        raise PermissionDenied("sign in to add an organisation")
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and form.organisation is not None:
        entry = services.add(request.user, form.organisation)
        messages.success(request, f"{entry.name} is in the directory.")
        return redirect(entry)
    return render(request, "orgs/form.html", {"form": form, "entry": None}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    if not request.user.has_perm("orgs.change", entry):
        raise PermissionDenied("only the person who added it, or an administrator, changes an entry")
    initial = {"country": entry.country, "latitude": "" if entry.latitude is None else repr(entry.latitude),
               "longitude": "" if entry.longitude is None else repr(entry.longitude)}
    form = EntryForm(request.POST or None, instance=entry, initial=initial)
    if request.method == "POST" and form.is_valid() and form.organisation is not None:
        services.change(request.user, entry, form.organisation)
        messages.success(request, "Saved.")
        return redirect(entry)
    return render(request, "orgs/form.html", {"form": form, "entry": entry}, status=400 if form.errors else 200)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    services.remove(request.user, entry)
    messages.success(request, f"{entry.name} was removed from the directory.")
    return redirect("orgs:directory")


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("orgs.import"):
        raise PermissionDenied("importing is for facilitators of a council")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        layout = Layout(form.cleaned_data["layout"]) if form.cleaned_data["layout"] else None
        try:
            data = upload.read(20 * 1024 * 1024 + 1)
            count = services.import_file(request.user, data, layout)
        except InputError as error:
            form.add_error("file", str(error).split(":", 1)[0] if getattr(error, "problems", None) else str(error))
            problems = [str(p) for p in getattr(error, "problems", [])]
        else:
            messages.success(request, f"{count} organisations imported.")
            return redirect("orgs:directory")
    return render(request, "orgs/import.html", {"form": form, "problems": problems},
                  status=400 if form.errors else 200)


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    try:
        filters = search.filters_from(request.GET)
        layout = Layout(request.GET.get("format") or "standard")
        if layout is Layout.ICA:
            raise InputError("format: we export standard or geojson")
    except ValueError as error:
        return HttpResponse(str(error) if isinstance(error, InputError) else "format: standard or geojson",
                            status=400, content_type="text/plain; charset=utf-8")
    text = services.export(search.found(filters).iterator(chunk_size=2000), layout)
    suffix, kind = ("csv", "text/csv") if layout is Layout.STANDARD else ("geojson", "application/geo+json")
    response = HttpResponse(text, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="organisations.{suffix}"'
    return response
