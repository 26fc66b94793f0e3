"""Fuzzing the division-record readers, the aggregate tables and the scenario reader.

Each test mutates a small valid file (byte cuts and insertions, biased towards the
tokens that broke the readers before: odd digits, quotes, NUL, brackets, invalid
UTF-8, thousands of digits) and asserts that reading it either succeeds or raises a
``TellersError`` subclass: never another exception. Bounded (150 examples, a
deadline) and derandomised, so a run is reproducible. The real data in
``shared/data`` are mutated too, where present.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tellers.errors import TellersError
from tellers.parliament.cases import COMMONS_2019, read_divisions
from tellers.parliament.coalitions.scenario_file import load_scenario
from tellers.records.patterns import VotingPatterns
from tellers.records.readers import (
    load_records,
    read_brexit_long_csv,
    read_commons_csv,
    read_commons_json,
    read_voteview,
)

FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=5),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TOKENS = [
    b"\x00", b"\xff", b"\xe9", b'"', b",", b"\n", b"\r", b"-", b" ", b"#", b"=", b"[", b"]", b"{", b"}", b":",
    "²".encode(), "¹".encode(), "٣".encode(), "１".encode(), b"1_000", b"-5", b"9" * 5000, b"[" * 3000,
    b"\"\"\"", b"null", b"true", b"1e999", b"NaN", b"\\u0000", b"aye", b"no", b"split 1/2",
]
HERE = Path(__file__).resolve().parent
SAMPLE_JSON = (HERE / "fixtures" / "commons_division_sample.json").read_bytes()
EXPORT = b"""Division Number: 386
Division Date: 27/03/2019
Sample Canals (Maintenance) Bill: Third Reading
Aye Count: 1
Noes Count: 1
Members recorded
Member,Party,Constituency,Vote,Proxy Member
"Ada Aye","Labour","Northmoor","Aye",""
"Bo No","Conservative","Southmoor","No",""
"Cy Tell","Labour","Eastmoor","Teller - Ayes",""
"""
LONG = b"""vote,member_id,vote_title,vote_uin,vote_date,member,member_constituency,member_party
aye,172,Sample motion,CD:2019-01-15:562,2019-01-15,Ada Aye,Northmoor,Labour
no,173,Sample motion,CD:2019-01-15:562,2019-01-15,Bo No,Southmoor,Conservative
NA,174,Sample motion,CD:2019-01-15:562,2019-01-15,Cy Tell,Eastmoor,Labour
"""
TELLERS = b"division_id,side,member_id,name\n562,aye,174,Cy Tell\n"
OFFICIAL = b"division_id,hansard_division_number,date,ayes,noes\n562,293,2019-01-15,1,1\n"
VOTES = b"congress,chamber,rollnumber,icpsr,cast_code\n114,Senate,1,14009,1\n114,Senate,1,14010,6\n114,Senate,2,14009,9\n"
MEMBERS = (
    b"congress,chamber,icpsr,state_icpsr,district_code,state_abbrev,party_code,bioname\n"
    b'114,Senate,14009,41,0,AL,200,"SHELBY, Richard"\n114,Senate,14010,41,0,AL,100,"DOE, Jane"\n'
    b"114,President,99911,99,0,USA,100,\"OBAMA, Barack\"\n"
)
ROLLCALLS = (
    b"congress,chamber,rollnumber,date,clerk_rollnumber,yea_count,nay_count,bill_number,vote_question,vote_desc\n"
    b"114,Senate,1,2015-01-08,1,1,1,HR26,On the Amendment,Amendment\n"
    b"114,Senate,2,2015-01-09,2,0,0,HR26,On Passage,\"A bill, to extend\"\n"
)


_FIELD = re.compile(rb'[^,\n":=\[\]{}]+')
TOKEN = st.sampled_from(TOKENS)


@st.composite
def mutated(draw: st.DrawFn, data: bytes, *, keep: int = 0) -> bytes:
    """``data`` with up to three of its fields replaced, then up to three cuts and insertions.

    The replacements are mostly the tokens that broke readers before, sometimes random
    text; the first ``keep`` lines (a CSV header) are left alone, so the rows get tested.
    """
    start = sum(len(line) for line in data.splitlines(keepends=True)[:keep])
    spans = [m.span() for m in _FIELD.finditer(data, start)] or [(start, start)]
    noise = st.text(max_size=3).map(str.encode)
    replacements = st.tuples(st.sampled_from(spans), TOKEN | TOKEN | noise)
    out = bytearray(data)
    for (a, b), token in sorted(draw(st.lists(replacements, max_size=3, unique_by=lambda r: r[0])), reverse=True):
        out[a:b] = token
    edits = st.tuples(st.integers(start, len(out)), st.integers(0, 12), TOKEN | noise)
    for at, cut, insert in draw(st.lists(edits, max_size=2)):
        at = min(at, len(out))
        out[at : at + cut] = insert
    return bytes(out)


def survives(read: Callable[[Path], object], path: Path) -> None:
    """Reading ``path`` succeeds or raises a TellersError; anything else fails the test.

    So does an error the readers' own checks missed, which the reader boundary words
    as a bug to report.
    """
    try:
        read(path)
    except TellersError as exc:
        assert "please report this" not in str(exc)


def fuzz_folder(files: dict[str, bytes], read: Callable[[Path], object], target: str) -> None:
    """Write ``files`` into a fresh folder and read ``target`` (also through load_records)."""
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            (Path(folder) / name).write_bytes(data)
        survives(read, Path(folder) / target)
        if read is not load_scenario and read not in (VotingPatterns.from_csv, read_divisions):
            survives(load_records, Path(folder) / target)


@FUZZ
@given(mutated(SAMPLE_JSON))
def test_fuzz_commons_json(data):
    fuzz_folder({"division.json": data}, read_commons_json, "division.json")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
MEMBER_KEYS = st.sampled_from(["MemberId", "Name", "Party", "SubParty", "MemberFrom", "memberid"])
DIVISION_KEYS = st.sampled_from(["DivisionId", "Date", "Title", "Number", "AyeCount", "NoCount", "Ayes", "Noes"])
MEMBERS_JSON = st.lists(st.dictionaries(MEMBER_KEYS, JSON_VALUES | st.integers(-3, 10**25), max_size=5), max_size=3)


@FUZZ
@given(
    st.fixed_dictionaries(
        {"DivisionId": JSON_VALUES | st.integers(-5, 10**30), "Date": st.sampled_from(["2019-03-27", "x", 5])},
        optional={k: JSON_VALUES for k in ("Title", "Number", "AyeCount", "NoCount")}
        | {k: MEMBERS_JSON | JSON_VALUES for k in ("Ayes", "Noes", "AyeTellers", "NoVoteRecorded")},
    ),
    st.booleans(),
)
def test_fuzz_commons_json_structures(doc, as_list):
    data = json.dumps([doc, doc] if as_list else doc).encode()
    fuzz_folder({"division.json": data}, read_commons_json, "division.json")


@FUZZ
@given(mutated(EXPORT, keep=7) | mutated(EXPORT), st.sampled_from(["Division4321.csv", "export.csv"]))
def test_fuzz_commons_csv_export(data, name):
    fuzz_folder({name: data}, read_commons_csv, name)


@FUZZ
@given(mutated(LONG, keep=1), mutated(TELLERS, keep=1), mutated(OFFICIAL, keep=1) | mutated(OFFICIAL))
def test_fuzz_long_csv(data, tellers, official):
    files = {"long.csv": data, "tellers.csv": tellers, "divisions.csv": official}
    fuzz_folder(files, read_brexit_long_csv, "long.csv")


@FUZZ
@given(mutated(VOTES, keep=1) | mutated(VOTES), mutated(MEMBERS, keep=1), st.none() | mutated(ROLLCALLS, keep=1))
def test_fuzz_voteview(votes, members, rollcalls):
    files = {"S114_votes.csv": votes, "S114_members.csv": members}
    if rollcalls is not None:
        files["S114_rollcalls.csv"] = rollcalls
    fuzz_folder(files, read_voteview, "S114_votes.csv")


SCENARIO = (COMMONS_2019 / "scenario.toml").read_bytes()
EDITS = b"""title = "What if"
base = "commons2019"
divisions = ["666", "667"]

