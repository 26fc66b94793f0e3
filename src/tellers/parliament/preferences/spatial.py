"""Options on the members' scale, and every member's full ranking of them by distance.

An option the house voted on (a division tested it) is placed at a point ``z`` of the
ideal-point scale (see :mod:`tellers.parliament.preferences.idealpoints`) by maximum likelihood
under an approval model: a member votes Aye when the option lies within their
tolerance of their ideal point, smoothed by a probit link::

    P(member i votes Aye on option o) = Φ((τ_o - |x_i - z_o|) / σ_o)

with ``z_o``, the tolerance ``τ_o`` and the spread ``σ_o`` fitted per option. Unlike a vote's
cut point, this lets an option in the middle of the scale be opposed from both ends
(a customs union, opposed by those who want no deal and by those who want to revoke).
The fit is a penalised likelihood (weak priors ``z ~ N(0, 2²)`` per dimension on the
standardised scale, and ``τ/σ``, ``1/σ ~ N(0, 5²)``, which keep an option whose supporters all
sit at one end just beyond them rather than at infinity), started from the best point of
a grid (the point and tolerance classifying most votes right) and refined by
Gauss-Newton steps with step halving, for all options at once.

Each member then ranks every option by distance, nearest first: a complete ballot. Two
options tie for a member only if the member sits exactly at the same distance from both,
which has probability zero for positions estimated from data (a tie that does occur is
kept as a tie, never broken). These ballots form a complete :class:`~tellers.Profile`,
so every rule runs on them.

Uncertainty (:func:`spatial_bootstrap`): each replicate refits the scale to votes drawn
from the fitted scale (as ``bootstrap_ideal_points``), draws the options' divisions
from the fitted approval model, refits the options on the replicate's positions, and
finds the replicate's Condorcet winner; the shares of replicates each option wins are
reported. The options of :data:`SPATIAL_BATCH` replicates are refitted together, in one
vectorised fit; batches run in processes (``n_jobs``), with the same figures however many.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tellers.errors import ScalingError
from tellers.parliament.options import Option
from tellers.ballots.profile import Profile
from tellers.records.rollcalls import MemberVotes
from tellers.parliament.preferences import idealpoints as ip
from tellers.parliament.preferences.approval import (
    approval_probabilities, classified, distances, fit_approval, fit_approvals,
)

if TYPE_CHECKING:  # the house hands itself in
    from tellers.parliament.house import House



@dataclass(frozen=True)
class OptionPlacement:
    """An option's fitted point on the scale and its approval parameters."""

    id: str
    label: str
    division: str
    position: np.ndarray
    tolerance: float
    spread: float
    correct: float
    """Share of the division's votes (members on the scale) the approval model classifies right."""


@dataclass(frozen=True, eq=False)
class SpatialModel:
    """Members' positions, the options' positions, and the votes that placed the options."""

    scale: ip.IdealPoints
    options: tuple[OptionPlacement, ...]
    votes: np.ndarray
    """(members, options): 1.0 Aye, 0.0 No, NaN no vote in the division that counts."""

    @property
    def labels(self) -> list[str]:
        return [o.label for o in self.options]

    def positions(self) -> np.ndarray:
        """(options, dims)."""
        return np.array([o.position for o in self.options]).reshape(len(self.options), self.scale.dims)

    def distances(self) -> np.ndarray:
        """(members, options): each member's distance to each option."""
        return distances(self.scale.positions, self.positions())

    def profile(self, members: np.ndarray | None = None) -> Profile:
        """The complete profile of distance rankings (of the rows ``members``, default all)."""
        d = self.distances()
        return distance_profile(d if members is None else d[members], self.labels)


