"""The "standard" CSV layout that solidarity-economy maps exchange (Mykomap, Digital Commons).

Columns as the maps write them; ``Organisational Structure`` and ``Primary Activity`` hold
ESSGLOBAL codes. We write four more columns at the end (``Kind``, ``Sector``, ``Legal Form``,
``Size``) so that our own export reads back exactly; a file without them reads from the codes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from parsoc.errors import InputError
from parsoc.orgs.files import csv_rows, read_rows, require_columns, text_of
from parsoc.orgs.organisation import Organisation, blank
from parsoc.orgs.vocabulary import (
    Kind,
    kind_from_structure,
    kind_from_text,
    normalise_sector,
    sector_activity,
    sector_from_activity,
)

COLUMNS = [
    "Identifier", "Name", "Description", "Organisational Structure", "Primary Activity", "Activities",
    "Street Address", "Locality", "Region", "Postcode", "Country ID", "Territory ID", "Website", "Phone",
    "Email", "Twitter", "Facebook", "Companies House Number", "Qualifiers", "Membership Type", "Latitude",
    "Longitude", "Geo Container", "Geo Container Latitude", "Geo Container Longitude",
    "Geo Container Confidence", "Geocoded Address",
]
OURS = ["Kind", "Sector", "Legal Form", "Size"]
NEEDED = ["Name", "Organisational Structure", "Latitude", "Longitude"]


def is_standard(header: list[str]) -> bool:
    return "Name" in header and "Organisational Structure" in header


def _kind(row: dict[str, str]) -> Kind:
    ours = blank(row.get("Kind"))
    if ours:
        try:
            return Kind(ours)
        except ValueError:
            raise ValueError(f"Kind: {ours!r} is not one of ours") from None
    return kind_from_structure(row.get("Organisational Structure", ""), row.get("Primary Activity", "")) \
        or kind_from_text(row.get("Organisational Structure", "")) or Kind.OTHER


def _organisation(row: dict[str, str]) -> Organisation:
    row = {key: _uncell(value) for key, value in row.items()}
    try:
        kind = _kind(row)
    except ValueError as error:
        raise InputError(str(error)) from None
    # Our own export says the sector in a column of its own (even when empty); other maps' files
    # only give the ICA activity code.
    sector = normalise_sector(row["Sector"]) if "Sector" in row else \
        sector_from_activity(row.get("Primary Activity", ""))
    # A geocoder's position is the map's fallback when the row has none of its own.
    latitude = blank(row.get("Latitude")) or blank(row.get("Geo Container Latitude"))
    longitude = blank(row.get("Longitude")) or blank(row.get("Geo Container Longitude"))
    return Organisation(
        identifier=row.get("Identifier", ""), name=row.get("Name", ""), description=row.get("Description", ""),
        kind=kind, sector=sector, legal_form=row.get("Legal Form", ""), street=row.get("Street Address", ""),
        locality=row.get("Locality", ""), region=row.get("Region", ""), postcode=row.get("Postcode", ""),
        country=row.get("Country ID", ""), latitude=latitude or None, longitude=longitude or None,  # type: ignore[arg-type]
        website=row.get("Website", ""), email=row.get("Email", ""), phone=row.get("Phone", ""),
        size=row.get("Size", ""),
    )


def read_standard(data: bytes) -> list[Organisation]:
    header, rows = csv_rows(text_of(data))
    require_columns(header, NEEDED, "standard")
    return read_rows(rows, _organisation)


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def write_standard(organisations: Iterable[Organisation]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS + OURS)
    for o in organisations:
        row = dict.fromkeys(COLUMNS + OURS, "")
        activity = sector_activity(o.sector) or ("ICA140" if o.kind is Kind.CREDIT_UNION else "")
        row.update({
            "Identifier": o.identifier, "Name": o.name, "Description": o.description,
            "Organisational Structure": o.kind.structure, "Primary Activity": activity,
            "Street Address": o.street, "Locality": o.locality, "Region": o.region, "Postcode": o.postcode,
            "Country ID": o.country, "Website": o.website, "Phone": o.phone, "Email": o.email,
            "Latitude": _number(o.latitude), "Longitude": _number(o.longitude),
            "Kind": o.kind.value, "Sector": o.sector, "Legal Form": o.legal_form, "Size": o.size,
        })
        writer.writerow([_cell(row[c]) for c in COLUMNS + OURS])
    return out.getvalue()


def _cell(text: str) -> str:
    """Text for a spreadsheet cell: a leading =, +, - or @ would run as a formula in Excel."""
    if text[:1] in {"=", "+", "@", "\t", "\r", "'"} or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _uncell(text: str) -> str:
    """Undo ``_cell``: our export's quote before a formula-like first character."""
    if text[:1] == "'" and text[1:2] in {"=", "+", "-", "@", "\t", "\r", "'"}:
        return text[1:]
    return text
