"""The numbers the charts draw, computed here so that the views only lay them out.

- :func:`head_to_head_cells`: every ordered pair of options with its counts and net margin;
- :func:`majority_graph`: the majority graph laid out on a circle — node positions, and for
  each pair an edge from the winner to the loser with its margin, arrowhead and label
  positions, and whether it is part of the majority cycle (up to five options; more are laid
  out in ranked layers by :mod:`tellers.views.report.layered`);
- :func:`division_bars`: each division's votes by party and side, for stacked bars;
- :func:`ideal_point_scale` and :func:`option_labels`: members and options on one scale, and
  where each option's name goes beside its tick;
- :func:`completion_checks`: the verdict over completions of the votes under each model,
  and its Condorcet-winner shares as bars.
"""

from __future__ import annotations

import math

import numpy as np
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from tellers.parliament.head_to_head import MajorityAnalysis
from tellers.parliament.coalitions.house_power import HousePower
from tellers.parliament.house import House
from tellers.parliament.splits import merge_parties
from tellers.parliament.titles import Shown, shown_totals
from tellers.records.store import DivisionResult
from tellers.views.report.layout import spread, text_width

@dataclass(frozen=True)
class Cell:
    """Members preferring ``row`` to ``column``, the reverse, and the net (row minus column)."""

    row: str
    column: str
    column_short: str
    prefer_row: int
    prefer_column: int
    net: int
    outcome: str
    """'wins', 'loses' or 'ties': the row option against the column option."""
    text: str
    strong: bool
    """The net is at least 60% of the largest net in the table (a dark cell)."""


def head_to_head_cells(a: MajorityAnalysis) -> list[Cell]:
    """Every ordered pair (row, column) of distinct options, in option order."""
    short = {t.label: t.option.abbreviation for t in a.options}
    pairs = [(x, y, a.pair(x, y)) for x in short for y in short if x != y]
    largest = max((abs(p.x_over_y - p.y_over_x) for _, _, p in pairs), default=0)
    cells = []
    for x, y, p in pairs:
        net = p.x_over_y - p.y_over_x
        cells.append(Cell(x, y, short[y], p.x_over_y, p.y_over_x, net,
                          "wins" if net > 0 else "loses" if net < 0 else "ties", f"{p.x_over_y}–{p.y_over_x}",
                          largest > 0 and abs(net) >= 0.6 * largest))
    return cells


@dataclass(frozen=True)
class Node:
    label: str
    short: str
    x: float
    y: float
    role: str
    """'Condorcet winner', 'Condorcet loser', 'Smith set' or 'other'."""
    label_x: float
    label_y: float
    align: str
    """'left', 'right' or 'center': how the label sits against (label_x, label_y)."""
    wins: int
    """Head-to-heads this option wins."""


@dataclass(frozen=True)
class Edge:
    winner: str
    loser: str
    margin: int
    tie: bool
    in_cycle: bool
    x: float
    y: float
    x2: float
    y2: float
    label_x: float
    label_y: float
    angle: float
    """Arrowhead direction, degrees clockwise from north."""
    text: str


NODE_RADIUS = 0.15
"""Node radius in the graph's data units (the circle of nodes has radius 1)."""
LABEL_SPOTS = (0.5, 0.4, 0.6, 0.32, 0.68, 0.26, 0.74)
"""Where along an edge (0 = winner, 1 = loser) its margin may be printed, in order of preference."""


def _distance(p: tuple[float, float], q: tuple[float, float]) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def majority_graph(a: MajorityAnalysis) -> tuple[list[Node], list[Edge]]:
    """Nodes evenly spaced on the unit circle (first at the top, clockwise), and one edge
    per pair: from winner to loser, or undirected for a tie."""
    labels = [t.label for t in a.options]
    short = {t.label: t.option.abbreviation for t in a.options}
    n = len(labels)
    pos = {}
    for i, label in enumerate(labels):
        theta = math.pi / 2 - 2 * math.pi * i / n
        pos[label] = (math.cos(theta), math.sin(theta))
    smith = set(a.smith_set)
    nodes = []
    for label in labels:
        x, y = pos[label]
        role = ("Condorcet winner" if label == a.condorcet_winner else "Condorcet loser" if label == a.condorcet_loser
                else "Smith set" if label in smith and len(smith) > 1 else "other")
        align = "left" if x > 0.2 else "right" if x < -0.2 else "center"
        # labels sit just outside the node, on the ray from the centre; a centred label
        # (top or bottom node) needs room for its own height too
        reach = NODE_RADIUS + (0.14 if align == "center" else 0.06)
        nodes.append(Node(label, short[label], x, y, role, x + x * reach, y + y * reach, align, len(a.wins(label))))
    cycle = set()
    if a.cycle:
        ring = list(a.cycle)
        cycle = set(zip(ring, ring[1:] + ring[:1]))
    edges = []
    placed: list[tuple[float, float]] = [pos[label] for label in labels]
    for p in sorted(a.pairwise, key=lambda p: -_distance(pos[p.x], pos[p.y])):
        w, l = (p.x, p.y) if p.winner in (None, p.x) else (p.y, p.x)
        (x1, y1), (x2, y2) = pos[w], pos[l]
        length = _distance(pos[w], pos[l])
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        start = (x1 + ux * NODE_RADIUS, y1 + uy * NODE_RADIUS)
        end = (x2 - ux * (NODE_RADIUS + 0.04), y2 - uy * (NODE_RADIUS + 0.04))
        # the margin goes where it is farthest from the nodes and the labels placed so far:
        # edges crossing at the centre would otherwise print their margins on one another
        spots = [(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t) for t in LABEL_SPOTS]
        spot = max(spots, key=lambda q: min(_distance(q, r) for r in placed))
        placed.append(spot)
        edges.append(Edge(
            w, l, p.margin, p.winner is None, (w, l) in cycle,
            start[0], start[1], end[0], end[1], spot[0], spot[1],
            math.degrees(math.atan2(ux, uy)),
            "tie" if p.winner is None else f"+{p.margin}",
        ))
    order = {(p.x, p.y): i for i, p in enumerate(a.pairwise)}
    edges.sort(key=lambda e: order.get((e.winner, e.loser), order.get((e.loser, e.winner))))
    return nodes, edges


