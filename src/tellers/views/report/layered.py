"""The majority graph in ranked layers: what the chart of more options than a circle shows
clearly draws (:func:`layered_graph`).

The layers are the successive Smith sets (:func:`tellers.ballots.rules.kemeny.smith_layers`):
the Smith set on top, then the Smith set of the options left, and so on. They are the
condensation of the beats-or-ties relation, so every option beats every option in every
layer below its own: the graph draws the arrows between adjacent layers and every arrow
inside a layer (a layer of several options is a cycle of wins and ties), and leaves out
the arrows that skip a layer, which all point down. In a row, options run in order of
their wins inside the layer; arrows between neighbours are straight, the others arc over
the row (left to right) or under it (right to left, and ties).

Everything is in pixels, y downwards; labels are sized by :func:`layout.text_width` and
placed so that no two overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from tellers.ballots.rules.kemeny import smith_layers
from tellers.parliament.head_to_head import MajorityAnalysis
from tellers.views.report.layout import text_width

NAME_SIZE, WINS_SIZE, MARGIN_SIZE = 13, 11, 12
"""Font sizes (px) of an option's name, its count of wins and an arrow's margin."""
PILL_HEIGHT = 40
PILL_PADDING = 12
NEIGHBOUR_GAP = 64
"""Pixels between neighbours in a row: room for the arrow between them and its margin."""
ZONE = 70
"""Pixels between one row's pills and the next's, besides the room their arcs take."""
ARC_RISE, ARC_STEP = 26, 16
"""How far an arc rises above (or sinks below) its row: the first, and each further skip."""
PORT_SPACING = 22
"""Pixels between the points where arrows meet one side of a box (closer on a narrow box)."""
LABEL_HEIGHT = 15
SPOTS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8)
"""Where along an arrow (0 = winner, 1 = loser) its margin may be printed, in order of preference."""


@dataclass(frozen=True)
class Pill:
    """An option: a rounded box at (x, y) with its short name and count of wins."""

    label: str
    short: str
    role: str
    wins: int
    layer: int
    x: float
    y: float
    x1: float
    x2: float
    y1: float
    y2: float
    wins_text: str


@dataclass(frozen=True)
class Arrow:
    """A drawn arrow from ``winner`` to ``loser`` (a dashed line for a tie) along ``path``."""

    winner: str
    loser: str
    margin: int
    tie: bool
    in_cycle: bool
    within: bool
    """Both options are in one layer."""
    path: tuple[tuple[float, float], ...]
    angle: float
    """Arrowhead direction at the end of the path, degrees clockwise from north (y up)."""
    label_x: float
    label_y: float
    text: str


@dataclass(frozen=True)
class LayeredGraph:
    layers: tuple[tuple[str, ...], ...]
    """Options by layer, top (the Smith set) first, each in its row's order."""
    pills: tuple[Pill, ...]
    arrows: tuple[Arrow, ...]
    omitted: tuple[tuple[str, str], ...]
    """(winner, loser) of the arrows left out: from a layer to one two or more below it."""
    width: float
    height: float


def role(a: MajorityAnalysis, label: str) -> str:
    """'Condorcet winner', 'Condorcet loser', 'Smith set' or 'other'."""
    smith = set(a.smith_set)
    return ("Condorcet winner" if label == a.condorcet_winner else "Condorcet loser" if label == a.condorcet_loser
            else "Smith set" if label in smith and len(smith) > 1 else "other")


def ranked_layers(a: MajorityAnalysis) -> list[list[str]]:
    """The successive Smith sets, each ordered by its members' wins (a tie a half) inside it,
    then as the options are listed."""
    names = a.profile.candidates
    out = []
    for layer in smith_layers(a.profile.margins):
        members = [names[i] for i in layer]
        out.append(sorted(members, key=lambda x, among=members: -_score(a, x, among)))  # stable: the options' order breaks ties
    return out


def _score(a: MajorityAnalysis, x: str, among: list[str]) -> float:
    """``x``'s wins among ``among``, a tie a half."""
    return sum(1.0 if a.pair(x, y).winner == x else 0.5 if a.pair(x, y).winner is None else 0.0 for y in among if y != x)


