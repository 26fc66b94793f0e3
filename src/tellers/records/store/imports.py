"""Importing division records: each file in one transaction, writing only what differs.

Each :class:`~tellers.records.model.DivisionRecords` (one source file) is written in one
transaction: on any error the transaction is rolled back and the database is exactly as
it was before that file.

Imports are idempotent and keyed by division. The new data are staged, compared with
what is stored, and only what differs is written:

- a division is new (inserted), unchanged (left alone) or changed — its row or any of
  its votes differ — in which case the division row and *all* its votes are replaced by
  the file's (delete, then insert, in the same transaction). So re-importing a corrected
  file fixes the store, and a member missing from the new version of a division no
  longer has a vote in it;
- a member's details (name, party, constituency) come from the most recent data: a
  file updates them only if its divisions are at least as recent as those the stored
  details came from (ties: only the same source). Empty fields never erase stored ones.
  The party a member had *in each division* is kept on the vote;
- when one import call holds the same division in several files, the last file's
  version is stored and earlier files skip it ("superseded"), so importing a folder
  twice rewrites nothing;
- an import that changes nothing writes nothing, not even a log row.

Both lobbies: a member recorded in both lobbies (the readers' ``both_lobbies="record"``)
is one vote of kind ``both``; it counts in both the aye and the no totals counted from
the votes, and in neither side of a party's Rice index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tellers.errors import StoreError
from tellers.records.fields import records_problem
from tellers.records.model import Division, DivisionRecords, VoteKind
from tellers.records.store.schema import reason

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class ImportSummary:
    """What importing one file did. ``*_written`` count rows inserted or replaced."""

    source: str
    divisions: int
    members: int
    votes: int
    divisions_added: int = 0
    divisions_replaced: int = 0
    divisions_superseded: int = 0
    members_added: int = 0
    members_updated: int = 0
    votes_written: int = 0

    @property
    def unchanged(self) -> bool:
        """True when the file added or changed nothing."""
        return not (self.divisions_added or self.divisions_replaced or self.members_added or self.members_updated)


# Staging tables: typed, so that empty column arrays insert cleanly.
_STAGING = """
CREATE OR REPLACE TEMP TABLE new_divisions (
    chamber VARCHAR, division_id VARCHAR, date DATE, number INTEGER, title VARCHAR,
    ayes INTEGER, noes INTEGER, source VARCHAR, question VARCHAR, result VARCHAR, passed BOOLEAN,
    party_basis VARCHAR, result_read BOOLEAN);
CREATE OR REPLACE TEMP TABLE new_votes (
    chamber VARCHAR, division_id VARCHAR, member_id VARCHAR, kind VARCHAR, party VARCHAR);
CREATE OR REPLACE TEMP TABLE new_members (
    chamber VARCHAR, member_id VARCHAR, name VARCHAR, party VARCHAR, constituency VARCHAR);
