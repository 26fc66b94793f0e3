"""What every command shares: the app, the consoles, error printing and the house options."""

from __future__ import annotations

import json
import math
import shlex
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import RenderableType
from rich.text import Text

from tellers import __version__
from tellers.errors import TellersError
from tellers.views.cli.notation import Commands
from tellers.views.report.literal import PIPED_WIDTH, LiteralConsole

if TYPE_CHECKING:
    from tellers.parliament.house import House

app = typer.Typer(
    help="tellers: find the option a divided parliament (or any electorate) can agree on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=Commands,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"tellers {__version__}")
        raise typer.Exit()


@app.callback()
def _app_options(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_print_version,
                                          help="Print the version of tellers and exit.")] = False,
) -> None:
    """Options of `tellers` itself, before the command."""


out = LiteralConsole(piped_width=PIPED_WIDTH)  # to a pipe or file: tables at their natural width, lines unwrapped
err = LiteralConsole(stderr=True, piped_width=PIPED_WIDTH)

LISTINGS = {
    "divisions": "`tellers divisions{data}{chamber}` lists them",
    "options": "`tellers options{data}` lists them",
    "questions": "`tellers options{data}` lists them",
    "chambers": "choose one with --chamber",
}
"""How the command line words an error's hint at a listing (see TellersError.listing): ``{data}``
and ``{chamber}`` give the listing the --db or --data and --chamber the failing command read."""
_read_from: ContextVar[dict[str, str]] = ContextVar("read_from", default={"data": "", "chamber": ""})


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a user's mistake as one clear line and exit 2, never a traceback."""
    token = _read_from.set({"data": "", "chamber": ""})
    try:
        yield
    except TellersError as exc:
        listings = {key: hint.format(**_read_from.get()) for key, hint in LISTINGS.items()}
        err.print(Text.assemble(("error:", "bold red"), f" {exc.worded(listings)}"), soft_wrap=True)
        raise typer.Exit(2) from None
    finally:
        _read_from.reset(token)


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


class Format(str, Enum):
    """How a command prints its result: Rich tables, JSON, or its tables' cells as CSV or Markdown."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def _one_format(ctx: typer.Context, param: typer.CallbackParam, value: object) -> object:
    """Refuse ``--json`` beside another ``--format``, in one line, before any work: Click takes the
    options in the order typed, so the second of the two sees the first."""
    given = {opt: ctx.params.get(p.name) for p in ctx.command.params for opt in p.opts if opt in ("--json", "--format")}
    given[next(opt for opt in param.opts if opt in ("--json", "--format"))] = value
    fmt = given.get("--format")
    if given.get("--json") and fmt is not None and fmt != Format.json:
        with user_errors():
            raise TellersError(f"--json is short for --format json: give --json or --format {Format(fmt).value}, not both")
    return value


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables (short for --format json).",
                                          callback=_one_format)]
FormatOption = Annotated[
    Optional[Format],
    typer.Option("--format", "-f", show_default=False, callback=_one_format,
                 help="Print the result as 'table' (the default), 'json', or its tables' cells as 'csv' or 'markdown'. "
                      "Where it holds several tables, the CSV gives each a one-cell row with its title first and a blank "
                      "line between them; the Markdown, a '### title' line each."),
]


def output_format(fmt: Format | str | None, as_json: bool = False) -> Format:
    """The format asked: ``--json`` is ``--format json``; neither, a table."""
    return Format.json if as_json else Format(fmt or Format.table)


def show(fmt: Format | str | None, as_json: bool = False, *, doc: Callable[[], object],
         view: Callable[[], RenderableType | Sequence[RenderableType]]) -> None:
    """Print a command's result as asked, building only what that needs: ``doc()`` as JSON, else
    ``view()`` (a renderable or several) as Rich tables, or its tables' cells as CSV or Markdown."""
    chosen = output_format(fmt, as_json)
    if chosen is Format.json:
        print_json(doc())
        return
    shown = view()
    parts = list(shown) if isinstance(shown, (list, tuple)) else [shown]
    if chosen is Format.table:
        for part in parts:
            out.print(part)
        return
    from tellers.views.report.exports import prose, to_csv, to_markdown

    text = (to_csv if chosen is Format.csv else to_markdown)(parts)
    sys.stdout.write(text)
    # what the view says besides its tables (verdicts, caveats, notices), or why it has none: on stderr
    for part in prose(parts, captions=chosen is Format.csv) if text else parts:
        err.print(part)


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

    source = f" --data {shlex.quote(str(data))}" if data else f" --db {shlex.quote(str(db))}" if db else ""
    _read_from.set({"data": source, "chamber": f" --chamber {shlex.quote(chamber)}" if chamber else ""})
    house = open_house(db, data, chamber=chamber, wanted=wanted, allow_empty=allow_empty)
    try:
        say_data(house.describe())
        yield house
    finally:
        house.close()
