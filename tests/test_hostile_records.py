"""Hostile division-record files: each refused with exit 2, the file, the line and the fix.

The seeded corpus in ``tests/data/hostile/records/`` keeps the failures of issue 11 (digits
that ``str.isdigit`` accepts and ``int`` does not, numbers of thousands of digits, negative
and oddly written counts, control characters, a list where text belongs, broken CSV
quoting, a field over the limit, JSON nested 100,000 deep, bad encodings). Each goes
through ``tellers import FILE --db TMP`` and must leave no database behind (or the one
there unchanged). The aggregate tables, the scenario reader and the store are checked
here too.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tellers.errors import RecordFileError, StoreError
from tellers.parliament.cases import read_divisions
from tellers.parliament.coalitions.scenario_file import ScenarioError, load_scenario
from tellers.records.model import Division, DivisionRecords, Member, Vote, VoteKind
from tellers.records.patterns import VotingPatterns
from tellers.records.readers import (
    load_records,
    read_brexit_long_csv,
    read_commons_csv,
    read_commons_json,
    read_voteview,
)
from tellers.records.store import Store
from tellers.views.cli import app

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile" / "records"
SAMPLE_JSON = Path(__file__).resolve().parent / "fixtures" / "commons_division_sample.json"
DIGITS = "Write it in the digits 0-9, e.g. 12 (no sign, no separators)"
JSON_COUNT = "Give {0} as a whole number 0 or more, in the digits 0-9"
CONTROL = "Remove it (re-save the file as plain text)"
QUOTES = (
    'Close every quote (a quote inside a quoted field is written twice: ""), '
    "and keep each field under 65,536 characters"
)
JSON_FIX = "Give the Commons Votes API JSON as downloaded"

# file -> (the file the error names, if a companion; line; the message after "line N: ")
CORPUS = {
    "json_division_id_superscript.json": (None, 1, f"DivisionId is '²', not a whole number. {JSON_COUNT.format('DivisionId')}"),
    "json_member_id_superscript.json": (None, 41, f"MemberId is '¹', not a whole number. {JSON_COUNT.format('MemberId')}"),
    "json_count_superscript.json": (None, 1, f"AyeCount is '²', not a whole number. {JSON_COUNT.format('AyeCount')}"),
    "json_count_negative.json": (None, 1, f"AyeCount is -5, negative. {JSON_COUNT.format('AyeCount')}"),
    "json_count_underscore.json": (None, 1, f"NoCount is '1_000', not a whole number. {JSON_COUNT.format('NoCount')}"),
    "json_count_arabic_indic.json": (None, 1, f"NoCount is '٣', not a whole number. {JSON_COUNT.format('NoCount')}"),
    "json_count_fullwidth.json": (None, 1, f"NoCount is '１', not a whole number. {JSON_COUNT.format('NoCount')}"),
    "json_count_too_long.json": (
        None, 1, f"AyeCount is '1234567890123', a number of 13 digits (at most 9). {JSON_COUNT.format('AyeCount')}",
    ),
    "json_count_5000_digits.json": (None, 10, f"a number of 5,000 digits (at most 18). {JSON_FIX}"),
    "json_name_nul.json": (None, 41, f"the Name 'Ada\\x00Nul' holds the control character U+0000. {CONTROL}"),
    "json_title_control.json": (None, 1, f"the Title 'Bell\\x07 Bill' holds the control character U+0007. {CONTROL}"),
    "json_title_list.json": (None, 1, 'Title is a list, not text. Give Title as a string in quotes, e.g. "Title": "..."'),
    "json_party_object.json": (None, 41, 'Party is an object, not text. Give Party as a string in quotes, e.g. "Party": "..."'),
    "json_nested_100000.json": (
        None, None, "the JSON is nested too deeply to read. A Commons Votes division is nested three levels deep; "
        "download it again",
    ),
    "json_invalid_utf8.json": (
        None, 1, "wrong encoding: byte 31 (0xe9) is not UTF-8. Re-save the file as UTF-8 (a spreadsheet's "
        "'CSV UTF-8' option, or `iconv -f latin1 -t utf-8`)",
    ),
    "json_empty.json": (None, 1, "the file is empty. Give a file that contains division records"),
    "json_truncated.json": (
        None, 12, "not valid JSON: Expecting property name enclosed in double quotes (column 33). The file may be "
        "truncated or edited by hand; download it again",
    ),
    "export_count_superscript.csv": (None, 4, f"the Aye count is '²', not a whole number. {DIGITS}"),
    "export_count_negative.csv": (None, 4, f"the Aye count is '-5', not a whole number. {DIGITS}"),
    "export_count_too_long.csv": (
        None, 4, f"the Aye count is '{'9' * 40}'…, a number of 5,000 digits (at most 9). {DIGITS}",
    ),
    "export_name_nul.csv": (None, 9, f"the member 'Bo\\x00No' holds the control character U+0000. {CONTROL}"),
    "export_unclosed_quote.csv": (None, 9, f"a quote opened on this line is never closed. {QUOTES}"),
    "export_field_over_limit.csv": (None, 9, f"a CSV field is longer than 65,536 characters. {QUOTES}"),
    "long_member_id_superscript.csv": (None, 2, "member_id '²' is not a whole number. Give the MNIS member id"),
    "long_member_id_too_long.csv": (
        None, 2, f"member_id '{'1' * 40}'… is a number of 5,000 digits (at most 18). Give the MNIS member id",
    ),
    "long_uin_superscript.csv": (
        None, 2, "vote_uin 'CD:2019-01-15:²' is not CD:<date>:<DivisionId>. Write it as CD:2019-01-15:562",
    ),
    "long_name_control.csv": (None, 2, f"the member 'Ada\\x1bAye' holds the control character U+001B. {CONTROL}"),
    "voteview_icpsr_superscript_votes.csv": (None, 2, "icpsr '¹' is not a whole number. Give Voteview's ICPSR id"),
    "voteview_icpsr_too_long_votes.csv": (
        None, 2, f"icpsr '{'1' * 40}'… is a number of 5,000 digits (at most 18). Give Voteview's ICPSR id",
    ),
    "voteview_rollnumber_superscript_votes.csv": (None, 2, f"the rollnumber is '²', not a whole number. {DIGITS}"),
    "voteview_count_fullwidth_votes.csv": (
        "voteview_count_fullwidth_rollcalls.csv", 2, f"the yea_count is '１', not a whole number. {DIGITS}",
    ),
    "voteview_title_nul_votes.csv": (
        "voteview_title_nul_rollcalls.csv", 2,
        f"the title 'HR26 - On the Amendment - Amend\\x00ment' holds the control character U+0000. {CONTROL}",
    ),
    "voteview_members_unclosed_quote_votes.csv": (
        "voteview_members_unclosed_quote_members.csv", 2, f"a quote opened on this line is never closed. {QUOTES}",
    ),
}


def expected_error(name: str) -> str:
    companion, line, message = CORPUS[name]
    where = str(HOSTILE / (companion or name))
    return f"error: {where}{'' if line is None else f', line {line}'}: {message}"


def test_the_corpus_is_complete():
    """Every votes file in the corpus has its expected message (companions are read with theirs)."""
    files = {p.name for p in HOSTILE.iterdir() if not p.name.endswith(("_members.csv", "_rollcalls.csv"))}
    assert files == set(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_is_refused_by_import(name, tmp_path):
    db = tmp_path / "t.duckdb"
    result = CliRunner().invoke(app, ["import", str(HOSTILE / name), "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert " ".join(result.stderr.split()) == expected_error(name)
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert not db.exists()  # nothing was read, so nothing was opened


def test_hostile_files_leave_a_database_unchanged(tmp_path):
    runner = CliRunner()
    db = tmp_path / "t.duckdb"
    assert runner.invoke(app, ["import", str(SAMPLE_JSON), "--db", str(db)]).exit_code == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    listing = runner.invoke(app, ["divisions", "--db", str(db), "--json"]).stdout
    for name in ("json_count_negative.json", "export_unclosed_quote.csv", "voteview_title_nul_votes.csv"):
        # the good file first: the bad one stops the import before anything is written
        result = runner.invoke(app, ["import", str(SAMPLE_JSON), str(HOSTILE / name), "--db", str(db)])
        assert result.exit_code == 2
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert runner.invoke(app, ["divisions", "--db", str(db), "--json"]).stdout == listing


@pytest.mark.parametrize(
    "reader", [read_commons_json, read_commons_csv, read_brexit_long_csv, read_voteview, VotingPatterns.from_csv, read_divisions]
)
def test_a_directory_or_an_empty_file_is_refused(reader, tmp_path):
    with pytest.raises(RecordFileError) as info:
        reader(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a directory, not a division-record file. Give the path of one file inside it"
    empty = tmp_path / "x_votes.csv"
    empty.write_text("  \n")
    with pytest.raises(RecordFileError) as info:
        reader(empty)
    assert str(info.value) == f"{empty}, line 1: the file is empty. Give a file that contains division records"


def test_load_records_refuses_a_folder_with_a_hostile_file(tmp_path):
    (tmp_path / "a.json").write_bytes((HOSTILE / "json_title_list.json").read_bytes())
    with pytest.raises(RecordFileError, match=r"a\.json, line 1: Title is a list, not text"):
        load_records(tmp_path)


# --- the aggregate tables of a case folder ------------------------------------------------

PATTERNS = "# comment\nparty,members,562,576\nLabour,3,aye,no\nConservative,{count},no,{vote}\n"
DIVISIONS = "# comment\nid,chamber,date,number,title,ayes,noes\n562,Commons,2019-01-15,293,{title},{ayes},432\n"


@pytest.mark.parametrize(
    ("count", "vote", "message"),
    [
        ("²", "aye", f"line 4: the member count is '²', not a whole number. {DIGITS}"),
        ("-5", "aye", f"line 4: the member count is '-5', not a whole number. {DIGITS}"),
        ("1_000", "aye", f"line 4: the member count is '1_000', not a whole number. {DIGITS}"),
        ("9" * 5000, "aye", f"line 4: the member count is '{'9' * 40}'…, a number of 5,000 digits (at most 9). {DIGITS}"),
        ("2", "maybe", "line 4: the vote 'maybe' is not a vote. Votes are one of aye, no, teller_aye, teller_no, no_vote, both"),
        ("2", '"aye', f"line 4: a quote opened on this line is never closed. {QUOTES}"),
    ],
)
def test_patterns_csv_refuses(tmp_path, count, vote, message):
    path = tmp_path / "patterns.csv"
    path.write_text(PATTERNS.format(count=count, vote=vote), encoding="utf-8")
    with pytest.raises(RecordFileError) as info:
        VotingPatterns.from_csv(path)
    assert str(info.value) == f"{path}, {message}"


def test_patterns_csv_reads_a_good_table_and_an_empty_one(tmp_path):
    path = tmp_path / "patterns.csv"
    path.write_text(PATTERNS.format(count="2", vote="aye"), encoding="utf-8")
    table = VotingPatterns.from_csv(path)
    assert table.num_members == 5 and table.divisions == ("562", "576")
    path.write_text("party,members,562\n", encoding="utf-8")
    assert VotingPatterns.from_csv(path).codes.shape == (0, 1)


@pytest.mark.parametrize(
    ("title", "ayes", "message"),
    [
        ("Main Motion", "¹", f"line 3: the ayes is '¹', not a whole number. {DIGITS}"),
        ("Main Motion", "-202", f"line 3: the ayes is '-202', not a whole number. {DIGITS}"),
        ("Main\x00Motion", "202", f"line 3: the title 'Main\\x00Motion' holds the control character U+0000. {CONTROL}"),
        ("B" * 70000, "202", f"line 3: a CSV field is longer than 65,536 characters. {QUOTES}"),
    ],
)
def test_divisions_csv_refuses(tmp_path, title, ayes, message):
    path = tmp_path / "divisions.csv"
    path.write_text(DIVISIONS.format(title=title, ayes=ayes), encoding="utf-8")
    with pytest.raises(RecordFileError) as info:
        read_divisions(path)
    assert str(info.value) == f"{path}, {message}"


def test_divisions_csv_reads_a_good_row(tmp_path):
    path = tmp_path / "divisions.csv"
    path.write_text(DIVISIONS.format(title="Main Motion", ayes="202"), encoding="utf-8")
    assert read_divisions(path)["562"] == Division("562", "Commons", date(2019, 1, 15), "Main Motion", 293, 202, 432)


# --- scenario files -------------------------------------------------------------------------

BLOCS = '[[option]]\nid = "cu"\nlabel = {label}\n\n[[bloc]]\nname = {name}\nsize = {size}\ncu = "{stance}"\n'


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"stance": "split ²/¹"}, "line 8: bloc 'Con', stance on cu: 'split ²/¹' is not a stance. A stance is aye"),
        ({"stance": "split ١/١"}, "line 8: bloc 'Con', stance on cu: 'split ١/١' is not a stance. A stance is aye"),
        ({"stance": "split 99999999999/1"}, "line 8: bloc 'Con', stance on cu: 'split 99999999999/1' is not a stance"),
        ({"size": "-5"}, "line 7: bloc 'Con': size must be a whole number >= 0 of at most 9 digits, not -5"),
        ({"size": "1_000_000_000_000"}, "line 7: bloc 'Con': size must be a whole number >= 0 of at most 9 digits"),
        ({"size": "9" * 5000}, "a number has too many digits. Numbers in a scenario have at most 9 digits"),
        ({"label": '["x"]'}, "line 3: the option's label must be a string, not a list. Write it in quotes"),
        ({"name": '"Con\\u0000"'}, "line 6: the bloc's name 'Con\\x00' holds the control character U+0000. Remove it"),
        ({"name": "[" * 100000}, "the TOML is nested too deeply to read. A scenario's values nest at most two levels"),
    ],
)
def test_scenario_refuses(tmp_path, fields, message):
    values = {"label": '"Customs union"', "name": '"Con"', "size": "10", "stance": "aye", **fields}
    path = tmp_path / "s.toml"
    path.write_text(BLOCS.format(**values), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}{', ' if message.startswith('line') else ': '}{message}")


def test_scenario_edit_of_an_unhashable_bloc_is_refused(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(BLOCS.format(label='"CU"', name='"Con"', size=10, stance="aye") + '\n[[edit]]\nbloc = ["Con"]\noption = "cu"\nvote = "no"\n')
    with pytest.raises(ScenarioError, match=r"line 11: unknown bloc a list\. Blocs are: Con"):
        load_scenario(path)


@pytest.mark.parametrize("content", [b"", b"title = 'caf\xe9'"])
def test_scenario_empty_or_undecodable(tmp_path, content):
    path = tmp_path / "s.toml"
    path.write_bytes(content)
    with pytest.raises(ScenarioError, match="the file is empty|wrong encoding"):
        load_scenario(path)
    with pytest.raises(ScenarioError, match="is a directory, not a scenario file"):
        load_scenario(tmp_path)


# --- the store refuses what the readers refuse ------------------------------------------------


def records(**division) -> DivisionRecords:
    d = {"id": "1", "chamber": "Commons", "date": date(2019, 1, 1), "title": "T", "ayes": 1, "noes": 0, **division}
    member = Member("7", "Ada", "Labour")
    return DivisionRecords("made.json", "Commons", (member,), (Division(**d),), (Vote(d["id"], "7", VoteKind.AYE, "Labour"),))


@pytest.mark.parametrize(
    ("division", "message"),
    [
        ({"ayes": -5}, "division '1' has ayes -5: a count is a whole number from 0 to 999,999,999"),
        ({"noes": 10**12}, "division '1' has noes 1000000000000: a count is a whole number from 0 to 999,999,999"),
        ({"title": "T\x00"}, "the name or title 'T\\x00' holds the control character U+0000"),
        ({"title": ["x"]}, "the id, name or title a list is not text"),
        ({"id": "1\x1b"}, "the id '1\\x1b' is empty, too long or holds a control character"),
    ],
)
def test_store_refuses_what_a_reader_refuses(tmp_path, division, message):
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        with pytest.raises(StoreError) as info:
            store.import_records([records(**division)])
        assert str(info.value) == f"made.json: {message}; nothing was imported"
        assert store.counts()["divisions"] == 0
