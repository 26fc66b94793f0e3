"""How sure the 1 April 2019 verdict is: completions of the record, against an independent count."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from test_majority import APRIL_1, lobby, read_commons
from tellers.views.cli import app

runner = CliRunner()
IDS = list(APRIL_1.values())  # 666 customs union, 667 CM2.0, 668 public vote, 669 supremacy, 664 WA
OPTIONS = ",".join(IDS)


@pytest.fixture(scope="module")
def sides(shared_data) -> np.ndarray:
    """(members in the electorate, options): +1 Aye (or telling for the Ayes), -1 No, 0 unknown,
    read with the csv module; a member who voted on none of the options is not in the electorate."""
    commons = read_commons(shared_data / "commons-2019-brexit")
    rows = [[{"aye": 1, "no": -1, None: 0}[lobby(votes[d])] for d in IDS] for votes in commons.votes.values()]
    table = np.array(rows)
    return table[(table != 0).any(axis=1)]


def independent_bounds(sides: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    k = sides.shape[1]
    lo, hi = np.zeros((k, k)), np.zeros((k, k))
    for x in range(k):
        for y in range(k):
            if x != y:
                fixed = sides[:, x] * sides[:, y] == -1  # one Aye, one No: the same in every completion
                sign = np.sign(sides[:, x] - sides[:, y])
                lo[x, y] = sign[fixed].sum() - (~fixed).sum()
                hi[x, y] = sign[fixed].sum() + (~fixed).sum()
    return lo, hi


def rejection_draws(sides: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform completions by rejection: random rankings, redrawn for each member until every
    Aye option is above every No option. (draws, members, options) positions."""
    n, k = sides.shape
    out = np.empty((draws, n, k), dtype=int)
    pending = np.ones((draws, n), dtype=bool)
    while pending.any():
        pos = np.argsort(rng.random((draws, n, k)), axis=2).argsort(axis=2)
        aye_low = np.where(sides[None] == 1, pos, -1).max(axis=2)  # the lowest-placed Aye option
        no_high = np.where(sides[None] == -1, pos, k).min(axis=2)  # the highest-placed No option
        ok = pending & (aye_low < no_high)
        out[ok] = pos[ok]
        pending &= ~ok
    return out


