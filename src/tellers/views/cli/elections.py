"""`tellers elect` and `tellers rules`: counting ranked or approval ballots."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from tellers.ballots import rules
from tellers.ballots.rules.kemeny import DEFAULT_BUDGET
from tellers.records.readers._ballots import MAX_CANDIDATES
from tellers.views.cli.common import JsonOption, app, out, print_json, user_errors


@app.command()
def elect(
    file: Annotated[
        Optional[str],
        typer.Argument(help="Ballot file: PrefLib .soc/.soi/.toc/.toi/.cat, or CSV. Omit for the bundled sample."),
    ] = None,
    rule: Annotated[
        Optional[list[str]], typer.Option("--rule", "-r", help="Rule to run (repeatable). Default: every rule.")
    ] = None,
    budget: Annotated[
        Optional[float],
        typer.Option(
            "--budget",
            min=0.0,
            help=f"Seconds Kemeny-Young may spend solving (default {DEFAULT_BUDGET:g}); past it the rule is skipped, saying why.",
        ),
    ] = None,
    max_candidates: Annotated[
        int,
        typer.Option("--max-candidates", min=1, help=f"Refuse a ballot file with more candidates than this (default {MAX_CANDIDATES:,})."),
    ] = MAX_CANDIDATES,
    as_json: JsonOption = False,
) -> None:
    """Count an election: margins, Condorcet winner or cycle, Smith set, and each rule's winners."""
    from tellers.records.readers import SAMPLE_PATH, load_profile
    from tellers.views.report.election import election_json, election_view

    with user_errors():
        path = SAMPLE_PATH if file is None else Path(file)
        profile = load_profile(path, max_candidates=max_candidates)
        names = [rules.info(r).name for r in rule] if rule else rules.names()
        results = {name: rules.run(name, profile, budget=budget) for name in dict.fromkeys(names)}
        if as_json:
            print_json(election_json(profile, results))
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
