"""The HTML report: one self-contained file that opens offline and holds every chart."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from tellers.parliament.cases import load_case
from tellers.views.cli import app as cli
from tellers.parliament.head_to_head import analyse_options
from tellers.parliament.house import CaseHouse
from tellers.views.report.colours import PARTY_COLOURS, party_colour
from tellers.views.report.html import build_report, catalogue_sections

runner = CliRunner()
CHARTS = ("divisions", "head-to-head", "majority-graph", "robustness", "ideal-points", "whatif", "power")
APRIL = ["666", "667", "668", "669", "664"]
MARCH = [str(d) for d in range(655, 663)]


class Page(HTMLParser):
    """The report's external references, its figures and their Vega-Lite specs."""

    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []
        self.specs: dict[str, dict] = {}
        self.titles: dict[str, str] = {}
        self.captions: list[str] = []
        self.figures: list[str] = []
        self._spec: dict | None = None
        self._caption = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "href", "data"):
            value = a.get(key) or ""
            if re.match(r"^\s*(https?:)?//", value):
                self.external.append(f"<{tag} {key}={value}>")
        if tag == "link" and a.get("rel") == "stylesheet":
            self.external.append("a stylesheet link")
        if tag == "script" and a.get("src"):
            self.external.append(f"<script src={a['src']}>")
        if tag == "script" and a.get("class") == "vega-lite":
            self._spec = a
        if tag == "figure":
            self.figures.append(a["id"])
        if tag == "figcaption":
            self._caption = True
            self.captions.append("")

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._caption = False

    def handle_data(self, data):
        if self._spec is not None:
            key = self._spec["data-target"].removeprefix("chart-")
            self.specs[key] = json.loads(data)
            self.titles[key] = self._spec["data-title"]
            self._spec = None
        elif self._caption:
            self.captions[-1] += data


@pytest.fixture(scope="module")
def house() -> CaseHouse:
    return CaseHouse(load_case())


@pytest.fixture(scope="module")
def page(house) -> Page:
    p = Page()
    p.feed(build_report(house))
    return p


@pytest.fixture(scope="module")
def document(house) -> str:
    return build_report(house)


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def mark(layer: dict) -> str:
    m = layer["mark"]
    return m if isinstance(m, str) else m["type"]


def values(layer: dict, spec: dict | None = None) -> list[dict]:
    """A layer's data rows (Altair puts data the layers share on the layered spec)."""
    return (layer.get("data") or spec["data"])["values"]


def test_opens_offline(document, page):
    assert page.external == []
    # no script or stylesheet is loaded from anywhere: the Vega bundle is inline
    assert not re.search(r"<script[^>]+src=", document)
    assert not re.search(r"<link[^>]+href=", document)
    assert "vegaEmbed" in document and "window.vegaEmbed" in document
    for spec in page.specs.values():
        assert "$schema" not in json.dumps(spec)  # nothing for a browser to look up


def test_every_spec_is_valid_vega_lite(page):
    # the report skips Altair's checks for speed (charts.vega_spec): the specs are checked here
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    for key, spec in page.specs.items():
        assert validate_jsonschema(spec, schema, raise_error=False) is None, key


def test_every_chart_is_there_with_a_caption(page):
    expected = [f"{q}-{c}" for q in ("1apr", "27mar") for c in CHARTS]
    assert page.figures == expected
    assert sorted(page.specs) == sorted(expected)
    assert len(page.captions) == len(expected)
    for caption in page.captions:
        assert "Data:" in caption and len(caption) > 150


def test_division_bars(page, house):
    for q, ids in (("1apr", APRIL), ("27mar", MARCH)):
        spec = page.specs[f"{q}-divisions"]
        assert page.titles[f"{q}-divisions"] == "How each division went, by party"
        bars, totals = layers(spec)
        assert mark(bars) == "bar" and mark(totals) == "text"
        assert bars["encoding"]["color"]["field"] == "party"
        assert bars["encoding"]["yOffset"]["field"] == "side"
        rows = values(bars)
        assert {r["division"] for r in rows} == set(ids)
        assert len(values(totals)) == 3 * len(ids)
        for d in ids:
            result = house.division(d)
            ayes = sum(r["members"] for r in rows if r["division"] == d and r["side"] == "Ayes")
            noes = sum(r["members"] for r in rows if r["division"] == d and r["side"] == "Noes")
            assert (ayes, noes) == (result.totals.ayes, result.totals.noes)
        # Labour (Co-op) is drawn as Labour, in Labour's colour
        scale = bars["encoding"]["color"]["scale"]
        assert "Labour (Co-op)" not in scale["domain"]
        assert dict(zip(scale["domain"], scale["range"]))["Labour"] == "#E4003B"
        assert dict(zip(scale["domain"], scale["range"]))["Conservative"] == "#0087DC"


