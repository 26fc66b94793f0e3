"""A view's tables as CSV or Markdown (``--format csv|markdown``): exactly their cells, as plain text.

A command's view is a Rich renderable: a :class:`~rich.console.Group` of lines and tables. These
walk it, take each table (a :class:`~tellers.views.report.literal.LiteralTable` or any Rich table,
a :class:`~tellers.views.report.literal.ListingTable`) and write its headers and cells as the
terminal shows them, without styles and never cut; the lines between the tables are left out.
Where a view holds several tables, the CSV precedes each by a one-cell row holding its title and
separates them by a blank line; the Markdown gives each a ``### title`` line and its caption. A
section's heading (:class:`~tellers.views.report.literal.Heading`: which question the tables below
answer) is kept too, as a one-cell CSV row of its own and a Markdown ``##`` line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.protocol import rich_cast
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from tellers.views.report.literal import CONTROL_CHARACTERS, Heading, ListingTable, LiteralTable

_console = Console(width=1 << 16, color_system=None, file=io.StringIO(), emoji=True)
"""Renders at a width no table needs: a view that picks its layout by width picks its widest."""


@dataclass(frozen=True)
class Grid:
    """One table as text: its title, headers, rows of cells and caption, and how each column is justified."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""
    justify: tuple[str, ...] = ()
    header_shown: bool = True


def grids(view: RenderableType | Sequence[RenderableType]) -> list[Grid]:
    """Every table of ``view`` (a renderable or several), in the order printed, as text."""
    return [item for item in _items(view) if isinstance(item, Grid)]


def _items(view: RenderableType | Sequence[RenderableType]) -> list[Grid | str]:
    """The tables of ``view`` as text, with the section headings among them (where any table follows)."""
    items = [_grid(part) if not isinstance(part, Heading) else _plain(part) for part in _tables(view)]
    return [item for k, item in enumerate(items) if isinstance(item, Grid) or any(isinstance(i, Grid) for i in items[k:])]


def to_csv(view: RenderableType | Sequence[RenderableType]) -> str:
    """The tables of ``view`` as CSV: a header row, then the rows; where there are several, each
    preceded by a one-cell row holding its title, and separated by a blank line."""
    found = _items(view)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for k, grid in enumerate(found):
        if k:
            writer.writerow([])
        if isinstance(grid, str):  # a section's heading
            writer.writerow([grid])
            continue
        if len(found) > 1:
            writer.writerow([grid.title])
        if grid.header_shown:
            writer.writerow(grid.headers)
        writer.writerows(grid.rows)
    return buffer.getvalue()


ALIGNMENT = {"right": "---:", "center": ":---:"}
"""A Markdown column's alignment row cell, by the column's justification (else left: ``---``)."""


def to_markdown(view: RenderableType | Sequence[RenderableType]) -> str:
    """The tables of ``view`` as GitHub Markdown: each a ``### title`` line (where it has one), a pipe
    table (a table shown without headers gets empty ones) and its caption as a paragraph."""
    blocks = []
    for grid in _items(view):
        if isinstance(grid, str):  # a section's heading
            blocks.append(f"## {' '.join(grid.split())}\n")
            continue
        lines = [f"### {' '.join(grid.title.split())}", ""] if grid.title else []
        lines.append(_pipe_row(grid.headers if grid.header_shown else [""] * len(grid.headers)))
        lines.append("| " + " | ".join(ALIGNMENT.get(j, "---") for j in grid.justify) + " |")
        lines += [_pipe_row(row) for row in grid.rows]
        if grid.caption:
            lines += ["", grid.caption]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _pipe_row(cells: Sequence[str]) -> str:
    """A pipe table's row: ``|`` escaped, a line break written ``<br>``."""
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", "<br>") for c in cells) + " |"


def prose(view: RenderableType | Sequence[RenderableType], captions: bool = False) -> list[RenderableType]:
    """What ``view`` says besides its tables and headings (verdicts, caveats, notices, notes), in order,
    with the tables' ``captions`` (which CSV has no place for): an export keeps only the tables'
    cells, so a command says these on stderr."""
    found: list[RenderableType] = []

    def walk(renderable: object) -> None:
        renderable = rich_cast(renderable)
        if isinstance(renderable, Table) and captions and renderable.caption:
            found.append(renderable.caption)
        if isinstance(renderable, (Table, ListingTable, Heading)):
            return
        if isinstance(renderable, (list, tuple)) and not isinstance(renderable, Segment):
            for part in renderable:
                walk(part)
        elif isinstance(renderable, Group):
            for part in renderable.renderables:
                walk(part)
        elif isinstance(renderable, (str, Text)) and str(renderable).strip():
            found.append(renderable)

    walk(view)
    return found


def _tables(renderable: object) -> Iterator[Table | ListingTable | Heading]:
    """The tables (and section headings) of a renderable, through groups and anything else that
    renders to renderables."""
    renderable = rich_cast(renderable)
    if isinstance(renderable, (Table, ListingTable, Heading)):
        yield renderable
    elif isinstance(renderable, (str, Text, Segment)):  # a Segment is a tuple: tested first
        return
    elif isinstance(renderable, (list, tuple)):
        for part in renderable:
            yield from _tables(part)
    elif hasattr(renderable, "__rich_console__"):
        for part in renderable.__rich_console__(_console, _console.options):
            yield from _tables(part)


def _grid(table: Table | ListingTable) -> Grid:
    if isinstance(table, ListingTable):  # plain strings, never markup
        columns = table.columns
        return Grid(_plain(table.title), [_plain(c["header"]) for c in columns],
                    [[_plain(cell) for cell in row] for row in table.rows],
                    justify=tuple(c["justify"] for c in columns))
    markup = not isinstance(table, LiteralTable)  # a plain Rich table reads its strings as markup
    cells = [[_plain(cell, markup) for cell in column.cells] for column in table.columns]
    return Grid(_plain(table.title, markup), [_plain(c.header, markup) for c in table.columns],
                [list(row) for row in zip(*cells)], _plain(table.caption, markup),
                tuple(c.justify for c in table.columns), table.show_header)


def _plain(cell: RenderableType | None, markup: bool = False) -> str:
    """A cell's text as the terminal shows it, without its styles or any control character."""
    if cell is None:
        text = ""
    elif isinstance(cell, Text):
        text = cell.plain
    elif isinstance(cell, str):
        text = _console.render_str(cell).plain if markup else cell
    else:
        with _console.capture() as captured:
            _console.print(cell)
        text = "\n".join(line.rstrip() for line in captured.get().rstrip("\n").split("\n"))
    return text.translate(CONTROL_CHARACTERS)
