"""How sure a head-to-head verdict is, over what the votes leave unsaid.

Revealed preferences (:mod:`.preferences.revealed`) say only that a member ranks every
option they voted Aye on above every option they voted No on. The *electorate* of a set of
options is the members who voted (or told) on at least one of their divisions; each of them
had some strict ranking of all the options, and a *completion* is any ranking their votes
allow (:mod:`tellers.ballots.completions`). This module asks the engine two things about
those completions:

- exactly: each pair's smallest and largest margin, and which options are *possible*
  Condorcet winners (in some completion of every member at once) and *necessary* ones (in
  every completion);
- by simulation, under a named model of the unknown preferences: ``uniform``, every
  completion a member's votes allow equally likely; ``party``, a member's unknown pairs
  ordered as a co-partisan's votes order them (a donor drawn from their party in each draw,
  the more likely the more of those pairs the donor's votes reveal; see
  :func:`tellers.ballots.completions.party_sampler`). Each option's share of draws in which
  it is the Condorcet winner, the share with none, each pair's margin median and 90%
  interval, and each rule's winner shares.

Options are named by the division that counts for them (the ids given to ``--options``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tellers.ballots.completions import (
    QUANTILES, CompletionBounds, CompletionShares, completion_bounds, party_sampler, simulate, uniform_sampler, voters,
)
from tellers.ballots.ranks import UNRANKED
from tellers.errors import TellersError
from tellers.parliament.head_to_head import MajorityAnalysis
from tellers.parliament.preferences.revealed import revealed_levels

MODELS = {
    "uniform": "every completion a member's votes allow equally likely",
    "party": "each member's unknown pairs ordered as a co-partisan who revealed them chose",
}
"""The models of the unknown preferences, and what each assumes."""
DRAWS = 20_000
"""Draws per model by default."""


@dataclass(frozen=True)
class Robustness:
    """A head-to-head verdict checked over the completions of the electorate's votes."""

    ids: tuple[str, ...]
    """Each option's id: the division that counts for it."""
    labels: tuple[str, ...]
    shorts: tuple[str, ...]
    """Each option's short name."""
    electorate: int
    """Members who voted or told on at least one of the options' divisions."""
    bounds: CompletionBounds
    shares: CompletionShares | None
    seed: int

    @property
    def possible(self) -> tuple[str, ...]:
        """Ids of the options that are the Condorcet winner in at least one completion."""
        return tuple(self.ids[c] for c in self.bounds.possible_condorcet())

    @property
    def necessary(self) -> tuple[str, ...]:
        """Ids of the options that are the Condorcet winner in every completion."""
        return tuple(self.ids[c] for c in self.bounds.necessary_condorcet())

    def to_dict(self) -> dict:
        """``{"electorate", "model", "draws", "seed", "possible_condorcet", "necessary_condorcet",
        "pair_bounds", "condorcet_shares", "no_winner_share", "margin_quantiles", "rule_shares",
        "rule_tie_shares"}``; option ids are division ids."""
        k = len(self.ids)
        doc: dict = {
            "electorate": self.electorate,
            "model": None if self.shares is None else self.shares.model,
            "draws": 0 if self.shares is None else self.shares.draws,
            "seed": self.seed,
            "possible_condorcet": list(self.possible),
            "necessary_condorcet": list(self.necessary),
            "pair_bounds": [
                {"x": self.ids[x], "y": self.ids[y], "min_margin": int(self.bounds.min_margin[x, y]),
                 "max_margin": int(self.bounds.max_margin[x, y])}
                for x in range(k) for y in range(x + 1, k)
            ],
        }
        s = self.shares
        if s is not None:
            doc["condorcet_shares"] = {self.ids[c]: float(s.condorcet[c]) for c in range(k)}
            doc["no_winner_share"] = s.no_winner
            doc["margin_quantiles"] = [
                {"x": self.ids[x], "y": self.ids[y], **{f"q{round(q * 100):02d}": float(s.margins[i, x, y])
                                                        for i, q in enumerate(QUANTILES)}}
                for x in range(k) for y in range(x + 1, k)
            ]
            doc["rule_shares"] = {name: {self.ids[c]: float(v[c]) for c in range(k)} for name, v in s.rules.items()}
            doc["rule_tie_shares"] = dict(s.rule_ties)
        return doc


def electorate(analysis: MajorityAnalysis) -> tuple[np.ndarray, np.ndarray]:
    """One row per member of the electorate: their revealed levels over the options (Aye 0,
    No 1, else unranked) and their party as a whole-number code."""
    table = analysis.patterns
    levels = revealed_levels(table.codes)
    each = np.repeat(np.arange(len(table.counts)), table.counts.astype(np.int64))
    ranks = levels[each]
    _, parties = np.unique(np.array(table.parties, dtype=object)[each].astype(str), return_inverse=True)
    keep = (ranks != UNRANKED).any(axis=1)
    return ranks[keep], parties[keep]


def assess(
    analysis: MajorityAnalysis,
    *,
    model: str | None = "uniform",
    draws: int = DRAWS,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Robustness:
    """The exact bounds of ``analysis``'s revealed profile over its electorate, and ``draws``
    completions under ``model`` (None: the exact part only), reproducible from ``seed``."""
    if analysis.infer != "revealed":
        raise TellersError("completions are of revealed preferences: drop --infer spatial")
    if len(analysis.options) < 2:
        raise TellersError("completions compare options: give at least two")
    if model is not None and model not in MODELS:
        raise TellersError(f"unknown model {model!r}: choose one of {', '.join(MODELS)}")
    if draws < 1:
        raise TellersError("--draws must be at least 1")
    if seed < 0:
        raise TellersError("--seed must be a whole number, 0 or more")
    profile = voters(analysis.profile)
    shares = None
    if model is not None:
        ranks, parties = electorate(analysis)
        sampler = uniform_sampler(ranks) if model == "uniform" else party_sampler(ranks, parties)
        shares = simulate(sampler, profile.candidates, draws, np.random.default_rng(seed), model=model, progress=progress)
    return Robustness(
        tuple(t.division.id for t in analysis.options), tuple(t.label for t in analysis.options),
        tuple(t.option.abbreviation for t in analysis.options), int(profile.weights.sum()), completion_bounds(profile), shares, seed,
    )
