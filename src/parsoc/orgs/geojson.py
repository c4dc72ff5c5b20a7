"""GeoJSON (RFC 7946): one Point feature per organisation, its fields as properties.

An organisation without coordinates is a feature with ``"geometry": null`` (allowed by the
RFC), so that the file holds the whole directory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from parsoc.errors import InputError
from parsoc.orgs.files import FileRefused, RowProblem, read_rows, text_of
from parsoc.orgs.organisation import TEXT_FIELDS, Organisation
from parsoc.orgs.vocabulary import Kind

PROPERTIES = ("kind", *TEXT_FIELDS)


def write_geojson(organisations: Iterable[Organisation]) -> str:
    features = []
    for o in organisations:
        properties = {key: value for key, value in asdict(o).items() if key in PROPERTIES}
        properties["kind"] = o.kind.value
        geometry = None if o.latitude is None else {"type": "Point", "coordinates": [o.longitude, o.latitude]}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)


def _feature(feature: Any) -> dict[str, str]:
    """A feature as a flat row of text, for the same checks as a CSV row."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise InputError("not a GeoJSON Feature")
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise InputError("properties: not an object")
    row = {key: properties[key] for key in PROPERTIES if key in properties}
    for key, value in row.items():
        if not isinstance(value, str):
            raise InputError(f"{key}: expected text, got {type(value).__name__}")
    geometry = feature.get("geometry")
    if geometry is not None:
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            raise InputError("geometry: only Point geometries (or null) describe an organisation")
        position = geometry.get("coordinates")
        if not isinstance(position, list) or len(position) not in (2, 3) or \
                not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in position):
            raise InputError("geometry: coordinates must be [longitude, latitude]")
        row["\x00longitude"], row["\x00latitude"] = position[0], position[1]
    return row


def _organisation(row: dict[str, Any]) -> Organisation:
    kind_text = row.pop("kind", "") or Kind.COOPERATIVE.value
    try:
        kind = Kind(kind_text)
    except ValueError:
        raise InputError(f"kind: {kind_text!r} is not one of {', '.join(k.value for k in Kind)}") from None
    latitude, longitude = row.pop("\x00latitude", None), row.pop("\x00longitude", None)
    return Organisation(kind=kind, latitude=latitude, longitude=longitude, **row)


def read_geojson(data: bytes) -> list[Organisation]:
    try:
        document = json.loads(text_of(data))
    except json.JSONDecodeError as error:
        raise FileRefused("the file is not valid JSON", [RowProblem(error.lineno, error.msg)]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" or \
            not isinstance(document.get("features"), list):
        raise FileRefused("the file is not a GeoJSON FeatureCollection")
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[RowProblem] = []
    for number, feature in enumerate(document["features"], start=1):
        try:
            rows.append((number, _feature(feature)))
        except InputError as error:
            problems.append(RowProblem(number, str(error)))
    if problems:
        raise FileRefused(f"{len(problems)} feature(s) could not be read, so nothing was imported", problems)
    return read_rows(rows, _organisation)
