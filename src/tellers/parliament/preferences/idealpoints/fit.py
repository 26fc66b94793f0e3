"""Fitting ideal points: :func:`fit_ideal_points`, its asymptotic standard errors, its fit measures.

The model, the algorithm and the defaults are described in :mod:`tellers.parliament.preferences.idealpoints`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np

from tellers.errors import ScalingError
from tellers.parliament.preferences.idealpoints.data import DEFAULT_MIN_MINORITY, select, summarise_drops, vote_matrix
from tellers.parliament.preferences.idealpoints.identify import anchor_rows, identify
from tellers.parliament.preferences.idealpoints.linalg import outer_rows
from tellers.parliament.preferences.idealpoints.results import IdealPoints
from tellers.parliament.preferences.idealpoints.sweeps import fit_map, score, start_positions, start_votes
from tellers.records.rollcalls import MemberVotes

Method = Literal["newton", "em"]


def fit_ideal_points(
    votes: MemberVotes | np.ndarray,
    *,
    dims: int = 1,
    anchor: str | Sequence[str] | None = None,
    ids: Sequence[str] | None = None,
    names: Sequence[str] | None = None,
    parties: Sequence[str] | None = None,
    vote_ids: Sequence[str] | None = None,
    min_minority: float = DEFAULT_MIN_MINORITY,
    min_votes: int | None = None,
    method: Method = "newton",
    lapse: float = 0.0075,
    tol: float = 1e-6,
    max_iter: int = 1000,
) -> IdealPoints:
    """Place members on a ``dims``-dimensional scale from their votes.

    ``votes`` is a :class:`~tellers.records.rollcalls.MemberVotes` (ids, names, parties and vote
    ids come with it), or a members x votes matrix: integer codes into
    ``tellers.records.patterns.KINDS``, or numbers 1 (Aye), 0 (No) and NaN (no vote). ``anchor``
    names a member (id or name) or a party whose mean position is made positive on
    every dimension, or one such name per dimension; default: the largest party.
    ``lapse`` > 0 fits the robust model; ``method="em"`` takes emIRT's EM steps (same
    estimate, many more sweeps); ``tol`` and ``max_iter`` bound the sweeps. See the package
    docstring for the model, the drops and the defaults.
    """
    if dims not in (1, 2):
        raise ScalingError(f"ideal points are fitted in 1 or 2 dimensions, not {dims}")
    if method not in ("newton", "em"):
        raise ScalingError(f"unknown method {method!r}: use 'newton' or 'em'")
    if not 0 <= lapse < 0.5:
        raise ScalingError(f"the lapse rate must be at least 0 and below 0.5, not {lapse}")
    if not 0 <= min_minority < 0.5:
        raise ScalingError(f"min_minority must be at least 0 and below 0.5, not {min_minority}")
    y, ids, names, parties, vote_ids = vote_matrix(votes, ids, names, parties, vote_ids)
    n, m = y.shape
    if n == 0:
        raise ScalingError("there are no members to place")
    if m < dims + 1:
        what = "one vote" if m == 1 else f"{m} votes"
        raise ScalingError(
            f"{what} cannot place members on a {dims}-dimensional scale: give at least {dims + 1} votes"
        )
    if min_votes is None:
        min_votes = 20 if m >= 80 else max(1, math.ceil(m / 4))
    keep_members, keep_votes, dropped = select(y, ids, names, vote_ids, min_minority, max(1, int(min_votes)))
    if keep_votes.sum() < dims + 1:
        reasons = summarise_drops(dropped.votes)
        raise ScalingError(
            f"only {int(keep_votes.sum())} of {m} votes divide the members enough to scale them "
            f"({reasons}); at least {dims + 1} are needed. Give more votes, or lower min_minority"
        )
    if keep_members.sum() < dims + 2:
        raise ScalingError(
            f"only {int(keep_members.sum())} of {n} members have enough votes to be placed "
            f"(at least {min_votes} each); lower min_votes or give more votes"
        )
    y = y[np.ix_(keep_members, keep_votes)]
    ids = tuple(np.array(ids, dtype=object)[keep_members])
    names = tuple(np.array(names, dtype=object)[keep_members])
    parties = tuple(np.array(parties, dtype=object)[keep_members])
    vote_ids = tuple(np.array(vote_ids, dtype=object)[keep_votes])
    anchors = anchor_rows(anchor, dims, ids, names, parties, dropped)

    mask = ~np.isnan(y)
    s = np.where(mask, np.where(y > 0.5, 1.0, -1.0), 0.0)
    x0 = start_positions(s, dims)
    alpha0, beta0 = start_votes(s, mask, x0)
    x, alpha, beta, sweeps, converged = fit_map(
        s, mask, x0, alpha0, beta0, method=method, lapse=lapse, tol=tol, max_iter=max_iter
    )
    x, alpha, beta, transform = identify(x, alpha, beta, anchors[1])
    se = _standard_errors(s, mask, x, alpha, beta, transform, lapse)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(alpha)) and np.all(np.isfinite(beta))):
        raise ScalingError("the fit did not reach finite values; drop near-unanimous votes (raise min_minority)")
    correct, apre = classification(y, x, alpha, beta)
    return IdealPoints(
        ids=ids, names=names, parties=parties, votes=vote_ids, positions=x, alpha=alpha, beta=beta,
        standard_errors=se, y=y, anchor=anchors[0], dropped=dropped, method=method, lapse=lapse, iterations=sweeps,
        converged=converged, correct=correct, apre=apre, tol=tol, max_iter=max_iter,
    )


def classification(y: np.ndarray, x: np.ndarray, alpha: np.ndarray, beta: np.ndarray) -> tuple[float, float]:
    """Percent correctly classified (as a fraction) and APRE of votes ``y`` (1, 0, NaN)."""
    mask = ~np.isnan(y)
    aye = mask & (y > 0.5)
    predicted = (alpha + x @ beta.T) > 0
    errors = np.count_nonzero(mask & (predicted != aye), axis=0)
    cast = mask.sum(axis=0)
    ayes = aye.sum(axis=0)
    minority = np.minimum(ayes, cast - ayes)
    correct = 1.0 - errors.sum() / cast.sum()
    apre = (minority.sum() - errors.sum()) / minority.sum() if minority.sum() else 0.0
    return float(correct), float(apre)


def _standard_errors(
    s: np.ndarray,
    mask: np.ndarray,
    x: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    transform: np.ndarray,
    lapse: float,
) -> np.ndarray:
    """Each position's standard error from its curvature (observed information), votes given.

    ``transform`` maps the scale fitted to the one reported (new = (old - mean) @ T): the
    prior N(0, I) there is N(., TᵀT) here.
    """
    n, d = x.shape
    _, w = score(s, mask.astype(float), alpha, beta, x, True, lapse, exact=True)
    prior = np.linalg.inv(transform.T @ transform)
    h = (w @ outer_rows(beta)).reshape(n, d, d) + prior
    cov = np.linalg.inv(h)
    return np.sqrt(np.einsum("idd->id", cov))
