"""Uncertainty by parametric bootstrap: replicate votes drawn from a fit, refitted and aligned.

Described in :mod:`tellers.parliament.preferences.idealpoints` ("Uncertainty"). Replicates run in
processes and are the same whatever their number: each has its own seed, spawned from one.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import MutableMapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np

from tellers.errors import ScalingError
from tellers.parliament.preferences.idealpoints.linalg import sym_power
from tellers.parliament.preferences.idealpoints.probit import cut_points, probabilities
from tellers.parliament.preferences.idealpoints.results import IdealPoints
from tellers.parliament.preferences.idealpoints.sweeps import fit_map


@dataclass(frozen=True, eq=False)
class Bootstrap:
    """Replicates of a parametric bootstrap, aligned with the estimate."""

    positions: np.ndarray
    """(replicates, members, dims)."""
    cut_points: np.ndarray
    """(replicates, votes, dims)."""
    level: float
    seed: int
    converged: int
    """How many replicates converged within max_iter sweeps."""

    @property
    def replicates(self) -> int:
        return int(self.positions.shape[0])

    @property
    def position_se(self) -> np.ndarray:
        return self.positions.std(axis=0, ddof=1)

    @property
    def cut_point_se(self) -> np.ndarray:
        return _nan_std(self.cut_points)

    def position_interval(self, estimate: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Percentile intervals (low, high) of the positions at ``level``.

        Given the ``estimate``, each interval is widened to include it: a member at an end
        of the scale whose votes all go one way is placed slightly inward in nearly every
        replicate (a replicate's random votes against the grain pull them in), which
        would leave their estimate outside the plain percentile interval.
        """
        low, high = _percentile(self.positions, self.level)
        if estimate is not None:
            low, high = np.minimum(low, estimate), np.maximum(high, estimate)
        return low, high

    def cut_point_interval(self) -> tuple[np.ndarray, np.ndarray]:
        """Percentile intervals (low, high) of the cut points at ``level``."""
        return _percentile(self.cut_points, self.level)


def bootstrap_ideal_points(
    fit: IdealPoints,
    replicates: int = 100,
    *,
    seed: int = 0,
    n_jobs: int = 1,
    level: float = 0.95,
) -> Bootstrap:
    """Parametric bootstrap of a fit (see the package docstring); ``n_jobs`` processes."""
    if replicates < 2:
        raise ScalingError(f"a bootstrap needs at least 2 replicates, not {replicates}")
    if not 0 < level < 1:
        raise ScalingError(f"the interval level must be between 0 and 1, not {level}")
    state = replicate_state(fit)
    seeds = np.random.SeedSequence(seed).spawn(replicates)
    try:
        results = parallel_map(_replicate, seeds, n_jobs=n_jobs, initializer=set_worker_state, initargs=(state,))
    finally:
        WORKER_STATE.clear()
    positions = np.stack([r[0] for r in results])
    cuts = np.stack([r[1] for r in results])
    return Bootstrap(positions, cuts, level, seed, sum(r[2] for r in results))


def replicate_votes(rng: np.random.Generator, fit_state: dict) -> np.ndarray:
    """One replicate's votes as ±1 (0 where no vote was cast), drawn from the fitted model."""
    p = probabilities(fit_state["x"], fit_state["alpha"], fit_state["beta"], fit_state["lapse"])
    draws = rng.random(p.shape) < p
    return np.where(fit_state["mask"], np.where(draws, 1.0, -1.0), 0.0)


