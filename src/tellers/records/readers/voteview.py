"""Reader for Voteview roll calls (https://voteview.com/data, the per-congress CSVs).

``read_voteview("S114_votes.csv")`` reads the votes file with ``S114_members.csv`` and
``S114_rollcalls.csv`` beside it (same prefix). The members file is required (it gives
names and parties); the rollcalls file may be absent (as for S117): the divisions then
have no date, a generic title, and totals counted from the votes, marked
``totals_computed``.

One :class:`DivisionRecords` per congress and chamber in the file (a per-congress file
gives one; ``HSall_votes.csv`` would give many), chamber ``"Senate"`` or ``"House"``.

Ids and values:

- division id ``"<S|H><congress>-<rollnumber>"``, e.g. ``"S114-1"``; ``Division.number``
  is the clerk's roll-call number in the session when the rollcalls file gives it;
- member id: the ICPSR number as an integer string (``"14009"``, not ``"14009.0"``);
  constituency: the state (``"AL"``), or state and district for the House (``"AL-2"``);
- party from ``party_code``: 100 Democrat, 200 Republican, 328 Independent, any other
  ``"party <code>"``; the party is the member's in that congress;
- ``cast_code`` 1-3 yea (AYE), 4-6 nay (NO), 7-9 present or not voting (NO_VOTE),
  0 not a member (no vote stored);
- the President's position-taking rows (members whose ``chamber`` is ``President``,
  icpsr 99911, 99912, ...) are left out of the votes, as Voteview's own totals do.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

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
    column_indices,
    csv_rows,
    paused_gc,
    reader_boundary,
)

VOTES_COLUMNS = ("congress", "chamber", "rollnumber", "icpsr", "cast_code")
MEMBERS_COLUMNS = ("congress", "chamber", "icpsr", "party_code", "bioname")
MEMBERS_OPTIONAL = ("state_abbrev", "district_code")
ROLLCALLS_COLUMNS = ("congress", "chamber", "rollnumber", "date", "yea_count", "nay_count")
ROLLCALLS_OPTIONAL = ("clerk_rollnumber", "bill_number", "vote_question", "vote_desc", "vote_result")
PARTY_BASIS = "as Voteview gives it: the member's party in that Congress (a senator who changed party has a new ICPSR id)"

COMPANIONS = ("_members.csv", "_rollcalls.csv")
"""Suffixes of the files read with ``<prefix>_votes.csv``."""

FAILED = ("not sustained", "not well taken", "not guilty", "veto sustained", "rejected", "defeated", "failed", "not agreed")
"""Words of a recorded ``vote_result`` that say the question failed, tested first ("Veto Sustained": the override failed)."""
CARRIED = ("agreed to", "passed", "confirmed", "overridden", "well taken", "sustained", "guilty", "adopted", "ratified")
"""Words that say it carried."""


def result_passed(result: str) -> bool | None:
    """What a Voteview ``vote_result`` says: True (carried), False (failed), or None (neither)."""
    text = result.casefold()
    if any(word in text for word in FAILED):
        return False
    if any(word in text for word in CARRIED):
        return True
    return None
PARTIES = {100: "Democrat", 200: "Republican", 328: "Independent"}
PRESIDENT = "President"

_KINDS: dict[int, VoteKind | None] = {0: None}
_KINDS.update({code: VoteKind.AYE for code in (1, 2, 3)})
_KINDS.update({code: VoteKind.NO for code in (4, 5, 6)})
_KINDS.update({code: VoteKind.NO_VOTE for code in (7, 8, 9)})
# Cast codes as the files spell them ("1", or "1.0" in some downloads) -> kind; None = skip.
_CAST = {text: kind for code, kind in _KINDS.items() for text in (str(code), f"{code}.0")}
_UNKNOWN = object()

if TYPE_CHECKING:
    from _csv import Reader

__all__ = ["read_voteview", "voteview_companions"]


def voteview_companions(path: Path) -> tuple[Path, Path]:
    """The members and rollcalls files beside a ``<prefix>_votes.csv``."""
    match = re.fullmatch(r"(.*)_votes\.csv", path.name, re.IGNORECASE)
    if not match:
        raise RecordFileError(
            path,
            None,
            "a Voteview votes file must be named <prefix>_votes.csv",
            "Keep Voteview's names (S114_votes.csv beside S114_members.csv and S114_rollcalls.csv)",
        )
    prefix = match.group(1)
    return path.with_name(f"{prefix}_members.csv"), path.with_name(f"{prefix}_rollcalls.csv")


@reader_boundary
def read_voteview(path: str | os.PathLike[str]) -> list[DivisionRecords]:
    """Read a Voteview votes file and its companions: one DivisionRecords per congress and chamber.

    See the module docstring for the ids, parties and cast codes.
    """
    with paused_gc():
        return _read_voteview(Path(path))


def _read_voteview(path: Path) -> list[DivisionRecords]:
    text = read_text(path, error=RecordFileError)  # first: a missing votes file is the error
    members_path, rollcalls_path = voteview_companions(path)
    if not members_path.is_file():
        raise RecordFileError(
            members_path,
            None,
            f"no members file beside {path.name}",
            "Download it from voteview.com/data with the votes file (it gives names and parties)",
        )
    members, presidents = _read_members(members_path)
    rollcalls = _read_rollcalls(rollcalls_path) if rollcalls_path.is_file() else None
    with csv_guard(path, text):
        groups = _vote_rows(path, csv_reader(text), presidents)
    return [
        g.records(members, rollcalls, members_path, rollcalls_path) for g in groups.values()
    ]


def _vote_rows(path: Path, reader: Reader, presidents: dict[str, set[str]]) -> dict[tuple[str, str], _Group]:
    """The vote rows, grouped by congress and chamber."""
    cols = column_indices(path, 1, next(reader), VOTES_COLUMNS)
    i_congress, i_chamber, i_roll, i_icpsr, i_cast = (cols[c] for c in VOTES_COLUMNS)
    width = max(cols.values()) + 1
    ids: dict[str, str] = {}  # icpsr as written -> member id
    groups: dict[tuple[str, str], _Group] = {}
    group: _Group | None = None
    skip: set[str] = set()
    # One pass, no per-row function calls: the strings repeat, so each distinct
    # rollnumber, icpsr and cast code is parsed once and then looked up.
    for row in reader:
        if len(row) < width:
            if not any(c.strip() for c in row):
                continue
            raise RecordFileError(
                path,
                reader.line_num,
                f"the row has {len(row)} cells; the header has more columns",
                "Give every column of congress,chamber,rollnumber,icpsr,cast_code",
            )
        if (
            group is None
            or row[i_congress] != group.raw_congress
            or row[i_chamber] != group.raw_chamber
        ):
            key = (row[i_congress], row[i_chamber])
            group = groups.get(key) or groups.setdefault(key, _Group(path, reader.line_num, *key))
            skip = presidents.get(group.congress_key, set())
        kind = _CAST.get(row[i_cast], _UNKNOWN)
        if kind is _UNKNOWN:
            raise RecordFileError(
                path,
                reader.line_num,
                f"unknown cast_code {shown(row[i_cast])}",
                "Voteview cast codes are 0 to 9 (1-3 yea, 4-6 nay, 7-9 present or not voting)",
            )
        icpsr = ids.get(row[i_icpsr])
        if icpsr is None:
            icpsr = ids[row[i_icpsr]] = _icpsr(row[i_icpsr], path, reader.line_num)
        if kind is None or icpsr in skip:
            continue
        roll = group.rolls.get(row[i_roll])
        if roll is None:
            roll = group.rolls[row[i_roll]] = parse_whole(
                row[i_roll], path, reader.line_num, "rollnumber"
            )
        group.roll.append(roll)
        group.icpsr.append(icpsr)
        group.kind.append(kind)
        group.line.append(reader.line_num)

    if not groups:
        raise RecordFileError(
            path, reader.line_num, "the file has no vote rows", "Add rows after the header"
        )
    return groups


class _Group:
    """The vote rows of one congress and chamber, as read (parallel lists)."""

    def __init__(self, path: Path, line: int, congress: str, chamber: str) -> None:
        self.path = path
        self.raw_congress, self.raw_chamber = congress, chamber
        self.rolls: dict[str, int] = {}  # rollnumber as written -> number
        self.roll: list[int] = []
        self.icpsr: list[str] = []
        self.kind: list[VoteKind] = []
        self.line: list[int] = []
        self.congress_key = str(parse_whole(congress, path, line, "congress"))
        self.chamber = chamber.strip()
        if self.chamber not in ("Senate", "House"):
            raise RecordFileError(
                path,
                line,
                f"chamber {shown(chamber)} is not Senate or House",
                "Give a Voteview votes file as downloaded",
            )

    def records(
        self,
        members: dict[tuple[str, str, str], Member],
        rollcalls: dict[tuple[str, str, int], tuple] | None,
        members_path: Path,
        rollcalls_path: Path,
    ) -> DivisionRecords:
        congress, chamber = self.congress_key, self.chamber
        prefix = f"{chamber[0]}{congress}-"
        pairs = set(zip(self.roll, self.icpsr))
        if len(pairs) < len(self.roll):
            seen: set[tuple[int, str]] = set()
            for roll, icpsr, line in zip(self.roll, self.icpsr, self.line):
                if (roll, icpsr) in seen:
                    raise RecordFileError(
                        self.path,
                        line,
                        f"member {icpsr} is listed twice in roll call {roll}",
                        "List each member once per roll call",
                    )
                seen.add((roll, icpsr))
        used: dict[str, Member] = {}
        for icpsr, line in zip(self.icpsr, self.line):
            if icpsr in used:
                continue
            member = members.get((congress, chamber, icpsr))
            if member is None:
                raise RecordFileError(
                    self.path,
                    line,
                    f"member {icpsr} is not in {members_path.name} for the {chamber} "
                    f"of congress {congress}",
                    "Use the members file of the same download",
                )
            used[icpsr] = member

        rolls = sorted(set(self.roll))
        ids = {roll: f"{prefix}{roll}" for roll in rolls}
        party = {icpsr: member.party for icpsr, member in used.items()}
        votes = tuple(
            map(Vote, map(ids.__getitem__, self.roll), self.icpsr, self.kind,
                map(party.__getitem__, self.icpsr))
        )
        divisions = []
        if rollcalls is None:
            ayes: dict[int, int] = dict.fromkeys(rolls, 0)
            noes: dict[int, int] = dict.fromkeys(rolls, 0)
            for roll, kind in zip(self.roll, self.kind):
                if kind is VoteKind.AYE:
                    ayes[roll] += 1
                elif kind is VoteKind.NO:
                    noes[roll] += 1
            for roll in rolls:
                divisions.append(
                    Division(
                        id=ids[roll],
                        chamber=chamber,
                        date=None,
                        title=f"{chamber} roll call {roll}, congress {congress}",
                        ayes=ayes[roll],
                        noes=noes[roll],
                        totals_computed=True,
                        party_basis=PARTY_BASIS,
                    )
                )
        else:
            listed = sorted(r for (c, ch, r) in rollcalls if (c, ch) == (congress, chamber))
            missing = sorted(set(rolls) - set(listed))
            if missing:
                line = self.line[self.roll.index(missing[0])]
                raise RecordFileError(
                    self.path,
                    line,
                    f"roll call {missing[0]} of the {chamber}, congress {congress}, is not in "
                    f"{rollcalls_path.name}",
                    "Use the rollcalls file of the same download, or remove it to count the "
                    "totals from the votes",
                )
            for roll in listed:
                when, number, yeas, nays, title, question, result = rollcalls[congress, chamber, roll]
                divisions.append(Division(
                    f"{prefix}{roll}", chamber, when, title, number, yeas, nays, question=question,
                    result=result or None, passed=result_passed(result), party_basis=PARTY_BASIS,
                ))
        return DivisionRecords(
            source=str(self.path),
            chamber=chamber,
            members=tuple(used.values()),
            divisions=tuple(divisions),
            votes=votes,
        )


def _icpsr(raw: str, path: Path, line: int) -> str:
    text = raw.strip()
    if text.endswith(".0"):
        text = text[:-2]
    problem = whole_problem(text, MAX_ID_DIGITS)
    if problem:
        raise RecordFileError(
            path, line, f"icpsr {shown(raw)} is {problem}", "Give Voteview's ICPSR id"
        )
    return str(int(text))


def _party(code: str, path: Path, line: int) -> str:
    number = parse_whole(code, path, line, "party_code")
    return PARTIES.get(number, f"party {number}")


def _read_members(
    path: Path,
) -> tuple[dict[tuple[str, str, str], Member], dict[str, set[str]]]:
    """Members by (congress, chamber, icpsr), and the President's icpsr ids per congress."""
    text = read_text(path, error=RecordFileError)
    with csv_guard(path, text):
        return _member_rows(path, csv_reader(text))


