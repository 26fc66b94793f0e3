"""Live sources: `tellers fetch commons` (divisions by id, or a period's) and `tellers fetch members`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TypeVar

import typer
from rich.console import Group
from rich.text import Text

from tellers.errors import FetchError
from tellers.wording import plural
from tellers.views.cli.common import (
    Format, FormatOption, JsonOption, app, err, output_format, say, show, user_errors,
)
from tellers.views.cli.records import (
    WRITER_WAIT, BothLobbies, BothLobbiesOption, WriteDbOption, _import_and_show,
)
from tellers.views.report.literal import LiteralTable

if TYPE_CHECKING:
    from tellers.records.model import MembershipHistory

T = TypeVar("T")

fetch_app = typer.Typer(
    help="Download records from a live source (divisions, members' parties), cache them and import them.",
    no_args_is_help=True,
)
app.add_typer(fetch_app, name="fetch")

CacheOption = Annotated[
    Optional[Path],
    typer.Option(
        "--cache",
        help="Download cache folder. Default: $TELLERS_CACHE, else your user cache directory.",
        show_default=False,
    ),
]
RefreshOption = Annotated[
    bool, typer.Option("--refresh", help="Download again even if cached (search pages too: a period may gain divisions).")
]


def _day(option: str, value: str | None) -> date | None:
    """An ISO date given to ``option``; a clear error naming the option if it is not one."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FetchError(f"{option} {value!r} is not a date: give it in ISO form, YYYY-MM-DD, e.g. 2019-03-27") from None


def _each(items: Sequence[T], what: str) -> Iterator[T]:
    """Each item, with a progress bar on stderr when that is a terminal."""
    from rich.progress import Progress  # here, as in common.progress: only a fetch draws one

    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        yield from progress.track(items, description=what)


@fetch_app.command("commons")
def fetch_commons(
    division_ids: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="DIVISION_ID",
            help="Commons Votes DivisionIds, e.g. 562 623 664 (or list a period's with --from and --to).",
            show_default=False,
        ),
    ] = None,
    start: Annotated[
        Optional[str],
        typer.Option("--from", metavar="DATE", help="Fetch the divisions held on or after this day (YYYY-MM-DD)."),
    ] = None,
    end: Annotated[
        Optional[str],
        typer.Option("--to", metavar="DATE", help="Fetch the divisions held on or before this day (YYYY-MM-DD)."),
    ] = None,
    words: Annotated[
        Optional[str],
        typer.Option("--search", metavar="WORDS", help="Only the divisions whose title (or number) holds these words."),
    ] = None,
    db: WriteDbOption = None,
    cache: CacheOption = None,
    base_url: Annotated[str, typer.Option("--base-url", help="The Commons Votes API.")] = (
        "https://commonsvotes-api.parliament.uk"
    ),
    refresh: RefreshOption = False,
    both_lobbies: BothLobbiesOption = BothLobbies.error,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """Download Commons divisions, by id or a period's, from the Commons Votes API (cached on disk); import them."""
    from tellers.records.commons_api import CommonsVotesClient, check_division_id
    from tellers.records.readers import read_commons_json

    with user_errors():
        ids = [check_division_id(division_id) for division_id in division_ids or ()]
        first, last = _day("--from", start), _day("--to", end)
        if first and last and first > last:
            raise FetchError(f"--from {first} is after --to {last}: give the earlier day to --from")
        searching = first is not None or last is not None or bool(words and words.strip())
        if not ids and not searching:
            raise FetchError("nothing to fetch: give division ids (e.g. 562), or a period with --from and --to")
        with CommonsVotesClient(base_url, cache) as client:
            if searching:
                found = client.search(first, last, words or "", refresh=refresh)
                if output_format(fmt, as_json) is Format.table:
                    say(
                        f"search: {plural(len(found.divisions), 'division')} listed "
                        f"({plural(len(found.pages), 'page')}, {found.downloaded} downloaded)",
                        "dim",
                    )
                ids += [listed.division_id for listed in found.divisions]
            fetched = []
            for division_id in _each(list(dict.fromkeys(ids)), "divisions"):
                got = client.fetch(division_id, refresh=refresh)
                if output_format(fmt, as_json) is Format.table:
                    how = "downloaded" if got.downloaded else "cached"
                    say(f"division {got.division_id}: {how} ({got.path})", "dim")
                fetched.append(got)
        records = [read_commons_json(got.path, both_lobbies=both_lobbies.value) for got in fetched]
        _import_and_show(records, db, output_format(fmt, as_json))


@fetch_app.command("members")
def fetch_members(
    member_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="MEMBER_ID",
            help="Members API (MNIS) ids, e.g. 172 4512: the MemberIds of the Commons Votes data.",
            show_default=False,
        ),
    ],
    db: WriteDbOption = None,
    cache: CacheOption = None,
    base_url: Annotated[str, typer.Option("--base-url", help="The Members API.")] = "https://members-api.parliament.uk",
    refresh: RefreshOption = False,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """Download members' party affiliations from the Members API (cached on disk); store them as memberships.

    Each member's affiliations replace the membership history the database held for them.
    """
    from tellers.records.members_api import MembersClient, check_member_id, membership_history, read_affiliations
    from tellers.records.store import open_store

    with user_errors():
        ids = list(dict.fromkeys(check_member_id(member_id) for member_id in member_ids))
        rows = []
        with MembersClient(base_url, cache) as client:
            for member_id in _each(ids, "members"):
                got = client.fetch(member_id, refresh=refresh)
                affiliations = read_affiliations(member_id, got.path)
                if output_format(fmt, as_json) is Format.table:
                    how = "downloaded" if got.downloaded else "cached"
                    n = len(affiliations)
                    say(f"member {member_id}: {how}, {n} party affiliation{'' if n == 1 else 's'} ({got.path})", "dim")
                rows += affiliations
            history = membership_history(client.base_url, rows)
        with open_store(db, read_only=False, wait=WRITER_WAIT) as store:
            summary = store.import_memberships(history)
            path = store.path
        show(fmt, as_json, doc=lambda: _memberships_json(history, path, ids, summary.replaced),
             view=lambda: _memberships_view(history, path, ids, summary.replaced))


def _memberships_json(history: MembershipHistory, db: Path, member_ids: list[str], replaced: int) -> dict:
    """The JSON document of `tellers fetch members --json`."""
    return {
        "db": str(db),
        "source": history.source,
        "members": member_ids,
        "memberships": [
            {
                "member_id": m.member_id,
                "chamber": m.chamber,
                "party": m.party,
                "start": m.start.isoformat(),
                "end": m.end.isoformat() if m.end else None,
            }
            for m in history.memberships
        ],
        "written": len(history.memberships),
        "replaced": replaced,
    }


def _memberships_view(history: MembershipHistory, db: Path, member_ids: list[str], replaced: int) -> Group:
    """One row per party affiliation written; then how many, for how many members."""
    table = LiteralTable(title="Party affiliations", title_justify="left")
    for column in ("member", "chamber", "party", "from", "to"):
        table.add_column(column)
    for m in history.memberships:
        table.add_row(m.member_id, m.chamber or "any", m.party, str(m.start), str(m.end) if m.end else "now")
    footer = Text(
        f"{plural(len(history.memberships), 'party affiliation')} of {plural(len(member_ids), 'member')} written "
        f"({replaced:,} replaced) to {db}",
        style="dim",
    )
    return Group(table, footer)
