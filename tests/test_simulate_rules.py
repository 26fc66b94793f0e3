"""``simulate.rules.winners`` against the engine's rules, election by election.

Small electorates, odd and even, and counts drawn to tie on purpose, so that the rules' tie
conventions are exercised; ballots one row per voter and counted by type, per election and
shared by every election.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tellers.ballots.profile import Profile
from tellers.ballots.rules import registry
from tellers.ballots.simulate import rules as simulate_rules
from tellers.ballots.simulate.elections import Elections, order_positions, orders
from tellers.ballots.simulate.rules import APPLICABLE, VECTORISED, winners
from tellers.errors import RuleNotApplicableError, TellersError, UnknownRuleError


def strict_positions(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return np.argsort(np.argsort(rng.random(shape), axis=-1), axis=-1).astype(np.int8)


def batches(seed: int) -> list[Elections]:
    """Random batches of 2 to 6 candidates in every layout a culture gives."""
    rng = np.random.default_rng(seed)
    out = []
    for m in range(2, 7):
        types = math.factorial(m)
        for voters in (1, 2, 3, 4, 5, 8):
            per_voter = Elections(strict_positions(rng, (12, voters, m)))
            out += [per_voter, per_voter.typed()] if m <= 5 else [per_voter]
        # a few orders with equal counts: ties between candidates everywhere
        counts = np.zeros((12, types), dtype=np.int64)
        for e in range(12):
            counts[e, rng.choice(types, size=min(types, int(rng.integers(1, 5))), replace=False)] = rng.integers(1, 3)
        out.append(Elections(order_positions(m)[None], counts))
        # per-election ballot rows with counts, some rows cast by nobody
        rows = rng.integers(0, 3, size=(12, 4))
        rows[:, 0] += 1
        out.append(Elections(strict_positions(rng, (12, 4, m)), rows))
    return out


def engine_winners(name: str, elections: Elections) -> np.ndarray:
    """Each election's winners from its own profile, built from rankings best first."""
    E, m = elections.elections, elections.candidates
    names = [f"c{c}" for c in range(m)]
    won = np.zeros((E, m), dtype=bool)
    for e in range(E):
        positions = elections.positions[e if elections.positions.shape[0] > 1 else 0]
        weights = np.ones(len(positions)) if elections.counts is None else elections.counts[e]
        cast = weights > 0
        profile = Profile.from_rankings(np.argsort(positions[cast], axis=1), weights[cast], names)
        elected = registry.run(name, profile).winners
        won[e] = [c in elected for c in names]
    return won


@pytest.mark.parametrize("name", APPLICABLE)
def test_winners_are_the_engines_election_by_election(name):
    checked = 0
    for seed in range(2):
        for elections in batches([seed, APPLICABLE.index(name)]):
            won = winners(name, elections)
            expected = engine_winners(name, elections)
            bad = np.flatnonzero((won != expected).any(axis=1))
            assert bad.size == 0, (name, elections.candidates, elections.counts is None, bad[:1])
            checked += elections.elections
    assert checked > 1_000


def test_hand_counted_election_where_plurality_irv_and_borda_differ():
    # 8 A > C > B, 7 B > C > A, 5 C > B > A (orders of 3 listed lexicographically)
    assert orders(3).tolist() == [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
    counts = np.array([[0, 8, 0, 7, 0, 5], [2, 0, 2, 0, 0, 0]])  # and 2 A > B > C, 2 B > A > C
    elections = Elections(order_positions(3)[None], counts)
    A, B, C = np.eye(3, dtype=bool)
    AB = A | B
    expected = {
        "plurality": (A, AB),  # first places 8, 7, 5; then 2, 2, 0
        "irv": (B, AB),  # C out, B 7 + 5 = 12 of 20; all tied at 2
        "borda": (C, AB),  # 16, 19, 25; 6, 6, 0
        "anti_plurality": (C, AB),  # last places 12, 8, 0; 0, 0, 4
        "coombs": (C, AB),  # A out with 12 last places, then C 13 of 20
        "copeland": (C, AB),  # C beats A 12-8 and B 13-7, B beats A 12-8; A ties B 2-2
        "minimax": (C, AB),
        "black": (C, AB),  # Condorcet winner; none, so Borda
        "bucklin": (C, AB),  # no majority at first places; C 20 of 20 at second
    }
    for name, want in expected.items():
        assert winners(name, elections).tolist() == np.array(want).tolist(), name
    assert elections.margins[0].tolist() == [[0, -4, -4], [4, 0, -6], [4, 6, 0]]


def test_ballots_are_left_as_given():
    rng = np.random.default_rng(3)
    positions = np.moveaxis(strict_positions(rng, (4, 20, 9)), 2, 0).copy()
    positions = np.moveaxis(positions, 0, 2)  # not C-contiguous, as sampled completions come
    before = positions.copy()
    elections = Elections(positions)
    for name in VECTORISED:
        winners(name, elections)
    assert np.array_equal(positions, before)


def test_aliases_approval_unknown_and_empty():
    elections = Elections(strict_positions(np.random.default_rng(1), (10, 5, 4)))
    assert np.array_equal(winners("fptp", elections), winners("plurality", elections))
    assert np.array_equal(winners("AV", elections), winners("irv", elections))
    with pytest.raises(RuleNotApplicableError, match="approval"):
        winners("approval", elections)
    with pytest.raises(UnknownRuleError):
        winners("dictatorship", elections)
    with pytest.raises(TellersError, match="no voters"):
        winners("borda", Elections(order_positions(3)[None], np.zeros((2, 6), dtype=np.int64)))


def test_every_applicable_rule_is_vectorised():
    assert "approval" not in APPLICABLE
    assert set(APPLICABLE) == set(VECTORISED)


def test_kemeny_young_above_the_limit_goes_by_profile(monkeypatch):
    elections = Elections(strict_positions(np.random.default_rng(5), (30, 4, 5)))
    monkeypatch.setattr(simulate_rules, "KEMENY_LIMIT", 3)
    assert np.array_equal(winners("kemeny_young", elections), engine_winners("kemeny_young", elections))