[[edit]]
party = "Scottish National Party"
division = "667"
vote = "split 3/2"

[[edit]]
party = "Labour"
whip = { "666" = "aye", "668" = "abstain" }
"""


@FUZZ
@given(mutated(SCENARIO) | mutated(EDITS))
def test_fuzz_scenario_toml(data):
    fuzz_folder({"scenario.toml": data}, load_scenario, "scenario.toml")


PATTERNS = b"\n".join((COMMONS_2019 / "patterns.csv").read_bytes().splitlines()[:12]) + b"\n"


@FUZZ
@given(mutated(PATTERNS, keep=3) | mutated(PATTERNS))
def test_fuzz_patterns_csv(data):
    fuzz_folder({"patterns.csv": data}, VotingPatterns.from_csv, "patterns.csv")


DIVISIONS = (COMMONS_2019 / "divisions.csv").read_bytes()


@FUZZ
@given(mutated(DIVISIONS, keep=3) | mutated(DIVISIONS))
def test_fuzz_divisions_csv(data):
    fuzz_folder({"divisions.csv": data}, read_divisions, "divisions.csv")


# --- the real data, mutated ------------------------------------------------------------------


def head(path: Path, lines: int) -> bytes:
    with path.open("rb") as f:
        return b"".join(f.readline() for _ in range(lines))


@pytest.fixture(scope="module")
def real_samples(shared_data: Path) -> dict[str, bytes]:
    brexit, senate = shared_data / "commons-2019-brexit", shared_data / "voteview-senate"
    return {
        "long": head(brexit / "brexit_parliament.csv", 40),
        "tellers": (brexit / "tellers.csv").read_bytes(),
        "divisions": (brexit / "divisions.csv").read_bytes(),
        "export": head(brexit / "commonsvotes_csv" / "Division655.csv", 30),
        "votes": head(senate / "S114_votes.csv", 40),
        "members": head(senate / "S114_members.csv", 40),
        "rollcalls": head(senate / "S114_rollcalls.csv", 10),
    }


@FUZZ
@given(data=st.data())
def test_fuzz_real_data(real_samples, data):
    s = real_samples
    fuzz_folder(
        {
            "brexit_parliament.csv": data.draw(mutated(s["long"], keep=1)),
            "tellers.csv": data.draw(mutated(s["tellers"], keep=1)),
            "divisions.csv": data.draw(mutated(s["divisions"], keep=1)),
        },
        read_brexit_long_csv,
        "brexit_parliament.csv",
    )
    fuzz_folder({"Division655.csv": data.draw(mutated(s["export"], keep=7))}, read_commons_csv, "Division655.csv")
    files = {f"S114_{k}.csv": data.draw(mutated(s[k], keep=1)) for k in ("votes", "members", "rollcalls")}
    fuzz_folder(files, read_voteview, "S114_votes.csv")