def layered_graph(a: MajorityAnalysis, width: float = 640) -> LayeredGraph:
    """The layout of ``a``'s majority graph in ranked layers, in a chart ``width`` pixels wide
    (wider if a row needs it)."""
    layers = ranked_layers(a)
    where = {x: (r, i) for r, row in enumerate(layers) for i, x in enumerate(row)}
    pairs = [(w, l, p) for p in a.pairwise for w, l in [(p.x, p.y) if p.winner in (None, p.x) else (p.y, p.x)]]
    kept = [(w, l, p) for w, l, p in pairs if abs(where[w][0] - where[l][0]) <= 1]
    sides = {(w, l): _sides(where, w, l, p.winner is None) for w, l, p in kept}
    pills, width, height = _pills(a, layers, sides, width)
    ports = _ports(pills, sides)
    paths = {k: _path(pills[k[0]], pills[k[1]], side, ports) for k, side in sides.items()}
    boxes = [(p.x1 - 3, p.y1 - 3, p.x2 + 3, p.y2 + 3) for p in pills.values()]
    texts = {(w, l): "tie" if p.winner is None else f"+{p.margin}" for w, l, p in kept}
    spots = {}
    for k in sorted(paths, key=lambda k: pills[k[0]].layer != pills[k[1]].layer):  # a row's labels first: they cannot move
        others = [q for j, q in paths.items() if j != k]
        spots[k] = _label_spot(paths[k], texts[k], boxes, others, fixed=pills[k[0]].layer == pills[k[1]].layer)
        boxes.append(_box(spots[k], texts[k]))
    cycle = set(zip(a.cycle, a.cycle[1:] + a.cycle[:1])) if a.cycle else set()
    arrows = []
    for w, l, p in kept:
        (xa, ya), (xb, yb) = paths[w, l][-2:]
        arrows.append(Arrow(w, l, p.margin, p.winner is None, (w, l) in cycle, pills[w].layer == pills[l].layer,
                            paths[w, l], math.degrees(math.atan2(xb - xa, ya - yb)), *spots[w, l], texts[w, l]))
    return LayeredGraph(tuple(tuple(row) for row in layers), tuple(pills[x] for row in layers for x in row),
                        tuple(arrows), tuple((w, l) for w, l, _ in pairs if abs(where[w][0] - where[l][0]) > 1),
                        width, height)


Box = tuple[float, float, float, float]
Path = tuple[tuple[float, float], ...]
Sides = tuple[str | None, str | None, int]
"""The sides of the winner's and the loser's boxes an arrow joins ('top', 'bottom', or None for
the facing sides of neighbours in a row), and how many places apart in a row they are (0:
different rows)."""


def _sides(where: dict[str, tuple[int, int]], w: str, l: str, tie: bool) -> Sides:
    (rw, iw), (rl, il) = where[w], where[l]
    if rw != rl:
        return ("bottom", "top", 0) if rw < rl else ("top", "bottom", 0)
    skip = abs(iw - il)
    if skip == 1:
        return None, None, 1
    side = "top" if iw < il and not tie else "bottom"  # over the row left to right; under it right to left, and ties
    return side, side, skip


def _rise(skip: int) -> float:
    return ARC_RISE + ARC_STEP * (skip - 2)


def _pills(a: MajorityAnalysis, layers: list[list[str]], sides: dict[tuple[str, str], Sides],
           width: float) -> tuple[dict[str, Pill], float, float]:
    """The options' boxes, each row centred, the rows as far apart as their arcs need; and the
    chart's width and height."""
    short = {t.label: t.option.abbreviation for t in a.options}
    wins = {t.label: len(a.wins(t.label)) for t in a.options}
    counted = {x: f"{n} win{'' if n == 1 else 's'}" for x, n in wins.items()}
    size = {x: max(text_width(short[x], NAME_SIZE, True), text_width(counted[x], WINS_SIZE)) + 2 * PILL_PADDING
            for x in short}
    rows = [sum(size[x] for x in row) + NEIGHBOUR_GAP * (len(row) - 1) for row in layers]
    width = max(width, max(rows) + 2 * PILL_PADDING)
    layer = {x: r for r, row in enumerate(layers) for x in row}

    def room(r: int, side: str) -> float:
        """Pixels the arcs of row ``r`` and their labels take on ``side`` of it."""
        skips = [skip for (w, _), (s, _, skip) in sides.items() if skip > 1 and s == side and layer[w] == r]
        return _rise(max(skips)) + LABEL_HEIGHT / 2 + 2 if skips else 0.0

    pills, y = {}, room(0, "top") + PILL_HEIGHT / 2 + 4
    for r, row in enumerate(layers):
        if r:
            y += PILL_HEIGHT + ZONE + room(r - 1, "bottom") + room(r, "top")
        x = (width - rows[r]) / 2
        for name in row:
            pills[name] = Pill(name, short[name], role(a, name), wins[name], r, x + size[name] / 2, y, x, x + size[name],
                               y - PILL_HEIGHT / 2, y + PILL_HEIGHT / 2, counted[name])
            x += size[name] + NEIGHBOUR_GAP
    return pills, width, y + PILL_HEIGHT / 2 + room(len(layers) - 1, "bottom") + 4


