"""``parsoc notices``: the notifications people get (parsoc.web.notifications).

- ``parsoc notices digest`` — mail each person their daily digest; at most one per person per
  day, so running it again the same day sends nothing twice. From cron, once a day:
  ``0 7 * * * parsoc notices digest``.
"""

from __future__ import annotations

import os

import typer

NAME = "notices"
app = typer.Typer(help="Notifications: the daily digest.", no_args_is_help=True)


@app.callback()
def notices() -> None:
    """Notifications: the daily digest."""


@app.command()
def digest() -> None:
    """Mail each person the notices they chose to get in a daily digest (at most one a day)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    import django

    django.setup()
    from parsoc.web.notifications.services import send_digests

    done = send_digests()
    typer.echo(f"digests: {done['people']} sent ({done['notices']} notices), {done['skipped']} already sent today")
