"""Voting patterns: how many members of each party voted each way across a set of divisions.

A :class:`VotingPatterns` table has one row per distinct (party, pattern) — the pattern
being the member's recorded position in each division — and the number of members in
that row. It is the one input the head-to-head analysis needs, and it can be built from
member-level records (keeping the members' names) or read back from an aggregate CSV
that holds no member-level rows, so a package can ship it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tellers.errors import OptionError, RecordFileError
from tellers.wording import few, plural
from tellers.records.fields import check_text, parse_whole, shown, table_rows
from tellers.records.model import DivisionRecords, Member, VoteKind

KINDS: tuple[VoteKind, ...] = tuple(VoteKind)
"""Vote kinds in code order: a pattern stores ``KINDS.index(kind)``."""
NO_VOTE = KINDS.index(VoteKind.NO_VOTE)

ATTRIBUTION = "Contains Parliamentary information licensed under the Open Parliament Licence v3.0."


def member_codes(records: Sequence[DivisionRecords], ids: Sequence[str]) -> tuple[list[Member], np.ndarray]:
    """Every member of ``records`` (first seen first) and their vote codes over divisions ``ids``.

    ``codes[i, j]`` indexes KINDS; a member with no vote recorded in a division gets NO_VOTE.
    """
    column = {d: j for j, d in enumerate(ids)}
    members = {m.id: m for r in records for m in r.members}
    row_of = {mid: i for i, mid in enumerate(members)}
    codes = np.full((len(members), len(ids)), NO_VOTE, dtype=np.int8)
    for r in records:
        for v in r.votes:
            j = column.get(v.division_id)
            if j is not None and v.member_id in row_of:
                codes[row_of[v.member_id], j] = KINDS.index(v.kind)
    return list(members.values()), codes


@dataclass(frozen=True)
class VotingPatterns:
    """Members grouped by party and voting pattern over ``divisions``.

    ``codes[i, j]`` is the vote of row i's members in division j (an index into
    ``KINDS``); ``counts[i]`` how many members share it; ``members[i]`` their names when
    the table was built from member-level records (else None).
    """

    divisions: tuple[str, ...]
    parties: tuple[str, ...]
    codes: np.ndarray
    counts: np.ndarray
    members: tuple[tuple[str, ...], ...] | None = None

    # ------------------------------------------------------------------ building
    @classmethod
    def from_members(
        cls,
        divisions: Sequence[str],
        names: Sequence[str],
        parties: Sequence[str],
        codes: np.ndarray,
    ) -> VotingPatterns:
        """Group member-level rows (one per member) into (party, pattern) rows."""
        groups: dict[tuple[str, bytes], tuple[int, list[str]]] = {}
        for name, party, row in zip(names, parties, np.asarray(codes, dtype=np.int8)):
            count, members = groups.setdefault((party, row.tobytes()), (0, []))
            members.append(name)
            groups[party, row.tobytes()] = (count + 1, members)
        return cls._from_groups(divisions, groups, keep_names=True)

    @classmethod
    def from_records(
        cls, records: Iterable[DivisionRecords], divisions: Sequence[str] | None = None
    ) -> VotingPatterns:
        """Patterns of every member in ``records`` over ``divisions`` (default: all, in order)."""
        records = list(records)
        all_divisions = [d for r in records for d in r.divisions]
        ids = [d.id for d in sorted(all_divisions, key=lambda d: (d.date is None, d.date, d.id))]
        ids = list(divisions) if divisions is not None else ids
        members, codes = member_codes(records, ids)
        missing = set(ids) - {d.id for d in all_divisions}
        if missing:
            raise OptionError(f"division(s) {few(sorted(missing))} are not in the records read")
        return cls.from_members(ids, [m.name for m in members], [m.party for m in members], codes)

    @classmethod
    def _from_groups(
        cls,
        divisions: Sequence[str],
        groups: dict[tuple[str, bytes], tuple[int, list[str]]],
        keep_names: bool,
    ) -> VotingPatterns:
        """Rows from {(party, pattern bytes): (members, names)}, sorted by party then pattern."""
        keys = sorted(groups)
        codes = np.array([np.frombuffer(k[1], dtype=np.int8) for k in keys], dtype=np.int8)
        return cls(
            divisions=tuple(divisions),
            parties=tuple(k[0] for k in keys),
            codes=codes.reshape(len(keys), len(divisions)),
            counts=np.array([groups[k][0] for k in keys], dtype=np.int64),
            members=tuple(tuple(sorted(groups[k][1])) for k in keys) if keep_names else None,
        )

    def select(self, divisions: Sequence[str]) -> VotingPatterns:
        """The same members' patterns over some of the divisions (rows merged again)."""
        unknown = [d for d in divisions if d not in self.divisions]
        if unknown:
            raise OptionError(
                f"division(s) {few(unknown)} are not in this table; it has {plural(len(self.divisions), 'division')}: {few(self.divisions)}"
            )
        return self._regroup(self.parties, [self.divisions.index(d) for d in divisions], divisions)

    def _regroup(self, parties: Sequence[str], cols: list[int], divisions: Sequence[str]) -> VotingPatterns:
        groups: dict[tuple[str, bytes], tuple[int, list[str]]] = {}
        for i, (party, row) in enumerate(zip(parties, self.codes[:, cols])):
            key = (party, np.ascontiguousarray(row, dtype=np.int8).tobytes())
            count, names = groups.get(key, (0, []))
            groups[key] = (count + int(self.counts[i]), names + list(self.members[i] if self.members else ()))
        return self._from_groups(divisions, groups, keep_names=self.members is not None)

    def with_parties(self, aliases: dict[str, str]) -> VotingPatterns:
        """Parties renamed (e.g. "Labour (Co-op)" -> "Labour"), rows merged again."""
        parties = [aliases.get(p, p) for p in self.parties]
        return self._regroup(parties, list(range(len(self.divisions))), self.divisions)

    # ------------------------------------------------------------------ facts
    @property
    def num_members(self) -> int:
        return int(self.counts.sum())

    def party_sizes(self) -> dict[str, int]:
        """Members per party, largest first."""
        sizes: dict[str, int] = {}
        for party, n in zip(self.parties, self.counts):
            sizes[party] = sizes.get(party, 0) + int(n)
        return dict(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))

    def tally(self, division: str, kind: VoteKind) -> int:
        """Members recorded as ``kind`` in ``division``."""
        j = self.divisions.index(division)
        return int(self.counts[self.codes[:, j] == KINDS.index(kind)].sum())

    # ------------------------------------------------------------------ aggregate CSV
    def to_csv(self, path: Path, *, title: str) -> None:
        """Write the aggregate table (party, members, one column per division), no names."""
        buf = io.StringIO()
        buf.write(f"# {title}\n# {ATTRIBUTION}\n")
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["party", "members", *self.divisions])
        for party, n, row in zip(self.parties, self.counts, self.codes):
            writer.writerow([party, int(n), *(KINDS[c].value for c in row)])
        path.write_text(buf.getvalue(), encoding="utf-8")

    @classmethod
    def from_csv(cls, path: Path) -> VotingPatterns:
        """Read an aggregate table written by :meth:`to_csv` (RecordFileError naming the line)."""
        rows = table_rows(path)
        fix = "Write the table with `tellers blocs`"
        if not rows:
            raise RecordFileError(path, 1, "no header row", fix)
        line, header = rows[0]
        if [h.strip() for h in header[:2]] != ["party", "members"] or len(header) < 3:
            raise RecordFileError(path, line, "the header must be party,members,<division ids...>", fix)
        divisions = [check_text(d.strip(), path, line, "division id") for d in header[2:]]
        repeated = next((d for i, d in enumerate(divisions) if not d or d in divisions[:i]), None)
        if repeated is not None:
            raise RecordFileError(path, line, f"the division id {repeated!r} is empty or given twice", fix)
        code_of = {k.value: i for i, k in enumerate(KINDS)}
        parties, counts, codes = [], [], []
        for line, row in rows[1:]:
            if len(row) != len(header):
                raise RecordFileError(path, line, f"{len(row)} fields, the header has {len(header)}", "Fix the row")
            parties.append(check_text(row[0].strip(), path, line, "party"))
            counts.append(parse_whole(row[1], path, line, "member count"))
            bad = next((v for v in row[2:] if v.strip() not in code_of), None)
            if bad is not None:
                raise RecordFileError(path, line, f"the vote {shown(bad)} is not a vote", f"Votes are one of {', '.join(code_of)}")
            codes.append([code_of[v.strip()] for v in row[2:]])
        return cls(
            tuple(divisions),
            tuple(parties),
            np.array(codes, dtype=np.int8).reshape(len(parties), len(divisions)),
            np.array(counts, dtype=np.int64),
        )
