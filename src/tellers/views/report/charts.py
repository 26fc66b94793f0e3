"""The report's charts: Vega-Lite specs written by Altair, each a :class:`Figure` with a
caption saying what it shows and where the data come from.

Thin: the numbers come from :mod:`tellers.parliament.head_to_head`, :mod:`tellers.parliament.house` and
:mod:`tellers.views.report.figures`; this module draws them. The chart builders
(:func:`divisions_chart`, :func:`head_to_head_chart`, :func:`majority_graph_chart`, drawn in
:mod:`tellers.views.report.majority_graph`, and :func:`ideal_points_chart`) are also what the
web app's ``/api/charts`` serves; the page is laid out by :mod:`tellers.views.report.html`;
what every chart shares is in :mod:`tellers.views.report.vegalite`.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from tellers.views.report import figures
from tellers.parliament.coalitions.house_power import house_power
from tellers.parliament.head_to_head import MajorityAnalysis
from tellers.parliament.preferences.spatial import SCALE_CAVEAT
from tellers.parliament.house import House
from tellers.parliament.titles import Shown, chamber_name, few_votes, not_voting, shown_totals
from tellers.records.store import DivisionResult
from tellers.parliament.robustness import MODELS, Completions
from tellers.views.report.colours import colour_scale
from tellers.views.report.majority_graph import majority_graph_chart  # noqa: F401 - one of the chart builders, drawn there
from tellers.views.report.robustness import NO_WINNER, share_bars
from tellers.views.report.vegalite import (
    BRIEF, WIDEST, Figure, brief, label_padding, line_height, shown_options, vega_config, vega_spec, wrapped_labels,
)
from tellers.wording import plural

ROW_LABELS = 200
"""Pixels the heat map gives its rows' names (wrapped onto more lines beyond)."""
MIN_CELL = 66
"""The narrowest heat-map cell (px): room for its counts."""
DIVISION_LABELS = 240
"""Pixels the divisions chart gives its divisions' names (wrapped onto more lines beyond)."""

# --------------------------------------------------------------------------- charts


def division_label(house: House, result) -> str:
    """'1 Apr 2019 · Customs union (666)' — the option the division tested, else its title."""
    t = result.totals
    option = house.option_of(t.id)
    name = option.label if option else (t.title if len(t.title) <= 48 else t.title[:47] + "…")
    day = "" if t.date is None else f"{t.date:%-d %b %Y} · "
    return f"{day}{name} ({t.id})"


def divisions_chart(
    house: House, division_ids: Sequence[str], key: str = "divisions", results: Sequence[DivisionResult] | None = None,
    note: str = "", width: int = 460,
) -> Figure:
    """The result of each division: Ayes, Noes and No vote as bars split by party.

    ``results`` replaces the recorded results (e.g. a scenario's); ``note`` says so in the caption."""
    results = list(results) if results is not None else [house.division(d) for d in division_ids]
    labelled = [(division_label(house, r), r) for r in results]
    bars = figures.division_bars(labelled, house.catalogue.party_aliases)
    totals = figures.division_bar_totals(labelled)
    parties = sorted({(b.party_rank, b.party) for b in bars})
    domain, colours = colour_scale(p for _, p in parties)
    order = [label for label, _ in labelled]
    verdicts = {label: figures.division_verdict(r) for label, r in labelled}
    y = alt.Y("label:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=0, labelFontWeight="bold", labelPadding=8, domain=False, ticks=False,
                            labelExpr=wrapped_labels(order, DIVISION_LABELS, bold=True, after=" ·")[0], labelLineHeight=line_height(12)))
    y_offset = alt.YOffset("side:N", sort=list(figures.SIDES), scale=alt.Scale(paddingInner=0.15))
    stacked = alt.Chart(alt.Data(values=figures.rows(bars))).mark_bar(stroke="white", strokeWidth=0.4).encode(
        y=y, yOffset=y_offset,
        x=alt.X("members:Q", stack="zero", title="members", axis=alt.Axis(grid=True, tickMinStep=50, tickCount=6)),
        color=alt.Color("party:N", scale=alt.Scale(domain=domain, range=colours),
                        legend=alt.Legend(title="party", orient="bottom", columns=3, symbolStrokeColor="#999")),
        order=alt.Order("party_rank:Q"),
        tooltip=[alt.Tooltip("label:N", title="division"), alt.Tooltip("side:N"), alt.Tooltip("party:N"),
                 alt.Tooltip("members:Q")],
    )
    text = alt.Chart(alt.Data(values=figures.rows(totals))).mark_text(align="left", dx=4, fontSize=11, color="#222").encode(
        y=y, yOffset=y_offset, x=alt.X("members:Q"), text="text:N",
    )
    height = 3 * 16 * len(results) + 10 * len(results)
    chart = alt.layer(stacked, text).properties(width=width, height=height)
    what = shown_totals([r.totals for r in results])
    tellers = "Tellers are left out, as the official totals leave them out. " if any(r.totals.tellers for r in results) else ""
    caption = (
        f"For each {what.noun}, three bars: the members who voted Aye, those who voted No, and those recorded as not "
        f"voting ({not_voting(what.chambers)}), each split by party in the party's colour. "
        + tellers
        + ("Results in this scenario: " if note else "Official results: ")
        + "; ".join(f"{label} — {verdicts[label]}" for label in order)
        + f". Data: the lists of {what.words}, in {house.source}." + (f" {note}" if note else "")
        + "".join(f" {label}: {r.totals.note}" for label, r in labelled if r.totals.note)
    )
    return Figure(key, "How each division went, by party", caption, vega_spec(vega_config(chart)))


