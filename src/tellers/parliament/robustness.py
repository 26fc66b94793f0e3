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
  :func:`tellers.ballots.completions.party_sampler`); ``spatial``, a member's unknown pairs
  ordered by their utility on the chamber's ideal-point scale, ``c − κ·distance + ε``
  with ε standard normal (the approval model that placed the options, so a utility above 0 is
  an Aye), in one of :data:`SPATIAL_REPLICATES` parametric bootstrap replicates of the scale
  and the options drawn for each completion, so the fit's own uncertainty is in the draws.
  Each option's share of draws in which
  it is the Condorcet winner, the share with none, each pair's margin median and 90%
  interval, and each rule's winner shares.

Options are named by the division that counts for them (the ids given to ``--options``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from tellers.ballots.completions import (
    QUANTILES, CompletionBounds, CompletionShares, Sampler, completion_bounds, draw_chunks, extension_positions,
    party_sampler, summarise, uniform_sampler, voters,
)
from tellers.ballots.ranks import UNRANKED
from tellers.errors import TellersError
from tellers.parliament.draws import DRAWS, QUICK_DRAWS
from tellers.parliament.head_to_head import MajorityAnalysis
from tellers.parliament.preferences.revealed import revealed_levels
from tellers.parliament.preferences.idealpoints import default_jobs
from tellers.parliament.preferences.spatial import chamber_bootstrap, chamber_scale, place_options, spatial_bootstrap

if TYPE_CHECKING:
    from tellers.parliament.house import House

MODELS = {
    "uniform": "every completion a member's votes allow equally likely",
    "party": "each member's unknown pairs ordered as a co-partisan who revealed them chose",
    "spatial": "each member's unknown pairs ordered by a noisy distance on the chamber's ideal-point scale, "
               "refitted in bootstrap replicates",
}
"""The models of the unknown preferences, and what each assumes."""
SPATIAL_REPLICATES = 50
"""Bootstrap replicates of the ideal-point scale the spatial model draws from."""
T = TypeVar("T")


def concurrently(tasks: Sequence[Callable[[], T]]) -> list[T]:
    """Each task's result, in order; the tasks run in threads where a core is idle to share
    (numpy releases the GIL in its random fills and array work; on busy cores the threads only
    contend for it). Each task must draw from a seed of its own, so the results are the same
    however many threads run them."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if len(tasks) < 2 or cores < 2 or cores - busy < 0.5:
        return [task() for task in tasks]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(tasks), cores)) as pool:
        return list(pool.map(lambda task: task(), tasks))


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


def spatial_sampler(house: House, analysis: MajorityAnalysis, seed: int) -> Sampler:
    """Completions ordered by noisy distance on the chamber's scale (see the module notes)."""
    options = [t.option for t in analysis.options]
    divisions = [t.division.id for t in analysis.options]
    chamber = analysis.options[0].division.chamber
    scale, votes = chamber_scale(house, chamber)
    model = place_options(scale, votes, options, divisions)
    refitted = chamber_bootstrap(house, chamber, SPATIAL_REPLICATES, seed).positions
    boot = spatial_bootstrap(model, SPATIAL_REPLICATES, seed=seed, refitted=refitted, n_jobs=default_jobs(scale.y.size))
    levels = revealed_levels(votes.codes[:, [votes.divisions.index(d) for d in divisions]])
    voted = (levels != UNRANKED).any(axis=1)
    ranks = levels[voted]
    row = {member: i for i, member in enumerate(scale.ids)}
    on_scale = np.array([row.get(member, -1) for member in np.asarray(votes.ids, dtype=object)[voted]])
    placed = on_scale >= 0
    k, n, m = len(options), len(ranks), int(placed.sum())

    def sample(draws: int, rng: np.random.Generator) -> np.ndarray:
        # (options, draws, placed members) throughout, each option's slice contiguous; the noise
        # is drawn (draws, placed members, options), as it always was, so a seed draws the same
        r = rng.integers(boot.replicates, size=draws)
        x = boot.member_positions[r][:, on_scale[placed]]  # (draws, placed members, dims)
        z = boot.option_positions[r].transpose(1, 0, 2)  # (options, draws, dims)
        d = np.sqrt(((x[None] - z[:, :, None, :]) ** 2).sum(axis=3))
        utility = boot.option_c[r].T[:, :, None] - boot.option_kappa[r].T[:, :, None] * d
        utility += rng.standard_normal((draws, m, k)).transpose(2, 0, 1)
        keys = rng.random((k, draws, n))  # members off the scale: uniform
        order = np.zeros(utility.shape, dtype=np.int8)  # 0 the highest utility (the earlier option on a tie)
        for a in range(k):
            for b in range(a + 1, k):
                first = utility[a] >= utility[b]
                order[b] += first
                order[a] += ~first
        ordered = (order + rng.random((draws, m, k)).transpose(2, 0, 1)) / (k + 1)
        if placed.all():
            keys = ordered
        else:
            keys[:, :, placed] = ordered
        return extension_positions(ranks, keys)

    return sample


def check_draws(draws: int, seed: int) -> None:
    if draws < 1:
        raise TellersError("--draws must be at least 1")
    if seed < 0:
        raise TellersError("--seed must be a whole number, 0 or more")


def completion_sampler(analysis: MajorityAnalysis, model: str, seed: int, house: House | None = None) -> Sampler:
    """Draws of the electorate's completed ballots under ``model`` (see the module notes)."""
    if model not in MODELS:
        raise TellersError(f"unknown model {model!r}: choose one of {', '.join(MODELS)}")
    if model == "spatial":
        if house is None:
            raise TellersError("the spatial model needs the house the options were voted in")
        return spatial_sampler(house, analysis, seed)
    ranks, parties = electorate(analysis)
    return uniform_sampler(ranks) if model == "uniform" else party_sampler(ranks, parties)


@dataclass(frozen=True)
class Drawn:
    """Completions drawn once (:func:`draw_completions`) for several questions to read: how sure
    the verdict is (:func:`assess`) and what each procedure adopts
    (:func:`tellers.parliament.procedures.shares_each`). Each reads the very draws it would have
    drawn itself, so its figures are the same."""

    model: str
    seed: int
    chunks: tuple[np.ndarray, ...]
    """(draws, members, options) positions, in the chunks every caller draws."""

    @property
    def draws(self) -> int:
        return sum(len(c) for c in self.chunks)

    def chunks_for(self, model: str, draws: int, seed: int) -> tuple[np.ndarray, ...]:
        """The chunks, checked to be the draws asked for."""
        if (self.model, self.draws, self.seed) != (model, draws, seed):
            raise ValueError(f"drawn {self.draws} under {self.model} (seed {self.seed}), not {draws} under {model} (seed {seed})")
        return self.chunks


def completion_draws(
    analysis: MajorityAnalysis, model: str, draws: int, seed: int, house: House | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[np.ndarray]:
    """The ``draws`` completions under ``model`` from ``seed``, chunk by chunk as they are drawn."""
    check_draws(draws, seed)
    return draw_chunks(completion_sampler(analysis, model, seed, house), draws, np.random.default_rng(seed),
                       progress=progress)


def draw_completions(
    analysis: MajorityAnalysis, model: str, draws: int, seed: int, house: House | None = None,
    progress: Callable[[int], None] | None = None,
) -> Drawn:
    """:func:`completion_draws`, kept for several questions."""
    return Drawn(model, seed, tuple(completion_draws(analysis, model, draws, seed, house, progress)))


def assess(
    analysis: MajorityAnalysis,
    *,
    model: str | None = "uniform",
    draws: int = DRAWS,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    house: House | None = None,
    drawn: Drawn | None = None,
) -> Robustness:
    """The exact bounds of ``analysis``'s revealed profile over its electorate, and ``draws``
    completions under ``model`` (None: the exact part only), reproducible from ``seed``.
    The spatial model needs the ``house`` (the chamber's divisions to scale); ``drawn``, those
    completions drawn already."""
    if analysis.infer != "revealed":
        raise TellersError("completions are of revealed preferences: drop --infer spatial")
    if len(analysis.options) < 2:
        raise TellersError("completions compare options: give at least two")
    check_draws(draws, seed)
    profile = voters(analysis.profile)
    shares = None
    if model is not None:
        chunks = (drawn.chunks_for(model, draws, seed) if drawn is not None
                  else completion_draws(analysis, model, draws, seed, house, progress))
        shares = summarise(chunks, profile.candidates, model=model)
    return Robustness(
        tuple(t.division.id for t in analysis.options), tuple(t.label for t in analysis.options),
        tuple(t.option.abbreviation for t in analysis.options), int(profile.weights.sum()), completion_bounds(profile), shares, seed,
    )


@dataclass(frozen=True)
class Completions:
    """A verdict checked over completions under each model that could be drawn."""

    checks: tuple[Robustness, ...]
    """One per model drawn, in the order of :data:`MODELS`."""
    skipped: tuple[tuple[str, str], ...]
    """(model, why) for each model that could not be drawn here."""
    draws: int
    seed: int

    @property
    def exact(self) -> Robustness:
        return self.checks[0]


def assess_models(
    house: House, analysis: MajorityAnalysis, draws: int = QUICK_DRAWS, seed: int = 0
) -> Completions | None:
    """``analysis``'s verdict over ``draws`` completions under each model of :data:`MODELS`;
    None where there is nothing to check: preferences not revealed, or fewer than two options.
    A model that cannot be drawn here (e.g. too few divisions to scale) is skipped, saying why."""
    if analysis.infer != "revealed" or len(analysis.options) < 2:
        return None
    # the samplers first, here (the spatial one forks its bootstrap's processes, before any
    # thread starts), then each model's draws and summary in a thread of its own
    samplers, skipped = {}, []
    for model in MODELS:
        try:
            check_draws(draws, seed)
            samplers[model] = completion_sampler(analysis, model, seed, house)
        except TellersError as exc:
            skipped.append((model, str(exc)))

    def check(model: str) -> Callable[[], Robustness | TellersError]:
        def run() -> Robustness | TellersError:
            chunks = draw_chunks(samplers[model], draws, np.random.default_rng(seed))
            try:
                return assess(analysis, model=model, draws=draws, seed=seed, drawn=Drawn(model, seed, tuple(chunks)))
            except TellersError as exc:
                return exc
        return run

    checks = []
    for model, found in zip(samplers, concurrently([check(model) for model in samplers])):
        if isinstance(found, TellersError):
            skipped.append((model, str(found)))
        else:
            checks.append(found)
    skipped.sort(key=lambda s: list(MODELS).index(s[0]))
    return Completions(tuple(checks), tuple(skipped), draws, seed) if checks else None
