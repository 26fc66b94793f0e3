"""Set-based read queries: totals, the split by party, rebels, cohesion and vote matrices.

Every function takes an open connection; those that resolve a division id the user gave
also take the database's path, to name it in their errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tellers.errors import StoreError
from tellers.wording import few
from tellers.records.model import Division, VoteKind
from tellers.records.parties import NON_PARTIES
from tellers.records.patterns import KINDS, VotingPatterns
from tellers.records.rollcalls import MemberVotes
from tellers.records.store.results import DivisionResult, DivisionTotals, PartyCohesion, PartySplit, Rebel
from tellers.records.store.memberships import votes_on_the_day
from tellers.records.store.schema import TABLES

if TYPE_CHECKING:
    import duckdb

_TOTALS_SQL = """
WITH counted AS (
    SELECT chamber, division_id,
        count(*) FILTER (kind IN ('aye', 'both')) AS ayes,
        count(*) FILTER (kind IN ('no', 'both')) AS noes,
        count(*) FILTER (kind IN ('teller_aye', 'teller_no')) AS tellers,
        count(*) FILTER (kind = 'no_vote') AS no_vote,
        count(*) FILTER (kind = 'both') AS "both",
        count(*) AS listed
    FROM votes {votes_where} GROUP BY ALL
)
SELECT d.chamber, d.division_id, d.date, d.number, d.title, d.ayes, d.noes,
    coalesce(c.ayes, 0), coalesce(c.noes, 0), coalesce(c.tellers, 0), coalesce(c.no_vote, 0),
    coalesce(c."both", 0), d.source, d.question, d.result, d.passed, d.party_basis, coalesce(c.listed, 0), d.result_read
FROM divisions d LEFT JOIN counted c USING (chamber, division_id)
{where}
ORDER BY d.chamber, d.date NULLS LAST, d.number NULLS LAST,
    -- ids in natural order: 'S117-9' before 'S117-10', '99' before '562'
    regexp_replace(d.division_id, '[0-9]+$', ''),
    try_cast(regexp_extract(d.division_id, '[0-9]+$') AS BIGINT) NULLS FIRST, d.division_id
"""

_ONE_DIVISION = votes_on_the_day("v.chamber = $chamber AND v.division_id = $division")

_SPLIT_SQL = f"""
WITH v AS ({_ONE_DIVISION}),
s AS (
    SELECT party,
        count(*) FILTER (kind = 'aye') AS aye,
        count(*) FILTER (kind = 'no') AS no,
        count(*) FILTER (kind = 'no_vote') AS no_vote,
        count(*) FILTER (kind IN ('teller_aye', 'teller_no')) AS tellers,
        count(*) FILTER (kind = 'both') AS "both",
        count(*) FILTER (on_the_day) AS on_the_day
    FROM v GROUP BY 1
)
SELECT party, aye, no, no_vote, tellers, "both",
    CASE WHEN aye + no > 0 THEN abs(aye - no) / (aye + no) END AS rice,
    CASE WHEN aye > no THEN 'aye' WHEN no > aye THEN 'no' END AS majority,
    on_the_day
