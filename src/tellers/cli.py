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


class Tested(str, Enum):
    """Which division counts for an option the house voted on more than once."""

    latest = "latest"
    earliest = "earliest"


TestedOption = Annotated[
    Optional[Tested],
    typer.Option("--tested", help="For options voted on twice: count the latest or the earliest division."),
]


@app.command()
def demo(
    data: Annotated[
        Optional[Path],
        typer.Option("--data", help="Member-level records (e.g. shared/data/commons-2019-brexit) instead of the bundled aggregate."),
    ] = None,
    question: Annotated[
        Optional[list[str]], typer.Option("--question", "-q", help="Which question(s): 1apr, 27mar. Default: both.")
    ] = None,
    members: Annotated[bool, typer.Option("--members", help="Also list members by voting pattern (needs --data).")] = False,
    tested: TestedOption = None,
    as_json: JsonOption = False,
) -> None:
    """The main job: what could have won a Commons majority on Brexit in 2019, from the division lists."""
    from .analysis import analyse_majority
    from .bundled import COMMONS_2019, case_from_records, load_case
    from .catalogue import load_catalogue
    from .report.majority import demo_header, majority_json, majority_view, members_table
    from .sources import load_records

    with user_errors():
        if data is None:
            if members:
                raise TellersError("--members lists members by name: give the member-level records with --data DIR")
            case = load_case()
        else:
            catalogue = load_catalogue(COMMONS_2019 / "options.toml")
            case = case_from_records(load_records(data), catalogue, f"{data} (member-level records)")
        catalogue = case.catalogue
        keys = question or list(catalogue.questions)
        analyses = {}
        for key in keys:
            if key not in catalogue.questions:
                raise TellersError(f"unknown question {key!r}; questions are: {', '.join(catalogue.questions)}")
            q = catalogue.questions[key]
            options = [catalogue.option(o) for o in q.options]
            analyses[key] = analyse_majority(
                case.patterns, options, case.divisions,
                tested=tested.value if tested else q.tested, party_aliases=catalogue.party_aliases,
            )
        if as_json:
            _print_json({key: majority_json(a) for key, a in analyses.items()})
            return
        out.print(demo_header(catalogue.title, case.source, case.patterns.num_members))
        for key, a in analyses.items():
            out.print(majority_view(a, catalogue.questions[key].title, party_short=catalogue.party_short))
            if members:
                out.print(members_table(a))


@app.command()
def blocs(
    data: Annotated[Path, typer.Option("--data", help="Member-level division records (a file or folder).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write patterns.csv and divisions.csv into.")],
    title: Annotated[str, typer.Option(help="Title line for the files.")] = "Members by party and voting pattern",
) -> None:
    """Derive the aggregate table (members by party and voting pattern) from member-level records."""
    from .bundled import Case, write_case
    from .catalogue import Catalogue
    from .patterns import VotingPatterns
    from .sources import load_records

    with user_errors():
        records = load_records(data)
        patterns = VotingPatterns.from_records(records)
        case = Case(patterns, {d.id: d for r in records for d in r.divisions}, Catalogue(title, {}, {}), str(data))
        write_case(case, out_dir, title=title)
        err.print(
            f"wrote {out_dir / 'patterns.csv'} ({len(patterns.parties)} party-and-pattern rows, "
            f"{patterns.num_members} members, {len(patterns.divisions)} divisions) and {out_dir / 'divisions.csv'}",
            highlight=False,
        )


@app.command()
def majority(
    options: Annotated[
        str, typer.Option("--options", help="Comma-separated division ids (each one an option) or option ids from the catalogue.")
    ],
    db: DbOption = None,
    chamber: ChamberOption = None,
    tested: TestedOption = None,
    as_json: JsonOption = False,
) -> None:
    """Which option can win a majority: the head-to-head record of options in the store."""
    from .analysis import analyse_majority
    from .bundled import COMMONS_2019
    from .catalogue import load_catalogue
    from .parliament import Option
    from .preferences import choose_division
    from .report.majority import majority_json, majority_view
    from .store import Store

    with user_errors():
        catalogue = load_catalogue(COMMONS_2019 / "options.toml")
        tokens = [t.strip() for t in options.split(",") if t.strip()]
        if len(tokens) < 2:
            raise TellersError("--options needs at least two options, e.g. --options 666,667,668,669,664")
        with Store(db, read_only=True) as store:
            chosen = []
            for token in tokens:
                if token in catalogue.options:
                    option = catalogue.options[token]
                    token = choose_division(option, tested.value if tested else "latest")
                else:
                    known = catalogue.by_division(token)
                    try:
                        title = store.division_record(token, chamber).title
                    except TellersError as exc:
                        raise TellersError(f"{exc}. Options may also be named by id: {', '.join(catalogue.options)}") from None
                    option = Option(token, known.label if known else title, (token,))
                chosen.append((option, store.division_record(token, chamber)))
            patterns = store.voting_patterns([d.id for _, d in chosen], chamber)
        analysis = analyse_majority(
            patterns, [o for o, _ in chosen], {d.id: d for _, d in chosen},
            tested={o.id: d.id for o, d in chosen}, party_aliases=catalogue.party_aliases,
        )
        if as_json:
            _print_json(majority_json(analysis))
        else:
            title = "Head to head: " + ", ".join(o.label for o, _ in chosen)
            out.print(majority_view(analysis, title, party_short=catalogue.party_short))


def main() -> None:  # pragma: no cover - console entry point
    app()
