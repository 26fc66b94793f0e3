"""Laying a table out in the width it has without cutting a word, and so never a number.

Each column has a natural width (its widest cell or header line) and a minimum (its longest word).
A table whose natural widths fit is drawn at them. One whose minimums fit gets widths in between
(:func:`share`), so a cell wraps only at spaces. One whose minimums do not fit is drawn as
:class:`Blocks`: a block of lines per row, its first cell the heading, then a ``header  value``
line for each other cell. :class:`Phrases` is text that wraps only between its phrases (names in
a list), so no name is split across lines either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.containers import Lines
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

UNBOUNDED = 1 << 16
"""A width no table reaches: what a column is measured in to find its natural width."""

INDENT, GAP = 2, 2
"""A block's fields are indented under its heading, and a value set off from its label, by this much."""


def share(naturals: Sequence[int], minimums: Sequence[int], room: int,
          bodies: Sequence[int] | None = None) -> list[int] | None:
    """Column widths within ``room``: the natural widths where they fit; else the widest columns
    narrowed first, to one cap, none below its minimum (as Rich narrows columns, but never past a
    word); None where the minimums do not fit. With ``bodies`` (each column's natural width without
    its header, no less than its minimum), headers wrap before any cell does."""
    if sum(naturals) <= room:
        return list(naturals)
    if sum(minimums) > room:
        return None
    if bodies is not None:
        if sum(bodies) <= room:  # every cell whole on one line; the room left unwraps the headers it can
            widths, left = list(bodies), room - sum(bodies)
            for k in sorted(range(len(widths)), key=lambda k: naturals[k] - bodies[k]):
                grow = min(left, naturals[k] - widths[k])
                widths[k] += grow
                left -= grow
            return widths
        naturals = bodies

    def capped(cap: int) -> list[int]:
        return [max(m, min(n, cap)) for n, m in zip(naturals, minimums)]

    low, high = 0, max(naturals)  # the widest cap that fits: capped(low) fits, capped(high) does not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if sum(capped(middle)) <= room else (low, middle)
    widths = capped(low)
    left = room - sum(widths)
    for k, (n, w) in enumerate(zip(naturals, widths)):  # what is left, a cell each to columns held at the cap
        if left and w == low < n:
            widths[k] += 1
            left -= 1
    return widths


def widen(widths: Sequence[int], least: int) -> list[int]:
    """``widths`` grown, in proportion to each, to add up to at least ``least`` (a title's longest word)."""
    total = sum(widths)
    if total >= least or not widths:
        return list(widths)
    grown = [w + (least - total) * w // max(total, 1) for w in widths]
    grown[-1] += least - sum(grown)
    return grown


def longest_word(*texts: str | Text | None) -> int:
    """The width of the longest word in ``texts`` (0 for none)."""
    words = [w for t in texts if t for w in (t.plain if isinstance(t, Text) else t).split()]
    return max(map(cell_len, words), default=0)


class Phrases(Text):
    """Text of phrases joined by ``separator`` (names in a list) that wraps only between phrases:
    its minimum width is its longest phrase, and a phrase is split only where it alone is wider
    than the line. As text (``plain``, styles, exports) it is the phrases joined."""

    def __init__(self, phrases: Sequence[str], separator: str = ", ", style: str | Style = "") -> None:
        super().__init__(separator.join(phrases), style=style)
        self.phrases = [p + (separator if i < len(phrases) - 1 else "") for i, p in enumerate(phrases)]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(p.rstrip()) for p in self.phrases), default=0)
        return Measurement(longest, cell_len(self.plain))

    def wrap(self, console: Console, width: int, *, justify: str | None = None, overflow: str | None = None,
             tab_size: int = 8, no_wrap: bool | None = None) -> Lines:
        if no_wrap or self.no_wrap or "\n" in self.plain or len(self.plain) != sum(map(len, self.phrases)):
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size, no_wrap=no_wrap)
        breaks, used, offset = [], 0, 0
        for phrase in self.phrases:
            if used and used + cell_len(phrase.rstrip()) > width:
                breaks.append(offset)
                used = 0
            used += cell_len(phrase)
            offset += len(phrase)
        lines = Lines()
        for line in self.divide(breaks):
            line.rstrip()
            # a phrase wider than the line: Rich wraps it at its spaces (and folds a word wider still)
            lines.extend(Text.wrap(line, console, width, overflow="fold") if line.cell_len > width else [line])
        if justify := justify or self.justify:
            lines.justify(console, width, justify=justify, overflow=overflow or self.overflow or "fold")
        return lines


