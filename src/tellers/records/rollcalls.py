"""Member-level roll calls: one row per member, one column per division.

:class:`MemberVotes` is what a roll-call scaling model reads (see
``tellers.parliament.preferences.idealpoints``): every member with their source id (MNIS for the
Commons, ICPSR for Voteview), name and party, and their recorded vote in each division
as a code into :data:`tellers.records.patterns.KINDS`. Build it from records
(:meth:`MemberVotes.from_records`), from the store (``Store.member_votes``) or by
expanding an aggregate :class:`~tellers.records.patterns.VotingPatterns` table, one row per member
of each (party, pattern) row (:meth:`MemberVotes.from_patterns`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tellers.errors import TellersError
from tellers.wording import few, plural
from tellers.records.model import DivisionRecords, VoteKind
from tellers.records.patterns import KINDS, VotingPatterns, member_codes

_AYE = np.zeros(len(KINDS), dtype=bool)
_AYE[[KINDS.index(VoteKind.AYE), KINDS.index(VoteKind.TELLER_AYE)]] = True
_NO = np.zeros(len(KINDS), dtype=bool)
_NO[[KINDS.index(VoteKind.NO), KINDS.index(VoteKind.TELLER_NO)]] = True


def binary_votes(codes: np.ndarray) -> np.ndarray:
    """Vote codes (indices into KINDS) as 1.0 = Aye, 0.0 = No, NaN = no vote.

    Tellers count for the side they tell for; a member listed in both lobbies, or
    recording no vote, is missing.
    """
    codes = np.asarray(codes)
    if codes.size and (codes.min() < 0 or codes.max() >= len(KINDS)):
        raise TellersError(f"vote codes must be 0..{len(KINDS) - 1} (indices into tellers.records.patterns.KINDS)")
    idx = codes.astype(np.intp)
    return np.where(_AYE[idx], 1.0, np.where(_NO[idx], 0.0, np.nan))


@dataclass(frozen=True)
class MemberVotes:
    """How each member voted in each division: ``codes[i, j]`` indexes KINDS."""

    divisions: tuple[str, ...]
    ids: tuple[str, ...]
    names: tuple[str, ...]
    parties: tuple[str, ...]
    codes: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.ids)
        if self.codes.shape != (n, len(self.divisions)) or len(self.names) != n or len(self.parties) != n:
            raise TellersError(
                f"member votes: {n} ids, {len(self.names)} names, {len(self.parties)} parties and a "
                f"{self.codes.shape} code matrix for {len(self.divisions)} divisions do not match"
            )
        if len(set(self.ids)) != n:
            raise TellersError("member votes: member ids must be distinct")

    # ------------------------------------------------------------------ building
    @classmethod
    def from_records(
        cls,
        records: Iterable[DivisionRecords],
        divisions: Sequence[str] | None = None,
        *,
        chamber: str | None = None,
    ) -> MemberVotes:
        """Every member of ``records`` (of one chamber) over ``divisions`` (default: all, oldest first).

        A member with no vote recorded in a division counts as recording no vote there.
        """
        records = [r for r in records if chamber is None or r.chamber.lower() == chamber.lower()]
        chambers = sorted({r.chamber for r in records})
        if len(chambers) > 1:
            raise TellersError(f"records of several chambers ({', '.join(chambers)}); choose one chamber")
        all_divisions = [d for r in records for d in r.divisions]
        ordered = [d.id for d in sorted(all_divisions, key=lambda d: (d.date is None, d.date, d.id))]
        ids = list(dict.fromkeys(ordered)) if divisions is None else list(divisions)
        missing = [d for d in ids if d not in set(ordered)]
        if missing:
            raise TellersError(f"division(s) {few(missing)} are not in the records read")
        members, codes = member_codes(records, ids)
        return cls(
            tuple(ids),
            tuple(m.id for m in members),
            tuple(m.name for m in members),
            tuple(m.party for m in members),
            codes,
        )

    @classmethod
    def from_patterns(cls, patterns: VotingPatterns) -> MemberVotes:
        """One row per member of each (party, pattern) row of an aggregate table.

        Members keep their names where the table has them (their name is then their id);
        an anonymous table's members are called "<party> <k>".
        """
        ids, names, parties, rows = [], [], [], []
        for i, (party, count) in enumerate(zip(patterns.parties, patterns.counts)):
            count = int(count)
            known = list(patterns.members[i]) if patterns.members else []
            for k in range(count):
                name = known[k] if k < len(known) else f"{party or 'member'} {len(ids) + 1}"
                ids.append(name)
                names.append(name)
                parties.append(party)
                rows.append(i)
        codes = patterns.codes[np.asarray(rows, dtype=np.intp)] if rows else patterns.codes[:0]
        if len(set(ids)) != len(ids):  # two members of the same name: number them
            total, seen = Counter(ids), Counter()
            for k, name in enumerate(ids):
                if total[name] > 1:
                    seen[name] += 1
                    ids[k] = f"{name} ({seen[name]})"
        return cls(patterns.divisions, tuple(ids), tuple(names), tuple(parties), codes.astype(np.int8))

    # ------------------------------------------------------------------ views
    @property
    def num_members(self) -> int:
        return len(self.ids)

    def select(self, divisions: Sequence[str]) -> MemberVotes:
        """The same members over some of the divisions, in the order given."""
        unknown = [d for d in divisions if d not in self.divisions]
        if unknown:
            raise TellersError(
                f"division(s) {few(unknown)} are not in these records; they hold "
                f"{plural(len(self.divisions), 'division')} ({few(self.divisions)})"
            )
        cols = [self.divisions.index(d) for d in divisions]
        return MemberVotes(tuple(divisions), self.ids, self.names, self.parties, self.codes[:, cols])

    def with_parties(self, aliases: Mapping[str, str]) -> MemberVotes:
        """Party labels renamed (e.g. "Labour (Co-op)" -> "Labour")."""
        return MemberVotes(
            self.divisions, self.ids, self.names, tuple(aliases.get(p, p) for p in self.parties), self.codes
        )

    def binary(self) -> np.ndarray:
        """The votes as 1.0 = Aye, 0.0 = No, NaN = no vote (see :func:`binary_votes`)."""
        return binary_votes(self.codes)

    def column(self, division: str, ids: Sequence[str] | None = None) -> np.ndarray:
        """One division's votes (1.0, 0.0 or NaN) for ``ids`` (default: every member, in order)."""
        if division not in self.divisions:
            raise TellersError(f"division {division!r} is not in these records")
        votes = binary_votes(self.codes[:, self.divisions.index(division)])
        if ids is None:
            return votes
        row = {m: i for i, m in enumerate(self.ids)}
        missing = [m for m in ids if m not in row]
        if missing:
            raise TellersError(f"member(s) {few(missing)} are not in these records")
        return votes[[row[m] for m in ids]]
