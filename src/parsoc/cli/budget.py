"""``parsoc budget``: run participatory budgeting rules on Pabulib files."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from parsoc.choice.methods import BudgetRule, Completion, Satisfaction
from parsoc.vocabulary import help_text

NAME = "budget"
app = typer.Typer(help="Participatory budgeting rules on Pabulib .pb files.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Greedy, Method of Equal Shares and sequential Phragmén."""


@app.command("run")
def run_command(
    file: Path = typer.Argument(..., help="A Pabulib .pb file."),
    rule: BudgetRule = typer.Option(..., "--rule", "-r", help="Budgeting rule: " + help_text(BudgetRule) + "."),
    satisfaction: Satisfaction = typer.Option(Satisfaction.COST, "--satisfaction",
                                              help="Equal Shares satisfaction: " + help_text(Satisfaction) + "."),
    completion: Completion = typer.Option(Completion.NONE, "--completion",
                                          help="Equal Shares completion: " + help_text(Completion) + "."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Run RULE on FILE and print the funded projects with the explanation."""
    from parsoc.choice.budgeting import run_rule
    from parsoc.choice.pabulib import read_pabulib
    from parsoc.errors import InputError

    if not file.is_file():
        raise InputError(f"{file}: no such file")
    election = read_pabulib(file)
    if completion is Completion.ADD1 and rule is BudgetRule.EQUAL_SHARES and not as_json:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("Equal Shares, add one per voter", total=1.0)
            outcome = run_rule(election, rule.value, satisfaction.value, completion.value,
                               progress=lambda done: bar.update(task, completed=done))
    else:
        outcome = run_rule(election, rule.value, satisfaction.value, completion.value)
    result = outcome.as_dict(election)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table("project", "cost", "name", title=f"{rule.value}: funded projects")
    index = {p: i for i, p in enumerate(election.projects)}
    for pid in outcome.selected:
        table.add_row(pid, str(float(election.costs[index[pid]])), election.name(pid))
    console.print(table)
    m = result["measures"]
    console.print(
        f"cost {result['cost']} of {result['budget']} ({m['budget_used']:.1%}); "
        f"{m['share_of_voters_with_funded_project']:.1%} of voters have a funded project"
    )
    if outcome.tied:
        console.print("[yellow]A tie was broken[/yellow] (project id first as text).")
    if outcome.payments:
        for pid, paid in outcome.payments.items():
            console.print(f"{pid}: {len(paid)} voters paid, at most {max(paid.values()):.2f} each")
