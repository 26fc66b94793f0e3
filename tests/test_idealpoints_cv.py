"""Cross-validation of withheld votes (``idealpoints.crossval``): the split, the scores, the choice of model.

The synthetic roll calls are drawn from the model itself (probit, with a known lapse rate),
seeded; the figures asserted are deterministic, so a change means the estimator or the
split changed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tellers.errors import ScalingError
from tellers.parliament.preferences.idealpoints import (
    cross_validate,
    fit_ideal_points,
    fold_labels,
    held_out_scores,
    probabilities,
)


def draw_rollcalls(n: int, m: int, lapse: float, seed: int, missing: float = 0.05) -> np.ndarray:
    """Votes (1, 0, NaN) drawn from P(Aye) = ε + (1 - 2ε)·Φ(α + βx), 1-D."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 1))
    beta = rng.uniform(0.8, 3.0, size=(m, 1)) * rng.choice([-1.0, 1.0], size=(m, 1))
    alpha = -rng.normal(size=m) * 0.8 * np.abs(beta[:, 0])
    y = (rng.random((n, m)) < probabilities(x, alpha, beta, lapse)).astype(float)
    y[rng.random((n, m)) < missing] = np.nan
    return y


@pytest.fixture(scope="module")
def lapsing():
    """60 members x 150 votes with lapses on 10% of votes (ε = 0.05), and the CV of ε = 0 and 0.05."""
    y = draw_rollcalls(60, 150, 0.05, seed=1)
    return y, cross_validate(y, lapse=0.0, seed=0), cross_validate(y, lapse=0.05, seed=0)


# ---------------------------------------------------------------------- the split


def test_fold_split_covers_each_cast_vote_exactly_once():
    rng = np.random.default_rng(3)
    cast = rng.random((37, 23)) < 0.8
    cast[4] = False  # a member with no vote
    cast[5] = False
    cast[5, :3] = True  # a member with fewer votes than folds
    labels = fold_labels(cast, 5, seed=0)
    assert labels.dtype.kind == "i"
    assert np.all(labels[~cast] == -1)
    assert np.all((labels[cast] >= 0) & (labels[cast] < 5))
    # each cast cell in exactly one fold: the folds partition the cast cells
    in_fold = np.stack([labels == k for k in range(5)])
    assert np.array_equal(in_fold.sum(axis=0), cast.astype(int))
    sizes = np.bincount(labels[cast], minlength=5)
    assert sizes.sum() == cast.sum() == 662 and sizes.max() - sizes.min() <= 1
    # stratified by member: each member's votes spread over the folds as evenly as they go
    for i in range(37):
        counts = np.bincount(labels[i][cast[i]], minlength=5)
        assert counts.max() - counts.min() <= 1
    assert np.bincount(labels[5][cast[5]], minlength=5).max() == 1
    # seeded: the same seed, the same split; another seed, another
    assert np.array_equal(labels, fold_labels(cast, 5, seed=0))
    assert not np.array_equal(labels, fold_labels(cast, 5, seed=1))


def test_cross_validation_withholds_every_scaled_vote_once(lapsing):
    y, plain, robust = lapsing
    cast = ~np.isnan(plain.y)
    assert plain.y.shape == (60, 150) and np.array_equal(plain.y, y, equal_nan=True)  # nothing dropped here
    assert int(plain.withheld.sum()) == int(cast.sum()) == 8536
    assert plain.withheld.tolist() == [1708, 1707, 1707, 1707, 1707]
    assert np.array_equal(np.isfinite(plain.predicted), cast) and np.array_equal(np.isfinite(plain.log_cast), cast)
    assert np.array_equal(plain.fold, robust.fold)  # the split does not depend on the model
    assert plain.converged.all() and robust.converged.all()
    assert plain.member_fallbacks.sum() == 0 and plain.vote_fallbacks.sum() == 0


# ---------------------------------------------------------------------- the scores


def test_scores_by_hand():
    y = np.array([[1.0, 0.0, np.nan], [0.0, 1.0, 1.0]])
    p = np.array([[0.9, 0.2, 0.5], [0.6, 0.5, 0.7]])
    labels = np.array([[0, 1, -1], [1, 0, 0]])
    withheld, correct, ll = held_out_scores(y, p, labels, 2)
    # fold 0: Aye at 0.9 (right), Aye at 0.5 (predicted No: wrong), Aye at 0.7 (right)
    # fold 1: No at 0.2 (right), No at 0.6 (predicted Aye: wrong)
    assert withheld.tolist() == [3, 2]
    assert correct.tolist() == [2, 1]
    assert ll[0] == pytest.approx(math.log(0.9) + math.log(0.5) + math.log(0.7), abs=1e-15)
    assert ll[1] == pytest.approx(math.log(0.8) + math.log(0.4), abs=1e-15)


def test_reported_figures_are_the_scores_of_the_out_of_fold_predictions(lapsing):
    _, plain, robust = lapsing
    for cv in (plain, robust):
        withheld, correct, ll = held_out_scores(cv.y, cv.predicted, cv.fold, cv.folds, cv.log_cast)
        assert np.array_equal(withheld, cv.withheld) and np.array_equal(correct, cv.correct)
        assert np.array_equal(ll, cv.log_likelihood_sum)
        # log P(vote as cast) is log p or log(1 - p), computed without losing the far tail
        cast = cv.fold >= 0
        naive = np.log(np.where(cv.y[cast] > 0.5, cv.predicted[cast], 1 - cv.predicted[cast]))
        moderate = naive > -20
        assert np.allclose(cv.log_cast[cast][moderate], naive[moderate], rtol=1e-9, atol=1e-12)
        assert np.all(cv.log_cast[cast] <= 0)
        assert cv.accuracy == correct.sum() / withheld.sum()
        assert cv.log_likelihood == pytest.approx(ll.sum() / withheld.sum(), rel=1e-12)
        assert cv.fold_accuracy == pytest.approx(correct / withheld)
        assert cv.accuracy_se == pytest.approx(np.std(correct / withheld, ddof=1) / math.sqrt(5))
        assert cv.log_likelihood_se == pytest.approx(np.std(ll / withheld, ddof=1) / math.sqrt(5))


