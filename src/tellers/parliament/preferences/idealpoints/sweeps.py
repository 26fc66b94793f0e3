"""The algorithm: start values, then alternating Newton (or EM) sweeps to the posterior mode.

Described in :mod:`tellers.parliament.preferences.idealpoints` ("The algorithm").
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from tellers.parliament.preferences.idealpoints.linalg import cap_rows, outer_rows, solve_stacked, sym_power, whiten
from tellers.parliament.preferences.idealpoints.probit import PRIOR_VOTE_VARIANCE, mills_and_cdf

_VOTE_STEP = 5.0  # largest step of one vote's (α, β) in a sweep
_POSITION_STEP = 1.0  # largest step of one position in a sweep


def start_positions(s: np.ndarray, dims: int) -> np.ndarray:
    """Leading left singular vectors of the centred vote matrix (+1 Aye, -1 No, 0 missing), standardised.

    By subspace iteration from a fixed start (deterministic), then Rayleigh-Ritz.
    """
    z = s - s.mean(axis=0)
    n, m = z.shape
    k = min(dims + 4, n, m)
    q = z @ np.random.default_rng(0).standard_normal((m, k))
    for _ in range(12):
        q, _ = np.linalg.qr(z @ (z.T @ q))
    left, _, _ = np.linalg.svd(q.T @ z, full_matrices=False)
    u = q @ left[:, :dims]
    u = u - u.mean(axis=0)
    sd = u.std(axis=0)
    return u / np.where(sd > 0, sd, 1.0)


def start_votes(s: np.ndarray, mask: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each vote's least-squares line through its ±1 votes on the start positions."""
    x1 = np.column_stack([np.ones(len(x)), x])
    k = x1.shape[1]
    h = (mask.T.astype(float) @ outer_rows(x1)).reshape(-1, k, k) + np.eye(k) / PRIOR_VOTE_VARIANCE
    theta = solve_stacked(h, s.T @ x1)
    return theta[:, 0].copy(), theta[:, 1:].copy()


def fit_map(
    s: np.ndarray,
    mask: np.ndarray,
    x: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    *,
    method: str,
    lapse: float,
    tol: float,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, bool]:
    """The posterior mode by alternating steps (see the package docstring)."""
    n, d = x.shape
    m = s.shape[1]
    k = d + 1
    newton = method == "newton"
    weights = mask.astype(float)
    prior_vote = np.eye(k) / PRIOR_VOTE_VARIANCE
    prior_position = np.eye(d)
    previous = whiten(x)
    sweeps, converged = 0, False
    while sweeps < max_iter:
        sweeps += 1
        # the votes, given the positions
        g, w = score(s, weights, alpha, beta, x, newton, lapse)
        x1 = np.column_stack([np.ones(n), x])
        h = (w.T @ outer_rows(x1)).reshape(m, k, k) + prior_vote
        theta = np.column_stack([alpha, beta])
        theta = theta + cap_rows(solve_stacked(h, g.T @ x1 - theta / PRIOR_VOTE_VARIANCE), _VOTE_STEP)
        alpha, beta = theta[:, 0].copy(), theta[:, 1:].copy()
        # the positions, given the votes
        g, w = score(s, weights, alpha, beta, x, newton, lapse)
        h = (w @ outer_rows(beta)).reshape(n, d, d) + prior_position
        x = x + cap_rows(solve_stacked(h, g @ beta - x), _POSITION_STEP)
        x, alpha, beta = _expand(x, alpha, beta)
        current = whiten(x)
        change = float(np.max(np.abs(current - previous)))
        previous = current
        if not np.isfinite(change):
            break
        if change < tol:
            converged = True
            break
    return x, alpha, beta, sweeps, converged


