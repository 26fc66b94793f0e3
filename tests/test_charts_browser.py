"""Charts that read at a glance (issue 17): the majority graph's ranked layers, and the report's
charts as Chromium draws them — whole labels, none overlapping another, no sideways scroll.

The layout tests need no browser. The browser tests render the report (every section, the
bundled case) in Debian's headless Chromium driven by Playwright, as tests/test_browser.py
does, and skip where either is absent. They read each chart's Vega view (the report keeps
them in ``window.tellersViews``) and walk its scenegraph's text items.
"""

from __future__ import annotations

import json
import struct
from itertools import combinations, pairwise
from pathlib import Path

import numpy as np
import pytest

from tellers.parliament.cases import load_case
from tellers.parliament.head_to_head import analyse_majority, analyse_options
from tellers.parliament.house import CaseHouse
from tellers.parliament.options import Option
from tellers.records.model import Division, VoteKind
from tellers.records.patterns import KINDS, VotingPatterns
from tellers.views.report.figures import ideal_point_scale, option_labels
from tellers.views.report.layered import layered_graph
from tellers.views.report.layout import spread, text_width

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT = 60_000
MARCH = [str(d) for d in range(655, 663)]
FIGURES = ("divisions", "head-to-head", "majority-graph", "robustness", "ideal-points", "whatif", "power")
CHECKED = [f"{q}-{c}" for q in ("1apr", "27mar") for c in ("head-to-head", "majority-graph", "ideal-points", "divisions")]


@pytest.fixture(scope="module")
def house() -> CaseHouse:
    return CaseHouse(load_case())


# --------------------------------------------------------------------------- the layered layout


def test_march_in_ranked_layers(house):
    a = analyse_options(house, MARCH)
    g = layered_graph(a)
    assert g.layers == (
        ("Customs union",),
        ("Confirmatory public vote", "Revoke to avoid no deal", "Common Market 2.0", "Labour's alternative plan"),
        ("No deal",),
        ("Contingent preferential arrangements",),
        ("EFTA and EEA",),
    )
    assert set(g.layers[0]) == set(a.smith_set) == {"Customs union"}
    layer = {x: r for r, row in enumerate(g.layers) for x in row}
    drawn = {(e.winner, e.loser) for e in g.arrows}
    # every pair in one layer or adjacent layers is drawn, and no other
    assert drawn == {(w, l) for w, l in _oriented(a) if abs(layer[w] - layer[l]) <= 1}
    assert len(g.arrows) == 16 and sum(e.within for e in g.arrows) == 6
    assert len(g.omitted) == 12 and set(g.omitted) | drawn == set(_oriented(a))
    for w, l in g.omitted:  # left out: each points down past a layer, and is a win
        assert layer[l] - layer[w] >= 2 and a.pair(w, l).winner == w
    # the one tie (Labour's plan and the public vote, 25-25) is inside the second layer
    ties = [e for e in g.arrows if e.tie]
    assert [(e.winner, e.loser, e.text) for e in ties] == [("Labour's alternative plan", "Confirmatory public vote", "tie")]
    assert [p.short for p in g.pills] == ["CU", "Public vote", "Revoke", "CM2.0", "Labour plan", "No deal", "Pref. arr.", "EFTA/EEA"]
    assert [p.wins_text for p in g.pills] == ["7 wins", "5 wins", "5 wins", "4 wins", "3 wins", "2 wins", "1 win", "0 wins"]
    _no_labels_overlap(g)


