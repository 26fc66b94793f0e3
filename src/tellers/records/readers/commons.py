"""Readers for UK House of Commons division records.

Three formats, each read into one :class:`~tellers.parliament.DivisionRecords`
(chamber ``"Commons"``):

``read_commons_json``
    The Commons Votes API division JSON (``GET
    https://commonsvotes-api.parliament.uk/data/division/{id}.json``), or a JSON list of
    such divisions. Member ids are the API's ``MemberId`` (MNIS ids); the division id is
    ``str(DivisionId)``. Ayes/Noes -> AYE/NO, AyeTellers/NoTellers -> TELLER_AYE/TELLER_NO,
    NoVoteRecorded -> NO_VOTE. A member's party is ``Party``, with ``SubParty`` in
    brackets when set (``"Labour (Co-op)"``, as data.parliament.uk spells it).

``read_commons_csv``
    The CSV export of one division from the Commons Votes website: header lines
    (``Division Number: 386``, ``Division Date: 27/03/2019``, the title, ``Aye Count``,
    ``Noes Count``, ``Members recorded``), then ``Member,Party,Constituency,Vote,Proxy
    Member``. Vote values: ``Aye``, ``No``, ``No Vote Recorded``, ``Teller - Ayes``,
    ``Teller - Noes``; a member who voted in both lobbies has two rows. ``Proxy Member``
    is ignored. The exports replace every non-ASCII character by ``?`` (``Ynys M?n``,
    ``Sinn F?in``); the text is kept as it is.

``read_brexit_long_csv``
    The long CSV of the 2019 Brexit divisions (``brexit_parliament.csv``, one row per
    member and division, MNIS ids), with ``tellers.csv`` and ``divisions.csv`` beside it
    when present.

Ids
---
Division ids are the Commons Votes ``DivisionId`` as a string (``"655"``) in all three
formats: from the JSON, from the last part of the long CSV's ``vote_uin``
(``CD:2019-03-27:655``), and from a CSV export's file name when it is
``Division<DivisionId>.csv``, as the website names it. An export renamed otherwise gets
``"hansard:<date>:<division number>"`` (``"hansard:2019-03-27:386"``), which cannot
collide with a DivisionId.

Members of a CSV export carry no id. They get their MNIS id by matching
``known_members`` (for example the members of a JSON or long-CSV import): the same
constituency and the same surname, compared after the export's ``?`` substitution
(``ascii_key``). Within one parliament a constituency has one member at a time, and the
surname guards against a seat that changed hands at a by-election or general election.
A member left unmatched (no ``known_members``, or no match) gets the deterministic id
``"commons-csv:<constituency slug>:<name slug>"`` (``"commons-csv:ynys-m?n:albert-owen"``),
the same in every export of that member, so exports read on their own still line up
with each other. Two known members sharing a constituency and surname match neither.
A matched member is returned as the known :class:`Member` (with its proper spelling);
the vote keeps the party printed in the export. ``load_records`` passes as
``known_members`` the Commons members of a folder's other files plus any it is given
(the store can give the members it holds, so an export imported later lines up).

Caveats of the long CSV (see its PROVENANCE.md): ``member_party`` is the party at
extraction time (about 6 April 2019), not on each vote date, and is what ``Vote.party``
holds; ``NA`` lumps no vote, tellers, the Speaker and his deputies and Sinn Féin. Tellers
are known only from ``tellers.csv`` (divisions 562, 623, 628, 664); the other ``NA`` are
NO_VOTE, including the unknown tellers of 576-582.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import json.decoder
import json.scanner
import os
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from tellers.errors import RecordFileError
from tellers.records.model import Division, DivisionRecords, Member, Vote, VoteKind
from tellers.records.readers._common import read_text
from tellers.records.readers._records import (
    VoteBook,
    ascii_key,
    column_indices,
    counted_totals,
    csv_rows,
    parse_count,
    parse_date,
    slug,
    surname_key,
    with_counted_totals,
)

CHAMBER = "Commons"

__all__ = [
    "read_brexit_long_csv",
    "read_commons_csv",
    "read_commons_json",
    "member_key",
]


# --- Commons Votes API JSON -------------------------------------------------------------

_JSON_LISTS = (
    ("Ayes", VoteKind.AYE),
    ("Noes", VoteKind.NO),
    ("AyeTellers", VoteKind.TELLER_AYE),
    ("NoTellers", VoteKind.TELLER_NO),
    ("NoVoteRecorded", VoteKind.NO_VOTE),
)
_REQUIRED_LISTS = ("Ayes", "Noes")


def read_commons_json(
    path: str | os.PathLike[str], *, both_lobbies: str = "error"
) -> DivisionRecords:
    """Read a Commons Votes API division (or a JSON list of divisions)."""
    path = Path(path)
    text = read_text(path, error=RecordFileError)
    doc = load_json(path, text)
    records = records_from_json(path, text, doc, both_lobbies)
    if records is None:
        raise RecordFileError(
            path,
            1,
            "not a Commons Votes division: expected an object with DivisionId, Date, Ayes "
            "and Noes (or a list of them)",
            "Download the division from "
            "https://commonsvotes-api.parliament.uk/data/division/<DivisionId>.json",
        )
    return records


def load_json(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordFileError(
            path,
            exc.lineno,
            f"not valid JSON: {exc.msg} (column {exc.colno})",
            "The file may be truncated or edited by hand; download it again",
        ) from None


def looks_like_commons_json(doc: Any) -> bool:
    """True if ``doc`` (parsed JSON) is a division or a non-empty list of divisions."""
    items = doc if isinstance(doc, list) else [doc]
    return bool(items) and all(
        isinstance(item, dict) and _key(item, "DivisionId") is not None for item in items
    )


def records_from_json(
    path: Path, text: str, doc: Any, both_lobbies: str
) -> DivisionRecords | None:
    """The records of a parsed division JSON, or None if it is not one."""
    if not looks_like_commons_json(doc):
        return None
    lines = _JsonLines(text)
    single = isinstance(doc, dict)
    items: list[dict] = [doc] if single else doc
    book = VoteBook(path, both_lobbies)
    divisions: list[Division] = []
    members: dict[str, tuple[date, Member]] = {}
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        at: tuple = () if single else (i,)
        division = _json_division(path, item, lines, at)
        if division.id in seen:
            raise RecordFileError(
                path,
                lines.line(at),
                f"division {division.id} appears twice in the list "
                f"(also item {seen[division.id] + 1})",
                "Keep one copy of each division",
            )
        seen[division.id] = i
        listed = 0
        for name, kind in _JSON_LISTS:
            entries = _json_list(path, item, name, lines, at)
            listed += len(entries) if kind in (VoteKind.AYE, VoteKind.NO) else 0
            for j, entry in enumerate(entries):
                where = (*at, _key_name(item, name), j)
                member, party = _json_member(path, entry, lines, where)
                known = members.get(member.id)
                if known is None or known[0] <= division.date:
                    members[member.id] = (division.date, member)
                book.add(
                    Vote(division.id, member.id, kind, party),
                    partial(lines.line, where),  # found only for an error: finding it is slow
                    f"member {member.id} ({member.name})",
                )
        if not listed and (division.ayes or division.noes):
            raise RecordFileError(
                path,
                lines.line(at),
                f"division {division.id} has AyeCount {division.ayes} and NoCount "
                f"{division.noes} but lists no members: a search result, not a division record",
                f"Download https://commonsvotes-api.parliament.uk/data/division/{division.id}.json",
            )
        divisions.append(division)
    votes = book.votes()
    if any(d.totals_computed for d in divisions):
        totals = counted_totals(votes)
        divisions = [with_counted_totals(d, totals) if d.totals_computed else d for d in divisions]
    return DivisionRecords(
        source=str(path),
        chamber=CHAMBER,
        members=tuple(member for _, member in members.values()),
        divisions=tuple(divisions),
        votes=votes,
    )


def _json_division(path: Path, item: dict, lines: _JsonLines, at: tuple) -> Division:
    def need(name: str) -> Any:
        value = _key(item, name)
        if value is None:
            raise RecordFileError(
                path,
                lines.line(at),
                f"the division has no {name}",
                "Give the Commons Votes API JSON as downloaded",
            )
        return value

    division_id = _json_int(path, need("DivisionId"), "DivisionId", lines, at)
    raw_date = need("Date")
    try:
        when = datetime.fromisoformat(str(raw_date)).date()
    except ValueError:
        raise RecordFileError(
            path,
            lines.line(at),
            f"division {division_id}: Date {raw_date!r} is not an ISO date",
            "Write it as 2019-03-27T19:00:00",
        ) from None
    number = _key(item, "Number")
    ayes, noes = _key(item, "AyeCount"), _key(item, "NoCount")
    computed = ayes is None or noes is None
    return Division(
        id=str(division_id),
        chamber=CHAMBER,
        date=when,
        title=str(_key(item, "Title") or "").strip(),
        number=None if number is None else _json_int(path, number, "Number", lines, at),
        ayes=None if computed else _json_int(path, ayes, "AyeCount", lines, at),
        noes=None if computed else _json_int(path, noes, "NoCount", lines, at),
        totals_computed=computed,
    )


def _json_list(path: Path, item: dict, name: str, lines: _JsonLines, at: tuple) -> list:
    value = _key(item, name)
    if value is None:
        if name in _REQUIRED_LISTS:
            raise RecordFileError(
                path,
                lines.line(at),
                f"division {_key(item, 'DivisionId')} has no {name} list",
                "Give the Commons Votes API JSON as downloaded",
            )
        return []
    if not isinstance(value, list):
        raise RecordFileError(
            path,
            lines.line(at),
            f"{name} of division {_key(item, 'DivisionId')} is not a list of members",
            "Give the Commons Votes API JSON as downloaded",
        )
    return value


def _json_member(
    path: Path, entry: Any, lines: _JsonLines, where: tuple
) -> tuple[Member, str]:
    if not isinstance(entry, dict) or _key(entry, "MemberId") is None:
        raise RecordFileError(
            path,
            lines.line(where),
            f"entry {where[-1] + 1} of {where[-2]} is not a member with a MemberId",
            "Each entry needs MemberId, Name, Party and MemberFrom",
        )
    member_id = _json_int(path, _key(entry, "MemberId"), "MemberId", lines, where)
    party = str(_key(entry, "Party") or "").strip()
    sub_party = str(_key(entry, "SubParty") or "").strip()
    if sub_party:
        party = f"{party} ({sub_party})"
    member = Member(
        id=str(member_id),
        name=str(_key(entry, "Name") or "").strip(),
        party=party,
        constituency=str(_key(entry, "MemberFrom") or "").strip(),
    )
    return member, party


def _json_int(path: Path, value: Any, name: str, lines: _JsonLines, at: tuple) -> int:
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
    ):
        raise RecordFileError(
            path,
            lines.line(at),
            f"{name} is {value!r}, not a whole number",
            f"Give {name} as a number",
        )
    return int(value)


def _key(obj: dict, name: str) -> Any:
    """``obj[name]``, matching the key case-insensitively (``memberId`` = ``MemberId``)."""
    if name in obj:
        return obj[name]
    return obj.get(_key_name(obj, name))


def _key_name(obj: dict, name: str) -> str:
    """The key of ``obj`` that spells ``name`` (in any case); ``name`` if there is none."""
    if name not in obj:
        folded = name.casefold()
        for key in obj:
            if isinstance(key, str) and key.casefold() == folded:
                return key
    return name


class _LinedDict(dict):
    """A JSON object that remembers the line it starts on."""

    line = 0


class _JsonLines:
    """Line numbers of JSON objects, found (only when an error needs one) by re-parsing.

    ``json.loads`` keeps no positions; the pure-Python scanner lets each object record
    its line. That is slow, so it runs once, on the error path.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._doc: Any = None

    def line(self, steps: tuple) -> int | None:
        """The line where the object reached by ``steps`` (indices and keys) starts."""
        if self._doc is None:
            self._doc = self._parse()
        node = self._doc
        try:
            for step in steps:
                node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
        return node.line if isinstance(node, _LinedDict) else None

    def _parse(self) -> Any:
        newlines = [m.start() for m in re.finditer("\n", self.text)]
        decoder = json.JSONDecoder()

        def parse_object(s_and_end, *args, **kwargs):  # the '{' is at s_and_end[1] - 1
            obj, end = json.decoder.JSONObject(s_and_end, *args, **kwargs)
            located = _LinedDict(obj)
            located.line = bisect.bisect_left(newlines, s_and_end[1] - 1) + 1
            return located, end

        decoder.parse_object = parse_object
        decoder.scan_once = json.scanner.py_make_scanner(decoder)
        return decoder.decode(self.text)


