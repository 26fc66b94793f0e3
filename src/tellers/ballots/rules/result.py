"""What a rule returns: its winners (ties explicit), a ranking where defined, and why."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Round:
    """One round of an elimination count."""

    number: int
    tallies: dict[str, float]
    eliminated: tuple[str, ...] = ()
    exhausted: float = 0.0
    note: str = ""


@dataclass(frozen=True)
class Result:
    """The outcome of one rule on one profile.

    ``winners`` holds every tied winner: no tie is broken silently. ``ranking`` lists
    tiers best first (each a tuple of tied candidates) where the rule defines a ranking.
    ``scores`` and ``rounds`` explain the result; ``tie_rule`` names how ties inside the
    count were handled, when they can arise.
    """

    rule: str
    winners: frozenset[str]
    ranking: tuple[tuple[str, ...], ...] | None = None
    scores: dict[str, float] | None = None
    rounds: tuple[Round, ...] = ()
    tie_rule: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def tied(self) -> bool:
        return len(self.winners) > 1

    def to_dict(self, candidates: tuple[str, ...] | None = None) -> dict:
        """A JSON-ready dict; winners listed in candidate order when candidates are given."""
        order = {c: i for i, c in enumerate(candidates or sorted(self.winners))}
        return {
            "winners": sorted(self.winners, key=lambda c: order.get(c, len(order))),
            "ranking": None if self.ranking is None else [list(t) for t in self.ranking],
            "scores": self.scores,
            "rounds": [
                {
                    "round": r.number,
                    "tallies": r.tallies,
                    "eliminated": list(r.eliminated),
                    "exhausted": r.exhausted,
                    **({"note": r.note} if r.note else {}),
                }
                for r in self.rounds
            ]
            or None,
            "tie_rule": self.tie_rule,
            "notes": list(self.notes) or None,
        }
