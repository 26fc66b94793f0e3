"""Scenario files: blocs and stances, edits to real divisions, the bundled example, and errors by line."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from tellers.views.cli import app
from tellers.parliament.coalitions.scenario import evaluate_scenario
from tellers.parliament.coalitions.scenario_example import EXAMPLE, record_scenario_toml
from tellers.parliament.coalitions.scenario_file import ScenarioError, Stance, load_scenario
from tellers.parliament.house import StoreHouse
from tellers.records.model import VoteKind
from tellers.records.readers import load_records
from tellers.records.store import Store

runner = CliRunner()

EEC = """\
title = "EEC Council of Ministers, 1958"
quota = 12

[[option]]
id = "treaty"

[[bloc]]
name = "France"
size = 4
treaty = "aye"

[[bloc]]
name = "Germany"
size = 4
treaty = "aye"

[[bloc]]
name = "Italy"
size = 4
treaty = "no"

[[bloc]]
name = "Belgium"
size = 2
treaty = "aye"

[[bloc]]
name = "Netherlands"
size = 2
treaty = "aye"

[[bloc]]
name = "Luxembourg"
size = 1
treaty = "abstain"
"""


def write(tmp_path, text: str, name: str = "s.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------- stances


@pytest.mark.parametrize(
    ("text", "size", "stance"),
    [("aye", 10, Stance(10, 0)), (" No ", 10, Stance(0, 10)), ("abstain", 3, Stance(0, 0)),
     ("split 3/5", 10, Stance(3, 5)), ("split 3 / 5", 8, Stance(3, 5))],
)
def test_stances_parse(text, size, stance):
    assert Stance.parse(text, size) == stance


@pytest.mark.parametrize(("text", "size"), [("yes", 3), ("split 3", 5), ("split 4/4", 7), (3, 3), ("split -1/2", 4)])
def test_bad_stances_are_refused(text, size):
    with pytest.raises(ValueError):
        Stance.parse(text, size)


# ---------------------------------------------------------------------- bloc scenarios


def test_a_bloc_scenario_gives_results_and_power(tmp_path):
    result = evaluate_scenario(load_scenario(write(tmp_path, EEC)))
    (treaty,) = result.outcomes
    assert (treaty.ayes, treaty.noes, treaty.passed) == (12, 4, True)
    assert result.analysis is None  # one option: no head to head
    assert result.power.game.quota == 12
    assert result.power.shapley_shubik["France"] == Fraction(14, 60)
    assert result.power.banzhaf["Belgium"] == Fraction(3, 21)
    assert len(result.minimal_winning) == 4


def test_edits_to_blocs_and_unwhipped_blocs(tmp_path):
    text = EEC.replace('title = "EEC Council of Ministers, 1958"', 'title = "edited"') + """
[[bloc]]
name = "Observers"
size = 3
whipped = false
treaty = "split 1/2"

[[edit]]
bloc = "France"
option = "treaty"
vote = "no"
"""
    result = evaluate_scenario(load_scenario(write(tmp_path, text)))
    (treaty,) = result.outcomes
    assert (treaty.before_ayes, treaty.before_noes) == (13, 6)
    assert (treaty.ayes, treaty.noes, treaty.passed) == (9, 10, False)
    assert result.blocs["Observers"] == ("Observers 1", "Observers 2", "Observers 3")
    assert result.power.game.num_players == 6 + 3


def test_the_bundled_example_is_generated_from_the_aggregate():
    assert EXAMPLE.read_text(encoding="utf-8") == record_scenario_toml()


def test_the_bundled_example_reproduces_the_real_totals():
    result = evaluate_scenario(load_scenario(EXAMPLE))
    totals = {o.label: (o.ayes, o.noes) for o in result.outcomes}
    assert totals == {
        "Customs union": (273, 276), "Common Market 2.0": (261, 282), "Confirmatory public vote": (280, 292),
        "Parliamentary supremacy": (191, 292), "Withdrawal Agreement": (286, 344),
    }
    assert result.power.game.quota == 320 and result.power.game.total_weight == 639
    assert len(result.blocs["Independent"]) == 22
    assert result.analysis is not None and len(result.analysis.pairwise) == 10


# ---------------------------------------------------------------------- edits to real divisions


EDITS = """\
title = "What if the SNP had backed the customs union, and Labour whipped for CM2.0?"
base = "commons2019"

