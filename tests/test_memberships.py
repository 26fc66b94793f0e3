"""Party on the day: membership histories, party aliases, and the store's upgrade to hold them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tellers.errors import RecordFileError, StoreError
from tellers.records.model import Division, DivisionRecords, Member, Membership, MembershipHistory, Vote, VoteKind
from tellers.records.readers.memberships import read_memberships, read_party_aliases
from tellers.records.store import Store
from tellers.views.cli import app

runner = CliRunner()
A, N = VoteKind.AYE, VoteKind.NO

MEMBERS = (
    Member("1", "Ann Ash", "Labour"),
    Member("2", "Bob Birch", "Labour (Co-op)"),
    Member("3", "Cat Cedar", "Conservative"),
    Member("4", "Dan Deal", "Conservative"),
    Member("5", "Eve Elm", "The Independent Group"),  # the party the source gives: as of its extraction
)
DATES = {"10": date(2019, 1, 15), "20": date(2019, 3, 14), "30": date(2019, 4, 1)}


def records() -> DivisionRecords:
    divisions = tuple(Division(i, "Commons", when, f"Division {i}", ayes=3, noes=2) for i, when in DATES.items())
    votes = tuple(
        Vote(d, m.id, A if m.id in ("1", "2", "5") else N, m.party) for d in DATES for m in MEMBERS
    )
    return DivisionRecords("source.csv", "Commons", MEMBERS, divisions, votes)


HISTORY = """member_id,party,start,end
5,Labour,2015-05-07,2019-02-17
5,The Independent Group,2019-02-18,2019-03-31
5,Change UK,2019-04-01,
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.duckdb"
    with Store(path) as store:
        store.import_records([records()])
    return path


def split(db: Path, division: str) -> dict[str, tuple[int, int, int]]:
    with Store(db, read_only=True) as store:
        return {p.party: (p.aye, p.no, p.on_the_day) for p in store.division(division).parties}


