"""Cross-validation of withheld votes: how well a model predicts votes it was not fitted to.

:func:`cross_validate` withholds each cast vote (Aye or No) once, fits the rest with the same
model, and scores the withheld votes by the fitted probabilities. It is how the
default lapse rate was chosen (``benchmarks/study_lapse.py``).

The cells
    The members and divisions are the ones :func:`fit_ideal_points` scales with the same
    settings (``min_minority``, ``min_votes``): the drops are made once, on all the votes,
    so every model is scored on the same cells. Only cast votes (Aye or No) are withheld
    and scored; no vote is never predicted.

The folds
    Stratified by member and seeded: each member's votes are shuffled and dealt to the
    ``folds`` folds in turn (one deal running on across members), so a fold withholds
    ⌊v/k⌋ or ⌈v/k⌉ of a member's ``v`` votes and the folds' sizes differ by at most one.
    The split depends only on which cells were cast and on ``seed``, never on the model:
    two models cross-validated with the same seed are scored on the same folds, and
    :meth:`CrossValidation.compare` pairs them fold by fold.

The fits
    Each fold's training votes are the scaled matrix with that fold's votes made missing,
    fitted by :func:`fit_ideal_points` with the same ``dims``, ``lapse``, ``method``, ``tol``
    and ``max_iter`` but with no minority or vote-count threshold (``min_minority=0``,
    ``min_votes=1``): whether a division is fitted must not depend on which of its votes
    were withheld (a division with three No votes, two of them withheld, would otherwise
    be dropped exactly when its hardest votes are being scored). The fit still drops
    what it cannot place at all:

    - a member with no training vote left (a member with a single vote, or whose other
      votes all fall in divisions the fold cannot fit) is placed at the centre of the
      scale, 0 (positions are standardised; it is the prior's mean), and predicted by
      the model from there;
    - a division whose training votes are unanimous or absent is predicted as its share
      of Ayes among its training votes, smoothed by half a vote each way,
      ``(ayes + 1/2) / (cast + 1)``, the same for every model (so it favours none).

    Their withheld votes are counted (``member_fallbacks``, ``vote_fallbacks``).

The scores
    Accuracy: the share of withheld votes on the side the model favours (Aye when
    ``P(Aye) > 1/2``, else No). Log-likelihood: the mean of ``log P(vote cast)`` over
    withheld votes, computed from the side of the vote cast (``P(No)`` is
    ``probabilities`` with ``-α, -β``, not ``1 - P(Aye)``, so a confident miss costs its
    true log-probability, not ``-inf``). The overall figures pool every withheld vote;
    the standard errors are the spread of the fold figures, ``sd / √k``. Folds share
    most of their training votes, so these standard errors are a guide, not a test;
    between two models, the paired fold-by-fold differences (:meth:`CrossValidation.compare`)
    are far more precise than either model's own standard error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tellers.errors import ScalingError
from tellers.parliament.preferences.idealpoints.bootstrap import parallel_map
from tellers.parliament.preferences.idealpoints.data import DEFAULT_MIN_MINORITY, Dropped
from tellers.parliament.preferences.idealpoints.fit import Method, fit_ideal_points
from tellers.parliament.preferences.idealpoints.probit import probabilities
from tellers.records.rollcalls import MemberVotes


@dataclass(frozen=True, eq=False)
class CrossValidation:
    """A k-fold cross-validation of withheld votes for one model (see the module docstring)."""

    lapse: float
    dims: int
    seed: int
    ids: tuple[str, ...]
    """The members scaled (rows)."""
    votes: tuple[str, ...]
    """The divisions scaled (columns)."""
    y: np.ndarray
    """The votes scaled: 1.0 Aye, 0.0 No, NaN no vote."""
    fold: np.ndarray
    """Each cast vote's fold (0 .. folds - 1); -1 where no vote was cast."""
    predicted: np.ndarray
    """Out-of-fold P(Aye) of every cast vote (from the fit without its fold); NaN elsewhere."""
    log_cast: np.ndarray
    """Out-of-fold log P(vote as cast); NaN where no vote was cast."""
    withheld: np.ndarray
    """Votes withheld in each fold."""
    correct: np.ndarray
    """Withheld votes predicted correctly in each fold."""
    log_likelihood_sum: np.ndarray
    """Sum of log P(vote as cast) over each fold's withheld votes."""
    member_fallbacks: np.ndarray
    """Per fold, withheld votes of members left with no training vote (placed at 0)."""
    vote_fallbacks: np.ndarray
    """Per fold, withheld votes in divisions the fold could not fit (predicted by their Aye share)."""
    converged: np.ndarray
    """Per fold, whether the fit converged within ``max_iter`` sweeps."""
    in_sample_correct: float
    """Share of all the votes classified correctly by the fit to all of them (for comparison)."""
    dropped: Dropped
    """Members and divisions left out of every fit (the full fit's drops)."""

    @property
    def folds(self) -> int:
        return len(self.withheld)

    @property
    def fold_accuracy(self) -> np.ndarray:
        return self.correct / self.withheld

    @property
    def fold_log_likelihood(self) -> np.ndarray:
        """Mean log-likelihood per withheld vote, in each fold."""
        return self.log_likelihood_sum / self.withheld

    @property
    def accuracy(self) -> float:
        """Share of all withheld votes predicted correctly."""
        return float(self.correct.sum() / self.withheld.sum())

    @property
    def log_likelihood(self) -> float:
        """Mean log P(vote as cast) over all withheld votes."""
        return float(self.log_likelihood_sum.sum() / self.withheld.sum())

    @property
    def accuracy_se(self) -> float:
        return _se(self.fold_accuracy)

    @property
    def log_likelihood_se(self) -> float:
        return _se(self.fold_log_likelihood)

    def compare(self, other: CrossValidation) -> tuple[float, float, float, float]:
        """This model minus ``other`` on the same folds, paired fold by fold.

        Returns (log-likelihood difference, its standard error, accuracy difference, its
        standard error): the pooled differences and the spread of the folds' differences.
        """
        if self.fold.shape != other.fold.shape or not np.array_equal(self.fold, other.fold):
            raise ScalingError("the two cross-validations did not use the same folds: give both the same votes and seed")
        ll = self.fold_log_likelihood - other.fold_log_likelihood
        acc = self.fold_accuracy - other.fold_accuracy
        return (
            self.log_likelihood - other.log_likelihood, _se(ll),
            self.accuracy - other.accuracy, _se(acc),
        )

    def to_dict(self) -> dict:
        return {
            "lapse": self.lapse, "dims": self.dims, "folds": self.folds, "seed": self.seed,
            "members": len(self.ids), "votes": len(self.votes), "withheld": int(self.withheld.sum()),
            "accuracy": self.accuracy, "accuracy_se": self.accuracy_se,
            "log_likelihood": self.log_likelihood, "log_likelihood_se": self.log_likelihood_se,
            "fold_accuracy": self.fold_accuracy.tolist(), "fold_log_likelihood": self.fold_log_likelihood.tolist(),
            "member_fallbacks": int(self.member_fallbacks.sum()), "vote_fallbacks": int(self.vote_fallbacks.sum()),
            "converged": int(self.converged.sum()), "in_sample_correct": self.in_sample_correct,
        }


