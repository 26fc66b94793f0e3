"""Simulation studies end to end: known results against counts written here, the same figures
however many workers run a study, and clear errors for bad input."""

from __future__ import annotations

import itertools
import json
import math
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from tellers.ballots.simulate.execution import chunk_tallies
from tellers.ballots.simulate.plan import plan_study
from tellers.ballots.simulate.results import result
from tellers.views.cli import app

runner = CliRunner()

LIMITS = {3: 0.9123, 4: 0.8245, 5: 0.7487}
"""The share of elections with a Condorcet winner under impartial culture as voters grow
(Gehrlein, and Niemi and Weisberg)."""


def _study(**kwargs):
    settings = dict(culture="impartial", candidates=3, voters=1001, elections=2000)
    settings.update(kwargs)
    return plan_study(settings.pop("culture"), settings.pop("candidates"), settings.pop("voters"),
                      settings.pop("elections"), **settings)


def _run(study, workers=1, scheduler=None):
    return result(study, chunk_tallies(study, workers, scheduler)).to_dict()


def independent_ic(m: int, voters: int, elections: int, seed: int):
    """Impartial culture counted here, not by the package: per election, the count of each of the
    m! orders; each pair's margin summed order by order; the Condorcet winner, the plurality
    winner (most first places) and the Borda winner (most points)."""
    rng = np.random.default_rng(seed)
    orders = list(itertools.permutations(range(m)))
    counts = rng.multinomial(voters, [1 / len(orders)] * len(orders), size=elections)
    prefer = np.zeros((len(orders), m, m))
    first = np.zeros((len(orders), m))
    points = np.zeros((len(orders), m))
    for t, order in enumerate(orders):
        first[t, order[0]] = 1
        for place, c in enumerate(order):
            points[t, c] = m - 1 - place
            for d in order[place + 1:]:
                prefer[t, c, d] = 1
    ahead = np.einsum("et,tcd->ecd", counts, prefer)
    beats = ahead > voters / 2
    winner = np.full(elections, -1)
    for c in range(m):
        winner[beats[:, c, [d for d in range(m) if d != c]].all(axis=1)] = c
    def unique_best(score):
        top = score.max(axis=1, keepdims=True)
        return np.where((score == top).sum(axis=1) == 1, score.argmax(axis=1), -2)
    return winner, unique_best(counts @ first), unique_best(counts @ points)


@pytest.mark.parametrize("m", [3, 4, 5])
def test_condorcet_winner_share_under_impartial_culture(m):
    elections = 20_000
    doc = _run(_study(candidates=m, elections=elections, seed=11, rules=["plurality"], procedures=["none"],
                      manipulation=False))
    winner, _, _ = independent_ic(m, 1001, elections, seed=2024)
    mine = float(np.mean(winner >= 0))
    p = doc["condorcet_winner_share"]
    se = math.sqrt(LIMITS[m] * (1 - LIMITS[m]) / elections)
    assert doc["elections"] == elections and doc["voters"] == 1001 and doc["candidates"] == m
    assert doc["standard_errors"]["condorcet_winner_share"] == pytest.approx(math.sqrt(p * (1 - p) / elections))
    assert abs(p - mine) < 4 * math.sqrt(2) * se  # two independent estimates of one share
    assert abs(p - LIMITS[m]) < 4 * se + 0.002  # and the limit (1,001 voters is nearly there)


def test_plurality_and_borda_condorcet_efficiency_for_three_options():
    elections = 40_000
    doc = _run(_study(elections=elections, seed=5, rules=["plurality", "borda"], procedures=["none"],
                      manipulation=False))
    winner, plurality, borda = independent_ic(3, 1001, elections, seed=99)
    has = winner >= 0
    for rule, picks in (("plurality", plurality), ("borda", borda)):
        mine = float(np.mean(picks[has] == winner[has]))
        p = doc["condorcet_efficiency"][rule]
        se = math.sqrt(mine * (1 - mine) / has.sum())
        assert abs(p - mine) < 4 * math.sqrt(2) * se, rule
    # the known limits (Gehrlein): plurality about 0.757, Borda about 0.901
    assert abs(doc["condorcet_efficiency"]["plurality"] - 0.757) < 0.012
    assert abs(doc["condorcet_efficiency"]["borda"] - 0.901) < 0.008


