"""Coalitional manipulability (tellers.ballots.simulate.manipulation) against a brute force:
every multiset of ballots the coalition could cast, recounted by the engine."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tellers.ballots.profile import Profile
from tellers.ballots.rules.registry import run
from tellers.ballots.simulate.elections import Elections, order_positions
from tellers.ballots.simulate.manipulation import CHEAP, manipulable, supported

THREE = [r for r, top in CHEAP.items() if top is None or top >= 3]
ANY_M = [r for r, top in CHEAP.items() if top is None]


def engine_winners(rule: str, rows: list[tuple[int, ...]], m: int) -> frozenset[int]:
    profile = Profile.from_rankings(np.array(rows, dtype=int), candidates=[str(i) for i in range(m)])
    return frozenset(int(name) for name in run(rule, profile).winners)


def brute_force(rule: str, rows: list[tuple[int, ...]], m: int) -> bool:
    """Some c outside the sincere winners W is made the only winner by the voters ranking c
    above all of W, casting any multiset of strict rankings."""
    winners = engine_winners(rule, rows, m)
    orders = list(itertools.permutations(range(m)))
    for c in set(range(m)) - winners:
        inside = [all(r.index(c) < r.index(w) for w in winners) for r in rows]
        rest = [r for r, i in zip(rows, inside) if not i]
        for cast in itertools.combinations_with_replacement(orders, sum(inside)):
            if engine_winners(rule, rest + list(cast), m) == {c}:
                return True
    return False


def as_elections(profiles: list[list[tuple[int, ...]]]) -> Elections:
    """One voter per row: positions (E, V, m)."""
    return Elections(np.array([[np.argsort(r) for r in rows] for rows in profiles], dtype=np.int8))


def module_answers(rule: str, profiles: list[list[tuple[int, ...]]], m: int) -> np.ndarray:
    winners = np.zeros((len(profiles), m), dtype=bool)
    for e, rows in enumerate(profiles):
        winners[e, list(engine_winners(rule, rows, m))] = True
    elections = as_elections(profiles)
    answer = manipulable(rule, elections, winners)
    typed = manipulable(rule, elections.typed(), winners)  # the same elections counted by order type
    assert np.array_equal(answer, typed)
    return answer


def random_profiles(seed: int, m: int, voters: int, count: int) -> list[list[tuple[int, ...]]]:
    rng = np.random.default_rng(seed)
    return [[tuple(int(c) for c in rng.permutation(m)) for _ in range(voters)] for _ in range(count)]


@pytest.mark.parametrize("rule", THREE)
@pytest.mark.parametrize("voters", [3, 4, 5, 6, 7])
def test_three_candidates_against_brute_force(rule: str, voters: int) -> None:
    profiles = random_profiles(1000 * voters + THREE.index(rule), 3, voters, 30)
    answer = module_answers(rule, profiles, 3)
    expected = [brute_force(rule, rows, 3) for rows in profiles]
    assert answer.tolist() == expected


@pytest.mark.parametrize("rule", ANY_M)
@pytest.mark.parametrize("voters", [3, 4])
def test_four_candidates_against_brute_force(rule: str, voters: int) -> None:
    profiles = random_profiles(77 * voters + ANY_M.index(rule), 4, voters, 15)
    answer = module_answers(rule, profiles, 4)
    expected = [brute_force(rule, rows, 4) for rows in profiles]
    assert answer.tolist() == expected
