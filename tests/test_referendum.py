"""Referendum designs side by side (`tellers referendum`, `tellers report --referendum`), on the
YouGov/Lauderdale 2018 shares of UK voters holding each ordering of Remain, Deal and No deal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tellers import Profile
from tellers.ballots.procedures.referendum import compare_designs, infer_rounding, rounding_unit
from tellers.errors import ProcedureError
from tellers.views.cli import app
from tellers.views.report.referendum import referendum_chart, referendum_view

runner = CliRunner()
ABC = ["A", "B", "C"]
YOUGOV = Path("brexit-public-preferences") / "yougov_lauderdale_2018_orderings.csv"

# The file's six orderings and shares (rounded to 0.001; they sum to 0.999):
#   Remain > Deal > No deal 0.375    No deal > Deal > Remain 0.228    Deal > No deal > Remain 0.212
#   Remain > No deal > Deal 0.087    Deal > Remain > No deal 0.059    No deal > Remain > Deal 0.038
# First preferences: Remain 0.375 + 0.087 = 0.462; Deal 0.212 + 0.059 = 0.271; No deal 0.228 + 0.038 = 0.266.
# Head to head (every ordering counts once, so a margin is off by at most 6 x 0.0005 = 0.003):
#   Remain v Deal:    0.375 + 0.087 + 0.038 = 0.500  v  0.228 + 0.212 + 0.059 = 0.499  (margin 0.001: within rounding)
#   Remain v No deal: 0.375 + 0.087 + 0.059 = 0.521  v  0.228 + 0.212 + 0.038 = 0.478  (0.043)
#   Deal v No deal:   0.375 + 0.212 + 0.059 = 0.646  v  0.228 + 0.087 + 0.038 = 0.353  (0.293)
# Two-question referendum (Remain, Deal, No deal): Remain 0.462 v not Remain 0.537 -> Leave, margin 0.075;
#   then Deal v No deal 0.646-0.353 -> Deal.
# Plurality: Remain by 0.462 - 0.271 = 0.191; the gap sums the 4 orderings with Remain or Deal first: bound 0.002.
# Alternative vote: No deal (0.266) out, 0.005 behind Deal (4 orderings, bound 0.002); its 0.228 go to Deal and its
#   0.038 to Remain: Remain 0.500 v Deal 0.499 -> Remain by 0.001, within rounding (bound 0.003).
# Condorcet count: Remain beats both, its narrowest win (over Deal, 0.001) within rounding of a tie.


@pytest.fixture(scope="module")
def yougov_path(shared_data) -> Path:
    path = shared_data / YOUGOV
    if not path.is_file():
        pytest.skip(f"the YouGov/Lauderdale orderings are not at {path}")
    return path


@pytest.fixture(scope="module")
def yougov(yougov_path):
    from tellers.records.readers import load_profile

    return compare_designs(load_profile(yougov_path))


def shares(count) -> dict[str, float]:
    return {k: round(v, 9) for k, v in count.shares.items()}


def test_rounding_of_the_yougov_shares(yougov):
    r = yougov.rounding
    assert (r.kind, r.unit, r.orderings) == ("shares", 0.001, 6)
    assert r.total == pytest.approx(0.999) and r.per_ordering == pytest.approx(0.0005)
    assert r.bound(r.orderings) == pytest.approx(0.003)


def test_two_question_referendum(yougov):
    d = yougov.design("two_question")
    assert yougov.agenda == ("Remain", "Deal", "No deal")
    first, second = d.rounds
    assert shares(first) == {"Remain": 0.462, "not Remain": 0.537} and first.result == "not Remain"
    assert shares(second) == {"Deal": 0.646, "No deal": 0.353} and second.result == "Deal"
    assert sum(first.shares.values()) == pytest.approx(yougov.rounding.total)
    assert d.winner == "Deal" and d.margin == pytest.approx(0.075) and d.bound == pytest.approx(0.003)
    assert not d.within_rounding


def test_plurality_vote(yougov):
    d = yougov.design("plurality")
    assert shares(d.rounds[0]) == {"Remain": 0.462, "Deal": 0.271, "No deal": 0.266}
    assert d.winner == "Remain" and d.margin == pytest.approx(0.191)
    assert d.rounds[0].orderings == 4 and d.bound == pytest.approx(0.002) and not d.within_rounding


def test_alternative_vote(yougov):
    d = yougov.design("alternative_vote")
    first, final = d.rounds
    assert first.result == "transferred: No deal" and first.margin == pytest.approx(0.005)
    assert first.orderings == 4 and not first.within_rounding
    assert shares(final) == {"Remain": 0.5, "Deal": 0.499}
    assert d.winner == "Remain" and d.margin == pytest.approx(0.001) and d.bound == pytest.approx(0.003)
    assert d.within_rounding


def test_condorcet_count(yougov):
    pairs = {p.put: p for p in yougov.pairs}
    expected = {("Remain", "Deal"): (0.5, 0.499, "Remain", True), ("Remain", "No deal"): (0.521, 0.478, "Remain", False),
                ("Deal", "No deal"): (0.646, 0.353, "Deal", False)}
    for (a, b), (x, y, winner, within) in expected.items():
        p = pairs[a, b]
        assert shares(p) == {a: x, b: y} and p.result == winner and p.within_rounding is within
        assert p.margin == pytest.approx(x - y) and p.bound == pytest.approx(0.003)
    d = yougov.design("condorcet")
    assert d.winner == "Remain" and d.margin == pytest.approx(0.001) and d.within_rounding


def test_another_agenda_changes_the_two_question_result(yougov_path):
    from tellers.records.readers import load_profile

    c = compare_designs(load_profile(yougov_path), first="deal")
    d = c.design("two_question")
    assert c.agenda == ("Deal", "Remain", "No deal")
    # Deal 0.271 v not Deal 0.728; then Remain v No deal 0.521-0.478
    assert [shares(q) for q in d.rounds] == [{"Deal": 0.271, "not Deal": 0.728}, {"Remain": 0.521, "No deal": 0.478}]
    assert d.winner == "Remain" and d.margin == pytest.approx(0.043)


def test_rounding_unit_is_inferred_from_the_weights():
    assert rounding_unit([0.375, 0.25, 0.375]) == (0.001, 3)
    assert rounding_unit([0.5, 0.25, 0.25]) == (0.01, 2)
    assert rounding_unit([40, 35, 25]) == (None, None)  # counts: exact
    percent = Profile.from_rankings([[0, 1], [1, 0]], [50.1, 49.8], candidates=["A", "B"])
    r = infer_rounding(percent)
    assert (r.kind, r.scale, r.unit) == ("percentages", 100.0, 0.1) and r.total == pytest.approx(0.999)
    assert r.per_ordering == pytest.approx(0.0005)


def test_counts_are_exact_and_a_cycle_has_no_winner():
    cycle = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], [40, 35, 25], candidates=["A", "B", "C"])
    c = compare_designs(cycle)
    assert c.rounding.kind == "counts" and c.rounding.bound(3) == 0
    d = c.design("condorcet")
    assert d.winner is None and d.margin == pytest.approx(0.2) and not d.within_rounding
    assert "majority cycle" in d.notes[0]
    assert c.design("plurality").winner == "A" and c.design("two_question").winner == "B"
    tie = compare_designs(Profile.from_rankings([[0, 1], [1, 0]], [1, 1], candidates=["A", "B"]))
    assert tie.design("plurality").winner is None and tie.design("plurality").within_rounding  # an exact tie


def test_bad_input_is_refused():
    truncated = Profile.from_rankings([["A", "B", "C"], ["B"]], [3, 2], candidates=["A", "B", "C"])
    with pytest.raises(ProcedureError, match="strict orderings of every option"):
        compare_designs(truncated)
    full = Profile.from_rankings([[0, 1, 2]], [1], candidates=["A", "B", "C"])
    with pytest.raises(ProcedureError, match="unknown option 'Bb'"):
        compare_designs(full, agenda=["Bb"])
    with pytest.raises(ProcedureError, match="more than once"):
        compare_designs(full, agenda=["A", "a"])


def test_cli_json(yougov_path):
    result = runner.invoke(app, ["referendum", str(yougov_path), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["file"] == str(yougov_path) and doc["total"] == 0.999
    assert doc["rounding"]["unit"] == 0.001 and doc["rounding"]["margin_bound"] == 0.003
    picks = {d["design"]: (d["winner"], d["margin"], d["within_rounding"]) for d in doc["designs"]}
    assert picks == {"two_question": ("Deal", 0.075, False), "plurality": ("Remain", 0.191, False),
                     "alternative_vote": ("Remain", 0.001, True), "condorcet": ("Remain", 0.001, True)}
    assert doc["designs"][0]["rounds"][0]["shares"] == {"Remain": 0.462, "not Remain": 0.537}
    assert [(p["put"], p["margin"]) for p in doc["pairs"]] == [
        (["Remain", "Deal"], 0.001), (["Remain", "No deal"], 0.043), (["Deal", "No deal"], 0.293)]


def test_cli_table(yougov_path):
    result = runner.invoke(app, ["referendum", str(yougov_path)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    for words in ("Two-question referendum │ Deal │ 0.075 │ no (± 0.003)", "Alternative vote │ Remain │ 0.001 │ yes (± 0.003)",
                  "Remain v Deal │ Remain │ 0.001 │ yes", "estimates for a population, not counted ballots",
                  "They sum to 0.999", "0.003 for a head-to-head margin",
                  "Remain is the Condorcet winner, but within rounding of a tie: Remain v Deal, 0.500–0.499"):
        assert words in text, words


def test_cli_errors(yougov_path, tmp_path):
    result = runner.invoke(app, ["referendum", str(yougov_path), "--agenda", "Remian,Deal"])
    assert result.exit_code == 2 and "unknown option 'Remian'" in result.stderr and "'Remain'" in result.stderr
    assert "Traceback" not in result.output
    truncated = tmp_path / "truncated.csv"
    truncated.write_text("first,second,third,share\nA,B,C,0.6\nB,,,0.4\n", encoding="utf-8")
    result = runner.invoke(app, ["referendum", str(truncated)])
    assert result.exit_code == 2 and str(truncated) in result.stderr and "full ordering" in result.stderr
    result = runner.invoke(app, ["referendum", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_chart_marks_the_rounding_band(yougov):
    f = referendum_chart(yougov)
    layers = f.spec["layer"]
    assert len(layers) == 3 and layers[0]["encoding"]["x2"]["field"] == "bound"
    data = f.spec["data"]["values"]
    assert [r["bound"] for r in data] == pytest.approx([0.003, 0.002, 0.003, 0.003, 0.003, 0.003, 0.003])
    assert [r["row"] for r in data][:4] == ["Two-question referendum", "Plurality vote", "Alternative vote", "Condorcet count"]
    assert "within rounding of a tie" in f.caption
    assert referendum_view("yougov", yougov) is not None


def test_report_gets_the_referendum_section(yougov_path, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--out", str(out), "-q", "1apr", "--referendum", str(yougov_path)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<section id="referendum">' in page and '<figure id="referendum-margins">' in page
    assert "The designs disagree" in page and "within rounding of a tie" in page
    bad = tmp_path / "bad.csv"
    bad.write_text("first,second,count\nA,,3\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "r.html"), "--referendum", str(bad)])
    assert result.exit_code == 2 and "error:" in result.stderr and "Traceback" not in result.output


def test_whole_percentages_with_their_unit(tmp_path):
    # the YouGov orderings as whole percentages (38, 23, 21, 9, 6, 4: they sum to 101): --unit 1 makes each off
    # by up to half a point, so a head-to-head margin by 6 x 0.005 = 0.03 of the whole; Remain v Deal,
    # 51 to 50 (0.510 to 0.500 of 100), is within it
    path = tmp_path / "pct.csv"
    path.write_text("first,second,third,weight\nRemain,Deal,No deal,38\nNo deal,Deal,Remain,23\nDeal,No deal,Remain,21\n"
                    "Remain,No deal,Deal,9\nDeal,Remain,No deal,6\nNo deal,Remain,Deal,4\n")
    doc = json.loads(CliRunner().invoke(app, ["referendum", str(path), "--unit", "1", "--json"]).stdout)
    assert doc["rounding"]["kind"] == "percentages" and doc["rounding"]["margin_bound"] == 0.03
    pair = next(p for p in doc["pairs"] if p["put"] == ["Remain", "Deal"])
    assert pair["shares"] == {"Remain": 0.51, "Deal": 0.5} and pair["within_rounding"]
    exact = json.loads(CliRunner().invoke(app, ["referendum", str(path), "--json"]).stdout)
    assert exact["rounding"]["kind"] == "counts" and exact["rounding"]["margin_bound"] == 0.0


def test_a_tie_is_flagged_as_settled_by_the_tie_rule():
    # 1 A>B>C, 2 A>C>B, 3 B>A>C, 2 C>A>B, 2 C>B>A: first preferences A 3, B 3, C 4: A and B tie for last and go out
    # together, so C wins; A v B is 5-5, an exact tie
    p = Profile.from_rankings([[0, 1, 2], [0, 2, 1], [1, 0, 2], [2, 0, 1], [2, 1, 0]], [1, 2, 3, 2, 2], candidates=ABC)
    c = compare_designs(p)
    assert c.design("alternative_vote").tied and c.design("alternative_vote").winner == "C"
    assert c.design("condorcet").tied and c.design("condorcet").winner is None
    assert not c.design("plurality").tied
