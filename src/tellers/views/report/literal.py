"""Text is never markup: names, titles, paths and messages reach Rich as :class:`rich.text.Text`.

Rich reads a plain ``str`` as console markup (``[bold]``, ``[link=...]``) and emoji codes
(``:smile:``), so a division titled ``T [/link]`` would crash a table and a candidate named
``[link=...]`` would become a hyperlink. So the views hand Rich text only as :class:`Text`: their
tables are :class:`LiteralTable`, their lines are built as ``Text`` with styles, never markup.
And since Rich passes control characters in text straight to the terminal, the command line's
consoles drop them (:class:`LiteralConsole`): a name holding an escape sequence drives nothing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

from rich import box as rich_box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style, StyleType
from rich.table import Table
from rich.text import Text, TextType


def literal(value: RenderableType | None, style: StyleType = "") -> RenderableType | None:
    """``value`` as Rich shows it literally: a ``str`` becomes :class:`Text` in ``style``; any other
    renderable (already :class:`Text`, a table) or ``None`` is returned as it is."""
    return Text(value, style=style) if isinstance(value, str) else value


class _Annotation:
    """A table's ``title`` or ``caption``: a ``str`` is text in the table's style for it, never markup."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __get__(self, table: Table | None, owner: type) -> Any:
        if table is None:
            return self
        style = getattr(table, f"{self.kind}_style", None) or f"table.{self.kind}"
        return literal(table.__dict__.get(f"_literal_{self.kind}"), style)

    def __set__(self, table: Table, value: TextType | None) -> None:
        table.__dict__[f"_literal_{self.kind}"] = value


class LiteralTable(Table):
    """A Rich table whose title, caption, column headers and cells are text, never markup.

    Strings render exactly as Rich renders markup-free strings (the title and caption in their
    default styles), so ordinary text looks the same as in a plain :class:`rich.table.Table`.
    """

    title = _Annotation("title")
    caption = _Annotation("caption")

    def add_column(self, header: RenderableType = "", footer: RenderableType = "", **kwargs: Any) -> None:
        super().add_column(literal(header), literal(footer), **kwargs)

    def add_row(self, *renderables: RenderableType | None, **kwargs: Any) -> None:
        super().add_row(*(literal(r) for r in renderables), **kwargs)


