"""``parsoc plan``: run the participatory planning procedure, generate economies, solve the
balancing prices. The engine is :mod:`parsoc.planning`; this module only reads options,
shows progress and writes results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

NAME = "plan"
app = typer.Typer(
    help="Participatory annual planning: councils propose, the facilitation board moves prices.",
    no_args_is_help=True,
    add_completion=False,
)


def _progress():
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


@app.command("run")
def run_command(
    economy: Path = typer.Argument(..., help="Economy: EDN .clj / .clj.gz (original layout) or our .npz."),
    rule: str = typer.Option("hahnel2021", "--rule", help="Facilitation rule: hahnel2021 or broyden."),
    threshold: float = typer.Option(3.0, "--threshold", help="Stop at the first round whose every imbalance is below this percentage."),
    max_rounds: int = typer.Option(250, "--max-rounds", help="Round limit per year."),
    years: int = typer.Option(1, "--years", help="1, or 2 for a second year after a seeded change to the exponents."),
    seed: int = typer.Option(0, "--seed", help="Seed of year two's change to the exponents."),
    csv_file: Path | None = typer.Option(None, "--csv", help="Write every round in the original program's CSV layout."),
    plot_file: Path | None = typer.Option(None, "--plot", help="Plot the largest imbalance per round (PNG, SVG, PDF)."),
    plan_file: Path | None = typer.Option(None, "--plan", help="Write the plan per council: every proposal of the last round (.npz)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object with the results."),
    ray_address: str | None = typer.Option(None, "--ray", help="Run on Ray: 'local' starts one here, or a cluster address (host:port or 'auto')."),
    workers: int = typer.Option(2, "--workers", help="Ray workers (long-lived actors) the councils are split across."),
) -> None:
    """Run the planning procedure on ECONOMY until every imbalance is below --threshold."""
    from parsoc.errors import InputError
    from parsoc.planning import report
    from parsoc.planning.board import rule_named
    from parsoc.planning.compact import read_economy
    from parsoc.planning.procedure import run_plan

    if years not in (1, 2):
        raise InputError(f"--years must be 1 or 2, got {years}")
    if not threshold > 0:
        raise InputError(f"--threshold must be above 0, got {threshold}")
    if max_rounds < 1:
        raise InputError(f"--max-rounds must be at least 1, got {max_rounds}")
    board_rule = rule_named(rule)
    data = read_economy(economy)
    factory, cluster = None, None
    if ray_address is not None:
        from parsoc.planning.distributed import RayCouncils

        cluster = RayCouncils(workers=workers, address=None if ray_address == "local" else ray_address)
        factory = cluster.answer_for
    try:
        with _progress() as progress:
            tasks = {}

            def on_round(year, record):
                if year not in tasks:
                    tasks[year] = progress.add_task(f"year {year}", total=max_rounds)
                progress.update(
                    tasks[year],
                    advance=1,
                    description=f"year {year} round {record.number}: largest imbalance {record.max_imbalance_pct:.2f}%",
                )

            run = run_plan(data, board_rule, threshold, max_rounds, years, seed, on_round, factory)
    finally:
        if cluster is not None:
            cluster.close()
    if csv_file is not None:
        report.write_csv(run, csv_file)
    if plot_file is not None:
        report.plot_imbalance(run, plot_file)
    if plan_file is not None:
        import numpy as np

        answered = run.years[-1].rounds[-1].prices_before
        plan = report.plan_per_council(run.economies[-1], answered)
        np.savez(plan_file, prices=answered, **plan)
    summary = report.summary(run, data)
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{economy.name}: {data.n_ccs} consumer and {data.n_wcs} worker councils, rule {rule}")
    for column in ("year", "rounds", "converged", "round to 10%", "to 5%", "to 3%", "largest imbalance %", "s/round"):
        table.add_column(column)
    for year, result in enumerate(summary["years"], start=1):
        reached = result["round_reached"]
        table.add_row(
            str(year), str(result["rounds"]), str(result["converged"]), str(reached["10"]), str(reached["5"]),
            str(reached["3"]), f"{result['max_imbalance_pct']:.4f}", f"{result['seconds_per_round']:.4f}",
        )
    Console().print(table)


@app.command("generate")
def generate_command(
    ccs: int = typer.Option(..., "--ccs", help="Number of consumer councils."),
    wcs: int = typer.Option(..., "--wcs", help="Number of worker councils (at least 3 × --per-category)."),
    per_category: int = typer.Option(..., "--per-category", help="Commodities in each of the five categories."),
    seed: int = typer.Option(0, "--seed", help="Random seed."),
    output: Path = typer.Option(..., "-o", "--output", help="File to write: .npz (ours), .clj.gz or .clj (EDN)."),
    endowment: float | None = typer.Option(
        None, "--endowment",
        help="Supply of each natural resource and labour type. "
        "Default: 1000 per 300 worker councils per commodity (exactly 1000 at the published sizes).",
    ),
) -> None:
    """Generate a synthetic economy with the published parameter distributions."""
    from parsoc.planning.compact import write_economy
    from parsoc.planning.generator import generate

    with _progress() as progress:
        task = progress.add_task("generating", total=2)
        economy = generate(ccs, wcs, per_category, seed, endowment=endowment)
        progress.update(task, advance=1, description="writing")
        write_economy(economy, output)
        progress.update(task, advance=1)
    typer.echo(f"wrote {output}: {ccs} consumer and {wcs} worker councils, {5 * per_category} commodities", err=True)


@app.command("equilibrium")
def equilibrium_command(
    economy: Path = typer.Argument(..., help="Economy: EDN .clj / .clj.gz or our .npz."),
    rule: str = typer.Option("hahnel2021", "--rule", help="Rule of the procedure to compare with the balancing prices."),
    threshold: float = typer.Option(3.0, "--threshold", help="Threshold of that procedure run, percent."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Solve for the prices at which every commodity balances; compare the procedure's plan."""
    from parsoc.planning.board import rule_named
    from parsoc.planning.compact import read_economy
    from parsoc.planning.equilibrium import distance, solve_equilibrium
    from parsoc.planning.procedure import run_plan

    data = read_economy(economy)
    with _progress() as progress:
        task = progress.add_task("solving for balancing prices", total=2)
        reference = solve_equilibrium(data)
        progress.update(task, advance=1, description=f"running {rule} to {threshold:g}%")
        year = run_plan(data, rule_named(rule), threshold).years[0]
        progress.update(task, advance=1)
    out = {
        "converged": reference.converged,
        "prices": reference.prices.tolist(),
        "max_imbalance_pct": reference.max_imbalance_pct,
        "evaluations": reference.iterations,
        "commodities": data.commodity_names(),
        "procedure": {"rule": rule, "threshold_pct": threshold, "rounds": len(year.rounds), "converged": year.converged},
        "distance": distance(data, year.prices, reference),
    }
    if as_json:
        sys.stdout.write(json.dumps(out) + "\n")
        return
    typer.echo(f"balancing prices found: {reference.converged} (largest imbalance {reference.max_imbalance_pct:.3g}%)")
    for name, price in zip(out["commodities"], reference.prices, strict=False):
        typer.echo(f"  {name:16s} {price:12.4f}")
    gap = out["distance"]
    typer.echo(
        f"{rule} after {len(year.rounds)} rounds: prices within {gap['max_price_gap_pct']:.3f}% "
        f"(mean {gap['mean_price_gap_pct']:.3f}%), outputs within {gap['max_output_gap_pct']:.3f}% "
        f"(mean {gap['mean_output_gap_pct']:.3f}%)"
    )


from parsoc.cli.plan_year import year_app  # noqa: E402 -- the database-backed group, kept in its own module

app.add_typer(year_app, name="year")
