"""The store: division records kept in an embedded DuckDB database file.

One file holds every chamber's members, divisions and votes, plus a log of imports.
The store also answers the questions views ask of division records — totals, the split
by party, party cohesion (the Rice index) and who voted against their party — so that
views only format.

Importing
---------
:meth:`Store.import_records` writes each :class:`~tellers.parliament.DivisionRecords`
(one source file) in one transaction: on any error the transaction is rolled back and
the database is exactly as it was before that file.

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
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Self

import duckdb
import numpy as np

from tellers.errors import StoreError
from tellers.records.model import Division, DivisionRecords, VoteKind
from tellers.records.paths import env_path, user_data
from tellers.records.patterns import KINDS, VotingPatterns
from tellers.records.rollcalls import MemberVotes

SCHEMA_VERSION = 1
DB_ENV = "TELLERS_DB"
"""Environment variable naming the database file (``--db`` wins over it)."""

NO_PARTY = "(no party)"
NON_PARTIES = frozenset({"", NO_PARTY.lower(), "independent", "ind", "non-affiliated"})
"""Party labels that group members without a party line: nobody there is a rebel."""

_KINDS = ", ".join(f"'{k.value}'" for k in VoteKind)

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
    chamber VARCHAR NOT NULL,
    member_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    party VARCHAR NOT NULL,          -- latest known; the party in each division is on votes
    constituency VARCHAR NOT NULL,
    as_of DATE,                      -- date of the latest division the details come from
    source VARCHAR NOT NULL,         -- file the details come from
    PRIMARY KEY (chamber, member_id)
);
CREATE TABLE IF NOT EXISTS divisions (
    chamber VARCHAR NOT NULL,
    division_id VARCHAR NOT NULL,
    date DATE,                       -- NULL only when the source gives none
    number INTEGER,                  -- the chamber's own division number, where known
    title VARCHAR NOT NULL,
    ayes INTEGER,                    -- official totals, tellers excluded; NULL if the source gives none
    noes INTEGER,
    source VARCHAR NOT NULL,
    PRIMARY KEY (chamber, division_id)
);
CREATE TABLE IF NOT EXISTS votes (
    chamber VARCHAR NOT NULL,
    division_id VARCHAR NOT NULL,
    member_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ({_KINDS})),
    party VARCHAR NOT NULL,          -- the member's party in this division ('' = unknown)
    PRIMARY KEY (chamber, division_id, member_id)
);
CREATE TABLE IF NOT EXISTS imports (
    source VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,  -- UTC
    divisions INTEGER NOT NULL,      -- what the file holds
    members INTEGER NOT NULL,
    votes INTEGER NOT NULL,
    divisions_written INTEGER NOT NULL,
    members_written INTEGER NOT NULL,
    PRIMARY KEY (source, sha256)
);
"""

TABLES = ("members", "divisions", "votes", "imports")

# Staging tables: typed, so that empty column arrays insert cleanly.
_STAGING = """
CREATE OR REPLACE TEMP TABLE new_divisions (
    chamber VARCHAR, division_id VARCHAR, date DATE, number INTEGER, title VARCHAR,
    ayes INTEGER, noes INTEGER, source VARCHAR);
CREATE OR REPLACE TEMP TABLE new_votes (
    chamber VARCHAR, division_id VARCHAR, member_id VARCHAR, kind VARCHAR, party VARCHAR);
CREATE OR REPLACE TEMP TABLE new_members (
    chamber VARCHAR, member_id VARCHAR, name VARCHAR, party VARCHAR, constituency VARCHAR);
"""

_PARTY = f"coalesce(nullif(v.party, ''), nullif(m.party, ''), '{NO_PARTY}')"
"""A vote's party: the party recorded with the vote, else the member's latest."""


def default_db_path() -> Path:
    """``$TELLERS_DB``, else ``tellers.duckdb`` in the user's data directory."""
    return env_path(DB_ENV) or user_data() / "tellers.duckdb"


# --------------------------------------------------------------------------- results


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


