"""The store: division records kept in an embedded DuckDB database file.

One file holds every chamber's members, divisions and votes, plus a log of imports.
:class:`Store` opens it and hands each job to one module: :mod:`.schema` (the tables,
the schema version, the default path), :mod:`.imports` (each file in one transaction,
writing only what differs), :mod:`.queries` (totals, the split by party, party cohesion
and rebels, vote matrices, so that views only format) and :mod:`.results` (what the
queries return). May import :mod:`tellers.records` modules, :mod:`tellers.ballots`,
:mod:`tellers.errors`, numpy and duckdb; never :mod:`tellers.parliament` or
:mod:`tellers.views`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Self

from tellers.errors import StoreError
from tellers.records.model import Division, DivisionRecords, MembershipHistory
from tellers.records.patterns import VotingPatterns
from tellers.records.rollcalls import MemberVotes
from tellers.records.store import imports, memberships, queries
from tellers.records.store.imports import ImportSummary
from tellers.records.store.memberships import MembershipSummary
from tellers.records.store.queries import table_rows
from tellers.records.store.results import DivisionResult, DivisionTotals, PartyCohesion, PartySplit, Rebel
from tellers.records.store.schema import (
    DB_ENV, SCHEMA, SCHEMA_VERSION, TABLES, OlderSchemaError, check_schema, default_db_path, reason,
)

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "DB_ENV",
    "SCHEMA",
    "SCHEMA_VERSION",
    "TABLES",
    "DivisionResult",
    "DivisionTotals",
    "ImportSummary",
    "MembershipSummary",
    "PartyCohesion",
    "PartySplit",
    "Rebel",
    "Store",
    "StoreBusyError",
    "default_db_path",
    "open_store",
    "table_rows",
]


class Store:
    """An open tellers database. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(
                f"{self.path}: no tellers database here. Import division records first "
                "(`tellers import FILE`), or choose the database with --db or $TELLERS_DB"
            )
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory. Give the path of a database file, e.g. tellers.duckdb")
        self.con = self._connect(read_only)
        try:
            check_schema(self.con, self.path, read_only)
        except OlderSchemaError:
            self.con.close()
            self._upgrade()
            self.con = self._connect(read_only)
        except BaseException:
            self.con.close()
            raise

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        import duckdb  # here, not at the top: duckdb costs ~70 ms to import, and a command on the bundled case needs none

        try:
            if not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            return duckdb.connect(str(self.path), read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the database: {reason(exc)}") from None

    def _upgrade(self) -> None:
        """Open an older database writable once to upgrade it in place (a reader finds it upgraded)."""
        try:
            con = self._connect(False)
        except StoreError as exc:
            holder = _holder(str(exc))
            raise StoreError(
                f"{self.path}: the database was made by an older tellers and must be upgraded, which means writing "
                f"to it, but {holder + ' has it open' if holder else 'it cannot be opened for writing'}. Close any "
                "other program using it (a running `tellers serve`?) and try again"
            ) from None
        try:
            check_schema(con, self.path, False)
        finally:
            con.close()

    # -- lifecycle

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def transaction(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """BEGIN … COMMIT; ROLLBACK on any exception (which is re-raised)."""
        return imports.transaction(self.con)

    # -- import

    def import_records(self, records: Sequence[DivisionRecords]) -> list[ImportSummary]:
        """Import each file's records in its own transaction; see :mod:`.imports`."""
        self._writable()
        return imports.import_records(self.con, records)

    def import_memberships(self, history: MembershipHistory) -> MembershipSummary:
        """Store a membership history in one transaction, replacing what the store held for its members."""
        self._writable()
        return memberships.import_memberships(self.con, history)

    def import_party_aliases(self, source: str, aliases: dict[str, str]) -> int:
        """Store party aliases (``{label: party}``), each replacing the store's alias of that label."""
        self._writable()
        return memberships.import_party_aliases(self.con, source, aliases)

    def party_aliases(self) -> dict[str, str]:
        """Every party alias in force: the store's over the built-in ones."""
        return memberships.party_aliases(self.con)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot import")

    # -- queries (see :mod:`.queries`)

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return queries.counts(self.con)

    def chambers(self) -> list[str]:
        """The chambers with divisions stored, in alphabetical order."""
        return queries.chambers(self.con)

    def divisions(self, chamber: str | None = None) -> list[DivisionTotals]:
        """Every division (of one chamber, or all) with official and counted totals, oldest first."""
        return queries.divisions(self.con, chamber)

    def resolve(self, division_id: str, chamber: str | None = None) -> tuple[str, str]:
        """The (chamber, division id) a user means; StoreError naming how to list ids if none or several."""
        return queries.resolve(self.con, self.path, division_id, chamber)

    def division(self, division_id: str, chamber: str | None = None) -> DivisionResult:
        """One division's totals, split by party (largest party first) and rebels."""
        return queries.division(self.con, self.path, division_id, chamber)

    def division_record(self, division_id: str, chamber: str | None = None) -> Division:
        """The stored division as a domain object (official totals, or counted when none)."""
        return queries.division_record(self.con, self.path, division_id, chamber)

    def cohesion(self, chamber: str | None = None) -> list[PartyCohesion]:
        """Each party's mean Rice index across the divisions stored (most cohesive first)."""
        return queries.cohesion(self.con, chamber)

    def voting_patterns(self, division_ids: Sequence[str], chamber: str | None = None) -> VotingPatterns:
        """Every member recorded in these divisions, grouped by party and voting pattern."""
        return queries.voting_patterns(self.con, self.path, division_ids, chamber)

    def member_votes(self, division_ids: Sequence[str] | None = None, chamber: str | None = None) -> MemberVotes:
        """Every member recorded in these divisions (default: all of the chamber's), one row each."""
        return queries.member_votes(self.con, self.path, division_ids, chamber)


class StoreBusyError(StoreError):
    """Another program (a `tellers import`, a reader) held the database for longer than we wait."""


_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
_SAME_PROGRAM = "different configuration than existing connections"


def open_store(path: str | os.PathLike[str] | None, *, read_only: bool, wait: float) -> Store:
    """The database opened, waiting with backoff (10 ms doubling to 0.25 s) for up to ``wait``
    seconds while another program holds it; then :class:`StoreBusyError` naming the holder."""
    deadline, delay = time.monotonic() + wait, 0.01
    while True:
        try:
            return Store(path, read_only=read_only)
        except StoreError as exc:
            holder = _holder(str(exc))
            if holder is None:
                raise
            if time.monotonic() + delay > deadline:
                where = Path(path).expanduser() if path is not None else default_db_path()
                raise StoreBusyError(
                    f"the tellers database {where} is {'being written' if read_only else 'in use'} by {holder}"
                    f"{' (a `tellers import`?)' if read_only else ''}; waited "
                    f"{wait:g} s for it to finish. Try again when it has"
                ) from None
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def _holder(message: str) -> str | None:
    """Who holds the database, from DuckDB's lock-conflict message; None for any other failure."""
    if _SAME_PROGRAM in message:
        return "this program"
    m = _HOLDER.search(message)
    return f"{Path(m['program']).name} (PID {m['pid']})" if m else None