def head_to_head_chart(a: MajorityAnalysis, key: str = "head-to-head", source: str = "", cell: int = 100,
                       width: int = WIDEST) -> Figure:
    """The head-to-head matrix as a heat map: row option against column option, in cells at most
    ``cell`` pixels wide, the whole at most ``width`` (names wrapped, never cut)."""
    cells = figures.head_to_head_cells(a)
    rows = [t.label for t in a.options]
    columns = [t.option.abbreviation for t in a.options]
    cell = max(MIN_CELL, min(cell, (width - ROW_LABELS - 30) // len(columns)))
    row_labels, _ = wrapped_labels(rows, ROW_LABELS, bold=True)
    column_labels, lines = wrapped_labels(columns, cell - 8, 11, bold=True, bottom=True)
    base = alt.Chart(alt.Data(values=figures.rows(cells))).encode(
        y=alt.Y("row:N", sort=rows, title="members preferring this option",
                axis=alt.Axis(labelLimit=0, labelFontWeight="bold", domain=False, ticks=False, labelExpr=row_labels,
                              labelLineHeight=line_height(12))),
        x=alt.X("column_short:N", sort=columns, title="to this option",
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=0, labelFontSize=11, labelFontWeight="bold",
                              labelBaseline="bottom", domain=False, ticks=False, labelExpr=column_labels,
                              labelLineHeight=line_height(11), labelPadding=label_padding(lines, 11))),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("net:Q", scale=alt.Scale(scheme="purplegreen", domainMid=0),
                        legend=alt.Legend(title="net (row − column)", orient="bottom", direction="horizontal", gradientLength=200)),
        tooltip=[alt.Tooltip("row:N", title="option"), alt.Tooltip("column:N", title="against"),
                 alt.Tooltip("prefer_row:Q", title="prefer option"), alt.Tooltip("prefer_column:Q", title="prefer against"),
                 alt.Tooltip("net:Q"), alt.Tooltip("outcome:N")],
    )
    text = base.mark_text(fontSize=13, fontWeight="bold").encode(
        text="text:N",
        color=alt.condition("datum.strong", alt.value("white"), alt.value("#1a1a1a")),
    )
    chart = alt.layer(rect, text).properties(width=cell * len(a.options), height=48 * len(a.options))
    winner = f" {brief(a.condorcet_winner)}'s row is all green: it is the Condorcet winner." if a.condorcet_winner else ""
    caption = (
        "Each cell counts the members who prefer the row option to the column option, then those who prefer the "
        "column to the row. A member prefers X to Y when they voted Aye on X and No on Y; members who voted the same "
        "way on both, or did not vote on one, are not counted. Green: the row option wins the pair; purple: it loses."
        + winner + f" Data: members' recorded votes in the {shown_options(a).words} that count for each option "
        f"({_divisions(a)}), {source}."
    )
    return Figure(key, "Head to head: who prefers which", caption, vega_spec(vega_config(chart)))


def whatif_chart(house: House, a: MajorityAnalysis, key: str = "whatif") -> Figure:
    """The fewest changed votes that would flip each option's division, by party."""
    from tellers.parliament.coalitions.whatif import whatif_division

    flips = [(f"{t.option.abbreviation} ({t.division.id})", whatif_division(house, t.division.id)) for t in a.options]
    bars, totals = figures.switch_bars(flips)
    order = [label for label, _ in flips]
    domain, colours = colour_scale(b.party for b in sorted(bars, key=lambda b: (b.order, b.party)))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelFontWeight="bold", labelLimit=220, domain=False, ticks=False))
    stacked = alt.Chart(alt.Data(values=figures.rows(bars))).mark_bar(stroke="white", strokeWidth=0.5, height=18).encode(
        y=y, x=alt.X("members:Q", stack="zero", title="members whose vote must change"),
        color=alt.Color("party:N", scale=alt.Scale(domain=domain, range=colours), legend=alt.Legend(title="party", orient="bottom", columns=4)),
        order=alt.Order("party:N"),
        tooltip=[alt.Tooltip("label:N", title="division"), "party:N", "change:N", "members:Q"],
    )
    text = alt.Chart(alt.Data(values=figures.rows(totals))).mark_text(align="left", dx=5, fontSize=12, color="#222").encode(
        y=y, x=alt.X("fewest_changes:Q"), text="text:N",
    )
    chart = alt.layer(stacked, text).properties(width=520, height=34 * len(flips))
    who = "named members" if house.member_level else "members (the bundled aggregate has no names)"
    what = shown_options(a)
    caption = (
        f"For each option's {what.noun}, the fewest members whose votes must change for the result to flip, by party, and "
        "the result it would then give. Found exactly, as an integer program: a member may move between Aye, No and not "
        "voting, and a switch from No to Aye counts as one change; the result follows the chamber's rules (the majority "
        "the question needs, and its tie rule); among the fewest, the "
        f"{who} closest to switching are preferred (those who voted Aye on a similar option, or whose party split). "
        f"Data: the lists of the {what.words}, in {house.source}."
    )
    return Figure(key, "What it would take: the fewest changed votes to flip each division", caption, vega_spec(vega_config(chart)))