def test_a_history_moves_a_member_between_parties_by_date(db, tmp_path):
    # without a history: the source's party, Labour (Co-op) merged into Labour by the built-in alias
    assert split(db, "10") == {"Labour": (2, 0, 0), "Conservative": (0, 2, 0), "The Independent Group": (1, 0, 0)}
    path = tmp_path / "history.csv"
    path.write_text(HISTORY)
    result = runner.invoke(app, ["import", str(path), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["memberships"] == [{"source": str(path), "members": 1, "memberships": 3, "replaced": 0}]
    assert split(db, "10") == {"Labour": (3, 0, 1), "Conservative": (0, 2, 0)}  # before: Labour
    assert split(db, "20") == {"Labour": (2, 0, 0), "Conservative": (0, 2, 0), "The Independent Group": (1, 0, 1)}
    assert split(db, "30") == {"Labour": (2, 0, 0), "Conservative": (0, 2, 0), "Change UK": (1, 0, 1)}
    with Store(db, read_only=True) as store:  # a vote matrix takes the party of the latest division
        assert dict(zip(store.member_votes(["10", "20"]).ids, store.member_votes(["10", "20"]).parties))["5"] == (
            "The Independent Group")
        assert dict(zip(store.member_votes(["10"]).ids, store.member_votes(["10"]).parties))["5"] == "Labour"
        # a table of several divisions takes the party on the day of the first named (what a what-if reverses)
        assert store.voting_patterns(["10", "20"]).party_sizes()["Labour"] == 3
        assert store.voting_patterns(["20", "10"]).party_sizes()["The Independent Group"] == 1
    result = runner.invoke(app, ["division", "20", "--db", str(db)], env={"COLUMNS": "200"})
    assert "Party on the day from the membership history for 1 of 5 members" in result.output


def test_importing_a_history_again_replaces_the_members_history(db, tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(HISTORY)
    runner.invoke(app, ["import", str(path), "--db", str(db)])
    path.write_text("member_id,party,start,end\n5,Labour,2015-05-07,\n")
    result = runner.invoke(app, ["import", str(path), "--db", str(db), "--json"])
    assert json.loads(result.stdout)["memberships"][0]["replaced"] == 3
    assert split(db, "30") == {"Labour": (3, 0, 1), "Conservative": (0, 2, 0)}


@pytest.mark.parametrize("rows, line, words", [
    ("5,Labour,2015-05-07,2019-02-18\n5,The Independent Group,2019-02-18,\n", 3,
     "the membership of member '5' in The Independent Group from 2019-02-18 overlaps their membership of Labour "
     "until 2019-02-18 (line 2)"),
    ("5,Labour,2015-05-07,\n5,Change UK,2019-04-01,\n", 3, "overlaps their membership of Labour with no end (line 2)"),
    ("5,Labour,2019-02-18,2019-02-17\n", 2, "ends (2019-02-17) before it starts (2019-02-18)"),
    ("5,Labour,18/02/2019,\n", 2, "the start '18/02/2019' is not a date"),
    (",Labour,2019-02-18,\n", 2, "the member_id is empty"),
])
def test_bad_histories_are_clear_errors_naming_the_line(tmp_path, db, rows, line, words):
    path = tmp_path / "bad.csv"
    path.write_text("member_id,party,start,end\n" + rows)
    with pytest.raises(RecordFileError) as err:
        read_memberships(path)
    assert f"{path}, line {line}: " in str(err.value) and words in str(err.value)
    result = runner.invoke(app, ["import", str(path), "--db", str(db)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    with Store(db, read_only=True) as store:
        assert store.counts()["memberships"] == 0


def test_an_overlap_the_reader_did_not_see_rolls_the_import_back(db):
    with Store(db) as store:
        store.import_memberships(MembershipHistory("a.csv", (Membership("5", "Labour", date(2015, 5, 7)),)))
        bad = MembershipHistory("b.csv", (Membership("5", "Labour", date(2015, 5, 7)),
                                          Membership("5", "Change UK", date(2019, 4, 1), chamber="Commons")))
        with pytest.raises(StoreError, match="overlaps their membership of Labour from 2015-05-07 with no end"):
            store.import_memberships(bad)
        assert store.counts()["memberships"] == 1


def test_a_chambers_history_replaces_one_without_a_chamber(db):
    with Store(db) as store:
        store.import_memberships(MembershipHistory("a.csv", (Membership("5", "Labour", date(2015, 5, 7)),)))
        summary = store.import_memberships(MembershipHistory("b.csv", (
            Membership("5", "Labour", date(2015, 5, 7), date(2019, 2, 17), chamber="commons"),
            Membership("5", "Change UK", date(2019, 2, 18), chamber="commons"))))
        assert summary.replaced == 1
        rows = store.con.execute("SELECT chamber, party FROM memberships ORDER BY start").fetchall()
    assert rows == [("Commons", "Labour"), ("Commons", "Change UK")]  # spelled as the divisions spell it
    assert split(db, "30") == {"Labour": (2, 0, 0), "Conservative": (0, 2, 0), "Change UK": (1, 0, 1)}


def test_party_aliases_are_one_table_the_user_extends(db, tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,party\nThe Independent Group,Change UK\n")
    assert read_party_aliases(path).aliases == {"The Independent Group": "Change UK"}
    result = runner.invoke(app, ["import", str(path), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["party_aliases"] == [{"source": str(path), "aliases": 1}]
    assert split(db, "20") == {"Labour": (2, 0, 0), "Conservative": (0, 2, 0), "Change UK": (1, 0, 0)}
    with Store(db, read_only=True) as store:
        aliases = store.party_aliases()
    assert aliases["the independent group"] == "Change UK" and aliases["sinn f?in"] == "Sinn Féin"
    # an alias of an alias is followed, and labels match in any case
    path.write_text("alias,party\nlabour,Labour Party\nTHE INDEPENDENT GROUP,TIG\n")
    assert runner.invoke(app, ["import", str(path), "--db", str(db)]).exit_code == 0
    assert split(db, "20") == {"Labour Party": (2, 0, 0), "Conservative": (0, 2, 0), "TIG": (1, 0, 0)}
    path.write_text("alias,party\nGreens,Green Party\ngreens,Green\n")
    with pytest.raises(RecordFileError, match="line 3: 'greens' is an alias of 'Green Party' on line 2"):
        read_party_aliases(path)


def test_the_commons_csv_exports_sinn_fein_is_repaired(shared_data, tmp_path):
    db = tmp_path / "c.duckdb"
    export = shared_data / "commons-2019-brexit" / "commonsvotes_csv" / "Division655.csv"
    assert runner.invoke(app, ["import", str(export), "--db", str(db)]).exit_code == 0
    with Store(db, read_only=True) as store:
        parties = {p.party: p.no_vote for p in store.division("655").parties}
    assert parties["Sinn Féin"] == 7 and "Sinn F?in" not in parties


def test_a_version_1_database_is_upgraded_in_place(db):
    with duckdb.connect(str(db)) as con:  # make it as version 1 left it
        for column in ("question", "result", "passed", "party_basis", "result_read"):
            con.execute(f"ALTER TABLE divisions DROP COLUMN {column}")
        con.execute("DROP TABLE memberships; DROP TABLE party_aliases")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Store(db, read_only=True) as store:  # a reader upgrades it once, and reads
        assert store.counts()["divisions"] == 3 and store.counts()["memberships"] == 0
        assert store.divisions()[0].result is None
        assert not store.divisions()[0].result_read  # `tellers division` says: re-import to add the results
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
