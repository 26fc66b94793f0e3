"""The counting engine's fast paths against plain counts written here.

Large profiles take paths small ones do not (merging judged from a sample, several
packed keys per ballot, byte-sized candidate rows, weights summed as base plus
exceptions, ballots filled block by block); each is forced on small inputs by
shrinking its threshold, and checked against a count that follows the definitions.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from tellers import Profile, rules
from tellers.ballots import merge, pairwise
from tellers.ballots.ranks import UNRANKED, ranks_from_order_array
from tellers.ballots.rules.scoring import place_tally
from tellers.ballots.weights import WeightSums
from tellers.errors import ProfileError


def random_ranks(rng: np.random.Generator, n: int, m: int, *, ties: bool = True, distinct: int | None = None) -> np.ndarray:
    """Dense rank rows: levels 0..L-1 with ties and unranked candidates, drawn from ``distinct`` patterns."""
    pool = distinct or n
    levels = rng.integers(0, m, size=(pool, m)) if ties else np.argsort(rng.random((pool, m)), axis=1)
    if ties:
        levels[rng.random((pool, m)) < 0.2] = UNRANKED
    ranks = merge.densify(levels.astype(np.int16))
    return ranks[rng.integers(0, pool, n)] if distinct else ranks


def brute_support(ranks: np.ndarray, weights: np.ndarray) -> np.ndarray:
    m = ranks.shape[1]
    return np.array([[float(weights[ranks[:, a] < ranks[:, b]].sum()) for b in range(m)] for a in range(m)])


def ballot_weights(ranks: np.ndarray, weights: np.ndarray) -> Counter:
    totals: Counter = Counter()
    for row, w in zip(map(tuple, ranks.tolist()), weights.tolist()):
        totals[row] += w
    return totals


@pytest.mark.parametrize("m", [3, 13, 15, 16, 20, 40, 64])
def test_merging_by_packed_keys_sums_each_ballots_weight(m):
    rng = np.random.default_rng(m)
    ranks = random_ranks(rng, 500, m, distinct=60)
    for weights in (np.ones(500), rng.integers(1, 5, 500).astype(float), rng.random(500)):
        merged, summed, distinct = merge.merge_ballots(ranks, weights, dense=True)
        assert distinct
        assert len(merged) == len({tuple(r) for r in ranks.tolist()})
        expected = ballot_weights(ranks, weights)
        got = ballot_weights(merged, summed)
        assert got.keys() == expected.keys()
        assert all(got[k] == pytest.approx(expected[k], rel=1e-12) for k in expected)


@pytest.mark.parametrize("m", [5, 13, 20, 64])
def test_keys_give_back_the_ballots(m):
    ranks = random_ranks(np.random.default_rng(1), 300, m)
    keys = merge.pack_keys(ranks, block=64)
    assert keys.shape == (-(-m // (63 // m.bit_length())), 300)
    assert np.array_equal(merge.unpack_keys(keys, m), ranks)


def test_more_than_64_candidates_merge_by_rows():
    ranks = random_ranks(np.random.default_rng(2), 200, 70, distinct=20)
    merged, summed, distinct = merge.merge_ballots(ranks, np.ones(200), dense=True)
    assert distinct and len(merged) == len({tuple(r) for r in ranks.tolist()}) and summed.sum() == 200


def test_a_large_profile_of_distinct_ballots_is_not_merged(monkeypatch):
    monkeypatch.setattr(merge, "SAMPLE", 64)
    rng = np.random.default_rng(3)
    orders = np.argsort(rng.random((2000, 13)), axis=1)  # 2,000 random orders of 13: all distinct
    unmerged = Profile.from_rankings(orders)
    assert not unmerged.merged and unmerged.num_ballots == 2000
    assert "2000 ballots" in repr(unmerged)
    monkeypatch.setattr(merge, "SAMPLE", 10_000)
    whole = Profile.from_rankings(orders)
    assert whole.merged and whole.num_ballots == 2000
    assert np.array_equal(unmerged.margins, whole.margins)
    for rule in ("plurality", "irv", "borda", "schulze"):
        assert rules.run(rule, unmerged).winners == rules.run(rule, whole).winners


def test_a_large_profile_of_repeated_ballots_is_merged(monkeypatch):
    monkeypatch.setattr(merge, "SAMPLE", 64)
    ranks = random_ranks(np.random.default_rng(4), 2000, 13, distinct=900)  # most ballots about twice
    assert merge.merge_pays(ranks)
    profile = Profile(ranks, np.ones(2000), [f"c{i}" for i in range(13)])
    assert profile.merged and profile.num_ballots == len({tuple(r) for r in ranks.tolist()})
    assert np.array_equal(profile.support, brute_support(ranks, np.ones(2000)))


def test_merge_pays_estimate_follows_the_pairs_of_equal_ballots(monkeypatch):
    monkeypatch.setattr(merge, "SAMPLE", 1024)
    rng = np.random.default_rng(5)
    distinct = np.argsort(rng.random((8192, 9)), axis=1).astype(np.int16)
    assert not merge.merge_pays(distinct)
    assert merge.merge_pays(np.repeat(distinct[:4096], 2, axis=0))  # every ballot twice: n/2 equal pairs


def test_candidate_rows_keep_the_order_in_one_byte():
    ranks = random_ranks(np.random.default_rng(6), 400, 9)
    cols = pairwise.by_candidate(ranks, dense=True)
    assert cols.dtype == np.uint8 and cols.flags.c_contiguous
    for a in range(9):
        for b in range(9):
            assert np.array_equal(cols[a] < cols[b], ranks[:, a] < ranks[:, b])
    assert set(np.unique(cols[ranks.T == UNRANKED])) == {255}


def test_candidate_rows_stay_int16_where_levels_do_not_fit_a_byte():
    sparse = np.array([[0, 300, UNRANKED], [300, 0, 1]], dtype=np.int16)  # levels not renumbered
    assert pairwise.by_candidate(sparse).dtype == np.int16
    assert np.array_equal(pairwise.by_candidate(sparse), sparse.T)
    wide = np.tile(np.arange(300, dtype=np.int16), (2, 1))
    assert pairwise.by_candidate(wide, dense=True).dtype == np.int16


@pytest.mark.parametrize("kind", ["ones", "counts", "heavy", "shares"])
@pytest.mark.parametrize("ties", [True, False])
def test_pairwise_support_equals_the_plain_count(monkeypatch, kind, ties):
    monkeypatch.setattr(pairwise, "BLOCK", 512)
    monkeypatch.setattr(pairwise, "SMALL", 0)  # every path past the one-step count
    rng = np.random.default_rng(7)
    n, m = 3000, 8
    ranks = random_ranks(rng, n, m, ties=ties)
    weights = {
        "ones": np.ones(n),
        "counts": np.where(rng.random(n) < 0.05, rng.integers(2, 9, n), 1).astype(float),
        "heavy": rng.integers(1, 10**6, n).astype(float),
        "shares": rng.random(n),
    }[kind]
    cols = pairwise.by_candidate(ranks, dense=True)
    expected = brute_support(ranks, weights)
    got = pairwise.pairwise_support(cols, weights, strict=not ties)
    if kind == "shares":
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    else:
        assert np.array_equal(got, expected)


def test_strict_complete_profiles_are_recognised():
    orders = np.argsort(np.random.default_rng(8).random((50, 6)), axis=1)
    assert Profile.from_rankings(orders).is_strict_complete
    assert not Profile.from_rankings([[0, 1], [(0, 1)]], candidates=["a", "b"]).is_strict_complete
    assert not Profile.from_rankings([[0, 1, 2], [1]], candidates=["a", "b", "c"]).is_strict_complete


def test_weight_sums_equal_the_masked_sum():
    rng = np.random.default_rng(9)
    mask = rng.random(1000) < 0.4
    mostly_ones = np.where(rng.random(1000) < 0.03, 2.5, 1.0)
    for weights in (mostly_ones, rng.random(1000), np.full(1000, 3.0)):
        sums = WeightSums(weights)
        assert sums.total(mask) == pytest.approx(float(weights[mask].sum()), rel=1e-12)
    assert not WeightSums(mostly_ones).direct and WeightSums(rng.random(1000)).direct


def brute_top_tally(ranks: np.ndarray, weights: np.ndarray, active: np.ndarray) -> tuple[np.ndarray, float]:
    tallies, exhausted = np.zeros(ranks.shape[1]), 0.0
    for row, w in zip(ranks, weights):
        levels = [row[c] for c in np.flatnonzero(active) if row[c] != UNRANKED]
        if not levels:
            exhausted += w
            continue
        tops = [c for c in np.flatnonzero(active) if row[c] == min(levels)]
        for c in tops:
            tallies[c] += w / len(tops)
    return tallies, exhausted


@pytest.mark.parametrize("ties", [True, False])
def test_first_place_tallies_split_ties_and_count_the_exhausted(ties):
    rng = np.random.default_rng(10)
    ranks = random_ranks(rng, 400, 6, ties=ties)
    weights = np.where(rng.random(400) < 0.1, 3.0, 1.0)
    profile = Profile(ranks, weights, list("abcdef"))
    for active in (np.ones(6, bool), np.array([1, 0, 1, 1, 0, 1], bool)):
        tallies, exhausted = place_tally(profile, active)
        want, want_exhausted = brute_top_tally(profile.ranks, profile.weights, active)
        np.testing.assert_allclose(tallies, want, rtol=1e-12)
        assert exhausted == pytest.approx(want_exhausted)


def test_ballots_filled_in_blocks_report_the_ballot_at_fault():
    orders = np.tile(np.arange(4), (10, 1))
    assert np.array_equal(ranks_from_order_array(orders, 4, block=3), np.tile(np.arange(4, dtype=np.int16), (10, 1)))
    bad = orders.copy()
    bad[7, 2] = bad[7, 1]
    with pytest.raises(ProfileError, match="ballot 8: a candidate appears twice"):
        ranks_from_order_array(bad, 4, block=3)
    bad = orders.copy()
    bad[5, 3] = 4
    with pytest.raises(ProfileError, match="ballot 6: candidate index 4 is not in 0..3"):
        ranks_from_order_array(bad, 4, block=3)
    padded = np.array([[0, 1, -1], [2, -1, -1], [1, 2, 0], [-1, 0, -1]])
    with pytest.raises(ProfileError, match="ballot 4: -1 padding must come after"):
        ranks_from_order_array(padded, 3, block=2)


def test_ballots_differing_in_a_few_bits_of_their_keys_still_merge():
    # two of these three 64-candidate ballots are the same; a weak hash of the keys left them apart
    profile = Profile.from_rankings([[26, 11], [17, 11], [26, 11]], candidates=[f"c{i}" for i in range(64)])
    assert profile.merged and profile.num_ballots == 2 and sorted(profile.weights) == [1.0, 2.0]


def test_copeland_and_llull_count_results_whatever_the_weights():
    # scores count head-to-head results: weights of 1e9 must not make 1 and -1 "the same score"
    profile = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1]], weights=[1e9] * 4, candidates=list("abc"))
    assert rules.run("copeland", profile).winners == {"a"}
    assert rules.run("llull", profile).winners == {"a", "c"}
