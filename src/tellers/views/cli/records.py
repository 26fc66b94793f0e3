"""Division records: `tellers import`, `divisions`, `division` and `blocs` (`fetch` is in :mod:`.fetch`)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tellers.errors import TellersError
from tellers.wording import few, plural

from tellers.views.cli.common import (
    ChamberOption, DataOption, DbOption, Format, FormatOption, FromOption, JsonOption, SearchOption, ToOption, app, day,
    house_from, output_format, say, show, user_errors,
)


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
WriteDbOption = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        help="Database file to write. Default: $TELLERS_DB, else tellers.duckdb in your user data directory.",
        show_default=False,
    ),
]


WRITER_WAIT = 10.0
"""Seconds an import waits for readers (a running `tellers serve`) to let go of the database."""


def _import_and_show(records: list, db: Optional[Path], fmt: Format, inputs=None) -> None:
    """Import records (and any membership histories and party aliases ``inputs`` hold; one
    transaction per file) and print what each file did."""
    from tellers.records.store import open_store
    from tellers.views.report.divisions import ImportExtras, import_json, import_view

    extras = ImportExtras(skipped=list(inputs.skipped) if inputs else [])
    with open_store(db, read_only=False, wait=WRITER_WAIT) as store:
        summaries = store.import_records(records)
        try:
            for history in inputs.histories if inputs else ():
                extras.memberships.append(store.import_memberships(history))
            for table in inputs.aliases if inputs else ():
                extras.aliases.append((table.source, store.import_party_aliases(table.source, table.aliases)))
        except TellersError as exc:
            done = [s.source for s in summaries if not s.unchanged] + [m.source for m in extras.memberships]
            raise TellersError(f"{exc}" + (f" (already imported, each in its own transaction: {few(done)})"
                                           if done else "")) from None
        counts = store.counts()
        path = store.path
    show(fmt, doc=lambda: import_json(summaries, path, counts, extras),
         view=lambda: import_view(summaries, path, counts, extras))


@app.command("import")
def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="Division-record files or folders (Commons Votes API JSON or CSV export, the long "
            "Brexit CSV, Voteview CSVs), membership histories (member_id,party,start,end) and party "
            "aliases (alias,party).",
            show_default=False,
        ),
    ],
    db: WriteDbOption = None,
    both_lobbies: BothLobbiesOption = BothLobbies.error,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """Import division records, membership histories and party aliases into the database.
    Re-importing unchanged data changes nothing."""
    from tellers.records.readers.inputs import read_inputs

    with user_errors():
        # read everything first: a file that cannot be read stops the import before any write
        inputs = read_inputs(paths, both_lobbies=both_lobbies.value)
        _import_and_show(inputs.records, db, output_format(fmt, as_json), inputs)


@app.command("divisions")
def list_divisions(
    db: DbOption = None, data: DataOption = None, chamber: ChamberOption = None,
    since: FromOption = None, until: ToOption = None, search: SearchOption = None, as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """List the divisions: id, date, title, ayes, noes and the result as recorded."""
    from tellers.views.report.divisions import divisions_json, divisions_view

    with user_errors(), house_from(db, data, chamber, allow_empty=True) as house:
        divisions = house.find(day(since), day(until), search)
        show(fmt, as_json, doc=lambda: divisions_json(divisions), view=lambda: divisions_view(divisions, house.source))


@app.command("division")
def show_division(
    division_id: Annotated[str, typer.Argument(metavar="DIVISION_ID", help="Division id, e.g. 562 (see `tellers divisions`).")],
    db: DbOption = None,
    data: DataOption = None,
    chamber: ChamberOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """One division: the result, the split by party with each party's Rice index, and the rebels."""
    from tellers.views.report.divisions import division_json, division_view

    with user_errors(), house_from(db, data, chamber) as house:
        result = house.division(division_id)
        show(fmt, as_json, doc=lambda: division_json(result, member_level=house.member_level),
             view=lambda: division_view(result, member_level=house.member_level))


@app.command()
def blocs(
    data: Annotated[Path, typer.Option("--data", help="Member-level division records (a file or folder).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write patterns.csv and divisions.csv into.")],
    title: Annotated[str, typer.Option(help="Title line for the files.")] = "Members by party and voting pattern",
) -> None:
    """Derive the aggregate table (members by party and voting pattern) from member-level records."""
    from tellers.parliament.cases import Case, write_case
    from tellers.parliament.catalogue import Catalogue
    from tellers.records.patterns import VotingPatterns
    from tellers.records.readers import load_records

    with user_errors():
        records = load_records(data)
        patterns = VotingPatterns.from_records(records)
        case = Case(patterns, {d.id: d for r in records for d in r.divisions}, Catalogue(title, {}, {}), str(data))
        write_case(case, out_dir, title=title)
        say(
            f"wrote {out_dir / 'patterns.csv'} ({plural(len(patterns.parties), 'party-and-pattern row')}, "
            f"{plural(patterns.num_members, 'member')}, {plural(len(patterns.divisions), 'division')}) and {out_dir / 'divisions.csv'}"
        )
