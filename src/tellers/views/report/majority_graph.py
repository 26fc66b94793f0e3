"""The majority graph chart: an arrow from the winner of each pair of options to the loser.

Up to :data:`CIRCLE_MOST` options sit on a circle with every arrow drawn
(:func:`tellers.views.report.figures.majority_graph`); more sit in ranked layers, the Smith
set on top, with the arrows that skip a layer left out and the caption saying so
(:mod:`tellers.views.report.layered`).
"""

from __future__ import annotations

import math

import altair as alt

from tellers.parliament.head_to_head import MajorityAnalysis
from tellers.views.report import figures
from tellers.views.report.layered import (
    MARGIN_SIZE,
    NAME_SIZE,
    WINS_SIZE,
    layered_graph,
)
from tellers.views.report.vegalite import (
    Figure,
    brief,
    shown_options,
    vega_config,
    vega_spec,
)

ROLE_COLOURS = {"Condorcet winner": "#F2B705", "Smith set": "#F28C28", "Condorcet loser": "#AEB6C1", "other": "#FFFFFF"}
CYCLE = "#C62828"
EDGE = "#6B6B6B"
CIRCLE_MOST = 5
"""Most options drawn on a circle; more are drawn in ranked layers."""
NO_AXIS = {"axis": None, "title": None}


def majority_graph_chart(a: MajorityAnalysis, key: str = "majority-graph", source: str = "", width: int = 640) -> Figure:
    """The majority graph, at most ``width`` pixels wide (a wide row of options may need more)."""
    if len(a.options) <= CIRCLE_MOST:
        chart, drawn, left_out = _circle(a, width), (
            "Each option is a circle, with the number of head-to-heads it wins inside; each arrow runs from the winner "
            "of a pair to the loser"), ""
    else:
        chart, drawn, left_out = _layers(a, width)
    if a.condorcet_winner:
        marked = f"{brief(a.condorcet_winner)} (gold) wins every pair: it is the Condorcet winner."
    elif a.cycle:
        marked = ("No option wins every pair: the red arrows form a majority cycle ("
                  + " → ".join(brief(c) for c in a.cycle + (a.cycle[0],)) + ").")
    else:
        marked = "No option wins every pair."
    caption = (
        drawn + " and is labelled with the winning margin (members preferring the winner minus those preferring the "
        "loser); a dashed line is a tie. " + left_out + marked
        + f" Data: the head-to-head counts in the heat map above, from the {shown_options(a).words}, {source}."
    )
    return Figure(key, "The majority graph", caption, vega_spec(vega_config(chart)))


def _roles(present: set[str]) -> alt.Scale:
    roles = [r for r in ROLE_COLOURS if r in present]
    return alt.Scale(domain=roles, range=[ROLE_COLOURS[r] for r in roles])


def _circle(a: MajorityAnalysis, width: int) -> alt.LayerChart:
    """The options on a circle, every arrow drawn."""
    nodes, edges = figures.majority_graph(a)
    unit = min(230, 120 + 14 * len(nodes), width / 3.8)  # pixels per data unit: more options, a bigger circle
    scale_x = alt.Scale(domain=[-1.9, 1.9], nice=False)
    scale_y = alt.Scale(domain=[-1.5, 1.5], nice=False)
    edge_data = alt.Data(values=figures.rows(edges))
    edge_colour = alt.condition("datum.in_cycle", alt.value(CYCLE), alt.value(EDGE))
    lines = alt.Chart(edge_data).mark_rule(strokeWidth=1.8).encode(
        x=alt.X("x:Q", scale=scale_x, **NO_AXIS), y=alt.Y("y:Q", scale=scale_y, **NO_AXIS),
        x2="x2:Q", y2="y2:Q", color=edge_colour,
        strokeDash=alt.condition("datum.tie", alt.value([5, 4]), alt.value([1, 0])),
        tooltip=[alt.Tooltip("winner:N"), alt.Tooltip("loser:N"), alt.Tooltip("margin:Q")],
    )
    heads = alt.Chart(edge_data).transform_filter("!datum.tie").mark_point(shape="triangle-up", filled=True, size=110, opacity=1).encode(
        x=alt.X("x2:Q", scale=scale_x, **NO_AXIS), y=alt.Y("y2:Q", scale=scale_y, **NO_AXIS),
        angle=alt.Angle("angle:Q", scale=None), color=edge_colour,
    )
    label_enc = {"x": alt.X("label_x:Q", scale=scale_x, **NO_AXIS), "y": alt.Y("label_y:Q", scale=scale_y, **NO_AXIS), "text": "text:N"}
    halo = alt.Chart(edge_data).mark_text(fontSize=MARGIN_SIZE, fontWeight="bold", stroke="white", strokeWidth=4, strokeJoin="round").encode(**label_enc)
    margins = alt.Chart(edge_data).mark_text(fontSize=MARGIN_SIZE, fontWeight="bold").encode(**label_enc, color=edge_colour)
    node_data = alt.Data(values=figures.rows(nodes))
    circles = alt.Chart(node_data).mark_circle(size=math.pi * (figures.NODE_RADIUS * unit) ** 2, opacity=1, stroke="#222", strokeWidth=1.5).encode(
        x=alt.X("x:Q", scale=scale_x, **NO_AXIS), y=alt.Y("y:Q", scale=scale_y, **NO_AXIS),
        color=alt.Color("role:N", scale=_roles({n.role for n in nodes}), legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("label:N", title="option"), alt.Tooltip("role:N"), alt.Tooltip("wins:Q", title="pairs won")],
    )
    wins = alt.Chart(node_data).mark_text(fontSize=NAME_SIZE, fontWeight="bold").encode(
        x=alt.X("x:Q", scale=scale_x, **NO_AXIS), y=alt.Y("y:Q", scale=scale_y, **NO_AXIS), text="wins:Q",
    )
    names = [
        alt.Chart(node_data).transform_filter(f"datum.align == '{align}'")
        .mark_text(align=align, baseline="middle", fontSize=NAME_SIZE, fontWeight="bold", color="#111")
        .encode(x=alt.X("label_x:Q", scale=scale_x, **NO_AXIS), y=alt.Y("label_y:Q", scale=scale_y, **NO_AXIS), text="short:N")
        for align in ("left", "right", "center")
    ]
    return alt.layer(lines, heads, halo, margins, circles, wins, *names).properties(width=3.8 * unit, height=3.0 * unit)


