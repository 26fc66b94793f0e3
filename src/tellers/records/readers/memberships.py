"""Membership histories and party aliases, from CSV.

A **membership history** says which party a member belonged to, and when::

    member_id,party,start,end
    4512,Labour,2015-05-07,2019-02-17
    4512,The Independent Group,2019-02-18,

``end`` is inclusive; an empty ``end`` means still a member. An optional ``chamber``
column ties a row to one chamber (member ids are the source's: MNIS for the Commons,
ICPSR for Voteview); without it a row applies to the id in any chamber. A member's
intervals must not overlap and none may end before it starts: either is an error naming
both lines.

A **party alias** table merges the labels sources give one party::

    alias,party
    Labour (Co-op),Labour

Both are recognised by their header (:func:`table_kind`), so `tellers import` takes them
beside division records.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tellers.errors import RecordFileError
from tellers.records.fields import check_text, csv_guard, csv_reader, parse_date, shown
from tellers.records.model import Membership, MembershipHistory
from tellers.records.readers._common import check_file, read_text
from tellers.records.readers._records import column_indices, csv_rows, reader_boundary

MEMBERSHIP_COLUMNS = ("member_id", "party", "start", "end")
ALIAS_COLUMNS = ("alias", "party")
MEMBERSHIPS = "membership history CSV"
ALIASES = "party alias CSV"


@dataclass(frozen=True)
class PartyAliases:
    """What one alias file holds: {label as a source spells it: the party it counts as}."""

    source: str
    aliases: dict[str, str]


def table_kind(header: set[str]) -> str | None:
    """:data:`MEMBERSHIPS` or :data:`ALIASES` for a CSV header (cells case-folded), else None.
    A history missing only its ``end`` column is still one (reading it names the column)."""
    if header.issuperset(MEMBERSHIP_COLUMNS[:3]):
        return MEMBERSHIPS
    if header.issuperset(ALIAS_COLUMNS) and "member_id" not in header:
        return ALIASES
    return None


def _rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (), *, what: str):
    """(line, {column: cell}) of each data row; the header checked."""
    check_file(path, error=RecordFileError)
    text = read_text(path, error=RecordFileError)
    reader = csv_reader(text)
    with csv_guard(path, text):
        header = next(reader, None)
        if header is None:
            raise RecordFileError(path, 1, "the file is empty", f"Give a header: {','.join(required)}")
        index = column_indices(path, 1, header, required, optional, what=what)
        width = max(index.values()) + 1
        for line, row in csv_rows(reader, path, width, len(header)):
            yield line, {name: row[i].strip() for name, i in index.items()}


@reader_boundary
def read_memberships(path: str | os.PathLike[str]) -> MembershipHistory:
    """The membership history in ``path`` (see the module docstring)."""
    path = Path(path)
    rows: list[tuple[int, Membership]] = []
    for line, cell in _rows(path, MEMBERSHIP_COLUMNS, ("chamber",), what="membership history"):
        member = cell["member_id"]
        if not member:
            raise RecordFileError(path, line, "the member_id is empty", "Give the member's id (MNIS, ICPSR)")
        party = check_text(cell["party"], path, line, "party")
        if not party:
            raise RecordFileError(path, line, f"member {shown(member)} has no party", "Give the party's name")
        start = parse_date(cell["start"], path, line, "the start", "2019-02-18")
        end = parse_date(cell["end"], path, line, "the end", "2019-02-18, or leave it empty") if cell["end"] else None
        if end is not None and end < start:
            raise RecordFileError(
                path, line, f"the membership of member {shown(member)} in {party} ends ({end}) before it starts ({start})",
                "Swap the dates, or correct the one that is wrong",
            )
        rows.append((line, Membership(member, party, start, end, check_text(cell.get("chamber", ""), path, line, "chamber"))))
    if not rows:
        raise RecordFileError(path, None, "the membership history has no rows", "Add one row per member and party")
    check_overlaps(path, rows)
    return MembershipHistory(str(path), tuple(m for _, m in rows))


def check_overlaps(path: Path | str, rows: list[tuple[int | None, Membership]]) -> None:
    """RecordFileError naming both lines if one member's intervals overlap (in one chamber; a row
    without a chamber is one of every chamber's)."""
    by_member: dict[str, list[tuple[int | None, Membership]]] = {}
    for line, m in rows:
        by_member.setdefault(m.member_id, []).append((line, m))
    for spans in by_member.values():
        spans.sort(key=lambda lm: lm[1].start)
        for i, (line_a, a) in enumerate(spans):
            for line_b, b in spans[i + 1:]:
                same = not a.chamber or not b.chamber or a.chamber.casefold() == b.chamber.casefold()
                if not same or not (a.end is None or a.end >= b.start):
                    continue
                until = "with no end" if a.end is None else f"until {a.end}"
                raise RecordFileError(
                    path, line_b,
                    f"the membership of member {shown(a.member_id)} in {b.party} from {b.start} overlaps "
                    f"their membership of {a.party} {until}" + (f" (line {line_a})" if line_a else ""),
                    "End the earlier membership the day before the later one starts",
                )


@reader_boundary
def read_party_aliases(path: str | os.PathLike[str]) -> PartyAliases:
    """The alias table in ``path`` (see the module docstring)."""
    path = Path(path)
    seen: dict[str, tuple[str, str, int]] = {}
    for line, cell in _rows(path, ALIAS_COLUMNS, what="party alias"):
        alias, party = (check_text(cell[c], path, line, c) for c in ALIAS_COLUMNS)
        if not alias or not party:
            raise RecordFileError(path, line, "an alias or a party is empty", "Give both: alias,party")
        before = seen.get(alias.casefold())
        if before and before[1] != party:
            raise RecordFileError(
                path, line, f"{shown(alias)} is an alias of {shown(before[1])} on line {before[2]}",
                "Keep one of the two lines",
            )
        seen[alias.casefold()] = (alias, party, line)
    if not seen:
        raise RecordFileError(path, None, "the alias table has no rows", "Add one row per alias: alias,party")
    return PartyAliases(str(path), {alias: party for alias, party, _ in seen.values()})