# --- Commons Votes CSV export -----------------------------------------------------------

_EXPORT_VOTES = {
    "aye": VoteKind.AYE,
    "ayes": VoteKind.AYE,
    "no": VoteKind.NO,
    "noes": VoteKind.NO,
    "novoterecorded": VoteKind.NO_VOTE,
    "tellerayes": VoteKind.TELLER_AYE,
    "telleraye": VoteKind.TELLER_AYE,
    "tellernoes": VoteKind.TELLER_NO,
    "tellerno": VoteKind.TELLER_NO,
}
_EXPORT_VOTE_NAMES = "Aye, No, No Vote Recorded, Teller - Ayes, Teller - Noes"
_EXPORT_COLUMNS = ("Member", "Party", "Constituency", "Vote")
_EXPORT_HEADER = re.compile(
    r"(?P<key>division\s+number|division\s+date|ayes?\s+count|(?:noes|no)\s+count)"
    r"\s*:\s*(?P<value>.*)",
    re.IGNORECASE,
)
_EXPORT_FILE = re.compile(r"division(\d+)\.csv", re.IGNORECASE)


def member_key(name: str, constituency: str) -> tuple[str, str]:
    """How a CSV export's member is matched to a known member: (constituency, surname)."""
    return ascii_key(constituency), surname_key(name)


