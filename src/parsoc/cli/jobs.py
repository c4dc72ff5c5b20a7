"""``parsoc jobs``: balanced job complexes for a worker council.

``parsoc jobs balance TASKS.csv MEMBERS.csv [--json]`` composes the jobs and reports how
balanced they are and what stops them being better; ``parsoc jobs ratings RATINGS.csv``
aggregates a rating round; ``parsoc jobs effort MEMBERS.csv EFFORT.csv`` gives each member's
income. CSV columns are in ``docs/work.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from parsoc.vocabulary import help_text
from parsoc.work.kinds import ComposeMethod, EffortKind, RatingForm

NAME = "jobs"
app = typer.Typer(help="Balanced job complexes for a worker council.", no_args_is_help=True)


@app.callback()
def jobs() -> None:
    """Balanced job complexes for a worker council."""


@app.command()
def balance(
    tasks_csv: Path = typer.Argument(..., help="Tasks: task, hours, empowerment, desirability[, skills, splittable]."),
    members_csv: Path = typer.Argument(..., help="Members: member, hours[, skills]."),
    as_json: bool = typer.Option(False, "--json", help="Print the composition and report as JSON."),
    method: ComposeMethod = typer.Option(ComposeMethod.AUTO, help=help_text(ComposeMethod) + "."),
    unit: float = typer.Option(0.5, help="Smallest piece (hours) a splittable task is cut into."),
    time_limit: float = typer.Option(30.0, "--time-limit", help="Seconds the solver may take."),
    gap: float = typer.Option(None, help="Optimality tolerance in rating points (default 0.2% of the rating range)."),
    previous: Path = typer.Option(None, help="Last period's jobs (member, task, hours): change them least."),
) -> None:
    """Compose job complexes so every job's average empowerment and desirability is near the workplace's."""
    from parsoc.work.balance_report import balance_report
    from parsoc.work.composer import compose_jobs
    from parsoc.work.csv_io import read_jobs, read_members, read_tasks

    tasks = read_tasks(tasks_csv)
    members = read_members(members_csv)
    past = read_jobs(previous) if previous else None
    if as_json:
        jc = compose_jobs(tasks, members, method=method, unit=unit, previous=past, time_limit=time_limit, gap=gap)
        typer.echo(json.dumps(balance_report(jc), indent=2))
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        progress.add_task(f"composing job complexes for {len(members)} members and {len(tasks)} tasks "
                          f"(at most {time_limit:g} s)", total=None)
        jc = compose_jobs(tasks, members, method=method, unit=unit, previous=past, time_limit=time_limit, gap=gap)
        report = balance_report(jc)
    _print(report)


def _print(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console()
    avg = report["workplace_average"]
    table = Table(title=f"Job complexes — workplace average empowerment {avg['empowerment']:.2f}, desirability {avg['desirability']:.2f}")
    for column in ("member", "hours", "empowerment", "desirability", "deviation", "tasks"):
        table.add_column(column, justify="right" if column not in ("member", "tasks") else "left")
    for job in report["jobs"]:
        tasks = ", ".join(f"{name} {hours:g}h" for name, hours in job["tasks"].items())
        table.add_row(job["member"], f"{job['hours']:g}", f"{job['empowerment']:.2f}", f"{job['desirability']:.2f}",
                      f"{job['deviation']:.3f}", tasks)
    out.print(table)
    if report["optimal"]:
        proof = "proven optimal"
    elif report["method"] == "exact":
        proof = f"at least {report['lower_bound']:.3f} is possible"
    else:
        proof = "not proven optimal"
    out.print(f"largest deviation {report['largest_deviation']:.3f} ({report['method']}, {proof}, {report['seconds']:.1f} s)")
    if report["hours_changed"] is not None:
        out.print(f"hours moved from last period's jobs: {report['hours_changed']:g}")
    for note in report["notes"]:
        out.print(f"note: {note}")
    for limit in report["limits"]:
        out.print(f"• {limit['kind']}: {limit['message']}", highlight=False)


@app.command()
def ratings(
    ratings_csv: Path = typer.Argument(..., help="Ratings: rater, task, empowerment, desirability[, submitted]."),
    form: RatingForm = typer.Option(RatingForm.SCALE, help=help_text(RatingForm) + "."),
    low: float = typer.Option(1.0, help="Bottom of the scale."),
    high: float = typer.Option(10.0, help="Top of the scale."),
    deadline: str = typer.Option(None, help="ISO date and time; later ratings are not counted."),
    disagreement: float = typer.Option(0.2, help="Flag a task when a rating's standard deviation exceeds this share of the scale."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Aggregate a rating round: each task's mean with its spread, and tasks flagged for discussion."""
    from dataclasses import asdict
    from datetime import datetime

    from parsoc.errors import InputError
    from parsoc.work.csv_io import read_ratings
    from parsoc.work.rating_rounds import RatingRound, aggregate

    rows = read_ratings(ratings_csv)
    try:
        when = datetime.fromisoformat(deadline) if deadline else None
    except ValueError:
        raise InputError(f"--deadline {deadline!r} is not an ISO date and time") from None
    tasks = tuple(dict.fromkeys(r.task for r in rows))
    raters = tuple(dict.fromkeys(r.rater for r in rows))
    result = aggregate(RatingRound(tasks, raters, form, (low, high), when, disagreement), rows)
    if as_json:
        typer.echo(json.dumps({"tasks": [asdict(t) for t in result.tasks], "late": [asdict(r) for r in result.late],
                               "missing": result.missing}, indent=2, default=str))
        return
    for t in result.tasks:
        e, d = t.empowerment, t.desirability
        flag = "  FLAG: " + "; ".join(t.reasons) if t.flagged else ""
        typer.echo(f"{t.task}: empowerment {e.mean:.2f} ± {e.std:.2f}, desirability {d.mean:.2f} ± {d.std:.2f} ({e.count} ratings){flag}")
    for r in result.late:
        typer.echo(f"late, not counted: {r.rater} on {r.task}")


@app.command()
def effort(
    members_csv: Path = typer.Argument(..., help="Members: member, hours."),
    effort_csv: Path = typer.Argument(None, help="Co-workers' ratings: rater, ratee, rating."),
    scheme: EffortKind = typer.Option(EffortKind.HOURS, help=help_text(EffortKind) + "."),
    cap: float = typer.Option(1.0, help="The council's total effort points are at most cap × its hours."),
    point_value: float = typer.Option(1.0, "--point-value", help="Income per effort point."),
    council: str = typer.Option("council", help="The council's name, written into the income table."),
    as_json: bool = typer.Option(False, "--json", help="Print the income table as JSON."),
) -> None:
    """Each member's effort points and income (entitlement) under the council's scheme."""
    from parsoc.work.csv_io import read_effort, read_members
    from parsoc.work.effort import EffortScheme, effort_points, entitlements, income_table

    members = read_members(members_csv)
    rows = read_effort(effort_csv) if effort_csv else []
    efforts = effort_points(EffortScheme(scheme, cap=cap), {m.name: m.hours for m in members}, rows)
    incomes = entitlements(council, efforts, point_value)
    if as_json:
        typer.echo(json.dumps(income_table(incomes), indent=2))
        return
    for e, i in zip(efforts, incomes, strict=False):
        typer.echo(f"{e.member}: {e.hours:g} h × {e.factor:.3f} = {e.points:.2f} points → income {i.income:.2f}")
