"""``load_records``: read division records from a file or a folder, whatever the format.

A file is recognised by its content:

- ``.json``: a Commons Votes API division, or a list of them (``read_commons_json``);
- a CSV whose first line starts ``Division Number:``: a Commons Votes CSV export
  (``read_commons_csv``);
- a CSV whose header has ``vote_uin``: the long CSV of Commons divisions, read with
  ``tellers.csv`` and ``divisions.csv`` beside it (``read_brexit_long_csv``);
- a CSV whose header has ``congress,chamber,rollnumber,icpsr,cast_code``: Voteview votes,
  read with ``<prefix>_members.csv`` and ``<prefix>_rollcalls.csv`` (``read_voteview``).

A folder is searched recursively, in sorted order, skipping hidden files and folders.
Every recognised file is read; everything else (companion files, ``datapackage.json``,
other CSVs) is skipped. A JSON file that is not valid JSON is an error, not skipped: it
may be a truncated download.

The same division often comes in several formats, so a folder's files are read richest
first: API JSON (MNIS ids, tellers, the party on the day), then long CSVs (MNIS ids),
then Voteview, then CSV exports (no ids). A division already read from a richer file is
dropped from a poorer one, and a file left with no division is dropped. The same
division in two files of the same format is an error: which copy is right cannot be
guessed. CSV exports are matched against ``known_members`` plus the Commons members read
from the folder's other files, so they get MNIS ids where those are known (see
``tellers.records.readers.commons_csv``).

So for ``commons-2019-brexit/``: the long CSV gives all 23 divisions with MNIS ids,
tellers (where known) and official totals; the 12 CSV exports in ``commonsvotes_csv/``
repeat the indicative votes member for member and are skipped.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path

from tellers.errors import RecordFileError
from tellers.records.model import DivisionRecords, Member
from tellers.records.readers._common import check_file, read_text
from tellers.records.readers._records import COMMONS, check_both_lobbies, reader_boundary
from tellers.records.readers.brexit_csv import DIVISIONS_FILE, TELLERS_FILE, read_brexit_long_csv
from tellers.records.readers.commons_csv import read_commons_csv
from tellers.records.readers.commons_json import load_json, read_commons_json, records_from_json
from tellers.records.readers.voteview import COMPANIONS, VOTES_COLUMNS, read_voteview

COMMONS_JSON = "Commons Votes API JSON"
LONG_CSV = "long CSV of Commons divisions"
VOTEVIEW = "Voteview votes CSV"
COMMONS_CSV = "Commons Votes CSV export"
ORDER = (COMMONS_JSON, LONG_CSV, VOTEVIEW, COMMONS_CSV)
"""Formats from the richest to the poorest: a folder's files are read in this order."""

_FORMATS_FIX = (
    "Give a Commons Votes division (.json), a Commons Votes CSV export (Division<id>.csv), "
    "the long CSV (with a vote_uin column), a Voteview <prefix>_votes.csv, or a folder of them"
)

__all__ = ["ORDER", "load_records", "record_format"]


