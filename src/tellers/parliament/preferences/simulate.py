"""Simulated roll calls with known truth, for checking and timing the ideal-point estimator."""

from __future__ import annotations

import numpy as np


def simulate_rollcalls(n: int, m: int, *, dims: int = 1, missing: float = 0.1, seed: int = 2019):
    """Logistic roll calls: true positions ``x``, vote parameters ``a``, ``b``, votes (1, 0, NaN)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dims))
    b = rng.uniform(0.5, 2.5, size=(m, dims)) * rng.choice([-1, 1], size=(m, dims))
    cut = rng.normal(size=m) * 0.8
    a = -cut * np.sqrt((b**2).sum(axis=1))
    p = 1 / (1 + np.exp(-(a + x @ b.T)))
    y = (rng.random((n, m)) < p).astype(float)
    y[rng.random((n, m)) < missing] = np.nan
    return x, a, b, y


def oracle_positions(y: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each member's maximum-likelihood 1-D position given the true (logistic) vote parameters."""
    cast = ~np.isnan(y)
    yy = np.nan_to_num(y)
    x = np.zeros(len(y))
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a + np.outer(x, b))))
        grad = ((yy - p) * cast) @ b
        curv = (p * (1 - p) * cast) @ (b**2)
        step = np.clip(grad / curv, -1, 1)
        x += step
        if np.abs(step).max() < 1e-10:
            break
    return x
