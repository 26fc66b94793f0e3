"""What a scenario changes: each division result and head-to-head verdict, against the record.

For edits to real divisions the comparison is with the record (the base's votes unedited);
for blocs and stances, with the blocs as declared (before any ``[[edit]]``). A scenario
that changes no total and no head-to-head count *reproduces* what it is compared with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tellers.parliament.head_to_head import MajorityAnalysis, PairwiseCount

if TYPE_CHECKING:
    from tellers.parliament.coalitions.scenario import Outcome


@dataclass(frozen=True)
class ResultChange:
    """A division whose totals the scenario changes: before and after."""

    id: str
    label: str
    before: tuple[int, int, bool | None]
    """(ayes, noes, passed: None for a tie a casting vote of unknown direction decides)."""
    after: tuple[int, int, bool | None]

    @property
    def reversed(self) -> bool:
        return self.before[2] != self.after[2]


@dataclass(frozen=True)
class VerdictChange:
    """A pair of options whose head-to-head winner changes, counted the same way round."""

    before: PairwiseCount
    after: PairwiseCount


@dataclass(frozen=True)
class ScenarioChanges:
    """What changed against ``against`` ("the record", or "the blocs as declared")."""

    against: str
    results: tuple[ResultChange, ...]
    verdicts: tuple[VerdictChange, ...]
    condorcet_winner: tuple[str | None, str | None] | None
    """(before, after) when the Condorcet winner changes (None: no winner), else None."""
    counts_changed: bool
    """Any head-to-head count (for, against, level or unknown) differs."""

    @property
    def reproduces(self) -> bool:
        """No division total and no head-to-head count changed."""
        return not self.results and not self.counts_changed

    def to_dict(self) -> dict:
        def pair(p: PairwiseCount) -> dict:
            return {"x_over_y": p.x_over_y, "y_over_x": p.y_over_x, "winner": p.winner}

        def totals(t: tuple[int, int, bool | None]) -> dict:
            return {"ayes": t[0], "noes": t[1], "passed": t[2]}

        return {
            "against": self.against,
            "reproduces": self.reproduces,
            "divisions": [{"id": r.id, "label": r.label, "before": totals(r.before), "after": totals(r.after),
                           "reversed": r.reversed} for r in self.results],
            "head_to_head": [{"x": v.after.x, "y": v.after.y, "before": pair(v.before), "after": pair(v.after)}
                             for v in self.verdicts],
            "condorcet_winner": None if self.condorcet_winner is None
            else {"before": self.condorcet_winner[0], "after": self.condorcet_winner[1]},
        }


def compare(
    outcomes: Sequence[Outcome], before: MajorityAnalysis | None, after: MajorityAnalysis | None, against: str,
) -> ScenarioChanges:
    """The division results and head-to-head verdicts that differ between ``before`` and ``after``."""
    results = tuple(
        ResultChange(o.id, o.label, (o.before_ayes, o.before_noes, o.passed_before), (o.ayes, o.noes, o.passed))
        for o in outcomes if (o.ayes, o.noes) != (o.before_ayes, o.before_noes)
    )
    if before is None or after is None:
        return ScenarioChanges(against, results, (), None, False)
    pairs = [(before.pair(p.x, p.y), p) for p in after.pairwise]
    verdicts = tuple(VerdictChange(b, a) for b, a in pairs if b.winner != a.winner)
    counts_changed = any(b != a for b, a in pairs)
    winner = (before.condorcet_winner, after.condorcet_winner)
    return ScenarioChanges(against, results, verdicts, winner if winner[0] != winner[1] else None, counts_changed)
