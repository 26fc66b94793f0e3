"""Budgets for exponential work in the ballot engine, and counts that cannot overflow.

Ranked pairs searches every order of equal margins, pruned, up to ``MAX_STATES`` states
and then says it took candidate order; Kemeny-Young solves within a size and time budget
and otherwise says "skipped: too large"; a profile refuses a total weight that is not finite.
"""

from __future__ import annotations

import json
from unittest.mock import patch

import numpy as np
import pytest
from typer.testing import CliRunner

from tellers import Profile, rules
from tellers.ballots.rules import _lock_orders, kemeny
from tellers.ballots.rules._common import tiers
from tellers.ballots.rules.pairwise import CANDIDATE_ORDER, EVERY_ORDER
from tellers.errors import ProfileError
from tellers.views.cli import app

CYCLE = [[0, 1, 2], [1, 2, 0], [2, 0, 1]]  # a > b, b > c, c > a, each by 1


def rotations(m: int) -> Profile:
    """The m cyclic shifts of 0, 1, ..., m-1: i beats i + d by m - 2d, one Smith layer."""
    return Profile.from_rankings([[(s + j) % m for j in range(m)] for s in range(m)])


def regular_tournament(m: int) -> Profile:
    """m (odd) candidates, i beating the next (m - 1) / 2 round the circle, every margin 2
    (McGarvey: two voters per pair, agreeing on it and opposite on everything else)."""
    ballots = []
    for a in range(m):
        for d in range(1, (m + 1) // 2):
            b = (a + d) % m
            rest = [c for c in range(m) if c not in (a, b)]
            ballots += [[a, b, *rest], [*rest[::-1], a, b]]
    return Profile.from_rankings(ballots)


def candidate_order_ranked_pairs(margins: np.ndarray) -> tuple[set[int], list[int]]:
    """Ranked pairs with ties taken by (winner, loser) index: plain loops, no search."""
    m = margins.shape[0]
    pairs = sorted(((a, b) for a in range(m) for b in range(m) if margins[a, b] > 0), key=lambda p: (-margins[p], p))
    locked: set[tuple[int, int]] = set()

    def reaches(x: int, y: int) -> bool:
        todo, seen = [x], {x}
        while todo:
            u = todo.pop()
            if u == y:
                return True
            for a, b in locked:
                if a == u and b not in seen:
                    seen.add(b)
                    todo.append(b)
        return False

    for a, b in pairs:
        if not reaches(b, a):
            locked.add((a, b))
    beaten = {b for _, b in locked}
    order = sorted(range(m), key=lambda c: -sum(reaches(c, x) for x in range(m) if x != c))
    return set(range(m)) - beaten, order


# ---------------------------------------------------------------------- ranked pairs


def test_ranked_pairs_on_a_cycle_of_equal_margins_elects_all_three():
    result = rules.run("ranked_pairs", Profile.from_rankings(CYCLE))
    assert result.winners == {"0", "1", "2"}
    assert result.ranking is None
    assert result.tie_rule == EVERY_ORDER
    assert result.notes == ("orders of equal margins give different outcomes",)


def test_ranked_pairs_past_the_state_limit_names_candidate_order():
    with patch.object(_lock_orders, "MAX_STATES", 0):
        result = rules.run("ranked_pairs", Profile.from_rankings(CYCLE))
    # candidate order: 0 > 1 locked, 1 > 2 locked, 2 > 0 would close the cycle
    assert result.winners == {"0"}
    assert result.ranking == (("0",), ("1",), ("2",))
    assert result.tie_rule == CANDIDATE_ORDER
    assert result.notes == (
        "too many orders of equal margins: search stopped after 0 states; equal margins taken in candidate order",
        "other orders may elect others",
    )


def test_ranked_pairs_on_a_large_tie_stops_at_the_default_limit_and_agrees_with_plain_loops():
    profile = regular_tournament(13)  # one level of 78 pairs of margin 2: 78! orders
    assert set(profile.margins[profile.margins > 0]) == {2.0}
    result = rules.run("ranked_pairs", profile)
    assert result.tie_rule == CANDIDATE_ORDER
    assert result.notes[0] == (
        "too many orders of equal margins: search stopped after 20,000 states; equal margins taken in candidate order"
    )
    winners, order = candidate_order_ranked_pairs(profile.margins)
    assert winners == {0}
    assert result.winners == {"0"}
    assert [int(c) for (c,) in result.ranking] == order
    assert result.notes[1].startswith("other orders also elect ")


def test_ranked_pairs_search_prunes_what_enumeration_could_not_finish():
    """101 random voters over 40 candidates: many equal margins, found exactly in few states."""
    rng = np.random.default_rng(11)
    profile = Profile.from_rankings(np.array([rng.permutation(40) for _ in range(101)]))
    search = _lock_orders.lock_all_orders(profile.margins, 1e-9)
    assert search.complete
    assert search.states < 1_000
    result = rules.run("ranked_pairs", profile)
    assert result.tie_rule == EVERY_ORDER


def test_ranked_pairs_search_agrees_with_every_order_enumerated():
    """Small tie-heavy margin matrices: the winners, and whether the outcome is unique,
    against trying every order of every level."""
    from itertools import permutations, product

    rng = np.random.default_rng(5)
    for _ in range(150):
        m = int(rng.integers(2, 6))
        margins = np.triu(rng.integers(-2, 3, (m, m)) * 2.0, 1)
        margins = margins - margins.T
        levels = _lock_orders.levels_of(margins, 1e-9)
        outcomes = set()
        for orders in product(*(permutations(range(len(a))) for a, _, _ in levels)):
            locked = np.zeros((m, m), bool)
            for (a, b, _), order in zip(levels, orders):
                for i in order:
                    x, y = int(a[i]), int(b[i])
                    if not _lock_orders._closure(locked, np.array([], int), np.array([], int))[y, x]:
                        locked = _lock_orders._add(locked, x, y)
            outcomes.add(locked.tobytes())
        reaches = [np.frombuffer(o, bool).reshape(m, m) for o in outcomes]
        winners = np.any([~r.any(axis=0) for r in reaches], axis=0)
        search = _lock_orders.lock_all_orders(margins, 1e-9)
        assert search.complete
        assert np.array_equal(search.winners, winners), margins
        assert search.several == (len(outcomes) > 1), margins


# ---------------------------------------------------------------------- Kemeny-Young


def test_kemeny_skips_a_top_layer_it_cannot_solve_in_the_budget():
    profile = rotations(19)  # one Smith layer of 19 > DP_LIMIT
    result = rules.run("kemeny_young", profile, budget=0)
    assert result.winners == frozenset()
    assert result.ranking is None
    assert result.notes == (
        "skipped: too large (19 candidates in one Smith layer): the integer program (HiGHS) did not finish "
        "within the 0 s budget; a larger --budget may let it",
    )


def test_kemeny_skips_a_top_layer_over_the_size_limit_without_trying():
    with patch.object(kemeny, "ILP_LIMIT", 18):
        result = rules.run("kemeny_young", rotations(19), budget=1000)
    assert result.winners == frozenset()
    assert result.notes == (
        "skipped: too large (19 candidates in one Smith layer): exact methods here go to 18 "
        "(an integer program with 969 3-cycle constraints would be needed; it is not tried)",
    )


def test_kemeny_solves_the_same_layer_within_a_budget():
    result = rules.run("kemeny_young", rotations(19), budget=60)
    # every rotation is optimal: each candidate heads one
    assert result.winners == {str(c) for c in range(19)}
    assert result.notes[0] == "agreement of the optimal ranking: 2109"  # 1² + 2² + ... + 18²
    assert result.notes[1] == "a layer of 19 candidates was solved as an integer program (HiGHS)"


def test_kemeny_keeps_exact_winners_when_only_a_lower_layer_is_too_large():
    # candidate 0 beats everyone; below it a regular tournament of 19
    below = [[0] + [1 + (s + j) % 19 for j in range(19)] for s in range(19)]
    profile = Profile.from_rankings(below)
    result = rules.run("kemeny_young", profile, budget=0)
    assert result.winners == {"0"}
    assert result.ranking is None
    assert result.notes[0] == (
        "ranking below the top 1 not found: skipped: too large (19 candidates in one Smith layer): "
        "the integer program (HiGHS) did not finish within the 0 s budget; a larger --budget may let it"
    )
    assert result.notes[-1] == "an optimal ranking begins: 0"


def test_kemeny_orders_a_layer_of_ties_without_solving():
    profile = Profile.from_rankings([[0, 1, 2], [2, 1, 0]])  # every margin 0
    sub = np.ones((40, 40)) - np.eye(40)  # 40 candidates, every pair tied 1:1
    value, tops, order, count, method = kemeny.solve_layer(sub, 1e-9, deadline=0.0, budget=0.0)
    assert (value, len(tops), order[:3], count, method) == (780.0, 40, [0, 1, 2], 2, "")
    assert rules.run("kemeny_young", profile, budget=0).winners == {"0", "1", "2"}


def test_elect_passes_budget_to_kemeny(tmp_path):
    path = tmp_path / "tournament.soc"
    lines = [f"1: {','.join(str(1 + (s + j) % 19) for j in range(19))}" for s in range(19)]
    header = ["# NUMBER ALTERNATIVES: 19", *(f"# ALTERNATIVE NAME {c}: C{c}" for c in range(1, 20))]
    path.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["elect", str(path), "--rule", "kemeny", "--budget", "0", "--json"])
    assert result.exit_code == 0, result.output
    kemeny_result = json.loads(result.stdout)["results"]["kemeny_young"]
    assert kemeny_result["winners"] == []
    assert kemeny_result["notes"][0].startswith("skipped: too large (19 candidates in one Smith layer)")


# ---------------------------------------------------------------------- non-finite weights


def test_profile_refuses_weights_that_overflow_when_merged():
    with pytest.raises(ProfileError, match=r"total weight \(inf\) is too large to count over 2 candidates"):
        Profile.from_rankings([[0, 1], [0, 1]], [1e308, 1e308])


def test_profile_refuses_a_total_that_would_overflow_a_pairwise_sum():
    with pytest.raises(ProfileError, match=r"total weight \(1e\+306\) is too large to count over 1000 candidates"):
        Profile.from_rankings([list(range(1000))], [1e306])


def test_tiers_terminate_on_infinite_and_nan_values():
    profile = Profile.from_rankings([[0, 1, 2]])
    assert tiers(profile, np.array([np.inf, np.inf, 1.0]), 1e-9) == (("0", "1"), ("2",))
    assert tiers(profile, np.array([np.nan, 2.0, 1.0]), 1e-9) == (("1",), ("2",), ("0",))
    assert tiers(profile, np.array([np.nan, np.nan, np.nan]), 1e-9) == (("0", "1", "2"),)
