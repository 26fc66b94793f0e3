"""Coalitions benchmark: exact power indices of a real house, and the fewest-switch programs.

Run by hand (never from the test suite):

    python benchmarks/bench_coalitions.py                  # ../shared/data/commons-2019-brexit
    python benchmarks/bench_coalitions.py --repeats 7

1. Power indices (exact Shapley-Shubik and Banzhaf, ``tellers.parliament.coalitions.power_indices``)
   for the House of Commons on 1 April 2019 (division 666): every eligible member a
   player of weight 1 (639 players), all 650 seats as players, the parties as blocs with
   their real sizes, and — to show the cost of many distinct weights — 650 players of
   weights 1 and 2, and of weights 1 to 5.
2. The fewest members whose ballots must change for each of the 8 options of 27 March
   to become the Condorcet winner (``whatif_options``: two HiGHS integer programs each),
   on the member-level records in a fresh database, and on the bundled aggregate.
3. The fewest vote changes to pass each motion of 1 April (``whatif_division``).

Median of ``--repeats`` runs (minimum too). Figures go to ``benchmarks/results/coalitions.md``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
from _common import machine_info, machine_section, write_report

from tellers.parliament.cases import load_case
from tellers.parliament.coalitions import WeightedGame, count_house, power_indices
from tellers.parliament.coalitions.ballot_changes import whatif_options
from tellers.parliament.coalitions.whatif import whatif_division
from tellers.parliament.house import CaseHouse, StoreHouse
from tellers.records.readers import load_records
from tellers.records.store import Store

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "commons-2019-brexit"


def timed(fn, repeats: int):
    """(median seconds, min seconds, last result)."""
    times, result = [], None
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "coalitions.md")
    args = parser.parse_args()
    r = args.repeats

    case = load_case()
    count = count_house(case.patterns, case.divisions["666"], case.catalogue.party_aliases)
    members, _ = count.member_game()
    seats = WeightedGame(tuple(f"seat {i}" for i in range(650)), (1,) * 650, 326)
    rng = np.random.default_rng(2019)
    mixed_weights = tuple(int(w) for w in rng.integers(1, 3, 650))
    mixed = WeightedGame(tuple(f"p{i}" for i in range(650)), mixed_weights, sum(mixed_weights) // 2 + 1)
    weights5 = tuple(int(w) for w in rng.integers(1, 6, 650))
    mixed5 = WeightedGame(tuple(f"p{i}" for i in range(650)), weights5, sum(weights5) // 2 + 1)
    parties = count.party_game()
    games = [
        ("639 eligible members of 1 April, one player each (weight 1), quota 320", members),
        ("all 650 seats, one player each (weight 1), quota 326", seats),
        ("the parties of 1 April as blocs (7 parties + 22 independents), quota 320", parties),
        ("650 players of weight 1 or 2 (random; two distinct weights)", mixed),
        ("650 players of weights 1 to 5 (random; five distinct weights)", mixed5),
    ]
    power_rows = []
    for label, game in games:
        med, low, p = timed(lambda g=game: power_indices(g, exact=True), r)
        power_rows.append((label, game.num_players, len(set(game.weights)), med, low))
        print(f"power: {label}: {med:.3f} s")
    party_power = power_indices(parties)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "commons.duckdb"
        with Store(db) as store:
            store.import_records(load_records(args.data))
        store_house = StoreHouse(db)
        bundled_house = CaseHouse(case)
        q = case.catalogue.questions["27mar"]
        condorcet_rows = []
        for option in q.options:
            med, low, flip = timed(lambda o=option: whatif_options(store_house, list(q.options), o, None, "earliest"), r)
            med_b, _, flip_b = timed(lambda o=option: whatif_options(bundled_house, list(q.options), o, None, "earliest"), r)
            assert flip.fewest_changes == flip_b.fewest_changes
            condorcet_rows.append((flip.winner, flip.fewest_changes, flip.vote_changes, med, low, med_b))
            print(f"condorcet {flip.winner}: {flip.fewest_changes} members in {med:.3f} s")
        total_med, total_low, _ = timed(
            lambda: [whatif_options(store_house, list(q.options), o, None, "earliest") for o in q.options], r
        )
        flip_rows = []
        for d in ("666", "667", "668", "669"):
            med, low, flip = timed(lambda d=d: whatif_division(store_house, d), r)
            flip_rows.append((d, flip.division.title, flip.ayes, flip.noes, flip.fewest_changes, med, low))
        store_house.close()

    lines = [
        "# Coalitions benchmark",
        "",
        f"Written by `benchmarks/bench_coalitions.py`. Wall-clock seconds (`time.perf_counter`), median of {r} runs "
        "(minimum shown too).",
        "",
        *machine_section(machine_info({"numpy": version("numpy"), "scipy (HiGHS)": version("scipy")})),
        "## Power indices, exact",
        "",
        "Shapley-Shubik and Banzhaf (normalised and absolute) of every player as exact fractions, by generating "
        "functions over (coalition size, weight) with players of equal weight grouped; Python integers above 62 players.",
        "",
        "| game | players | distinct weights | median (s) | min (s) |",
        "|---|---:|---:|---:|---:|",
        *(f"| {label} | {n} | {k} | {med:.3f} | {low:.3f} |" for label, n, k, med, low in power_rows),
        "",
        "The parties of 1 April as blocs (quota 320 of 639 eligible):",
        "",
        "| party | seats | Shapley-Shubik | Banzhaf (normalised) | Banzhaf (absolute) |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {p} | {w} | {float(party_power.shapley_shubik[p]):.4f} | {float(party_power.banzhaf[p]):.4f} | "
            f"{float(party_power.banzhaf_absolute[p]):.4f} |"
            for p, w in count.parties.items()
        ),
        f"| each of 22 independents | 1 | {float(party_power.shapley_shubik[count.unwhipped[0]]):.4f} | "
        f"{float(party_power.banzhaf[count.unwhipped[0]]):.4f} | {float(party_power.banzhaf_absolute[count.unwhipped[0]]):.4f} |",
        "",
        "## Fewest ballot changes for a Condorcet winner, 27 March 2019 (8 options)",
        "",
        "For each option X: the fewest members whose ballots (Aye / No / no vote on the 8 options) must change so that "
        "X beats each other option head to head among revealed preferences, then the fewest individual votes at that "
        "number (two HiGHS integer programs). Member-level records in a DuckDB store (names), and the bundled "
        "aggregate (same counts).",
        "",
        "| option X | fewest members | votes changed | store median (s) | store min (s) | aggregate median (s) |",
        "|---|---:|---:|---:|---:|---:|",
        *(f"| {w} | {k} | {v} | {med:.3f} | {low:.3f} | {mb:.3f} |" for w, k, v, med, low, mb in condorcet_rows),
        f"| all 8 in turn | | | {total_med:.3f} | {total_low:.3f} | |",
        "",
        "## Fewest vote changes to pass, 1 April 2019",
        "",
        "| division | motion | ayes | noes | fewest changes | median (s) | min (s) |",
        "|---|---|---:|---:|---:|---:|---:|",
        *(f"| {d} | {t} | {a} | {n} | {k} | {med:.3f} | {low:.3f} |" for d, t, a, n, k, med, low in flip_rows),
        "",
        "Contains Parliamentary information licensed under the Open Parliament Licence v3.0.",
        "",
    ]
    print(write_report(args.out, lines))


if __name__ == "__main__":
    sys.exit(main())
