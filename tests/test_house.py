"""One way in: every command that reads divisions opens them through open_house, in one
order, says which data it used, and gets the same numbers from the bundled aggregate and
from the member-level store."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from tellers.errors import OptionError, TellersError
from tellers.parliament.cases import load_case
from tellers.parliament.house import CaseHouse, StoreHouse, open_house
from tellers.parliament.options import choose_options
from tellers.records.store import Store, default_db_path
from tellers.views.cli import app

runner = CliRunner()


# --------------------------------------------------------------------------- the order


def test_a_fresh_machine_reads_the_bundled_case():
    house = open_house()
    assert isinstance(house, CaseHouse)
    assert house.why == f"bundled, as your database {default_db_path()} does not exist"


def test_an_empty_user_database_falls_back_to_the_bundled_case():
    Store(default_db_path()).close()
    house = open_house()
    assert isinstance(house, CaseHouse)
    assert house.why == f"bundled, as your database {default_db_path()} holds no divisions"


def test_the_users_database_is_read_when_it_holds_divisions(commons_db):
    default_db_path().parent.mkdir(parents=True)
    shutil.copy(commons_db, default_db_path())
    with open_house() as house:
        assert isinstance(house, StoreHouse)
        assert house.why == "your database"
    # a command that needs divisions the database lacks takes the bundled case, saying why
    with open_house(wanted=["666", "S116-1"]) as house:
        assert isinstance(house, CaseHouse)
        assert house.why == f"bundled, as your database {default_db_path()} lacks division(s) S116-1"
    # ... but never for another chamber
    with pytest.raises(TellersError, match="no Senate divisions: your database .* holds no Senate divisions, "
                       "and the bundled case is the Commons'"):
        open_house(chamber="Senate")


def test_tellers_db_names_a_database_as_db_does(commons_db, monkeypatch, tmp_path):
    monkeypatch.setenv("TELLERS_DB", str(commons_db))
    with open_house() as house:
        assert isinstance(house, StoreHouse) and house.why == "from $TELLERS_DB"
    monkeypatch.setenv("TELLERS_DB", str(tmp_path / "typo.duckdb"))
    with pytest.raises(TellersError, match="typo.duckdb: no tellers database here"):
        open_house()
    Store(tmp_path / "empty.duckdb").close()
    monkeypatch.setenv("TELLERS_DB", str(tmp_path / "empty.duckdb"))
    with pytest.raises(TellersError, match="empty.duckdb: the database holds no divisions"):
        open_house()


def test_an_explicit_database_must_hold_divisions(tmp_path):
    Store(tmp_path / "empty.duckdb").close()
    with pytest.raises(TellersError, match="holds no divisions. Import some"):
        open_house(tmp_path / "empty.duckdb")
    assert open_house(tmp_path / "empty.duckdb", allow_empty=True).divisions() == []
    with pytest.raises(TellersError, match="not both"):
        open_house(tmp_path / "empty.duckdb", tmp_path)


def test_record_files_are_read_member_level(shared_data):
    house = open_house(data=shared_data / "commons-2019-brexit")
    assert isinstance(house, CaseHouse) and house.member_level
    assert house.why == "read from the record files, not stored"


# --------------------------------------------------------------------------- naming options


@pytest.fixture(scope="module")
def bundled():
    return CaseHouse(load_case())


def test_a_question_id_expands_to_its_options_in_its_divisions(bundled):
    chosen = choose_options(bundled, "27mar")
    assert [o.id for o in chosen.options] == [
        "no_deal", "common_market_2", "efta_eea", "customs_union", "labour_plan", "revocation_no_deal",
        "confirmatory_vote_m", "preferential_arrangements",
    ]
    assert [d.id for d in chosen.divisions] == ["655", "656", "657", "658", "659", "660", "661", "662"]
    # --tested overrides the question's own choice
    assert choose_options(bundled, "27mar", "latest").tested["customs_union"] == "666"


def test_labels_are_case_insensitive_and_short_labels_count(bundled):
    chosen = choose_options(bundled, "customs union, COMMON MARKET 2.0 ,Parl. supremacy")
    assert [o.id for o in chosen.options] == ["customs_union", "common_market_2", "parliamentary_supremacy"]
    assert [d.id for d in chosen.divisions] == ["666", "667", "669"]


def test_a_shared_label_is_ambiguous(bundled):
    with pytest.raises(OptionError, match=r"'public vote' names 2 options: confirmatory_vote_m \(661\), confirmatory_vote_e \(668\)"):
        choose_options(bundled, "public vote,customs_union")


def test_two_names_for_one_division_are_refused(bundled):
    with pytest.raises(OptionError, match=r"'customs union' and '666' name the same division \(666\); name it once"):
        choose_options(bundled, "customs union,CM2.0,666")


def test_a_typo_gets_a_suggestion(bundled):
    with pytest.raises(OptionError) as err:
        choose_options(bundled, "custom_union,common_market_2")
    assert "Did you mean 'customs_union' (Customs union)?" in str(err.value)
    assert err.value.listing == "options"


def test_cli_majority_by_question_label_and_typo():
    by_question = runner.invoke(app, ["majority", "--options", "27mar", "--json"])
    assert by_question.exit_code == 0, by_question.output
    doc = json.loads(by_question.stdout)
    assert [o["division"] for o in doc["options"]] == ["655", "656", "657", "658", "659", "660", "661", "662"]
    assert doc["condorcet_winner"] == "Customs union"

    by_label = runner.invoke(app, ["majority", "--options", "customs union,common market 2.0", "--json"])
    assert by_label.exit_code == 0, by_label.output
    pair = json.loads(by_label.stdout)["pairwise"]
    assert [(p["x"], p["y"], p["x_over_y"], p["y_over_x"]) for p in pair] == [("Customs union", "Common Market 2.0", 25, 15)]

    typo = runner.invoke(app, ["majority", "--options", "custom_union"])
    assert typo.exit_code == 2
    assert "Did you mean 'customs_union' (Customs union)? `tellers options` lists them." in typo.stderr
    assert "Traceback" not in typo.output


def test_web_errors_name_the_api_not_the_cli(bundled):
    from fastapi.testclient import TestClient

    from tellers.views.web import create_app

    client = TestClient(create_app(house=bundled))
    r = client.get("/api/majority", params={"options": "custom_union,666"})
    assert r.status_code == 400
    assert r.json()["detail"].endswith("Did you mean 'customs_union' (Customs union)? GET /api/info lists them.")
    assert "tellers" not in r.json()["detail"].replace("tellers database", "")
    r = client.get("/api/divisions/9999")
    assert r.status_code == 404
    assert r.json()["detail"] == "no division '9999' in commons2019 (aggregate by party and voting pattern); GET /api/divisions lists them"


# --------------------------------------------------------------------------- every command, both ways

COMMANDS = [
    ["divisions", "--json"],
    ["division", "666", "--json"],
    ["majority", "--options", "1apr", "--json"],
    ["whatif", "666", "--json"],
    ["whatif", "--condorcet", "common_market_2", "--options", "27mar", "--json"],
    ["power", "--parties", "666", "--json"],
    ["demo", "-q", "1apr", "--json"],
    ["options", "--json"],
    ["idealpoints", "--json"],
]


NAMED = ("member", "rebels", "note", "swings", "shapley_shubik", "banzhaf", "banzhaf_absolute", "exact",
         "minimal_winning_coalitions", "blocs", "members", "weights", "presiding_officers", "unwhipped")
"""Keys whose values name members (or players named after them): compared by size only."""
UNSAID = ("note", "rebels", "how")
"""Keys only member-level data can fill (rebels), or prose that names members: not compared."""


def _anonymous(doc):
    """The document with what only member-level data can say (names, rebels, named players) reduced to counts."""
    if isinstance(doc, dict):
        return {k: (len(v) if k in NAMED and isinstance(v, (list, dict)) else None if k in NAMED else _anonymous(v))
                for k, v in doc.items() if k not in UNSAID}
    if isinstance(doc, list):
        return [_anonymous(v) for v in doc]
    return doc


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_command_says_which_data_and_agrees_across_them(args, commons_db, tmp_path, monkeypatch):
    runs = {}
    for name in ("fresh", "empty", "store"):
        if name == "empty":
            Store(default_db_path()).close()
        if name == "store":
            default_db_path().unlink()
            shutil.copy(commons_db, default_db_path())
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (name, result.output)
        runs[name] = (json.loads(result.stdout), " ".join(result.stderr.split()))
    bundled = "data: commons2019 (aggregate by party and voting pattern) — bundled, as your database"
    assert runs["fresh"][1] == f"{bundled} {default_db_path()} does not exist"
    assert runs["empty"][1] == f"{bundled} {default_db_path()} holds no divisions"
    assert runs["store"][1] == f"data: the tellers database {default_db_path()} — your database"
    assert runs["fresh"][0] == runs["empty"][0]
    assert _anonymous(runs["fresh"][0]) == _anonymous(runs["store"][0])


def test_whatif_leaves_out_the_same_members_either_way(commons_db, monkeypatch, tmp_path):
    """The Speaker, the three Deputy Speakers and the seven Sinn Féin members: 11, from names
    in the store and from the aggregate (where each deputy leaves a no-vote row of their party)."""
    for db in (None, commons_db):
        doc = json.loads(runner.invoke(app, ["whatif", "666", "--json"] + (["--db", str(db)] if db else [])).stdout)
        assert (doc["fewest_changes"], doc["cannot_vote"], doc["ayes_after"], doc["noes_after"]) == (2, 11, 275, 274)
        text = runner.invoke(app, ["whatif", "666"] + (["--db", str(db)] if db else [])).stdout
        assert "11 members who cannot vote" in " ".join(text.split())


def test_power_counts_the_same_eligible_house_either_way(commons_db, monkeypatch, tmp_path):
    for db in (None, commons_db):
        doc = json.loads(runner.invoke(app, ["power", "--parties", "666", "--json"] + (["--db", str(db)] if db else [])).stdout)
        assert (doc["house"]["eligible"], doc["quota"]) == (639, 320)


def test_the_cli_and_the_web_app_give_the_same_json(bundled):
    from fastapi.testclient import TestClient

    from tellers.views.web import create_app

    client = TestClient(create_app(house=bundled))
    for options in ("27mar", "customs union,CM2.0,668"):
        cli = runner.invoke(app, ["majority", "--options", options, "--json"])
        assert cli.exit_code == 0, cli.output
        web = client.get("/api/majority", params={"options": options})
        assert web.status_code == 200, web.text
        assert web.json() == json.loads(cli.stdout)
    for path, args in (("/api/divisions/666", ["division", "666", "--json"]), ("/api/whatif/666", ["whatif", "666", "--json"])):
        assert client.get(path).json() == json.loads(runner.invoke(app, args).stdout)


def test_options_lists_what_the_data_can_answer():
    doc = json.loads(runner.invoke(app, ["options", "--json"]).stdout)
    assert [q["id"] for q in doc["questions"]] == ["1apr", "27mar"]
    cu = next(o for o in doc["options"] if o["id"] == "customs_union")
    assert (cu["label"], cu["short"], cu["divisions"], cu["here"]) == ("Customs union", "CU", ["658", "666"], ["658", "666"])


def test_the_commons_csv_exports_deputy_speakers_cannot_vote(shared_data, tmp_path):
    """The Commons CSV export labels the three Deputy Speakers' party "Deputy Speaker" and drops
    "Sir"/"Dame": they are still presiding officers. The export lists 649 members on 1 April
    (Newport West vacant since Paul Flynn's death), one fewer than the long CSV."""
    db = tmp_path / "csv.duckdb"
    assert runner.invoke(app, ["import", str(shared_data / "commons-2019-brexit" / "commonsvotes_csv"), "--db", str(db)]).exit_code == 0
    flip = json.loads(runner.invoke(app, ["whatif", "666", "--db", str(db), "--json"]).stdout)
    assert (flip["fewest_changes"], flip["cannot_vote"]) == (2, 11)
    house = json.loads(runner.invoke(app, ["power", "--parties", "666", "--db", str(db), "--json"]).stdout)["house"]
    assert (house["listed"], len(house["presiding_officers"]), house["eligible"], house["quota"]) == (649, 4, 638, 320)
    assert "Deputy Speaker" not in json.loads(runner.invoke(app, ["power", "--parties", "666", "--db", str(db), "--json"]).stdout)["weights"]


def test_report_and_scenario_say_which_data(commons_db, tmp_path):
    for extra, said in (([], "data: commons2019 (aggregate by party and voting pattern) — bundled"),
                        (["--db", str(commons_db)], f"data: the tellers database {commons_db} — the database named")):
        out = tmp_path / "r.html"
        result = runner.invoke(app, ["report", "-q", "1apr", "--out", str(out), *extra])
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith(said)
        assert "Customs union" in out.read_text(encoding="utf-8")
    edits = tmp_path / "edits.toml"
    edits.write_text('title = "SNP for CM2.0"\nbase = "commons2019"\ndivisions = ["667"]\n'
                     '[[edit]]\nparty = "Scottish National Party"\ndivision = "667"\nvote = "aye"\n', encoding="utf-8")
    result = runner.invoke(app, ["scenario", str(edits), "--db", str(commons_db), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"data: the tellers database {commons_db}")


def test_the_web_app_takes_a_question_id_and_lists_options_as_the_cli_does(bundled):
    from fastapi.testclient import TestClient

    from tellers.views.web import create_app

    client = TestClient(create_app(house=bundled))
    r = client.post("/api/scenario", json={"options": ["27mar"]})
    assert r.status_code == 200, r.text
    assert [d["id"] for d in r.json()["divisions"]] == ["655", "656", "657", "658", "659", "660", "661", "662"]
    info = client.get("/api/info").json()
    listed = json.loads(runner.invoke(app, ["options", "--json"]).stdout)
    assert {"options": info["options"], "questions": info["questions"]} == listed