[[edit]]
party = "Scottish National Party"
division = "666"
vote = "aye"

[[edit]]
party = "Labour"
whip = { "667" = "aye", "668" = "abstain" }
"""


def present_on_1_april(records, party_prefix: str) -> int:
    """Members of a party who voted in any of the four divisions of 1 April (counted independently)."""
    party = {m.id: m.party for r in records for m in r.members}
    voted = {
        v.member_id for r in records for v in r.votes
        if v.division_id in ("666", "667", "668", "669") and v.kind is not VoteKind.NO_VOTE
    }
    return sum(1 for m in voted if party[m].startswith(party_prefix))


def test_edits_to_real_divisions(tmp_path, shared_data):
    records = load_records(shared_data / "commons-2019-brexit")
    snp = present_on_1_april(records, "Scottish National Party")
    labour = present_on_1_april(records, "Labour")
    result = evaluate_scenario(load_scenario(write(tmp_path, EDITS)))
    out = {o.id: o for o in result.outcomes}
    assert list(out) == ["666", "667", "668", "669"]  # every division held the day edited
    # the SNP abstained on the customs union: its members present that day now vote Aye
    assert (out["666"].before_ayes, out["666"].ayes, out["666"].noes) == (273, 273 + snp, 276)
    assert out["666"].passed and not out["666"].passed_before
    labour_voted_668 = sum(
        1 for r in records for v in r.votes
        if v.division_id == "668" and v.kind in (VoteKind.AYE, VoteKind.NO) and {m.id: m.party for m in r.members}[v.member_id].startswith("Labour")
    )
    assert out["668"].ayes + out["668"].noes == 280 + 292 - labour_voted_668
    assert out["667"].ayes >= 261 and out["669"].ayes == 191
    assert result.house.quota == 320
    assert result.analysis.profile.candidates == ("Customs union", "Common Market 2.0", "Confirmatory public vote", "Parliamentary supremacy")
    assert labour > 200


def test_edits_on_a_store_keep_names(tmp_path, shared_data):
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        store.import_records(load_records(shared_data / "commons-2019-brexit"))
    house = StoreHouse(db)
    try:
        on_store = evaluate_scenario(load_scenario(write(tmp_path, EDITS)), house)
    finally:
        house.close()
    bundled = evaluate_scenario(load_scenario(write(tmp_path, EDITS)))
    assert on_store.outcomes == bundled.outcomes
    # parties by their short name, in any case
    short = evaluate_scenario(load_scenario(write(tmp_path, EDITS.replace("Scottish National Party", "snp"))))
    assert short.outcomes == bundled.outcomes


# ---------------------------------------------------------------------- errors name the file and line


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        # stance that does not parse: the line of its key in the third bloc
        (EEC.replace('treaty = "no"', 'treaty = "perhaps"'), 20, "'perhaps' is not a stance"),
        (EEC.replace('treaty = "no"', 'treaty = "split 3/2"'), 20, "more than the 4 there are"),
        # sizes that exceed the house: the size that tips the total over
        (EEC.replace("quota = 12", "house = 10"), 19, "add up to 12 by bloc 'Italy', more than the house of 10 (line 2)"),
        # unknown bloc in an edit
        (EEC + '\n[[edit]]\nbloc = "Spain"\noption = "treaty"\nvote = "aye"\n', 38, "unknown bloc 'Spain'"),
        # unknown option key in a bloc
        (EEC.replace('name = "Belgium"\nsize = 2\n', 'name = "Belgium"\nsize = 2\ntreatie = "aye"\n'), 25, "'treatie' is neither an option nor a bloc key"),
        (EEC.replace("size = 2\ntreaty", "size = -2\ntreaty", 1), 24, "size must be a whole number >= 0"),
        (EEC.replace('name = "Germany"', 'name = "France"'), 13, "bloc 'France' is declared twice"),
        (EEC.replace("quota = 12", "quota = 40"), 2, "the quota 40 must be between 1 and the blocs' total size 17"),
        (EEC.replace("quota = 12", "quota = = 12"), 2, "not valid TOML"),
        (EEC + "\n[[edit]]\nbloc = \"France\"\noption = \"treaty\"\nvote = \"maybe\"\n", 40, "'maybe' is not a stance"),
        ("title = 'x'\n", 1, "no [[bloc]] tables and no base"),
        ('title = "x"\nfoo = 1\n[[bloc]]\nname = "A"\nsize = 1\n', 2, "unknown key 'foo'"),
    ],
)
def test_bloc_scenario_errors_name_the_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}, line {line}: ")
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (EDITS.replace('party = "Labour"', 'party = "Labour Party"'), 10, "unknown party 'Labour Party'"),
        (EDITS.replace('division = "666"', 'division = "9999"'), 7, "no division '9999'"),
        (EDITS.replace('vote = "aye"', 'vote = "split 40/0"'), 7, "(32 members present that day)"),
        (EDITS.replace('"668" = "abstain"', '"668" = "sometimes"'), 11, "'sometimes' is not a stance"),
        (EDITS.replace('base = "commons2019"', 'base = "no-such-folder"'), 2, "base 'no-such-folder' is neither"),
        (EDITS + '\n[[bloc]]\nname = "A"\nsize = 1\n', 2, "either [[bloc]] tables or a base"),
    ],
)
def test_edit_scenario_errors_name_the_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        evaluate_scenario(load_scenario(path))
    assert str(info.value).startswith(f"{path}, line {line}: ")
    assert message in str(info.value)


# ---------------------------------------------------------------------- CLI


def test_cli_scenario_runs_the_bundled_example_offline():
    result = runner.invoke(app, ["scenario"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Scenario: 1 April 2019 as recorded: edit it to see what changes" in text
    assert "Power of each bloc" in text and "Quota 320" in text
    assert "The scenario reproduces the record" in text


def test_cli_scenario_json(tmp_path):
    result = runner.invoke(app, ["scenario", str(write(tmp_path, EDITS)), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["kind"] == "edits"
    assert [d["id"] for d in doc["divisions"]] == ["666", "667", "668", "669"]
    assert doc["divisions"][0]["before"] == {"ayes": 273, "noes": 276, "passed": False}
    assert doc["head_to_head"]["options"][0]["division"] == "666"
    assert doc["power"]["quota"] == 320 and doc["house"]["eligible"] == 639


def test_cli_power_of_a_scenario(tmp_path):
    result = runner.invoke(app, ["power", "--scenario", str(write(tmp_path, EEC)), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["exact"]["banzhaf"]["France"] == "5/21"


def test_cli_scenario_error_is_one_line_with_the_line_number(tmp_path):
    path = write(tmp_path, EEC.replace('treaty = "no"', 'treaty = "perhaps"'))
    result = runner.invoke(app, ["scenario", str(path)])
    assert result.exit_code == 2
    assert f"{path}, line 20:" in "".join(result.stderr.split("\n"))
    assert "Traceback" not in result.output


def test_split_blocs_are_lined_up_from_the_keenest(tmp_path):
    text = """\
[[option]]
id = "a"

[[option]]
id = "b"

[[bloc]]
name = "Party"
size = 10
a = "split 6/2"
b = "split 3/5"
"""
    result = evaluate_scenario(load_scenario(write(tmp_path, text)))
    # members 0-2 Aye on both; 3-4 Aye on a, abstain on b; 5 Aye on a, No on b;
    # 6-7 abstain on a, No on b; 8-9 No on both
    pair = result.analysis.pair("a", "b")
    assert (pair.x_over_y, pair.y_over_x, pair.same, pair.unknown) == (1, 0, 5, 4)
    assert [(o.ayes, o.noes) for o in result.outcomes] == [(6, 2), (3, 5)]
