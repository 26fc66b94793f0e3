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
stay at their end of the scale instead of being pulled to the centre. The default is
ε = 0.0075, the rate that best predicted withheld votes in the four Senates and the 2019
Commons (:mod:`.crossval`, ``benchmarks/results/lapse.md``); ``lapse=0`` fits the plain model.

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

from tellers.parliament.preferences.idealpoints.bootstrap import (
    WORKER_STATE,
    Bootstrap,
    bootstrap_ideal_points,
    default_jobs,
    parallel_map,
    refit,
    replicate_state,
    replicate_votes,
    set_worker_state,
)
from tellers.parliament.preferences.idealpoints.crossval import CrossValidation, cross_validate, fold_labels, held_out_scores
from tellers.parliament.preferences.idealpoints.data import DEFAULT_MIN_MINORITY, Dropped
from tellers.parliament.preferences.idealpoints.fit import Method, classification, fit_ideal_points
from tellers.parliament.preferences.idealpoints.probit import PRIOR_VOTE_VARIANCE, cut_points, mills_ratio, probabilities
from tellers.parliament.preferences.idealpoints.results import IdealPoints

__all__ = [
    "DEFAULT_MIN_MINORITY",
    "PRIOR_VOTE_VARIANCE",
    "WORKER_STATE",
    "Bootstrap",
    "CrossValidation",
    "Dropped",
    "IdealPoints",
    "Method",
    "bootstrap_ideal_points",
    "classification",
    "cross_validate",
    "cut_points",
    "fit_ideal_points",
    "fold_labels",
    "held_out_scores",
    "mills_ratio",
    "default_jobs",
    "parallel_map",
    "probabilities",
    "refit",
    "replicate_state",
    "replicate_votes",
    "set_worker_state",
]
