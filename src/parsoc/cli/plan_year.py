"""``parsoc plan year ...``: a planning year of a federation in the web app's database — open it,
fill it with simulated councils from an economy file, close a round, export it. Mounted under
``parsoc plan`` by :mod:`parsoc.cli.plan`."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from parsoc.errors import InputError

year_app = typer.Typer(help="A federation's planning year in the web app's database.", no_args_is_help=True,
                       add_completion=False)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    import django

    django.setup()


def _year(year_id: int):
    from parsoc.web.planning.models import PlanningYear

    year = PlanningYear.objects.select_related("federation").filter(pk=year_id).first()
    if year is None:
        raise InputError(f"year: no planning year {year_id}")
    return year


@year_app.command("open")
def open_command(
    federation: str = typer.Argument(..., help="The federation's slug (a council with member councils)."),
    title: str = typer.Option(..., "--title", help="The year's title."),
    economy: Path = typer.Option(..., "--economy", help="Economy file (.clj, .clj.gz, .npz) whose commodities make the catalogue."),
    rule: str = typer.Option("hahnel2021", "--rule", help="hahnel2021 or broyden."),
    threshold: float = typer.Option(3.0, "--threshold", help="Largest imbalance (percent) at which the plan is ready."),
    round_days: int = typer.Option(7, "--round-days", help="Days each round stays open."),
    import_councils: bool = typer.Option(False, "--import", help="Also fill the federation with the file's councils."),
) -> None:
    """Open a planning year in FEDERATION with the catalogue of an economy file."""
    from parsoc.planning.compact import read_economy

    data = read_economy(economy)
    _django()
    from parsoc.web.councils.models import Council
    from parsoc.web.planning import services

    council = Council.objects.filter(slug=federation).first()
    if council is None:
        raise InputError(f"federation: no council {federation!r}")
    year = services.open_year(None, council, title=title, goods=services.goods_of_economy(data), rule=rule,
                              threshold_pct=threshold, round_days=round_days)
    typer.echo(f"year {year.pk}: {year.title} in {council.slug}, {year.goods.count()} goods, "
               f"{year.participants.count()} councils taking part")
    if import_councils:
        wcs, ccs = services.import_economy(None, year, data)
        typer.echo(f"imported {wcs} worker councils and {ccs} consumer councils")


@year_app.command("import")
def import_command(
    year_id: int = typer.Argument(..., help="The planning year's number."),
    economy: Path = typer.Argument(..., help="Economy file (.clj, .clj.gz, .npz) with the year's commodities."),
) -> None:
    """Fill the year's federation with one simulated council per council of ECONOMY."""
    from parsoc.planning.compact import read_economy

    data = read_economy(economy)
    _django()
    from parsoc.web.planning import services

    wcs, ccs = services.import_economy(None, _year(year_id), data)
    typer.echo(f"imported {wcs} worker councils and {ccs} consumer councils")


@year_app.command("close-round")
def close_command(
    year_id: int = typer.Argument(..., help="The planning year's number."),
    until_threshold: bool = typer.Option(False, "--until-threshold", help="Keep closing rounds until the threshold is met."),
    max_rounds: int = typer.Option(250, "--max-rounds", help="At most this many rounds with --until-threshold."),
) -> None:
    """Close the open round (councils that did not answer keep their last proposal)."""
    _django()
    from parsoc.web.planning import services

    year = _year(year_id)
    for _ in range(max_rounds if until_threshold else 1):
        r = services.close_round(None, year)
        typer.echo(f"round {r.number}: largest imbalance {r.max_imbalance_pct:.4f}%, "
                   f"{r.answered} of {r.participants} councils answered")
        if services.current_round(year) is None:
            typer.echo("threshold met: the plan may be put to the federation")
            break


@year_app.command("export")
def export_command(
    year_id: int = typer.Argument(..., help="The planning year's number."),
    output: Path = typer.Option(..., "-o", "--output", help=".clj / .clj.gz / .npz: the economy (engine's layout); .csv: the rounds."),
) -> None:
    """Export the year: its councils' functions as an economy file, or its rounds as CSV."""
    _django()
    from parsoc.planning.compact import write_economy
    from parsoc.web.planning import services

    year = _year(year_id)
    if output.suffix == ".csv":
        output.write_text(services.rounds_csv(year), encoding="utf-8")
    else:
        write_economy(services.export_economy(year), output)
    typer.echo(f"wrote {output}")


@year_app.command("tick")
def tick_command() -> None:
    """Close every round whose deadline has passed (run it from cron, like ``parsoc decide tick``)."""
    _django()
    from parsoc.web.planning import services

    typer.echo(f"closed {services.close_due_rounds()} round(s) past their deadline")
