"""The probit of the roll-call model: P(Aye), the inverse Mills ratio, cut points.

Formulas only; the model is described in :mod:`tellers.parliament.preferences.idealpoints`.
"""

from __future__ import annotations

import math

import numpy as np

PRIOR_VOTE_VARIANCE = 25.0
"""Prior variance of each vote's α and β (emIRT's default); positions have prior N(0, 1)."""

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_TAIL = -37.0  # below this Φ(t) underflows: use the asymptotic series of λ


def mills_ratio(t: np.ndarray) -> np.ndarray:
    """λ(t) = φ(t)/Φ(t), the inverse Mills ratio, stable far into both tails.

    ``t + λ(t)`` is the mean of a standard normal truncated to values above ``-t``.
    """
    return mills_and_cdf(np.asarray(t, dtype=float))[0]


def mills_and_cdf(
    t: np.ndarray, lam_out: np.ndarray | None = None, cdf_out: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """λ(t) and Φ(t) (Φ floored where it underflows: λ there is from its asymptotic series),
    written into ``lam_out`` and ``cdf_out`` when given."""
    from scipy.special import ndtr  # here, not at the top: scipy costs every command ~0.15 s to import

    safe = np.maximum(t, _TAIL, out=lam_out)
    cdf = ndtr(safe, out=cdf_out)
    lam = np.square(safe, out=safe)  # in place: these arrays are large
    lam *= -0.5
    lam -= _LOG_SQRT_2PI
    np.exp(lam, out=lam)
    lam /= cdf
    if t.size and t.min() < _TAIL:
        far = t < _TAIL
        u = -t[far]
        lam[far] = u + 1.0 / u - 2.0 / u**3
    return lam, cdf


def probabilities(x: np.ndarray, alpha: np.ndarray, beta: np.ndarray, lapse: float = 0.0) -> np.ndarray:
    """P(Aye) = ε + (1 - 2ε)·Φ(α + β·x) for members x (rows) and votes (columns)."""
    from scipy.special import ndtr

    return lapse + (1 - 2 * lapse) * ndtr(alpha + x @ beta.T)


def cut_points(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Where ``α + β·x = 0`` nearest the centre: ``-α β / |β|²`` (in 1-D, ``-α/β``)."""
    norm2 = np.einsum("jd,jd->j", beta, beta)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(alpha / norm2)[:, None] * beta
