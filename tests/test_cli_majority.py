"""`tellers demo`, `tellers blocs` and `tellers majority` end to end."""

import json

import pytest
from typer.testing import CliRunner

from tellers.parliament.cases import COMMONS_2019
from tellers.views.cli import app

runner = CliRunner()


def run_json(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_demo_runs_offline_on_the_bundled_aggregate():
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Contains Parliamentary information licensed under the Open Parliament Licence v3.0." in text
    assert ("Customs union beats every other option head to head (Condorcet winner), among the members whose votes "
            "compare each pair.") in text
    # how sure: seeded draws of the unknown preferences, under both default models
    assert ("Customs union is the Condorcet winner in 45% of 2,000 completions of the 638 members' votes (uniform); "
            "no option is in 18%.") in text
    assert ("Customs union is the Condorcet winner in 2% of 2,000 completions of the 638 members' votes (party); "
            "no option is in 74%.") in text
    assert ("The votes do not settle it: filling in what they leave unsaid one way or another, Customs union, Common "
            "Market 2.0, Confirmatory public vote, Parliamentary supremacy and Withdrawal Agreement could each be the "
            "Condorcet winner, and none is in every completion.") in text
    assert "What it means" in text
    assert "the closest was Customs union, lost by 3 (273–276)" in text


def test_demo_json_on_the_bundled_aggregate():
    doc = run_json("demo", "--json")
    assert list(doc) == ["1apr", "27mar"]
    april = doc["1apr"]
    assert [o["division"] for o in april["options"]] == ["666", "667", "668", "669", "664"]
    assert april["condorcet_winner"] == "Customs union"
    assert april["members"] == 650
    first = april["pairwise"][0]
    assert first == {"x": "Customs union", "y": "Common Market 2.0", "x_over_y": 25, "y_over_x": 15, "same": 461, "unknown": 149}
    assert set(april["rules"]) == {"copeland", "llull", "minimax", "schulze", "split_cycle", "ranked_pairs", "kemeny_young"}
    assert "irv" in april["skipped"]
    assert [o["division"] for o in doc["27mar"]["options"]] == [str(d) for d in range(655, 663)]


def test_bundled_aggregate_and_member_level_records_agree(shared_data):
    bundled = run_json("demo", "--json")
    member_level = run_json("demo", "--json", "--data", str(shared_data / "commons-2019-brexit"))
    assert bundled == member_level


def test_demo_members_lists_names(shared_data):
    result = runner.invoke(app, ["demo", "-q", "1apr", "--members", "--data", str(shared_data / "commons-2019-brexit")])
    assert result.exit_code == 0, result.output
    assert "Members by voting pattern on these options" in result.output
    assert "Kenneth Clarke" in " ".join(result.output.split()) or "Clarke" in result.output


def test_demo_members_needs_data():
    result = runner.invoke(app, ["demo", "--members"])
    assert result.exit_code == 2
    assert "--data" in result.stderr


def test_blocs_rewrites_the_bundled_aggregate_exactly(shared_data, tmp_path):
    result = runner.invoke(app, ["blocs", "--data", str(shared_data / "commons-2019-brexit"), "--out", str(tmp_path),
                                 "--title", "House of Commons, Brexit divisions, January-April 2019: members by party and voting pattern"])
    assert result.exit_code == 0, result.output
    for name in ("patterns.csv", "divisions.csv"):
        assert (tmp_path / name).read_text() == (COMMONS_2019 / name).read_text(), name


def test_majority_from_the_store_matches_the_demo(commons_db):
    doc = run_json("majority", "--options", "666,667,668,669,664", "--db", str(commons_db), "--json")
    demo = run_json("demo", "--json", "-q", "1apr")["1apr"]
    assert doc["pairwise"] == demo["pairwise"]
    assert doc["by_party"] == demo["by_party"]
    assert doc["condorcet_winner"] == "Customs union"
    assert [o["label"] for o in doc["options"]] == [
        "Customs union", "Common Market 2.0", "Confirmatory public vote", "Parliamentary supremacy", "Withdrawal Agreement"]


def test_majority_accepts_catalogue_option_ids(commons_db):
    doc = run_json("majority", "--options", "customs_union,common_market_2", "--tested", "earliest",
                   "--db", str(commons_db), "--json")
    assert [o["division"] for o in doc["options"]] == ["658", "656"]
    assert doc["pairwise"][0]["x_over_y"] == 32 and doc["pairwise"][0]["y_over_x"] == 14


@pytest.mark.parametrize(
    "options, message",
    [
        ("666", "at least two options"),
        ("666,9999", "no division '9999'"),
        ("666,not_an_option", "no division 'not_an_option'"),
    ],
)
def test_majority_errors_are_clean(commons_db, options, message):
    result = runner.invoke(app, ["majority", "--options", options, "--db", str(commons_db)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