@dataclass(frozen=True)
class DivisionTotals:
    """One division with its official totals and the totals counted from its votes.

    ``counted_ayes``/``counted_noes`` include members in both lobbies and exclude tellers,
    like the official totals. ``ayes``/``noes`` are the official totals (None if the source
    gives none).
    """

    chamber: str
    id: str
    date: date | None
    number: int | None
    title: str
    ayes: int | None
    noes: int | None
    counted_ayes: int
    counted_noes: int
    tellers: int
    no_vote: int
    both: int
    source: str

    @property
    def result_ayes(self) -> int:
        """The official aye total where known, else the counted one."""
        return self.counted_ayes if self.ayes is None else self.ayes

    @property
    def result_noes(self) -> int:
        """The official no total where known, else the counted one."""
        return self.counted_noes if self.noes is None else self.noes

    @property
    def outcome(self) -> str:
        """'aye' or 'no', the side with more votes (official totals where known), or 'tie'."""
        if self.result_ayes == self.result_noes:
            return "tie"
        return "aye" if self.result_ayes > self.result_noes else "no"

    @property
    def ayes_differ(self) -> bool:
        """True when the official aye total differs from the one counted from the votes."""
        return self.ayes is not None and self.ayes != self.counted_ayes

    @property
    def noes_differ(self) -> bool:
        """True when the official no total differs from the one counted from the votes."""
        return self.noes is not None and self.noes != self.counted_noes

    @property
    def discrepancy(self) -> bool:
        """True when an official total differs from the total counted from the votes."""
        return self.ayes_differ or self.noes_differ


@dataclass(frozen=True)
class PartySplit:
    """How one party's members voted in one division. The five counts are exclusive."""

    party: str
    aye: int
    no: int
    no_vote: int
    tellers: int
    both: int
    rice: float | None
    """Rice index |aye - no| / (aye + no); None when nobody in the party voted aye or no."""
    majority: str | None
    """'aye' or 'no', the side most of the party's voters took; None on a tie."""


@dataclass(frozen=True)
class Rebel:
    """A member who voted (or told) against their party's majority."""

    member_id: str
    name: str
    party: str
    vote: str
    """The VoteKind value: 'aye', 'no', 'teller_aye' or 'teller_no'."""


@dataclass(frozen=True)
class DivisionResult:
    """A division's totals, split by party, and rebels."""

    totals: DivisionTotals
    parties: tuple[PartySplit, ...]
    rebels: tuple[Rebel, ...]


@dataclass(frozen=True)
class PartyCohesion:
    """A party's mean Rice index over the divisions in which it had aye or no votes."""

    chamber: str
    party: str
    divisions: int
    rice: float


