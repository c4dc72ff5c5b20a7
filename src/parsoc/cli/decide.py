"""``parsoc decide``: check a council's decision record, and compute outcomes from stances.

- ``parsoc decide verify FILE [--head HASH] [--witness PARENT.json]`` — check the hash chain
  of an exported decision log and replay it, recomputing every outcome; ``--head`` checks it
  against a head published elsewhere, ``--witness`` against the heads its parent council's
  record witnessed (see :mod:`parsoc.decisions.anchors`). Exit 0 when intact, 1 when tampered
  or inconsistent (each problem on its own line), 2 with one line when a file cannot be read
  as a log (see :mod:`parsoc.decisions.log_file`).
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
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno}: not JSON ({exc.msg})") from None
    except (RecursionError, ValueError) as exc:
        raise InputError(f"{path}: not JSON this command reads ({type(exc).__name__})") from None


def _line(text: str) -> str:
    """``text`` as one printable line: a forged log may hold line breaks or terminal escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


@app.command()
def verify(
    file: Path = typer.Argument(..., help="An exported decision log (JSON)."),
    head: str = typer.Option("", "--head", metavar="HASH",
                             help="A head published elsewhere (the council's announcements): it must be a "
                                  "point of this chain."),
    witness: Path = typer.Option(None, "--witness", metavar="PARENT.json",
                                 help="The exported record of the parent council: every head it witnessed "
                                      "for this council must be a point of this chain."),
) -> None:
    """Check the hash chain and recompute every outcome; with --head or --witness, also check
    the record against a head kept outside it."""
    from parsoc.decisions.anchors import check_head, check_witness, parse_head
    from parsoc.decisions.log_file import read
    from parsoc.decisions.record import check_chain
    from parsoc.decisions.record import verify as verify_log

    wanted = parse_head(head) if head else None
    document = read(file)
    parent = read(witness) if witness is not None else None
    try:
        report = verify_log(document)
    except InputError as exc:
        raise InputError(f"{file}: {exc}") from None
    problems = [f"{file}: {p}" for p in report.problems]
    notes: list[str] = []
    if report.ok:  # a broken chain is reported as it is: anchors would say nothing more
        events, _ = check_chain(document)
        if wanted is not None:
            found = check_head(events, wanted)
            problems += [f"{file}: {p}" for p in found.problems]
            notes += found.notes
        if parent is not None:
            parent_report = verify_log(parent)
            if not parent_report.ok:
                problems += [f"{witness}: {p}" for p in parent_report.problems]
                problems.append(f"{witness}: the parent record is itself tampered: it cannot witness")
            else:
                parent_events, _ = check_chain(parent)
                found = check_witness(events, document["council"], parent_events, parent["council"])
                problems += [f"{file}: {p}" for p in found.problems]
                notes += found.notes
    for problem in problems:
        typer.echo(_line(problem), err=True)
    if problems:
        typer.echo(f"TAMPERED or inconsistent: {len(problems)} problem(s) in {report.events} events", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {report.events} events, chain intact, {report.decisions} decisions, "
               f"{report.outcomes_checked} outcomes recomputed and matching, {report.polls} polls, "
               f"{report.results_checked} poll results recomputed and matching")
    for note in notes:
        typer.echo(_line(note))


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
