"""``parsoc decide``: check a council's decision record, and compute outcomes from stances.

- ``parsoc decide verify FILE`` — check the hash chain of an exported decision log and replay
  it, recomputing every outcome. Exit 0 when intact, 1 when tampered or inconsistent (each
  problem on its own line), 2 when the file cannot be read as a log.
- ``parsoc decide tick`` — close windows whose time has come, send reminders (from cron).
- ``parsoc decide outcome FILE`` — the outcome of stances under a rule, from a JSON file
  ``{"rule": {...}, "members": [...], "say": {...}, "rounds": [{"member": "kind"}, ...]}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from parsoc.errors import InputError

NAME = "decide"
app = typer.Typer(help="Decisions: verify a council's decision record, compute outcomes.",
                  no_args_is_help=True)


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno}: not JSON ({exc.msg})") from None


@app.command()
def verify(file: Path = typer.Argument(..., help="An exported decision log (JSON).")) -> None:
    """Check the hash chain and recompute every outcome."""
    from parsoc.decisions.record import verify as verify_log

    try:
        report = verify_log(_read_json(file))
    except InputError as exc:
        raise InputError(f"{file}: {exc}") from None
    for problem in report.problems:
        typer.echo(f"{file}: {problem}", err=True)
    if not report.ok:
        typer.echo(f"TAMPERED or inconsistent: {len(report.problems)} problem(s) in "
                   f"{report.events} events", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {report.events} events, chain intact, {report.decisions} decisions, "
               f"{report.outcomes_checked} outcomes recomputed and matching, {report.polls} polls, "
               f"{report.results_checked} poll results recomputed and matching")


@app.command()
def outcome(file: Path = typer.Argument(..., help="JSON: rule, members, say, rounds.")) -> None:
    """Compute the outcome of stances under a rule and print it as JSON."""
    from parsoc.decisions.outcome import decide
    from parsoc.decisions.rules import Rule
    from parsoc.decisions.say import Say
    from parsoc.decisions.stances import StanceKind

    data = _read_json(file)
    if not isinstance(data, dict) or not {"rule", "members", "rounds"} <= set(data):
        raise InputError(f"{file}: expected an object with rule, members and rounds")
    rounds = []
    for i, r in enumerate(data["rounds"], start=1):
        if not isinstance(r, dict):
            raise InputError(f"{file}: round {i}: expected an object member -> stance")
        rounds.append({m: StanceKind.parse(str(k), where=f"{file}: round {i}, {m}")
                       for m, k in r.items()})
    result = decide(Rule.from_json(data["rule"], where=f"{file}: rule"), rounds,
                    [str(m) for m in data["members"]], Say.from_json(data.get("say")))
    typer.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))


@app.command()
def tick() -> None:
    """Close decision windows whose time has come; send closing-soon and review reminders.

    Run it from cron every few minutes (it is idempotent)."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    import django

    django.setup()
    from parsoc.web.decisions.services import tick as run_tick

    done = run_tick()
    typer.echo(f"closed {done['closed']}, closing-soon reminders {done['closing']}, "
               f"review reminders {done['review']}")