def _member_rows(path: Path, reader: Reader) -> tuple[dict[tuple[str, str, str], Member], dict[str, set[str]]]:
    cols = column_indices(path, 1, next(reader), MEMBERS_COLUMNS, MEMBERS_OPTIONAL)
    width = max(cols.values()) + 1
    members: dict[tuple[str, str, str], Member] = {}
    presidents: dict[str, set[str]] = {}
    for line, row in csv_rows(reader, path, width, skip_wide_blank=False):
        congress = str(parse_whole(row[cols["congress"]], path, line, "congress"))
        chamber = row[cols["chamber"]].strip()
        icpsr = _icpsr(row[cols["icpsr"]], path, line)
        if chamber == PRESIDENT:
            presidents.setdefault(congress, set()).add(icpsr)
            continue
        state = row[cols["state_abbrev"]].strip() if "state_abbrev" in cols else ""
        check_text(state, path, line, "state_abbrev")
        district = row[cols["district_code"]].strip() if "district_code" in cols else ""
        if chamber == "House" and state and district:
            state = f"{state}-{parse_whole(district, path, line, 'district_code')}"
        members[congress, chamber, icpsr] = Member(
            id=icpsr,
            name=check_text(row[cols["bioname"]].strip(), path, line, "bioname"),
            party=_party(row[cols["party_code"]], path, line),
            constituency=state,
        )
    return members, presidents