@dataclass(frozen=True)
class Bar:
    division: str
    label: str
    side: str
    """'Ayes', 'Noes' or 'No vote'."""
    party: str
    members: int
    order: int
    """Position of the division in the chart (0 first)."""
    party_rank: int
    """Stacking order of the party (largest party in the first division first)."""


@dataclass(frozen=True)
class BarTotal:
    """One side's total in one division (the number printed at the end of its bar)."""

    division: str
    label: str
    side: str
    members: int
    text: str


SIDES = ("Ayes", "Noes", "No vote")


def division_bars(results: Sequence[tuple[str, DivisionResult]], aliases: Mapping[str, str]) -> list[Bar]:
    """For each (label, division result): members by side and party (parties merged by
    ``aliases``). Tellers are left out, as the official totals leave them out; members in
    both lobbies count on both sides, as the official totals count them."""
    bars: list[Bar] = []
    rank: dict[str, int] = {}
    for order, (label, result) in enumerate(results):
        merged = merge_parties(result, aliases)
        for p in merged.parties:
            rank.setdefault(p.party, len(rank))
            for side, n in (("Ayes", p.aye), ("Ayes", p.both), ("Noes", p.no), ("Noes", p.both), ("No vote", p.no_vote)):
                if n:
                    bars.append(Bar(result.totals.id, label, side, p.party, n, order, rank[p.party]))
    return bars


def division_bar_totals(results: Sequence[tuple[str, DivisionResult]]) -> list[BarTotal]:
    """Each division's Ayes, Noes and No vote as counted from the votes (what the bars add up to)."""
    out = []
    for label, result in results:
        t = result.totals
        for side, n in (("Ayes", t.counted_ayes), ("Noes", t.counted_noes), ("No vote", t.no_vote)):
            out.append(BarTotal(t.id, label, side, n, f"{side} {n}"))
    return out


def division_verdict(result: DivisionResult) -> str:
    """'273–276, lost by 3' from the official totals (counted ones where none), under the
    chamber's rules, the record's result where it gives one."""
    from tellers.views.report.divisions import result_phrase

    t = result.totals
    return f"{t.result_ayes}–{t.result_noes}, " + result_phrase(t.verdict, t.result_ayes, t.result_noes)


def rows(items: Sequence[object]) -> tuple[dict, ...]:
    """Dataclasses as chart data rows: a tuple, which Altair keeps as it is where it copies a
    list row by row each time a chart is layered or configured."""
    return tuple(asdict(i) for i in items)


# --------------------------------------------------------------------------- power and what it would take


@dataclass(frozen=True)
class PowerBar:
    party: str
    players: int
    members: int
    shapley_shubik: float
    banzhaf: float
    text: str


def power_bars(p: HousePower) -> list[PowerBar]:
    """Each party's (bloc's) summed Shapley-Shubik and Banzhaf index, largest party first."""
    weights = dict(zip(p.power.game.players, p.power.game.weights))
    out = []
    for bloc, players in p.blocs.items():
        ss, bz = p.power.total(players)
        out.append(PowerBar(bloc, len(players), sum(weights[q] for q in players), float(ss), float(bz), f"{float(ss):.1%}"))
    return out


@dataclass(frozen=True)
class SwitchBar:
    """How many members of one party change their vote one way, in the fewest changes that flip a division."""

    division: str
    label: str
    party: str
    change: str
    """e.g. 'no → aye'."""
    members: int
    order: int


@dataclass(frozen=True)
class SwitchTotal:
    division: str
    label: str
    fewest_changes: int
    text: str