def test_a_confident_miss_costs_its_true_log_probability(lapsing):
    # the plain model can be near-certain and wrong; log P(No) is not log(1 - P(Aye)), which loses the tail
    _, plain, _ = lapsing
    cast = plain.fold >= 0
    assert np.all(np.isfinite(plain.log_cast[cast])) and np.isfinite(plain.log_likelihood)
    no = plain.y == 0.0
    worst = np.argmin(np.where(no, plain.log_cast, 0.0))
    assert plain.log_cast.flat[worst] == pytest.approx(-33.21534, abs=1e-4)
    assert 1 - plain.predicted.flat[worst] < 1e-14
    assert abs(np.log(1 - plain.predicted.flat[worst]) - plain.log_cast.flat[worst]) > 1e-3
    assert np.nanmin(plain.log_cast) == pytest.approx(-50.39601, abs=1e-4)  # an Aye given P(Aye) = 1.3e-22


# ---------------------------------------------------------------------- the choice of model


def test_cross_validation_prefers_the_true_lapse_when_lapses_are_frequent(lapsing):
    _, plain, robust = lapsing
    dll, dll_se, dacc, _ = robust.compare(plain)
    assert robust.log_likelihood > plain.log_likelihood
    assert dll > 3 * dll_se
    assert dll == pytest.approx(0.05509, abs=1e-4)
    assert plain.log_likelihood == pytest.approx(-0.51990, abs=1e-4)
    assert robust.log_likelihood == pytest.approx(-0.46481, abs=1e-4)
    assert plain.correct.sum() == 6710 and robust.correct.sum() == 6759
    assert dacc == pytest.approx((6759 - 6710) / 8536)


def test_compare_needs_the_same_folds(lapsing):
    y, plain, _ = lapsing
    other = cross_validate(y, lapse=0.0, seed=1)
    with pytest.raises(ScalingError, match="same folds"):
        other.compare(plain)


# ---------------------------------------------------------------------- members and divisions a fold cannot fit


def test_members_and_divisions_left_without_training_votes():
    y = draw_rollcalls(30, 12, 0.0, seed=2, missing=0.0)
    y[:, 3] = 1.0
    y[7, 3] = 0.0  # a division with a single No: the fold that withholds it trains on Ayes only
    y[0, 1:] = np.nan  # a member with a single vote: it is withheld in one fold, leaving none
    cv = cross_validate(y, lapse=0.0, min_votes=1, min_minority=0.0, seed=0)
    assert cv.member_fallbacks.sum() == 1
    fold = cv.fold[0, 0]
    assert cv.member_fallbacks[fold] == 1
    # the member is placed at the centre of the scale of that fold's fit
    assert 0.0 < cv.predicted[0, 0] < 1.0
    # the division is predicted by its smoothed share of Ayes, (ayes + 1/2) / (cast + 1)
    k = cv.fold[7, 3]
    held = cv.fold[:, 3] == k
    assert cv.vote_fallbacks[k] == held.sum() and cv.vote_fallbacks.sum() == held.sum()
    train_ayes = 29 - held.sum()  # every training vote is an Aye (member 0 has no vote here)
    share = (train_ayes + 0.5) / (train_ayes + 1.0)
    assert np.all(cv.predicted[held, 3] == share)
    assert cv.log_cast[7, 3] == pytest.approx(math.log(1 - share))
    assert np.all(np.isfinite(cv.log_cast[~np.isnan(cv.y)]))


# ---------------------------------------------------------------------- reproducibility and errors


def test_reproducible_from_the_seed_whatever_the_processes():
    y = draw_rollcalls(40, 50, 0.03, seed=4)
    one = cross_validate(y, lapse=0.03, seed=7)
    again = cross_validate(y, lapse=0.03, seed=7)
    two = cross_validate(y, lapse=0.03, seed=7, n_jobs=2)
    for cv in (again, two):
        assert np.array_equal(cv.fold, one.fold)
        assert np.array_equal(cv.predicted, one.predicted, equal_nan=True)
        assert np.array_equal(cv.log_likelihood_sum, one.log_likelihood_sum)
    assert not np.array_equal(cross_validate(y, lapse=0.03, seed=8).fold, one.fold)


def test_scaled_cells_are_the_fits(lapsing):
    y, plain, _ = lapsing
    y = y.copy()
    y[:, 0] = 1.0  # unanimous: dropped by the fit, so not cross-validated either
    cv = cross_validate(y, lapse=0.0, seed=0)
    fit = fit_ideal_points(y, lapse=0.0)
    assert cv.votes == fit.votes and cv.ids == fit.ids and "0" not in cv.votes
    assert dict(cv.dropped.votes) == {"0": "unanimous"}
    assert cv.in_sample_correct == fit.correct
    assert cv.to_dict()["withheld"] == int(np.count_nonzero(~np.isnan(fit.y)))


def test_errors():
    y = draw_rollcalls(20, 10, 0.0, seed=6)
    with pytest.raises(ScalingError, match="at least 2 folds"):
        cross_validate(y, lapse=0.0, folds=1)
    with pytest.raises(ScalingError, match="lapse rate"):
        cross_validate(y, lapse=0.5)
