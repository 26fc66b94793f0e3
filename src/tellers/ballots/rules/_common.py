"""Small helpers shared by the rules: float-safe ties, tiers from scores, results."""

from __future__ import annotations

import numpy as np

from tellers.ballots.profile import Profile


def tolerance(profile: Profile) -> float:
    """Scores closer than this are tied (fractional weights make float noise)."""
    return 1e-9 * max(1.0, profile.voters)


def best(values: np.ndarray, among: np.ndarray, tol: float, *, lowest: bool = False) -> np.ndarray:
    """Boolean mask of the candidates in ``among`` whose value is (tied) best."""
    v = np.where(among & ~np.isnan(values), values, np.inf if lowest else -np.inf)  # NaN is never best
    target = v.min() if lowest else v.max()
    with np.errstate(invalid="ignore"):  # inf - inf: equal infinities are tied
        return among & ((values == target) | (np.abs(values - target) <= tol))


def tiers(profile: Profile, values: np.ndarray, tol: float, *, lowest: bool = False) -> tuple[tuple[str, ...], ...]:
    """Candidates grouped into tiers of tied values, best first."""
    left = np.ones(profile.num_candidates, bool)
    out = []
    while left.any():
        top = best(values, left, tol, lowest=lowest)
        if not top.any():  # NaN values order nothing: keep the rest as one tier rather than loop
            top = left.copy()
        out.append(tuple(profile.names(np.flatnonzero(top))))
        left &= ~top
    return tuple(out)


def named(profile: Profile, values: np.ndarray, among: np.ndarray | None = None) -> dict[str, float]:
    """Per-candidate values as a name -> number dict (only ``among`` when given)."""
    idx = range(profile.num_candidates) if among is None else np.flatnonzero(among)
    return {profile.candidates[i]: float(values[i]) for i in idx}


def winner_set(profile: Profile, mask: np.ndarray) -> frozenset[str]:
    return frozenset(profile.names(np.flatnonzero(mask)))


def dominance_tiers(profile: Profile, beats: np.ndarray) -> tuple[tuple[str, ...], ...]:
    """Tiers from a strict partial order: each tier is what nobody left beats."""
    left = np.ones(profile.num_candidates, bool)
    out = []
    while left.any():
        top = left & ~(beats[left][:, :].any(axis=0))
        if not top.any():  # not acyclic; keep the rest as one tier rather than loop
            top = left.copy()
        out.append(tuple(profile.names(np.flatnonzero(top))))
        left &= ~top
    return tuple(out)
