"""Ideal points: members and votes on one scale, from roll calls.

The model
---------
The two-parameter probit model of roll calls (Clinton, Jackman and Rivers 2004; the
model of emIRT's ``binIRT``, Imai, Lo and Olmsted 2016)::

    P(member i votes Aye on vote j) = Φ(α_j + β_j · x_i)

with ``x_i`` the member's position in 1 or 2 dimensions and ``(α_j, β_j)`` the vote's
parameters; ``β_j`` may have either sign (a vote may load either way). Aye is 1, No is
0, no vote is missing and ignored. Priors: ``x_i ~ N(0, I)`` and ``(α_j, β_j) ~ N(0, 25 I)``
(emIRT's defaults). The estimate is the posterior mode, found deterministically.

``lapse=ε > 0`` gives the robust variant (Bafumi, Gelman, Park and Kaplan 2005): a vote
is cast at random with probability 2ε, so ``P(Aye) = ε + (1 - 2ε)·Φ(α_j + β_j · x_i)``. A
vote against the grain then costs a member at most ``log ε``, so members who sometimes
vote with the far side against the middle (US senators such as Rand Paul or Mike Lee)
stay at their end of the scale instead of being pulled to the centre. The plain model
(ε = 0) is the default.

The algorithm
-------------
Given the votes' parameters every member's position is a small concave problem, and
given the positions every vote's parameters are a probit regression, so each sweep
takes one step for all members at once and then one for all votes at once, as array
operations (matrix products and one inverse-Mills-ratio evaluation per step). With data
augmentation as in emIRT (a latent utility ``y* = μ + ε``, ``ε ~ N(0, 1)``, truncated to the
side of the vote cast), the EM step is::

    E-step:  E[y* - μ] = s·λ(s·μ)       s = +1 Aye, -1 No; λ(t) = φ(t)/Φ(t)
    M-step:  least squares of y* on the other block's parameters

which is a Newton-type step with the gradient ``Σ β s λ`` and the curvature of the
complete data (1 per vote). ``method="em"`` takes exactly that step. The default,
``method="newton"``, takes the same step with the curvature of the observed data,
``λ(λ + s·μ)`` (always below 1): the same fixed point, the posterior mode, in far fewer
sweeps (9 instead of 280 on 650 members x 5,000 votes). Each sweep ends with two
exact moves along the directions the likelihood cannot see (shifting all positions,
and rescaling positions against the votes' slopes), to the best point of the priors
along them; this parameter expansion (as in PX-EM) removes the slow drift of scale that
otherwise dominates. Start values are the leading singular vectors of the centred vote
matrix, as in emIRT (by subspace iteration from a fixed start). Sweeps stop when no
standardised position moves by more than ``tol``. With a lapse rate the gradient is
weighted by each vote's posterior probability of not being a lapse (an E-step for that
latent indicator) and so is the step's curvature. Large matrices are scored in row
blocks on a few threads (the element-wise work releases the GIL); the result is the
same whatever the threads.

Identification
--------------
Positions are reported standardised: mean 0 and standard deviation 1 on each dimension
(in 2-D, whitened and then rotated so that dimension 1 separates the most votes: the
sum of ``β_j β_jᵀ`` is diagonal, largest first). The sign of each dimension is set by an
anchor: a member or a party (by id, name or party label) whose mean position on that
dimension is made positive; by default the largest party. The votes' parameters are
transformed with the positions, so the probabilities do not change.

Uncertainty
-----------
:func:`bootstrap_ideal_points` is a parametric bootstrap: votes are drawn from the fitted
model where a vote was cast, the model is refitted from the estimate, and each replicate
is aligned to the estimate (sign, or an orthogonal rotation in 2-D). It gives standard
errors and percentile intervals for the members' positions and for every vote's cut
point. Replicates run in parallel processes (``n_jobs``) and are the same whatever
``n_jobs`` is (each has its own seed from ``seed``). Without a bootstrap,
``IdealPoints.standard_errors`` are asymptotic: from each member's curvature, given the
votes' parameters.

Drops
-----
Votes whose minority (Ayes or Noes, whichever is fewer, among the members kept) is
below ``min_minority`` of those voting (2.5% by default, as W-NOMINATE) say little
about positions and are dropped, unanimous ones included; then members with fewer than
``min_votes`` votes among those kept (default 20, or a quarter of the votes when there
are fewer than 80 — 6 of the 23 Brexit divisions), members with no vote at all always.
The two steps repeat until nothing changes; every drop is reported with its reason.

Fit
---
Percent correctly classified (the model predicts Aye where its probability exceeds
one half) and APRE, the aggregate proportional reduction in error over voting with the
majority on every vote: ``Σ (minority - errors) / Σ minority``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.special import ndtr

from tellers.errors import ScalingError
from tellers.records.rollcalls import MemberVotes, binary_votes

PRIOR_VOTE_VARIANCE = 25.0
"""Prior variance of each vote's α and β (emIRT's default); positions have prior N(0, 1)."""

DEFAULT_MIN_MINORITY = 0.025
"""Drop votes whose minority is a smaller share of those voting (W-NOMINATE's default)."""

Method = Literal["newton", "em"]

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_TAIL = -37.0  # below this Φ(t) underflows: use the asymptotic series of λ
_VOTE_STEP = 5.0  # largest step of one vote's (α, β) in a sweep
_POSITION_STEP = 1.0  # largest step of one position in a sweep


def mills_ratio(t: np.ndarray) -> np.ndarray:
    """λ(t) = φ(t)/Φ(t), the inverse Mills ratio, stable far into both tails.

    ``t + λ(t)`` is the mean of a standard normal truncated to values above ``-t``.
    """
    return _mills_and_cdf(np.asarray(t, dtype=float))[0]


def _mills_and_cdf(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """λ(t) and Φ(t) (Φ floored where it underflows: λ there is from its asymptotic series)."""
    safe = np.maximum(t, _TAIL)
    cdf = ndtr(safe)
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


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Dropped:
    """What was left out of a fit, and why."""

    votes: tuple[tuple[str, str], ...]
    """(vote id, reason)."""
    members: tuple[tuple[str, str, str], ...]
    """(member id, name, reason)."""

    def to_dict(self) -> dict:
        return {
            "votes": [{"id": v, "reason": r} for v, r in self.votes],
            "members": [{"id": i, "name": n, "reason": r} for i, n, r in self.members],
        }


@dataclass(frozen=True, eq=False)
class IdealPoints:
    """A fitted roll-call scale: members' positions and votes' parameters.

    ``P(Aye) = Φ(alpha[j] + beta[j] · positions[i])``, positions standardised and
    anchored (see the module docstring). Members and votes left out are in ``dropped``.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    parties: tuple[str, ...]
    votes: tuple[str, ...]
    positions: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    standard_errors: np.ndarray
    """Asymptotic standard errors of the positions, given the votes' parameters."""
    y: np.ndarray
    """The votes fitted (members x votes): 1.0 Aye, 0.0 No, NaN no vote."""
    anchor: str
    dropped: Dropped
    method: str
    lapse: float
    iterations: int
    converged: bool
    correct: float
    apre: float
    tol: float
    max_iter: int

    @property
    def dims(self) -> int:
        return int(self.positions.shape[1])

    @property
    def num_members(self) -> int:
        return len(self.ids)

    @property
    def cut_points(self) -> np.ndarray:
        """Each vote's cut point: where P(Aye) = 1/2 (in 2-D, the point of the cutting line nearest the centre)."""
        return cut_points(self.alpha, self.beta)

    def probabilities(self) -> np.ndarray:
        """P(Aye) for every member and vote."""
        return probabilities(self.positions, self.alpha, self.beta, self.lapse)

    def index(self, member: str) -> int:
        """Row of a member given by id or name."""
        for key in (self.ids, self.names):
            if member in key:
                return key.index(member)
        raise ScalingError(f"member {member!r} is not on this scale")

    def party_medians(self) -> dict[str, np.ndarray]:
        """Each party's median position, parties in order of their median on dimension 1."""
        parties = np.array(self.parties, dtype=object)
        medians = {p: np.median(self.positions[parties == p], axis=0) for p in dict.fromkeys(self.parties)}
        return dict(sorted(medians.items(), key=lambda kv: (float(kv[1][0]), kv[0])))

    def order(self) -> np.ndarray:
        """Member rows by position on dimension 1 (then name)."""
        return np.lexsort((np.array(self.names, dtype=object), self.positions[:, 0]))


def probabilities(x: np.ndarray, alpha: np.ndarray, beta: np.ndarray, lapse: float = 0.0) -> np.ndarray:
    """P(Aye) = ε + (1 - 2ε)·Φ(α + β·x) for members x (rows) and votes (columns)."""
    return lapse + (1 - 2 * lapse) * ndtr(alpha + x @ beta.T)


def cut_points(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Where ``α + β·x = 0`` nearest the centre: ``-α β / |β|²`` (in 1-D, ``-α/β``)."""
    norm2 = np.einsum("jd,jd->j", beta, beta)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(alpha / norm2)[:, None] * beta


# --------------------------------------------------------------------------- fitting


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
    lapse: float = 0.0,
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
    estimate, many more sweeps); ``tol`` and ``max_iter`` bound the sweeps. See the module
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
    y, ids, names, parties, vote_ids = _matrix(votes, ids, names, parties, vote_ids)
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
    keep_members, keep_votes, dropped = _select(y, ids, names, vote_ids, min_minority, max(1, int(min_votes)))
    if keep_votes.sum() < dims + 1:
        reasons = _summarise(dropped.votes)
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
    anchors = _anchor_rows(anchor, dims, ids, names, parties, dropped)

    mask = ~np.isnan(y)
    s = np.where(mask, np.where(y > 0.5, 1.0, -1.0), 0.0)
    x0 = _start(s, dims)
    alpha0, beta0 = _start_votes(s, mask, x0)
    x, alpha, beta, sweeps, converged = _fit_map(
        s, mask, x0, alpha0, beta0, method=method, lapse=lapse, tol=tol, max_iter=max_iter
    )
    x, alpha, beta, transform = _identify(x, alpha, beta, anchors[1])
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


def _matrix(
    votes: MemberVotes | np.ndarray,
    ids: Sequence[str] | None,
    names: Sequence[str] | None,
    parties: Sequence[str] | None,
    vote_ids: Sequence[str] | None,
) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The votes as a float matrix (1, 0, NaN) with member ids, names, parties and vote ids."""
    if isinstance(votes, MemberVotes):
        return votes.binary(), votes.ids, votes.names, votes.parties, votes.divisions
    arr = np.asarray(votes)
    if arr.ndim != 2:
        raise ScalingError(f"votes must be a members x votes matrix, not an array of shape {arr.shape}")
    if arr.dtype.kind in "iu":
        y = binary_votes(arr)
    elif arr.dtype.kind == "b":
        y = arr.astype(float)
    elif arr.dtype.kind == "f":
        y = arr.astype(float)
        bad = ~np.isnan(y) & (y != 0) & (y != 1)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ScalingError(f"votes must be 1 (Aye), 0 (No) or NaN (no vote); row {i + 1}, column {j + 1} is {y[i, j]!r}")
    else:
        raise ScalingError(f"votes must be numbers or vote codes, not {arr.dtype}")
    n, m = y.shape
    ids = tuple(str(i) for i in (ids if ids is not None else range(n)))
    names = tuple(str(x) for x in names) if names is not None else ids
    parties = tuple(str(p) for p in parties) if parties is not None else ("",) * n
    vote_ids = tuple(str(v) for v in (vote_ids if vote_ids is not None else range(m)))
    if not (len(ids) == len(names) == len(parties) == n) or len(vote_ids) != m:
        raise ScalingError(f"{n} x {m} votes need {n} member ids, names and parties and {m} vote ids")
    if len(set(ids)) != n:
        raise ScalingError("member ids must be distinct")
    return y, ids, names, parties, vote_ids


def _select(
    y: np.ndarray,
    ids: Sequence[str],
    names: Sequence[str],
    vote_ids: Sequence[str],
    min_minority: float,
    min_votes: int,
) -> tuple[np.ndarray, np.ndarray, Dropped]:
    """Which members and votes to keep; the drops with their reasons."""
    n, m = y.shape
    cast = ~np.isnan(y)
    aye = cast & (y > 0.5)
    keep_m = np.ones(n, dtype=bool)
    keep_v = np.ones(m, dtype=bool)
    vote_reasons: dict[int, str] = {}
    member_reasons: dict[int, str] = {}
    while True:
        total = cast[keep_m].sum(axis=0)
        ayes = aye[keep_m].sum(axis=0)
        minority = np.minimum(ayes, total - ayes)
        changed = False
        for j in np.flatnonzero(keep_v):
            if total[j] == 0:
                reason = "no votes recorded"
            elif minority[j] == 0:
                reason = "unanimous"
            elif minority[j] < min_minority * total[j]:
                reason = (
                    f"lopsided: {minority[j]} of {total[j]} ({minority[j] / total[j]:.1%}) in the minority, "
                    f"below {min_minority:.1%}"
                )
            else:
                continue
            keep_v[j] = False
            vote_reasons[j] = reason
            changed = True
        counts = cast[:, keep_v].sum(axis=1)
        for i in np.flatnonzero(keep_m & (counts < min_votes)):
            keep_m[i] = False
            member_reasons[i] = "no votes" if counts[i] == 0 else f"{counts[i]} votes, fewer than {min_votes}"
            changed = True
        if not changed:
            break
    dropped = Dropped(
        tuple((vote_ids[j], r) for j, r in sorted(vote_reasons.items())),
        tuple((ids[i], names[i], r) for i, r in sorted(member_reasons.items())),
    )
    return keep_m, keep_v, dropped


def _summarise(votes: Sequence[tuple[str, str]]) -> str:
    kinds: dict[str, int] = {}
    for _, reason in votes:
        key = reason.split(":")[0]
        kinds[key] = kinds.get(key, 0) + 1
    return ", ".join(f"{k} {v}" for v, k in kinds.items()) or "none dropped"


def _anchor_rows(
    anchor: str | Sequence[str] | None,
    dims: int,
    ids: Sequence[str],
    names: Sequence[str],
    parties: Sequence[str],
    dropped: Dropped,
) -> tuple[str, list[np.ndarray]]:
    """A description of the anchor, and per dimension the rows whose mean is made positive."""
    if anchor is None:
        sizes: dict[str, int] = {}
        for p in parties:
            if p:
                sizes[p] = sizes.get(p, 0) + 1
        if sizes:
            party = min(sizes, key=lambda p: (-sizes[p], p))
            rows = np.flatnonzero(np.array(parties, dtype=object) == party)
            return f"party {party} (the largest)", [rows] * dims
        return f"member {names[0]} (the first)", [np.array([0])] * dims
    anchors = [anchor] * dims if isinstance(anchor, str) else list(anchor)
    if len(anchors) == 1:
        anchors = anchors * dims
    if len(anchors) != dims:
        raise ScalingError(f"give one anchor, or one per dimension ({dims}); got {len(anchors)}")
    rows, words = [], []
    for a in anchors:
        r, word = _find_anchor(str(a), ids, names, parties, dropped)
        rows.append(r)
        words.append(word)
    return ", ".join(dict.fromkeys(words)), rows


def _find_anchor(
    anchor: str, ids: Sequence[str], names: Sequence[str], parties: Sequence[str], dropped: Dropped
) -> tuple[np.ndarray, str]:
    key = anchor.strip().casefold()
    for label, values in (("member", ids), ("member", names), ("party", parties)):
        hits = np.flatnonzero(np.array([str(v).casefold() == key for v in values], dtype=bool))
        if hits.size:
            shown = names[hits[0]] if label == "member" else parties[hits[0]]
            return hits, f"{label} {shown}"
    for member_id, name, reason in dropped.members:
        if key in (member_id.casefold(), name.casefold()):
            raise ScalingError(f"anchor {anchor!r} was dropped from the fit ({reason}); choose another member or a party")
    known = sorted({p for p in parties if p})
    hint = f" Parties: {', '.join(known)}." if known else ""
    raise ScalingError(f"no member or party called {anchor!r} to anchor the scale.{hint}")


# --------------------------------------------------------------------------- the algorithm


def _start(s: np.ndarray, dims: int) -> np.ndarray:
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


def _start_votes(s: np.ndarray, mask: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each vote's least-squares line through its ±1 votes on the start positions."""
    x1 = np.column_stack([np.ones(len(x)), x])
    k = x1.shape[1]
    h = (mask.T.astype(float) @ _outer_rows(x1)).reshape(-1, k, k) + np.eye(k) / PRIOR_VOTE_VARIANCE
    theta = _solve(h, s.T @ x1)
    return theta[:, 0].copy(), theta[:, 1:].copy()


def _fit_map(
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
    """The posterior mode by alternating steps (see the module docstring)."""
    n, d = x.shape
    m = s.shape[1]
    k = d + 1
    newton = method == "newton"
    weights = mask.astype(float)
    prior_vote = np.eye(k) / PRIOR_VOTE_VARIANCE
    prior_position = np.eye(d)
    previous = _whiten(x)
    sweeps, converged = 0, False
    while sweeps < max_iter:
        sweeps += 1
        # the votes, given the positions
        g, w = _score(s, weights, alpha, beta, x, newton, lapse)
        x1 = np.column_stack([np.ones(n), x])
        h = (w.T @ _outer_rows(x1)).reshape(m, k, k) + prior_vote
        theta = np.column_stack([alpha, beta])
        theta = theta + _cap(_solve(h, g.T @ x1 - theta / PRIOR_VOTE_VARIANCE), _VOTE_STEP)
        alpha, beta = theta[:, 0].copy(), theta[:, 1:].copy()
        # the positions, given the votes
        g, w = _score(s, weights, alpha, beta, x, newton, lapse)
        h = (w @ _outer_rows(beta)).reshape(n, d, d) + prior_position
        x = x + _cap(_solve(h, g @ beta - x), _POSITION_STEP)
        x, alpha, beta = _expand(x, alpha, beta)
        current = _whiten(x)
        change = float(np.max(np.abs(current - previous)))
        previous = current
        if not np.isfinite(change):
            break
        if change < tol:
            converged = True
            break
    return x, alpha, beta, sweeps, converged


def _score(
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
    g = np.empty(s.shape)
    w = np.empty(s.shape)
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
    """:func:`_score` for some rows, written into ``g`` and ``w``."""
    t = x @ beta.T
    t += alpha
    t *= s  # s·μ; 0 where no vote was cast
    lam, cdf = _mills_and_cdf(t)
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
    root = _sym_power(sxx, 0.5)
    inv_root = _sym_power(sxx, -0.5)
    c = inv_root @ _sym_power(root @ sbb @ root, 0.5) @ inv_root
    a = _sym_power(c, 0.5)
    return x @ a, alpha, beta @ np.linalg.inv(a).T


def _identify(
    x: np.ndarray, alpha: np.ndarray, beta: np.ndarray, anchors: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Standardise (whiten), rotate (2-D) and sign the positions; transform the votes to match.

    Returns positions, α, β and the matrix T with new = (old - mean) @ T.
    """
    centre = x.mean(axis=0)
    alpha = alpha + beta @ centre
    xc = x - centre
    cov = xc.T @ xc / len(x)
    t = _sym_power(cov, -0.5)
    if x.shape[1] > 1:
        bt = beta @ np.linalg.inv(t).T
        _, vectors = np.linalg.eigh(bt.T @ bt)
        t = t @ vectors[:, ::-1]
    signs = np.ones(x.shape[1])
    z = xc @ t
    for dim, rows in enumerate(anchors):
        if z[rows, dim].mean() < 0:
            signs[dim] = -1.0
    t = t * signs
    return xc @ t, alpha, beta @ np.linalg.inv(t).T, t


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
    _, w = _score(s, mask.astype(float), alpha, beta, x, True, lapse, exact=True)
    prior = np.linalg.inv(transform.T @ transform)
    h = (w @ _outer_rows(beta)).reshape(n, d, d) + prior
    cov = np.linalg.inv(h)
    return np.sqrt(np.einsum("idd->id", cov))


def _outer_rows(a: np.ndarray) -> np.ndarray:
    """Row i of the result is the flattened outer product of row i of ``a`` with itself."""
    return (a[:, :, None] * a[:, None, :]).reshape(len(a), -1)


def _solve(h: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve the stacked small systems ``h[i] @ out[i] = b[i]``."""
    if h.shape[1] == 1:
        return b / h[:, :, 0]
    return np.linalg.solve(h, b[:, :, None])[:, :, 0]


def _cap(step: np.ndarray, limit: float) -> np.ndarray:
    """Scale down rows of ``step`` longer than ``limit``."""
    norm = np.sqrt(np.einsum("ij,ij->i", step, step))
    factor = np.minimum(1.0, limit / np.maximum(norm, 1e-300))
    return step * factor[:, None]


def _sym_power(a: np.ndarray, p: float) -> np.ndarray:
    """A symmetric positive definite matrix to the power p."""
    values, vectors = np.linalg.eigh(a)
    values = np.maximum(values, 1e-300)
    return (vectors * values**p) @ vectors.T


def _whiten(x: np.ndarray) -> np.ndarray:
    xc = x - x.mean(axis=0)
    return xc @ _sym_power(xc.T @ xc / len(x), -0.5)


# --------------------------------------------------------------------------- bootstrap


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
    """Parametric bootstrap of a fit (see the module docstring); ``n_jobs`` processes."""
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
    x, alpha, beta, _, converged = _fit_map(
        s, state["mask"], x0.copy(), state["alpha"].copy(), state["beta"].copy(),
        method=state["method"], lapse=state["lapse"], tol=state["tol"], max_iter=state["max_iter"],
    )
    centre = x.mean(axis=0)
    alpha = alpha + beta @ centre
    t = _sym_power((x - centre).T @ (x - centre) / len(x), -0.5)
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


WORKER_STATE: dict = {}


def set_worker_state(state: dict) -> None:
    WORKER_STATE.clear()
    WORKER_STATE.update(state)


def _replicate(seed: np.random.SeedSequence) -> tuple[np.ndarray, np.ndarray, bool]:
    rng = np.random.default_rng(seed)
    s = replicate_votes(rng, WORKER_STATE)
    x, alpha, beta, converged = refit(s, WORKER_STATE)
    return x, cut_points(alpha, beta), converged


def parallel_map(func, items: Sequence, *, n_jobs: int = 1, initializer=None, initargs: tuple = ()) -> list:
    """``[func(item) for item in items]``, in ``n_jobs`` processes when above 1 (order kept).

    ``initializer(*initargs)`` runs once in each process (or here, when ``n_jobs`` is 1)
    so that large shared inputs are sent once per process, not once per item. Processes
    start the platform's default way (fork on Linux before Python 3.14): where that is
    not fork, a script calling this needs the ``if __name__ == "__main__":`` guard.
    """
    if n_jobs < 1:
        raise ScalingError(f"n_jobs must be at least 1, not {n_jobs}")
    if n_jobs == 1 or len(items) < 2:
        if initializer is not None:
            initializer(*initargs)
        return [func(item) for item in items]
    chunk = max(1, len(items) // (4 * n_jobs))
    with ProcessPoolExecutor(max_workers=n_jobs, initializer=initializer, initargs=initargs) as pool:
        return list(pool.map(func, items, chunksize=chunk))


def _percentile(a: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = np.nanquantile(a, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return lo, hi


def _nan_std(a: np.ndarray) -> np.ndarray:
    finite = np.where(np.isfinite(a), a, np.nan)
    return np.nanstd(finite, axis=0, ddof=1)
