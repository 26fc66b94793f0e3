"""`tellers procedure` end to end: ballot files, a chamber's options, the demo's section, bad input."""

import json

import pytest
from typer.testing import CliRunner

from tellers.views.cli import app

runner = CliRunner()

CYCLE = """# FILE NAME: cycle.soc
# DATA TYPE: soc
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 3
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: A
# ALTERNATIVE NAME 2: B
# ALTERNATIVE NAME 3: C
1: 1,2,3
1: 2,3,1
1: 3,1,2
"""
OPTIONS_1APR = "666,667,668,669,664"


@pytest.fixture
def cycle(tmp_path):
    path = tmp_path / "cycle.soc"
    path.write_text(CYCLE)
    return str(path)


def run_json(*args):
    result = runner.invoke(app, ["procedure", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_sophisticated_amendment_on_a_cycle_with_agenda_power(cycle):
    doc = run_json(cycle, "--voting", "sophisticated", "--reachable")
    assert doc["winner"] == "B"
    assert [(r["put"], r["ayes"], r["noes"], r["result"]) for r in doc["rounds"]] == [
        (["A", "B"], 1.0, 2.0, "B"), (["B", "C"], 2.0, 1.0, "B")]
    assert doc["rounds"][0]["weighed"] == ["C", "B"]  # A's branch leads to C, B's to B
    assert doc["reachable"] == ["A", "B", "C"]
    assert doc["agendas"] == {"A": ["C", "A", "B"], "B": ["A", "B", "C"], "C": ["B", "C", "A"]}
    assert doc["reach_method"].startswith("the Banks set")


def test_the_text_view_names_the_agenda_rounds_and_winner(cycle):
    result = runner.invoke(app, ["procedure", cycle, "-p", "successive", "--agenda", "a,B"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Successive agenda (continental), sincere voting" in text
    assert "Left out of the agenda: C" in text
    assert "A is adopted." in text


@pytest.mark.parametrize("args, message", [
    (["--agenda", "A,D"], "unknown option 'D'"),
    (["--agenda", "A,A"], "puts 'A' more than once"),
    (["-p", "indicative"], "needs --default"),
    (["-p", "indicative", "--default", "A", "--agenda", "A,B"], "leave it out of the agenda"),
    (["-p", "exhaustive", "--voting", "sophisticated"], "counts the votes as cast"),
    (["--options", "1apr"], "not both"),
])
def test_bad_input_is_one_clear_line_and_exit_2(cycle, args, message):
    result = runner.invoke(app, ["procedure", cycle, *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_a_chamber_needs_complete_rankings():
    result = runner.invoke(app, ["procedure", "--options", OPTIONS_1APR])
    assert result.exit_code == 2
    assert "give --completions MODEL" in " ".join(result.output.split())
    result = runner.invoke(app, ["procedure", "--options", OPTIONS_1APR, "--agenda", "666,667"])
    assert result.exit_code == 2 and "drop --agenda" in result.output


def test_a_chamber_over_completions_is_seeded_and_adds_up():
    args = ["--options", OPTIONS_1APR, "-p", "successive", "--voting", "sophisticated", "--completions", "uniform",
            "--draws", "500", "--seed", "1", "--reachable"]
    doc = run_json(*args)
    assert doc["agenda"] == ["666", "667", "668", "669", "664"] and doc["electorate"] == 638
    assert doc["win_shares"] == {"666": 0.578, "667": 0.178, "668": 0.228, "669": 0.016, "664": 0.0}
    assert doc["reachable_shares"] == {"666": 0.628, "667": 0.312, "668": 0.36, "669": 0.1, "664": 0.024}
    assert sum(doc["win_shares"].values()) + doc["tie_share"] + doc["no_winner_share"] == pytest.approx(1)
    assert run_json(*args) == doc


def test_indicative_votes_against_a_default_over_completions():
    doc = run_json("--options", OPTIONS_1APR, "-p", "indicative", "--default", "withdrawal agreement",
                   "--completions", "party", "--draws", "500", "--seed", "1")
    assert doc["agenda"] == ["666", "667", "668", "669"] and doc["default"] == "664"
    assert doc["win_shares"] == {"666": 0.022, "667": 0.06, "668": 0.54, "669": 0.0, "664": 0.37}
    assert doc["tie_share"] == 0.008


def test_spatial_ballots_carry_their_caveat():
    doc = run_json("--options", OPTIONS_1APR, "--infer", "spatial")
    assert doc["caveat"].startswith("These are a spatial model's ballots")
    assert doc["winner"] == "Parliamentary supremacy"
    assert [r["ayes"] for r in doc["rounds"]] == [638.0, 638.0, 161.0, 353.0]


def test_the_demo_shows_every_procedure_for_1_april_only():
    result = runner.invoke(app, ["demo", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["27mar"]["procedures"] == []  # 8 options: too many to try every ordering in every draw
    uniform, party = doc["1apr"]["procedures"]
    assert [(r["procedure"], r["voting"]) for r in party] == [
        ("amendment", "sincere"), ("amendment", "sophisticated"), ("successive", "sincere"),
        ("successive", "sophisticated"), ("indicative", "sincere"), ("exhaustive", "sincere"),
        ("preferential", "sincere"), ("condorcet", "sincere")]
    assert {r["model"] for r in uniform} == {"uniform"} and {r["draws"] for r in party} == {2000}
    assert party[4]["default"] == "664"  # the question's last option stands for the status quo
    assert party[0]["win_shares"]["664"] == 0.965
    assert party[7]["no_winner_share"] == 0.742


def test_flags_that_would_be_ignored_are_refused(cycle):
    result = runner.invoke(app, ["procedure", cycle, "--draws", "10"])
    assert result.exit_code == 2 and "--draws and --seed apply to simulated completions" in result.output
    result = runner.invoke(app, ["procedure", "--options", OPTIONS_1APR, "--default", "664", "--completions", "party",
                                 "--draws", "10"])
    assert result.exit_code == 2 and "--default applies to indicative votes" in " ".join(result.output.split())


def test_an_option_named_with_a_comma_goes_on_the_agenda_by_repeating_the_flag(tmp_path):
    path = tmp_path / "comma.csv"
    path.write_text('first,second,weight\n"Deal, amended",Remain,2\nRemain,"Deal, amended",1\n')
    doc = run_json(str(path), "--agenda", "Remain", "--agenda", "Deal, amended")
    assert doc["agenda"] == ["Remain", "Deal, amended"] and doc["winner"] == "Deal, amended"