def test_a_mallows_reference_order_and_a_random_agenda():
    """Voters near the reference order 2 > 0 > 1 make 2 the likeliest Condorcet winner; the
    agenda's order changes what a sincere successive agenda adopts in the same elections, and
    the default draws it afresh for each election."""
    def run(agenda=None):
        return _run(_study(culture="mallows", parameters={"phi": 0.8, "reference": "2,0,1"}, elections=3000,
                           voters=51, procedures=["successive"], rules=["plurality"], agenda=agenda))

    drawn, given = run(), run("given")
    assert drawn["parameters"] == {"phi": 0.8, "reference": [2, 0, 1]}
    assert (drawn["agenda"], given["agenda"]) == ("random", "given")
    assert given["condorcet_winners"] == drawn["condorcet_winners"]  # the same elections
    assert max(drawn["condorcet_winners"], key=drawn["condorcet_winners"].get) == "2"
    assert drawn["procedures"]["successive"]["sincere"] < given["procedures"]["successive"]["sincere"] - 0.05
    shown = runner.invoke(app, ["simulate", "--culture", "mallows", "--reference", "2,0,1", "--elections", "50"])
    assert shown.exit_code == 0, shown.output
    assert "Mallows (phi 0.5, reference 2, 0, 1)" in shown.output and "in an order drawn for each election" in shown.output


def test_sophisticated_agendas_always_adopt_the_condorcet_winner():
    """Backward induction over a binary agenda adopts the Condorcet winner whenever there is
    one (Farquharson; McKelvey and Niemi); so does a sincere amendment agenda (the winner wins
    every vote it is in), but not a sincere successive one (a voter's favourite is put first)."""
    doc = _run(_study(elections=3000, voters=101, procedures=["amendment", "successive"], rules=["plurality"]))
    assert doc["procedures"]["amendment"] == {"sincere": 1.0, "sophisticated": 1.0}
    assert doc["procedures"]["successive"]["sophisticated"] == 1.0
    assert doc["procedures"]["successive"]["sincere"] < 0.9
    # the two votings differ only where there is a cycle, for amendment
    assert 0 < doc["sophisticated_differs"]["amendment"] <= 1 - doc["condorcet_winner_share"] + 1e-12
    assert doc["sophisticated_differs"]["successive"] > 1 - doc["condorcet_winner_share"]


