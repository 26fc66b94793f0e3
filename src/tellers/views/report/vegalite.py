"""What every chart of the report shares: the :class:`Figure` it is, how its Altair chart
becomes a Vega-Lite spec (:func:`vega_spec`, :func:`vega_config`), and how its caption names
options (:func:`brief`) and divisions (:func:`shown_options`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
from altair.utils.schemapi import UndefinedType

from tellers.parliament.head_to_head import MajorityAnalysis
from tellers.parliament.titles import Shown, shown_totals
from tellers.views.report.layout import wrap

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDEST = 860
"""The widest a chart is drawn (px): the report's column in a 1,024-pixel window, less the room
of Vega-Embed's menu button."""
alt.utils.schemapi.disable_debug_mode()  # not every part of a chart checked against the schema as it is made


@dataclass(frozen=True)
class Figure:
    """A chart, its title and caption."""

    key: str
    title: str
    caption: str
    spec: dict


def vega_spec(chart: alt.TopLevelMixin) -> dict:
    spec = chart.to_dict(validate=False)  # nor the whole: a second per report; tests/test_report.py checks the specs
    spec.pop("$schema", None)  # a URL nobody needs to fetch; the bundle knows its version
    return spec


def vega_config(chart):
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#222", titleColor="#222")
        .configure_legend(labelFontSize=12, titleFontSize=12)
        .configure_title(fontSize=14, anchor="start")
    )


def wrapped_labels(labels: Iterable[str], width: float, size: float = 12, bold: bool = False,
                   bottom: bool = False, after: str = "") -> tuple[str | UndefinedType, int]:
    """An axis ``labelExpr`` that breaks each label wider than ``width`` pixels into lines, so that
    none is cut short (Undefined when every label fits), and the most lines a label takes; a
    label too wide breaks first after ``after``.

    Vega draws a label's further lines below its first: with ``bottom``, every label is given
    as many lines, blank ones first, so that the last lines align (give the axis a label padding
    of the blank lines' height, see :func:`label_padding`)."""
    lines = {label: wrap(label, width, size, bold, after) for label in labels}
    most = max((len(v) for v in lines.values()), default=1)
    if most == 1:
        return alt.Undefined, 1
    expr = "datum.label"
    for label, split in lines.items():
        if len(split) > 1 or bottom:
            expr = f"datum.label === {_js(label)} ? {_js([''] * (most - len(split)) * bottom + split)} : {expr}"
    return expr, most


def label_padding(lines: int, size: float, padding: float = 2) -> float:
    """The label padding that keeps the last of ``lines`` lines of a label at ``padding`` from the axis."""
    return padding + (lines - 1) * line_height(size)


def line_height(size: float) -> float:
    return round(size * 1.2)


def _js(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def shown_options(a: MajorityAnalysis) -> Shown:
    """What the options' divisions are: how many, of which chamber, when."""
    return shown_totals([t.division for t in a.options])


BRIEF = 48
"""Characters of an option's name a caption gives (an option named by its division is named by
the division's title, which may run to a paragraph)."""


def brief(name: str, division_id: str | None = None) -> str:
    """An option's name for a caption or heading: as it is, or its first :data:`BRIEF` characters
    and the "(division id)" that ends it, or else ``division_id``'s, which tells such names apart."""
    if len(name) <= BRIEF:
        return name
    head, _, tail = name.rpartition(" (")
    keep = f" ({tail}" if head and tail.endswith(")") and len(tail) <= 24 else f" ({division_id})" if division_id else ""
    return name[:BRIEF - 1].rstrip() + "…" + keep
