"""``parsoc vote``: count ranked and approval elections from PrefLib or Pabulib files."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from parsoc.choice.methods import VotingMethod
from parsoc.vocabulary import help_text

NAME = "vote"
app = typer.Typer(help="Count ranked and approval votes (PrefLib .soc/.soi/.toc/.toi, Pabulib .pb).", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Ranked voting, STV and approval committees."""


@app.command("tally")
def tally_command(
    file: Path = typer.Argument(..., help="A .soc, .soi, .toc, .toi or .pb file."),
    method: VotingMethod = typer.Option(..., "--method", "-m", help="Counting method: " + help_text(VotingMethod) + "."),
    seats: int = typer.Option(1, "--seats", "-k", help="Seats to fill (stv, approval, pav, phragmen)."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Count FILE by METHOD and print the winners (ties are reported, never hidden)."""
    from parsoc.choice.election_files import read_ranked
    from parsoc.choice.tally import APPROVAL, pairwise_margins, tally
    from parsoc.errors import InputError

    if not file.is_file():
        raise InputError(f"{file}: no such file")
    ranked = method.value not in APPROVAL
    profile = read_ranked(file) if ranked else None
    outcome = tally(profile if ranked else file, method.value, seats)
    result = outcome.as_dict()
    if ranked:
        result["margins"] = pairwise_margins(profile)
        result["voters"] = profile.num_voters
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    names = profile.names if profile is not None else {}
    heading = "Elected" if seats > 1 or method.value == "stv" else "Winner"
    for rank, w in enumerate(outcome.winners, start=1):
        console.print(f"{heading} {rank}: [bold]{w}[/bold] {names.get(w, '')}")
    if outcome.tied:
        console.print(f"[yellow]Tie:[/yellow] the count could not separate the winners; named by the documented tie-break: {outcome.winner}")
    if outcome.scores:
        table = Table("alternative", "score")
        for key, value in outcome.scores.items():
            if not isinstance(value, dict):
                table.add_row(str(key), str(value))
        console.print(table)
    if outcome.rounds:
        console.print(_rounds_table(outcome.rounds, names))


def _rounds_table(rounds, names):
    """The count round by round (instant runoff, STV): one row per alternative with its votes in
    each round (blank once it is out), and what each round decided."""
    from rich.table import Table

    alternatives = list(rounds[0].get("tallies") or rounds[0].get("votes") or {})
    table = Table("alternative", *(f"round {i}" for i in range(1, len(rounds) + 1)), title="The count, round by round")
    for a in alternatives:
        cells = []
        for step in rounds:
            votes = step.get("tallies") or step.get("votes") or {}
            cells.append(f"{votes[a]:,.2f}".rstrip("0").rstrip(".") if a in votes else "")
        table.add_row(f"{a} {names.get(a, '')}".strip(), *cells)
    table.add_row("[dim]decided[/dim]", *(_decided(step) for step in rounds))
    return table


def _decided(step) -> str:
    said = []
    if step.get("elected"):
        said.append("elected " + ", ".join(step["elected"]))
    for transfer in step.get("transfers", []):
        said.append(f"surplus of {transfer['from']} passed on at {transfer['fraction']:.4f}")
    excluded = step.get("excluded")
    if excluded:
        said.append("excluded " + (", ".join(excluded) if isinstance(excluded, list) else excluded))
    return "; ".join(said)