def test_a_cycle_is_drawn_inside_its_layer():
    """Three options in a majority cycle above three in a chain: the cycle is the top layer, and
    its three arrows are drawn (in red); the arrows that skip a layer are left out."""
    aye, no, absent = (KINDS.index(k) for k in (VoteKind.AYE, VoteKind.NO, VoteKind.NO_VOTE))
    ids = "abcdef"
    votes = [  # bloc: {option: vote}
        ({"a": aye, "b": no}, 3), ({"b": aye, "c": no}, 3), ({"c": aye, "a": no}, 3),
        ({"a": aye, "b": aye, "c": aye, "d": no, "e": no, "f": no}, 1), ({"d": aye, "e": no, "f": no}, 1),
        ({"e": aye, "f": no}, 1),
    ]
    codes = np.array([[bloc.get(d, absent) for d in ids] for bloc, _ in votes], dtype=np.int8)
    patterns = VotingPatterns(tuple(ids), tuple("PQRSTU"), codes, np.array([n for _, n in votes]))
    a = analyse_majority(patterns, [Option(d, d.upper(), (d,)) for d in ids], {d: Division(d, "test", None, d) for d in ids})
    g = layered_graph(a)
    assert [set(row) for row in g.layers] == [{"A", "B", "C"}, {"D"}, {"E"}, {"F"}]
    assert {(e.winner, e.loser) for e in g.arrows if e.in_cycle} == {("A", "B"), ("B", "C"), ("C", "A")}
    assert all(e.within for e in g.arrows if e.in_cycle)
    assert {(e.winner, e.loser) for e in g.arrows if not e.within} == {("A", "D"), ("B", "D"), ("C", "D"), ("D", "E"), ("E", "F")}
    assert sorted(g.omitted) == sorted([(x, y) for x in "ABC" for y in "EF"] + [("D", "F")])
    assert {p.role for p in g.pills if p.layer == 0} == {"Smith set"}
    _no_labels_overlap(g)


def _oriented(a) -> list[tuple[str, str]]:
    return [(p.x, p.y) if p.winner in (None, p.x) else (p.y, p.x) for p in a.pairwise]


def _no_labels_overlap(g) -> None:
    """The margins' labels, as the layout sizes them, overlap neither one another nor a box."""
    half = {e.text: text_width(e.text, 12, True) / 2 for e in g.arrows}
    labels = [(e.label_x - half[e.text], e.label_y - 7, e.label_x + half[e.text], e.label_y + 7) for e in g.arrows]
    boxes = labels + [(p.x1, p.y1, p.x2, p.y2) for p in g.pills]
    for i, j in combinations(range(len(boxes)), 2):
        assert not _overlap(boxes[i], boxes[j]), (boxes[i], boxes[j])
    assert all(0 <= b[0] and b[2] <= g.width and 0 <= b[1] and b[3] <= g.height for b in boxes)


def test_spread_packs_labels_as_near_their_places_as_fits():
    assert spread([10, 12], [20, 20], 0, 100, 4) == [10.0, 34.0]  # pushed apart, kept inside the line
    assert spread([50, 90], [20, 20], 0, 100, 4) == [50.0, 90.0]  # room enough: where they are wished
    assert spread([60, 60], [20, 20], 0, 100, 4) == [48.0, 72.0]  # a clash: both move, as little as can be
    assert spread([10, 12], [60, 60], 0, 100, 4) is None


def test_ideal_point_labels_sit_in_one_row_without_overlap(house):
    scale = ideal_point_scale(house, analyse_options(house, MARCH))
    labels = option_labels(scale.options, scale.domain, 620)
    assert [o.short for o in labels] == ["CM2.0", "CU", "Labour plan", "Revoke", "Public vote", "EFTA/EEA", "No deal", "Pref. arr."]
    assert {o.row for o in labels} == {0}
    lo, hi = scale.domain
    px = [((o.label_position - lo) / (hi - lo) * 620, text_width(o.short, 12, True)) for o in labels]
    assert all(x - w / 2 >= 0 and x + w / 2 <= 620 for x, w in px)
    assert all(x2 - w2 / 2 - (x1 + w1 / 2) >= 10 - 1e-9 for (x1, w1), (x2, w2) in pairwise(px))


# --------------------------------------------------------------------------- in the browser

