"""Weighted games and power indices: known games exactly, random games against brute force,
the quota of a real house, and `tellers power`."""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tellers.parliament.cases import case_from_records, load_case
from tellers.views.cli import app
from tellers.parliament.coalitions import (
    GameError,
    WeightedGame,
    count_house,
    minimal_winning_coalitions,
    power_indices,
)
from tellers.parliament.coalitions import games
from tellers.records.readers import load_records

runner = CliRunner()

EEC = {"France": 4, "Germany": 4, "Italy": 4, "Belgium": 2, "Netherlands": 2, "Luxembourg": 1}


# ---------------------------------------------------------------------- brute force, independently


def brute_force(weights: list[int], quota: int) -> tuple[list[Fraction], list[int]]:
    """Shapley-Shubik by walking every order of the players; swings by every coalition."""
    n = len(weights)
    pivots = [0] * n
    orders = 0
    for order in itertools.permutations(range(n)):
        orders += 1
        total = 0
        for player in order:
            total += weights[player]
            if total >= quota:
                pivots[player] += 1
                break
    swings = [0] * n
    for mask in range(1 << n):
        weight = sum(w for i, w in enumerate(weights) if mask >> i & 1)
        for i in range(n):
            if not mask >> i & 1 and weight < quota <= weight + weights[i]:
                swings[i] += 1
    return [Fraction(p, orders) for p in pivots], swings


# ---------------------------------------------------------------------- known games


def test_eec_council_1958_is_exact():
    p = power_indices(WeightedGame.from_weights(EEC, quota=12))
    assert list(p.shapley_shubik.values()) == [Fraction(14, 60)] * 3 + [Fraction(9, 60)] * 2 + [Fraction(0)]
    assert list(p.banzhaf.values()) == [Fraction(5, 21)] * 3 + [Fraction(3, 21)] * 2 + [Fraction(0)]
    assert list(p.banzhaf_absolute.values()) == [Fraction(10, 32)] * 3 + [Fraction(6, 32)] * 2 + [Fraction(0)]
    assert p.swings == {"France": 10, "Germany": 10, "Italy": 10, "Belgium": 6, "Netherlands": 6, "Luxembourg": 0}


def test_eec_minimal_winning_coalitions():
    mwc = minimal_winning_coalitions(WeightedGame.from_weights(EEC, quota=12))
    assert sorted(map(frozenset, mwc), key=sorted) == sorted(
        map(frozenset, [
            {"France", "Germany", "Italy"},
            {"France", "Germany", "Belgium", "Netherlands"},
            {"France", "Italy", "Belgium", "Netherlands"},
            {"Germany", "Italy", "Belgium", "Netherlands"},
        ]),
        key=sorted,
    )


def test_650_members_of_weight_one_exactly():
    n, quota = 650, 320
    p = power_indices(WeightedGame(tuple(f"m{i}" for i in range(n)), (1,) * n, quota))
    assert set(p.shapley_shubik.values()) == {Fraction(1, n)}
    # a member swings exactly the coalitions of 319 of the other 649
    assert set(p.swings.values()) == {math.comb(n - 1, quota - 1)}
    assert set(p.banzhaf_absolute.values()) == {Fraction(math.comb(n - 1, quota - 1), 2 ** (n - 1))}


def test_a_dictator_and_dummies():
    p = power_indices(WeightedGame.from_weights({"A": 6, "B": 2, "C": 1, "D": 0}, quota=6))
    assert p.shapley_shubik == {"A": 1, "B": 0, "C": 0, "D": 0}
    assert p.banzhaf == {"A": 1, "B": 0, "C": 0, "D": 0}


@pytest.mark.parametrize(
    ("weights", "quota", "problem"),
    [({"A": 1, "B": 2}, 4, "between 1 and the total weight 3"), ({"A": 1}, 0, "between 1"),
     ({"A": -1, "B": 3}, 2, "whole number >= 0"), ({"A": 1.5}, 1, "whole number")],
)
def test_bad_games_are_clear_errors(weights, quota, problem):
    with pytest.raises(GameError, match=problem):
        WeightedGame.from_weights(weights, quota)


# ---------------------------------------------------------------------- random games against brute force


@st.composite
def small_games(draw, max_players=7, max_weight=9):
    weights = draw(st.lists(st.integers(0, max_weight), min_size=1, max_size=max_players))
    total = sum(weights)
    if total == 0:
        weights[0] = 1
        total = 1
    quota = draw(st.integers(1, total))
    return weights, quota


@settings(max_examples=150, deadline=None)
@given(small_games())
def test_random_games_agree_with_brute_force(game):
    weights, quota = game
    players = tuple(f"p{i}" for i in range(len(weights)))
    p = power_indices(WeightedGame(players, tuple(weights), quota))
    ss, swings = brute_force(weights, quota)
    assert [p.shapley_shubik[x] for x in players] == ss
    assert [p.swings[x] for x in players] == swings
    total = sum(swings)
    assert [p.banzhaf[x] for x in players] == [Fraction(s, total) for s in swings]
    assert [p.banzhaf_absolute[x] for x in players] == [Fraction(s, 2 ** (len(weights) - 1)) for s in swings]
    assert sum(p.shapley_shubik.values()) == 1


@settings(max_examples=60, deadline=None)
@given(small_games(max_players=9))
def test_minimal_winning_coalitions_agree_with_brute_force(game):
    weights, quota = game
    g = WeightedGame(tuple(f"p{i}" for i in range(len(weights))), tuple(weights), quota)
    expected = set()
    for mask in range(1 << len(weights)):
        members = [i for i in range(len(weights)) if mask >> i & 1]
        total = sum(weights[i] for i in members)
        if total >= quota and all(total - weights[i] < quota for i in members):
            expected.add(frozenset(g.players[i] for i in members))
    found = minimal_winning_coalitions(g)
    assert len(found) == len(set(map(frozenset, found)))
    assert set(map(frozenset, found)) == expected


