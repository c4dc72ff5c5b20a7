"""Which layout a directory file is in, and reading or writing any of them by name."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from parsoc.orgs.files import FileRefused, csv_rows, text_of
from parsoc.orgs.geojson import read_geojson, write_geojson
from parsoc.orgs.ica_layout import is_ica, read_ica
from parsoc.orgs.organisation import Organisation
from parsoc.orgs.standard_layout import is_standard, read_standard, write_standard


class Layout(StrEnum):
    STANDARD = "standard"
    GEOJSON = "geojson"
    ICA = "ica"

    @property
    def label(self) -> str:
        return {"standard": "Standard CSV (solidarity-economy maps)", "geojson": "GeoJSON",
                "ica": "ICA youth network CSV"}[self.value]


def detect(data: bytes) -> Layout:
    """The layout of a file, from its content (not its name)."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in {b"{", b"["}:
        return Layout.GEOJSON
    header, _ = csv_rows(text_of(data).split("\n", 1)[0] + "\n")
    if is_standard(header):
        return Layout.STANDARD
    if is_ica(header):
        return Layout.ICA
    raise FileRefused("the file is in no layout we read: a standard CSV has the columns Name and "
                      "Organisational Structure; an ICA CSV has Organization Type, Type and Sector; "
                      "or give GeoJSON")


def read_directory(data: bytes, layout: Layout | None = None) -> list[Organisation]:
    """Every organisation in a file, checked; ``FileRefused`` with each bad row otherwise."""
    layout = layout or detect(data)
    reader = {Layout.STANDARD: read_standard, Layout.GEOJSON: read_geojson, Layout.ICA: read_ica}[layout]
    return reader(data)


def write_directory(organisations: Iterable[Organisation], layout: Layout) -> str:
    if layout is Layout.ICA:
        raise FileRefused("we read the ICA layout but write standard CSV or GeoJSON")
    return write_standard(organisations) if layout is Layout.STANDARD else write_geojson(organisations)
