"""Division-record readers: Commons Votes JSON and CSV, the long CSV, Voteview, load_records.

Real-data tests read ``shared/data`` in place (skipped when it is absent); the error
cases write small files to ``tmp_path``. Over 400 lines on purpose: the readers share the
record-counting helpers at the top, which check every reader against the official totals.
"""

from __future__ import annotations

from tellers.records.readers.commons_csv import PARTY_BASIS as COMMONS_CSV_PARTY_BASIS
from tellers.records.readers.commons_json import PARTY_BASIS as JSON_PARTY_BASIS
from tellers.records.readers.voteview import PARTY_BASIS as VOTEVIEW_PARTY_BASIS
import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tellers.errors import BallotFileError, InputFileError, RecordFileError
from tellers.records.model import Division, DivisionRecords, Member, Vote, VoteKind
from tellers.records.readers import load_records
from tellers.records.readers._records import ascii_key
from tellers.records.readers.brexit_csv import read_brexit_long_csv
from tellers.records.readers.commons_csv import read_commons_csv
from tellers.records.readers.commons_json import read_commons_json
from tellers.records.readers.voteview import read_voteview

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_JSON = FIXTURES / "commons_division_sample.json"
INDICATIVE = ("655", "656", "657", "658", "659", "660", "661", "662", "666", "667", "668", "669")
BOTH_LOBBIES_FIX = "pass --both-lobbies=record to store them as VoteKind.BOTH"


def counted(records: DivisionRecords) -> dict[str, tuple[int, int]]:
    """(ayes, noes) per division counted from the votes, tellers excluded."""
    kinds = Counter((v.division_id, v.kind) for v in records.votes)
    return {
        d.id: (kinds[d.id, VoteKind.AYE] + kinds[d.id, VoteKind.BOTH],
               kinds[d.id, VoteKind.NO] + kinds[d.id, VoteKind.BOTH])
        for d in records.divisions
    }


# --- real data: Commons 2019 -------------------------------------------------------------


@pytest.fixture(scope="module")
def brexit(shared_data: Path) -> Path:
    return shared_data / "commons-2019-brexit"


@pytest.fixture(scope="module")
def long_records(brexit: Path) -> DivisionRecords:
    return read_brexit_long_csv(brexit / "brexit_parliament.csv")


def test_long_csv_totals_equal_divisions_csv(brexit, long_records):
    with (brexit / "divisions.csv").open(encoding="utf-8", newline="") as f:
        official = {row["division_id"]: (int(row["ayes"]), int(row["noes"])) for row in csv.DictReader(f)}
    assert len(official) == 23
    assert counted(long_records) == official  # all 23 divisions, tellers excluded
    assert {d.id: (d.ayes, d.noes) for d in long_records.divisions} == official
    assert not any(d.totals_computed for d in long_records.divisions)


def test_long_csv_shape_ids_and_tellers(long_records):
    r = long_records
    assert (r.chamber, len(r.members), len(r.divisions), len(r.votes)) == ("Commons", 650, 23, 14950)
    assert [d.id for d in r.divisions][:2] == ["562", "576"]
    mv1 = r.divisions[0]
    assert (mv1.date, mv1.number, mv1.ayes, mv1.noes) == (date(2019, 1, 15), 293, 202, 432)
    assert r.divisions[2].title == "EU (Withdrawal) Act Section 13 Amdt (o) - Blackford"  # stripped
    kinds = Counter(v.kind for v in r.votes)
    assert kinds == {
        VoteKind.AYE: 5421,
        VoteKind.NO: 7464,
        VoteKind.NO_VOTE: 2065 - 16,
        VoteKind.TELLER_AYE: 8,
        VoteKind.TELLER_NO: 8,
    }
    tellers = {(v.division_id, v.member_id): v.kind for v in r.votes if v.kind.is_teller}
    assert tellers[("562", "4358")] is VoteKind.TELLER_AYE  # Wendy Morton
    assert tellers[("562", "4491")] is VoteKind.TELLER_NO  # Vicky Foxcroft
    assert {d for d, _ in tellers} == {"562", "623", "628", "664"}
    owen = next(m for m in r.members if m.id == "1474")
    assert owen == Member("1474", "Albert Owen", "Labour", "Ynys Môn")