def _read_rollcalls(path: Path) -> dict[tuple[str, str, int], tuple]:
    """(date, clerk number, yeas, nays, title, question, result) by (congress, chamber, rollnumber)."""
    text = read_text(path, error=RecordFileError)
    with csv_guard(path, text):
        return _rollcall_rows(path, csv_reader(text))


def _rollcall_rows(path: Path, reader: Reader) -> dict[tuple[str, str, int], tuple]:
    cols = column_indices(path, 1, next(reader), ROLLCALLS_COLUMNS, ROLLCALLS_OPTIONAL)
    width = max(cols.values()) + 1
    rollcalls: dict[tuple[str, str, int], tuple] = {}

    def cell(row: list[str], name: str) -> str:
        return row[cols[name]].strip() if name in cols else ""

    for line, row in csv_rows(reader, path, width, skip_wide_blank=False):
        congress = str(parse_whole(row[cols["congress"]], path, line, "congress"))
        chamber = cell(row, "chamber")
        roll = parse_whole(row[cols["rollnumber"]], path, line, "rollnumber")
        when = parse_date(cell(row, "date"), path, line, "date", "2015-01-08")
        clerk = cell(row, "clerk_rollnumber")
        parts = (cell(row, n) for n in ("bill_number", "vote_question", "vote_desc"))
        title = check_text(" - ".join(text for text in parts if text), path, line, "title")
        rollcalls[congress, chamber, roll] = (
            when,
            parse_whole(clerk, path, line, "clerk_rollnumber") if clerk else None,
            parse_whole(row[cols["yea_count"]], path, line, "yea_count"),
            parse_whole(row[cols["nay_count"]], path, line, "nay_count"),
            title or f"{chamber} roll call {roll}, congress {congress}",
            check_text(cell(row, "vote_question"), path, line, "vote_question"),
            check_text(cell(row, "vote_result"), path, line, "vote_result"),
        )
    return rollcalls
