"""Referendum designs side by side (:mod:`tellers.ballots.procedures.referendum`): a table, the
plain words under it, a chart of each design's deciding margin against the rounding band,
and the report's section."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from tellers.ballots.procedures.referendum import Comparison, Design, Rounding, Tally
from tellers.views.report.literal import LiteralTable

if TYPE_CHECKING:
    from tellers.views.report.charts import Figure

NONE = "none"
"""The winner shown for a tie or a cycle."""
BAND = "#D9D9D9"
PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#E45756", "#72B7B2", "#EECA3B", "#9D755D", "#FF9DA6", "#BAB0AC")
NO_WINNER_COLOUR = "#6B6B6B"
TICKS = (0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1)


def digits(rounding: Rounding) -> int:
    """Decimals that show a share to its rounding unit (at least 3)."""
    if rounding.unit is None:
        return 3
    return max(3, math.ceil(-math.log10(rounding.unit / rounding.scale) - 1e-9))


def _f(x: float, d: int) -> str:
    return f"{x:.{d}f}"


def _shares(c: Tally, d: int, sep: str = " v ") -> str:
    return sep.join(f"{k} {_f(v, d)}" for k, v in c.shares.items())


def _pair(c: Tally, d: int) -> str:
    a, b = c.put
    return f"{a} v {b}: {_f(c.shares[a], d)}–{_f(c.shares[b], d)}"


def how(design: Design, d: int) -> str:
    """The counts behind a design's result, in a line."""
    if design.design == "two_question":
        return "; ".join(f"{_shares(c, d)} → {c.result}" for c in design.rounds)
    if design.design == "plurality":
        return _shares(design.rounds[0], d, ", ")
    if design.design == "alternative_vote":
        return "; ".join(f"{_shares(c, d, ', ')} → {_av_result(c.result)}" for c in design.rounds)
    return "beats every other option head to head" if design.winner else "no option beats every other"


def _lower(title: str) -> str:
    """A design's title inside a sentence ('Alternative vote' -> 'alternative vote'; Condorcet stays)."""
    return title if title.startswith("Condorcet") else title[0].lower() + title[1:]


def _av_result(result: str) -> str:
    """'transferred: No deal' -> 'No deal out'."""
    head, _, names = result.partition(": ")
    return f"{names} out" if head == "transferred" and names else result


def _within(c: Tally | Design, d: int) -> str:
    word = "yes" if c.within_rounding else "no"
    word = word if c.bound == 0 else f"{word} (± {c.bound:.{d + 1}g})"
    return f"tie; {word}" if c.tied else word


def caption(c: Comparison, source: str = "") -> str:
    """What the figures are, how far rounding can move a margin, and which results it could turn."""
    r, d = c.rounding, digits(c.rounding)
    options = ", ".join(c.options[:-1]) + f" and {c.options[-1]}"
    if r.unit is None:
        what = (f"The weights are counts of ballots ({r.weight:,.10g} in all) over {options}; every figure is a share of "
                "them, and every margin is exact (if they are rounded figures, such as whole percentages, give --unit).")
    else:
        kind = {"shares": "published shares", "percentages": "published percentages"}.get(r.kind, "weights")
        what = (f"The figures are {kind} of voters holding each ordering of {options}: estimates for a population, "
                f"not counted ballots. They sum to {_f(r.total, d)}. Each is rounded to {r.unit / r.scale:g} of the whole, so "
                f"it may be off by up to {r.unit / 2 / r.scale:g}, and a margin by half a unit for every ordering it sums: "
                f"{r.bound(r.orderings):.{d + 1}g} for a head-to-head margin (all {r.orderings} orderings)"
                + _fewer(c) + ".")
    close = [x for x in c.designs if x.within_rounding]
    words = [what]
    if r.unit is not None:
        words.append("Within rounding: " + (" and ".join(f"the {_lower(x.title)} ({x.winner or NONE}, by {_f(x.margin, d)})"
                                                         for x in close) or "no design's result") + ".")
    cw = next(x for x in c.designs if x.design == "condorcet")
    if cw.winner is not None and cw.within_rounding:
        narrow = [p for p in c.pairs if cw.winner in p.put and p.within_rounding]
        words.append(f"{cw.winner} is the Condorcet winner, but within rounding of a tie: "
                     + "; ".join(_pair(p, d).replace(":", ",") for p in narrow) + ".")
    elif cw.winner is None:
        words.append("No option beats every other head to head. " + " ".join(cw.notes))
    tied = [x for x in c.designs if x.tied]
    if tied:
        words.append("Settled by a tie rule (a tie is lost; options tied for last are eliminated together), so "
                     "another rule could change them: " + ", ".join(f"the {_lower(x.title)}" for x in tied) + ".")
    if source:
        words.append(f"Data: {source}.")
    return " ".join(words)


def _fewer(c: Comparison) -> str:
    """The bound of each design margin that sums fewer orderings than all (a plurality gap)."""
    r, d = c.rounding, digits(c.rounding)
    fewer = [x for x in c.designs if x.rounds and 0 < x.bound < r.bound(r.orderings) and len(x.rounds) == 1]
    return "".join(f"; {x.bound:.{d + 1}g} for the {_lower(x.title)}'s gap ({x.rounds[0].orderings} orderings)"
                   for x in fewer)