FROM s
ORDER BY aye + no + no_vote + tellers + "both" DESC, party
"""

_REBELS_SQL = f"""
WITH v AS (
    SELECT member_id, name, party, kind,
        CASE WHEN kind IN ('aye', 'teller_aye') THEN 'aye'
             WHEN kind IN ('no', 'teller_no') THEN 'no' END AS side
    FROM ({_ONE_DIVISION})
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
    SELECT chamber, division_id, party,
        count(*) FILTER (kind = 'aye') AS aye, count(*) FILTER (kind = 'no') AS no
    FROM ({votes_on_the_day("$chamber IS NULL OR lower(v.chamber) = lower($chamber)")})
    GROUP BY ALL
)
SELECT chamber, party, count(*) AS divisions, avg(abs(aye - no) / (aye + no)) AS rice
FROM s WHERE aye + no > 0
GROUP BY ALL
ORDER BY chamber, rice DESC, party
"""


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table."""
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def chambers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The chambers with divisions stored, in alphabetical order."""
    return [r[0] for r in con.execute("SELECT DISTINCT chamber FROM divisions ORDER BY 1").fetchall()]


def divisions(con: duckdb.DuckDBPyConnection, chamber: str | None = None) -> list[DivisionTotals]:
    """Every division (of one chamber, or all) with official and counted totals, oldest first."""
    sql = _TOTALS_SQL.format(
        where="WHERE $chamber IS NULL OR lower(d.chamber) = lower($chamber)",
        votes_where="WHERE $chamber IS NULL OR lower(chamber) = lower($chamber)",
    )
    return [DivisionTotals(*row) for row in con.execute(sql, {"chamber": chamber}).fetchall()]


def resolve(
    con: duckdb.DuckDBPyConnection, path: Path, division_id: str, chamber: str | None = None
) -> tuple[str, str]:
    """The (chamber, division id) a user means; StoreError naming how to list ids if none or several."""
    division_id = str(division_id).strip()
    rows = con.execute(
        "SELECT chamber FROM divisions WHERE division_id = ? "
        "AND (? IS NULL OR lower(chamber) = lower(?)) ORDER BY 1",
        [division_id, chamber, chamber],
    ).fetchall()
    if not rows:
        where = f" in chamber {chamber!r}" if chamber else ""
        # a bare roll-call number may be meant as one of several prefixed ids ('5' -> 'S117-5')
        similar = [
            r[0]
            for r in con.execute(
                "SELECT division_id FROM divisions WHERE division_id LIKE '%-' || ? "
                "AND (? IS NULL OR lower(chamber) = lower(?)) ORDER BY 1 LIMIT 6",
                [division_id, chamber, chamber],
            ).fetchall()
        ]
        hint = f" Did you mean {few(similar)}?" if similar else ""
        raise StoreError(f"no division {division_id!r}{where} in {path}.{hint}", listing="divisions")
    if len(rows) > 1:
        listed = ", ".join(r[0] for r in rows)
        raise StoreError(f"division {division_id!r} exists in several chambers ({listed})", listing="chambers")
    return rows[0][0], division_id


def _totals(con: duckdb.DuckDBPyConnection, key: dict[str, str]) -> DivisionTotals:
    """The totals of the division ``key`` names (``chamber`` and ``division``)."""
    sql = _TOTALS_SQL.format(
        where="WHERE d.chamber = $chamber AND d.division_id = $division",
        votes_where="WHERE chamber = $chamber AND division_id = $division",
    )
    return DivisionTotals(*con.execute(sql, key).fetchone())


def division(
    con: duckdb.DuckDBPyConnection, path: Path, division_id: str, chamber: str | None = None
) -> DivisionResult:
    """One division's totals, split by party (largest party first) and rebels."""
    chamber, division_id = resolve(con, path, division_id, chamber)
    key = {"chamber": chamber, "division": division_id}
    totals = _totals(con, key)
    parties = tuple(PartySplit(*row) for row in con.execute(_SPLIT_SQL, key).fetchall())
    rebels = tuple(Rebel(*row) for row in con.execute(_REBELS_SQL, key).fetchall())
    return DivisionResult(totals, parties, rebels)


def division_record(
    con: duckdb.DuckDBPyConnection, path: Path, division_id: str, chamber: str | None = None
) -> Division:
    """The stored division as a domain object (official totals, or counted when none)."""
    chamber, division_id = resolve(con, path, division_id, chamber)
    t = _totals(con, {"chamber": chamber, "division": division_id})
    return Division(
        t.id, t.chamber, t.date, t.title, t.number, t.result_ayes, t.result_noes, question=t.question,
        result=t.result, passed=t.recorded_passed, party_basis=t.party_basis,
    )


def cohesion(con: duckdb.DuckDBPyConnection, chamber: str | None = None) -> list[PartyCohesion]:
    """Each party's mean Rice index across the divisions stored (most cohesive first)."""
    rows = con.execute(_COHESION_SQL, {"chamber": chamber}).fetchall()
    return [PartyCohesion(*row) for row in rows]


def voting_patterns(
    con: duckdb.DuckDBPyConnection, path: Path, division_ids: Sequence[str], chamber: str | None = None
) -> VotingPatterns:
    """Every member recorded in these divisions, grouped by party and voting pattern.

    Members keep their names; a member with no record in one of the divisions counts as
    recording no vote there. Party is the member's on the day of the first division named
    (the one a what-if reverses, the first option compared), or of the latest they were
    listed in where the first does not list them.
    """
    found, ids = resolve_all(con, path, division_ids, chamber, "compare one chamber at a time")
    votes = _vote_matrix(con, found, ids, on=ids[0])
    return VotingPatterns.from_members(list(votes.divisions), list(votes.names), list(votes.parties), votes.codes)


