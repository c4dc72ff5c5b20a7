"""``parsoc lot``: selection by lot under quotas.

``parsoc lot draw CATEGORIES.csv POOL.csv --panel K [--method leximin|legacy] [--seed S] [--json]``
computes every person's selection probability and draws one panel from the seed;
``parsoc lot replay RESULT.json`` draws the panel again from a published result (its lottery
and seed) and says whether it is the published one. See docs/lot.md.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import typer

from parsoc.errors import InputError

NAME = "lot"
app = typer.Typer(help="Selection by lot under quotas (LEXIMIN).", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Fair selection by lot: LEXIMIN probabilities and a replayable draw."""


def _bar(label: str) -> Any:
    """A progress bar on standard error (a terminal only), and the callback that moves it."""
    if not sys.stderr.isatty():
        return nullcontext(), None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=1.0)
    return bar, lambda share, message: bar.update(task, completed=share, description=f"{label}: {message}")


@app.command("draw")
def draw_command(
    categories: Path = typer.Argument(..., help="Quotas: category,feature,min,max."),
    pool: Path = typer.Argument(..., help="The pool: one row per person, one column per category."),
    panel: int = typer.Option(..., "--panel", "-k", help="How many people to select."),
    method: str = typer.Option("leximin", "--method", help="leximin (fair) or legacy (the older greedy)."),
    seed: str = typer.Option(None, "--seed", help="The seed (text); a fresh random one if not given."),
    runs: int = typer.Option(1000, "--runs", help="LEGACY: draws averaged to estimate the probabilities."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Each person's selection probability and one panel drawn from the seed."""
    from parsoc.lot.draw import METHODS, select
    from parsoc.lot.instance import read_instance

    if method not in METHODS:
        raise InputError(f"--method {method!r} is not one of {', '.join(METHODS)}")
    instance = read_instance(categories, pool, panel)
    bar, progress = _bar(f"{method} for {len(instance.pool)} people")
    with bar:
        selection = select(instance, method=method, seed=seed, progress=progress, runs=runs)
    if as_json:
        typer.echo(json.dumps(selection.as_dict()))
        return
    from rich.console import Console

    out = Console()
    rows = instance.pool.rows
    out.print(f"{method}: {len(instance.pool)} people, panel of {instance.panel_size}, "
              f"{selection.seconds:.2f} s")
    low = selection.minimum_probability
    lowest = [rows[i] for i, p in enumerate(selection.probabilities) if p <= low + 1e-9]
    out.print(f"smallest selection probability {low:.4%} (rows {_short(lowest)}), "
              f"largest {max(selection.probabilities):.4%}" + (" (estimated)" if method == "legacy" else ""))
    out.print(f"seed {selection.seed!r} draws the panel (rows of {pool.name}): {_short([rows[i] for i in selection.panel], 400)}")


def _short(values: list[int], most: int = 12) -> str:
    text = ", ".join(str(v) for v in values[:most])
    return text + (f", … ({len(values)} in all)" if len(values) > most else "")


@app.command("replay")
def replay_command(
    result: Path = typer.Argument(..., help="A result printed by `parsoc lot draw --method leximin --json`."),
    seed: str = typer.Option(None, "--seed", help="Draw with this seed instead of the result's."),
) -> None:
    """Draw the panel again from a published lottery and seed; exit 1 if it differs from the published one."""
    from parsoc.lot.draw import draw_panel, lottery_from_json

    try:
        data = json.loads(result.read_text(encoding="utf-8-sig"))
        published = [int(i) for i in data["panel"]]
        used = seed if seed is not None else str(data["seed"])
    except OSError as exc:
        raise InputError(f"{result}: cannot read ({exc.strerror or exc})") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{result}: not a result of `parsoc lot draw --json` ({exc!s})") from None
    try:
        distribution = lottery_from_json(data)
    except InputError as exc:
        raise InputError(f"{result}: {exc}") from None
    panel = list(draw_panel(distribution, used))
    typer.echo(json.dumps({"seed": used, "panel": panel, "same_as_published": panel == published}))
    if seed is None and panel != published:
        raise typer.Exit(1)
