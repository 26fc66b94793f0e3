"""Text is never markup: names, titles, paths and messages reach Rich as :class:`rich.text.Text`.

Rich reads a plain ``str`` as console markup (``[bold]``, ``[link=...]``) and emoji codes
(``:smile:``), so a division titled ``T [/link]`` would crash a table and a candidate named
``[link=...]`` would become a hyperlink. So the views hand Rich text only as :class:`Text`: their
tables are :class:`LiteralTable`, their lines are built as ``Text`` with styles, never markup.
And since Rich passes control characters in text straight to the terminal, the command line's
consoles drop them (:class:`LiteralConsole`): a name holding an escape sequence drives nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import StyleType
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
