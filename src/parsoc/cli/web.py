"""``parsoc demo``, ``parsoc serve`` and ``parsoc admin ...``: the web platform from the command line."""

from __future__ import annotations

import os
import sys

import typer

from parsoc.errors import InputError

NAME = "admin"
app = typer.Typer(help="Administer a parsoc site.", no_args_is_help=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _check_port(host: str, port: int) -> None:
    import socket

    if not 1 <= port <= 65535:
        raise InputError(f"--port: {port} is not a port number (1–65535)")
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise InputError(f"port {port} on {host} is in use; choose another with --port (or PORT=... make demo)") from None


def _serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    _check_port(host, port)
    typer.echo(f"parsoc is served at http://{host}:{port}/  (Ctrl-C stops it)")
    uvicorn.run("parsoc.web.asgi:application", host=host, port=port, workers=workers, log_level="warning",
                proxy_headers=True)


def demo(
    port: int = typer.Option(int(os.environ.get("PORT", 8000)), help="Port to serve on."),
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Set up and load the demo world, then stop."),
) -> None:
    """Migrate the database, load the demo world (idempotent), print the logins and serve it."""
    from rich.console import Console
    from rich.table import Table

    _django()
    from django.conf import settings

    console = Console()
    with console.status("Preparing the database and the demo world…"):
        _migrate()
        from parsoc.web.demo import load_demo_world

        logins = load_demo_world()
    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}"
    console.print(f"Database: [bold]{where}[/]")
    table = Table(title="Demo logins", show_lines=False)
    table.add_column("who")
    table.add_column("email")
    table.add_column("")
    for name, email, role in logins:
        table.add_row(name, email, role)
    console.print(table)
    if not no_serve:
        _serve(host, port, workers=1)


def serve(
    port: int = typer.Option(int(os.environ.get("PORT", 8000)), help="Port to serve on."),
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
    workers: int = typer.Option(
        None, min=1, show_default=False,
        help="Worker processes (default: 1 on the embedded SQLite database, 2 on PostgreSQL).",
    ),
) -> None:
    """Migrate the database if needed and serve parsoc (ASGI, uvicorn)."""
    _django()
    _migrate()
    if workers is None:
        workers = 1 if _on_sqlite() else 2
    _serve(host, port, workers)


def _on_sqlite() -> bool:
    """SQLite has one write lock: one process queues its writers in arrival order, while two
    processes take turns unevenly and some writers wait far longer (docs/benchmarks.md)."""
    from django.db import connection

    return connection.vendor == "sqlite"


@app.command("create")
def create_admin(
    email: str = typer.Option(..., help="The administrator's email address."),
    name: str = typer.Option("Administrator", help="Display name."),
    password: str = typer.Option(
        None, help="Password (default: read PARSOC_ADMIN_PASSWORD, else ask).", show_default=False
    ),
) -> None:
    """Create a site administrator (a superuser with a confirmed email)."""
    _django()
    _migrate()
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from parsoc.web.accounts.models import User

    try:
        validate_email(email)
    except ValidationError:
        raise InputError(f"--email: {email!r} is not an email address") from None
    if User.objects.filter(email__iexact=email).exists():
        raise InputError(f"an account with {email} exists already")
    password = password or os.environ.get("PARSOC_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise InputError("give --password or set PARSOC_ADMIN_PASSWORD (no terminal to ask on)")
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        password_validation.validate_password(password, User(email=email, display_name=name))
    except ValidationError as error:
        raise InputError("password: " + " ".join(error.messages)) from None
    User.objects.create_superuser(email, password, display_name=name)
    typer.echo(f"Administrator {email} created. Log in at /accounts/login/ ; the admin site is at /admin/.")


COMMANDS = {"demo": demo, "serve": serve}