def power_chart(house: House, division_id: str, key: str = "power") -> Figure:
    """Each party's voting power in the house as it stood in one division."""
    p = house_power(house, division_id)
    bars = figures.power_bars(p)
    domain, colours = colour_scale(b.party for b in bars)
    y = alt.Y("party:N", sort=[b.party for b in bars], title=None, axis=alt.Axis(labelFontWeight="bold", labelLimit=260, domain=False, ticks=False))
    base = alt.Chart(alt.Data(values=figures.rows(bars)))
    rect = base.mark_bar(stroke="#777", strokeWidth=0.5, height=16).encode(
        y=y, x=alt.X("shapley_shubik:Q", title="Shapley–Shubik index", axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1]), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("party:N", scale=alt.Scale(domain=domain, range=colours), legend=None),
        tooltip=["party:N", alt.Tooltip("members:Q"), alt.Tooltip("players:Q"),
                 alt.Tooltip("shapley_shubik:Q", format=".1%", title="Shapley–Shubik"), alt.Tooltip("banzhaf:Q", format=".1%", title="Banzhaf")],
    )
    text = base.mark_text(align="left", dx=5, fontSize=12, color="#222").encode(y=y, x="shapley_shubik:Q", text="text:N")
    chart = alt.layer(rect, text).properties(width=480, height=26 * len(bars))
    t = p.house.division
    day = "" if t.date is None else f" on {t.date:%-d %B %Y}"
    caption = (
        f"How often each party is pivotal in the {chamber_name(t.chamber)} as it stood{day} ({shown_totals([t]).noun} "
        f"{t.id}): the Shapley–Shubik index, the "
        "share of the orders in which the parties could join a coalition in which that party's votes are the ones that first "
        f"reach the quota of {p.power.game.quota}. Each whipped party votes as one bloc with its members' weight; members "
        f"without a whip are players one by one, summed here. {p.house.explanation()}. Exact, by generating functions. "
        f"Data: the list of that {shown_totals([t]).noun}, in {house.source}."
    )
    return Figure(key, "Who is pivotal: each party's voting power", caption, vega_spec(vega_config(chart)))