def resolve_all(
    con: duckdb.DuckDBPyConnection, path: Path, division_ids: Sequence[str], chamber: str | None, fix: str
) -> tuple[str, list[str]]:
    """(chamber, ids) for division ids that must all be one chamber's: one query for them all,
    :func:`resolve` (for its messages) only for an id that is missing or in several chambers."""
    ids = [str(d).strip() for d in division_ids]
    rows = con.execute(
        "SELECT division_id, list(chamber ORDER BY chamber) FROM divisions WHERE list_contains($ids, division_id) "
        "AND ($chamber IS NULL OR lower(chamber) = lower($chamber)) GROUP BY division_id",
        {"ids": ids, "chamber": chamber},
    ).fetchall()
    where = {d: chambers_ for d, chambers_ in rows}
    for d in ids:
        if len(where.get(d, ())) != 1:
            resolve(con, path, d, chamber)  # raises, naming the problem
    found = {where[d][0] for d in ids}
    if len(found) > 1:
        raise StoreError(f"divisions from several chambers ({', '.join(sorted(found))}); {fix}")
    if not found:
        raise StoreError("no divisions named")
    return found.pop(), ids


def member_votes(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    division_ids: Sequence[str] | None = None,
    chamber: str | None = None,
) -> MemberVotes:
    """Every member recorded in these divisions (default: all of the chamber's), one row each.

    Ids are the source's (MNIS, ICPSR); a member with no record in a division counts as
    recording no vote there. Divisions come oldest first when not named.
    """
    if division_ids is None:
        stored = [chamber] if chamber else chambers(con)
        if not stored:
            raise StoreError(f"no divisions in {path}; import some with `tellers import`")
        if len(stored) > 1:
            raise StoreError(f"{path} holds divisions of several chambers ({', '.join(stored)})", listing="chambers")
        held = divisions(con, stored[0])
        if not held:
            raise StoreError(f"no divisions of chamber {stored[0]!r} in {path}")
        return _vote_matrix(con, held[0].chamber, [d.id for d in held])
    found, ids = resolve_all(con, path, division_ids, chamber, "scale one chamber at a time")
    return _vote_matrix(con, found, ids)


def _vote_matrix(
    con: duckdb.DuckDBPyConnection, chamber: str, ids: Sequence[str], on: str | None = None
) -> MemberVotes:
    """One row per member recorded in divisions ``ids`` of ``chamber`` (no record: no vote).

    A member's party is the one they had on the day of division ``on`` (see
    :mod:`.memberships`), or where that does not list them (or ``on`` is None), of the
    latest of these divisions they were listed in.
    """
    ids = list(ids)
    where = "v.chamber = $chamber AND list_contains($ids, v.division_id)"
    params = {"chamber": chamber, "ids": ids, "on": on}
    members = con.execute(
        f"""
        WITH v AS ({votes_on_the_day(where)})
        SELECT member_id, any_value(name),
            coalesce(any_value(party) FILTER (WHERE division_id = $on), arg_max(party, (date, division_id)))
        FROM v GROUP BY member_id ORDER BY member_id
        """,
        params,
    ).fetchall()
    cells = con.execute(
        """
        WITH m AS (SELECT unnest($members) AS member_id, generate_subscripts($members, 1) - 1 AS row),
        d AS (SELECT unnest($ids) AS division_id, generate_subscripts($ids, 1) - 1 AS col),
        k AS (SELECT unnest($kinds) AS kind, generate_subscripts($kinds, 1) - 1 AS code)
        SELECT m.row, d.col, k.code
        FROM votes v JOIN m USING (member_id) JOIN d USING (division_id) JOIN k USING (kind)
        WHERE v.chamber = $chamber
        """,
        {"chamber": chamber, "ids": ids, "members": [r[0] for r in members], "kinds": [k.value for k in KINDS]},
    ).fetchnumpy()
    codes = np.full((len(members), len(ids)), KINDS.index(VoteKind.NO_VOTE), dtype=np.int8)
    codes[np.asarray(cells["row"], dtype=np.int64), np.asarray(cells["col"], dtype=np.int64)] = cells["code"]
    return MemberVotes(
        tuple(ids), tuple(r[0] for r in members), tuple(r[1] for r in members), tuple(r[2] for r in members), codes
    )


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[Any, ...]]:
    """All rows of a table in a stable order (for content comparisons)."""
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
