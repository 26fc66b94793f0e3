"""Exact bounds over the completions of partial profiles, against brute-force enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tellers.ballots.completions import completion_bounds, voters
from tellers.ballots.profile import Profile
from tellers.ballots.ranks import UNRANKED


def extensions(levels: np.ndarray) -> list[tuple[int, ...]]:
    """Every strict ranking (best first) that keeps each ranked candidate above the lower levels."""
    k = len(levels)
    out = []
    for order in itertools.permutations(range(k)):
        position = {c: i for i, c in enumerate(order)}
        if all(position[a] < position[b] for a in range(k) for b in range(k)
               if levels[a] != UNRANKED and levels[b] != UNRANKED and levels[a] < levels[b]):
            out.append(order)
    return out


def brute_force(ranks: np.ndarray, weights: np.ndarray):
    """(min margins, max margins, possible winners, necessary winners) by enumerating every
    completion of every ballot at once."""
    k = ranks.shape[1]
    per_ballot = [extensions(r) for r in ranks]
    lo = np.full((k, k), np.inf)
    hi = np.full((k, k), -np.inf)
    possible, necessary = set(), set(range(k))
    for combo in itertools.product(*per_ballot):
        m = np.zeros((k, k))
        for order, w in zip(combo, weights):
            pos = np.empty(k, dtype=int)
            pos[list(order)] = np.arange(k)
            m += w * np.sign(pos[None, :] - pos[:, None])
        lo, hi = np.minimum(lo, m), np.maximum(hi, m)
        winners = {c for c in range(k) if all(m[c, y] > 0 for y in range(k) if y != c)}
        possible |= winners
        necessary &= winners
    return lo, hi, possible, necessary


def random_profile(rng: np.random.Generator, k: int, n: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Random two- or three-level ballots with unknowns; ``leader``: candidate 0 mostly on top
    (necessary winners appear); ``cycle``: rotations of one order, mostly ranked (no possible winner)."""
    if mode == "cycle":
        ranks = np.array([[(c - i) % k for c in range(k)] for i in range(n)], dtype=np.int16)
        ranks[rng.random((n, k)) < 0.1] = UNRANKED
        return ranks, np.ones(n)
    ranks = rng.integers(0 if mode == "random" else 1, 3, size=(n, k)).astype(np.int16)
    ranks[rng.random((n, k)) < (0.35 if mode == "random" else 0.1)] = UNRANKED
    if mode == "leader":
        ranks[:, 0] = 0
    return ranks, rng.integers(1, 4, size=n).astype(float)


CASES = [(k, n, seed, mode) for k, n in ((3, 8), (3, 6), (4, 4), (4, 3), (5, 2)) for seed in range(6)
         for mode in ("random", "leader", "cycle")]


@pytest.mark.parametrize("k, n, seed, mode", CASES)
def test_bounds_and_winners_equal_brute_force(k, n, seed, mode):
    rng = np.random.default_rng(seed * 100 + k * 10 + n)
    ranks, weights = random_profile(rng, k, n, mode)
    if np.prod([len(extensions(r)) for r in ranks]) > 250_000:
        pytest.skip("too many completions to enumerate")
    profile = Profile(ranks, weights, [f"c{i}" for i in range(k)], partial=True, merged=True)
    bounds = completion_bounds(profile)
    lo, hi, possible, necessary = brute_force(ranks, weights)
    off = ~np.eye(k, dtype=bool)
    assert np.array_equal(bounds.min_margin[off], lo[off])
    assert np.array_equal(bounds.max_margin[off], hi[off])
    assert set(bounds.possible_condorcet()) == possible
    assert set(bounds.necessary_condorcet()) == necessary


def test_the_cases_cover_possible_and_necessary_winners():
    """The random cases are not all trivial: some have possible but not necessary winners, some necessary."""
    seen = {"possible only": 0, "necessary": 0, "none": 0}
    for k, n, seed, mode in CASES:
        ranks, weights = random_profile(np.random.default_rng(seed * 100 + k * 10 + n), k, n, mode)
        b = completion_bounds(Profile(ranks, weights, [f"c{i}" for i in range(k)], partial=True, merged=True))
        if b.necessary_condorcet():
            seen["necessary"] += 1
        elif b.possible_condorcet():
            seen["possible only"] += 1
        else:
            seen["none"] += 1
    assert all(v > 0 for v in seen.values()), seen


def test_a_two_level_ballot_by_hand():
    # one member: Aye on a, No on b, c unknown; another: Aye on b only
    ranks = np.array([[0, 1, UNRANKED], [UNRANKED, 0, UNRANKED], [UNRANKED] * 3], dtype=np.int16)
    profile = voters(Profile(ranks, np.array([2.0, 1.0, 5.0]), ["a", "b", "c"], partial=True, merged=True))
    assert profile.weights.tolist() == [2.0, 1.0]  # the member who voted on nothing is not in the electorate
    b = completion_bounds(profile)
    assert b.fixed.tolist() == [[0, 2, 0], [0, 0, 0], [0, 0, 0]]
    assert b.min_margin.tolist() == [[0, 1, -3], [-3, 0, -3], [-3, -3, 0]]
    assert b.max_margin.tolist() == [[0, 3, 3], [-1, 0, 3], [3, 3, 0]]
    assert b.possible_condorcet() == (0, 2) and b.necessary_condorcet() == ()
