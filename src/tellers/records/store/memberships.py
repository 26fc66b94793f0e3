"""Membership histories and party aliases in the store, and the party each vote was cast under.

Importing a history replaces, member by member, what the store held for those members
(in that chamber): a history is one source's account of a member's parties. Each import
is one transaction, checked before commit: no member's intervals may overlap, counting a
row without a chamber as one of every chamber's.

:data:`VOTES_ON_THE_DAY` is the one place a vote's party is decided, so every per-party
figure (splits, rebels, cohesion, vote matrices) agrees:

1. the party the membership history gives the member on the division's date;
2. else the party recorded with the vote (as the source gives it, see
   ``divisions.party_basis``);
3. else the member's latest known party;

then merged through the alias table: the store's ``party_aliases`` over
:data:`tellers.records.parties.PARTY_ALIASES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tellers.errors import StoreError
from tellers.records.model import MembershipHistory
from tellers.records.parties import NO_PARTY, PARTY_ALIASES
from tellers.records.store.imports import _obj, transaction
from tellers.records.store.schema import reason

if TYPE_CHECKING:
    import duckdb


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_DEFAULT_ALIASES = ", ".join(f"({_quoted(a)}, {_quoted(p)})" for a, p in PARTY_ALIASES.items())

ALIASES = f"""
    SELECT lower(alias) AS alias, party FROM (
        SELECT alias, party, 0 AS built_in FROM party_aliases
        UNION ALL
        SELECT alias, party, 1 FROM (VALUES {_DEFAULT_ALIASES}) AS d(alias, party)
    )
    QUALIFY row_number() OVER (PARTITION BY lower(alias) ORDER BY built_in, alias) = 1
"""
"""Every alias, one per label in lower case: the store's over the built-in ones."""

VOTES_ON_THE_DAY = f"""
    WITH aliases AS ({ALIASES}),
    given AS (
        SELECT v.chamber, v.division_id, v.member_id, v.kind, d.date,
            coalesce(nullif(m.name, ''), v.member_id) AS name,
            coalesce(nullif(v.party, ''), nullif(m.party, ''), '{NO_PARTY}') AS given
        FROM votes v JOIN divisions d USING (chamber, division_id)
        LEFT JOIN members m USING (chamber, member_id)
        WHERE {{where}}
    ),
    held AS (
        SELECT g.*, h.party AS held
        FROM given g LEFT JOIN memberships h
            ON h.member_id = g.member_id AND (h.chamber = '' OR lower(h.chamber) = lower(g.chamber))
            AND g.date >= h.start AND (h."end" IS NULL OR g.date <= h."end")
        QUALIFY row_number() OVER (PARTITION BY g.chamber, g.division_id, g.member_id ORDER BY h.chamber DESC) = 1
    )
    SELECT h.chamber, h.division_id, h.member_id, h.kind, h.date, h.name,
        coalesce(b.party, a.party, h.held, h.given) AS party, h.held IS NOT NULL AS on_the_day
    FROM held h
    LEFT JOIN aliases a ON a.alias = lower(coalesce(h.held, h.given))
    LEFT JOIN aliases b ON b.alias = lower(a.party)  -- an alias of an alias ("Labour (Co-op)" -> "Labour" -> yours)
"""
"""Each vote with its party (see the module notes); ``{where}`` filters votes ``v`` and divisions ``d``."""


def votes_on_the_day(where: str) -> str:
    """:data:`VOTES_ON_THE_DAY` for the votes ``where`` selects (SQL over ``v`` and ``d``)."""
    return VOTES_ON_THE_DAY.format(where=where)


@dataclass(frozen=True)
class MembershipSummary:
    """What importing one history did."""

    source: str
    members: int
    memberships: int
    replaced: int
    """Memberships the store held for these members before, now replaced."""


def import_memberships(con: duckdb.DuckDBPyConnection, history: MembershipHistory) -> MembershipSummary:
    """Write ``history`` in one transaction, replacing what the store held for its members."""
    import duckdb  # here, as in Store._connect: only an import needs it

    rows = history.memberships
    staged = {  # noqa: F841 - read by DuckDB's replacement scan
        "chamber": _obj([m.chamber for m in rows]),
        "member_id": _obj([m.member_id for m in rows]),
        "party": _obj([m.party for m in rows]),
        "start": _obj([m.start for m in rows]),
        "end": _obj([m.end for m in rows]),
        "source": _obj([history.source] * len(rows)),
    }
    try:
        with transaction(con):
            con.execute(
                'CREATE OR REPLACE TEMP TABLE new_memberships (chamber VARCHAR, member_id VARCHAR, party VARCHAR, '
                'start DATE, "end" DATE, source VARCHAR)'
            )
            con.execute("INSERT INTO new_memberships SELECT * FROM staged")
            # a chamber as the divisions spell it ('commons' -> 'Commons')
            con.execute(
                "UPDATE new_memberships n SET chamber = d.chamber FROM (SELECT DISTINCT chamber FROM divisions) d "
                "WHERE lower(n.chamber) = lower(d.chamber)"
            )
            # the new history replaces every stored row it could overlap: the same chamber, or either without one
            replaced = con.execute(
                "DELETE FROM memberships m WHERE EXISTS (SELECT 1 FROM new_memberships n WHERE n.member_id = m.member_id "
                "AND (lower(n.chamber) = lower(m.chamber) OR n.chamber = '' OR m.chamber = ''))"
            ).fetchone()[0]
            con.execute("INSERT INTO memberships SELECT * FROM new_memberships")
            _check_overlaps(con, history.source)
            con.execute("DROP TABLE new_memberships")
    except duckdb.Error as exc:
        raise StoreError(f"{history.source}: import failed, nothing from this file was stored: {reason(exc)}") from None
    return MembershipSummary(history.source, len({(m.chamber, m.member_id) for m in rows}), len(rows), int(replaced))


def _check_overlaps(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """StoreError (rolling the import back) if any member's stored intervals overlap."""
    row = con.execute(
        """
        SELECT a.member_id, a.party, a.start, a."end", a.source, b.party, b.start, b.source
        FROM memberships a JOIN memberships b
            ON a.member_id = b.member_id AND (lower(a.chamber) = lower(b.chamber) OR a.chamber = '' OR b.chamber = '')
            AND (a.start, a.chamber) < (b.start, b.chamber)
            AND (a."end" IS NULL OR a."end" >= b.start)
        ORDER BY ALL LIMIT 1
        """
    ).fetchone()
    if row:
        member, party_a, start_a, end_a, source_a, party_b, start_b, source_b = row
        until = "with no end" if end_a is None else f"until {end_a}"
        raise StoreError(
            f"{source}: member {member}'s membership of {party_b} from {start_b} ({source_b}) overlaps their "
            f"membership of {party_a} from {start_a} {until} ({source_a}); nothing from this file was stored. "
            "End the earlier membership the day before the later one starts"
        )


def import_party_aliases(con: duckdb.DuckDBPyConnection, source: str, aliases: dict[str, str]) -> int:
    """Write ``aliases`` (each replacing the store's alias of that name) in one transaction; how many."""
    with transaction(con):
        for alias, party in aliases.items():  # labels match in any case: one alias per label
            con.execute("DELETE FROM party_aliases WHERE lower(alias) = lower(?)", [alias])
            con.execute("INSERT INTO party_aliases VALUES (?, ?, ?)", [alias, party, source])
    return len(aliases)


def party_aliases(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every alias in force (labels in lower case): the store's over the built-in ones."""
    return dict(con.execute(ALIASES).fetchall())
