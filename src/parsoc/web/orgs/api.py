"""Directory endpoints: the same search, services and permissions as the pages."""

from __future__ import annotations

from dataclasses import MISSING, fields

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import create_model

from parsoc.errors import InputError
from parsoc.orgs.layouts import Layout
from parsoc.orgs.organisation import Organisation
from parsoc.orgs.vocabulary import Kind
from parsoc.web.api import login_required
from parsoc.web.orgs import search, services
from parsoc.web.orgs.models import Entry

router = Router(tags=["organisations"])


class Error(Schema):
    detail: str


class EntryOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    sector: str
    description: str
    legal_form: str
    street: str
    locality: str
    region: str
    postcode: str
    country: str
    latitude: float | None
    longitude: float | None
    website: str
    email: str
    phone: str
    size: str
    url: str
    distance_km: float | None = None


# What a person gives to add an organisation: the core record's fields (its own id aside).
EntryIn = create_model(
    "EntryIn", __base__=Schema,
    **{f.name: ((float | None) if f.name in ("latitude", "longitude") else Kind if f.name == "kind" else str,
                ... if f.default is MISSING else f.default)
       for f in fields(Organisation) if f.name != "identifier"},  # type: ignore[call-overload]
)


class PageOut(Schema):
    results: list[EntryOut]
    page: int
    more: bool


class Imported(Schema):
    imported: int


class Refused(Schema):
    detail: str
    problems: list[str]


class SearchQuery(Schema):
    q: str = ""
    kind: str = ""
    sector: str = ""
    country: str = ""
    lat: str = ""
    lon: str = ""
    km: str = ""
    page: str = ""


def _out(entry: Entry) -> dict[str, object]:
    fields = Entry.fields_of(entry.as_organisation())
    return fields | {"id": entry.pk, "kind_label": entry.kind_label, "url": entry.get_absolute_url(),
                     "distance_km": getattr(entry, "distance", None)}


@router.get("/", response={200: PageOut, 400: Error})
def find(request, filters: Query[SearchQuery]):
    """Organisations matching the filters, 50 a page (nearest first with lat, lon and km)."""
    parsed = search.filters_from(filters.dict())
    page, more = search.page_of(search.found(parsed), parsed.page)
    return {"results": [_out(e) for e in page], "page": parsed.page, "more": more}


@router.get("/export", response={200: None, 400: Error})
def export(request, filters: Query[SearchQuery], format: str = "standard"):
    """The directory (or what the filters select) as standard CSV or GeoJSON."""
    if format not in {Layout.STANDARD.value, Layout.GEOJSON.value}:
        raise InputError("format: standard or geojson")
    layout = Layout(format)
    entries = search.found(search.filters_from(filters.dict())).iterator(chunk_size=2000)
    kind = "text/csv" if layout is Layout.STANDARD else "application/geo+json"
    return HttpResponse(services.export(entries, layout), content_type=f"{kind}; charset=utf-8")


@router.get("/{int:pk}", response={200: EntryOut, 404: Error})
def entry(request, pk: int):
    return _out(get_object_or_404(Entry, pk=pk))


@router.post("/", response={201: EntryOut, 400: Error, 401: Error, 403: Error})
def add(request, body: EntryIn):  # type: ignore[valid-type]
    user = login_required(request)
    data = body.dict()  # type: ignore[attr-defined]
    data["kind"] = Kind(data["kind"])
    return 201, _out(services.add(user, Organisation(**data)))


@router.post("/import", response={200: Imported, 400: Refused, 401: Error, 403: Error})
@transaction.non_atomic_requests
def import_file(request, file: File[UploadedFile], layout: str = ""):
    """A whole file, or nothing: each row that cannot be read is listed with the reason."""
    user = login_required(request)
    if layout and layout not in {item.value for item in Layout}:
        raise InputError("layout: standard, geojson or ica")
    try:
        count = services.import_file(user, file.read(20 * 1024 * 1024 + 1), Layout(layout) if layout else None)
    except InputError as error:
        return 400, {"detail": str(error), "problems": [str(p) for p in getattr(error, "problems", [])]}
    return {"imported": count}