class Blocks:
    """A table's rows as blocks of lines, for a width its columns' longest words do not fit in.

    A block's heading is the row's first cell; each other cell follows on its own line (or lines)
    after its column's header, the values wrapping with a hanging indent and right-justified
    columns' numbers aligned. An empty cell is left out; a value whose longest word does not fit
    beside its header goes under it.
    """

    def __init__(self, headers: Sequence[Text], rows: Iterable[Sequence[RenderableType | None]],
                 justify: Sequence[str], styles: Sequence[Style | str | None], *,
                 title: Text | None = None, caption: Text | None = None,
                 title_justify: str = "default", caption_justify: str = "default") -> None:
        self.headers, self.rows, self.justify, self.styles = list(headers), rows, list(justify), list(styles)
        self.title, self.caption = title, caption
        self.title_justify, self.caption_justify = title_justify, caption_justify

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = options.max_width
        if self.title:
            yield from _annotation(console, options, self.title, self.title_justify)
        labels = [Text(h.plain.replace("\n", " ").strip(), style=h.style) for h in self.headers[1:]]
        widest = max((label.cell_len for label in labels), default=0)
        label_width = min(widest, max((width - INDENT - GAP) // 2, longest_word(*labels)), width - INDENT)
        styles = [console.get_style(s) if s else Style.null() for s in self.styles]
        unbounded = options.update_width(UNBOUNDED)
        for row in self.rows:
            cells = [Text(cell) if isinstance(cell, str) else cell for cell in row]  # text, never markup
            if not _blank(cells[0]):
                for segments in _render(console, options, cells[0], width, "default", styles[0] + Style(bold=True)):
                    yield from [*segments, Segment.line()]
            fields = [(k, cell, Measurement.get(console, unbounded, cell))
                      for k, cell in enumerate(cells[1:], 1) if not _blank(cell)]
            numbers = max((m.maximum for k, _, m in fields if self.justify[k] == "right"), default=0)
            for k, cell, measured in fields:
                yield from self._field(console, options, labels[k - 1], label_width, cell, measured,
                                       numbers if self.justify[k] == "right" else 0, styles[k])
        if self.caption:
            yield from _annotation(console, options, self.caption, self.caption_justify)

    @staticmethod
    def _field(console: Console, options: ConsoleOptions, label: Text, label_width: int, cell: RenderableType,
               measured: Measurement, numbers: int, style: Style) -> Iterator[Segment]:
        """One cell's lines: its label and its value beside it, or (a word too wide for that) under it.
        A right-justified value as narrow as the block's ``numbers`` is aligned with them."""
        width = options.max_width
        gap = GAP if label_width else 0
        room = width - INDENT - label_width - gap
        if measured.minimum > room:  # under the label, indented less for a word that needs the room
            for segments in _render(console, options, label, width - INDENT, "default", Style.null()):
                yield from [Segment(" " * INDENT), *segments, Segment.line()]
            indent = max(min(2 * INDENT, width - measured.minimum), 0)
            for segments in _render(console, options, cell, width - indent, "default", style):
                yield from [Segment(" " * indent), *segments, Segment.line()]
            return
        if measured.maximum <= numbers <= room:
            values = _render(console, options, cell, numbers, "right", style)
        else:
            values = _render(console, options, cell, room, "default", style)
        names = _render(console, options, label, label_width, "default", Style.null()) if label_width else []
        for i in range(max(len(names), len(values))):
            name = names[i] if i < len(names) else []
            yield Segment(" " * INDENT)
            yield from name
            yield Segment(" " * (label_width - Segment.get_line_length(name) + gap))
            yield from values[i] if i < len(values) else []
            yield Segment.line()


def _blank(cell: RenderableType | None) -> bool:
    return cell is None or (isinstance(cell, (str, Text)) and not str(cell).strip())


def _render(console: Console, options: ConsoleOptions, renderable: RenderableType, width: int, justify: str,
            style: Style) -> list[list[Segment]]:
    """``renderable`` as lines ``width`` wide at most, wrapped at spaces (a word wider is folded), unpadded
    on the right unless right-justified."""
    lines = console.render_lines(
        renderable, options.update(width=max(width, 1), justify=justify, no_wrap=False, overflow="fold", height=None),
        style=style, pad=justify == "right",
    )
    lines = [[s for s in line if s.text] for line in lines]
    if justify != "right":  # a line wrapped at a space keeps it: drop it
        for line in lines:
            while line and not line[-1].text.rstrip():
                line.pop()
            if line:
                line[-1] = Segment(line[-1].text.rstrip(), line[-1].style, line[-1].control)
    return lines


def _annotation(console: Console, options: ConsoleOptions, text: Text, justify: str) -> Iterator[Segment]:
    """A title or caption at the full width, never padded on the right (a left-justified one would be)."""
    justify = justify if justify in ("center", "right") else "default"
    for segments in _render(console, options, text, options.max_width, justify, Style.null()):
        yield from segments
        yield Segment.line()