"""


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN … COMMIT; ROLLBACK on any exception (which is re-raised)."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def import_records(con: duckdb.DuckDBPyConnection, records: Sequence[DivisionRecords]) -> list[ImportSummary]:
    """Import each file's records in its own transaction; see the module docstring.

    A division that several of ``records`` hold is taken from the last of them.
    Raises :class:`StoreError` before writing anything if any records hold what a reader
    refuses (``tellers.records.fields.records_problem``), and (after rolling that file
    back) if a file's records are inconsistent: a vote for a division or member the file does not hold, a
    member voting twice in one division, a division listed twice.
    """
    for rec in records:  # what a reader refuses, however the records were made: before any write
        problem = records_problem(rec)
        if problem:
            raise StoreError(f"{rec.source}: {problem}; nothing was imported")
    last_file: dict[tuple[str, str], int] = {}
    for i, rec in enumerate(records):
        for d in rec.divisions:
            last_file[(d.chamber, d.id)] = i
    summaries: list[ImportSummary] = []
    for i, rec in enumerate(records):
        superseded = {d.id for d in rec.divisions if last_file[(d.chamber, d.id)] != i}
        try:
            summaries.append(_import_one(con, rec, superseded))
        except StoreError as exc:
            if summaries:  # say what is already committed, so nobody imports blind
                done = sum(not s.unchanged for s in summaries)
                raise StoreError(
                    f"{exc} ({'the file' if i == 1 else f'the {i:,} files'} before it {'was' if i == 1 else 'were'} "
                    f"imported: {done:,} changed the database)"
                ) from None
            raise
    return summaries


def _import_one(con: duckdb.DuckDBPyConnection, rec: DivisionRecords, superseded: set[str]) -> ImportSummary:
    import duckdb  # here, as in Store._connect: only an import needs it

    # read by DuckDB's replacement scan (the SQL names these local variables)
    division_cols, vote_cols, member_cols = _columns(rec)  # noqa: RUF059
    try:
        with transaction(con):
            con.execute(_STAGING)
            con.execute("INSERT INTO new_divisions SELECT * FROM division_cols")
            con.execute("INSERT INTO new_votes SELECT * FROM vote_cols")
            con.execute("INSERT INTO new_members SELECT * FROM member_cols")
            _check_staged(con, rec)
            summary = _merge(con, rec, superseded)
            if summary.unchanged:
                # nothing to write: end the transaction without a trace
                raise _Unchanged(summary)
            con.execute(
                "INSERT OR REPLACE INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    rec.source,
                    _sha256(rec),
                    datetime.now(UTC).replace(tzinfo=None),
                    len(rec.divisions),
                    len(rec.members),
                    len(rec.votes),
                    summary.divisions_added + summary.divisions_replaced,
                    summary.members_added + summary.members_updated,
                ],
            )
            _drop_staging(con)
    except _Unchanged as done:
        return done.summary
    except duckdb.Error as exc:
        raise StoreError(f"{rec.source}: import failed, nothing from this file was stored: {reason(exc)}") from None
    return summary


class _Unchanged(Exception):
    """Raised inside an import transaction to roll back (harmlessly) when nothing changed."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary


def _obj(values: list) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def _computed(d: Division) -> bool:
    return bool(getattr(d, "totals_computed", False))


_KIND_VALUES = {k: k.value for k in VoteKind}


def _kinds(rec: DivisionRecords) -> list[str]:
    """Each vote's kind as text (a dict lookup: a VoteKind hashes as its value)."""
    try:
        return [_KIND_VALUES[v.kind] for v in rec.votes]
    except KeyError:
        bad = next(v for v in rec.votes if v.kind not in _KIND_VALUES)
        raise StoreError(
            f"{rec.source}: member {bad.member_id} in division {bad.division_id} has vote kind "
            f"{bad.kind!r}, not one of {', '.join(_KIND_VALUES.values())}"
        ) from None


def _columns(rec: DivisionRecords) -> tuple[dict, dict, dict]:
    """The records as dicts of numpy columns, for DuckDB's replacement scan."""
    n = len(rec.votes)
    chamber = rec.chamber
    divisions = {
        "chamber": _obj([d.chamber for d in rec.divisions]),
        "division_id": _obj([str(d.id) for d in rec.divisions]),
        "date": _obj([d.date for d in rec.divisions]),
        "number": _obj([d.number for d in rec.divisions]),
        "title": _obj([d.title for d in rec.divisions]),
        # totals a reader counted from the votes are not official: the store counts them itself
        "ayes": _obj([None if _computed(d) else d.ayes for d in rec.divisions]),
        "noes": _obj([None if _computed(d) else d.noes for d in rec.divisions]),
        "source": _obj([rec.source] * len(rec.divisions)),
        "question": _obj([d.question or "" for d in rec.divisions]),
        "result": _obj([d.result for d in rec.divisions]),
        "passed": _obj([d.passed for d in rec.divisions]),
        "party_basis": _obj([d.party_basis for d in rec.divisions]),
        "result_read": np.ones(len(rec.divisions), dtype=bool),
    }
    votes = {
        "chamber": np.full(n, chamber, dtype=object),
        "division_id": _obj([v.division_id for v in rec.votes]),
        "member_id": _obj([v.member_id for v in rec.votes]),
        "kind": _obj(_kinds(rec)),
        "party": _obj([v.party or "" for v in rec.votes]),
    }
    members = {
        "chamber": np.full(len(rec.members), chamber, dtype=object),
        "member_id": _obj([m.id for m in rec.members]),
        "name": _obj([m.name or "" for m in rec.members]),
        "party": _obj([m.party or "" for m in rec.members]),
        "constituency": _obj([m.constituency or "" for m in rec.members]),
    }
    return divisions, votes, members