def read_export(path: Path) -> tuple[dict[str, str], list[list[str]]]:
    """An export's header fields and member rows, read independently of the reader."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = dict(line.split(": ", 1) for line in lines[:9] if ": " in line)
    rows = list(csv.reader(lines[9:]))
    return fields, rows


def test_csv_exports_agree_with_long_csv_member_by_member(brexit, long_records):
    by_seat = {ascii_key(m.constituency): m.id for m in long_records.members}
    long_kind = {(v.division_id, v.member_id): v.kind for v in long_records.votes}
    files = sorted((brexit / "commonsvotes_csv").glob("Division*.csv"))
    assert [f.stem.removeprefix("Division") for f in files] == list(INDICATIVE)
    for path in files:
        export = read_commons_csv(path)
        (division,) = export.divisions
        assert division.id == path.stem.removeprefix("Division")
        assert len(export.votes) == len(export.members) == 649  # Newport West was vacant
        seat_of = {m.id: ascii_key(m.constituency) for m in export.members}
        differences = [
            v for v in export.votes
            if long_kind[division.id, by_seat[seat_of[v.member_id]]] is not v.kind
        ]
        assert differences == []
        # the header's counts equal the counted votes, and the raw file's header
        fields, rows = read_export(path)
        assert counted(export)[division.id] == (division.ayes, division.noes)
        assert (division.ayes, division.noes) == (int(fields["Aye Count"]), int(fields["Noes Count"]))
        assert division.number == int(fields["Division Number"])
        assert not division.totals_computed
        assert len(rows) == 650 and rows[0] == ["Member", "Party", "Constituency", "Vote", "Proxy Member"]


def test_csv_export_ids_and_spelling(brexit, long_records):
    path = brexit / "commonsvotes_csv" / "Division655.csv"
    alone = read_commons_csv(path)
    (division,) = alone.divisions
    assert division == Division(
        "655", "Commons", date(2019, 3, 27), "Mr Baron's motion B (No deal)", 386, 160, 400,
        party_basis=COMMONS_CSV_PARTY_BASIS,
    )
    owen = next(m for m in alone.members if m.constituency == "Ynys M?n")  # '?' kept as is
    assert owen.id == "commons-csv:ynys-m?n:albert-owen"
    # with the long CSV's members every export member gets its MNIS id and proper spelling
    matched = read_commons_csv(path, known_members=long_records.members)
    assert all(m.id.isdigit() for m in matched.members)
    assert Member("1474", "Albert Owen", "Labour", "Ynys Môn") in matched.members
    parties = {v.member_id: v.party for v in matched.votes}
    assert parties["4697"] == "Sinn F?in"  # the vote keeps the export's party text


def test_brexit_folder_imports_the_long_csv_only(brexit):
    records = load_records(brexit)
    assert [Path(r.source).name for r in records] == ["brexit_parliament.csv"]
    assert len(records[0].divisions) == 23
    exports = load_records(brexit / "commonsvotes_csv")
    assert len(exports) == 12 and all(len(r.divisions) == 1 for r in exports)


# --- real data: Voteview Senate -------------------------------------------------------------

# PROVENANCE.md's vote rows minus the President's position-taking rows.
VOTE_ROWS = {114: 50_305 - 105, 115: 60_108 - 217, 116: 72_285 - 285, 117: 95_152 - 254}


@pytest.fixture(scope="module")
def senate(shared_data: Path) -> dict[int, DivisionRecords]:
    out = {}
    for congress in VOTE_ROWS:
        (records,) = read_voteview(shared_data / "voteview-senate" / f"S{congress}_votes.csv")
        out[congress] = records
    return out


def test_voteview_totals_equal_rollcalls(senate):
    checked = 0
    for congress in (114, 115, 116):
        records = senate[congress]
        assert not any(d.totals_computed for d in records.divisions)
        assert counted(records) == {d.id: (d.ayes, d.noes) for d in records.divisions}
        checked += len(records.divisions)
    assert checked == 1821


def test_voteview_rows_ids_and_parties(senate):
    assert {c: len(r.votes) for c, r in senate.items()} == VOTE_ROWS
    assert {c: len(r.divisions) for c, r in senate.items()} == {114: 502, 115: 599, 116: 720, 117: 949}
    s114 = senate[114]
    assert s114.chamber == "Senate"
    assert s114.divisions[0] == Division(
        "S114-1", "Senate", date(2015, 1, 8),
        "HR26 - On the Amendment - In the nature of a substitute.", 1, 31, 66,
        question="On the Amendment", result="Amendment Rejected", passed=False, party_basis=VOTEVIEW_PARTY_BASIS,
    )
    assert s114.votes[0] == Vote("S114-1", "14009", VoteKind.NO, "Republican")
    ids = {m.id for r in senate.values() for m in r.members}
    assert not ids & {"99911", "99912", "99913"}  # no President
    assert all(i.isdigit() for i in ids)
    parties = Counter(m.party for m in s114.members)
    assert parties == {"Republican": 54, "Democrat": 44, "Independent": 2}
    s117 = senate[117]  # no rollcalls file: counted totals, no date
    assert all(d.totals_computed and d.date is None for d in s117.divisions)
    assert counted(s117) == {d.id: (d.ayes, d.noes) for d in s117.divisions}


# --- the hand-written Commons Votes API sample ----------------------------------------------


def test_commons_json_sample_read_exactly():
    r = read_commons_json(SAMPLE_JSON)
    assert r.source == str(SAMPLE_JSON) and r.chamber == "Commons"
    assert r.divisions == (
        Division("4321", "Commons", date(2021, 2, 3),
                 "Sample Canals (Maintenance) Bill: Third Reading", 212, 3, 2, party_basis=JSON_PARTY_BASIS),
    )
    assert set(r.votes) == {
        Vote("4321", "9001", VoteKind.AYE, "Conservative"),
        Vote("4321", "9002", VoteKind.AYE, "Labour (Co-op)"),
        Vote("4321", "9003", VoteKind.AYE, "Scottish National Party"),
        Vote("4321", "9004", VoteKind.NO, "Labour"),
        Vote("4321", "9005", VoteKind.NO, "Sinn Féin"),
        Vote("4321", "9101", VoteKind.TELLER_AYE, "Conservative"),
        Vote("4321", "9102", VoteKind.TELLER_NO, "Labour"),
        Vote("4321", "9006", VoteKind.NO_VOTE, "Liberal Democrat"),
    }
    assert len(r.votes) == 8
    assert Member("9002", "Bryn Bowen", "Labour (Co-op)", "Ynys Môn") in r.members
    assert Member("9005", "Éilis Éadaoin", "Sinn Féin", "Erne Valley") in r.members
    assert len(r.members) == 8
    assert counted(r) == {"4321": (3, 2)}
    assert load_records(SAMPLE_JSON) == [r]


def test_commons_json_list_of_divisions(tmp_path):
    doc = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    second = dict(doc, DivisionId=4322, Number=213, Date="2021-02-04T13:00:00")
    second.pop("AyeCount")  # no official totals: counted, and marked so
    path = tmp_path / "two.json"
    path.write_text(json.dumps([doc, second]), encoding="utf-8")
    r = read_commons_json(path)
    assert [(d.id, d.ayes, d.noes, d.totals_computed) for d in r.divisions] == [
        ("4321", 3, 2, False),
        ("4322", 3, 2, True),
    ]
    assert len(r.votes) == 16 and len(r.members) == 8


# --- errors ---------------------------------------------------------------------------------


def sample_text(**changes) -> tuple[dict, str]:
    doc = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    doc.update(changes)
    return doc, json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def raises(call, *args, **kwargs) -> RecordFileError:
    with pytest.raises(RecordFileError) as info:
        call(*args, **kwargs)
    return info.value


def test_error_class_shares_the_ballot_error_base():
    assert issubclass(RecordFileError, InputFileError) and issubclass(BallotFileError, InputFileError)
    err = RecordFileError("x.csv", 3, "bad", "Fix it")
    assert str(err) == "x.csv, line 3: bad. Fix it" and (err.path, err.line) == ("x.csv", 3)


def test_truncated_json_names_the_line(tmp_path):
    path = tmp_path / "division.json"
    _, text = sample_text()
    cut = "\n".join(text.splitlines()[:20])  # stops inside the AyeTellers entry
    path.write_text(cut, encoding="utf-8")
    err = raises(read_commons_json, path)
    assert err.line == 20 and "division.json, line 20: not valid JSON" in str(err)
    assert "truncated" in str(err)
    assert raises(load_records, tmp_path).line == 20  # a folder does not skip it either


def test_json_member_in_both_lobbies(tmp_path):
    doc, _ = sample_text()
    doc["Noes"].append(doc["Ayes"][0])  # Alice Ashdown (9001) in both lobbies
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    path = tmp_path / "both.json"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    second = [i for i, line in enumerate(lines, 1) if '"MemberId": 9001' in line][1]
    err = raises(read_commons_json, path)
    assert err.line == second - 1  # the line of the entry's '{' in Noes
    assert f"both.json, line {second - 1}: member 9001 (Alice Ashdown) is listed in both lobbies" in str(err)
    assert BOTH_LOBBIES_FIX in str(err)
    r = read_commons_json(path, both_lobbies="record")
    assert Vote("4321", "9001", VoteKind.BOTH, "Conservative") in r.votes
    assert len(r.votes) == 8 and counted(r)["4321"] == (3, 3)
    with pytest.raises(ValueError):
        read_commons_json(path, both_lobbies="ignore")


def test_json_search_result_without_members(tmp_path):
    path = tmp_path / "summary.json"
    _, text = sample_text(Ayes=[], Noes=[], AyeTellers=[], NoTellers=[], NoVoteRecorded=[])
    path.write_text(text, encoding="utf-8")
    err = raises(read_commons_json, path)
    assert "summary.json, line 1: division 4321 has AyeCount 3" in str(err) and "lists no members" in str(err)


def test_json_missing_field_and_wrong_shape(tmp_path):
    doc, _ = sample_text()
    del doc["Date"]
    path = tmp_path / "nodate.json"
    path.write_text(json.dumps([doc], indent=1), encoding="utf-8")
    err = raises(read_commons_json, path)
    assert err.line == 2 and "the division has no Date" in str(err)
    path = tmp_path / "other.json"
    path.write_text('{"name": "datapackage"}', encoding="utf-8")
    assert "not a Commons Votes division" in str(raises(read_commons_json, path))
    path.unlink()
    (tmp_path / "nodate.json").unlink()
    (tmp_path / "datapackage.json").write_text('{"name": "datapackage"}', encoding="utf-8")
    assert load_records(tmp_path) == []  # a folder skips JSON that is not a division


EXPORT_HEAD = (
    "Division Number: 12\r\nDivision Date: 03/02/2021\r\n\r\nSample Canals Bill: Second Reading\r\n\r\n"
    "Aye Count: 2\r\nNoes Count: 1\r\n\r\nMembers recorded\r\n"
)
EXPORT_ROWS = [
    '"Alice Ashdown","Conservative","Ashdown Vale","Aye",""',
    '"Bryn Bowen","Labour","Ynys M?n","Aye",""',
    '"Dermot Doyle","Labour","Dunmore West","No",""',
    '"Frances Finch","Liberal Democrat","Finchley Moor","No Vote Recorded",""',
    '"Tess Tellwright","Conservative","Northmoor","Teller - Ayes",""',
    '"Owain Counter","Labour","Llanfair South","Teller - Noes",""',
]
EXPORT_HEADER = "Member,Party,Constituency,Vote,Proxy Member"


def write_export(tmp_path: Path, rows=EXPORT_ROWS, header=EXPORT_HEADER, name="Division4321.csv",
                 encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes((EXPORT_HEAD + header + "\r\n" + "\r\n".join(rows) + "\r\n").encode(encoding))
    return path


def test_csv_export_read_exactly(tmp_path):
    r = read_commons_csv(write_export(tmp_path))
    assert r.divisions == (
        Division("4321", "Commons", date(2021, 2, 3), "Sample Canals Bill: Second Reading", 12, 2, 1,
                 party_basis=COMMONS_CSV_PARTY_BASIS),
    )
    kinds = {v.member_id: v.kind for v in r.votes}
    assert kinds["commons-csv:ynys-m?n:bryn-bowen"] is VoteKind.AYE
    assert kinds["commons-csv:northmoor:tess-tellwright"] is VoteKind.TELLER_AYE
    assert kinds["commons-csv:llanfair-south:owain-counter"] is VoteKind.TELLER_NO
    assert kinds["commons-csv:finchley-moor:frances-finch"] is VoteKind.NO_VOTE
    renamed = read_commons_csv(write_export(tmp_path, name="canals.csv"))
    assert renamed.divisions[0].id == "hansard:2021-02-03:12"
    # matching: same seat and surname -> the known id; same seat, other surname -> no match
    known = [Member("9002", "Mr Bryn Bowen", "Labour (Co-op)", "Ynys Môn"),
             Member("7777", "Dermot Someone", "Labour", "Dunmore West")]
    matched = read_commons_csv(write_export(tmp_path), known_members=known)
    ids = {m.id for m in matched.members}
    assert "9002" in ids and "7777" not in ids and "commons-csv:dunmore-west:dermot-doyle" in ids


def test_csv_export_member_in_both_lobbies(tmp_path):
    rows = [*EXPORT_ROWS, '"Alice Ashdown","Conservative","Ashdown Vale","No",""']
    path = write_export(tmp_path, rows)
    err = raises(read_commons_csv, path)
    assert err.line == 17
    assert "Division4321.csv, line 17: Alice Ashdown (Ashdown Vale) is listed in both lobbies" in str(err)
    assert "aye at line 11, no here" in str(err) and BOTH_LOBBIES_FIX in str(err)
    r = read_commons_csv(path, both_lobbies="record")
    both = [v for v in r.votes if v.kind is VoteKind.BOTH]
    assert len(both) == 1 and len(r.votes) == 6
    assert load_records(path, both_lobbies="record") == [r]


def test_csv_export_unknown_vote_and_missing_column(tmp_path):
    rows = [*EXPORT_ROWS[:2], '"Dermot Doyle","Labour","Dunmore West","Abstain",""']
    err = raises(read_commons_csv, write_export(tmp_path, rows))
    assert "Division4321.csv, line 13: unknown vote 'Abstain' for Dermot Doyle" in str(err)
    assert "Teller - Ayes" in str(err)
    rows = [r.rsplit(",", 2)[0] for r in EXPORT_ROWS]
    err = raises(read_commons_csv, write_export(tmp_path, rows, "Member,Party,Constituency"))
    assert err.line == 10 and "no column 'Vote'" in str(err)
    assert "Expected the columns Member, Party, Constituency, Vote" in str(err)


def test_csv_export_wrong_encoding(tmp_path):
    rows = [r.replace("M?n", "Môn") for r in EXPORT_ROWS]
    err = raises(read_commons_csv, write_export(tmp_path, rows, encoding="latin-1"))
    assert "Division4321.csv, line 12: wrong encoding" in str(err) and "UTF-8" in str(err)
    assert raises(load_records, tmp_path / "Division4321.csv").line == 12


LONG_HEADER = (
    "vote,vote_id,member_id,vote_title,vote_uin,vote_date,vote_type,member,"
    "member_constituency,member_party,member_constituency_leave_vote"
)
LONG_ROWS = [
    "aye,1,101,Motion A,CD:2019-01-15:562,2019-01-15,meaningful,Alice Ashdown,Ashdown Vale,Conservative,0.5",
    "no,1,102,Motion A,CD:2019-01-15:562,2019-01-15,meaningful,Bryn Bowen,Ynys Môn,Labour,0.5",
    "NA,1,103,Motion A,CD:2019-01-15:562,2019-01-15,meaningful,Tess Tellwright,Northmoor,Conservative,0.5",
]


def write_long(tmp_path: Path, rows=LONG_ROWS, header=LONG_HEADER) -> Path:
    path = tmp_path / "long.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_long_csv_companions_and_errors(tmp_path):
    path = write_long(tmp_path)
    (d,) = read_brexit_long_csv(path).divisions
    assert (d.ayes, d.noes, d.totals_computed) == (1, 1, True)  # no divisions.csv: counted
    (tmp_path / "tellers.csv").write_text("division_id,side,member_id\n562,aye,103\n", encoding="utf-8")
    (tmp_path / "divisions.csv").write_text("division_id,ayes,noes\n562,1,1\n", encoding="utf-8")
    r = read_brexit_long_csv(path)
    assert (r.divisions[0].totals_computed, {v.member_id: v.kind for v in r.votes}["103"]) == (
        False, VoteKind.TELLER_AYE)
    (tmp_path / "tellers.csv").write_text("division_id,side,member_id\n562,no,101\n", encoding="utf-8")
    err = raises(read_brexit_long_csv, path)
    assert "tellers.csv, line 2: member 101 tells for the no in division 562" in str(err)
    (tmp_path / "tellers.csv").unlink()

    err = raises(read_brexit_long_csv, write_long(tmp_path, header=LONG_HEADER.replace(",member_party", "")))
    assert "long.csv, line 1: the CSV header has no column 'member_party'" in str(err)
    assert "Expected the columns vote, member_id," in str(err)
    rows = [*LONG_ROWS, LONG_ROWS[0].replace("aye,", "maybe,", 1)]
    err = raises(read_brexit_long_csv, write_long(tmp_path, rows))
    assert "long.csv, line 5: unknown vote 'maybe' for member 101" in str(err)
    rows = [*LONG_ROWS, LONG_ROWS[0].replace("aye,", "no,", 1)]
    err = raises(read_brexit_long_csv, write_long(tmp_path, rows))
    assert "long.csv, line 5: member 101 (Alice Ashdown) is listed in both lobbies" in str(err)
    assert BOTH_LOBBIES_FIX in str(err)
    r = read_brexit_long_csv(tmp_path / "long.csv", both_lobbies="record")
    assert r.divisions[0].ayes == 1 and Vote("562", "101", VoteKind.BOTH, "Conservative") in r.votes


def test_folder_matches_exports_to_ids_and_rejects_same_format_duplicates(tmp_path):
    write_long(tmp_path)
    (tmp_path / "sub").mkdir()
    write_export(tmp_path / "sub")
    records = load_records(tmp_path)
    assert [Path(r.source).name for r in records] == ["long.csv", "Division4321.csv"]
    export_ids = {m.id for m in records[1].members}
    assert {"101", "102", "103"} <= export_ids  # matched by seat and surname to the long CSV
    (tmp_path / "sub2").mkdir()
    write_export(tmp_path / "sub2")  # the same division again, in the same format
    err = raises(load_records, tmp_path)
    assert "division 4321 (Commons) is also in" in str(err)


VOTES_HEADER = "congress,chamber,rollnumber,icpsr,cast_code,prob"


def write_voteview(tmp_path: Path, votes: list[str], header=VOTES_HEADER, members=True) -> Path:
    path = tmp_path / "S200_votes.csv"
    path.write_text(header + "\n" + "\n".join(votes) + "\n", encoding="utf-8")
    if members:
        (tmp_path / "S200_members.csv").write_text(
            "congress,chamber,icpsr,state_icpsr,district_code,state_abbrev,party_code,bioname\n"
            "200,President,99950,99,0,USA,100,\"PRESIDENT, A\"\n"
            "200,Senate,1,1,0,AL,100,\"ONE, A\"\n"
            "200,Senate,2,1,0,AL,555,\"TWO, B\"\n",
            encoding="utf-8",
        )
    return path


def test_voteview_small_file_and_errors(tmp_path):
    rows = ["200,Senate,1,1.0,1,99", "200,Senate,1,2.0,6.0,99", "200,Senate,1,99950.0,1,99",
            "200,Senate,2,1.0,9,99", "200,Senate,2,2.0,0,99"]
    (r,) = read_voteview(write_voteview(tmp_path, rows))
    assert r.votes == (
        Vote("S200-1", "1", VoteKind.AYE, "Democrat"),
        Vote("S200-1", "2", VoteKind.NO, "party 555"),
        Vote("S200-2", "1", VoteKind.NO_VOTE, "Democrat"),
    )
    assert [(d.id, d.ayes, d.noes, d.totals_computed) for d in r.divisions] == [
        ("S200-1", 1, 1, True), ("S200-2", 0, 0, True)]
    err = raises(read_voteview, write_voteview(tmp_path, [*rows, "200,Senate,3,1,12,99"]))
    assert "S200_votes.csv, line 7: unknown cast_code '12'" in str(err)
    err = raises(read_voteview, write_voteview(tmp_path, rows, VOTES_HEADER.replace("cast_code", "vote")))
    assert err.line == 1 and "no column 'cast_code'" in str(err)
    err = raises(read_voteview, write_voteview(tmp_path, [*rows, "200,Senate,1,2,1,99"]))
    assert "S200_votes.csv, line 7: member 2 is listed twice in roll call 1" in str(err)
    (tmp_path / "S200_rollcalls.csv").write_text(
        "congress,chamber,rollnumber,date,yea_count,nay_count\n200,Senate,1,2030-01-02,1,1\n",
        encoding="utf-8")
    err = raises(read_voteview, write_voteview(tmp_path, rows))
    assert "S200_votes.csv, line 5: roll call 2 of the Senate, congress 200, is not in S200_rollcalls.csv" in str(err)
    (tmp_path / "S200_members.csv").unlink()
    err = raises(read_voteview, write_voteview(tmp_path, rows, members=False))
    assert "S200_members.csv: no members file beside S200_votes.csv" in str(err)


@pytest.mark.parametrize("name", ["missing.json", "missing.csv", "missing-folder"])
def test_missing_path(tmp_path, name):
    err = raises(load_records, tmp_path / name)
    assert f"{name}: no such file" in str(err) and "Check the path" in str(err)
    assert "no such file" in str(raises(read_commons_json, tmp_path / "missing.json"))
    assert "no such file" in str(raises(read_commons_csv, tmp_path / "missing.csv"))
    assert "no such file" in str(raises(read_voteview, tmp_path / "S1_votes.csv"))


@pytest.mark.parametrize("name", ["Division1.csv", "division.json", "long.csv"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_text("\n  \n", encoding="utf-8")
    err = raises(load_records, path)
    assert str(err) == f"{path}, line 1: the file is empty. Give a file that contains division records"


def test_unrecognised_file(tmp_path):
    path = tmp_path / "ballots.csv"
    path.write_text("1,2,3\nA,B,C\n", encoding="utf-8")
    err = raises(load_records, path)
    assert "ballots.csv: not a recognised division-record file" in str(err)
    assert load_records(tmp_path) == []  # a folder skips what it does not recognise
    members = tmp_path / "S1_members.csv"
    members.write_text("congress,chamber,icpsr\n", encoding="utf-8")
    assert "Give the Voteview votes file S1_votes.csv" in str(raises(load_records, members))
