"""Entry point of the ``parsoc`` command.

Sub-commands live one per module in this package (``plan.py`` gives ``parsoc plan ...``):
a module that defines ``NAME`` and ``app`` is mounted automatically, so domains never edit
this file to add their commands. Errors a user can cause are printed as one readable line
and exit non-zero; tracebacks are for bugs only.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

import parsoc
import parsoc.cli
from parsoc.errors import InputError

app = typer.Typer(
    name="parsoc",
    help="Software for a participatory society.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"parsoc {parsoc.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Councils, decisions, meetings, social choice, planning and work."""


def _mount_subcommands() -> None:
    for info in sorted(pkgutil.iter_modules(parsoc.cli.__path__), key=lambda m: m.name):
        if info.name in {"main"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"parsoc.cli.{info.name}")
        # A module may mount a group (NAME + app) and/or top-level commands (COMMANDS).
        sub = getattr(module, "app", None)
        name = getattr(module, "NAME", None)
        if isinstance(sub, typer.Typer) and name:
            app.add_typer(sub, name=name)
        for command_name, function in getattr(module, "COMMANDS", {}).items():
            app.command(name=command_name)(function)


_mount_subcommands()


def run() -> None:
    """Console-script entry point: user errors become one line on stderr."""
    try:
        app()
    except InputError as exc:
        typer.echo(f"parsoc: error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    run()
