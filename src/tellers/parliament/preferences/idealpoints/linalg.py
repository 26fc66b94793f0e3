"""Small linear-algebra helpers shared by the fit, the identification and the bootstrap."""

from __future__ import annotations

import numpy as np


def outer_rows(a: np.ndarray) -> np.ndarray:
    """Row i of the result is the flattened outer product of row i of ``a`` with itself."""
    return (a[:, :, None] * a[:, None, :]).reshape(len(a), -1)


def solve_stacked(h: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve the stacked small systems ``h[i] @ out[i] = b[i]``."""
    if h.shape[1] == 1:
        return b / h[:, :, 0]
    return np.linalg.solve(h, b[:, :, None])[:, :, 0]


def cap_rows(step: np.ndarray, limit: float) -> np.ndarray:
    """Scale down rows of ``step`` longer than ``limit``."""
    norm = np.sqrt(np.einsum("ij,ij->i", step, step))
    factor = np.minimum(1.0, limit / np.maximum(norm, 1e-300))
    return step * factor[:, None]


def sym_power(a: np.ndarray, p: float) -> np.ndarray:
    """A symmetric positive definite matrix to the power p."""
    values, vectors = np.linalg.eigh(a)
    values = np.maximum(values, 1e-300)
    return (vectors * values**p) @ vectors.T


def whiten(x: np.ndarray) -> np.ndarray:
    xc = x - x.mean(axis=0)
    return xc @ sym_power(xc.T @ xc / len(x), -0.5)