def switch_bars(flips: Sequence[tuple[str, object]]) -> tuple[list[SwitchBar], list[SwitchTotal]]:
    """For each (label, :class:`~tellers.parliament.coalitions.whatif.DivisionFlip`): its changes counted
    by party and direction, and the total with the result it would give."""
    bars, totals = [], []
    for order, (label, flip) in enumerate(flips):
        counts: dict[tuple[str, str], int] = {}
        for c in flip.changes:
            key = (c.party, f"{c.from_.replace('_', ' ')} → {c.to.replace('_', ' ')}")
            counts[key] = counts.get(key, 0) + 1
        bars += [SwitchBar(flip.division.id, label, party, change, n, order) for (party, change), n in counts.items()]
        verdict = "fails" if flip.passed else "passes"  # the changes reverse the result, under the chamber's rules
        totals.append(SwitchTotal(flip.division.id, label, flip.fewest_changes,
                                  f"{flip.fewest_changes} → {flip.ayes_after}–{flip.noes_after}, {verdict}"))
    return bars, totals


# --------------------------------------------------------------------------- ideal points


@dataclass(frozen=True)
class MemberPoint:
    party: str
    position: float
    jitter: float
    """A vertical offset in [-1, 1] that spreads a party's members (a strip plot, not data)."""
    name: str


@dataclass(frozen=True)
class OptionPoint:
    label: str
    short: str
    division: str
    position: float


@dataclass(frozen=True)
class Scale:
    members: list[MemberPoint]
    options: list[OptionPoint]
    parties: list[str]
    """Parties in order of their median position."""
    domain: tuple[float, float]
    correct: float
    apre: float
    divisions: int
    dropped_votes: int
    dropped_members: int
    extremes: tuple[str, str]
    """The options at the low and the high end of the scale."""
    fitted: Shown
    """The divisions the scale was fitted to: how many, of which chamber, when."""


GOLDEN = 0.6180339887498949


def ideal_point_scale(house: House, a: MajorityAnalysis) -> Scale:
    """Members on a 1-D ideal-point scale fitted to every division of the house, and the
    options of ``a`` placed on the same scale (:mod:`tellers.parliament.preferences.idealpoints` and
    :mod:`tellers.parliament.preferences.spatial`, as `tellers idealpoints`)."""
    from tellers.parliament.preferences.spatial import chamber_scale, place_options

    fit, votes = chamber_scale(house, a.options[0].division.chamber)
    model = place_options(fit, votes, [t.option for t in a.options], [t.division.id for t in a.options])
    x = fit.positions[:, 0]
    members = []
    seen: dict[str, int] = {}
    for i in np.argsort(x, kind="stable"):
        k = seen.get(fit.parties[i], 0)
        seen[fit.parties[i]] = k + 1
        members.append(MemberPoint(fit.parties[i], float(x[i]), (k * GOLDEN) % 1 * 2 - 1, fit.names[i]))
    short = {t.label: t.option.abbreviation for t in a.options}
    placed = sorted(model.options, key=lambda o: float(o.position[0]))
    options = [OptionPoint(o.label, short.get(o.label, o.label), o.division, float(o.position[0])) for o in placed]
    every = [m.position for m in members] + [o.position for o in options]
    medians = fit.party_medians()
    scaled = set(fit.votes)
    return Scale(
        members, options, list(medians), (min(every) - 0.2, max(every) + 0.2), fit.correct, fit.apre,
        len(fit.votes), len(fit.dropped.votes), len(fit.dropped.members), (placed[0].label, placed[-1].label),
        shown_totals([t for t in house.divisions() if t.id in scaled]),
    )


@dataclass(frozen=True)
class OptionLabel:
    """Where an option's name goes above the scale: ``row`` 0 lowest, centred at ``label_position``
    (on the scale's units), joined to its tick at ``position`` by a leader line."""

    label: str
    short: str
    division: str
    position: float
    label_position: float
    row: int


LABEL_SIZE = 12
"""Font size (px, bold) of the options' names above the ideal-point scale."""


def option_labels(options: Sequence[OptionPoint], domain: tuple[float, float], width: float) -> list[OptionLabel]:
    """Each option's name as near above its tick as the others leave room for, in as few rows
    as fit a chart ``width`` pixels wide on ``domain``; a name never overlaps another."""
    lo, hi = domain
    px = [(o.position - lo) / (hi - lo) * width for o in options]
    widths = [text_width(o.short, LABEL_SIZE, bold=True) for o in options]
    for rows in range(1, len(options) + 1):
        placed = {r: spread(px[r::rows], widths[r::rows], 0, width, 10) for r in range(rows)}
        if all(v is not None for v in placed.values()):
            break
    centres = {i: (placed[i % rows] or px[i % rows::rows])[i // rows] for i in range(len(options))}  # too wide: as wished
    return [OptionLabel(o.label, o.short, o.division, o.position, lo + centres[i] / width * (hi - lo), i % rows)
            for i, o in enumerate(options)]
