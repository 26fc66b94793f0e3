"""Cultures drawn as their definitions say: seeded chi-square tests of order frequencies,
anonymous profiles and statistics with known laws, on both paths (ballot counts over the m!
orders for few candidates, voter by voter for many), against prefsampling where it has the
same culture, and clear errors for bad parameters."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from scipy.stats import binomtest, chi2_contingency, chisquare

from tellers.ballots.simulate import cultures
from tellers.ballots.simulate import voters as by_voter
from tellers.ballots.simulate.elections import Elections, order_index, order_positions
from tellers.errors import SimulationError, TellersError

LEVEL = 1e-3
"""A seeded test fails below this p-value; the seeds are fixed, so a pass stays a pass."""


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def permutations(m: int) -> list[tuple[int, ...]]:
    """Every order, top first, in the order the orders' index counts them."""
    return list(itertools.permutations(range(m)))


def frequencies(batch: Elections) -> np.ndarray:
    """(m!,) voters casting each order, pooled over the elections."""
    types = math.factorial(batch.candidates)
    if batch.counts is not None:
        assert np.array_equal(batch.positions[0], order_positions(batch.candidates))
        return batch.counts.sum(axis=0)
    return np.bincount(order_index(batch.positions).ravel(), minlength=types)


def assert_fits(observed, probabilities) -> None:
    """Chi-square goodness of fit; cells expected below 5 pooled, impossible cells never seen."""
    observed = np.asarray(observed, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    assert observed[p == 0].sum() == 0, "an impossible outcome was drawn"
    observed, expected = observed[p > 0], p[p > 0] / p.sum() * observed.sum()
    small = expected < 5
    if small.any():
        observed = np.append(observed[~small], observed[small].sum())
        expected = np.append(expected[~small], expected[small].sum())
    assert len(observed) == 1 or chisquare(observed, expected).pvalue > LEVEL


def assert_alike(ours, theirs) -> None:
    """Two-sample chi-square: the same law behind both frequency vectors."""
    table = np.array([ours, theirs], dtype=float)
    assert chi2_contingency(table[:, table.sum(axis=0) > 0]).pvalue > LEVEL


def assert_rate(hits: int, trials: int, p: float) -> None:
    assert binomtest(int(hits), int(trials), p).pvalue > LEVEL


def top_first(votes) -> np.ndarray:
    """prefsampling's votes (candidates from the top) as positions."""
    return np.argsort(np.asarray(votes), axis=-1).astype(np.int8)


# ---------------------------------------------------------------- the registry and its errors


def test_the_registry_lists_each_culture_with_its_parameters():
    assert cultures.names() == ["impartial", "iac", "urn", "mallows", "spatial", "single_peaked"]
    assert cultures.info("Single-Peaked").defaults == {"sampler": "walsh"}
    assert cultures.info("mallows").defaults == {"phi": 0.5, "reference": None}
    phi = cultures.info("mallows").parameters[0]
    assert (phi.low, phi.high, phi.domain) == (0.0, 1.0, "in [0, 1]")
    assert cultures.info("spatial").parameters[1].choices == ("uniform", "normal")
    assert all(cultures.info(name).summary and cultures.info(name).title for name in cultures.names())
    assert cultures.check("urn", 3, 10, 2) == {"alpha": 0.1}
    assert cultures.check("mallows", 3, 10, 2, reference=[2, 0, 1]) == {"phi": 0.5, "reference": (2, 0, 1)}
    # as a command line gives them
    assert cultures.check("mallows", 3, 10, phi="0.25", reference="2,0,1") == {"phi": 0.25, "reference": (2, 0, 1)}
    assert cultures.check("spatial", 3, 10, dims="3", distribution="Normal") == {"dims": 3, "distribution": "normal"}


def test_an_unknown_culture_names_the_choices():
    with pytest.raises(SimulationError, match="unknown culture 'borda'; choose from: impartial, iac") as caught:
        cultures.info("borda")
    assert isinstance(caught.value, TellersError) and caught.value.listing == "cultures"


@pytest.mark.parametrize(("name", "sizes", "params", "says"), [
    ("impartial", (3, 10, 0), {}, "elections must be a whole number at least 1, not 0"),
    ("impartial", (1, 10, 5), {}, "candidates must be a whole number from 2 to 127, not 1"),
    ("impartial", (200, 10, 5), {}, "candidates must be a whole number from 2 to 127"),
    ("iac", (3, 0, 5), {}, "voters must be a whole number at least 1, not 0"),
    ("iac", (3, 2.5, 5), {}, "voters must be a whole number"),
    ("mallows", (3, 10, 5), {"phi": 1.5}, "mallows: phi must be in [0, 1], not 1.5"),
    ("mallows", (3, 10, 5), {"phi": -0.1}, "phi must be in [0, 1]"),
    ("mallows", (3, 10, 5), {"phi": float("nan")}, "phi must be in [0, 1]"),
    ("mallows", (3, 10, 5), {"phi": "high"}, "phi must be in [0, 1], not 'high'"),
    ("mallows", (3, 10, 5), {"reference": [0, 1, 1]}, "reference must be an order of the candidates"),
    ("mallows", (3, 10, 5), {"reference": [0, 1]}, "reference must be an order of the candidates"),
    ("urn", (3, 10, 5), {"alpha": -1}, "urn: alpha must be at least 0, not -1"),
    ("urn", (3, 10, 5), {"alpha": float("inf")}, "alpha must be at least 0"),
    ("spatial", (3, 10, 5), {"dims": 0}, "spatial: dims must be a whole number, at least 1, not 0"),
    ("spatial", (3, 10, 5), {"dims": 1.5}, "dims must be a whole number"),
    ("spatial", (3, 10, 5), {"dims": "two"}, "dims must be a whole number, at least 1, not 'two'"),
    ("spatial", (3, 10, 5), {"distribution": "cauchy"}, "distribution must be one of uniform, normal, not 'cauchy'"),
    ("single_peaked", (3, 10, 5), {"sampler": "black"}, "sampler must be one of walsh, conitzer"),
    ("impartial", (3, 10, 5), {"phi": 0.5}, "impartial: unknown parameter 'phi'; it takes no parameters"),
    ("urn", (3, 10, 5), {"beta": 1}, "urn: unknown parameter 'beta'; it takes alpha"),
])
def test_bad_parameters_are_named_with_their_valid_values(name, sizes, params, says):
    with pytest.raises(SimulationError) as caught:
        cultures.sample(name, *sizes, rng(), **params)
    assert says in str(caught.value)


@pytest.mark.parametrize("m", [3, 8])
@pytest.mark.parametrize("name", ["impartial", "iac", "urn", "mallows", "spatial", "single_peaked"])
def test_every_culture_draws_strict_rankings_reproducibly(name, m):
    batch = cultures.sample(name, m, 11, 4, rng(5))
    again = cultures.sample(name, m, 11, 4, rng(5))
    assert np.array_equal(batch.positions, again.positions)
    assert batch.counts is None or np.array_equal(batch.counts, again.counts)
    assert batch.elections == 4 and list(batch.voters) == [11] * 4
    assert batch.positions.dtype == np.int8
    assert (np.sort(batch.positions, axis=-1) == np.arange(m)).all()
    assert (batch.counts is not None) == (m <= 7)


# ---------------------------------------------------------------- impartial culture


def test_impartial_culture_counts_each_order_alike():
    assert_fits(frequencies(cultures.impartial(3, 101, 200, rng(1))), np.ones(6))
    # few voters over many orders: drawn voter by voter, then counted
    batch = cultures.impartial(6, 5, 4000, rng(2))
    assert list(batch.voters[:3]) == [5] * 3
    assert_fits(frequencies(batch), np.ones(720))


def test_impartial_culture_voter_by_voter():
    assert_fits(frequencies(Elections(by_voter.impartial(4, 500, 40, rng(3)))), np.ones(24))
    positions = cultures.impartial(8, 1000, 20, rng(4)).positions
    assert_fits(np.bincount(positions[..., 0].ravel(), minlength=8), np.ones(8))
    assert_fits(frequencies(Elections(np.argsort(np.argsort(positions[..., :4])).astype(np.int8))), np.ones(24))


# ---------------------------------------------------------------- Mallows


def mallows_law(m: int, phi: float, reference) -> np.ndarray:
    """phi^(Kendall tau distance to the reference), over every order, normalised."""
    rank = {c: i for i, c in enumerate(reference)}
    distance = [sum(rank[a] > rank[b] for a, b in itertools.combinations(order, 2)) for order in permutations(m)]
    weight = np.power(phi, np.array(distance, dtype=float))
    return weight / weight.sum()


def test_mallows_counts_follow_the_distance_from_the_reference():
    batch = cultures.mallows(3, 301, 100, rng(6), phi=0.4, reference=[2, 0, 1])
    assert_fits(frequencies(batch), mallows_law(3, 0.4, (2, 0, 1)))
    assert_fits(frequencies(cultures.mallows(4, 301, 100, rng(7), phi=0.8)), mallows_law(4, 0.8, range(4)))
    # few voters over many orders: each voter's order drawn, then counted
    assert_fits(frequencies(cultures.mallows(5, 20, 1000, rng(34), phi=0.7)), mallows_law(5, 0.7, range(5)))
    only = cultures.mallows(4, 50, 3, rng(8), phi=0.0, reference=[3, 1, 0, 2])
    assert frequencies(only)[permutations(4).index((3, 1, 0, 2))] == 150


def test_mallows_by_repeated_insertion():
    positions = by_voter.mallows(4, 500, 40, rng(9), 0.6, (1, 3, 0, 2))
    assert_fits(frequencies(Elections(positions)), mallows_law(4, 0.6, (1, 3, 0, 2)))
    assert_fits(frequencies(Elections(by_voter.mallows(3, 500, 20, rng(10), 0.0, (0, 1, 2)))), [1, 0, 0, 0, 0, 0])


def test_mallows_with_many_candidates_has_the_law_of_its_distance():
    m, phi, reference = 8, 0.7, (4, 0, 7, 1, 6, 2, 5, 3)
    positions = cultures.mallows(m, 500, 40, rng(11), phi=phi, reference=reference).positions
    # orders with k inversions: the coefficients of prod_i (1 + x + ... + x^(i-1))
    inversions = np.array([1])
    for i in range(1, m + 1):
        inversions = np.convolve(inversions, np.ones(i))
    law = inversions * phi ** np.arange(len(inversions))
    place_in_reference = np.argsort(reference)
    sequence = place_in_reference[np.argsort(positions, axis=-1)]  # reference places, top first
    distance = sum((sequence[..., :i] > sequence[..., i:i + 1]).sum(axis=-1) for i in range(m))
    assert_fits(np.bincount(distance.ravel(), minlength=len(law)), law)


def test_mallows_agrees_with_prefsampling():
    ordinal = pytest.importorskip("prefsampling.ordinal")
    reference = np.array([2, 0, 3, 1])
    theirs = top_first(ordinal.mallows(6000, 4, 0.6, central_vote=reference, seed=12))
    ours = cultures.mallows(4, 300, 20, rng(13), phi=0.6, reference=reference)
    assert_alike(frequencies(ours), frequencies(Elections(theirs[None])))


# ---------------------------------------------------------------- urn cultures


def urn_law(m: int, n: int, alpha: float) -> dict[tuple[int, ...], float]:
    """The probability of each anonymous profile (voters per order) under the urn:
    n! / asc(m!, n, alpha m!) * prod_j asc(1, c_j, alpha m!) / c_j!, asc the ascending factorial."""
    types = math.factorial(m)
    step = alpha * types

    def asc(x: float, length: int) -> float:
        return math.prod(x + t * step for t in range(length))

    law = {}
    for counts in itertools.product(range(n + 1), repeat=types):
        if sum(counts) == n:
            law[counts] = math.factorial(n) / asc(types, n) * math.prod(asc(1, c) / math.factorial(c) for c in counts)
    return law


def assert_profiles_fit(counts: np.ndarray, law: dict[tuple[int, ...], float]) -> None:
    index = {profile: i for i, profile in enumerate(law)}
    seen = np.bincount([index[tuple(row)] for row in counts.tolist()], minlength=len(law))
    assert math.isclose(sum(law.values()), 1.0)
    assert_fits(seen, list(law.values()))


@pytest.mark.parametrize("alpha", [1 / 6, 0.5, 2.0])
def test_urn_profiles_follow_the_urn_law(alpha):
    counted = cultures.urn(3, 4, 20000, rng(14), alpha=alpha)
    assert_profiles_fit(counted.counts, urn_law(3, 4, alpha))
    drawn = Elections(by_voter.urn(3, 4, 20000, rng(15), alpha)).typed()
    assert_profiles_fit(drawn.counts, urn_law(3, 4, alpha))


def test_impartial_anonymous_culture_makes_every_anonymous_profile_equally_likely():
    law = urn_law(3, 4, 1 / 6)
    assert len(law) == math.comb(9, 5) and np.allclose(list(law.values()), 1 / len(law))
    assert_profiles_fit(cultures.iac(3, 4, 20000, rng(16)).counts, law)


def test_urn_with_many_candidates_copies_earlier_voters():
    alpha, types = 0.5, math.factorial(8)
    positions = cultures.urn(8, 3, 20000, rng(17), alpha=alpha).positions
    same = (positions[:, :, None] == positions[:, None, :]).all(axis=-1)
    first = (alpha + 1 / types) / (1 + alpha)  # the second voter copies the first, or happens on its order
    assert_rate(same[:, 1, 0].sum(), 20000, first)
    # the third copies one of the two earlier (the second copying the first, or not), or is fresh
    assert_rate(same[:, 2, 0].sum(), 20000, 2 * alpha / (1 + 2 * alpha) * (1 + first) / 2 + 1 / (1 + 2 * alpha) / types)
    assert cultures.urn(8, 30, 2, rng(18), alpha=0.0).positions.shape == (2, 30, 8)


def test_urn_agrees_with_prefsampling():
    ordinal = pytest.importorskip("prefsampling.ordinal")

    def distinct(positions: np.ndarray) -> np.ndarray:
        return np.bincount([len({tuple(v) for v in election}) for election in positions.tolist()], minlength=4)

    for alpha in (1 / 6, 0.5):
        theirs = np.stack([top_first(ordinal.urn(3, 3, alpha, seed=seed)) for seed in range(3000)])
        ours = Elections(by_voter.urn(3, 3, 3000, rng(19), alpha))
        assert_alike(distinct(ours.positions), distinct(theirs))
        counted = cultures.urn(3, 3, 3000, rng(20), alpha=alpha).counts
        assert_alike(np.bincount((counted > 0).sum(axis=1), minlength=4), distinct(theirs))


# ---------------------------------------------------------------- the spatial model


@pytest.mark.parametrize(("distribution", "agree"), [("uniform", 7 / 12), ("normal", 0.5 + math.asin(1 / 3) / math.pi)])
def test_two_voters_on_a_line_agree_as_geometry_says(distribution, agree):
    # two candidates and two voters on a line agree when both lie on one side of the midpoint:
    # 1 - 2 E[F(M)(1 - F(M))] for the midpoint M, 7/12 in the unit interval, 1/2 + asin(1/3)/pi normal
    counted = cultures.spatial(2, 2, 20000, rng(21), dims=1, distribution=distribution)
    assert_rate((counted.counts == 2).any(axis=1).sum(), 20000, agree)
    distance = by_voter.spatial(2, 2, 20000, rng(22), 1, distribution)
    positions = by_voter.ranked_by_distance(distance)
    assert_rate((positions[:, 0] == positions[:, 1]).all(axis=1).sum(), 20000, agree)


@pytest.mark.parametrize("distribution", ["uniform", "normal"])
def test_on_a_line_the_middle_candidate_is_never_last(distribution):
    last = np.array(permutations(3))[:, -1]

    def lasts(dims: int) -> np.ndarray:
        counts = cultures.spatial(3, 40, 300, rng(23), dims=dims, distribution=distribution).counts
        return np.array([len(set(last[row > 0])) for row in counts])

    assert (lasts(1) <= 2).all()
    assert (lasts(2) == 3).any()  # the check can tell: in the plane any candidate can come last


@pytest.mark.parametrize("distribution", ["uniform", "normal"])
def test_spatial_distances_are_euclidean(distribution):
    # drawn as the culture documents: the candidates' points, then the voters' a dimension at a time
    shared = np.random.default_rng(33)
    draw = shared.random if distribution == "uniform" else shared.standard_normal
    candidates = draw((6, 1, 4, 3))[:, 0]
    voters = np.concatenate([draw((6, 20, 1)) for _ in range(3)], axis=-1)
    expected = np.stack([cdist(v, c, "sqeuclidean") for v, c in zip(voters, candidates)])
    assert np.allclose(by_voter.spatial(4, 20, 6, rng(33), 3, distribution), expected)
    if distribution == "uniform":
        assert 0 <= candidates.min() and voters.max() < 1


def test_ranking_by_distance_and_counting_by_type():
    for m in (3, 5):
        distance = rng(24).random((7, 50, m))
        ranked = Elections(by_voter.ranked_by_distance(distance))
        assert np.array_equal(np.argsort(ranked.positions, axis=-1), np.argsort(distance, axis=-1))
        typed = ranked.typed()
        index = [[orders_of(m).index(tuple(np.argsort(d))) for d in election] for election in distance]
        assert np.array_equal(typed.counts, np.stack([np.bincount(i, minlength=len(orders_of(m))) for i in index]))


def orders_of(m):
    return list(itertools.permutations(range(m)))


def test_spatial_agrees_with_prefsampling():
    ordinal = pytest.importorskip("prefsampling.ordinal")
    from prefsampling.core import euclidean

    def distinct(counts: np.ndarray) -> np.ndarray:
        return np.bincount((counts > 0).sum(axis=1), minlength=5)

    # prefsampling 0.1.24 seeds voters and candidates alike (the first voters then sit on the
    # candidates), so its points are drawn apart here, in the plane, where its norm (of order
    # the number of dimensions) is Euclidean
    for distribution, points in (("uniform", euclidean.cube), ("normal", euclidean.gaussian)):
        theirs = np.stack([top_first(ordinal.euclidean(
            4, 3, 2, points(4, 2, seed=2 * s), points(3, 2, seed=2 * s + 1))) for s in range(3000)])
        ours = cultures.spatial(3, 4, 3000, rng(25), dims=2, distribution=distribution)
        assert_alike(distinct(ours.counts), distinct(Elections(theirs).typed().counts))
        assert_alike(frequencies(ours), frequencies(Elections(theirs)))


# ---------------------------------------------------------------- single-peaked preferences


def single_peaked(order) -> bool:
    """No candidate ranked below two others on both sides of it on the axis."""
    place = {c: i for i, c in enumerate(order)}
    return not any(place[b] > place[a] and place[b] > place[c] for a, b, c in itertools.combinations(range(len(order)), 3))


def conitzer_law(m: int) -> np.ndarray:
    """Conitzer's process followed step by step, every path with its probability."""
    law = dict.fromkeys(permutations(m), 0.0)

    def extend(order: tuple[int, ...], p: float) -> None:
        low, high = min(order), max(order)
        sides = [c for c in (low - 1, high + 1) if 0 <= c < m]
        if not sides:
            law[order] += p
        for c in sides:
            extend(order + (c,), p / len(sides))

    for peak in range(m):
        extend((peak,), 1 / m)
    return np.array(list(law.values()))


def walsh_law(m: int) -> np.ndarray:
    law = np.array([single_peaked(order) for order in permutations(m)], dtype=float)
    assert law.sum() == 2 ** (m - 1)
    return law / law.sum()


def test_single_peaked_counts():
    assert_fits(frequencies(cultures.single_peaked(4, 201, 100, rng(26))), walsh_law(4))
    assert_fits(frequencies(cultures.single_peaked(4, 201, 100, rng(27), sampler="conitzer")), conitzer_law(4))
    assert np.allclose(cultures.single_peaked_probabilities(5, "conitzer"), conitzer_law(5))


def test_single_peaked_voter_by_voter():
    assert_fits(frequencies(Elections(by_voter.single_peaked_walsh(4, 500, 40, rng(28)))), walsh_law(4))
    assert_fits(frequencies(Elections(by_voter.single_peaked_conitzer(4, 500, 40, rng(29)))), conitzer_law(4))


@pytest.mark.parametrize("sampler", ["walsh", "conitzer"])
def test_single_peaked_with_many_candidates(sampler):
    m = 8
    positions = cultures.single_peaked(m, 500, 20, rng(30), sampler=sampler).positions
    for a, b, c in itertools.combinations(range(m), 3):
        assert not ((positions[..., b] > positions[..., a]) & (positions[..., b] > positions[..., c])).any()
    peaks = np.argmin(positions, axis=-1).ravel()
    # Walsh's peak is the one left after m - 1 fair left-or-right removals from the bottom
    law = np.ones(m) if sampler == "conitzer" else np.array([math.comb(m - 1, k) for k in range(m)])
    assert_fits(np.bincount(peaks, minlength=m), law)


@pytest.mark.parametrize("sampler", ["walsh", "conitzer"])
def test_single_peaked_agrees_with_prefsampling(sampler):
    ordinal = pytest.importorskip("prefsampling.ordinal")
    draw = ordinal.single_peaked_walsh if sampler == "walsh" else ordinal.single_peaked_conitzer
    theirs = top_first(draw(6000, 4, seed=31))
    ours = cultures.single_peaked(4, 300, 20, rng(32), sampler=sampler)
    assert_alike(frequencies(ours), frequencies(Elections(theirs[None])))