def _check_staged(con: duckdb.DuckDBPyConnection, rec: DivisionRecords) -> None:
    """Raise StoreError if the staged records are inconsistent (names the first problem)."""
    src = rec.source

    def first(sql: str) -> tuple | None:
        return con.execute(sql).fetchone()

    if row := con.execute(
        "SELECT division_id, chamber FROM new_divisions WHERE chamber IS DISTINCT FROM ? LIMIT 1", [rec.chamber]
    ).fetchone():
        raise StoreError(
            f"{src}: division {row[0]} is in chamber {row[1]!r}, but the file's chamber is {rec.chamber!r}"
        )
    if row := first("SELECT division_id FROM new_divisions WHERE division_id IS NULL OR title IS NULL LIMIT 1"):
        raise StoreError(f"{src}: a division has no id or no title")
    if row := first("SELECT division_id, count(*) FROM new_divisions GROUP BY ALL HAVING count(*) > 1 LIMIT 1"):
        raise StoreError(f"{src}: division {row[0]} is listed {row[1]} times")
    if row := first(
        "SELECT member_id, count(*) FROM new_members GROUP BY ALL "
        "HAVING count(DISTINCT (name, party, constituency)) > 1 LIMIT 1"
    ):
        raise StoreError(f"{src}: member {row[0]} is listed {row[1]} times with different details")
    if row := first("SELECT division_id, member_id, count(*) FROM new_votes GROUP BY ALL HAVING count(*) > 1 LIMIT 1"):
        raise StoreError(
            f"{src}: member {row[1]} has {row[2]} votes in division {row[0]}. A member in both lobbies "
            "is one vote of kind 'both' (import with --both-lobbies record)"
        )
    if row := first("SELECT division_id FROM new_votes ANTI JOIN new_divisions USING (division_id) LIMIT 1"):
        raise StoreError(f"{src}: there are votes for division {row[0]}, which the file does not describe")
    if row := first("SELECT member_id, division_id FROM new_votes ANTI JOIN new_members USING (member_id) LIMIT 1"):
        raise StoreError(f"{src}: member {row[0]} votes in division {row[1]} but is not among the file's members")