def _layers(a: MajorityAnalysis, width: int) -> tuple[alt.LayerChart, str, str]:
    """The options in ranked layers (:func:`tellers.views.report.layered.layered_graph`), what
    the caption says is drawn, and what it says is left out."""
    g = layered_graph(a, width)
    x = {"scale": alt.Scale(domain=[0, g.width], nice=False, zero=False), **NO_AXIS}
    y = {"scale": alt.Scale(domain=[0, g.height], nice=False, zero=False, reverse=True), **NO_AXIS}
    arrows = figures.rows(g.arrows)
    points = tuple({**_pick(e, *ARROW), "arrow": i, "step": k, "px": px, "py": py}  # each arrow's path, point by point
                   for i, e in enumerate(arrows) for k, (px, py) in enumerate(e["path"]))
    ends = tuple({**_pick(e, *ARROW, "angle"), "px": e["path"][-1][0], "py": e["path"][-1][1]} for e in arrows)
    marks = tuple(_pick(e, *ARROW, "label_x", "label_y", "text") for e in arrows)
    colour = alt.condition("datum.in_cycle", alt.value(CYCLE), alt.value(EDGE))
    lines = alt.Chart(alt.Data(values=points)).mark_line(strokeWidth=1.8).encode(
        x=alt.X("px:Q", **x), y=alt.Y("py:Q", **y), detail="arrow:N", order="step:Q", color=colour,
        strokeDash=alt.condition("datum.tie", alt.value([5, 4]), alt.value([1, 0])),
        tooltip=[alt.Tooltip("winner:N"), alt.Tooltip("loser:N"), alt.Tooltip("margin:Q")],
    )
    heads = alt.Chart(alt.Data(values=ends)).transform_filter("!datum.tie").mark_point(
        shape="triangle-up", filled=True, size=90, opacity=1).encode(
        x=alt.X("px:Q", **x), y=alt.Y("py:Q", **y), angle=alt.Angle("angle:Q", scale=None), color=colour)
    label = {"x": alt.X("label_x:Q", **x), "y": alt.Y("label_y:Q", **y), "text": "text:N"}
    halo = alt.Chart(alt.Data(values=marks)).mark_text(
        fontSize=MARGIN_SIZE, fontWeight="bold", stroke="white", strokeWidth=4, strokeJoin="round").encode(**label)
    margins = alt.Chart(alt.Data(values=marks)).mark_text(fontSize=MARGIN_SIZE, fontWeight="bold").encode(**label, color=colour)
    pill_data = alt.Data(values=figures.rows(g.pills))
    at = {"x": alt.X("x:Q", **x), "y": alt.Y("y:Q", **y)}
    pills = alt.Chart(pill_data).mark_rect(cornerRadius=10, stroke="#222", strokeWidth=1.5).encode(
        x=alt.X("x1:Q", **x), x2="x2:Q", y=alt.Y("y1:Q", **y), y2="y2:Q",
        color=alt.Color("role:N", scale=_roles({p.role for p in g.pills}), legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("label:N", title="option"), alt.Tooltip("role:N"), alt.Tooltip("wins:Q", title="pairs won")],
    )
    names = alt.Chart(pill_data).mark_text(fontSize=NAME_SIZE, fontWeight="bold", dy=-7, color="#111").encode(**at, text="short:N")
    wins = alt.Chart(pill_data).mark_text(fontSize=WINS_SIZE, dy=9, color="#222").encode(**at, text="wins_text:N")
    chart = alt.layer(lines, heads, halo, margins, pills, names, wins).properties(width=g.width, height=g.height)
    drawn = (
        f"The options are in {len(g.layers)} ranked layers: the top one is the Smith set (the smallest set of options "
        "that each beat every option outside it), the next the Smith set of the options left, and so on, so every "
        "option beats every option in the layers below its own. Each option is a box with the number of head-to-heads "
        "it wins; each arrow between adjacent layers or within a layer runs from the winner of a pair to the loser"
    )
    n = len(g.omitted)
    left_out = (f"Left out: the {n} arrow{'s' if n != 1 else ''} that would skip a layer, each from an option down to "
                "an option two or more layers below it, as the layers imply; the heat map above gives every count. ") if n else ""
    return chart, drawn, left_out


ARROW = ("winner", "loser", "margin", "tie", "in_cycle")
"""The fields of an arrow every mark drawing it carries (for its colour, dashes and tooltip)."""


def _pick(row: dict, *fields: str) -> dict:
    return {f: row[f] for f in fields}
