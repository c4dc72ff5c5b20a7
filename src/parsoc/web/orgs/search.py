"""Finding organisations: words, kind, sector, country, and distance from a point ("near me").

Filters come from the query string through the bounded parsers (a page number or a distance
is checked before any query runs). Distance is the great-circle (haversine) distance computed
by the database, after a bounding box on the indexed coordinates narrows the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from parsoc.errors import InputError
from parsoc.numbers import parse_float, parse_int
from parsoc.orgs.organisation import coordinate, country_code
from parsoc.orgs.vocabulary import Kind
from parsoc.web.orgs.models import Entry

EARTH_KM = 6371.0088
PAGE_SIZE = 50
MAX_PAGE = 10_000
MAX_WORDS = 100


@dataclass(frozen=True)
class Filters:
    words: str = ""
    kind: str = ""
    sector: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    km: float = 50.0
    page: int = 1

    @property
    def near(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def query(self) -> dict[str, str]:
        """The filters as query-string values (for links to other pages and exports)."""
        values = {"q": self.words, "kind": self.kind, "sector": self.sector, "country": self.country}
        if self.near:
            values |= {"lat": repr(self.latitude), "lon": repr(self.longitude), "km": repr(self.km)}
        return {key: value for key, value in values.items() if value}


def filters_from(params) -> Filters:
    """Filters from a query string (a QueryDict or a dict); ``InputError`` names the field."""
    words = " ".join((params.get("q") or "").split())
    if len(words) > MAX_WORDS:
        raise InputError(f"q: at most {MAX_WORDS} characters")
    kind = (params.get("kind") or "").strip()
    if kind and kind not in {k.value for k in Kind}:
        raise InputError(f"kind: {kind!r} is not a kind of organisation")
    sector = " ".join((params.get("sector") or "").split())[:100]
    country = country_code(params.get("country") or "")
    latitude = coordinate(params.get("lat") or None, "lat", 90.0)
    longitude = coordinate(params.get("lon") or None, "lon", 180.0)
    if (latitude is None) != (longitude is None):
        raise InputError("lat: give both lat and lon to search near a place")
    km = parse_float(params.get("km") or 50, "km", low=0.1, high=20_016.0)
    page = parse_int(params.get("page") or 1, "page", low=1, high=MAX_PAGE)
    return Filters(words, kind, sector, country, latitude, longitude, km, page)


def _box(latitude: float, longitude: float, km: float) -> Q:
    """Rows within the box around the point that holds the circle of ``km``."""
    dlat = math.degrees(km / EARTH_KM)
    box = Q(latitude__gte=max(-90.0, latitude - dlat), latitude__lte=min(90.0, latitude + dlat))
    cos = math.cos(math.radians(min(89.9, abs(latitude) + dlat)))
    dlon = 180.0 if cos <= 0 else math.degrees(km / EARTH_KM) / cos
    if dlon >= 180.0 or latitude + dlat >= 90.0 or latitude - dlat <= -90.0:
        return box & Q(longitude__isnull=False)
    west, east = longitude - dlon, longitude + dlon
    if west < -180.0:
        return box & (Q(longitude__gte=west + 360.0) | Q(longitude__lte=east))
    if east > 180.0:
        return box & (Q(longitude__gte=west) | Q(longitude__lte=east - 360.0))
    return box & Q(longitude__gte=west, longitude__lte=east)


def _distance(latitude: float, longitude: float):
    """The haversine distance in km from the point, as a database expression."""
    phi = math.radians(latitude)
    half_dphi = (Radians(F("latitude")) - Value(phi)) / 2
    half_dlambda = (Radians(F("longitude")) - Value(math.radians(longitude))) / 2
    a = Power(Sin(half_dphi), 2) + Cos(Radians(F("latitude"))) * Value(math.cos(phi)) * Power(Sin(half_dlambda), 2)
    return Value(2 * EARTH_KM) * ASin(Sqrt(Least(a, Value(1.0))), output_field=FloatField())


def found(filters: Filters) -> QuerySet[Entry]:
    """The entries matching the filters: nearest first when near a point, else by name."""
    entries = Entry.objects.all()
    for word in filters.words.split()[:8]:
        entries = entries.filter(Q(name__icontains=word) | Q(locality__icontains=word) | Q(sector__icontains=word)
                                 | Q(description__icontains=word))
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.sector:
        entries = entries.filter(sector__iexact=filters.sector)
    if filters.country:
        entries = entries.filter(country=filters.country)
    if filters.near:
        assert filters.latitude is not None and filters.longitude is not None
        entries = (entries.filter(_box(filters.latitude, filters.longitude, filters.km))
                   .annotate(distance=_distance(filters.latitude, filters.longitude))
                   .filter(distance__lte=filters.km).order_by("distance", "id"))
    return entries


def page_of(entries: QuerySet[Entry], page: int) -> tuple[list[Entry], bool]:
    """One page of entries, and whether there is a next one (one row more than a page, no count)."""
    start = (page - 1) * PAGE_SIZE
    rows = list(entries[start:start + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def sectors_in_use() -> list[str]:
    return list(Entry.objects.exclude(sector="").order_by("sector").values_list("sector", flat=True).distinct()[:200])
