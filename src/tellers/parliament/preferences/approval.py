"""The approval model that places an option on the members' scale (:mod:`.spatial`, whose
docstring describes it): ``P(Aye) = Φ(c − κ·distance)``, fitted by penalised maximum likelihood
from the best point of a grid, by Gauss-Newton steps with step halving, for many options at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tellers.parliament.preferences import idealpoints as ip

PRIOR_POSITION_VARIANCE = 4.0
"""Prior variance of an option's position on each (standardised) dimension."""
PRIOR_SLOPE_VARIANCE = 25.0
"""Prior variance of τ/σ and of 1/σ."""
_SMOOTH = 0.05  # distances in the fit are sqrt(d² + 0.05²): smooth where a block of members sits at z


def distances(x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Euclidean distances of members ``x`` (n, d) to options ``z`` (k, d)."""
    diff = x[:, None, :] - z[None, :, :]
    return np.sqrt(np.einsum("nkd,nkd->nk", diff, diff))


def fit_approval(
    x: np.ndarray, y: np.ndarray, *, max_iter: int = 50, tol: float = 1e-5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit ``P(Aye) = Φ(c - κ·|x - z|)`` to each column of ``y`` (1, 0, NaN): returns z (k, d), c, κ.

    Penalised maximum likelihood (see the module docstring), every option at once; an
    option stops when no parameter moves by more than ``tol``.
    """
    [(z, c, kappa)] = fit_approvals([x], [y], max_iter=max_iter, tol=tol)
    return z, c, kappa


def fit_approvals(
    xs: Sequence[np.ndarray], ys: Sequence[np.ndarray], *, max_iter: int = 50, tol: float = 1e-5
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`fit_approval` of each (x, y), the same members in each x (a bootstrap's replicates):
    one vectorised Newton iteration for all their options, each stopping on its own."""
    dims = xs[0].shape[1]
    starts = [_grid_start(x, y, ~np.isnan(y)) for x, y in zip(xs, ys)]
    x = np.concatenate([np.broadcast_to(x[:, None, :], (len(x), y.shape[1], dims)) for x, y in zip(xs, ys)], axis=1)
    y = np.concatenate(ys, axis=1)  # (members, every replicate's options); x (members, options, dims)
    mask = ~np.isnan(y)
    s = np.where(mask, np.where(y > 0.5, 1.0, -1.0), 0.0)
    z, c, kappa = (np.concatenate(part) for part in zip(*starts))
    theta = np.column_stack([z, c, np.log(kappa)])  # (k, dims + 2)
    active = np.arange(len(theta))
    objective = _objective(x, s, theta)
    for _ in range(max_iter):
        if not active.size:
            break
        th, sa, xa = theta[active], s[:, active], x[:, active]
        grad, hess = _derivatives(xa, sa, th)
        step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        norm = np.sqrt((step**2).sum(axis=1))
        step *= np.minimum(1.0, 2.0 / np.maximum(norm, 1e-300))[:, None]
        best, best_obj = th.copy(), objective[active].copy()
        pending = np.ones(len(active), dtype=bool)
        size = 1.0
        for _halving in range(20):
            idx = np.flatnonzero(pending)
            trial = th[idx] + size * step[idx]
            obj = _objective(xa[:, idx], sa[:, idx], trial)
            ok = obj >= best_obj[idx] - 1e-12
            best[idx[ok]], best_obj[idx[ok]] = trial[ok], obj[ok]
            pending[idx[ok]] = False
            if not pending.any():
                break
            size /= 2
        moved = np.abs(best - th).max(axis=1)
        theta[active], objective[active] = best, best_obj
        active = active[(moved >= tol) & ~pending]
    bounds = np.cumsum([0] + [y.shape[1] for y in ys])
    return [(theta[a:b, :dims].copy(), theta[a:b, dims].copy(), np.exp(theta[a:b, dims + 1]))
            for a, b in zip(bounds[:-1], bounds[1:])]


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
    """``x`` (n, k, d): the members' positions for each option's column."""
    dims = x.shape[2]
    diff = x - theta[None, :, :dims]  # (n, k, d)
    d = np.sqrt(np.einsum("nkd,nkd->nk", diff, diff) + _SMOOTH**2)
    kappa = np.exp(theta[:, dims + 1])
    return theta[:, dims] - kappa * d, diff, d


def _objective(x: np.ndarray, s: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Penalised log-likelihood of each option."""
    from scipy.special import log_ndtr  # here, not at the top: scipy costs every command ~0.15 s to import

    dims = x.shape[2]
    eta, _, _ = _eta(x, theta)
    loglik = np.where(s != 0, log_ndtr(s * eta), 0.0).sum(axis=0)
    kappa = np.exp(theta[:, dims + 1])
    prior = (theta[:, :dims] ** 2).sum(axis=1) / (2 * PRIOR_POSITION_VARIANCE)
    prior += (theta[:, dims] ** 2 + kappa**2) / (2 * PRIOR_SLOPE_VARIANCE)
    return loglik - prior


def _derivatives(x: np.ndarray, s: np.ndarray, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and Gauss-Newton curvature (positive definite) of each option's objective."""
    dims = x.shape[2]
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


def classified(x: np.ndarray, y: np.ndarray, z: np.ndarray, c: float, kappa: float) -> float:
    cast = ~np.isnan(y)
    predicted = (c - kappa * distances(x, z[None, :])[:, 0]) > 0
    return float(np.mean(predicted[cast] == (y[cast] > 0.5)))


def approval_probabilities(x: np.ndarray, z: np.ndarray, c: np.ndarray, kappa: np.ndarray) -> np.ndarray:
    """P(Aye) of members ``x`` on options at ``z`` with parameters c = τ/σ and κ = 1/σ."""
    from scipy.special import ndtr

    return ndtr(c - kappa * distances(x, z))