def test_head_to_head_heat_map(page, house):
    for q, ids in (("1apr", APRIL), ("27mar", MARCH)):
        spec = page.specs[f"{q}-head-to-head"]
        rect, text = layers(spec)
        assert mark(rect) == "rect" and mark(text) == "text"
        rows = values(rect, spec)
        n = len(ids)
        assert len(rows) == n * (n - 1)
        a = analyse_options(house, ids)
        for r in rows:
            p = a.pair(r["row"], r["column"])
            assert (r["prefer_row"], r["prefer_column"], r["net"]) == (p.x_over_y, p.y_over_x, p.x_over_y - p.y_over_x)
            assert r["text"] == f"{p.x_over_y}–{p.y_over_x}"


def test_majority_graph(page, house):
    # five options on a circle, every arrow drawn; eight in ranked layers, the 12 arrows that skip a layer left out
    for q, ids, winner, drawn, node in (("1apr", APRIL, "Customs union", 10, "circle"), ("27mar", MARCH, "Customs union", 16, "rect")):
        spec = page.specs[f"{q}-majority-graph"]
        assert page.titles[f"{q}-majority-graph"] == "The majority graph"
        marks = [mark(layer) for layer in layers(spec)]
        assert marks[:2] == (["rule", "point"] if node == "circle" else ["line", "point"]) and node in marks
        n = len(ids)
        edges = values(layers(spec)[marks.index("text")])
        assert len(edges) == drawn
        nodes = values(layers(spec)[marks.index(node)])
        assert len(nodes) == n
        assert [node["label"] for node in nodes if node["role"] == "Condorcet winner"] == [winner]
        assert next(node["wins"] for node in nodes if node["label"] == winner) == n - 1
        a = analyse_options(house, ids)
        for e in edges:
            p = a.pair(e["winner"], e["loser"])
            assert e["margin"] == p.x_over_y - p.y_over_x >= 0
            assert e["tie"] == (e["margin"] == 0)
        assert not any(e["in_cycle"] for e in edges)
    caption = page.captions[page.figures.index("27mar-majority-graph")]
    assert "in 5 ranked layers" in caption and "Left out: the 12 arrows that would skip a layer" in caption


def test_fewest_switches(page, house):
    from tellers.parliament.coalitions.whatif import whatif_division

    for q, ids in (("1apr", APRIL), ("27mar", MARCH)):
        spec = page.specs[f"{q}-whatif"]
        assert page.titles[f"{q}-whatif"].startswith("What it would take")
        bars, totals = layers(spec)
        assert mark(bars) == "bar" and mark(totals) == "text"
        assert [t["division"] for t in values(totals)] == ids
        for d in ids:
            flip = whatif_division(house, d)
            assert sum(b["members"] for b in values(bars) if b["division"] == d) == flip.fewest_changes
            assert next(t["fewest_changes"] for t in values(totals) if t["division"] == d) == flip.fewest_changes
    # on 1 April the customs union was two changed votes from passing
    assert next(t for t in values(layers(page.specs["1apr-whatif"])[1]) if t["division"] == "666")["fewest_changes"] == 2


