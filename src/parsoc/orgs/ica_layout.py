"""The ICA youth network's CSV layout (the International Co-operative Alliance's survey).

Columns: Organization Type, Name, name (the local legal form), Region, Country, City,
Latitude, Longitude, Size, Type (the co-operative type, in the co-op's language), Sector,
Address, Description, Additional Details, Website, Email. Real, messy data: sectors spelt
several ways, placeholders such as ``n/a``, long multi-line descriptions.
"""

from __future__ import annotations

import re

from parsoc.orgs.files import csv_rows, read_rows, require_columns, text_of
from parsoc.orgs.organisation import Organisation, blank
from parsoc.orgs.vocabulary import Kind, kind_from_text, normalise_sector

NEEDED = ["Name", "Country", "Latitude", "Longitude", "Type", "Sector"]


def is_ica(header: list[str]) -> bool:
    return "Organization Type" in header and "Type" in header and "Sector" in header


def _kind(row: dict[str, str], sector: str) -> Kind:
    kind = kind_from_text(row.get("Type", "")) or kind_from_text(row.get("name", ""))
    if sector == "Banking and credit" and kind in {None, Kind.COOPERATIVE, Kind.CONSUMER_COOP}:
        return Kind.CREDIT_UNION
    if sector == "Apex and federations" and kind is None:
        return Kind.FEDERATION
    return kind or Kind.COOPERATIVE


def _description(row: dict[str, str]) -> str:
    """The description, with the additional details when they say more than it."""
    main, more = blank(row.get("Description")), blank(row.get("Additional Details"))
    if more and more != main and more not in main:
        return f"{main}\n\n{more}" if main else more
    return main


def _websites(text: str) -> list[str]:
    """The addresses in a Website cell ("a ; b ; c" lists several)."""
    return [part for part in (blank(p) for p in re.split(r"[;,\s]+", text or "")) if part]


def _organisation(row: dict[str, str]) -> Organisation:
    websites = _websites(row.get("Website", ""))
    description = _description(row)
    if len(websites) > 1:
        description = f"{description}\n\nAlso on the web: {' '.join(websites[1:])}".strip()
    sector = normalise_sector(row.get("Sector", ""))
    return Organisation(
        name=row.get("Name", ""), kind=_kind(row, sector), description=description, sector=sector,
        legal_form=row.get("name", ""), street=row.get("Address", ""), locality=row.get("City", ""),
        region="", country=row.get("Country", ""), latitude=row.get("Latitude") or None,  # type: ignore[arg-type]
        longitude=row.get("Longitude") or None,  # type: ignore[arg-type]
        website=websites[0] if websites else "", email=row.get("Email", ""), size=row.get("Size", ""),
    )


def read_ica(data: bytes) -> list[Organisation]:
    header, rows = csv_rows(text_of(data))
    require_columns(header, NEEDED, "ICA")
    return read_rows(rows, _organisation)