def read_commons_csv(
    path: str | os.PathLike[str],
    *,
    both_lobbies: str = "error",
    known_members: Iterable[Member] = (),
) -> DivisionRecords:
    """Read one Commons Votes CSV export (see the module docstring for ids and matching)."""
    path = Path(path)
    text = read_text(path, error=RecordFileError)
    lines = text.splitlines()
    number, when, ayes, noes, title, table = _export_header(path, lines)

    match = _EXPORT_FILE.fullmatch(path.name)
    if match:
        division_id = str(int(match.group(1)))
    elif number is not None:
        division_id = f"hansard:{when.isoformat()}:{number}"
    else:
        raise RecordFileError(
            path,
            1,
            "no division id: the file is not named Division<DivisionId>.csv and has no "
            "'Division Number:' line",
            "Keep the name the Commons Votes website gives the export, e.g. Division655.csv",
        )

    known = _index_known(known_members)
    reader = csv.reader(io.StringIO("\n".join(lines[table:]), newline=""))
    header = next(reader)
    cols = column_indices(path, table + 1, header, _EXPORT_COLUMNS, ("Proxy Member",))
    width = max(cols.values()) + 1
    book = VoteBook(path, both_lobbies)
    members: dict[str, Member] = {}
    for line, row in csv_rows(reader, path, width, len(header), table):
        name = row[cols["Member"]].strip()
        party = row[cols["Party"]].strip()
        constituency = row[cols["Constituency"]].strip()
        value = row[cols["Vote"]]
        kind = _EXPORT_VOTES.get(re.sub(r"[^a-z]", "", value.casefold()))
        if kind is None:
            raise RecordFileError(
                path,
                line,
                f"unknown vote {value.strip()!r} for {name}",
                f"Use one of: {_EXPORT_VOTE_NAMES}",
            )
        member = known.get(member_key(name, constituency))
        if member is None:
            member = Member(
                id=f"commons-csv:{slug(constituency)}:{slug(name)}",
                name=name,
                party=party,
                constituency=constituency,
            )
        members.setdefault(member.id, member)
        book.add(Vote(division_id, member.id, kind, party), line, f"{name} ({constituency})")

    votes = book.votes()
    if not votes:
        raise RecordFileError(
            path, len(lines), "the file lists no members", "Give the export with its member rows"
        )
    division = Division(
        id=division_id, chamber=CHAMBER, date=when, title=title, number=number, ayes=ayes, noes=noes
    )
    if ayes is None or noes is None:
        division = with_counted_totals(division, counted_totals(votes))
    return DivisionRecords(
        source=str(path),
        chamber=CHAMBER,
        members=tuple(members.values()),
        divisions=(division,),
        votes=votes,
    )