def place_options(
    scale: ip.IdealPoints,
    votes: MemberVotes,
    options: Sequence[Option],
    divisions: Sequence[str],
) -> SpatialModel:
    """Place ``options`` on ``scale``; ``divisions[k]`` is the division that counts for ``options[k]``.

    ``votes`` must hold the scale's members (matched by id) and those divisions.
    """
    if len(options) != len(divisions):
        raise ScalingError("give one division per option")
    if not options:
        raise ScalingError("there are no options to place")
    y = np.column_stack([votes.column(d, scale.ids) for d in divisions])
    for k, option in enumerate(options):
        cast = ~np.isnan(y[:, k])
        if not cast.any():
            raise ScalingError(f"no member on the scale voted in division {divisions[k]} ({option.label})")
    z, c, kappa = fit_approval(scale.positions, y)
    placements = []
    for k, (option, division) in enumerate(zip(options, divisions)):
        correct = classified(scale.positions, y[:, k], z[k], c[k], kappa[k])
        placements.append(
            OptionPlacement(option.id, option.label, division, z[k], float(c[k] / kappa[k]), float(1 / kappa[k]), correct)
        )
    return SpatialModel(scale, tuple(placements), y)


def place_voted_options(scale: ip.IdealPoints, votes: MemberVotes, options: Sequence[Option]) -> SpatialModel | None:
    """Place each of ``options`` that ``votes`` holds a division of, at its latest division there;
    None when ``votes`` holds none of them (what `tellers idealpoints` shows beside the members)."""
    placed = [(o, next(d for d in reversed(o.divisions) if d in votes.divisions))
              for o in options if any(d in votes.divisions for d in o.divisions)]
    if not placed:
        return None
    return place_options(scale, votes, [o for o, _ in placed], [d for _, d in placed])


def chamber_scale(house: House, chamber: str) -> tuple[ip.IdealPoints, MemberVotes]:
    """Every member of the chamber on a 1-D scale fitted to all its divisions in the house (as
    `tellers idealpoints` fits it), with the votes it was fitted to: the scale every report
    section and web request shares, so the house keeps it (:meth:`House.kept`)."""

    def fit() -> tuple[ip.IdealPoints, MemberVotes]:
        votes = house.member_votes(None, chamber).with_parties(house.catalogue.party_aliases)
        return ip.fit_ideal_points(votes), votes

    return house.kept(("ideal points", chamber), fit)


def distance_profile(d: np.ndarray, labels: Sequence[str]) -> Profile:
    """The complete profile ranking options by distance, nearest first (exact ties kept as ties)."""
    n, k = d.shape
    order = np.argsort(d, axis=1, kind="stable")
    ordered = np.take_along_axis(d, order, axis=1)
    level = np.zeros((n, k), dtype=np.int16)
    level[:, 1:] = np.cumsum(ordered[:, 1:] > ordered[:, :-1], axis=1)
    ranks = np.empty((n, k), dtype=np.int16)
    np.put_along_axis(ranks, order, level, axis=1)
    return Profile(ranks, np.ones(n), list(labels))


# --------------------------------------------------------------------------- bootstrap


@dataclass(frozen=True, eq=False)
class SpatialBootstrap:
    """Replicates of the spatial model: who wins head to head in each."""

    labels: tuple[str, ...]
    winners: tuple[str | None, ...]
    """Each replicate's Condorcet winner (None when there is none)."""
    option_positions: np.ndarray
    """(replicates, options, dims)."""
    member_positions: np.ndarray
    """(replicates, members, dims): each replicate's refitted members, in the scale's order."""
    option_c: np.ndarray
    option_kappa: np.ndarray
    """(replicates, options): each replicate's approval fit, P(Aye) = Φ(c − κ·distance)."""

    @property
    def replicates(self) -> int:
        return len(self.winners)

    def condorcet_shares(self) -> dict[str, float]:
        """Fraction of replicates in which each option is the Condorcet winner."""
        return {label: sum(w == label for w in self.winners) / self.replicates for label in self.labels}

    @property
    def no_winner(self) -> float:
        """Fraction of replicates with no Condorcet winner."""
        return sum(w is None for w in self.winners) / self.replicates


