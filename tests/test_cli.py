"""The `tellers` command line: the main job, JSON output and clean errors."""

import json

from typer.testing import CliRunner

from tellers.views.cli import app

runner = CliRunner()


def test_elect_bundled_sample_prints_the_count():
    result = runner.invoke(app, ["elect"])
    assert result.exit_code == 0, result.output
    assert "tennessee.csv (bundled sample)" in result.output
    assert "Nashville beats every other candidate head to head (Condorcet winner)." in result.output
    assert "Knoxville" in result.output


def test_elect_json_has_the_documented_shape():
    result = runner.invoke(app, ["elect", "sample", "--json", "-r", "irv", "--rule", "plurality", "-r", "schulze"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["candidates"] == ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
    assert doc["voters"] == 100
    assert doc["condorcet_winner"] == "Nashville"
    assert doc["smith_set"] == ["Nashville"]
    assert doc["margins"][1] == [16, 0, 36, 36]
    assert list(doc["results"]) == ["irv", "plurality", "schulze"]
    assert doc["results"]["irv"]["winners"] == ["Knoxville"]
    assert doc["results"]["irv"]["ranking"] is None
    assert doc["results"]["plurality"]["winners"] == ["Memphis"]
    assert doc["results"]["plurality"]["ranking"] == [["Memphis"], ["Nashville"], ["Knoxville"], ["Chattanooga"]]
    assert doc["results"]["schulze"]["winners"] == ["Nashville"]


def test_every_rule_runs_by_default():
    from tellers.ballots import rules

    doc = json.loads(runner.invoke(app, ["elect", "--json"]).stdout)
    assert list(doc["results"]) == rules.names()
    assert len(rules.names()) >= 18


def test_unknown_rule_is_a_clean_error():
    result = runner.invoke(app, ["elect", "-r", "dictator"])
    assert result.exit_code == 2
    assert "unknown rule 'dictator'; choose from: plurality" in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_is_a_clean_error(tmp_path):
    missing = tmp_path / "nope.soi"
    result = runner.invoke(app, ["elect", str(missing)])
    assert result.exit_code == 2
    assert "nope.soi" in result.stderr
    assert "Traceback" not in result.output


def test_malformed_preflib_file_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.soi"
    bad.write_text("# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n3: 1,2\n2: 1,7\n")
    result = runner.invoke(app, ["elect", str(bad)])
    assert result.exit_code == 2
    assert "bad.soi, line 5" in result.stderr
    assert "Traceback" not in result.output


def test_rules_command_lists_every_rule():
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    for name in ("kemeny_young", "split_cycle", "smith_irv"):
        assert name in result.output