def cross_validate(
    votes: MemberVotes | np.ndarray,
    *,
    lapse: float,
    folds: int = 5,
    seed: int = 0,
    dims: int = 1,
    min_minority: float = DEFAULT_MIN_MINORITY,
    min_votes: int | None = None,
    method: Method = "newton",
    tol: float = 1e-6,
    max_iter: int = 1000,
    n_jobs: int = 1,
) -> CrossValidation:
    """``folds``-fold cross-validation of withheld votes for the model with ``lapse`` (see the module docstring).

    ``votes`` and the settings are those of :func:`fit_ideal_points`; the folds are drawn
    from ``seed`` and fitted in ``n_jobs`` processes (the result is the same whatever
    ``n_jobs`` is).
    """
    if folds < 2:
        raise ScalingError(f"cross-validation needs at least 2 folds, not {folds}")
    settings = {"dims": dims, "lapse": lapse, "method": method, "tol": tol, "max_iter": max_iter}
    full = fit_ideal_points(votes, min_minority=min_minority, min_votes=min_votes, **settings)
    y = full.y
    labels = fold_labels(~np.isnan(y), folds, seed)
    if np.count_nonzero(labels >= 0) < folds:
        raise ScalingError(f"{np.count_nonzero(labels >= 0)} votes cannot be split into {folds} folds")
    try:
        results = parallel_map(_fold, range(folds), n_jobs=n_jobs, initializer=_set_state,
                               initargs=({"y": y, "labels": labels, "settings": settings},))
    finally:
        _STATE.clear()
    predicted = np.full(y.shape, np.nan)
    log_cast = np.full(y.shape, np.nan)
    for k, (p, lc, *_) in enumerate(results):
        held = labels == k
        predicted[held] = p
        log_cast[held] = lc
    withheld, correct, ll = held_out_scores(y, predicted, labels, folds, log_cast)
    return CrossValidation(
        lapse=lapse, dims=dims, seed=seed, ids=full.ids, votes=full.votes, y=y, fold=labels,
        predicted=predicted, log_cast=log_cast, withheld=withheld, correct=correct, log_likelihood_sum=ll,
        member_fallbacks=np.array([r[2] for r in results]), vote_fallbacks=np.array([r[3] for r in results]),
        converged=np.array([r[4] for r in results]), in_sample_correct=full.correct, dropped=full.dropped,
    )


