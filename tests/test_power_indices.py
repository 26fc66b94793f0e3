"""Power indices, fast: Banzhaf by the weight count in machine words and in big integers,
Shapley-Shubik in floating point within its stated error bound, and `tellers power --exact/--float`."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from typer.testing import CliRunner

from test_coalitions import EEC, brute_force, small_games
from tellers.parliament.coalitions import WeightedGame, power_indices
from tellers.parliament.coalitions.games import GameError
from tellers.parliament.coalitions.games import _Counts, exact_by_default, reduced
from tellers.parliament.coalitions.multilinear import (
    RULE_ERROR, UNIT_ROUNDOFF, gauss_legendre, node_count, shapley_shubik_float,
)
from tellers.parliament.coalitions.swings import swing_counts
from tellers.views.cli import app

runner = CliRunner()


def game_of(weights, quota=None) -> WeightedGame:
    weights = tuple(int(w) for w in weights)
    return WeightedGame(tuple(f"p{i}" for i in range(len(weights))), weights, quota or sum(weights) // 2 + 1)


def random_game(seed: int, n: int, heaviest: int) -> WeightedGame:
    return game_of(np.random.default_rng(seed).integers(1, heaviest + 1, n))


def relative_errors(fast, exact) -> list[float]:
    return [abs(fast.shapley_shubik[p] / float(v) - 1) for p, v in exact.shapley_shubik.items() if v]


# ---------------------------------------------------------------------- small games against brute force


@settings(max_examples=200, deadline=None)
@given(small_games(max_players=8, max_weight=12))
def test_both_paths_agree_with_brute_force(game):
    weights, quota = game
    g = game_of(weights, quota)
    ss, swings = brute_force(weights, quota)
    exact, fast = power_indices(g, exact=True), power_indices(g, exact=False)
    assert exact.shapley_shubik_exact and not fast.shapley_shubik_exact
    assert [exact.shapley_shubik[p] for p in g.players] == ss
    assert list(exact.swings.values()) == list(fast.swings.values()) == swings
    assert exact.banzhaf == fast.banzhaf and exact.banzhaf_absolute == fast.banzhaf_absolute
    assert fast.shapley_shubik_error < 1e-12
    for p, v in zip(g.players, ss):
        if v == 0:
            assert fast.shapley_shubik[p] == 0  # a dummy is exactly powerless in both
        else:
            assert abs(fast.shapley_shubik[p] / float(v) - 1) <= fast.shapley_shubik_error
    assert sum(exact.shapley_shubik.values()) == 1 and sum(exact.banzhaf.values()) == 1
    assert abs(sum(fast.shapley_shubik.values()) - 1) <= len(weights) * fast.shapley_shubik_error


def test_the_eec_in_floating_point():
    p = power_indices(WeightedGame.from_weights(EEC, quota=12), exact=False)
    assert p.shapley_shubik["France"] == pytest.approx(14 / 60, rel=1e-14)
    assert p.shapley_shubik["Luxembourg"] == 0.0
    assert p.banzhaf["Belgium"] == Fraction(3, 21)


# ---------------------------------------------------------------------- medium games: float against exact


@pytest.mark.parametrize(("seed", "n", "heaviest"), [(1, 150, 40), (2, 90, 300), (3, 120, 3)])
def test_float_shapley_shubik_within_its_bound_of_the_fractions(seed, n, heaviest):
    g = random_game(seed, n, heaviest)
    exact, fast = power_indices(g, exact=True), power_indices(g, exact=False)
    assert fast.banzhaf == exact.banzhaf
    errors = relative_errors(fast, exact)
    assert max(errors) <= fast.shapley_shubik_error < 1e-9
    assert max(errors) < 1e-12  # what it measures, far inside the bound
    assert abs(sum(fast.shapley_shubik.values()) - 1) < 1e-12


def test_a_quota_off_the_middle_and_zero_weights():
    weights = [0, 0, *np.random.default_rng(4).integers(1, 20, 80).tolist()]
    g = game_of(weights, quota=int(sum(weights) * 0.8))
    exact, fast = power_indices(g, exact=True), power_indices(g, exact=False)
    assert fast.shapley_shubik["p0"] == 0 and exact.swings["p0"] == 0
    assert max(relative_errors(fast, exact)) <= fast.shapley_shubik_error


def test_the_rule_integrates_every_order_weight():
    """Sum over nodes of p^k (1-p)^(n-1-k) is k! (n-1-k)! / n! within the stated accuracy."""
    for n in (7, 60, 200):
        x, omega = gauss_legendre(node_count(n))
        p = (1 + x) / 2
        for k in range(n):
            exact = Fraction(math.factorial(k) * math.factorial(n - 1 - k), math.factorial(n))
            rule = float((omega * p**k * (1 - p) ** (n - 1 - k)).sum())
            assert abs(rule / float(exact) - 1) <= RULE_ERROR + 4 * n * UNIT_ROUNDOFF


# ---------------------------------------------------------------------- Banzhaf: machine words and big integers


@settings(max_examples=80, deadline=None)
@given(small_games(max_players=14, max_weight=40))
def test_swings_in_digits_and_by_recurrence_equal_the_size_table(game):
    weights, quota = game
    counts = _Counts(weights, quota)
    counts.dtype = object  # the Python-integer table
    table = {w: int(counts.swings_by_size(w).sum()) for w in counts.types}
    assert swing_counts(weights, quota, method="digits") == swing_counts(weights, quota, method="recurrence") == table


@pytest.mark.parametrize(("n", "heaviest"), [(100, 30), (400, 4), (700, 2)])
def test_swings_of_large_games_agree_between_methods(n, heaviest):
    g = random_game(n, n, heaviest)
    weights, quota = reduced(g)
    digits = swing_counts(weights, quota, method="digits")
    assert digits == swing_counts(weights, quota, method="recurrence")
    assert max(digits.values()) > 2**64  # beyond one machine word
    if n == 100:
        exact = power_indices(g, exact=True)  # the size-by-weight table's own swings, in big integers
        assert exact.swings == {p: digits[w] for p, w in zip(g.players, weights)}


def test_members_of_weight_one_have_the_binomial_swings():
    n, quota = 650, 326
    assert swing_counts([1] * n, quota) == {1: math.comb(n - 1, quota - 1)}


def test_weights_with_a_common_factor_are_reduced():
    g, h = game_of([6, 4, 4, 2], quota=9), game_of([3, 2, 2, 1], quota=5)
    assert reduced(g) == ((3, 2, 2, 1), 5)
    assert power_indices(g).shapley_shubik == power_indices(h).shapley_shubik


def test_which_games_get_fractions_by_default():
    assert exact_by_default((4, 4, 4, 2, 2, 1), 12)
    assert exact_by_default((1,) * 639, 320)  # one distinct weight
    assert not exact_by_default((1, 2) * 40, 61)
    assert not power_indices(random_game(5, 100, 10)).shapley_shubik_exact


def test_float_values_for_each_weight_are_shared():
    values, bounds = shapley_shubik_float([3, 3, 1, 1, 1, 5], 8)
    assert set(values) == set(bounds) == {1, 3, 5}


# ---------------------------------------------------------------------- the command line


def test_cli_exact_and_float():
    weights = ",".join(f"P{i}={w}" for i, w in enumerate(np.random.default_rng(6).integers(1, 9, 70)))
    docs = {}
    for flag in ("--exact", "--float", None):
        result = runner.invoke(app, ["power", "--weights", weights, "--json", *([flag] if flag else [])])
        assert result.exit_code == 0, result.output
        docs[flag] = json.loads(result.stdout)
    exact, fast = docs["--exact"], docs["--float"]
    assert exact["shapley_shubik_exact"] and exact["shapley_shubik_error"] == 0
    assert Fraction(exact["exact"]["shapley_shubik"]["P0"]) == pytest.approx(exact["shapley_shubik"]["P0"])
    assert not fast["shapley_shubik_exact"] and 0 < fast["shapley_shubik_error"] < 1e-9
    assert "shapley_shubik" not in fast["exact"] and fast["exact"]["banzhaf"] == exact["exact"]["banzhaf"]
    for p, v in exact["shapley_shubik"].items():
        assert fast["shapley_shubik"][p] == pytest.approx(v, rel=1e-12)
    assert docs[None]["shapley_shubik_exact"] is False  # 70 players of 8 weights: floats by default


def test_cli_float_table_says_so():
    result = runner.invoke(app, ["power", "--quota", "12", "--weights", "A=4,B=4,C=4,D=2,E=2,F=1", "--float"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Shapley-Shubik in floating point" in text and "--exact" in text
    assert "23.3%" in text and "(5/21)" in text  # Banzhaf still as a fraction


def test_a_quota_too_large_to_count_by_weight_is_refused_with_the_fix():
    game = WeightedGame(("a", "b", "c"), (2, 10**9, 10**9 - 1), 10**9 + 1)
    with pytest.raises(GameError, match=r"the quota 1,000,000,001 is too large to count coalitions by weight .* scale the weights down"):
        power_indices(game)
    # the same game in whole thousands is counted (the weights' common divisor is taken out)
    assert power_indices(WeightedGame(("a", "b"), (3 * 10**6, 10**9), 10**9)).banzhaf == {"a": 0, "b": 1}
