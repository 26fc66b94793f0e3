"""What every command shares: the app, the consoles, error printing and the house options."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.text import Text

from tellers.errors import TellersError
from tellers.views.report.literal import LiteralConsole

if TYPE_CHECKING:
    from tellers.parliament.house import House

app = typer.Typer(
    help="tellers: find the option a divided parliament (or any electorate) can agree on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = LiteralConsole()
err = LiteralConsole(stderr=True)

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
        err.print(Text.assemble(("error:", "bold red"), f" {exc.worded(LISTINGS)}"), soft_wrap=True)
        raise typer.Exit(2) from None


def say(text: str, style: str = "", *, soft_wrap: bool = False) -> None:
    """Print a line of user or data text (a path, a title) on stderr, literally: never as markup."""
    err.print(Text(text, style=style), soft_wrap=soft_wrap)


def say_data(source: str) -> None:
    """The dim ``data:`` line that says where a command's data come from."""
    say(f"data: {source}", "dim", soft_wrap=True)


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A transient Rich progress bar on stderr while ``total`` steps run, when stdout is a
    terminal: yields ``advance(n)``, or None when there is nothing to show."""
    if not out.is_terminal:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def print_json(doc: object) -> None:
    """Write ``doc`` to stdout as strict JSON: a non-finite number is an error, never ``NaN``."""
    try:
        text = json.dumps(doc, indent=2, allow_nan=False)
    except ValueError:
        where = next(_non_finite(doc), None)
        if where is None:  # not a number: a bug (a circular reference), not the user's
            raise
        raise TellersError(
            f"cannot write JSON: the result holds a non-finite number{where}; "
            "check the input's counts and weights, which may overflow"
        ) from None
    sys.stdout.write(text + "\n")


def _non_finite(doc: object, path: str = "") -> Iterator[str]:
    """Where in ``doc`` a non-finite float sits, as " (VALUE at a.b[2])"."""
    if isinstance(doc, float) and not math.isfinite(doc):
        yield f" ({doc} at {path or 'the top'})"
    elif isinstance(doc, dict):
        for key, value in doc.items():
            yield from _non_finite(value, f"{path}.{key}" if path else str(key))
    elif isinstance(doc, (list, tuple)):
        for i, value in enumerate(doc):
            yield from _non_finite(value, f"{path}[{i}]")


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
FromOption = Annotated[
    Optional[datetime], typer.Option("--from", formats=["%Y-%m-%d"], metavar="DATE", show_default=False,
                                     help="Only divisions held on or after this day (YYYY-MM-DD).")
]
ToOption = Annotated[
    Optional[datetime], typer.Option("--to", formats=["%Y-%m-%d"], metavar="DATE", show_default=False,
                                     help="Only divisions held on or before this day (YYYY-MM-DD).")
]
SearchOption = Annotated[
    Optional[str], typer.Option("--search", metavar="WORDS", show_default=False,
                                help="Only divisions whose title holds every one of these words (any case).")
]


def day(value: datetime | None) -> date | None:
    """The day of a --from/--to option."""
    return None if value is None else value.date()


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
        say_data(house.describe())
        yield house
    finally:
        house.close()
