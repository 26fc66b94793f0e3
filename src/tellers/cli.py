"""The `tellers` command line. Thin: parse, call the layers below, print."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import rules
from .errors import TellersError
from .report.election import election_json, election_view

app = typer.Typer(
    help="tellers: find the option a divided parliament (or any electorate) can agree on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a user's mistake as one clear line and exit 2, never a traceback."""
    try:
        yield
    except TellersError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


@app.command()
def elect(
    file: Annotated[
        Optional[str],
        typer.Argument(help="Ballot file: PrefLib .soc/.soi/.toc/.toi/.cat, or CSV. Omit for the bundled sample."),
    ] = None,
    rule: Annotated[
        Optional[list[str]], typer.Option("--rule", "-r", help="Rule to run (repeatable). Default: every rule.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
) -> None:
    """Count an election: margins, Condorcet winner or cycle, Smith set, and each rule's winners."""
    from .sources import SAMPLE_PATH, load_profile

    with user_errors():
        path = SAMPLE_PATH if file is None else Path(file)
        profile = load_profile(path)
        names = [rules.info(r).name for r in rule] if rule else rules.names()
        results = {name: rules.run(name, profile) for name in dict.fromkeys(names)}
        if as_json:
            sys.stdout.write(json.dumps(election_json(profile, results), indent=2) + "\n")
            return
        source = f"{path.name} (bundled sample)" if file is None else str(path)
        out.print(election_view(source, profile, results))


@app.command("rules")
def list_rules() -> None:
    """List the voting rules tellers knows."""
    table = Table(title="Voting rules")
    table.add_column("name", style="bold")
    table.add_column("rule")
    table.add_column("how it decides")
    for name in rules.names():
        info = rules.info(name)
        table.add_row(name, info.title, info.summary)
    out.print(table)


def main() -> None:  # pragma: no cover - console entry point
    app()