def _export_header(
    path: Path, lines: list[str]
) -> tuple[int | None, date, int | None, int | None, str, int]:
    """(number, date, ayes, noes, title, index of the table's header line)."""
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    title: list[str] = []
    table = None
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if line.casefold() == "members recorded":
            continue
        first = next(csv.reader([line]))
        if first and first[0].strip().casefold() == "member":
            table = i
            break
        match = _EXPORT_HEADER.fullmatch(line)
        if match:
            key = " ".join(match.group("key").casefold().split())
            key = {"ayes count": "aye count", "noes count": "no count"}.get(key, key)
            fields[key] = match.group("value").strip()
            field_lines[key] = i + 1
        else:
            title.append(line)
    if table is None:
        raise RecordFileError(
            path,
            len(lines),
            "no member table: no line starts with 'Member,'",
            "Give a Commons Votes CSV export: header lines, then "
            "Member,Party,Constituency,Vote,Proxy Member",
        )
    if "division date" not in fields:
        raise RecordFileError(
            path,
            table + 1,
            "no 'Division Date:' line before the member table",
            "Give the export as downloaded (it starts with Division Number and Division Date)",
        )
    raw_date = fields["division date"]
    try:
        when = (
            datetime.strptime(raw_date, "%d/%m/%Y").date()
            if "/" in raw_date
            else date.fromisoformat(raw_date)
        )
    except ValueError:
        raise RecordFileError(
            path,
            field_lines["division date"],
            f"the division date {raw_date!r} is not a date",
            "Write it as 27/03/2019",
        ) from None

    def count(key: str, what: str) -> int | None:
        if key not in fields:
            return None
        return parse_count(fields[key], path, field_lines[key], what)

    return (
        count("division number", "division number"),
        when,
        count("aye count", "Aye count"),
        count("no count", "No count"),
        " ".join(title),
        table,
    )


