"""`tellers elect` and `tellers rules`: counting ranked or approval ballots."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from tellers.ballots import rules
from tellers.ballots.rules.kemeny import DEFAULT_BUDGET
from tellers.records.readers._ballots import MAX_CANDIDATES
from tellers.views.cli.common import FormatOption, JsonOption, app, show, user_errors


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
    fmt: FormatOption = None,
) -> None:
    """Count an election: margins, Condorcet winner or cycle, Smith set, and each rule's winners."""
    from tellers.records.readers import SAMPLE_PATH, load_profile
    from tellers.views.report.election import election_json, election_view

    with user_errors():
        path = SAMPLE_PATH if file is None else Path(file)
        profile = load_profile(path, max_candidates=max_candidates)
        names = [rules.info(r).name for r in rule] if rule else rules.names()
        results = {name: rules.run(name, profile, budget=budget) for name in dict.fromkeys(names)}
        source = f"{path.name} (bundled sample)" if file is None else str(path)
        show(fmt, as_json, doc=lambda: election_json(profile, results),
             view=lambda: election_view(source, profile, results))


@app.command("rules")
def list_rules(as_json: JsonOption = False, fmt: FormatOption = None) -> None:
    """List the voting rules tellers knows."""
    found = [rules.info(name) for name in rules.names()]
    show(fmt, as_json, doc=lambda: [{"name": i.name, "rule": i.title, "how": i.summary, "partial": i.partial} for i in found],
         view=lambda: _rules_table(found))


def _rules_table(found: list) -> Table:
    table = Table(title="Voting rules")
    table.add_column("name", style="bold")
    table.add_column("rule")
    table.add_column("how it decides")
    for info in found:
        table.add_row(info.name, info.title, info.summary)
    return table