def score(
    s: np.ndarray,
    weights: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    x: np.ndarray,
    newton: bool,
    lapse: float = 0.0,
    exact: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """d log-likelihood / dμ for every cell, and the curvature used for the step.

    With a lapse rate ε, ``1 - r`` is the posterior probability that a vote was not a
    lapse; the gradient is ``(1 - r)·s·λ`` and the step's curvature the probit's weighted
    by ``1 - r`` (``exact``: the true curvature ``(1 - r)λ(sμ + (1 - r)λ)``, floored at 0).

    Large matrices are computed in row blocks on several threads: numpy and scipy
    release the GIL inside these element-wise loops, and every cell is computed the
    same way whatever the blocks, so the result does not depend on the threads.
    """
    g = _work("g", s.shape)  # reused from call to call: use the result before the next call
    w = _work("w", s.shape)
    n = len(x)
    blocks = _THREADS if s.size >= _PARALLEL_CELLS else 1
    bounds = np.linspace(0, n, blocks + 1).astype(int)

    def block(i: int) -> None:
        rows = slice(bounds[i], bounds[i + 1])
        _score_rows(s[rows], weights[rows], alpha, beta, x[rows], newton, lapse, exact, g[rows], w[rows])

    if blocks == 1:
        block(0)
    else:
        list(_thread_pool().map(block, range(blocks)))
    return g, w


def _score_rows(
    s: np.ndarray,
    weights: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    x: np.ndarray,
    newton: bool,
    lapse: float,
    exact: bool,
    g: np.ndarray,
    w: np.ndarray,
) -> None:
    """:func:`score` for some rows, written into ``g`` and ``w``."""
    t = np.matmul(x, beta.T, out=_work("t", s.shape))
    t += alpha
    t *= s  # s·μ; 0 where no vote was cast
    lam, cdf = mills_and_cdf(t, _work("lam", s.shape), _work("cdf", s.shape))
    np.multiply(lam, s, out=g)
    if lapse > 0:
        keep = (1 - 2 * lapse) * cdf
        keep /= keep + lapse  # 1 - r
        g *= keep
    if not newton:
        if lapse > 0:
            np.multiply(weights, keep, out=w)
        else:
            w[...] = weights
    elif exact:
        kept = lam * keep if lapse > 0 else lam
        np.add(t, kept, out=w)
        w *= kept
        np.maximum(w, 0.0, out=w)
        w *= weights
    else:
        np.add(lam, t, out=w)
        w *= g
        w *= s  # (1 - r)λ(λ + sμ)·s²: s² = 1 where a vote was cast, 0 elsewhere


_LOCAL = threading.local()


def _work(name: str, shape: tuple[int, ...]) -> np.ndarray:
    """A work array kept per thread, name and shape: the sweeps reuse their large temporaries
    instead of mapping fresh pages for each (the page faults cost more than the arithmetic)."""
    cache = getattr(_LOCAL, "arrays", None)
    if cache is None:
        cache = _LOCAL.arrays = {}
    a = cache.get(name)
    if a is None or a.shape != shape:
        a = cache[name] = np.empty(shape)
    return a


_THREADS = max(1, min(4, os.cpu_count() or 1))
_PARALLEL_CELLS = 1 << 19  # below this, threads cost more than they save
_POOL: ThreadPoolExecutor | None = None


def _thread_pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="tellers-idealpoints")
    return _POOL


def _forget_thread_pool() -> None:
    """In a forked child the pool's threads do not exist: start a new pool when needed."""
    global _POOL
    _POOL = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_thread_pool)


def _expand(x: np.ndarray, alpha: np.ndarray, beta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Move to the best point of the priors along the shifts and rescalings the likelihood cannot see."""
    n, d = x.shape
    v = PRIOR_VOTE_VARIANCE
    sbb = beta.T @ beta / v
    shift = np.linalg.solve(n * np.eye(d) + sbb, beta.T @ alpha / v - x.sum(axis=0))
    x = x + shift
    alpha = alpha - beta @ shift
    sxx = x.T @ x
    if d == 1:
        if sxx[0, 0] <= 0 or sbb[0, 0] <= 0:
            return x, alpha, beta
        a = (sbb[0, 0] / sxx[0, 0]) ** 0.25
        return x * a, alpha, beta / a
    # C = A Aᵀ maximises -tr(Sxx C)/2 - tr(Sbb C⁻¹)/2: C Sxx C = Sbb (a matrix geometric mean)
    if np.linalg.eigvalsh(sxx)[0] <= 1e-12 or np.linalg.eigvalsh(sbb)[0] <= 1e-12:
        return x, alpha, beta
    root = sym_power(sxx, 0.5)
    inv_root = sym_power(sxx, -0.5)
    c = inv_root @ sym_power(root @ sbb @ root, 0.5) @ inv_root
    a = sym_power(c, 0.5)
    return x @ a, alpha, beta @ np.linalg.inv(a).T