def fold_labels(cast: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Each cast vote's fold (0 .. folds - 1), -1 elsewhere: stratified by member, seeded.

    Each member's votes in a random order, dealt to the folds in turn; the deal runs on
    from one member to the next, so fold sizes differ by at most one.
    """
    rows, cols = np.nonzero(cast)
    key = np.random.default_rng(seed).random(rows.size)
    order = np.lexsort((key, rows))
    labels = np.full(cast.shape, -1, dtype=np.intp)
    labels[rows[order], cols[order]] = np.arange(rows.size) % folds
    return labels


def held_out_scores(
    y: np.ndarray, p: np.ndarray, labels: np.ndarray, folds: int, log_cast: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per fold: votes withheld, votes predicted correctly (Aye when ``p > 1/2``), and Σ log P(vote as cast).

    ``p`` is P(Aye) for each vote; ``log_cast`` the log-probability of the vote as cast,
    if computed more exactly than ``log(p)`` or ``log(1 - p)`` (the default).
    """
    held = labels >= 0
    aye = y[held] > 0.5
    ph = p[held]
    if log_cast is None:
        with np.errstate(divide="ignore"):
            lc = np.log(np.where(aye, ph, 1.0 - ph))
    else:
        lc = log_cast[held]
    f = labels[held]
    withheld = np.bincount(f, minlength=folds)
    correct = np.bincount(f, weights=(ph > 0.5) == aye, minlength=folds).astype(np.int64)
    return withheld, correct, np.bincount(f, weights=lc, minlength=folds)


_STATE: dict = {}


def _set_state(state: dict) -> None:
    _STATE.clear()
    _STATE.update(state)


def _fold(k: int) -> tuple[np.ndarray, np.ndarray, int, int, bool]:
    """Fit without fold ``k``; P(Aye) and log P(vote as cast) of its votes, the fallbacks, convergence."""
    y, labels, settings = _STATE["y"], _STATE["labels"], _STATE["settings"]
    n, m = y.shape
    lapse = settings["lapse"]
    held = labels == k
    train = np.where(held, np.nan, y)
    fit = fit_ideal_points(train, min_minority=0.0, min_votes=1, ids=[str(i) for i in range(n)],
                           vote_ids=[str(j) for j in range(m)], **settings)
    rows = np.array(fit.ids, dtype=np.intp)
    cols = np.array(fit.votes, dtype=np.intp)
    placed = np.zeros(n, dtype=bool)
    placed[rows] = True
    fitted = np.zeros(m, dtype=bool)
    fitted[cols] = True
    x = np.zeros((n, fit.dims))  # members with no training vote: the centre of the scale
    x[rows] = fit.positions
    aye = y > 0.5
    p = np.empty((n, m))
    lc = np.empty((n, m))
    # the divisions fitted: the model
    p_aye = probabilities(x, fit.alpha, fit.beta, lapse)
    p_cast = np.where(aye[:, cols], p_aye, probabilities(x, -fit.alpha, -fit.beta, lapse))
    with np.errstate(divide="ignore"):
        log_fitted = np.log(p_cast)
    under = p_cast == 0.0  # Φ underflows (only without a lapse rate): its log directly
    if under.any():
        from scipy.special import log_ndtr  # here, not at the top: scipy costs every command ~0.15 s to import

        s = np.where(aye[:, cols], 1.0, -1.0)
        log_fitted[under] = log_ndtr(s * (fit.alpha + x @ fit.beta.T))[under]
    p[:, cols] = p_aye
    lc[:, cols] = log_fitted
    # the divisions not fitted (unanimous or empty in training): their smoothed share of Ayes
    rest = ~fitted
    if rest.any():
        t = train[:, rest]
        share = (np.count_nonzero(t == 1.0, axis=0) + 0.5) / (np.count_nonzero(~np.isnan(t), axis=0) + 1.0)
        p[:, rest] = share
        lc[:, rest] = np.log(np.where(aye[:, rest], share, 1.0 - share))
    member_fallbacks = int(np.count_nonzero(held & ~placed[:, None] & fitted[None, :]))
    vote_fallbacks = int(np.count_nonzero(held & rest[None, :]))
    return p[held], lc[held], member_fallbacks, vote_fallbacks, bool(fit.converged)


def _se(values: np.ndarray) -> float:
    return float(np.std(values, ddof=1) / np.sqrt(len(values))) if len(values) > 1 else float("nan")
