"""The report's "How sure is the verdict" chart: each option's Condorcet-winner share over
completions of the votes, per model, with a caption saying what completions are."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from tellers.parliament.cases import load_case
from tellers.parliament.head_to_head import analyse_options
from tellers.parliament.house import CaseHouse
from tellers.parliament.robustness import MODELS, QUICK_DRAWS, assess, assess_models
from tellers.views.report.html import build_report, catalogue_sections
from tellers.views.report.robustness import NO_WINNER

APRIL = ["666", "667", "668", "669", "664"]


class Charts(HTMLParser):
    """Each figure's Vega-Lite spec, title and caption, by figure id."""

    def __init__(self) -> None:
        super().__init__()
        self.specs: dict[str, dict] = {}
        self.titles: dict[str, str] = {}
        self.captions: dict[str, str] = {}
        self._figure = ""
        self._spec = False
        self._caption = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            self._figure = a["id"]
        elif tag == "script" and a.get("class") == "vega-lite":
            self._spec = True
            self.titles[self._figure] = a["data-title"]
        elif tag == "figcaption":
            self._caption = True
            self.captions[self._figure] = ""

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._caption = False

    def handle_data(self, data):
        if self._spec:
            self.specs[self._figure] = json.loads(data)
            self._spec = False
        elif self._caption:
            self.captions[self._figure] += data


@pytest.fixture(scope="module")
def house() -> CaseHouse:
    return CaseHouse(load_case())


@pytest.fixture(scope="module")
def charts(house) -> Charts:
    page = Charts()
    page.feed(build_report(house, catalogue_sections(house, ["1apr"])))
    return page


@pytest.fixture(scope="module")
def expected(house):
    """The figures the chart must show, from the engine itself: every model, 2,000 draws, seed 0."""
    a = analyse_options(house, ["1apr"])
    return {m: assess(a, model=m, draws=QUICK_DRAWS, seed=0, house=house) for m in MODELS}


def test_the_chart_follows_the_majority_graph(charts):
    keys = list(charts.specs)
    assert "1apr-robustness" in keys
    assert keys.index("1apr-robustness") == keys.index("1apr-majority-graph") + 1
    assert charts.titles["1apr-robustness"] == "How sure is the verdict"


def test_the_bars_are_the_exact_shares_of_each_model(charts, expected):
    spec = charts.specs["1apr-robustness"]
    rows = spec["layer"][0]["data"]["values"] if "data" in spec["layer"][0] else spec["data"]["values"]
    shown = {(r["model"], r["division"]): r["share"] for r in rows}
    want = {}
    for model, r in expected.items():
        for i, c in zip(r.ids, r.shares.condorcet):
            want[(model, i)] = float(c)
        want[(model, "")] = r.shares.no_winner
    assert shown == want
    assert {r["model"] for r in rows} == set(MODELS)
    assert {r["label"] for r in rows} == {*expected["uniform"].labels, NO_WINNER}
    # the percentages printed on the bars are the same figures
    assert all(r["text"] == f"{r['share']:.1%}" for r in rows)
    assert [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]] == ["bar", "text"]
    # 1 April, uniform completions: the customs union leads, and the record's exact figures
    uniform = {r["division"]: r["share"] for r in rows if r["model"] == "uniform"}
    assert max(uniform, key=uniform.get) == "666"
    assert sum(uniform.values()) == pytest.approx(1.0)


def test_the_caption_explains_completions_and_names_the_electorate_and_models(charts, expected):
    caption = " ".join(charts.captions["1apr-robustness"].split())
    assert caption.startswith("Each of the 638 members who voted (or told) on at least one of these divisions had some "
                              "ranking of all the options their votes allow: a completion")
    assert expected["uniform"].electorate == 638
    for model, assumes in MODELS.items():
        assert f"{model}, {assumes}" in caption
    assert "2,000 random completions" in caption and "Seed 0" in caption
    # the exact result: on 1 April every option wins in some completion, none in all
    assert expected["uniform"].possible == tuple(APRIL) and expected["uniform"].necessary == ()
    assert "all 5 options are possible Condorcet winners" in caption
    assert "none is the winner in every completion" in caption
    assert "Data:" in caption


def test_march_has_the_chart_too(house):
    page = Charts()
    page.feed(build_report(house, catalogue_sections(house, ["27mar"])))
    caption = page.captions["27mar-robustness"]
    a = analyse_options(house, ["27mar"])
    r = assess(a, model=None)
    assert f"Each of the {r.electorate:,} members" in caption


def test_nothing_to_check_for_spatial_preferences_or_one_option(house):
    assert assess_models(house, analyse_options(house, ["1apr"], infer="spatial")) is None
    checked = assess_models(house, analyse_options(house, ["666", "667"]), draws=50, seed=3)
    assert checked is not None and checked.draws == 50 and checked.seed == 3
    assert [c.shares.model for c in checked.checks] == list(MODELS)
