"""Reader for the long CSV of the 2019 Brexit divisions.

``read_brexit_long_csv`` reads ``brexit_parliament.csv`` (one row per member and
division, MNIS ids), with ``tellers.csv`` and ``divisions.csv`` beside it when present,
into one :class:`~tellers.records.model.DivisionRecords` (chamber ``"Commons"``). The
division id is the Commons Votes ``DivisionId``, the last part of ``vote_uin``
(``CD:2019-03-27:655`` -> ``"655"``), as the other Commons readers give it.

Caveats (see the data's PROVENANCE.md): ``member_party`` is the party at extraction time
(about 6 April 2019), not on each vote date, and is what ``Vote.party`` holds; ``NA``
lumps no vote, tellers, the Speaker and his deputies and Sinn Féin. Tellers are known
only from ``tellers.csv`` (divisions 562, 623, 628, 664); the other ``NA`` are NO_VOTE,
including the unknown tellers of 576-582.
"""

from __future__ import annotations

from dataclasses import replace

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from tellers.errors import RecordFileError
from tellers.records.fields import (
    MAX_ID_DIGITS,
    check_text,
    csv_guard,
    csv_reader,
    parse_date,
    parse_whole,
    shown,
    whole_problem,
)
from tellers.records.model import Division, DivisionRecords, Member, Vote, VoteKind
from tellers.records.readers._common import read_text
from tellers.records.readers._records import (
    COMMONS,
    VoteBook,
    column_indices,
    counted_totals,
    csv_rows,
    reader_boundary,
    with_counted_totals,
)

PARTY_BASIS = (
    "as the source gives it: each member's party in April 2019, when the records were extracted, "
    "not necessarily on the day"
)
"""What the long CSV's party labels mean (see its PROVENANCE)."""

__all__ = ["DIVISIONS_FILE", "TELLERS_FILE", "read_brexit_long_csv"]


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
_UIN = re.compile(rf"CD:([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}):([0-9]{{1,{MAX_ID_DIGITS}}})")
TELLERS_FILE = "tellers.csv"
DIVISIONS_FILE = "divisions.csv"


@reader_boundary
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
    text = read_text(path, error=RecordFileError)
    book = VoteBook(path, both_lobbies)
    with csv_guard(path, text):
        members, divisions = _vote_rows(path, csv_reader(text), book)

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
                Division(division.id, COMMONS, division.date, division.title, number, ayes, noes,
                         party_basis=PARTY_BASIS)
            )
        else:
            out.append(replace(with_counted_totals(division, counted), party_basis=PARTY_BASIS))
    return DivisionRecords(
        source=str(path),
        chamber=COMMONS,
        members=tuple(members.values()),
        divisions=tuple(out),
        votes=votes,
    )


def _vote_rows(
    path: Path, reader: Iterator[list[str]], book: VoteBook
) -> tuple[dict[str, Member], dict[str, Division]]:
    """The members and divisions of the long CSV's rows; the votes go into ``book``."""
    header = next(reader)
    cols = column_indices(path, 1, header, _LONG_COLUMNS)
    width = max(cols.values()) + 1
    members: dict[str, Member] = {}
    divisions: dict[str, Division] = {}
    for line, row in csv_rows(reader, path, width, len(header)):
        uin = row[cols["vote_uin"]].strip()
        match = _UIN.fullmatch(uin)
        if not match:
            raise RecordFileError(
                path,
                line,
                f"vote_uin {shown(uin)} is not CD:<date>:<DivisionId>",
                "Write it as CD:2019-01-15:562",
            )
        division_id = str(int(match.group(2)))
        if division_id not in divisions:
            raw_date = row[cols["vote_date"]].strip()
            when = parse_date(raw_date, path, line, "vote_date", "2019-01-15")
            title = check_text(row[cols["vote_title"]].strip(), path, line, "vote_title")
            divisions[division_id] = Division(division_id, COMMONS, when, title)
        member_id = row[cols["member_id"]].strip()
        problem = whole_problem(member_id, MAX_ID_DIGITS)
        if problem:
            raise RecordFileError(
                path, line, f"member_id {shown(member_id)} is {problem}", "Give the MNIS member id"
            )
        party = check_text(row[cols["member_party"]].strip(), path, line, "member_party")
        if member_id not in members:
            members[member_id] = Member(
                member_id,
                check_text(row[cols["member"]].strip(), path, line, "member"),
                party,
                check_text(row[cols["member_constituency"]].strip(), path, line, "member_constituency"),
            )
        value = row[cols["vote"]].strip()
        kind = _LONG_VOTES.get(value.casefold())
        if kind is None:
            raise RecordFileError(
                path,
                line,
                f"unknown vote {shown(value)} for member {member_id}",
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
    return members, divisions


def _apply_tellers(path: Path, book: VoteBook, divisions: Mapping[str, Division]) -> None:
    """Mark the tellers listed in ``path``; their rows in the long CSV must be ``NA``."""
    text = read_text(path, error=RecordFileError)
    with csv_guard(path, text):
        _tellers_rows(path, csv_reader(text), book, divisions)


def _tellers_rows(
    path: Path, reader: Iterator[list[str]], book: VoteBook, divisions: Mapping[str, Division]
) -> None:
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
            raise RecordFileError(path, line, f"side {shown(side)} is not aye or no", "Write aye or no")
        if division_id not in divisions:
            continue  # a teller of a division this long CSV does not hold
        before = book.kind(division_id, member_id)
        if before is None:
            raise RecordFileError(
                path,
                line,
                f"member {shown(member_id)} is not in the long CSV for division {division_id}",
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
    text = read_text(path, error=RecordFileError)
    with csv_guard(path, text):
        return _totals_rows(path, csv_reader(text))


def _totals_rows(path: Path, reader: Iterator[list[str]]) -> dict[str, tuple[int | None, int, int]]:
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
            parse_whole(number, path, line, "hansard_division_number") if number else None,
            parse_whole(cell("ayes"), path, line, "ayes count"),
            parse_whole(cell("noes"), path, line, "noes count"),
        )
    return totals