def test_chunks_add_up_and_figures_do_not_depend_on_chunk_order():
    study = _study(elections=2500, chunk=1000, voters=51)
    chunks = chunk_tallies(study)
    assert [sum(t.trials for t in c if t.measure == "condorcet") for c in chunks] == [1000, 1000, 500]
    forward = result(study, chunks).tallies
    backward = result(study, chunks[::-1]).tallies
    assert forward == backward


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def loopback_scheduler():
    """A dask scheduler and one worker on loopback, stopped at the end."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    flags = ["--no-dashboard"]
    scheduler = subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  *flags], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nworkers", "1", "--nthreads", "1",
                               *flags], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        from dask.distributed import Client

        while True:
            try:
                with Client(address, timeout=2) as client:
                    client.wait_for_workers(1, timeout=30)
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for p in (worker, scheduler):
            p.terminate()
        for p in (worker, scheduler):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_the_same_seed_gives_the_same_figures_on_one_worker_two_and_a_scheduler(loopback_scheduler):
    study = _study(elections=3000, chunk=500, voters=101, seed=7)
    alone = _run(study)
    assert alone == _run(study, workers=2)
    assert alone == _run(study, scheduler=loopback_scheduler)
    assert alone != _run(_study(elections=3000, chunk=500, voters=101, seed=8))


def test_an_unreachable_scheduler_is_a_clear_error_within_seconds():
    port = _free_port()
    started = time.monotonic()
    found = runner.invoke(app, ["simulate", "--elections", "10", "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert found.exit_code == 2
    assert "cannot reach the Dask scheduler" in found.output and "Traceback" not in found.output
    assert time.monotonic() - started < 20


def test_a_server_that_is_not_a_scheduler_and_a_malformed_address_are_clear_errors():
    import threading

    with socket.socket() as server:  # accepts, then says nothing, as a web server would to Dask
        server.bind(("127.0.0.1", 0))
        server.listen()
        threading.Thread(target=lambda: server.accept(), daemon=True).start()
        started = time.monotonic()
        found = runner.invoke(app, ["simulate", "--elections", "10", "--scheduler",
                                    f"tcp://127.0.0.1:{server.getsockname()[1]}"])
        assert time.monotonic() - started < 20
    assert found.exit_code == 2 and "answers, but not as a Dask scheduler" in found.output
    malformed = runner.invoke(app, ["simulate", "--elections", "10", "--scheduler", "nonsense"])
    assert malformed.exit_code == 2 and "give tcp://HOST:PORT" in malformed.output


@pytest.mark.parametrize("args, words", [
    (["--elections", "0"], "at least 1 election"),
    (["--candidates", "1"], "at least 2 candidates"),
    (["--rules", "nonsense"], "unknown rule 'nonsense'"),
    (["--rules", "approval"], "approval ballots"),
    (["--procedures", "filibuster"], "unknown procedure 'filibuster'"),
    (["--culture", "mallows", "--phi", "1.5"], "phi"),
    (["--culture", "gaussian"], "gaussian"),
    (["--out", "study.csv"], "Parquet"),
    (["--phi", "0.3"], "--phi applies to --culture mallows, not impartial"),
    (["--culture", "spatial", "--sampler", "walsh"], "--sampler applies to --culture single-peaked"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "give one of them"),
    (["--culture", "spatial", "--chunk", "100000000"], "give a smaller --chunk"),
    (["--culture", "mallows", "--reference", "0,0,1"], "reference must be an order"),
])
def test_bad_input_is_a_clear_error(args, words):
    found = runner.invoke(app, ["simulate", *args])
    assert found.exit_code == 2, found.output
    assert words in found.output and "Traceback" not in found.output


def test_json_and_parquet(tmp_path):
    path = tmp_path / "study.parquet"
    found = runner.invoke(app, ["simulate", "--elections", "1200", "--chunk", "500", "--voters", "25", "--seed", "3",
                                "--rules", "plurality,borda,copeland", "--json", "--out", str(path)])
    assert found.exit_code == 0, found.output
    doc = json.loads(found.stdout)
    for key in ("culture", "candidates", "voters", "elections", "seed", "condorcet_winner_share",
                "condorcet_efficiency", "agreement", "procedures", "standard_errors"):
        assert key in doc
    assert doc["chunks"] == 3 and doc["elections"] == 1200
    assert set(doc["agreement"]) == {"plurality", "borda"} and set(doc["agreement"]["plurality"]) == {"borda", "copeland"}
    import duckdb

    study = duckdb.sql(f"SELECT DISTINCT culture, parameters, candidates, voters, elections, seed, chunk_elections, agenda "
                       f"FROM '{path}'").fetchall()
    assert study == [("impartial", "{}", 3, 25, 1200, 3, 500, "random")]
    rows = duckdb.sql(f"SELECT chunk, measure, key, hits, trials FROM '{path}' ORDER BY chunk, measure, key").fetchall()
    assert {r[0] for r in rows} == {0, 1, 2}
    condorcet = [r for r in rows if r[1] == "condorcet"]
    assert [r[4] for r in condorcet] == [500, 500, 200]
    assert sum(r[3] for r in condorcet) == doc["elections_with_condorcet_winner"]
    assert not list(tmp_path.glob(".*tmp"))


def _chamber_counts(positions: np.ndarray) -> np.ndarray:
    """Each draw's Condorcet winner counted here from every member's positions (-1: none)."""
    k = positions.shape[2]
    winner = np.full(len(positions), -1)
    for c in range(k):
        beats = [(positions[:, :, c] < positions[:, :, d]).sum(axis=1) * 2 > positions.shape[1]
                 for d in range(k) if d != c]
        winner[np.logical_and.reduce(beats)] = c
    return winner


def test_the_parliament_culture_counts_the_chambers_completed_ballots():
    from tellers.parliament.house import open_house
    from tellers.parliament.simulation import chamber_culture

    house = open_house(None, None)
    try:
        chamber = chamber_culture(house, "1apr", None, "party", seed=4)
    finally:
        house.close()
    study = plan_study("parliament", None, None, 700, seed=4, chamber=chamber, chunk=300, rules=["borda"])
    assert (study.candidates, study.voters, study.chunk_sizes()) == (5, 638, [300, 300, 100])
    assert chamber.labels == ("CU", "CM2.0", "Public vote", "Parl. supremacy", "WA")
    doc = result(study, chunk_tallies(study)).to_dict()
    # the same draws, counted here: chunk i's generator is child i of the seed
    winners = np.concatenate([
        _chamber_counts(chamber.sampler(size, np.random.default_rng(seed)))
        for size, seed in zip(study.chunk_sizes(), np.random.SeedSequence(4).spawn(3))])
    assert doc["elections_with_condorcet_winner"] == int((winners >= 0).sum())
    assert doc["condorcet_winners"] == {label: float((winners == c).mean()) for c, label in enumerate(chamber.labels)}
    # a smaller chamber: members drawn with replacement in each election
    fewer = plan_study("parliament", None, 101, 200, seed=4, chamber=chamber, rules=["borda"])
    assert result(fewer, chunk_tallies(fewer)).to_dict()["voters"] == 101


def test_the_parliament_culture_from_the_command_line():
    found = runner.invoke(app, ["simulate", "--culture", "parliament", "--options", "1apr", "--elections", "300",
                                "--rules", "borda,irv", "--json"])
    assert found.exit_code == 0, found.output
    doc = json.loads(found.stdout)
    assert doc["parameters"] == {"options": ["666", "667", "668", "669", "664"], "completions": "uniform"}
    assert doc["labels"] == ["CU", "CM2.0", "Public vote", "Parl. supremacy", "WA"]
    missing = runner.invoke(app, ["simulate", "--culture", "parliament"])
    assert missing.exit_code == 2 and "--options" in missing.output
    stray = runner.invoke(app, ["simulate", "--options", "1apr"])
    assert stray.exit_code == 2 and "--culture parliament" in stray.output


def test_a_study_in_the_report(tmp_path):
    study = tmp_path / "study.json"
    found = runner.invoke(app, ["simulate", "--elections", "400", "--voters", "51", "--rules", "plurality,borda",
                                "--json"])
    study.write_text(found.stdout)
    page = tmp_path / "r.html"
    made = runner.invoke(app, ["report", "-q", "1apr", "--study", str(study), "--out", str(page)])
    assert made.exit_code == 0, made.output
    html = page.read_text()
    assert "Simulation study: how often each rule finds the majority" in html and "study-1-efficiency" in html
    bad = tmp_path / "bad.json"
    bad.write_text('{"culture": "impartial"}')
    refused = runner.invoke(app, ["report", "--study", str(bad), "--out", str(tmp_path / "x.html")])
    assert refused.exit_code == 2 and "not a study" in refused.output and str(bad) in refused.output
    assert not (tmp_path / "x.html").exists()