TEXTS = """key => {
  const out = [];
  const walk = (mark, ox, oy) => {
    for (const item of mark.items || []) {
      if (mark.marktype === 'group') {
        for (const child of item.items || []) walk(child, ox + (item.x || 0), oy + (item.y || 0));
      } else if (mark.marktype === 'text') {
        const text = Array.isArray(item.text) ? item.text.join('\\n') : (item.text == null ? '' : String(item.text));
        if (!text.trim()) continue;
        const b = item.bounds, hidden = item.opacity === 0;  // e.g. a label Vega hid as it overlapped another
        out.push({text, hidden, role: mark.role || '', x1: ox + b.x1, y1: oy + b.y1, x2: ox + b.x2, y2: oy + b.y2});
      }
    }
  };
  walk(window.tellersViews[key].scenegraph().root, 0, 0);
  return out;
}"""
"""Every text item of a chart's Vega view, with its bounds in the view's coordinates and whether
it is hidden."""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium package (.ci/run does) to run the browser tests")
    api = pytest.importorskip("playwright.sync_api", reason="playwright (the test extra) is not installed")
    with api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory, house) -> Path:
    from tellers.views.report.html import build_report

    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(build_report(house), encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=[1024, 1400])
def page(request, browser, report):
    page = browser.new_page(viewport={"width": request.param, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report.as_uri())
    page.wait_for_function(f"Object.keys(window.tellersViews || {{}}).length === {2 * len(FIGURES)}", timeout=TIMEOUT)
    yield page
    assert errors == []
    page.close()


def test_no_sideways_scroll_and_every_chart_fits(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    keys = page.evaluate("Object.keys(window.tellersViews)")
    assert sorted(keys) == sorted(f"{q}-{c}" for q in ("1apr", "27mar") for c in FIGURES)
    for key in keys:
        chart = page.locator(f"#chart-{key}")
        png = chart.screenshot()
        shot_width, shot_height = struct.unpack(">II", png[16:24])
        box = chart.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, key
        assert 300 <= shot_width <= width and 150 <= shot_height, (key, shot_width, shot_height)
        drawn = page.locator(f"#chart-{key} svg.marks").bounding_box()
        assert drawn["x"] + drawn["width"] <= box["x"] + box["width"] + 0.5, key  # the whole chart shows: none scrolls in its box


@pytest.mark.parametrize("key", CHECKED)
def test_labels_whole_and_apart(page, key):
    texts = page.evaluate(TEXTS, key)
    assert len(texts) >= 10 and not [t["text"] for t in texts if t["hidden"]]
    for a, b in combinations(texts, 2):
        halo = a["text"] == b["text"] and all(abs(a[k] - b[k]) < 0.5 for k in ("x1", "y1", "x2", "y2"))
        if halo:  # a margin's white halo, drawn under the margin itself
            continue
        assert not _overlap(*(tuple(t[k] for k in ("x1", "y1", "x2", "y2")) for t in (a, b))), (key, a, b)
    assert not [t["text"] for t in texts if t["text"].endswith("…")]
    shown = page.eval_on_selector_all(f"#chart-{key} svg text", "els => els.map(e => e.textContent)")
    assert shown and not [t for t in shown if "…" in t], key  # nothing cut short by a label limit
    spec = json.loads(page.eval_on_selector(f'script[data-target="chart-{key}"]', "el => el.textContent"))
    assert sorted(t["text"] for t in texts if t["role"] == "axis-title") == sorted(_axis_titles(spec))


def test_axis_titles_as_written(page):
    titles = {key: sorted(t["text"] for t in page.evaluate(TEXTS, key) if t["role"] == "axis-title") for key in CHECKED}
    assert titles["27mar-head-to-head"] == ["members preferring this option", "to this option"]
    assert titles["1apr-ideal-points"] == ["position on the fitted scale"]
    assert titles["27mar-majority-graph"] == []


def _axis_titles(spec: dict) -> set[str]:
    """The titles a spec gives its x and y axes (a channel drawn without an axis has none)."""
    out = set()
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            enc = (spec.get("encoding") or {}).get(channel)
            if isinstance(enc, dict) and isinstance(enc.get("title"), str) and enc.get("axis", {}) is not None:
                out.add(enc["title"])
        for key in ("layer", "vconcat", "hconcat", "concat"):
            for part in spec.get(key, []):
                out |= _axis_titles(part)
    return out


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
