"""What every command shares: the app, the consoles, error printing and the house options."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console

from tellers.errors import TellersError

if TYPE_CHECKING:
    from tellers.parliament.house import House

app = typer.Typer(
    help="tellers: find the option a divided parliament (or any electorate) can agree on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

LISTINGS = {
    "divisions": "`tellers divisions` lists them",
    "options": "`tellers options` lists them",
    "questions": "`tellers options` lists them",
    "chambers": "choose one with --chamber",
}
"""How the command line words an error's hint at a listing (see TellersError.listing)."""

@contextmanager
def user_errors() -> Iterator[None]:
    """Print a user's mistake as one clear line and exit 2, never a traceback."""
    try:
        yield
    except TellersError as exc:
        err.print(f"[bold red]error:[/] {exc.worded(LISTINGS)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def print_json(doc: object) -> None:
    sys.stdout.write(json.dumps(doc, indent=2) + "\n")


# --------------------------------------------------------------------------- where the data come from

DbOption = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        help="Database file. Default: $TELLERS_DB, else tellers.duckdb in your user data directory; "
        "a command that reads divisions falls back to the bundled 2019 Commons case when that holds none.",
        show_default=False,
    ),
]
DataOption = Annotated[
    Optional[Path],
    typer.Option(
        "--data",
        help="Read member-level division records from this file or folder (not stored) instead of a database.",
        show_default=False,
    ),
]
ChamberOption = Annotated[
    Optional[str], typer.Option("--chamber", help="The chamber, where the data hold several (e.g. Commons, Senate).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


class Tested(str, Enum):
    """Which division counts for an option the house voted on more than once."""

    latest = "latest"
    earliest = "earliest"


TestedOption = Annotated[
    Optional[Tested],
    typer.Option("--tested", help="For options voted on twice: count the latest or the earliest division."),
]


def tested_value(tested: Tested | None) -> str | None:
    return tested.value if tested else None


@contextmanager
def house_from(
    db: Path | None, data: Path | None, chamber: str | None = None, wanted: Sequence[str] = (), allow_empty: bool = False
) -> Iterator[House]:
    """The house every command reads (:func:`tellers.parliament.house.open_house`), announced on stderr."""
    from tellers.parliament.house import open_house

    house = open_house(db, data, chamber=chamber, wanted=wanted, allow_empty=allow_empty)
    try:
        err.print(f"data: {house.describe()}", style="dim", highlight=False, soft_wrap=True)
        yield house
    finally:
        house.close()
