"""Sampled completions: uniform over each ballot's completions, and what the draws say."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from scipy.stats import chisquare

from tellers.ballots.completion_rules import winners_by_rule
from tellers.ballots.completions import draw_margins, members, simulate, uniform_positions, uniform_sampler
from tellers.ballots.profile import Profile
from tellers.ballots.ranks import UNRANKED as U
from tellers.ballots.rules import run

from test_completions import extensions


@pytest.mark.parametrize("levels", [(0, 1, U, 0), (1, U, 0, U), (0, 0, 1, 1, U), (U, U, U), (0, 1, 2, U, U)])
def test_uniform_positions_are_uniform_over_the_completions(levels):
    ranks = np.array([levels], dtype=np.int16)
    pos = uniform_positions(ranks, 40_000, np.random.default_rng(7))[:, 0, :]
    allowed = extensions(ranks[0])
    seen = Counter(tuple(np.argsort(p)) for p in pos)  # best first, as ``extensions`` lists them
    assert set(seen) == set(allowed)  # every completion drawn, and nothing else
    observed = [seen[o] for o in allowed]
    assert chisquare(observed).pvalue > 0.001


def _positions(rng: np.random.Generator, members: int, k: int, draws: int) -> np.ndarray:
    ranks = rng.integers(0, 2, size=(members, k)).astype(np.int16)
    ranks[rng.random((members, k)) < 0.4] = U
    return uniform_positions(ranks, draws, rng)


@pytest.mark.parametrize("members, k", [(9, 5), (10, 4), (4, 3), (7, 6)])
def test_the_vectorised_rules_are_the_engines_draw_by_draw(members, k):
    rng = np.random.default_rng(members * 10 + k)
    pos = _positions(rng, members, k, 200)
    margins = draw_margins(pos)
    names = [chr(97 + c) for c in range(k)]
    for name, won in winners_by_rule(pos, margins).items():
        for d in range(len(pos)):
            engine = set(run(name, Profile(pos[d].astype(np.int16), np.ones(members), names)).winners)
            assert engine == {names[c] for c in np.flatnonzero(won[d])}, (name, d)


def test_condorcet_shares_match_exact_enumeration():
    # three members over three candidates: a > b (c unknown); b > c (a unknown); c alone Aye (a, b No)
    ranks = np.array([[0, 1, U], [U, 0, 1], [1, 1, 0]], dtype=np.int16)
    profile = Profile(ranks, np.ones(3), ["a", "b", "c"], partial=True, merged=True)
    exact = Counter()
    combos = list(itertools.product(*(extensions(r) for r in ranks)))
    for combo in combos:  # every joint completion equally likely
        m = np.zeros((3, 3))
        for order in combo:
            pos = np.argsort(order)
            m += np.sign(pos[None, :] - pos[:, None])
        winner = next((c for c in range(3) if all(m[c, y] > 0 for y in range(3) if y != c)), -1)
        exact[winner] += 1 / len(combos)
    draws = 20_000
    shares = simulate(uniform_sampler(members(profile)[0]), profile.candidates, draws, np.random.default_rng(11), model="uniform")
    se = np.sqrt(0.25 / draws)
    for c in range(3):
        assert abs(shares.condorcet[c] - exact[c]) < 4 * se, (c, shares.condorcet[c], exact[c])
    assert abs(shares.no_winner - exact[-1]) < 4 * se
    assert shares.condorcet.sum() + shares.no_winner == pytest.approx(1.0)


def test_a_seed_makes_a_study_reproducible_whatever_the_chunks():
    ranks = np.array([[0, 1, U, U], [U, 0, 1, 1], [1, U, 0, U]], dtype=np.int16)
    profile = Profile(ranks, np.array([3.0, 2.0, 4.0]), list("abcd"), partial=True, merged=True)
    runs = [simulate(uniform_sampler(members(profile)[0]), profile.candidates, 1_000, np.random.default_rng(5), model="uniform",
                     chunk=chunk) for chunk in (1_000, 1_000)]
    assert np.array_equal(runs[0].condorcet, runs[1].condorcet)
    assert np.array_equal(runs[0].margins, runs[1].margins)
    assert all(np.array_equal(runs[0].rules[r], runs[1].rules[r]) for r in runs[0].rules)


def test_the_party_model_follows_a_co_partisan_who_revealed_the_pair():
    from tellers.ballots.completions import donor_weights, party_sampler

    # party 0: member 0 ranks a over b; member 1 voted only on c; party 1: member 2 likewise only on c
    ranks = np.array([[0, 1, U], [U, U, 0], [U, U, 0]], dtype=np.int16)
    groups = np.array([0, 0, 1])
    assert donor_weights(ranks, groups).tolist() == [[0, 0, 0], [1, 0, 0], [0, 0, 0]]
    pos = party_sampler(ranks, groups)(20_000, np.random.default_rng(2))
    assert np.all(pos[:, 0, 0] < pos[:, 0, 1])  # their own vote
    assert np.all(pos[:, 1, 0] < pos[:, 1, 1])  # as their co-partisan revealed it
    share = np.mean(pos[:, 2, 0] < pos[:, 2, 1])  # no co-partisan: uniform
    assert abs(share - 0.5) < 4 * np.sqrt(0.25 / 20_000)
    for row in range(3):  # every draw a strict ranking
        assert np.array_equal(np.sort(pos[:, row, :], axis=1), np.tile(np.arange(3), (20_000, 1)))


def test_the_party_model_keeps_each_members_own_votes():
    from tellers.ballots.completions import party_sampler

    rng = np.random.default_rng(4)
    ranks = rng.integers(0, 2, size=(40, 5)).astype(np.int16)
    ranks[rng.random((40, 5)) < 0.4] = U
    pos = party_sampler(ranks, rng.integers(0, 3, size=40))(500, rng)
    above = (ranks[:, :, None] < ranks[:, None, :]) & (ranks[:, :, None] != U) & (ranks[:, None, :] != U)
    m, x, y = np.nonzero(above)
    assert np.all(pos[:, m, x] < pos[:, m, y])
