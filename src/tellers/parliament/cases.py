"""Case folders: an aggregate voting-pattern table, its divisions, and an option catalogue.

The package bundles one, the House of Commons' Brexit divisions of January-April 2019,
derived by ``tellers blocs`` from the member-level records: ``patterns.csv`` (members
by party and voting pattern, no names), ``divisions.csv`` (each division's date, title
and official totals) and ``options.toml`` (hand-written: which divisions tested which
option). Contains Parliamentary information licensed under the Open Parliament Licence
v3.0.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from tellers.parliament.catalogue import Catalogue, load_catalogue
from tellers.errors import RecordFileError
from tellers.records.fields import check_text, parse_date, parse_whole, table_rows
from tellers.records.model import Division, DivisionRecords
from tellers.records.readers.brexit_csv import PARTY_BASIS as LONG_CSV_PARTY_BASIS
from tellers.records.patterns import ATTRIBUTION, VotingPatterns

COMMONS_2019 = Path(__file__).resolve().parents[1] / "data" / "commons2019"
"""The bundled case folder."""

DIVISION_FIELDS = ["id", "chamber", "date", "number", "title", "ayes", "noes"]


@dataclass(frozen=True)
class Case:
    """Everything the head-to-head analysis needs about one set of divisions."""

    patterns: VotingPatterns
    divisions: dict[str, Division]
    catalogue: Catalogue
    source: str
    records: tuple[DivisionRecords, ...] = ()
    """The member-level records the case was built from, if any (they keep the source's member ids)."""


def bundled_catalogue() -> Catalogue:
    """The bundled 2019 Commons option catalogue (every house uses it to label options)."""
    return load_catalogue(COMMONS_2019 / "options.toml")


def load_case(folder: Path = COMMONS_2019) -> Case:
    """Read a case folder written by :func:`write_case` (plus its options.toml)."""
    catalogue = load_catalogue(folder / "options.toml")
    return Case(
        VotingPatterns.from_csv(folder / "patterns.csv").with_parties(catalogue.party_aliases),
        {k: replace(d, party_basis=d.party_basis or LONG_CSV_PARTY_BASIS) for k, d in read_divisions(folder / "divisions.csv").items()},
        catalogue,
        f"{folder.name} (aggregate by party and voting pattern)",
    )


def case_from_records(records: list[DivisionRecords], catalogue: Catalogue, source: str) -> Case:
    """The same case from member-level records (members' names kept)."""
    return Case(
        VotingPatterns.from_records(records).with_parties(catalogue.party_aliases),
        {d.id: d for r in records for d in r.divisions},
        catalogue,
        source,
        tuple(records),
    )


def write_case(case: Case, folder: Path, *, title: str) -> None:
    """Write the aggregate table and the divisions (no member-level rows) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    case.patterns.to_csv(folder / "patterns.csv", title=title)
    buf = io.StringIO()
    buf.write(f"# {title}: divisions and official totals\n# {ATTRIBUTION}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(DIVISION_FIELDS)
    for d in case.divisions.values():
        if d.id in case.patterns.divisions:
            writer.writerow([d.id, d.chamber, d.date or "", d.number or "", d.title, _blank(d.ayes), _blank(d.noes)])
    (folder / "divisions.csv").write_text(buf.getvalue(), encoding="utf-8")


def read_divisions(path: Path) -> dict[str, Division]:
    """Divisions written by :func:`write_case` (RecordFileError naming the line if malformed)."""
    rows = table_rows(path)
    fix = "Write the folder with `tellers blocs`"
    if not rows or [h.strip() for h in rows[0][1]] != DIVISION_FIELDS:
        raise RecordFileError(path, rows[0][0] if rows else 1, f"the header must be {','.join(DIVISION_FIELDS)}", fix)
    out: dict[str, Division] = {}
    for n, row in rows[1:]:
        if len(row) != len(DIVISION_FIELDS):
            raise RecordFileError(path, n, f"{len(row)} fields, the header has {len(DIVISION_FIELDS)}", fix)
        id_, chamber, day, number, title, ayes, noes = (cell.strip() for cell in row)
        if not id_ or id_ in out:
            raise RecordFileError(path, n, f"the division id {id_!r} is empty or given twice", fix)

        number, ayes, noes = (
            parse_whole(text, path, n, what) if text else None
            for text, what in ((number, "number"), (ayes, "ayes"), (noes, "noes"))
        )
        out[id_] = Division(
            check_text(id_, path, n, "id"),
            check_text(chamber, path, n, "chamber"),
            parse_date(day, path, n, "date", "2019-03-27") if day else None,
            check_text(title, path, n, "title"),
            number, ayes, noes,
        )
    return out


def _blank(x: int | None) -> str | int:
    return "" if x is None else x