def _index_known(known_members: Iterable[Member]) -> dict[tuple[str, str], Member]:
    """Known members by ``member_key``; a key two members share matches neither."""
    index: dict[tuple[str, str], Member] = {}
    shared: set[tuple[str, str]] = set()
    for member in known_members:
        key = member_key(member.name, member.constituency)
        if key in index and index[key].id != member.id:
            shared.add(key)
        index.setdefault(key, member)
    for key in shared:
        del index[key]
    return index


# --- the long CSV of the 2019 Brexit divisions ------------------------------------------

_LONG_COLUMNS = (
    "vote",
    "member_id",
    "vote_title",
    "vote_uin",
    "vote_date",
    "member",
    "member_constituency",
    "member_party",
)
_LONG_VOTES = {"aye": VoteKind.AYE, "no": VoteKind.NO, "na": VoteKind.NO_VOTE}
_UIN = re.compile(r"CD:(\d{4}-\d{2}-\d{2}):(\d+)")
TELLERS_FILE = "tellers.csv"
DIVISIONS_FILE = "divisions.csv"


def read_brexit_long_csv(
    path: str | os.PathLike[str], *, both_lobbies: str = "error"
) -> DivisionRecords:
    """Read the long CSV (one row per member and division), with its companion files.

    ``tellers.csv`` beside it (``division_id,side,member_id``) turns those members'
    ``NA`` into TELLER_AYE/TELLER_NO; ``divisions.csv`` beside it
    (``division_id,...,ayes,noes``) gives the official totals. A division that
    ``divisions.csv`` does not list (or every division, without that file) gets totals
    counted from the votes, marked ``totals_computed``.
    """
    path = Path(path)
    reader = csv.reader(io.StringIO(read_text(path, error=RecordFileError), newline=""))
    header = next(reader)
    cols = column_indices(path, 1, header, _LONG_COLUMNS)
    width = max(cols.values()) + 1
    book = VoteBook(path, both_lobbies)
    members: dict[str, Member] = {}
    divisions: dict[str, Division] = {}
    for line, row in csv_rows(reader, path, width, len(header)):
        uin = row[cols["vote_uin"]].strip()
        match = _UIN.fullmatch(uin)
        if not match:
            raise RecordFileError(
                path,
                line,
                f"vote_uin {uin!r} is not CD:<date>:<DivisionId>",
                "Write it as CD:2019-01-15:562",
            )
        division_id = match.group(2)
        if division_id not in divisions:
            raw_date = row[cols["vote_date"]].strip()
            when = parse_date(raw_date, path, line, "vote_date", "2019-01-15")
            divisions[division_id] = Division(
                division_id, CHAMBER, when, row[cols["vote_title"]].strip()
            )
        member_id = row[cols["member_id"]].strip()
        if not member_id.isdigit():
            raise RecordFileError(
                path, line, f"member_id {member_id!r} is not a number", "Give the MNIS member id"
            )
        party = row[cols["member_party"]].strip()
        if member_id not in members:
            members[member_id] = Member(
                member_id,
                row[cols["member"]].strip(),
                party,
                row[cols["member_constituency"]].strip(),
            )
        value = row[cols["vote"]].strip()
        kind = _LONG_VOTES.get(value.casefold())
        if kind is None:
            raise RecordFileError(
                path,
                line,
                f"unknown vote {value!r} for member {member_id}",
                "Use aye, no or NA (no vote recorded, or a teller)",
            )
        book.add(
            Vote(division_id, member_id, kind, party),
            line,
            f"member {member_id} ({members[member_id].name})",
        )
    if not divisions:
        raise RecordFileError(
            path, reader.line_num, "the file has no vote rows", "Add rows after the header"
        )

    tellers = path.with_name(TELLERS_FILE)
    if tellers.is_file():
        _apply_tellers(tellers, book, divisions)
    official = path.with_name(DIVISIONS_FILE)
    totals = _official_totals(official) if official.is_file() else {}
    votes = book.votes()
    counted = counted_totals(votes)
    out = []
    for division in sorted(divisions.values(), key=lambda d: (d.date, int(d.id))):
        if division.id in totals:
            number, ayes, noes = totals[division.id]
            out.append(
                Division(division.id, CHAMBER, division.date, division.title, number, ayes, noes)
            )
        else:
            out.append(with_counted_totals(division, counted))
    return DivisionRecords(
        source=str(path),
        chamber=CHAMBER,
        members=tuple(members.values()),
        divisions=tuple(out),
        votes=votes,
    )


