"""What `tellers import` reads: division records, membership histories and party aliases.

Each path given is read by what it holds (its header, for a CSV): a membership history
(``member_id,party,start,end``), a party alias table (``alias,party``), or division records
(:func:`~tellers.records.readers.records.load_records`, which reads a folder too). A
Voteview ``<prefix>_members.csv`` or ``<prefix>_rollcalls.csv`` given beside its
``<prefix>_votes.csv`` (as a glob ``S116_*`` gives them) is read with the votes file and
skipped as a path of its own. Everything is read before anything is written, so a file that
cannot be read stops the import with nothing stored.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tellers.records.model import DivisionRecords, MembershipHistory
from tellers.records.readers.memberships import ALIASES, MEMBERSHIPS, PartyAliases, read_memberships, read_party_aliases, table_kind
from tellers.records.readers.records import load_records
from tellers.records.readers.voteview import COMPANIONS


@dataclass
class ImportInputs:
    """Everything the paths hold, read and checked."""

    records: list[DivisionRecords] = field(default_factory=list)
    histories: list[MembershipHistory] = field(default_factory=list)
    aliases: list[PartyAliases] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(path, why) of each path read with another."""


def _header(path: Path) -> set[str]:
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
            first = next((line for line in f if line.strip()), "")
    except OSError:
        return set()
    return {cell.strip().casefold() for cell in next(csv.reader([first]), [])}


def companion_of(path: Path, given: set[Path]) -> Path | None:
    """The Voteview votes file among ``given`` that ``path`` is a companion of, if any."""
    name = path.name
    for suffix in COMPANIONS:
        if name.casefold().endswith(suffix):
            votes = path.with_name(name[: -len(suffix)] + "_votes.csv")
            if votes.resolve() in given:
                return votes
    return None


def read_inputs(paths: Sequence[str | os.PathLike[str]], *, both_lobbies: str = "error") -> ImportInputs:
    """Read every path (see the module docstring)."""
    paths = [Path(p) for p in paths]
    given = {p.resolve() for p in paths if p.is_file()}
    found = ImportInputs()
    for path in paths:
        if path.is_dir():  # a folder's histories and alias tables, beside its division records
            for table in sorted(path.rglob("*.csv")):
                if not any(part.startswith(".") for part in table.relative_to(path).parts):
                    _read_table(table, table_kind(_header(table)), found)
        if path.is_file() and path.suffix.casefold() == ".csv":
            votes = companion_of(path, given)
            if votes is not None:
                found.skipped.append((str(path), f"read with {votes.name}"))
                continue
            if _read_table(path, table_kind(_header(path)), found):
                continue
        found.records.extend(load_records(path, both_lobbies=both_lobbies))
    return found


def _read_table(path: Path, kind: str | None, found: ImportInputs) -> bool:
    """Read a membership history or alias table into ``found``; False for anything else."""
    if kind == MEMBERSHIPS:
        found.histories.append(read_memberships(path))
    elif kind == ALIASES:
        found.aliases.append(read_party_aliases(path))
    return kind is not None
