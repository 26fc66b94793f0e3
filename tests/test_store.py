"""The DuckDB store: transactional, idempotent imports and the division queries.

Over 400 lines on purpose: opening, importing, querying and the commands on top share one
set of hand-built records (the constants and builders below), so they stay in one file.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import tellers.records.store.imports as store_module
from tellers.views.cli import app
from tellers.errors import StoreError
from tellers.records.model import Division, DivisionRecords, Member, Vote, VoteKind
from tellers.records.store import TABLES, Store, default_db_path, table_rows

runner = CliRunner()
A, N, TA, TN, NV, B = (
    VoteKind.AYE,
    VoteKind.NO,
    VoteKind.TELLER_AYE,
    VoteKind.TELLER_NO,
    VoteKind.NO_VOTE,
    VoteKind.BOTH,
)

MEMBERS = (
    Member("1", "Ann Ash", "Labour", "Ashford"),
    Member("2", "Bob Birch", "Labour", "Birchwood"),
    Member("3", "Cat Cedar", "Labour", "Cedarton"),
    Member("4", "Dan Deal", "Labour", "Dealham"),
    Member("5", "Eve Elm", "Conservative", "Elmstead"),
    Member("6", "Fay Fir", "Conservative", "Firbank"),
    Member("7", "Gil Gum", "Conservative", "Gumley"),
    Member("8", "Hal Hazel", "Conservative", "Hazelmere"),
    Member("9", "Ivy Iroko", "Conservative", "Irokoville"),
    Member("10", "Jon Juniper", "Green", "Junipers"),
    Member("11", "Kim Kauri", "Independent", "Kauri Vale"),
)


def votes(division: str, kinds: dict[str, VoteKind], party: dict[str, str] | None = None) -> list[Vote]:
    parties = {m.id: m.party for m in MEMBERS} | (party or {})
    return [Vote(division, mid, kind, parties[mid]) for mid, kind in kinds.items()]


# Division 100: Labour 2 aye, 1 teller for the Ayes, 1 no (a rebel); Conservatives 3 no,
# 1 teller for the Noes, 1 aye (a rebel); the Green member in both lobbies; the
# Independent records no vote. Official totals (both-lobbies member left out): 3 and 4.
D100 = Division("100", "Commons", date(2019, 1, 15), "Meaningful vote", number=293, ayes=3, noes=4)
V100 = votes(
    "100",
    {
        "1": A,
        "2": A,
        "3": TA,
        "4": N,
        "5": N,
        "6": N,
        "7": N,
        "8": A,
        "9": TN,
        "10": B,
        "11": NV,
    },
)
# Division 101: official totals that do not match the votes (a correction), and a member
# (5) whose party at the time differs from their current one.
D101 = Division("101", "Commons", date(2019, 3, 27), "Customs union", number=390, ayes=6, noes=3)
V101 = votes(
    "101",
    {"1": A, "2": A, "3": A, "4": A, "5": A, "6": N, "7": N, "8": N, "9": NV, "10": A, "11": A},
    party={"5": "The Independent Group"},
)


def records(source: str = "test.json", divisions=(D100, D101), vote_list=None, members=MEMBERS) -> DivisionRecords:
    vote_list = (V100 + V101) if vote_list is None else vote_list
    return DivisionRecords(source, "Commons", tuple(members), tuple(divisions), tuple(vote_list))


def content(store: Store) -> dict[str, list]:
    return {t: table_rows(store.con, t) for t in TABLES}


def digest(store: Store) -> str:
    """A hash of the contents of every table."""
    return hashlib.sha256(repr(content(store)).encode()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


# --------------------------------------------------------------------------- opening


def test_default_path_honours_tellers_db(monkeypatch, tmp_path):
    monkeypatch.setenv("TELLERS_DB", str(tmp_path / "x.duckdb"))
    assert default_db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("TELLERS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "tellers" / "tellers.duckdb"


def test_new_database_has_the_schema(db):
    with Store(db) as store:
        assert store.counts() == {"members": 0, "divisions": 0, "votes": 0, "memberships": 0, "party_aliases": 0, "imports": 0}
        keys = store.con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY' ORDER BY 1"
        ).fetchall()
    assert dict(keys) == {
        "divisions": ["chamber", "division_id"],
        "imports": ["source", "sha256"],
        "members": ["chamber", "member_id"],
        "meta": ["key"],
        "memberships": ["chamber", "member_id", "start"],
        "party_aliases": ["alias"],
        "votes": ["chamber", "division_id", "member_id"],
    }


def test_missing_database_is_a_clear_error_when_reading(db):
    with pytest.raises(StoreError, match="no tellers database here. Import division records first"):
        Store(db, read_only=True)
    assert not db.exists()


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_text("hello, not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(junk)
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a tellers one"):
        Store(other)


# --------------------------------------------------------------------------- importing


def test_import_counts_what_it_wrote(db):
    with Store(db) as store:
        [summary] = store.import_records([records()])
        assert summary.divisions_added == 2 and summary.divisions_replaced == 0
        assert summary.members_added == 11
        assert summary.votes_written == 22
        assert not summary.unchanged
        assert store.counts() == {"members": 11, "divisions": 2, "votes": 22, "memberships": 0, "party_aliases": 0, "imports": 1}
        [(source, sha, divs, mems, vts)] = store.con.execute(
            "SELECT source, sha256, divisions, members, votes FROM imports"
        ).fetchall()
        assert (source, divs, mems, vts) == ("test.json", 2, 11, 22)
        assert len(sha) == 64


def test_import_is_idempotent(db):
    with Store(db) as store:
        store.import_records([records()])
        before = content(store)
        [again] = store.import_records([records()])
        assert again.unchanged
        assert (again.divisions_added, again.divisions_replaced, again.votes_written) == (0, 0, 0)
        assert content(store) == before


def test_sha256_is_the_source_files(db, tmp_path):
    source = tmp_path / "division.json"
    source.write_text("{}")
    with Store(db) as store:
        store.import_records([records(source=str(source))])
        sha = store.con.execute("SELECT sha256 FROM imports").fetchone()[0]
    assert sha == hashlib.sha256(b"{}").hexdigest()


def test_reimporting_a_changed_division_replaces_it_whole(db):
    with Store(db) as store:
        store.import_records([records()])
        # a corrected 101: member 11 is no longer listed, member 9 now voted no, new totals
        corrected = [v for v in V101 if v.member_id != "11"]
        corrected = [replace(v, kind=N) if v.member_id == "9" else v for v in corrected]
        new101 = replace(D101, ayes=6, noes=4)
        [summary] = store.import_records([records(divisions=(D100, new101), vote_list=V100 + corrected)])
        assert (summary.divisions_added, summary.divisions_replaced) == (0, 1)
        assert summary.votes_written == 10
        assert store.counts()["votes"] == 21
        kinds = dict(store.con.execute("SELECT member_id, kind FROM votes WHERE division_id = '101'").fetchall())
        assert "11" not in kinds and kinds["9"] == "no"
        [_, d101] = store.divisions()
        assert (d101.ayes, d101.noes, d101.counted_ayes, d101.counted_noes) == (6, 4, 6, 4)
        assert not d101.discrepancy
        # the untouched division's rows are the same rows
        assert store.con.execute("SELECT count(*) FROM votes WHERE division_id = '100'").fetchone()[0] == 11


def test_failure_part_way_leaves_the_database_as_it_was(db, monkeypatch):
    with Store(db) as store:
        store.import_records([records()])
        before = digest(store)
        changed = replace(D100, title="Meaningful vote (amended)", ayes=99)

        def explode(con):  # runs after every delete and insert, just before COMMIT
            assert con.execute("SELECT title FROM divisions WHERE division_id = '100'").fetchone()[0] == changed.title
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(store_module, "_drop_staging", explode)
        with pytest.raises(RuntimeError, match="disk on fire"):
            store.import_records([records(divisions=(changed, D101))])
        assert digest(store) == before
    with Store(db, read_only=True) as store:  # and so is the file
        assert digest(store) == before


def test_inconsistent_records_roll_back_and_name_the_problem(db):
    with Store(db) as store:
        store.import_records([records()])
        before = digest(store)
        twice = V100 + V101 + [Vote("101", "4", N, "Labour")]
        with pytest.raises(StoreError, match=r"bad\.json: member 4 has 2 votes in division 101"):
            store.import_records([records(source="bad.json", vote_list=twice)])
        orphan = V100 + V101 + [Vote("999", "4", N, "Labour")]
        with pytest.raises(StoreError, match="votes for division 999, which the file does not describe"):
            store.import_records([records(source="bad.json", vote_list=orphan)])
        stranger = V100 + V101 + [Vote("101", "12", N, "Labour")]
        with pytest.raises(StoreError, match="member 12 votes in division 101 but is not among"):
            store.import_records([records(source="bad.json", vote_list=stranger)])
        assert digest(store) == before


def test_one_transaction_per_file(db):
    good = records(source="good.json", divisions=(D100,), vote_list=V100)
    bad = records(source="bad.json", divisions=(D101,), vote_list=V101 + [Vote("101", "1", N, "Labour")])
    with Store(db) as store:
        with pytest.raises(StoreError, match=r"bad.json: .* \(the file before it was imported: 1 changed"):
            store.import_records([good, bad])
        assert [d.id for d in store.divisions()] == ["100"]
        assert store.con.execute("SELECT source FROM imports").fetchall() == [("good.json",)]


def test_a_division_in_several_files_of_one_import_comes_from_the_last(db):
    first = records(source="a.json")
    second = records(source="b.json", divisions=(replace(D101, title="Customs union (corrected)"),), vote_list=V101)
    with Store(db) as store:
        s1, s2 = store.import_records([first, second])
        assert (s1.divisions_added, s1.divisions_superseded) == (1, 1)
        assert (s2.divisions_added, s2.divisions_superseded) == (1, 0)
        assert [(d.id, d.title, d.source) for d in store.divisions()] == [
            ("100", "Meaningful vote", "a.json"),
            ("101", "Customs union (corrected)", "b.json"),
        ]
        before = content(store)
        assert all(s.unchanged for s in store.import_records([first, second]))
        assert content(store) == before


def test_member_details_come_from_the_most_recent_data(db):
    old = records(source="old.json", divisions=(D100,), vote_list=V100)
    renamed = tuple(replace(m, name="Dame Ann Ash", constituency="") if m.id == "1" else m for m in MEMBERS)
    new = records(source="new.json", divisions=(D101,), vote_list=V101, members=renamed)
    with Store(db) as store:
        store.import_records([old])
        [s] = store.import_records([new])
        assert s.members_updated == 1
        row = store.con.execute(
            "SELECT name, constituency, as_of, source FROM members WHERE member_id = '1'"
        ).fetchone()
        # newer name; an empty constituency does not erase the stored one
        assert row == ("Dame Ann Ash", "Ashford", date(2019, 3, 27), "new.json")
        before = content(store)
        # re-importing the older file changes nothing: its details are older
        [s] = store.import_records([old])
        assert s.unchanged
        assert content(store) == before


def test_totals_computed_by_a_reader_are_not_stored_as_official(db):
    computed = replace(D100, ayes=4, noes=5, totals_computed=True)
    with Store(db) as store:
        store.import_records([records(divisions=(computed, D101))])
        [d100, _] = store.divisions()
    assert (d100.ayes, d100.noes) == (None, None)
    assert (d100.result_ayes, d100.result_noes) == (d100.counted_ayes, d100.counted_noes) == (4, 5)
    assert not d100.discrepancy


def test_a_division_without_a_date_is_stored(db):
    undated = replace(D100, date=None)
    with Store(db) as store:
        store.import_records([records(divisions=(undated, D101))])
        assert [d.id for d in store.divisions()] == ["101", "100"]  # undated last


# --------------------------------------------------------------------------- queries


@pytest.fixture
def filled(db) -> Store:
    with Store(db) as store:
        store.import_records([records()])
    store = Store(db, read_only=True)
    yield store
    store.close()


def test_totals_counted_and_official(filled):
    d100, d101 = filled.divisions()
    # 100: ayes 1, 2, 8 + Green in both lobbies = 4; noes 4, 5, 6, 7 + Green = 5
    assert (d100.ayes, d100.noes, d100.counted_ayes, d100.counted_noes) == (3, 4, 4, 5)
    assert (d100.tellers, d100.no_vote, d100.both) == (2, 1, 1)
    assert d100.discrepancy  # the official totals leave the both-lobbies member out
    assert (d101.ayes, d101.noes, d101.counted_ayes, d101.counted_noes) == (6, 3, 7, 3)
    assert d101.ayes_differ and not d101.noes_differ
    assert d101.outcome == "aye"


def test_party_split_rice_and_rebels(filled):
    result = filled.division("100")
    split = {p.party: p for p in result.parties}
    assert list(split) == ["Conservative", "Labour", "Green", "Independent"]  # largest first
    lab, con, green, ind = split["Labour"], split["Conservative"], split["Green"], split["Independent"]
    assert (lab.aye, lab.no, lab.no_vote, lab.tellers, lab.both) == (2, 1, 0, 1, 0)
    assert (con.aye, con.no, con.no_vote, con.tellers, con.both) == (1, 3, 0, 1, 0)
    assert (green.aye, green.no, green.both) == (0, 0, 1)
    assert (ind.no_vote, ind.aye, ind.no) == (1, 0, 0)
    assert lab.rice == pytest.approx(1 / 3) and lab.majority == "aye"
    assert con.rice == pytest.approx(2 / 4) and con.majority == "no"
    assert green.rice is None and green.majority is None  # both lobbies is neither side
    assert ind.rice is None
    assert [(r.name, r.party, r.vote) for r in result.rebels] == [
        ("Hal Hazel", "Conservative", "aye"),
        ("Dan Deal", "Labour", "no"),
    ]


def test_party_at_the_time_of_the_vote(filled):
    result = filled.division("101")
    split = {p.party: p for p in result.parties}
    assert split["The Independent Group"].aye == 1
    assert (split["Conservative"].aye, split["Conservative"].no, split["Conservative"].no_vote) == (0, 3, 1)
    assert split["Conservative"].rice == 1.0
    # Labour all aye; Conservatives all no; independents are nobody's rebels
    assert result.rebels == ()


def test_tellers_can_rebel(db):
    vs = votes("100", {"1": A, "2": A, "3": TN, "4": A, "5": N, "9": TN})
    with Store(db) as store:
        store.import_records([records(divisions=(D100,), vote_list=vs)])
        rebels = store.division("100").rebels
    assert [(r.name, r.vote) for r in rebels] == [("Cat Cedar", "teller_no")]


def test_cohesion_across_divisions(filled):
    cohesion = {c.party: c for c in filled.cohesion()}
    assert cohesion["Labour"].divisions == 2
    assert cohesion["Labour"].rice == pytest.approx((1 / 3 + 1) / 2)
    assert cohesion["Conservative"].rice == pytest.approx((2 / 4 + 1) / 2)
    assert "Green" in cohesion and cohesion["Green"].divisions == 1  # aye in 101 only


def test_unknown_and_ambiguous_ids(db):
    lords = DivisionRecords(
        "lords.json",
        "Lords",
        (Member("L1", "Lord Lime", "Crossbench"),),
        (replace(D100, chamber="Lords", title="Lords motion"),),
        (Vote("100", "L1", A, "Crossbench"),),
    )
    with Store(db) as store:
        store.import_records([records(), lords])
        with pytest.raises(StoreError, match=r"no division '562' in .*test.duckdb") as unknown:
            store.division("562")
        assert unknown.value.listing == "divisions"  # each interface says where the ids are listed
        with pytest.raises(StoreError, match=r"several chambers \(Commons, Lords\)") as ambiguous:
            store.division("100")
        assert ambiguous.value.listing == "chambers"
        assert store.division("100", chamber="lords").totals.title == "Lords motion"
        assert store.division("101").totals.chamber == "Commons"


# --------------------------------------------------------------------------- CLI


def test_cli_divisions_and_division(filled, db):
    filled.close()
    result = runner.invoke(app, ["divisions", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "id": "100",
            "chamber": "Commons",
            "date": "2019-01-15",
            "title": "Meaningful vote",
            "ayes": 3,
            "noes": 4,
            "counted_ayes": 4,
            "counted_noes": 5,
            "official": True,
            "question": None,
            "result": None,
            "passed": False,
            "passed_recorded": None,
            "passed_by_count": False,
            "majority": "a simple majority of those voting",
            "agrees": None,
            "why": "a simple majority of those voting: 5 Ayes needed, 3 cast",
            "record_note": None,
        },
        {
            "id": "101",
            "chamber": "Commons",
            "date": "2019-03-27",
            "title": "Customs union",
            "ayes": 6,
            "noes": 3,
            "counted_ayes": 7,
            "counted_noes": 3,
            "official": True,
            "question": None,
            "result": None,
            "passed": True,
            "passed_recorded": None,
            "passed_by_count": True,
            "majority": "a simple majority of those voting",
            "agrees": None,
            "why": "a simple majority of those voting: 4 Ayes needed, 6 cast",
            "record_note": None,
        },
    ]
    result = runner.invoke(app, ["divisions", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Meaningful vote" in result.output and "(4 counted)" in result.output

    result = runner.invoke(app, ["division", "100", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {k: doc[k] for k in ("id", "date", "title", "ayes", "noes")} == {
        "id": "100",
        "date": "2019-01-15",
        "title": "Meaningful vote",
        "ayes": 3,
        "noes": 4,
    }
    assert doc["parties"]["Labour"] == {
        "aye": 2,
        "no": 1,
        "no_vote": 0,
        "tellers": 1,
        "both": 0,
        "rice": pytest.approx(1 / 3),
        "majority": "aye",
        "on_the_day": 0,
    }
    assert doc["parties"]["Green"]["both"] == 1
    assert doc["rebels"] == [
        {"member_id": "8", "name": "Hal Hazel", "party": "Conservative", "vote": "aye"},
        {"member_id": "4", "name": "Dan Deal", "party": "Labour", "vote": "no"},
    ]
    result = runner.invoke(app, ["division", "100", "--db", str(db)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    for text in ("Meaningful vote", "The Noes have it", "By party", "Rice", "0.33", "Hal Hazel", "Dan Deal"):
        assert text in result.output


def test_cli_bad_id_is_a_clean_error(filled, db):
    filled.close()
    result = runner.invoke(app, ["division", "562", "--db", str(db)])
    assert result.exit_code == 2
    assert "no division '562'" in result.stderr and "tellers divisions" in result.stderr
    assert "Traceback" not in result.output


def test_cli_without_a_database_is_a_clean_error(tmp_path):
    result = runner.invoke(app, ["divisions", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no tellers database here" in result.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_cli_uses_tellers_db(filled, db):
    filled.close()
    result = runner.invoke(app, ["divisions", "--json"], env={"TELLERS_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert [d["id"] for d in json.loads(result.stdout)] == ["100", "101"]


def test_cli_empty_database(db):
    Store(db).close()
    result = runner.invoke(app, ["divisions", "--db", str(db)])
    assert result.exit_code == 0
    assert "No divisions in" in result.output


FIXTURE = Path(__file__).parent / "data" / "commons_api" / "9001.json"


def test_cli_import_reports_per_file_and_unchanged(tmp_path):
    pytest.importorskip("tellers.records.readers", reason="readers not available")
    from tellers.records import readers as sources

    if not hasattr(sources, "load_records"):
        pytest.skip("tellers.records.readers.load_records is not there yet")
    db = tmp_path / "cli.duckdb"
    result = runner.invoke(app, ["import", str(FIXTURE), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    [file] = doc["files"]
    assert (file["divisions"], file["members"], file["votes"], file["unchanged"]) == (1, 11, 11, False)
    assert doc["store"] == {"members": 11, "divisions": 1, "votes": 11, "memberships": 0, "party_aliases": 0, "imports": 1}
    result = runner.invoke(app, ["import", str(FIXTURE), "--db", str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output
    result = runner.invoke(app, ["import", str(tmp_path / "nope.json"), "--db", str(db)])
    assert result.exit_code == 2
    assert "nope.json" in result.stderr and "Traceback" not in result.output


# --------------------------------------------------------------------------- real data


def _load(path: Path, **options) -> list[DivisionRecords]:
    from tellers.records import readers as sources

    if not hasattr(sources, "load_records"):
        pytest.skip("tellers.records.readers.load_records is not there yet")
    return sources.load_records(path, **options)


@pytest.fixture(scope="module")
def brexit_db(shared_data, tmp_path_factory):
    db = tmp_path_factory.mktemp("brexit") / "brexit.duckdb"
    recs = _load(shared_data / "commons-2019-brexit")
    with Store(db) as store:
        first = store.import_records(recs)
        before = content(store)
        second = store.import_records(_load(shared_data / "commons-2019-brexit"))
        assert content(store) == before
    return db, first, second


def test_real_brexit_divisions_reproduce_the_official_totals(brexit_db, shared_data):
    db, _, second = brexit_db
    assert all(s.unchanged for s in second), [s for s in second if not s.unchanged]
    with open(shared_data / "commons-2019-brexit" / "divisions.csv", newline="") as fh:
        expected = {row["division_id"]: (int(row["ayes"]), int(row["noes"])) for row in csv.DictReader(fh)}
    assert len(expected) == 23
    with Store(db, read_only=True) as store:
        stored = {d.id: d for d in store.divisions("Commons")}
        assert set(stored) == set(expected)
        for division_id, (ayes, noes) in expected.items():
            d = stored[division_id]
            assert (d.counted_ayes, d.counted_noes) == (ayes, noes), division_id
            assert (d.result_ayes, d.result_noes) == (ayes, noes), division_id
            assert not d.discrepancy, division_id
        mv1 = store.division("562")
        split = {p.party: p for p in mv1.parties}
        assert split["Conservative"].aye > split["Conservative"].no  # the government side
        assert any(r.party == "Conservative" and r.vote == "no" for r in mv1.rebels)


@pytest.fixture(scope="module")
def senate_db(shared_data, tmp_path_factory):
    db = tmp_path_factory.mktemp("senate") / "senate.duckdb"
    with Store(db) as store:
        first = store.import_records(_load(shared_data / "voteview-senate"))
        before = digest(store)
        second = store.import_records(_load(shared_data / "voteview-senate"))
        assert digest(store) == before
    return db, first, second


def test_real_senate_rollcalls_reproduce_yea_and_nay_counts(senate_db, shared_data):
    db, first, second = senate_db
    assert all(s.unchanged for s in second)
    assert sum(s.votes_written for s in first) > 250_000
    with Store(db, read_only=True) as store:
        stored = {d.id: d for d in store.divisions("Senate")}
    checked = 0
    for congress in (114, 115, 116):
        with open(shared_data / "voteview-senate" / f"S{congress}_rollcalls.csv", newline="") as fh:
            for row in csv.DictReader(fh):
                d = stored[f"S{congress}-{row['rollnumber']}"]
                expected = (int(row["yea_count"]), int(row["nay_count"]))
                assert (d.counted_ayes, d.counted_noes) == expected, d.id
                assert (d.ayes, d.noes) == expected, d.id  # the official totals, stored
                assert str(d.date) == row["date"], d.id
                checked += 1
    assert checked == 502 + 599 + 720
    # S117 has no rollcalls file: its totals are counted, none official
    s117 = [d for d in stored.values() if d.id.startswith("S117-")]
    assert len(s117) == 949 and all(d.ayes is None and d.date is None for d in s117)


def test_cli_import_both_lobbies(tmp_path):
    from tellers.records import readers as sources

    if not hasattr(sources, "load_records"):
        pytest.skip("tellers.records.readers.load_records is not there yet")
    db = tmp_path / "both.duckdb"
    both = FIXTURE.with_name("9002.json")  # Dev Dunn (104) is in both lobbies
    result = runner.invoke(app, ["import", str(both), "--db", str(db)])
    assert result.exit_code == 2
    assert "9002.json, line" in result.stderr and "both lobbies" in result.stderr
    assert not db.exists()  # nothing was read, so nothing was opened
    result = runner.invoke(app, ["import", str(both), str(FIXTURE), "--db", str(db), "--both-lobbies", "record"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["division", "9002", "--db", str(db), "--json"])
    doc = json.loads(result.stdout)
    assert (doc["ayes"], doc["noes"], doc["counted_ayes"], doc["counted_noes"], doc["both"]) == (3, 4, 3, 4, 1)
    assert doc["parties"]["Liberal Democrat"] == {
        "aye": 0,
        "no": 0,
        "no_vote": 0,
        "tellers": 0,
        "both": 1,
        "rice": None,
        "majority": None,
        "on_the_day": 0,
    }
    assert doc["rebels"] == []
    result = runner.invoke(app, ["division", "9002", "--db", str(db)], env={"COLUMNS": "120"})
    assert "both lobbies" in result.output and "1 in both lobbies (counted on each side)" in result.output
    result = runner.invoke(
        app, ["import", str(both), str(FIXTURE), "--db", str(db), "--both-lobbies", "record", "--json"]
    )
    assert [f["unchanged"] for f in json.loads(result.stdout)["files"]] == [True, True]