def referendum_view(source: str, c: Comparison) -> Group:
    """One row per design (winner, deciding margin, within rounding?, the counts), a row per pair
    of the Condorcet count, and the caption."""
    d = digits(c.rounding)
    table = LiteralTable(title=f"Referendum designs: {source}", title_justify="left")
    for name in ("design", "winner", "margin", "within rounding?", "count"):
        table.add_column(name, justify="right" if name == "margin" else "left")
    for x in c.designs:
        table.add_row(x.title, x.winner or NONE, _f(x.margin, d), _within(x, d), how(x, d))
    table.add_section()
    for p in c.pairs:
        a, b = p.put
        winner = p.result if p.result in p.put else NONE
        table.add_row(f"  {a} v {b}", winner, _f(p.margin, d), _within(p, d), _pair(p, d).split(": ", 1)[1])
    return Group(table, Text(caption(c)))


def referendum_json(source: str, c: Comparison) -> dict:
    """``{"file", "total", "rounding", "designs", "pairs", "options", "agenda"}``."""
    doc = c.to_dict()
    return {"file": source, "total": doc.pop("total"), "rounding": doc.pop("rounding"), "designs": doc.pop("designs"),
            "pairs": doc.pop("pairs"), **doc}


def margin_rows(c: Comparison) -> list[dict]:
    """A row per design, then per pair: its deciding margin, the winner and the rounding band."""
    d = digits(c.rounding)
    rows = []
    for x in c.designs:
        rows.append({"row": x.title, "group": "design", "winner": x.winner or NONE, "margin": x.margin,
                     "bound": x.bound, "within": x.within_rounding})
    for p in c.pairs:
        winner = p.result if p.result in p.put else NONE
        rows.append({"row": f"head to head: {p.put[0]} v {p.put[1]}", "group": "head to head", "winner": winner,
                     "margin": p.margin, "bound": p.bound, "within": p.within_rounding})
    for row in rows:
        said = (f"{row['winner']} by {_f(row['margin'], d)}" if row["winner"] != NONE
                else f"no winner; closest pair {_f(row['margin'], d)}")
        row["text"] = said + (" — within rounding" if row["within"] else "")
    return rows


def _colours(n: int) -> list[str]:
    """One colour per option (the palette repeats past ten), then grey for no winner."""
    return [PALETTE[i % len(PALETTE)] for i in range(n)] + [NO_WINNER_COLOUR]


def referendum_chart(c: Comparison, key: str = "referendum", source: str = "", width: int = 480) -> Figure:
    """Each design's deciding margin (and each pair's) as a bar, over a grey band as wide as
    rounding could move it; a square-root scale, so that margins of a thousandth show."""
    # here, not at the top: altair and the charts' modules cost ~0.3 s, and `tellers referendum` draws no chart
    import altair as alt

    from tellers.views.report.charts import Figure, vega_config, vega_spec

    rows = margin_rows(c)
    order = [r["row"] for r in rows]
    base = alt.Chart(alt.Data(values=rows))
    y = alt.Y("row:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=260, labelFontWeight="bold", labelPadding=8, domain=False, ticks=False))
    top = max([r["margin"] for r in rows] + [r["bound"] for r in rows] + [1e-9])
    x = alt.X("margin:Q", title="deciding margin, share of the total (square-root scale)",
              scale=alt.Scale(type="sqrt", domain=[0, top * 1.05]),
              axis=alt.Axis(grid=True, format="~g", values=[v for v in TICKS if v <= top * 1.05]))
    band = base.mark_bar(color=BAND, height={"band": 0.9}).encode(
        y=y, x=alt.X("zero:Q", scale=alt.Scale(type="sqrt")), x2="bound:Q",
        tooltip=[alt.Tooltip("row:N", title="count"), alt.Tooltip("bound:Q", format=".4f", title="rounding bound")],
    ).transform_calculate(zero="0")
    bars = base.mark_bar(height={"band": 0.5}).encode(
        y=y, x=x,
        color=alt.Color("winner:N", scale=alt.Scale(domain=[*c.options, NONE], range=_colours(len(c.options))),
                        legend=alt.Legend(title="winner", orient="bottom")),
        tooltip=[alt.Tooltip("row:N", title="count"), alt.Tooltip("winner:N"),
                 alt.Tooltip("margin:Q", format=".4f"), alt.Tooltip("bound:Q", format=".4f", title="rounding bound")],
    )
    text = base.mark_text(align="left", dx=4, fontSize=11, color="#222").encode(y=y, x="margin:Q", text="text:N")
    chart = alt.layer(band, bars, text).properties(width=width, height=26 * len(rows))
    words = ("Each bar is a referendum design's deciding margin (for the two-question referendum its narrowest "
             "question; for the alternative vote its final round; for the Condorcet count the winner's narrowest win), "
             "then each pair's head-to-head margin, coloured by the option it favours. The grey band is as wide as "
             "rounding could move that margin: a bar inside it could go either way. ")
    return Figure(key, "What each referendum design picks, and how narrowly", words + caption(c, source),
                  vega_spec(vega_config(chart)))


def referendum_section(source: str, c: Comparison, key: str = "referendum"):
    """The report's section: what each design picks, in a sentence per design, and the chart."""
    from tellers.views.report.html import Section

    d = digits(c.rounding)
    lines = [f"{x.title}: {x.winner or NONE} (margin {_f(x.margin, d)}"
             + (", within rounding)" if x.within_rounding else ")") for x in c.designs]
    picks = {x.winner for x in c.designs}
    verdict = (f"Every design picks {c.designs[0].winner or NONE}." if len(picks) == 1
               else "The designs disagree on the same preferences.")
    return Section(key, "Referendum designs: what each would pick", (verdict, "; ".join(lines) + "."),
                   (referendum_chart(c, f"{key}-margins", source),))