def ideal_points_chart(house: House, a: MajorityAnalysis, key: str = "ideal-points", width: int = 620) -> Figure:
    """Members' ideal points by party (a strip plot), with the options placed on the same scale above,
    each named beside its own tick."""
    scale = figures.ideal_point_scale(house, a)
    domain, colours = colour_scale(scale.parties)
    x = alt.X("position:Q", scale=alt.Scale(domain=list(scale.domain), nice=False), title="position on the fitted scale",
              axis=alt.Axis(tickMinStep=0.5))
    labels = figures.option_labels(scale.options, scale.domain, width)
    band = 18 * (max(o.row for o in labels) + 1) + 40  # the names' rows, their leader lines and the ticks (px)
    options = alt.Chart(alt.Data(values=tuple(
        {**r, "label_y": band - 45 - 18 * r["row"], "leader_y": band - 37 - 18 * r["row"]} for r in figures.rows(labels))))
    x_top = dict(scale=alt.Scale(domain=list(scale.domain), nice=False), axis=None)
    y_top = dict(scale=alt.Scale(domain=[0, band], nice=False, zero=False, reverse=True), axis=None)
    ticks = options.mark_rule(color="#222", strokeWidth=2).encode(
        x=alt.X("position:Q", **x_top), y=alt.YDatum(band - 8, type="quantitative", **y_top), y2=alt.Y2Datum(band))
    names = options.mark_text(align="center", baseline="middle", fontSize=figures.LABEL_SIZE, fontWeight="bold", color="#111").encode(
        x=alt.X("label_position:Q", **x_top), y=alt.Y("label_y:Q", **y_top), text="short:N",
        tooltip=[alt.Tooltip("label:N", title="option"), "division:N", alt.Tooltip("position:Q", format=".2f")],
    )
    leaders = options.mark_rule(color="#555", strokeWidth=1).encode(
        x=alt.X("label_position:Q", **x_top), y=alt.Y("leader_y:Q", **y_top), x2="position:Q", y2=alt.Y2Datum(band - 8))
    top = alt.layer(ticks, names, leaders).properties(width=width, height=band)
    strip = alt.Chart(alt.Data(values=figures.rows(scale.members))).mark_circle(size=22, opacity=0.75, stroke="#555", strokeWidth=0.3).encode(
        x=x,
        y=alt.Y("party:N", sort=scale.parties, title=None, axis=alt.Axis(labelFontWeight="bold", labelLimit=220, domain=False, ticks=False)),
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1.3, 1.3])),
        color=alt.Color("party:N", scale=alt.Scale(domain=domain, range=colours), legend=None),
        tooltip=["name:N", "party:N", alt.Tooltip("position:Q", format=".2f")],
    )
    rules = alt.Chart(alt.Data(values=figures.rows(scale.options))).mark_rule(color="#222", strokeDash=[3, 3], opacity=0.6).encode(x="position:Q")
    bottom = alt.layer(rules, strip).properties(width=width, height=34 * len(scale.parties))
    chart = alt.vconcat(top, bottom, spacing=2).resolve_scale(x="shared")
    fitted = scale.fitted
    examples = few_votes(fitted.chambers)
    caption = (
        f"Each dot is a member, placed on one scale fitted to {fitted.words} "
        "(a two-parameter probit model of their Aye and No votes, the posterior mode; positions standardised, the largest "
        "party's side positive), in rows by party, ordered by the party's median; the vertical spread within a row only "
        "separates the dots. The options (dashed lines) are placed on the same scale by maximum likelihood, as the point "
        f"members approve of when it lies within their tolerance. Here the scale runs from {brief(scale.extremes[0])} "
        f"to {brief(scale.extremes[1])}. The model classifies {scale.correct:.1%} of the votes correctly (APRE {scale.apre:.2f}); "
        f"{plural(scale.dropped_members, 'member')} with too few votes{f' ({examples})' if examples and scale.dropped_members else ''} "
        f"and {scale.dropped_votes} near-unanimous {fitted.nouns} are left out. Data: members' recorded votes in {house.source}. "
        f"Caveat: {SCALE_CAVEAT}"
    )
    return Figure(key, "Ideal points: members and options on one scale", caption, vega_spec(vega_config(chart)))