@settings(max_examples=40, deadline=None)
@given(small_games(max_players=12, max_weight=30))
def test_python_integers_agree_with_int64(monkeypatch_game):
    weights, quota = monkeypatch_game
    g = WeightedGame(tuple(f"p{i}" for i in range(len(weights))), tuple(weights), quota)
    fast = power_indices(g)
    saved = games.INT64_PLAYERS
    games.INT64_PLAYERS = 0  # force the object-array (big integer) tables
    try:
        exact = power_indices(g)
    finally:
        games.INT64_PLAYERS = saved
    assert fast == exact


# ---------------------------------------------------------------------- the house on a real day


def test_quota_of_the_bundled_house_on_1_april():
    case = load_case()
    count = count_house(case.patterns, case.divisions["666"], case.catalogue.party_aliases)
    assert (count.listed, count.eligible, count.quota) == (650, 639, 320)
    assert count.abstentionist == {"Sinn Féin": 7}
    assert len(count.presiding) == 4
    assert count.parties == {
        "Conservative": 312, "Labour": 244, "Scottish National Party": 35, "Liberal Democrat": 11,
        "Democratic Unionist Party": 10, "Plaid Cymru": 4, "Green Party": 1,
    }
    assert len(count.unwhipped) == 22
    assert "639 eligible to vote; a majority of them is 320" in count.explanation()


def test_quota_from_member_level_records_names_the_presiding_officers(shared_data):
    case = load_case()
    records = case_from_records(load_records(shared_data / "commons-2019-brexit"), case.catalogue, "records")
    count = count_house(records.patterns, records.divisions["666"], case.catalogue.party_aliases)
    assert (count.eligible, count.quota) == (639, 320)
    assert set(count.presiding) == {"John Bercow", "Sir Lindsay Hoyle", "Dame Eleanor Laing", "Dame Rosie Winterton"}
    assert count.parties == load_case_count().parties
    game = count.party_game()
    assert game.quota == 320 and game.total_weight == 639 and game.num_players == 7 + 22
    # the member game is symmetric: every eligible member holds 1/639
    members, party_of = count.member_game()
    assert members.num_players == 639 and set(party_of.values()) >= {"Conservative", "Independent"}
    assert "Mr Kenneth Clarke" in count.members["Conservative"]


def load_case_count():
    case = load_case()
    return count_house(case.patterns, case.divisions["666"], case.catalogue.party_aliases)


def test_power_of_the_parties_on_1_april():
    p = power_indices(load_case_count().party_game())
    assert sum(p.shapley_shubik.values()) == 1 and sum(p.banzhaf.values()) == 1
    # 312 Conservatives need any 8 more: every party of 8 or more is interchangeable to them
    assert p.shapley_shubik["Labour"] == p.shapley_shubik["Scottish National Party"] == p.shapley_shubik["Democratic Unionist Party"]
    assert p.shapley_shubik["Conservative"] > Fraction(2, 3)


# ---------------------------------------------------------------------- CLI


def test_cli_power_json_for_the_eec():
    result = runner.invoke(app, ["power", "--quota", "12", "--weights", "France=4,Germany=4,Italy=4,Belgium=2,Netherlands=2,Luxembourg=1", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["quota"] == 12
    assert doc["shapley_shubik"]["France"] == pytest.approx(14 / 60)
    assert doc["banzhaf"]["Belgium"] == pytest.approx(3 / 21)
    assert doc["banzhaf_absolute"]["Italy"] == pytest.approx(10 / 32)
    assert doc["exact"]["shapley_shubik"]["Netherlands"] == "3/20"
    assert len(doc["minimal_winning_coalitions"]) == 4


def test_cli_power_table_shows_exact_fractions():
    result = runner.invoke(app, ["power", "--quota", "12", "--weights", "France=4,Germany=4,Italy=4,Belgium=2,Netherlands=2,Luxembourg=1"])
    assert result.exit_code == 0, result.output
    assert "7/30" in result.output and "5/21" in result.output


def test_cli_power_of_the_parties_offline():
    result = runner.invoke(app, ["power", "--parties", "666", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["quota"] == 320 and doc["house"]["eligible"] == 639
    assert doc["blocs"]["Independent"]["players"] == 22
    assert sum(doc["shapley_shubik"].values()) == pytest.approx(1)


def test_cli_power_of_every_member(shared_data, tmp_path):
    db = tmp_path / "c.duckdb"
    assert runner.invoke(app, ["import", str(shared_data / "commons-2019-brexit"), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["power", "--parties", "666", "--members", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["shapley_shubik"]) == 639
    assert doc["blocs"]["Conservative"]["shapley_shubik"] == pytest.approx(312 / 639)
    assert doc["exact"]["shapley_shubik"]["Mr Kenneth Clarke"] == "1/639"


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--weights", "France4"], "is not NAME=WEIGHT"), ([], "give one of"),
     (["--weights", "A=1", "--quota", "5"], "between 1 and the total weight"),
     (["--members", "--weights", "A=1"], "--members goes with --parties")],
)
def test_cli_power_errors(args, message):
    result = runner.invoke(app, ["power", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_cli_power_of_every_member_by_party_offline():
    result = runner.invoke(app, ["power", "--parties", "666", "--members"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Quota 320 of a total weight 639; 639 players." in text
    assert "312 x 1" in text and "0.0316 each" in text