CONTROL_CHARACTERS = {c: None for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\t\n"}
"""C0 (but tab and newline), DEL and C1: what could start a terminal escape sequence. Rich gives
them no width, so dropping them leaves every layout as it was."""


class LiteralConsole(Console):
    """A Rich console that writes no control character of any text it renders.

    Rich's own control codes (cursor moves, styles, links it was asked for) are unaffected: styles
    are added after rendering, and cursor moves travel as control segments.
    """

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterator[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or segment.text.isprintable():
                yield segment
            else:
                yield Segment(segment.text.translate(CONTROL_CHARACTERS), segment.style)


class ListingTable:
    """A table of text for listings of thousands of rows (`tellers divisions`), drawn line by line.

    It looks like :class:`LiteralTable` with its defaults (a heavy-headed box, bold headers, a
    left-justified italic title), and like it shows text literally; but Rich's :class:`Table`
    measures and lays out every cell as a renderable, about a millisecond a row, while this draws
    plain cells straight to segments. Every column keeps its widest cell's width but one, the
    ``wrap`` column, which takes the width left and wraps its cells (folding words too long).
    """

    def __init__(self, title: str = "") -> None:
        self.title = title
        self.columns: list[dict[str, Any]] = []
        self.rows: list[tuple[str | Text, ...]] = []

    def add_column(self, header: str, *, justify: str = "left", style: str = "", wrap: bool = False) -> None:
        """A column: ``justify`` 'left' or 'right'; ``style`` for its cells; ``wrap`` for the one that wraps."""
        self.columns.append({"header": header, "justify": justify, "style": style, "wrap": wrap})

    def add_row(self, *cells: str | Text) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"a row of {len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(cells)

    # -- drawing

    def _widths(self, max_width: int) -> list[int]:
        widths = []
        for k, column in enumerate(self.columns):
            widest = cell_len(column["header"])
            for row in self.rows:
                cell = row[k]
                widest = max(widest, cell.cell_len if isinstance(cell, Text) else max(map(cell_len, cell.split("\n"))))
            widths.append(max(widest, 1))
        wrapping = [k for k, c in enumerate(self.columns) if c["wrap"]]
        if wrapping:
            k = wrapping[0]
            others = sum(w for j, w in enumerate(widths) if j != k)
            room = max_width - others - 3 * len(widths) - 1  # a border and two spaces of padding per column, one border more
            widths[k] = max(min(widths[k], room), min(widths[k], 10))
        return widths

    def _lines(self, cell: str | Text, width: int, wrap: bool, style: Style | None,
               console: Console) -> list[tuple[list[tuple[str, Style | None]], int]]:
        """A cell as lines, each a list of (text, style) pieces and its width in cells."""
        if isinstance(cell, Text):
            if not cell.spans and "\n" not in cell.plain and not (wrap and cell.cell_len > width):
                own = console.get_style(cell.style) if cell.style else None
                return [([(cell.plain, _add(style, own))], cell.cell_len)]
            lines = cell.wrap(console, width, overflow="fold") if wrap else cell.split("\n", allow_blank=True)
            out = []
            for line in lines:
                pieces = [(seg.text, _add(style, seg.style)) for seg in line.render(console) if seg.text]
                out.append((pieces, sum(cell_len(t) for t, _ in pieces)))
            return out
        cell = cell.replace("\t", " ")
        if wrap and (cell_len(cell) > width or "\n" in cell):
            if cell_len(cell) != len(cell):  # wide or zero-width characters: Rich measures them
                return self._lines(Text(cell), width, wrap, style, console)
            # one cell per character: textwrap measures right, and fast
            lines = [piece for para in cell.split("\n") for piece in (textwrap.wrap(para, width, break_on_hyphens=False) or [""])]
            return [([(line, style)], len(line)) for line in lines]
        return [([(line, style)], cell_len(line)) for line in cell.split("\n")]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        widths = self._widths(options.max_width)
        total = sum(widths) + 3 * len(widths) + 1
        if self.title:
            title = Text(self.title, style="table.title", justify="left")
            yield from console.render(title, options.update(width=total, justify="left"))
        frame = rich_box.HEAVY_HEAD.substitute(options)
        padded = [w + 2 for w in widths]
        yield Segment(frame.get_top(padded))
        yield Segment.line()
        header = console.get_style("table.header")
        justify = [c["justify"] for c in self.columns]
        yield from self._row([c["header"] for c in self.columns], [header] * len(self.columns), [False] * len(widths),
                             justify, widths, (frame.head_left, frame.head_vertical, frame.head_right), console)
        yield Segment(frame.get_row(padded, "head", edge=True))
        yield Segment.line()
        styles = [console.get_style(c["style"]) if c["style"] else None for c in self.columns]
        wraps = [c["wrap"] for c in self.columns]
        edges = (frame.mid_left, frame.mid_vertical, frame.mid_right)
        for row in self.rows:
            yield from self._row(row, styles, wraps, justify, widths, edges, console)
        yield Segment(frame.get_bottom(padded))
        yield Segment.line()

    def _row(self, cells: tuple[str | Text, ...] | list[str], styles: list[Style | None], wraps: list[bool],
             justify: list[str], widths: list[int], edges: tuple[str, str, str], console: Console) -> Iterator[Segment]:
        """One row's lines: its cells side by side, padded to their columns, as few segments as their styles allow."""
        laid = [self._lines(cell, w, wrap, style, console) for cell, style, wrap, w in zip(cells, styles, wraps, widths)]
        left, middle, right = edges
        for i in range(max(len(lines) for lines in laid)):
            pieces: list[tuple[str, Style | None]] = [(left + " ", None)]
            for k, (lines, w) in enumerate(zip(laid, widths)):
                if k:
                    pieces.append((" " + middle + " ", None))
                line, used = lines[i] if i < len(lines) else ([], 0)
                if used > w:  # a column narrower than its widest cell (a very narrow terminal): crop
                    cropped = Segment.adjust_line_length([Segment(t, st) for t, st in line], w)
                    line, used = [(seg.text, seg.style) for seg in cropped], w
                gap = [(" " * (w - used), None)] if used < w else []
                pieces += [*gap, *line] if justify[k] == "right" else [*line, *gap]
            pieces.append((" " + right + "\n", None))
            # join neighbours of one style: a line is a few segments, not one per cell and gap
            text, style = pieces[0]
            for t, st in pieces[1:]:
                if st is style:
                    text += t
                else:
                    yield Segment(text, style)
                    text, style = t, st
            yield Segment(text, style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widths = self._widths(options.max_width)
        return Measurement(len(widths) * 3 + 1 + len(widths), sum(widths) + 3 * len(widths) + 1)


def _add(under: Style | None, over: Style | None) -> Style | None:
    """``over`` on top of ``under`` (either may be None)."""
    if under is None or over is None:
        return over if under is None else under
    return under + over