def test_ideal_points(page, house):
    for q, ids in (("1apr", APRIL), ("27mar", MARCH)):
        spec = page.specs[f"{q}-ideal-points"]
        assert page.titles[f"{q}-ideal-points"] == "Ideal points: members and options on one scale"
        top, bottom = spec["vconcat"]
        options = values(top["layer"][1], top)
        assert sorted(o["division"] for o in options) == sorted(ids)
        rules, strip = bottom["layer"]
        assert mark(strip) == "circle" and strip["encoding"]["color"]["field"] == "party"
        members = values(strip)
        # everyone who voted enough to be placed: 650 less the Speaker, deputies, Sinn Féin and other non-voters
        assert 600 < len(members) < 650
        assert {m["party"] for m in members} >= {"Conservative", "Labour", "Scottish National Party"}
        labour = sorted(m["position"] for m in members if m["party"] == "Labour")
        conservative = sorted(m["position"] for m in members if m["party"] == "Conservative")
        assert labour[len(labour) // 2] < 0 < conservative[len(conservative) // 2]  # the largest party's side is positive


def test_power_bars(page):
    for q in ("1apr", "27mar"):
        spec = page.specs[f"{q}-power"]
        rect, text = layers(spec)
        rows = values(rect, spec)
        assert mark(rect) == "bar"
        assert rows[0]["party"] == "Conservative"
        assert abs(sum(r["shapley_shubik"] for r in rows) - 1) < 1e-9
        scale = rect["encoding"]["color"]["scale"]
        assert dict(zip(scale["domain"], scale["range"]))["Labour"] == "#E4003B"
        assert "Sinn Féin" not in scale["domain"]  # they do not take their seats


def test_majority_graph_marks_a_cycle():
    from tellers.parliament.head_to_head import MajorityAnalysis
    from tellers.views.report.figures import majority_graph
    from tellers.records.patterns import VotingPatterns
    from tellers.records.model import Division
    from tellers.parliament.options import Option
    from tellers.parliament.head_to_head import analyse_majority
    import numpy as np

    from tellers.records.patterns import KINDS
    from tellers.records.model import VoteKind

    # three blocs, each voting on two of the options: A over B, B over C, C over A
    aye, no, absent = (KINDS.index(k) for k in (VoteKind.AYE, VoteKind.NO, VoteKind.NO_VOTE))
    codes = np.array([[aye, no, absent], [absent, aye, no], [no, absent, aye]], dtype=np.int8)
    patterns = VotingPatterns(("a", "b", "c"), ("X", "Y", "Z"), codes, np.array([3, 3, 3]))
    options = [Option(d, d.upper(), (d,)) for d in "abc"]
    divisions = {d: Division(d, "test", None, d) for d in "abc"}
    a: MajorityAnalysis = analyse_majority(patterns, options, divisions)
    nodes, edges = majority_graph(a)
    assert a.cycle is not None
    assert sum(e.in_cycle for e in edges) == 3
    assert all(n.role == "Smith set" for n in nodes)


def test_report_command_writes_the_file(tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(cli, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    p = Page()
    p.feed(out.read_text(encoding="utf-8"))
    assert len(p.specs) == 2 * len(CHARTS) and p.external == []
    one = tmp_path / "one.html"
    result = runner.invoke(cli, ["report", "--out", str(one), "--options", "666,667,668"])
    assert result.exit_code == 0, result.output
    p = Page()
    p.feed(one.read_text(encoding="utf-8"))
    assert p.figures == [f"options-{c}" for c in CHARTS]


def test_report_command_errors(tmp_path):
    result = runner.invoke(cli, ["report", "--out", str(tmp_path / "r.html"), "-q", "nope"])
    assert result.exit_code == 2 and "unknown question" in result.stderr
    result = runner.invoke(cli, ["report", "--out", str(tmp_path / "r.html"), "--options", "666"])
    assert result.exit_code == 2 and "at least two options" in result.stderr
    result = runner.invoke(cli, ["report", "--out", str(tmp_path / "no" / "such" / "dir.html")])
    assert result.exit_code == 2 and "cannot write the report" in result.stderr


def test_demo_html(tmp_path):
    out = tmp_path / "demo.html"
    result = runner.invoke(cli, ["demo", "-q", "1apr", "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert "Customs union beats every other option head to head" in " ".join(result.output.split())
    p = Page()
    p.feed(out.read_text(encoding="utf-8"))
    assert p.figures == [f"1apr-{c}" for c in CHARTS]


def test_demo_html_from_member_level_records_matches(tmp_path, shared_data):
    out = tmp_path / "demo.html"
    result = runner.invoke(cli, ["demo", "-q", "1apr", "--html", str(out), "--data", str(shared_data / "commons-2019-brexit")])
    assert result.exit_code == 0, result.output
    p = Page()
    p.feed(out.read_text(encoding="utf-8"))
    bundled = Page()
    bundled.feed(build_report(CaseHouse(load_case()), catalogue_sections(CaseHouse(load_case()), ["1apr"])))
    mine, theirs = p.specs["1apr-head-to-head"], bundled.specs["1apr-head-to-head"]
    assert values(mine["layer"][0], mine) == values(theirs["layer"][0], theirs)


def test_party_colours_are_fixed():
    assert party_colour("Conservative") == "#0087DC"
    assert party_colour("Labour (Co-op)") == party_colour("Labour") == "#E4003B"
    assert party_colour("Scottish National Party") == party_colour("SNP") == "#FDF38E"
    assert party_colour("Liberal Democrat") == "#FAA61A"
    assert party_colour("Democratic Unionist Party") == "#D46A4C"
    assert party_colour("Sinn Féin") == "#326760"
    assert party_colour("Plaid Cymru") == "#005B54"
    assert party_colour("Green Party") == "#6AB023"
    assert party_colour("Independent") == "#AAAAAA"
    assert party_colour("Speaker") == "#777777"
    assert party_colour("Monster Raving Loony") == party_colour("Monster Raving Loony")  # stable fallback
    assert party_colour("Monster Raving Loony") not in PARTY_COLOURS.values()
