"""The database file: its tables, its schema version and where it lives by default."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tellers.errors import StoreError
from tellers.wording import few
from tellers.records.model import VoteKind
from tellers.records.paths import env_path, user_data

if TYPE_CHECKING:
    import duckdb

SCHEMA_VERSION = 2
DB_ENV = "TELLERS_DB"
"""Environment variable naming the database file (``--db`` wins over it)."""

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
    question VARCHAR NOT NULL DEFAULT '',  -- the question put, in the source's words
    result VARCHAR,                  -- the result as recorded ('Cloture Motion Rejected'); NULL if none
    passed BOOLEAN,                  -- what the recorded result says; NULL if it says neither
    party_basis VARCHAR NOT NULL DEFAULT '',  -- what the source's party labels mean (when they were true)
    result_read BOOLEAN NOT NULL DEFAULT TRUE,  -- FALSE: stored by tellers before it kept results (re-import)
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
CREATE TABLE IF NOT EXISTS memberships (
    chamber VARCHAR NOT NULL,        -- '' = the member's id in any chamber
    member_id VARCHAR NOT NULL,
    party VARCHAR NOT NULL,
    start DATE NOT NULL,
    "end" DATE,                      -- inclusive; NULL = still a member
    source VARCHAR NOT NULL,
    PRIMARY KEY (chamber, member_id, start)
);
CREATE TABLE IF NOT EXISTS party_aliases (
    alias VARCHAR PRIMARY KEY,       -- a label as a source spells it
    party VARCHAR NOT NULL,          -- the party it counts as
    source VARCHAR NOT NULL
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

TABLES = ("members", "divisions", "votes", "memberships", "party_aliases", "imports")

UPGRADES = {
    1: """
    ALTER TABLE divisions ADD COLUMN question VARCHAR NOT NULL DEFAULT '';
    ALTER TABLE divisions ADD COLUMN result VARCHAR;
    ALTER TABLE divisions ADD COLUMN passed BOOLEAN;
    ALTER TABLE divisions ADD COLUMN party_basis VARCHAR NOT NULL DEFAULT '';
    ALTER TABLE divisions ADD COLUMN result_read BOOLEAN NOT NULL DEFAULT FALSE;
    ALTER TABLE divisions ALTER COLUMN result_read SET DEFAULT TRUE;
    """,
}
"""SQL that takes a database from the keyed version to the next (new tables are created by SCHEMA)."""


def default_db_path() -> Path:
    """``$TELLERS_DB``, else ``tellers.duckdb`` in the user's data directory."""
    return env_path(DB_ENV) or user_data() / "tellers.duckdb"


def check_schema(con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
    """Create the schema in an empty file; StoreError for a foreign database or another version."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
    if "meta" not in tables:
        if tables:
            raise StoreError(
                f"{path}: a DuckDB database, but not a tellers one (it has tables "
                f"{few(sorted(tables))}). Choose another file with --db"
            )
        if read_only:
            raise StoreError(f"{path}: the database is empty. Import division records first (`tellers import FILE`)")
        con.begin()
        con.execute(SCHEMA)
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.commit()
        return
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row else 0
    if version < SCHEMA_VERSION and version in UPGRADES and not read_only:
        upgrade(con, version)
        return
    if version < SCHEMA_VERSION and version in UPGRADES:
        raise OlderSchemaError(
            f"{path}: database schema version {version}; this tellers reads version {SCHEMA_VERSION}. "
            "Any `tellers import` into it upgrades it in place (what it holds is kept)"
        )
    if version != SCHEMA_VERSION:
        raise StoreError(
            f"{path}: database schema version {version}, but this tellers reads version "
            f"{SCHEMA_VERSION}. Use a matching tellers, or import into a new file with --db"
        )


class OlderSchemaError(StoreError):
    """A database of an older schema version, opened read-only: it can be upgraded in place."""


def upgrade(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Bring a database of schema ``version`` up to :data:`SCHEMA_VERSION`, in one transaction."""
    con.begin()
    try:
        for v in range(version, SCHEMA_VERSION):
            con.execute(UPGRADES[v])
        con.execute(SCHEMA)  # the tables added since
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])
    except BaseException:
        con.rollback()
        raise
    con.commit()


def reason(exc: BaseException) -> str:
    """The first line of an error's message (its type's name when it has none)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text
