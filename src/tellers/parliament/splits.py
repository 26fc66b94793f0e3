"""Division results counted from a voting-pattern table, as the store counts them from votes.

The bundled aggregate and a scenario's edited votes have no vote rows to query: these
functions give the same :class:`~tellers.records.store.DivisionTotals` and
:class:`~tellers.records.store.PartySplit` the store's SQL gives, from the table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tellers.chambers import Verdict, judge
from tellers.records.model import Division, VoteKind
from tellers.records.patterns import KINDS, VotingPatterns
from tellers.records.store import DivisionResult, DivisionTotals, PartySplit



def _count(patterns: VotingPatterns, j: int, kinds: Sequence[VoteKind], rows: np.ndarray | None = None) -> int:
    codes = patterns.codes[:, j] if rows is None else patterns.codes[rows, j]
    counts = patterns.counts if rows is None else patterns.counts[rows]
    return int(counts[np.isin(codes, [KINDS.index(k) for k in kinds])].sum())


def division_totals(patterns: VotingPatterns, d: Division, source: str, *, official: bool = True) -> DivisionTotals:
    """A division's official totals beside those counted from the patterns (as the store counts).
    ``official=False`` leaves the official totals out (a scenario's votes are not the record)."""
    j = patterns.divisions.index(d.id)
    official = official and not d.totals_computed
    return DivisionTotals(
        chamber=d.chamber, id=d.id, date=d.date, number=d.number, title=d.title,
        ayes=d.ayes if official else None, noes=d.noes if official else None,
        counted_ayes=_count(patterns, j, (VoteKind.AYE, VoteKind.BOTH)),
        counted_noes=_count(patterns, j, (VoteKind.NO, VoteKind.BOTH)),
        tellers=_count(patterns, j, (VoteKind.TELLER_AYE, VoteKind.TELLER_NO)),
        no_vote=_count(patterns, j, (VoteKind.NO_VOTE,)),
        both=_count(patterns, j, (VoteKind.BOTH,)),
        source=source,
        question=d.question, result=d.result, recorded_passed=d.passed, party_basis=d.party_basis,
        listed=int(patterns.counts.sum()),
    )


def party_splits(patterns: VotingPatterns, division_id: str) -> tuple[PartySplit, ...]:
    """How each party voted in one division (largest party first), with its Rice index —
    the store's split, counted from a voting-pattern table."""
    j = patterns.divisions.index(division_id)
    parties = np.array(patterns.parties, dtype=object)
    out = []
    for party in dict.fromkeys(patterns.parties):
        rows = parties == party
        aye = _count(patterns, j, (VoteKind.AYE,), rows)
        no = _count(patterns, j, (VoteKind.NO,), rows)
        out.append(PartySplit(
            party, aye, no,
            _count(patterns, j, (VoteKind.NO_VOTE,), rows),
            _count(patterns, j, (VoteKind.TELLER_AYE, VoteKind.TELLER_NO), rows),
            _count(patterns, j, (VoteKind.BOTH,), rows),
            abs(aye - no) / (aye + no) if aye + no else None,
            "aye" if aye > no else "no" if no > aye else None,
        ))
    out.sort(key=lambda p: (-(p.aye + p.no + p.no_vote + p.tellers + p.both), p.party))
    return tuple(out)


def merge_parties(result: DivisionResult, aliases: Mapping[str, str]) -> DivisionResult:
    """The split with party labels merged (e.g. "Labour (Co-op)" into "Labour"); Rice
    index and majority recomputed for merged parties."""
    merged: dict[str, list[int]] = {}
    for p in result.parties:
        row = merged.setdefault(aliases.get(p.party, p.party), [0, 0, 0, 0, 0])
        for i, n in enumerate((p.aye, p.no, p.no_vote, p.tellers, p.both)):
            row[i] += n
    parties = tuple(
        PartySplit(party, aye, no, nv, t, b, abs(aye - no) / (aye + no) if aye + no else None,
                   "aye" if aye > no else "no" if no > aye else None)
        for party, (aye, no, nv, t, b) in sorted(merged.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    )
    return DivisionResult(result.totals, parties, result.rebels)


def division_verdict(d: Division, sworn: int | None = None) -> Verdict:
    """A division's outcome under its chamber's rules from its official totals, beside the
    recorded result (``sworn``: the members who could vote, for a majority of those sworn)."""
    return judge(d.chamber, ayes=d.ayes or 0, noes=d.noes or 0, question=d.question, title=d.title, when=d.date,
                 sworn=sworn, recorded=d.passed)
