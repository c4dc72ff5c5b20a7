"""``parsoc orgs ...``: the directory of organisations from the command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from parsoc.errors import InputError

NAME = "orgs"
app = typer.Typer(help="The directory of co-operatives, credit unions and projects.", no_args_is_help=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    import django

    django.setup()


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="Standard CSV, GeoJSON, or the ICA youth network's CSV."),
    layout: str = typer.Option("", help="standard, geojson or ica (default: recognised from the content)."),
) -> None:
    """Add every organisation in FILE to the directory, or none if any row cannot be read."""
    from parsoc.orgs.layouts import Layout, read_directory

    if layout and layout not in {item.value for item in Layout}:
        raise InputError(f"--layout: {layout!r} is not standard, geojson or ica")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"{file}: {error.strerror}") from None
    organisations = read_directory(data, Layout(layout) if layout else None)
    _django()
    from parsoc.web.orgs.services import import_organisations

    count = import_organisations(organisations)
    typer.echo(f"{count} organisations imported from {file.name}", err=True)


@app.command("export")
def export(
    format: str = typer.Option("standard", "--format", help="standard (CSV) or geojson."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of to stdout."),
) -> None:
    """Write the whole directory in the standard CSV layout or as GeoJSON."""
    from parsoc.orgs.layouts import Layout

    if format not in {Layout.STANDARD.value, Layout.GEOJSON.value}:
        raise InputError(f"--format: {format!r} is not standard or geojson")
    _django()
    from parsoc.web.orgs.models import Entry
    from parsoc.web.orgs.services import export as export_entries

    text = export_entries(Entry.objects.order_by("id").iterator(chunk_size=2000), Layout(format))
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise InputError(f"{output}: {error.strerror}") from None