# --------------------------------------------------------------------------- store


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
        try:
            if not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the database: {_reason(exc)}") from None
        try:
            self._check_schema()
        except BaseException:
            self.con.close()
            raise

    # -- lifecycle

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def _check_schema(self) -> None:
        tables = {
            r[0] for r in self.con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()
        }
        if "meta" not in tables:
            if tables:
                raise StoreError(
                    f"{self.path}: a DuckDB database, but not a tellers one (it has tables "
                    f"{', '.join(sorted(tables))}). Choose another file with --db"
                )
            if self.read_only:
                raise StoreError(
                    f"{self.path}: the database is empty. Import division records first (`tellers import FILE`)"
                )
            self.con.begin()
            self.con.execute(SCHEMA)
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
            self.con.commit()
            return
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: database schema version {version}, but this tellers reads version "
                f"{SCHEMA_VERSION}. Use a matching tellers, or import into a new file with --db"
            )

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """BEGIN … COMMIT; ROLLBACK on any exception (which is re-raised)."""
        self.con.begin()
        try:
            yield self.con
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    # -- import

    def import_records(self, records: Sequence[DivisionRecords]) -> list[ImportSummary]:
        """Import each file's records in its own transaction; see the module docstring.

        A division that several of ``records`` hold is taken from the last of them.
        Raises :class:`StoreError` (after rolling that file back) if a file's records
        are inconsistent: a vote for a division or member the file does not hold, a
        member voting twice in one division, a division listed twice.
        """
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot import")
        last_file: dict[tuple[str, str], int] = {}
        for i, rec in enumerate(records):
            for d in rec.divisions:
                last_file[(d.chamber, d.id)] = i
        summaries: list[ImportSummary] = []
        for i, rec in enumerate(records):
            superseded = {d.id for d in rec.divisions if last_file[(d.chamber, d.id)] != i}
            try:
                summaries.append(self._import_one(rec, superseded))
            except StoreError as exc:
                if summaries:  # say what is already committed, so nobody imports blind
                    done = sum(not s.unchanged for s in summaries)
                    raise StoreError(
                        f"{exc} (the {i} file(s) before it were imported: {done} changed the database)"
                    ) from None
                raise
        return summaries

    def _import_one(self, rec: DivisionRecords, superseded: set[str]) -> ImportSummary:
        # read by DuckDB's replacement scan (the SQL names these local variables)
        division_cols, vote_cols, member_cols = _columns(rec)  # noqa: RUF059
        try:
            with self.transaction() as con:
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
            raise StoreError(
                f"{rec.source}: import failed, nothing from this file was stored: {_reason(exc)}"
            ) from None
        return summary

    # -- queries

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    def chambers(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT DISTINCT chamber FROM divisions ORDER BY 1").fetchall()]

    def divisions(self, chamber: str | None = None) -> list[DivisionTotals]:
        """Every division (of one chamber, or all) with official and counted totals, oldest first."""
        sql = _TOTALS_SQL.format(where="WHERE $chamber IS NULL OR lower(d.chamber) = lower($chamber)")
        return [DivisionTotals(*row) for row in self.con.execute(sql, {"chamber": chamber}).fetchall()]

    def resolve(self, division_id: str, chamber: str | None = None) -> tuple[str, str]:
        """The (chamber, division id) a user means; StoreError naming how to list ids if none or several."""
        division_id = str(division_id).strip()
        rows = self.con.execute(
            "SELECT chamber FROM divisions WHERE division_id = ? "
            "AND (? IS NULL OR lower(chamber) = lower(?)) ORDER BY 1",
            [division_id, chamber, chamber],
        ).fetchall()
        if not rows:
            where = f" in chamber {chamber!r}" if chamber else ""
            # a bare roll-call number may be meant as one of several prefixed ids ('5' -> 'S117-5')
            similar = [
                r[0]
                for r in self.con.execute(
                    "SELECT division_id FROM divisions WHERE division_id LIKE '%-' || ? "
                    "AND (? IS NULL OR lower(chamber) = lower(?)) ORDER BY 1 LIMIT 6",
                    [division_id, chamber, chamber],
                ).fetchall()
            ]
            hint = f" Did you mean {', '.join(similar[:5])}{', …' if len(similar) > 5 else ''}?" if similar else ""
            raise StoreError(
                f"no division {division_id!r}{where} in {self.path}.{hint} Run `tellers divisions` to list "
                "the division ids stored, or `tellers import`/`tellers fetch` to add it"
            )
        if len(rows) > 1:
            chambers = ", ".join(r[0] for r in rows)
            raise StoreError(
                f"division {division_id!r} exists in several chambers ({chambers}). Choose one with --chamber"
            )
        return rows[0][0], division_id

    def division(self, division_id: str, chamber: str | None = None) -> DivisionResult:
        """One division's totals, split by party (largest party first) and rebels."""
        chamber, division_id = self.resolve(division_id, chamber)
        key = {"chamber": chamber, "division": division_id}
        totals = DivisionTotals(
            *self.con.execute(
                _TOTALS_SQL.format(where="WHERE d.chamber = $chamber AND d.division_id = $division"), key
            ).fetchone()
        )
        parties = tuple(PartySplit(*row) for row in self.con.execute(_SPLIT_SQL, key).fetchall())
        rebels = tuple(Rebel(*row) for row in self.con.execute(_REBELS_SQL, key).fetchall())
        return DivisionResult(totals, parties, rebels)

    def voting_patterns(self, division_ids: Sequence[str], chamber: str | None = None) -> VotingPatterns:
        """Every member recorded in these divisions, grouped by party and voting pattern.

        Members keep their names; a member with no record in one of the divisions counts as
        recording no vote there. Party is the member's current party.
        """
        keys = [self.resolve(d, chamber) for d in division_ids]
        chambers = {c for c, _ in keys}
        if len(chambers) > 1:
            raise StoreError(f"divisions from several chambers ({', '.join(sorted(chambers))}); compare one chamber at a time")
        votes = self._vote_matrix(chambers.pop(), [d for _, d in keys])
        return VotingPatterns.from_members(list(votes.divisions), list(votes.names), list(votes.parties), votes.codes)

    def member_votes(self, division_ids: Sequence[str] | None = None, chamber: str | None = None) -> MemberVotes:
        """Every member recorded in these divisions (default: all of the chamber's), one row each.

        Ids are the source's (MNIS, ICPSR); a member with no record in a division counts as
        recording no vote there. Divisions come oldest first when not named.
        """
        if division_ids is None:
            chambers = [chamber] if chamber else self.chambers()
            if not chambers:
                raise StoreError(f"no divisions in {self.path}; import some with `tellers import`")
            if len(chambers) > 1:
                raise StoreError(
                    f"{self.path} holds divisions of several chambers ({', '.join(chambers)}); choose one with --chamber"
                )
            ids = [d.id for d in self.divisions(chambers[0])]
            if not ids:
                raise StoreError(f"no divisions of chamber {chambers[0]!r} in {self.path}")
            keys = [(chambers[0], d) for d in ids]
        else:
            keys = [self.resolve(d, chamber) for d in division_ids]
        found = {c for c, _ in keys}
        if len(found) > 1:
            raise StoreError(f"divisions from several chambers ({', '.join(sorted(found))}); scale one chamber at a time")
        return self._vote_matrix(found.pop(), [d for _, d in keys])

    def _vote_matrix(self, chamber: str, ids: Sequence[str]) -> MemberVotes:
        """One row per member recorded in divisions ``ids`` of ``chamber`` (no record: no vote)."""
        ids = list(ids)
        rows = self.con.execute(
            "SELECT v.member_id, m.name, m.party, v.division_id, v.kind FROM votes v "
            "JOIN members m USING (chamber, member_id) "
            "WHERE v.chamber = ? AND list_contains(?, v.division_id) ORDER BY v.member_id",
            [chamber, ids],
        ).fetchall()
        members: dict[str, tuple[str, str]] = {}
        for member_id, name, party, _, _ in rows:
            members.setdefault(member_id, (name, party or NO_PARTY))
        row_of = {m: i for i, m in enumerate(members)}
        column = {d: j for j, d in enumerate(ids)}
        codes = np.full((len(members), len(ids)), KINDS.index(VoteKind.NO_VOTE), dtype=np.int8)
        for member_id, _, _, division_id, kind in rows:
            codes[row_of[member_id], column[division_id]] = KINDS.index(VoteKind(kind))
        return MemberVotes(
            tuple(ids), tuple(members), tuple(n for n, _ in members.values()), tuple(p for _, p in members.values()), codes
        )

    def division_record(self, division_id: str, chamber: str | None = None) -> Division:
        """The stored division as a domain object (official totals, or counted when none)."""
        chamber, division_id = self.resolve(division_id, chamber)
        t = DivisionTotals(
            *self.con.execute(
                _TOTALS_SQL.format(where="WHERE d.chamber = $chamber AND d.division_id = $division"),
                {"chamber": chamber, "division": division_id},
            ).fetchone()
        )
        return Division(t.id, t.chamber, t.date, t.title, t.number, t.result_ayes, t.result_noes)

    def cohesion(self, chamber: str | None = None) -> list[PartyCohesion]:
        """Each party's mean Rice index across the divisions stored (most cohesive first)."""
        rows = self.con.execute(_COHESION_SQL, {"chamber": chamber}).fetchall()
        return [PartyCohesion(*row) for row in rows]


class _Unchanged(Exception):
    """Raised inside an import transaction to roll back (harmlessly) when nothing changed."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary


# --------------------------------------------------------------------------- import helpers


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text


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
                SELECT chamber, division_id, date, number, title, ayes, noes FROM mine
                EXCEPT
                SELECT chamber, division_id, date, number, title, ayes, noes FROM divisions
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


# --------------------------------------------------------------------------- queries

_TOTALS_SQL = """
WITH counted AS (
    SELECT chamber, division_id,
        count(*) FILTER (kind IN ('aye', 'both')) AS ayes,
        count(*) FILTER (kind IN ('no', 'both')) AS noes,
        count(*) FILTER (kind IN ('teller_aye', 'teller_no')) AS tellers,
        count(*) FILTER (kind = 'no_vote') AS no_vote,
        count(*) FILTER (kind = 'both') AS "both"
    FROM votes GROUP BY ALL
)
SELECT d.chamber, d.division_id, d.date, d.number, d.title, d.ayes, d.noes,
    coalesce(c.ayes, 0), coalesce(c.noes, 0), coalesce(c.tellers, 0), coalesce(c.no_vote, 0),
    coalesce(c."both", 0), d.source
FROM divisions d LEFT JOIN counted c USING (chamber, division_id)
{where}
ORDER BY d.chamber, d.date NULLS LAST, d.number NULLS LAST,
    -- ids in natural order: 'S117-9' before 'S117-10', '99' before '562'
    regexp_replace(d.division_id, '[0-9]+$', ''),
    try_cast(regexp_extract(d.division_id, '[0-9]+$') AS BIGINT) NULLS FIRST, d.division_id
"""

_SPLIT_SQL = f"""
WITH s AS (
    SELECT {_PARTY} AS party,
        count(*) FILTER (v.kind = 'aye') AS aye,
        count(*) FILTER (v.kind = 'no') AS no,
        count(*) FILTER (v.kind = 'no_vote') AS no_vote,
        count(*) FILTER (v.kind IN ('teller_aye', 'teller_no')) AS tellers,
        count(*) FILTER (v.kind = 'both') AS "both"
    FROM votes v LEFT JOIN members m USING (chamber, member_id)
    WHERE v.chamber = $chamber AND v.division_id = $division
    GROUP BY 1
)
SELECT party, aye, no, no_vote, tellers, "both",
    CASE WHEN aye + no > 0 THEN abs(aye - no) / (aye + no) END AS rice,
    CASE WHEN aye > no THEN 'aye' WHEN no > aye THEN 'no' END AS majority
FROM s
ORDER BY aye + no + no_vote + tellers + "both" DESC, party
"""

_REBELS_SQL = f"""
WITH v AS (
    SELECT v.member_id, coalesce(nullif(m.name, ''), v.member_id) AS name, {_PARTY} AS party, v.kind,
        CASE WHEN v.kind IN ('aye', 'teller_aye') THEN 'aye'
             WHEN v.kind IN ('no', 'teller_no') THEN 'no' END AS side
    FROM votes v LEFT JOIN members m USING (chamber, member_id)
    WHERE v.chamber = $chamber AND v.division_id = $division
),
parties AS (
    SELECT party,
        CASE WHEN count(*) FILTER (kind = 'aye') > count(*) FILTER (kind = 'no') THEN 'aye'
             WHEN count(*) FILTER (kind = 'no') > count(*) FILTER (kind = 'aye') THEN 'no' END AS majority
    FROM v GROUP BY party
)
SELECT v.member_id, v.name, v.party, v.kind
FROM v JOIN parties p USING (party)
WHERE p.majority IS NOT NULL AND v.side IS NOT NULL AND v.side <> p.majority
    AND lower(v.party) NOT IN ({", ".join(f"'{p}'" for p in sorted(NON_PARTIES))})
ORDER BY v.party, v.name, v.member_id
"""

_COHESION_SQL = f"""
WITH s AS (
    SELECT v.chamber, v.division_id, {_PARTY} AS party,
        count(*) FILTER (v.kind = 'aye') AS aye, count(*) FILTER (v.kind = 'no') AS no
    FROM votes v LEFT JOIN members m USING (chamber, member_id)
    WHERE $chamber IS NULL OR lower(v.chamber) = lower($chamber)
    GROUP BY ALL
)
SELECT chamber, party, count(*) AS divisions, avg(abs(aye - no) / (aye + no)) AS rice
FROM s WHERE aye + no > 0
GROUP BY ALL
ORDER BY chamber, rice DESC, party
"""


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[Any, ...]]:
    """All rows of a table in a stable order (for content comparisons)."""
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