def _apply_tellers(path: Path, book: VoteBook, divisions: Mapping[str, Division]) -> None:
    """Mark the tellers listed in ``path``; their rows in the long CSV must be ``NA``."""
    reader = csv.reader(io.StringIO(read_text(path, error=RecordFileError), newline=""))
    cols = column_indices(path, 1, next(reader), ("division_id", "side", "member_id"), ("name",))
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        division_id, side, member_id = (
            row[cols[c]].strip() if cols[c] < len(row) else ""
            for c in ("division_id", "side", "member_id")
        )
        kind = {"aye": VoteKind.TELLER_AYE, "no": VoteKind.TELLER_NO}.get(side.casefold())
        if kind is None:
            raise RecordFileError(path, line, f"side {side!r} is not aye or no", "Write aye or no")
        if division_id not in divisions:
            continue  # a teller of a division this long CSV does not hold
        before = book.kind(division_id, member_id)
        if before is None:
            raise RecordFileError(
                path,
                line,
                f"member {member_id} is not in the long CSV for division {division_id}",
                "Check the member_id (an MNIS id)",
            )
        if before is not VoteKind.NO_VOTE:
            raise RecordFileError(
                path,
                line,
                f"member {member_id} tells for the {side} in division {division_id}, but the "
                f"long CSV records {before.value!r} rather than NA",
                "A teller does not vote: check the side and the member_id",
            )
        book.set_kind(division_id, member_id, kind)


def _official_totals(path: Path) -> dict[str, tuple[int | None, int, int]]:
    """(Hansard division number, ayes, noes) per division id, from ``divisions.csv``."""
    reader = csv.reader(io.StringIO(read_text(path, error=RecordFileError), newline=""))
    cols = column_indices(
        path, 1, next(reader), ("division_id", "ayes", "noes"), ("hansard_division_number",)
    )
    totals: dict[str, tuple[int | None, int, int]] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str) -> str:
            return row[cols[name]].strip() if name in cols and cols[name] < len(row) else ""

        number = cell("hansard_division_number")
        totals[cell("division_id")] = (
            parse_count(number, path, line, "hansard_division_number") if number else None,
            parse_count(cell("ayes"), path, line, "ayes count"),
            parse_count(cell("noes"), path, line, "noes count"),
        )
    return totals