MODEL_COLOURS = ("#37474F", "#7E929F", "#B8C4CC", "#8D7B68", "#C9B8A6")
"""Neutral colours, one per model of the completions (in the order of the models)."""


def robustness_chart(checked: Completions, a: MajorityAnalysis, key: str = "robustness", source: str = "",
                     width: int = 460) -> Figure:
    """Each option's share of completions in which it is the Condorcet winner, one bar per model,
    and the share with no winner (:func:`tellers.parliament.robustness.assess_models`)."""
    bars = figures.rows(share_bars(checked))
    models = [r.shares.model for r in checked.checks]
    order = [*(t.label for t in a.options), NO_WINNER]
    y = alt.Y("label:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=260, labelFontWeight="bold", labelPadding=8, domain=False, ticks=False))
    y_offset = alt.YOffset("model:N", sort=models, scale=alt.Scale(paddingInner=0.1))
    x = alt.X("share:Q", title="share of completions in which it is the Condorcet winner",
              scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1], grid=True))
    base = alt.Chart(alt.Data(values=bars))
    rect = base.mark_bar(height={"band": 0.9}).encode(
        y=y, yOffset=y_offset, x=x,
        color=alt.Color("model:N", sort=models,
                        scale=alt.Scale(domain=models, range=[MODEL_COLOURS[i % len(MODEL_COLOURS)] for i in range(len(models))]),
                        legend=alt.Legend(title="model", orient="bottom")),
        tooltip=[alt.Tooltip("label:N", title="option"), alt.Tooltip("model:N"),
                 alt.Tooltip("share:Q", format=".1%", title="Condorcet winner in")],
    )
    text = base.mark_text(align="left", dx=4, fontSize=11, color="#222").encode(y=y, yOffset=y_offset, x="share:Q", text="text:N")
    chart = alt.layer(rect, text).properties(width=width, height=len(order) * (15 * len(models) + 12))
    return Figure(key, "How sure is the verdict", robustness_caption(checked, source, shown_options(a)), vega_spec(vega_config(chart)))


def robustness_caption(checked: Completions, source: str = "", what: Shown | None = None) -> str:
    """What the completions are, the models and what each assumes, the draws, the seed, the
    electorate and the exact result, in words."""
    r = checked.exact
    label = {i: brief(name, i) for i, name in zip(r.ids, r.labels)}

    def names(ids: Sequence[str]) -> str:
        if len(ids) == len(r.ids) > 2:
            return f"all {len(ids)} options"
        return ", ".join(label[i] for i in ids)

    possible = (f"{names(r.possible)} {'is a' if len(r.possible) == 1 else 'are'} possible Condorcet "
                f"winner{'' if len(r.possible) == 1 else 's'} (the winner in at least one completion)"
                if r.possible else "no option is the Condorcet winner in any completion")
    necessary = (f"{names(r.necessary)} is the necessary Condorcet winner (the winner in every completion)"
                 if r.necessary else "none is the winner in every completion")
    models = "; ".join(f"{c.shares.model}, {MODELS[c.shares.model]}" for c in checked.checks)
    skipped = "".join(f" The {m} model is not drawn here: {why.rstrip('.')}." for m, why in checked.skipped)
    nouns = what.nouns if what is not None else "divisions"
    voted = "voted (or told)" if nouns == "divisions" else "voted"
    where = f" ({what.words})" if what is not None else ""
    return (
        f"Each of the {r.electorate:,} members who {voted} on at least one of these {nouns} had some ranking of "
        "all the options their votes allow: a completion, with every option they voted Aye on above every option they "
        "voted No on, and the rest anywhere. Each bar is the share of "
        f"{checked.draws:,} random completions of every member at once in which that option beats every other head to "
        f"head (the Condorcet winner), under each model of what the votes leave unsaid ({models}); \"{NO_WINNER}\" "
        f"is the share in which no option does. Seed {checked.seed}: the same seed draws the same completions."
        + skipped
        + f" Exact, over every completion: {possible}; {necessary}."
        + f" Data: members' recorded votes in the {nouns} that count for each option{where}"
        + (f", {source}." if source else ".")
    )


def _divisions(a: MajorityAnalysis) -> str:
    return ", ".join(f"{brief(t.option.abbreviation)} {t.division.id}" if len(t.option.abbreviation) <= BRIEF
                     else t.division.id for t in a.options)
