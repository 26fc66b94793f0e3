"""Text is never markup: names, titles, paths and messages reach Rich as :class:`rich.text.Text`.

Rich reads a plain ``str`` as console markup (``[bold]``, ``[link=...]``) and emoji codes
(``:smile:``), so a division titled ``T [/link]`` would crash a table and a candidate named
``[link=...]`` would become a hyperlink. So the views hand Rich text only as :class:`Text`: their
tables are :class:`LiteralTable`, their lines are built as ``Text`` with styles, never markup.
And since Rich passes control characters in text straight to the terminal, the command line's
consoles drop them (:class:`LiteralConsole`): a name holding an escape sequence drives nothing.

Both tables are laid out by :mod:`tellers.views.report.fitting`: at any width they never cut a word,
and so never a number.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich import box as rich_box
from rich.cells import cell_len
from rich.console import Console, ConsoleDimensions, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style, StyleType
from rich.table import Table
from rich.text import Text, TextType

from tellers.views.report.fitting import UNBOUNDED, Blocks, longest_word, share, widen


def literal(value: RenderableType | None, style: StyleType = "") -> RenderableType | None:
    """``value`` as Rich shows it literally: a ``str`` becomes :class:`Text` in ``style``; any other
    renderable (already :class:`Text`, a table) or ``None`` is returned as it is."""
    return Text(value, style=style) if isinstance(value, str) else value


class Heading(Text):
    """A section's heading (exports write it as one: a Markdown ``##`` line, a one-cell CSV row)."""