def _ports(pills: dict[str, Pill], sides: dict[tuple[str, str], Sides]) -> dict[tuple[str, str], float]:
    """Where each arrow meets each of its boxes: (box, other end) -> x offset from the box's
    centre. Arrows sharing a side are spread along it in the order of the directions they come
    from, so that they neither meet in one point nor cross at the box."""
    ends: dict[tuple[str, str], list[str]] = {}
    for (w, l), (at_w, at_l, _) in sides.items():
        for box, side, other in ((w, at_w, l), (l, at_l, w)):
            if side is not None:
                ends.setdefault((box, side), []).append(other)
    offsets = {}
    for (box, _), others in ends.items():
        p = pills[box]
        others.sort(key=lambda o: math.atan2(pills[o].x - p.x, abs(pills[o].y - p.y)))
        spacing = min(PORT_SPACING, 0.7 * (p.x2 - p.x1) / max(len(others) - 1, 1))
        for i, o in enumerate(others):
            offsets[box, o] = (i - (len(others) - 1) / 2) * spacing
    return offsets


def _path(w: Pill, l: Pill, sides: Sides, ports: dict[tuple[str, str], float]) -> Path:
    """An arrow from ``w`` to ``l``: straight between rows and between neighbours in a row,
    else an arc over the row or under it."""
    at_w, at_l, skip = sides
    if at_w is None:
        right = w.x < l.x
        return ((w.x2 + 2, w.y) if right else (w.x1 - 2, w.y), (l.x1 - 6, l.y) if right else (l.x2 + 6, l.y))
    start = (w.x + ports[w.label, l.label], (w.y1 - 2) if at_w == "top" else (w.y2 + 2))
    end = (l.x + ports[l.label, w.label], (l.y1 - 6) if at_l == "top" else (l.y2 + 6))
    if not skip:
        return start, end
    sign = -1 if at_w == "top" else 1  # y runs down
    control = ((start[0] + end[0]) / 2, start[1] + sign * 2 * _rise(skip))
    steps = 24
    return tuple(
        ((1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t * t * end[0],
         (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t * t * end[1])
        for t in (i / steps for i in range(steps + 1))
    )


def _box(centre: tuple[float, float], text: str) -> Box:
    half = text_width(text, MARGIN_SIZE, True) / 2 + 2
    return (centre[0] - half, centre[1] - LABEL_HEIGHT / 2, centre[0] + half, centre[1] + LABEL_HEIGHT / 2)


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _hits(box: Box, path: Path) -> bool:
    """Whether ``path`` runs through ``box`` (Liang-Barsky, segment by segment)."""
    for (xa, ya), (xb, yb) in pairwise(path):
        t0, t1, dx, dy = 0.0, 1.0, xb - xa, yb - ya
        for p, q in ((-dx, xa - box[0]), (dx, box[2] - xa), (-dy, ya - box[1]), (dy, box[3] - ya)):
            if p == 0:
                if q < 0:
                    break
            elif p < 0:
                t0 = max(t0, q / p)
            else:
                t1 = min(t1, q / p)
            if t0 > t1:
                break
        else:
            return True
    return False


def _label_spot(path: Path, text: str, boxes: list[Box], others: list[Path], fixed: bool) -> tuple[float, float]:
    """Where an arrow's margin goes: an arc's at its crest, above a straight arrow inside a row;
    along an arrow between rows, where it overlaps no box or label and crosses fewest arrows."""
    if fixed:
        if len(path) > 2:
            return path[len(path) // 2]
        return ((path[0][0] + path[1][0]) / 2, path[0][1] - 9)
    (xa, ya), (xb, yb) = path
    candidates = [(xa + (xb - xa) * t, ya + (yb - ya) * t) for t in SPOTS]

    def cost(spot: tuple[float, float]) -> tuple[float, int]:
        box = _box(spot, text)
        return sum(_overlap(box, b) for b in boxes), sum(_hits(box, q) for q in others)
    return min(candidates, key=cost)  # min keeps the first of equals: the preferred spot