def _merge(con: duckdb.DuckDBPyConnection, rec: DivisionRecords, superseded: set[str]) -> ImportSummary:
    """Write what differs from the stored data; return what was done."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE superseded AS SELECT unnest(?::VARCHAR[]) AS division_id",
        [sorted(superseded)],
    )
    # Divisions of this file to consider, and which of them differ from the store.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE changed AS
        WITH mine AS (SELECT * FROM new_divisions ANTI JOIN superseded USING (division_id)),
        row_diff AS (
            SELECT chamber, division_id FROM (
                SELECT chamber, division_id, date, number, title, ayes, noes, question, result, passed, party_basis, result_read FROM mine
                EXCEPT
                SELECT chamber, division_id, date, number, title, ayes, noes, question, result, passed, party_basis, result_read FROM divisions
            )
        ),
        old_votes AS (SELECT v.* FROM votes v SEMI JOIN mine USING (chamber, division_id)),
        new_votes_mine AS (SELECT v.* FROM new_votes v SEMI JOIN mine USING (division_id)),
        vote_diff AS (
            SELECT DISTINCT chamber, division_id FROM (
                (SELECT * FROM new_votes_mine EXCEPT SELECT * FROM old_votes)
                UNION ALL
                (SELECT * FROM old_votes EXCEPT SELECT * FROM new_votes_mine)
            )
        )
        SELECT DISTINCT c.chamber, c.division_id, (d.division_id IS NULL) AS is_new
        FROM (SELECT * FROM row_diff UNION SELECT * FROM vote_diff) c
        LEFT JOIN divisions d USING (chamber, division_id)
        """
    )
    added, replaced = con.execute(
        "SELECT count(*) FILTER (is_new), count(*) FILTER (NOT is_new) FROM changed"
    ).fetchone()
    # Member details: the most recent data wins; empty fields keep the stored value.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE member_updates AS
        WITH as_of AS (
            SELECT v.member_id, max(d.date) AS as_of
            FROM new_votes v JOIN new_divisions d USING (division_id) GROUP BY ALL
        ),
        fresh AS (
            SELECT DISTINCT ON (n.member_id) n.*,
                coalesce(a.as_of, (SELECT max(date) FROM new_divisions)) AS as_of
            FROM new_members n LEFT JOIN as_of a USING (member_id)
        ),
        merged AS (
            SELECT f.chamber, f.member_id,
                coalesce(nullif(f.name, ''), o.name, '') AS name,
                coalesce(nullif(f.party, ''), o.party, '') AS party,
                coalesce(nullif(f.constituency, ''), o.constituency, '') AS constituency,
                f.as_of, $source AS source,
                o.member_id IS NULL AS is_new,
                o.name AS old_name, o.party AS old_party, o.constituency AS old_constituency,
                coalesce(f.as_of, DATE '0001-01-01') AS new_when,
                coalesce(o.as_of, DATE '0001-01-01') AS old_when,
                o.source AS old_source
            FROM fresh f LEFT JOIN members o USING (chamber, member_id)
        )
        SELECT chamber, member_id, name, party, constituency, as_of, source, is_new
        FROM merged
        WHERE is_new OR (
            (new_when > old_when OR (new_when = old_when AND source = old_source))
            AND (name, party, constituency) IS DISTINCT FROM (old_name, old_party, old_constituency)
        )
        """,
        {"source": rec.source},
    )
    members_added, members_updated = con.execute(
        "SELECT count(*) FILTER (is_new), count(*) FILTER (NOT is_new) FROM member_updates"
    ).fetchone()
    votes_written = 0
    if added or replaced:
        con.execute("DELETE FROM votes WHERE (chamber, division_id) IN (SELECT (chamber, division_id) FROM changed)")
        con.execute(
            "DELETE FROM divisions WHERE (chamber, division_id) IN (SELECT (chamber, division_id) FROM changed)"
        )
        con.execute(
            "INSERT INTO divisions SELECT n.* FROM new_divisions n SEMI JOIN changed USING (chamber, division_id)"
        )
        votes_written = con.execute(
            "INSERT INTO votes SELECT n.* FROM new_votes n SEMI JOIN changed USING (chamber, division_id)"
        ).fetchone()[0]
    if members_added or members_updated:
        con.execute(
            "INSERT OR REPLACE INTO members "
            "SELECT chamber, member_id, name, party, constituency, as_of, source FROM member_updates"
        )
    return ImportSummary(
        source=rec.source,
        divisions=len(rec.divisions),
        members=len(rec.members),
        votes=len(rec.votes),
        divisions_added=added,
        divisions_replaced=replaced,
        divisions_superseded=len(superseded),
        members_added=members_added,
        members_updated=members_updated,
        votes_written=votes_written,
    )


def _drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    for t in ("new_divisions", "new_votes", "new_members", "superseded", "changed", "member_updates"):
        con.execute(f"DROP TABLE IF EXISTS {t}")


def _sha256(rec: DivisionRecords) -> str:
    """The source file's SHA-256, or (when the source is not a file) of the records' content."""
    path = Path(rec.source)
    h = hashlib.sha256()
    try:
        if path.is_file():
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            return h.hexdigest()
    except OSError:
        pass
    h = hashlib.sha256()
    h.update(repr((rec.chamber, sorted(map(repr, rec.members)), sorted(map(repr, rec.divisions)))).encode())
    h.update("\n".join(sorted(f"{v.division_id}\t{v.member_id}\t{v.kind}\t{v.party}" for v in rec.votes)).encode())
    return h.hexdigest()
