"""Reader for the Commons Votes CSV export of one division.

The export from the Commons Votes website: header lines (``Division Number: 386``,
``Division Date: 27/03/2019``, the title, ``Aye Count``, ``Noes Count``, ``Members
recorded``), then ``Member,Party,Constituency,Vote,Proxy Member``. Vote values: ``Aye``,
``No``, ``No Vote Recorded``, ``Teller - Ayes``, ``Teller - Noes``; a member who voted in
both lobbies has two rows. ``Proxy Member`` is ignored. The exports replace every
non-ASCII character by ``?`` (``Ynys M?n``, ``Sinn F?in``); the text is kept as it is.
``read_commons_csv`` reads one into a :class:`~tellers.records.model.DivisionRecords`
(chamber ``"Commons"``).

Ids
---
The division id is the Commons Votes ``DivisionId`` (``"655"``, as the other Commons
readers give it) taken from the file name when it is ``Division<DivisionId>.csv``, as
the website names it. An export renamed otherwise gets ``"hansard:<date>:<division
number>"`` (``"hansard:2019-03-27:386"``), which cannot collide with a DivisionId.

Members of an export carry no id. They get their MNIS id by matching ``known_members``
(for example the members of a JSON or long-CSV import): the same constituency and the
same surname, compared after the export's ``?`` substitution (``ascii_key``). Within one
parliament a constituency has one member at a time, and the surname guards against a
seat that changed hands at a by-election or general election. A member left unmatched
(no ``known_members``, or no match) gets the deterministic id
``"commons-csv:<constituency slug>:<name slug>"`` (``"commons-csv:ynys-m?n:albert-owen"``),
the same in every export of that member, so exports read on their own still line up
with each other. Two known members sharing a constituency and surname match neither.
A matched member is returned as the known :class:`Member` (with its proper spelling);
the vote keeps the party printed in the export. ``load_records`` passes as
``known_members`` the Commons members of a folder's other files plus any it is given
(the store can give the members it holds, so an export imported later lines up).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from tellers.errors import RecordFileError
from tellers.records.fields import (
    MAX_ID_DIGITS,
    check_text,
    csv_guard,
    csv_reader,
    parse_whole,
    shown,
)
from tellers.records.model import Division, DivisionRecords, Member, Vote, VoteKind
from tellers.records.readers._common import read_text
from tellers.records.readers._records import (
    COMMONS,
    VoteBook,
    ascii_key,
    column_indices,
    counted_totals,
    csv_rows,
    reader_boundary,
    slug,
    surname_key,
    with_counted_totals,
)

PARTY_BASIS = "as the Commons Votes CSV export gives it: the member's party when the file was downloaded"

__all__ = ["member_key", "read_commons_csv"]


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
_EXPORT_FILE = re.compile(rf"division([0-9]{{1,{MAX_ID_DIGITS}}})\.csv", re.IGNORECASE)


def member_key(name: str, constituency: str) -> tuple[str, str]:
    """How a CSV export's member is matched to a known member: (constituency, surname)."""
    return ascii_key(constituency), surname_key(name)


@reader_boundary
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
    table_text = "\n".join(lines[table:])
    with csv_guard(path, table_text, table):
        members, book = _member_rows(path, table, csv_reader(table_text), known, division_id, both_lobbies)
    votes = book.votes()
    if not votes:
        raise RecordFileError(
            path, len(lines), "the file lists no members", "Give the export with its member rows"
        )
    division = Division(
        id=division_id, chamber=COMMONS, date=when, title=title, number=number, ayes=ayes, noes=noes,
        party_basis=PARTY_BASIS,
    )
    if ayes is None or noes is None:
        division = with_counted_totals(division, counted_totals(votes))
    return DivisionRecords(
        source=str(path),
        chamber=COMMONS,
        members=tuple(members.values()),
        divisions=(division,),
        votes=votes,
    )


def _member_rows(
    path: Path,
    table: int,
    reader: Iterator[list[str]],
    known: dict[tuple[str, str], Member],
    division_id: str,
    both_lobbies: str,
) -> tuple[dict[str, Member], VoteBook]:
    """The members and votes of the export's member table (whose header is file line ``table + 1``)."""
    header = next(reader)
    cols = column_indices(path, table + 1, header, _EXPORT_COLUMNS, ("Proxy Member",))
    width = max(cols.values()) + 1
    book = VoteBook(path, both_lobbies)
    members: dict[str, Member] = {}
    for line, row in csv_rows(reader, path, width, len(header), table):
        name, party, constituency = (
            check_text(row[cols[c]].strip(), path, line, c.casefold())
            for c in ("Member", "Party", "Constituency")
        )
        value = row[cols["Vote"]]
        kind = _EXPORT_VOTES.get(re.sub(r"[^a-z]", "", value.casefold()))
        if kind is None:
            raise RecordFileError(
                path,
                line,
                f"unknown vote {shown(value.strip())} for {name}",
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
    return members, book


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
        with csv_guard(path, line, i):
            first = next(csv_reader(line, strict=False), [])
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
            title.append(check_text(line, path, i + 1, "title"))
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
    except ValueError:  # also a year past 9999 or a day 10**5000
        raise RecordFileError(
            path,
            field_lines["division date"],
            f"the division date {shown(raw_date)} is not a date",
            "Write it as 27/03/2019",
        ) from None

    def count(key: str, what: str) -> int | None:
        if key not in fields:
            return None
        return parse_whole(fields[key], path, field_lines[key], what)

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