def refit(s: np.ndarray, state: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Fit replicate votes from the estimate; standardise and align with it."""
    x0 = state["x"]
    x, alpha, beta, _, converged = fit_map(
        s, state["mask"], x0.copy(), state["alpha"].copy(), state["beta"].copy(),
        method=state["method"], lapse=state["lapse"], tol=state["tol"], max_iter=state["max_iter"],
    )
    centre = x.mean(axis=0)
    alpha = alpha + beta @ centre
    t = sym_power((x - centre).T @ (x - centre) / len(x), -0.5)
    z = (x - centre) @ t
    u, _, vt = np.linalg.svd(z.T @ x0)
    rotation = u @ vt  # orthogonal Procrustes: z @ rotation is closest to the estimate
    t = t @ rotation
    return (x - centre) @ t, alpha, beta @ np.linalg.inv(t).T, converged


def replicate_state(fit: IdealPoints) -> dict:
    return {
        "x": fit.positions, "alpha": fit.alpha, "beta": fit.beta, "mask": ~np.isnan(fit.y),
        "method": fit.method, "lapse": fit.lapse, "tol": max(fit.tol, 1e-5), "max_iter": fit.max_iter,
    }


class _PerThread(MutableMapping):
    """A dict of its own for each thread: replicates run in this process (``n_jobs=1``) from
    several threads at once (the web app's workers) must not read each other's inputs."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _dict(self) -> dict:
        d = getattr(self._local, "d", None)
        if d is None:
            d = self._local.d = {}
        return d

    def __getitem__(self, key):
        return self._dict()[key]

    def __setitem__(self, key, value) -> None:
        self._dict()[key] = value

    def __delitem__(self, key) -> None:
        del self._dict()[key]

    def __iter__(self):
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())


WORKER_STATE: MutableMapping = _PerThread()
"""The replicates' shared inputs: set once per process (or thread) by :func:`set_worker_state`."""


def set_worker_state(state: dict) -> None:
    WORKER_STATE.clear()
    WORKER_STATE.update(state)


def _replicate(seed: np.random.SeedSequence) -> tuple[np.ndarray, np.ndarray, bool]:
    rng = np.random.default_rng(seed)
    s = replicate_votes(rng, WORKER_STATE)
    x, alpha, beta, converged = refit(s, WORKER_STATE)
    return x, cut_points(alpha, beta), converged


SMALL_SCALE = 100_000
"""Vote matrices up to this many cells are refitted in processes by default: their linear algebra
runs on one thread; larger ones already keep every core busy through BLAS's threads, and
processes on top of them only contend (the 116th Senate's report took half as long again)."""


def default_jobs(cells: int) -> int:
    """Processes for the replicates of a fit to a ``cells``-vote matrix, nobody having said: up
    to 2 (cores allowing) for a small matrix where children fork from a single-threaded main
    process, else 1. The results are the same either way."""
    if (cells > SMALL_SCALE or multiprocessing.get_start_method() != "fork"
            or multiprocessing.current_process().daemon or threading.active_count() > 1):
        return 1
    return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def parallel_map(func, items: Sequence, *, n_jobs: int = 1, initializer=None, initargs: tuple = ()) -> list:
    """``[func(item) for item in items]``, in ``n_jobs`` processes when above 1 (order kept).

    ``initializer(*initargs)`` runs once in each process (or here, when ``n_jobs`` is 1)
    so that large shared inputs are sent once per process, not once per item. Processes
    start the platform's default way (fork on Linux before Python 3.14): where that is
    not fork, a script calling this needs the ``if __name__ == "__main__":`` guard. Where
    processes cannot start, the items run here (each item's result is the same).
    """
    if n_jobs < 1:
        raise ScalingError(f"n_jobs must be at least 1, not {n_jobs}")
    if n_jobs > 1 and len(items) > 1:
        chunk = max(1, len(items) // (4 * n_jobs))
        try:
            with ProcessPoolExecutor(max_workers=n_jobs, initializer=initializer, initargs=initargs) as pool:
                return list(pool.map(func, items, chunksize=chunk))
        except (OSError, BrokenProcessPool):
            pass
    if initializer is not None:
        initializer(*initargs)
    return [func(item) for item in items]


def _percentile(a: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = np.nanquantile(a, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return lo, hi


def _nan_std(a: np.ndarray) -> np.ndarray:
    finite = np.where(np.isfinite(a), a, np.nan)
    return np.nanstd(finite, axis=0, ddof=1)