def spatial_bootstrap(
    model: SpatialModel, replicates: int = 100, *, seed: int = 0, n_jobs: int = 1, refitted: np.ndarray | None = None,
) -> SpatialBootstrap:
    """Condorcet winners over a parametric bootstrap of the scale and the options (module docstring).
    ``refitted``: the scale's replicates already refitted (:func:`chamber_bootstrap`), the same
    for every set of options, so only the options are refitted."""
    if replicates < 2:
        raise ScalingError(f"a bootstrap needs at least 2 replicates, not {replicates}")
    if refitted is not None and len(refitted) != replicates:
        raise ValueError(f"{len(refitted)} refitted replicates, not {replicates}")
    state = ip.replicate_state(model.scale)
    z = model.positions()
    c = np.array([o.tolerance / o.spread for o in model.options])
    kappa = np.array([1 / o.spread for o in model.options])
    state.update(
        option_p=approval_probabilities(model.scale.positions, z, c, kappa),
        option_mask=~np.isnan(model.votes),
        labels=tuple(model.labels),
    )
    seeds = np.random.SeedSequence(seed).spawn(replicates)
    items = list(zip(seeds, [None] * replicates if refitted is None else list(refitted)))
    batches = [items[i:i + SPATIAL_BATCH] for i in range(0, replicates, SPATIAL_BATCH)]
    try:
        results = [r for batch in ip.parallel_map(_spatial_replicates, batches, n_jobs=n_jobs,
                                                  initializer=ip.set_worker_state, initargs=(state,)) for r in batch]
    finally:
        ip.WORKER_STATE.clear()
    return SpatialBootstrap(tuple(model.labels), tuple(r[0] for r in results),
                            *(np.stack([r[i] for r in results]) for i in range(1, 5)))


SPATIAL_CAVEAT = ("These are a spatial model's ballots: each member's complete ranking by distance on the chamber's "
                  "ideal-point scale, not what the division lists record.")
"""What every result on spatial ballots says beside it (terminal, JSON ``"caveat"``, report, web app)."""

SCALE_CAVEAT = ("These positions are a model's estimate from the votes, not anything the division lists record; "
                "rankings by distance on this scale state preferences no vote expressed.")
"""What a chart of ideal points says beside it."""

SPATIAL_BATCH = 25
"""Replicates whose options are refitted together (:func:`fit_approvals`): fixed, so that the
figures do not depend on how many processes run the batches."""


def _spatial_replicates(
    items: list[tuple[np.random.SeedSequence, np.ndarray | None]],
) -> list[tuple[str | None, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    state = ip.WORKER_STATE
    xs, ys = [], []
    for seed, x in items:
        rng = np.random.default_rng(seed)
        votes = ip.replicate_votes(rng, state)  # drawn even when refitted already: the options' draws follow
        if x is None:
            x, _, _, _ = ip.refit(votes, state)
        draws = rng.random(state["option_p"].shape) < state["option_p"]
        xs.append(x)
        ys.append(np.where(state["option_mask"], draws.astype(float), np.nan))
    return [(distance_profile(distances(x, z), state["labels"]).condorcet_winner(), z, x, c, kappa)
            for x, (z, c, kappa) in zip(xs, fit_approvals(xs, ys))]


def chamber_bootstrap(house: House, chamber: str, replicates: int, seed: int) -> ip.Bootstrap:
    """The chamber scale's parametric bootstrap (:func:`chamber_scale`), kept by the house: its
    refitted members are those of every :func:`spatial_bootstrap` of the scale with this seed.
    Replicates run in :func:`~.idealpoints.default_jobs` processes (the same whatever their number)."""
    scale, _ = chamber_scale(house, chamber)
    return house.kept(("ideal points bootstrap", chamber, replicates, seed),
                      lambda: ip.bootstrap_ideal_points(scale, replicates, seed=seed, n_jobs=ip.default_jobs(scale.y.size)))