def section(title: str) -> Heading:
    """A section's heading: a bold line, wrapped at spaces where it is long and never cut, and as
    wide as its words (a Rich ``Rule`` cuts its title and pads to the width, a pipe's too)."""
    return Heading(title, style="bold")


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

    Its columns are laid out to cut no word (:mod:`~tellers.views.report.fitting`): at their natural
    widths where those fit, else wrapped at spaces within widths no narrower than their longest
    words; where even those do not fit, each row is drawn as a block of lines (:class:`Blocks`), or
    with ``blocks="columns"`` (a cross-table, say parties by pairs) each column: its header once,
    over the rows' names.
    """

    title = _Annotation("title")
    caption = _Annotation("caption")

    def __init__(self, *args: Any, blocks: str = "rows", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.blocks = blocks

    def add_column(self, header: RenderableType = "", footer: RenderableType = "", **kwargs: Any) -> None:
        # no column is narrower than its longest word, so a fold never cuts one; an ellipsis could
        # (Rich trims a wrapped line's trailing space by characters, not cells, next to a wide character)
        kwargs.setdefault("overflow", "fold")
        super().add_column(literal(header), literal(footer), **kwargs)

    def add_row(self, *renderables: RenderableType | None, **kwargs: Any) -> None:
        super().add_row(*(literal(r) for r in renderables), **kwargs)

    # -- layout (Rich's Table calls _calculate_column_widths to draw and to measure)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        room = (self.width or options.max_width) - self._extra_width
        if self.columns and share(*self._measured(console, options)[:2], room) is None:
            yield self._blocks()
        else:
            yield from super().__rich_console__(console, options)

    def _measured(self, console: Console, options: ConsoleOptions) -> tuple[list[int], list[int], list[int]]:
        """Each column's natural and minimum width, padding included (a column that does not wrap has no less),
        and its natural width without its header (no less than its minimum). Kept for the console and
        rows measured: drawing a table asks twice."""
        key = (id(console), self.row_count, len(self.columns))
        if self.__dict__.get("_measures", (None,))[0] == key:
            return self._measures[1]
        wide = options.update_width(UNBOUNDED)
        ranges = [self._measure_column(console, wide, column) for column in self.columns]
        naturals = [r.maximum or 1 for r in ranges]
        minimums = [n if c.no_wrap else r.minimum for n, r, c in zip(naturals, ranges, self.columns)]
        bodies = [max(m, max((Measurement.get(console, wide, cell).maximum for cell in c.cells), default=0)
                      + self._get_padding_width(c._index)) for m, c in zip(minimums, self.columns)]
        self._measures = (key, (naturals, minimums, bodies))
        return naturals, minimums, bodies

    def _calculate_column_widths(self, console: Console, options: ConsoleOptions) -> list[int]:
        naturals, minimums, bodies = self._measured(console, options)
        widths = share(naturals, minimums, options.max_width, bodies)
        if widths is None:  # drawn as blocks: this is a measurement
            return minimums
        if widths == naturals and (self.expand or self.min_width):
            widths = super()._calculate_column_widths(console, options)
        # a title or caption no narrower than its longest word, so that no word of it is cut
        return widen(widths, min(longest_word(self.title, self.caption), options.max_width + self._extra_width)
                     - self._extra_width)

    def _blocks(self) -> Blocks:
        headers = [c.header if isinstance(c.header, Text) and self.show_header else Text("") for c in self.columns]
        columns = [list(c.cells) for c in self.columns]
        annotations = {"title": self.title, "caption": self.caption, "title_justify": self.title_justify,
                       "caption_justify": self.caption_justify}
        if self.blocks != "columns":
            return Blocks(headers, list(zip(*columns)), [c.justify for c in self.columns],
                          [c.style for c in self.columns], **annotations)
        # a block per column: its header the heading, its cells (in its style) beside the rows' names
        names = [cell if isinstance(cell, Text) else Text("") for cell in columns[0]]
        rows = [[headers[k], *(Text.assemble(cell, style=column.style or "") if isinstance(cell, Text) else cell
                               for cell in columns[k])] for k, column in enumerate(self.columns) if k]
        justify = "right" if all(c.justify in ("right", "center") for c in self.columns[1:]) else "left"
        return Blocks([headers[0], *names], rows, ["left", *[justify] * len(names)], [None] * (len(names) + 1),
                      **annotations)


CONTROL_CHARACTERS = {c: None for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\t\n"}
"""C0 (but tab and newline), DEL and C1: what could start a terminal escape sequence. Rich gives
them no width, so dropping them leaves every layout as it was."""


PIPED_WIDTH = UNBOUNDED
"""The width of a command line console writing to a pipe or file: wide enough for any table's
natural width and any paragraph, so nothing is wrapped for a terminal that is not there."""


class LiteralConsole(Console):
    """A Rich console that writes no control character of any text it renders.

    Rich's own control codes (cursor moves, styles, links it was asked for) are unaffected: styles
    are added after rendering, and cursor moves travel as control segments.

    With ``piped_width``, a console that is not writing to a terminal is that wide (whatever
    ``COLUMNS`` says): tables at their natural widths, paragraphs on one line each.
    """

    def __init__(self, *args: Any, piped_width: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.piped_width = piped_width

    @property
    def size(self) -> ConsoleDimensions:
        dimensions = super().size
        if self.piped_width and not self.is_terminal:
            return ConsoleDimensions(self.piped_width, dimensions.height)
        return dimensions

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)

    @contextmanager
    def as_terminal(self, width: int) -> Iterator[LiteralConsole]:
        """While in the block, draw as a terminal ``width`` columns wide, without colour or styles
        (a test's or a preview's view of what a terminal would show)."""
        saved = self._force_terminal, self._width, self._color_system
        self._force_terminal, self._width, self._color_system = True, width, None
        try:
            yield self
        finally:
            self._force_terminal, self._width, self._color_system = saved

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
    ``wrap`` column, which takes the width left (no less than its longest word) and wraps its cells
    at spaces. Where that does not fit, each row is drawn as a block of lines (:class:`Blocks`).
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

    def _measured(self) -> tuple[list[int], list[int]]:
        """Each column's natural and minimum width (the wrap column's longest word; any other's natural)."""
        naturals, minimums = [], []
        for k, column in enumerate(self.columns):
            cells = [column["header"], *(row[k] for row in self.rows)]
            lines = [line for cell in cells for line in (cell.plain if isinstance(cell, Text) else cell).split("\n")]
            naturals.append(max(max(map(cell_len, lines)), 1))
            minimums.append(max(longest_word(*lines), 1) if column["wrap"] else naturals[-1])
        return naturals, minimums

    def _widths(self, max_width: int) -> list[int] | None:
        """Each column's width (the wrap column's within what the others leave), or None where
        even the wrap column's longest word does not fit."""
        # a border and two spaces of padding per column, one border more
        return share(*self._measured(), max_width - 3 * len(self.columns) - 1)

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

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment | Blocks]:
        widths = self._widths(options.max_width)
        title = Text(self.title, style="table.title") if self.title else None
        if widths is None:
            styles = [column["style"] or None for column in self.columns]
            yield Blocks([Text(c["header"]) for c in self.columns], self.rows, [c["justify"] for c in self.columns],
                         styles, title=title)
            return
        total = sum(widths) + 3 * len(widths) + 1
        if title:
            width = max(total, min(longest_word(title), options.max_width))  # no word of the title is cut
            yield from console.render(title, options.update(width=width, justify="left"))
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
        naturals, minimums = self._measured()
        extra = 3 * len(self.columns) + 1
        return Measurement(sum(minimums) + extra, sum(naturals) + extra)


def _add(under: Style | None, over: Style | None) -> Style | None:
    """``over`` on top of ``under`` (either may be None)."""
    if under is None or over is None:
        return over if under is None else under
    return under + over
