"""``parsoc meetings ...``: meetings from the command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from parsoc.errors import InputError

NAME = "meetings"
app = typer.Typer(help="Meetings: calendars of councils.", no_args_is_help=True)


@app.command("ics")
def ics(
    council: str = typer.Argument(..., help="The council's short name (slug), as in /c/SLUG/."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of to stdout."),
    base_url: str = typer.Option("", help="Site address for the meeting links, e.g. https://parsoc.example"),
) -> None:
    """Write the iCalendar (.ics) of COUNCIL's meetings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    import django

    django.setup()
    from parsoc.web.councils.models import Council
    from parsoc.web.meetings.services import council_calendar

    found = Council.objects.filter(slug=council).first()
    if found is None:
        raise InputError(f"no council called {council!r}; give its short name as in /c/SLUG/")
    data = council_calendar(found, base_url.rstrip("/"))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            output.write_bytes(data)
        except OSError as error:
            raise InputError(f"--output: cannot write {output}: {error.strerror}") from None
