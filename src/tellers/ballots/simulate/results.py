"""A study's figures: each measure's share and Monte Carlo standard error, from the tallies."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from tellers.ballots.simulate.measures import Tally, combine
from tellers.ballots.simulate.study import Study


@dataclass(frozen=True)
class StudyResult:
    """A study and its tallies, chunk by chunk."""

    study: Study
    chunks: tuple[tuple[Tally, ...], ...]

    @property
    def tallies(self) -> dict[tuple[str, str], Tally]:
        return {(t.measure, t.key): t for t in combine(self.chunks)}

    def measure(self, measure: str) -> dict[str, Tally]:
        """The tallies of one measure, by key, in the order measured."""
        return {key: t for (name, key), t in self.tallies.items() if name == measure}

    def smith_mean(self) -> tuple[float, float]:
        """The Smith set's mean size and its standard error."""
        sizes = self.measure("smith")
        n = self.study.elections
        mean = sum(int(k) * t.hits for k, t in sizes.items()) / n
        square = sum(int(k) ** 2 * t.hits for k, t in sizes.items()) / n
        return mean, math.sqrt(max(square - mean * mean, 0.0) / n)

    def to_dict(self) -> dict:
        """``{"culture", "parameters", "candidates", "voters", "elections", "seed", "agenda", "chunk",
        "chunks", "condorcet_winner_share", "condorcet_winners", "elections_with_condorcet_winner",
        "condorcet_efficiency", "rule_tie_shares", "agreement", "procedures",
        "sophisticated_differs", "smith_set_size", "manipulability", "standard_errors"}``:
        every share a fraction of the elections (the efficiencies and procedures', of those
        with a Condorcet winner; ``condorcet_winners``, each candidate's share, by label or
        index), each standard error under the same key in
        ``standard_errors``; a share of no elections is null."""
        s = self.study
        condorcet = self.tallies[("condorcet", "")]
        mean, mean_se = self.smith_mean()
        doc: dict = {
            "culture": s.culture,
            "parameters": {k: list(v) if isinstance(v, tuple) else v for k, v in s.parameters.items()}, "candidates": s.candidates,
            "voters": s.voters, "elections": s.elections, "seed": s.seed, "agenda": s.agenda, "chunk": s.chunk_elections,
            "chunks": len(self.chunks),
        }
        if s.labels:
            doc["labels"] = list(s.labels)
        names = s.labels or tuple(str(c) for c in range(s.candidates))
        shares: dict = {
            "condorcet_winner_share": condorcet,
            "condorcet_winners": {names[int(c)]: t for c, t in self.measure("winner").items()},
            "condorcet_efficiency": self.measure("efficiency"),
            "rule_tie_shares": self.measure("tie"),
            "agreement": _nested(self.measure("agreement"), "~"),
            "procedures": _nested(self.measure("procedure"), ":"),
            "sophisticated_differs": self.measure("sophisticated_differs"),
            "manipulability": self.measure("manipulable"),
        }
        doc.update(_each(shares, lambda t: t.share))
        doc["elections_with_condorcet_winner"] = condorcet.hits
        doc["smith_set_size"] = {"mean": mean, "shares": {k: t.share for k, t in self.measure("smith").items()}}
        errors = _each(shares, lambda t: t.standard_error)
        errors["smith_set_size"] = {"mean": mean_se,
                                    "shares": {k: t.standard_error for k, t in self.measure("smith").items()}}
        doc["standard_errors"] = errors
        return doc

    def rows(self) -> list[tuple[int, str, str, int, int]]:
        """One row per chunk and measure: (chunk, measure, key, hits, trials)."""
        return [(i, t.measure, t.key, t.hits, t.trials) for i, chunk in enumerate(self.chunks) for t in chunk]


def _nested(tallies: dict[str, Tally], separator: str) -> dict[str, dict[str, Tally]]:
    """``{"a~b": t}`` as ``{"a": {"b": t}}`` (split at ``separator``)."""
    nested: dict[str, dict[str, Tally]] = {}
    for key, t in tallies.items():
        outer, inner = key.split(separator)
        nested.setdefault(outer, {})[inner] = t
    return nested


def _each(tree, value):
    """``tree`` with every :class:`Tally` replaced by ``value(tally)``."""
    if isinstance(tree, Tally):
        return value(tree)
    return {key: _each(branch, value) for key, branch in tree.items()}


def result(study: Study, chunks: Sequence[Sequence[Tally]]) -> StudyResult:
    return StudyResult(study, tuple(tuple(c) for c in chunks))
