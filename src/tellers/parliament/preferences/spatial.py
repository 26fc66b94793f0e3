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
reported.
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

if TYPE_CHECKING:  # the house hands itself in
    from tellers.parliament.house import House

PRIOR_POSITION_VARIANCE = 4.0
"""Prior variance of an option's position on each (standardised) dimension."""
PRIOR_SLOPE_VARIANCE = 25.0
"""Prior variance of τ/σ and of 1/σ."""
_SMOOTH = 0.05  # distances in the fit are sqrt(d² + 0.05²): smooth where a block of members sits at z


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
        correct = _classified(scale.positions, y[:, k], z[k], c[k], kappa[k])
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


def distances(x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Euclidean distances of members ``x`` (n, d) to options ``z`` (k, d)."""
    diff = x[:, None, :] - z[None, :, :]
    return np.sqrt(np.einsum("nkd,nkd->nk", diff, diff))


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


# --------------------------------------------------------------------------- the approval fit


def fit_approval(
    x: np.ndarray, y: np.ndarray, *, max_iter: int = 50, tol: float = 1e-5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit ``P(Aye) = Φ(c - κ·|x - z|)`` to each column of ``y`` (1, 0, NaN): returns z (k, d), c, κ.

    Penalised maximum likelihood (see the module docstring), every option at once; an
    option stops when no parameter moves by more than ``tol``.
    """
    dims = x.shape[1]
    mask = ~np.isnan(y)
    s = np.where(mask, np.where(y > 0.5, 1.0, -1.0), 0.0)
    z, c, kappa = _grid_start(x, y, mask)
    theta = np.column_stack([z, c, np.log(kappa)])  # (k, dims + 2)
    active = np.arange(len(theta))
    objective = _objective(x, s, theta)
    for _ in range(max_iter):
        if not active.size:
            break
        th, sa = theta[active], s[:, active]
        grad, hess = _derivatives(x, sa, th)
        step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        norm = np.sqrt((step**2).sum(axis=1))
        step *= np.minimum(1.0, 2.0 / np.maximum(norm, 1e-300))[:, None]
        best, best_obj = th.copy(), objective[active].copy()
        pending = np.ones(len(active), dtype=bool)
        size = 1.0
        for _halving in range(20):
            idx = np.flatnonzero(pending)
            trial = th[idx] + size * step[idx]
            obj = _objective(x, sa[:, idx], trial)
            ok = obj >= best_obj[idx] - 1e-12
            best[idx[ok]], best_obj[idx[ok]] = trial[ok], obj[ok]
            pending[idx[ok]] = False
            if not pending.any():
                break
            size /= 2
        moved = np.abs(best - th).max(axis=1)
        theta[active], objective[active] = best, best_obj
        active = active[(moved >= tol) & ~pending]
    return theta[:, :dims].copy(), theta[:, dims].copy(), np.exp(theta[:, dims + 1])


def _grid_start(x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid point and tolerance classifying most votes right (nearest approve), per option."""
    n, dims = x.shape
    lo, hi = x.min(axis=0) - 1.0, x.max(axis=0) + 1.0
    if dims == 1:
        grid = np.linspace(lo[0], hi[0], 161)[:, None]
    else:
        axes = [np.linspace(lo[i], hi[i], 41) for i in range(dims)]
        grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, dims)
    d = distances(grid, x)  # (g, n)
    order = np.argsort(d, axis=1, kind="stable")
    ds = np.take_along_axis(d, order, axis=1)
    aye, no = mask & (y > 0.5), mask & (y <= 0.5)
    # votes classified right when the r nearest approve: every No, then each of the r nearest
    # adds one if an Aye and takes one away if a No; (k, g, n + 1), each row contiguous
    gain = (aye.astype(np.int8) - no.astype(np.int8)).T[:, order]
    correct = np.zeros((y.shape[1], len(grid), n + 1), dtype=np.int32)
    np.cumsum(gain, axis=2, dtype=np.int32, out=correct[:, :, 1:])
    correct += no.sum(axis=0, dtype=np.int32)[:, None, None]
    best_r = correct.argmax(axis=2).T  # (g, k)
    best = correct.max(axis=2).T  # (g, k)
    z = np.empty((y.shape[1], dims))
    tau = np.empty(y.shape[1])
    for j in range(y.shape[1]):
        ties = np.flatnonzero(best[:, j] == best[:, j].max())
        if dims == 1:
            g = ties[len(ties) // 2]
        else:
            centre = grid[ties].mean(axis=0)
            g = ties[np.argmin(((grid[ties] - centre) ** 2).sum(axis=1))]
        z[j] = grid[g]
        r = best_r[g, j]
        inner = ds[g, r - 1] if r > 0 else 0.0
        outer = ds[g, r] if r < n else ds[g, -1] + 0.5
        tau[j] = (inner + outer) / 2
    kappa = np.full(y.shape[1], 3.0)
    return z, kappa * tau, kappa


def _eta(x: np.ndarray, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dims = x.shape[1]
    diff = x[:, None, :] - theta[None, :, :dims]  # (n, k, d)
    d = np.sqrt(np.einsum("nkd,nkd->nk", diff, diff) + _SMOOTH**2)
    kappa = np.exp(theta[:, dims + 1])
    return theta[:, dims] - kappa * d, diff, d


def _objective(x: np.ndarray, s: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Penalised log-likelihood of each option."""
    from scipy.special import log_ndtr  # here, not at the top: scipy costs every command ~0.15 s to import

    dims = x.shape[1]
    eta, _, _ = _eta(x, theta)
    loglik = np.where(s != 0, log_ndtr(s * eta), 0.0).sum(axis=0)
    kappa = np.exp(theta[:, dims + 1])
    prior = (theta[:, :dims] ** 2).sum(axis=1) / (2 * PRIOR_POSITION_VARIANCE)
    prior += (theta[:, dims] ** 2 + kappa**2) / (2 * PRIOR_SLOPE_VARIANCE)
    return loglik - prior


def _derivatives(x: np.ndarray, s: np.ndarray, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and Gauss-Newton curvature (positive definite) of each option's objective."""
    dims = x.shape[1]
    eta, diff, d = _eta(x, theta)
    kappa = np.exp(theta[:, dims + 1])
    t = s * eta
    lam = ip.mills_ratio(t)
    g = s * lam  # d loglik / d eta
    w = lam * (lam + t) * (s != 0)
    jac = np.concatenate(
        [kappa[None, :, None] * diff / d[:, :, None], np.ones(eta.shape)[:, :, None], (-kappa[None, :] * d)[:, :, None]],
        axis=2,
    )  # (n, k, p): d eta / d (z, c, log kappa)
    grad = np.einsum("nk,nkp->kp", g, jac)
    hess = np.einsum("nk,nkp,nkq->kpq", w, jac, jac)
    p = dims + 2
    prior_grad = np.zeros_like(theta)
    prior_grad[:, :dims] = theta[:, :dims] / PRIOR_POSITION_VARIANCE
    prior_grad[:, dims] = theta[:, dims] / PRIOR_SLOPE_VARIANCE
    prior_grad[:, dims + 1] = kappa**2 / PRIOR_SLOPE_VARIANCE
    prior_curv = np.zeros((len(theta), p, p))
    idx = np.arange(dims)
    prior_curv[:, idx, idx] = 1 / PRIOR_POSITION_VARIANCE
    prior_curv[:, dims, dims] = 1 / PRIOR_SLOPE_VARIANCE
    prior_curv[:, dims + 1, dims + 1] = 2 * kappa**2 / PRIOR_SLOPE_VARIANCE
    hess = hess + prior_curv + 1e-9 * np.eye(p)
    return grad - prior_grad, hess


def _classified(x: np.ndarray, y: np.ndarray, z: np.ndarray, c: float, kappa: float) -> float:
    cast = ~np.isnan(y)
    predicted = (c - kappa * distances(x, z[None, :])[:, 0]) > 0
    return float(np.mean(predicted[cast] == (y[cast] > 0.5)))


def approval_probabilities(x: np.ndarray, z: np.ndarray, c: np.ndarray, kappa: np.ndarray) -> np.ndarray:
    """P(Aye) of members ``x`` on options at ``z`` with parameters c = τ/σ and κ = 1/σ."""
    from scipy.special import ndtr

    return ndtr(c - kappa * distances(x, z))


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
    try:
        results = ip.parallel_map(_spatial_replicate, items, n_jobs=n_jobs, initializer=ip.set_worker_state, initargs=(state,))
    finally:
        ip.WORKER_STATE.clear()
    return SpatialBootstrap(tuple(model.labels), tuple(r[0] for r in results), np.stack([r[1] for r in results]),
                            np.stack([r[2] for r in results]), np.stack([r[3] for r in results]),
                            np.stack([r[4] for r in results]))


def _spatial_replicate(
    item: tuple[np.random.SeedSequence, np.ndarray | None],
) -> tuple[str | None, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    seed, x = item
    state = ip.WORKER_STATE
    rng = np.random.default_rng(seed)
    votes = ip.replicate_votes(rng, state)  # drawn even when refitted already: the options' draws follow
    if x is None:
        x, _, _, _ = ip.refit(votes, state)
    draws = rng.random(state["option_p"].shape) < state["option_p"]
    y = np.where(state["option_mask"], draws.astype(float), np.nan)
    z, c, kappa = fit_approval(x, y)
    winner = distance_profile(distances(x, z), state["labels"]).condorcet_winner()
    return winner, z, x, np.asarray(c, dtype=float).reshape(-1), np.asarray(kappa, dtype=float).reshape(-1)


def chamber_bootstrap(house: House, chamber: str, replicates: int, seed: int) -> ip.Bootstrap:
    """The chamber scale's parametric bootstrap (:func:`chamber_scale`), kept by the house: its
    refitted members are those of every :func:`spatial_bootstrap` of the scale with this seed."""
    scale, _ = chamber_scale(house, chamber)
    return house.kept(("ideal points bootstrap", chamber, replicates, seed),
                      lambda: ip.bootstrap_ideal_points(scale, replicates, seed=seed))