def test_exact_bounds_and_winners_of_1_april_against_an_independent_count(sides):
    result = runner.invoke(app, ["majority", "--options", OPTIONS, "--completions", "uniform", "--draws", "1",
                                 "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)["robustness"]
    assert doc["electorate"] == len(sides) == 638
    lo, hi = independent_bounds(sides)
    bounds = {(b["x"], b["y"]): (b["min_margin"], b["max_margin"]) for b in doc["pair_bounds"]}
    for (x, y), (low, high) in bounds.items():
        assert (low, high) == (lo[IDS.index(x), IDS.index(y)], hi[IDS.index(x), IDS.index(y)])
    assert bounds["666", "667"] == (-588, 608)  # 25 against 15 fixed; the other 598 could go either way
    possible = [IDS[c] for c in range(5) if all(hi[c, y] > 0 for y in range(5) if y != c)]
    necessary = [IDS[c] for c in range(5) if all(lo[c, y] > 0 for y in range(5) if y != c)]
    assert doc["possible_condorcet"] == possible == IDS
    assert doc["necessary_condorcet"] == necessary == []


def test_uniform_shares_of_1_april_against_rejection_sampling(sides):
    draws = 2_500
    result = runner.invoke(app, ["majority", "--options", OPTIONS, "--completions", "uniform", "--draws", str(draws),
                                 "--seed", "3", "--json"])
    doc = json.loads(result.stdout)["robustness"]
    pos = rejection_draws(sides, draws, np.random.default_rng(99))
    k = len(IDS)
    ahead = (pos[:, :, :, None] < pos[:, :, None, :]).sum(axis=1)
    margins = ahead - ahead.transpose(0, 2, 1)
    beats = (margins > 0) | np.eye(k, dtype=bool)[None]
    winner = np.where(beats.all(axis=2).any(axis=1), beats.all(axis=2).argmax(axis=1), -1)
    for c, division in enumerate(IDS):
        theirs, mine = np.mean(winner == c), doc["condorcet_shares"][division]
        se = np.sqrt(max(theirs * (1 - theirs), 1e-4) * 2 / draws)
        assert abs(mine - theirs) < 4 * se, (division, mine, theirs)
    assert abs(doc["no_winner_share"] - np.mean(winner < 0)) < 4 * np.sqrt(0.25 * 2 / draws)
    assert doc["model"] == "uniform" and doc["draws"] == draws and doc["seed"] == 3
    assert max(doc["condorcet_shares"], key=doc["condorcet_shares"].get) == "666"  # the customs union most often


def test_the_same_seed_gives_the_same_figures():
    args = ["majority", "--options", OPTIONS, "--completions", "uniform", "--draws", "300", "--seed", "7", "--json"]
    first, second = (json.loads(runner.invoke(app, args).stdout)["robustness"] for _ in range(2))
    assert first == second


@pytest.mark.parametrize("args, words", [
    (["--draws", "0"], "--draws"),
    (["--seed", "-1"], "--seed"),
    (["--completions", "gaussian"], "--completions"),
])
def test_bad_completion_options_are_clear_errors(args, words):
    result = runner.invoke(app, ["majority", "--options", OPTIONS, "--completions", "uniform", *args])
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output


def test_completions_need_two_options_and_revealed_ballots():
    result = runner.invoke(app, ["majority", "--options", "666", "--completions", "uniform"])
    assert result.exit_code == 2 and "at least two" in result.output
    result = runner.invoke(app, ["majority", "--options", OPTIONS, "--completions", "uniform", "--infer", "spatial"])
    assert result.exit_code == 2 and "drop --infer spatial" in result.output


def test_the_party_model_on_1_april(sides):
    args = ["majority", "--options", OPTIONS, "--completions", "party", "--draws", "2000", "--seed", "1", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)["robustness"]
    assert doc["model"] == "party" and doc["electorate"] == 638
    shares = doc["condorcet_shares"]
    assert sum(shares.values()) + doc["no_winner_share"] == pytest.approx(1.0)
    # every member's own votes hold in every draw: each margin lies within the exact bounds
    for b, q in zip(doc["pair_bounds"], doc["margin_quantiles"]):
        assert b["min_margin"] <= q["q05"] <= q["q50"] <= q["q95"] <= b["max_margin"]


def test_the_spatial_model_on_1_april():
    args = ["majority", "--options", OPTIONS, "--completions", "spatial", "--draws", "1000", "--seed", "2", "--json"]
    first, second = (runner.invoke(app, args) for _ in range(2))
    assert first.exit_code == 0, first.output
    doc = json.loads(first.stdout)["robustness"]
    assert doc == json.loads(second.stdout)["robustness"]  # the bootstrap and the draws are seeded
    assert doc["model"] == "spatial" and doc["electorate"] == 638 and doc["draws"] == 1000
    assert sum(doc["condorcet_shares"].values()) + doc["no_winner_share"] == pytest.approx(1.0)
    for b, q in zip(doc["pair_bounds"], doc["margin_quantiles"]):  # every member's own votes hold in every draw
        assert b["min_margin"] <= q["q05"] <= q["q50"] <= q["q95"] <= b["max_margin"]


def test_the_spatial_model_needs_the_house():
    from tellers.errors import TellersError
    from tellers.parliament.head_to_head import analyse_options
    from tellers.parliament.house import open_house
    from tellers.parliament.robustness import assess

    analysis = analyse_options(open_house(), IDS)
    with pytest.raises(TellersError, match="needs the house"):
        assess(analysis, model="spatial", draws=10)


def test_completions_drawn_once_read_by_every_question_give_the_same_figures():
    # the demo draws each model's completions once, for how sure the verdict is and for every procedure
    from tellers.parliament.head_to_head import analyse_options
    from tellers.parliament.house import open_house
    from tellers.parliament.procedures import every_procedure
    from tellers.parliament.robustness import assess, draw_completions

    house = open_house()
    analysis = analyse_options(house, IDS)
    drawn = draw_completions(analysis, "party", 600, 3, house)  # two chunks: 500 and 100
    assert drawn.draws == 600 and [len(c) for c in drawn.chunks] == [500, 100]
    alone, shared = (assess(analysis, model="party", draws=600, seed=3, drawn=d) for d in (None, drawn))
    assert json.dumps(alone.to_dict()) == json.dumps(shared.to_dict())
    runs, again = (every_procedure(house, analysis, model="party", draws=600, seed=3, drawn=d) for d in (None, drawn))
    assert [r.to_dict() for r in runs] == [r.to_dict() for r in again]
    with pytest.raises(ValueError, match="not 600 under uniform"):
        assess(analysis, model="uniform", draws=600, seed=3, drawn=drawn)


def test_the_spatial_bootstrap_shares_the_chamber_scale_refits():
    # every question's spatial model refits the same scale replicates: fitted once, kept by the house
    from tellers.parliament.house import open_house
    from tellers.parliament.preferences.spatial import chamber_bootstrap, chamber_scale, place_options, spatial_bootstrap

    house = open_house()
    scale, votes = chamber_scale(house, "Commons")
    model = place_options(scale, votes, [house.option_of(d) for d in IDS[:3]], IDS[:3])
    refitted = chamber_bootstrap(house, "Commons", 3, 7).positions
    assert chamber_bootstrap(house, "Commons", 3, 7).positions is refitted
    alone, shared = (spatial_bootstrap(model, 3, seed=7, refitted=r) for r in (None, refitted))
    assert alone.winners == shared.winners
    for name in ("option_positions", "member_positions", "option_c", "option_kappa"):
        assert np.array_equal(getattr(alone, name), getattr(shared, name))


def test_every_model_checked_in_threads_gives_the_figures_of_one_at_a_time(monkeypatch):
    # assess_models draws each model in a thread of its own, each from its own seed
    import tellers.parliament.robustness as robustness
    from tellers.parliament.head_to_head import analyse_options
    from tellers.parliament.house import open_house

    house = open_house()
    analysis = analyse_options(house, IDS)
    monkeypatch.setattr(robustness.os, "getloadavg", lambda: (0.0, 0.0, 0.0))  # threads, however busy the machine
    threaded = robustness.assess_models(house, analysis, draws=300, seed=4)
    monkeypatch.setattr(robustness, "concurrently", lambda tasks: [task() for task in tasks])
    serial = robustness.assess_models(house, analysis, draws=300, seed=4)
    assert [c.to_dict() for c in threaded.checks] == [c.to_dict() for c in serial.checks]
    assert threaded.skipped == serial.skipped
    assert robustness.concurrently([lambda i=i: i * i for i in range(5)]) == [0, 1, 4, 9, 16]
