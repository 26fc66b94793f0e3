"""The `tellers` command line. Thin: parse, call the layers below, print."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
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


# --------------------------------------------------------------------------- division records

DbOption = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        help="Database file. Default: $TELLERS_DB, else tellers.duckdb in your user data directory.",
        show_default=False,
    ),
]
ChamberOption = Annotated[
    Optional[str], typer.Option("--chamber", help="The chamber, where an id exists in several (e.g. Commons).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


class BothLobbies(str, Enum):
    """What to do with a member listed in both the Aye and the No lobby."""

    error = "error"
    record = "record"


BothLobbiesOption = Annotated[
    BothLobbies,
    typer.Option(
        "--both-lobbies",
        help="A member listed in both lobbies: 'error' stops the import; 'record' stores one "
        "'both' vote, counted in both totals.",
    ),
]


def _print_json(doc: object) -> None:
    sys.stdout.write(json.dumps(doc, indent=2) + "\n")


def _import_and_show(records: list, db: Optional[Path], as_json: bool) -> None:
    """Import records (one transaction per file) and print what each file did."""
    from .report.divisions import import_json, import_view
    from .store import Store

    with Store(db) as store:
        summaries = store.import_records(records)
        counts = store.counts()
        path = store.path
    if as_json:
        _print_json(import_json(summaries, path, counts))
    else:
        out.print(import_view(summaries, path, counts))


@app.command("import")
def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Division-record files or folders: Commons Votes API JSON or CSV export, the long "
            "Brexit CSV, Voteview CSVs.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    both_lobbies: BothLobbiesOption = BothLobbies.error,
    as_json: JsonOption = False,
) -> None:
    """Import division records into the database. Re-importing unchanged data changes nothing."""
    from .sources import load_records

    with user_errors():
        # read everything first: a file that cannot be read stops the import before any write
        records = [rec for path in paths for rec in load_records(path, both_lobbies=both_lobbies.value)]
        _import_and_show(records, db, as_json)


@app.command("divisions")
def list_divisions(db: DbOption = None, chamber: ChamberOption = None, as_json: JsonOption = False) -> None:
    """List the divisions in the database: id, date, title, ayes and noes."""
    from .report.divisions import divisions_json, divisions_view
    from .store import Store

    with user_errors(), Store(db, read_only=True) as store:
        divisions = store.divisions(chamber)
        if as_json:
            _print_json(divisions_json(divisions))
        else:
            out.print(divisions_view(divisions, store.path))


@app.command("division")
def show_division(
    division_id: Annotated[str, typer.Argument(metavar="ID", help="Division id, e.g. 562 (see `tellers divisions`).")],
    db: DbOption = None,
    chamber: ChamberOption = None,
    as_json: JsonOption = False,
) -> None:
    """One division: the result, the split by party with each party's Rice index, and the rebels."""
    from .report.divisions import division_json, division_view
    from .store import Store

    with user_errors(), Store(db, read_only=True) as store:
        result = store.division(division_id, chamber)
        if as_json:
            _print_json(division_json(result))
        else:
            out.print(division_view(result))


fetch_app = typer.Typer(
    help="Download division records from a live source, cache them and import them.",
    no_args_is_help=True,
)
app.add_typer(fetch_app, name="fetch")


@fetch_app.command("commons")
def fetch_commons(
    division_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="DIVISION_ID...", help="Commons Votes DivisionIds, e.g. 562 623 664.", show_default=False
        ),
    ],
    db: DbOption = None,
    cache: Annotated[
        Optional[Path],
        typer.Option(
            "--cache",
            help="Download cache folder. Default: $TELLERS_CACHE, else your user cache directory.",
            show_default=False,
        ),
    ] = None,
    base_url: Annotated[str, typer.Option("--base-url", help="The Commons Votes API.")] = (
        "https://commonsvotes-api.parliament.uk"
    ),
    refresh: Annotated[bool, typer.Option("--refresh", help="Download again even if cached.")] = False,
    both_lobbies: BothLobbiesOption = BothLobbies.error,
    as_json: JsonOption = False,
) -> None:
    """Download Commons divisions from the Commons Votes API (cached on disk) and import them."""
    from .sources.commons import read_commons_json
    from .sources.commons_api import CommonsVotesClient

    with user_errors():
        with CommonsVotesClient(base_url, cache) as client:
            fetched = []
            for division_id in division_ids:
                got = client.fetch(division_id, refresh=refresh)
                if not as_json:
                    how = "downloaded" if got.downloaded else "cached"
                    err.print(f"division {got.division_id}: {how} ({got.path})", style="dim", highlight=False)
                fetched.append(got)
        records = [read_commons_json(got.path, both_lobbies=both_lobbies.value) for got in fetched]
        _import_and_show(records, db, as_json)


def main() -> None:  # pragma: no cover - console entry point
    app()