def record_format(path: Path) -> str | None:
    """The format of a division-record file, judged by its suffix and first line; None if none."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return COMMONS_JSON
    if suffix != ".csv":
        return None
    try:
        with path.open("rb") as f:
            head = f.read(8192)
    except OSError:
        return None
    lines = head.decode("utf-8-sig", errors="replace").splitlines()
    first = next((line for line in lines if line.strip()), "")
    if first.strip().casefold().startswith("division number:"):
        return COMMONS_CSV
    header = {cell.strip().casefold() for cell in next(csv.reader([first]), [])}
    if "vote_uin" in header:
        return LONG_CSV
    if header.issuperset(VOTES_COLUMNS):
        return VOTEVIEW
    return None


@reader_boundary
def load_records(
    path: str | os.PathLike[str],
    *,
    both_lobbies: str = "error",
    known_members: Iterable[Member] = (),
) -> list[DivisionRecords]:
    """Read the division records of a file or a folder (see the module docstring).

    ``both_lobbies`` ("error" or "record") is passed to the Commons readers;
    ``known_members`` (for example the Commons members already in the store) give CSV
    exports' members their MNIS ids.
    """
    check_both_lobbies(both_lobbies)
    path = Path(path)
    known = list(known_members)
    if path.is_dir():
        return _load_folder(path, both_lobbies, known)
    check_file(path, error=RecordFileError)
    kind = record_format(path)
    if kind is None:
        read_text(path, error=RecordFileError)  # an empty or undecodable file says so first
        raise RecordFileError(path, None, "not a recognised division-record file", _fix_for(path))
    if kind == COMMONS_JSON:
        return [read_commons_json(path, both_lobbies=both_lobbies)]
    if kind == LONG_CSV:
        return [read_brexit_long_csv(path, both_lobbies=both_lobbies)]
    if kind == VOTEVIEW:
        return read_voteview(path)
    return [read_commons_csv(path, both_lobbies=both_lobbies, known_members=known)]


def _fix_for(path: Path) -> str:
    """How to give the records, with a hint when ``path`` is another reader's companion."""
    name = path.name.casefold()
    for suffix in COMPANIONS:
        if name.endswith(suffix):
            votes = path.name[: -len(suffix)] + "_votes.csv"
            return f"Give the Voteview votes file {votes}; its members and rollcalls are read with it"
    if name in (TELLERS_FILE, DIVISIONS_FILE):
        return "Give the long CSV beside it: tellers.csv and divisions.csv are read with it"
    return _FORMATS_FIX


def _load_folder(folder: Path, both_lobbies: str, known: list[Member]) -> list[DivisionRecords]:
    found: dict[str, list[Path]] = {kind: [] for kind in ORDER}
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_file():
            kind = record_format(path)
            if kind is not None:
                found[kind].append(path)

    out: list[DivisionRecords] = []
    covered: dict[tuple[str, str], tuple[str, Path]] = {}
    for kind in ORDER:
        for path in found[kind]:
            if kind == COMMONS_JSON:
                text = read_text(path, error=RecordFileError)
                record = records_from_json(path, text, load_json(path, text), both_lobbies)
                read = [] if record is None else [record]
            elif kind == LONG_CSV:
                read = [read_brexit_long_csv(path, both_lobbies=both_lobbies)]
            elif kind == VOTEVIEW:
                read = read_voteview(path)
            else:
                members = known + [m for r in out if r.chamber == COMMONS for m in r.members]
                read = [read_commons_csv(path, both_lobbies=both_lobbies, known_members=members)]
            for records in read:
                kept = _new_divisions(records, kind, path, covered)
                if kept is not None:
                    out.append(kept)
    return out


def _new_divisions(
    records: DivisionRecords,
    kind: str,
    path: Path,
    covered: dict[tuple[str, str], tuple[str, Path]],
) -> DivisionRecords | None:
    """``records`` without the divisions a richer file gave already (None if nothing is left)."""
    keep = []
    for division in records.divisions:
        prior = covered.get((records.chamber, division.id))
        if prior is None:
            keep.append(division)
        elif prior[0] == kind:
            raise RecordFileError(
                path,
                None,
                f"division {division.id} ({records.chamber}) is also in {prior[1]}",
                "Keep one of the two files in the folder, or import them one at a time",
            )
    for division in keep:
        covered[records.chamber, division.id] = (kind, path)
    if not keep:
        return None
    if len(keep) == len(records.divisions):
        return records
    ids = {division.id for division in keep}
    votes = tuple(vote for vote in records.votes if vote.division_id in ids)
    voters = {vote.member_id for vote in votes}
    return DivisionRecords(
        source=records.source,
        chamber=records.chamber,
        members=tuple(m for m in records.members if m.id in voters),
        divisions=tuple(keep),
        votes=votes,
    )
