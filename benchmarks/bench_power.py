"""Power-index benchmark: the new Banzhaf count and float Shapley-Shubik against the exact path and the old algorithm.

Run by hand (never from the test suite):

    python benchmarks/bench_power.py                # about 5 minutes
    python benchmarks/bench_power.py --repeats 7 --slow-timeout 300

Games: 650 players with random integer weights drawn uniformly from 1-5, 1-50 and 1-1000,
and 10,000 players with weights 1-5 (numpy, seed 2019), quota a strict majority of the
total weight. For each game, each of:

- **Banzhaf**: ``banzhaf(game)``, exact swings by the weight count (``coalitions/swings.py``);
- **SS float**: ``shapley_shubik_float`` alone (``coalitions/multilinear.py``);
- **both, float**: ``power_indices(game, exact=False)``: both indices, as `tellers power` gives them;
- **exact**: ``power_indices(game, exact=True)``: Shapley-Shubik by the size-by-weight table in
  Python integers, as before (Banzhaf by the new count);
- **old**: ``power_indices`` as it stood at commit ``OLD_COMMIT`` (read with ``git show``),
  which derived Banzhaf from the Shapley-Shubik table,

runs in a fresh process (its peak RSS is ``ru_maxrss``; "above start" subtracts the RSS once
the game is built), ``--repeats`` times for the fast ones and once for the slow ones, under
``--slow-timeout`` seconds; those known not to finish (the old algorithm at weights 1-1000
took over 240 s and 4.6 GB) are skipped with a note. Medians. The float Shapley-Shubik values
are compared with the exact ones wherever those finish. Figures go to
``benchmarks/results/power.md`` and are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import types
from importlib.metadata import version
from pathlib import Path

import numpy as np
from _common import machine_info, machine_section, write_report

HERE = Path(__file__).resolve().parent
OLD_COMMIT = "775b82d"
GAMES = {"650 x 1-5": (650, 5), "650 x 1-50": (650, 50), "650 x 1-1000": (650, 1000), "10,000 x 1-5": (10_000, 5)}
METHODS = ("banzhaf", "ss_float", "both_float", "exact", "old")
SLOW = {("650 x 1-50", "exact"), ("650 x 1-50", "old")}
"""Run once: about 75 s each."""
SKIPPED = {
    ("650 x 1-1000", "exact"): "a size-by-weight table of 651 x 162,663 Python integers of up to 650 bits (over 10 GB)",
    ("650 x 1-1000", "old"): "did not finish in 240 s (4.6 GB) when issue 15 was filed",
    ("10,000 x 1-5", "exact"): "a table of 10,001 x 15,000 integers of up to 10,000 bits (about 190 GB)",
    ("10,000 x 1-5", "old"): "as for the exact path",
}


def build_game(label: str):
    from tellers.parliament.coalitions import WeightedGame

    n, heaviest = GAMES[label]
    weights = tuple(int(w) for w in np.random.default_rng(2019).integers(1, heaviest + 1, n))
    return WeightedGame(tuple(f"p{i}" for i in range(n)), weights, sum(weights) // 2 + 1)


def old_power_indices():
    """The old ``power_indices``, from git."""
    source = subprocess.run(["git", "-C", str(HERE), "show", f"{OLD_COMMIT}:src/tellers/parliament/coalitions/games.py"],
                            capture_output=True, text=True, check=True).stdout
    module = sys.modules["old_games"] = types.ModuleType("old_games")
    exec(compile(source, "old_games.py", "exec"), module.__dict__)
    return module.power_indices


def worker(label: str, method: str, repeats: int) -> dict:
    """Time one method on one game in this process; print what the parent needs as JSON."""
    from tellers.parliament.coalitions import banzhaf, power_indices
    from tellers.parliament.coalitions.games import reduced
    from tellers.parliament.coalitions.multilinear import shapley_shubik_float

    game = build_game(label)
    weights, quota = reduced(game)
    run = {
        "banzhaf": lambda: banzhaf(game),
        "ss_float": lambda: shapley_shubik_float(weights, quota),
        "both_float": lambda: power_indices(game, exact=False),
        "exact": lambda: power_indices(game, exact=True),
        "old": (lambda old: lambda: old(game))(old_power_indices() if method == "old" else None),
    }[method]
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    out = {"times": times, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "start_kb": start_rss}
    if method in ("both_float", "exact", "old"):
        by_weight = {str(w): float(result.shapley_shubik[p]) for p, w in zip(game.players, game.weights)}
        out |= {"ss": by_weight, "ss_sum": float(sum(result.shapley_shubik.values()))}
        out["bound"] = getattr(result, "shapley_shubik_error", 0.0)
    return out


def measure(label: str, method: str, repeats: int, timeout: float) -> dict:
    if (label, method) in SKIPPED:
        return {"note": "skipped: " + SKIPPED[label, method]}
    runs = 1 if (label, method) in SLOW else repeats
    argv = [sys.executable, __file__, "--worker", label, method, str(runs)]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout * runs, check=True)
    except subprocess.TimeoutExpired:
        return {"note": f"skipped: over {timeout:.0f} s"}
    doc = json.loads(done.stdout)
    doc["median"] = statistics.median(doc["times"])
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--slow-timeout", type=float, default=200, help="seconds allowed for one run")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "power.md")
    parser.add_argument("--worker", nargs=3, metavar=("GAME", "METHOD", "REPEATS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        label, method, repeats = args.worker
        print(json.dumps(worker(label, method, int(repeats))))
        return
    load_start = os.getloadavg()
    results: dict[tuple[str, str], dict] = {}
    for label in GAMES:
        for method in METHODS:
            results[label, method] = r = measure(label, method, args.repeats, args.slow_timeout)
            print(f"{label:>14} {method:>10}: " + (f"{r['median']:.3f} s, peak {r['peak_kb'] / 1024:.0f} MB"
                                                      if "median" in r else r["note"]), flush=True)
    load_end = os.getloadavg()
    print(write_report(args.out, report(results, args, load_start, load_end)))


def _seconds(r: dict) -> str:
    return f"{r['median']:.3f}" if "median" in r else "—"


def _memory(r: dict) -> str:
    return f"{r['peak_kb'] / 1024:.0f} ({(r['peak_kb'] - r['start_kb']) / 1024:.0f})" if "median" in r else "—"


def _ratio(slow: dict, fast: dict) -> str:
    return f"{slow['median'] / fast['median']:.0f}x" if "median" in slow and "median" in fast else "—"


def _accuracy(label: str, results: dict) -> tuple[str, str, str]:
    fast = results[label, "both_float"]
    exact = next((results[label, m] for m in ("exact", "old") if "ss" in results[label, m]), None)
    if "ss" not in fast:
        return "—", "—", "—"
    measured = "no exact values" if exact is None else f"{max(abs(v / exact['ss'][w] - 1) for w, v in fast['ss'].items() if exact['ss'][w]):.1e}"
    return f"{fast['bound']:.1e}", measured, f"{abs(fast['ss_sum'] - 1):.1e}"


def report(results: dict, args, load_start, load_end) -> list[str]:
    load = lambda la: " / ".join(f"{x:.2f}" for x in la)  # noqa: E731
    rows, memory, accuracy = [], [], []
    for label in GAMES:
        r = {m: results[label, m] for m in METHODS}
        rows.append(f"| {label} | {_seconds(r['banzhaf'])} | {_seconds(r['ss_float'])} | {_seconds(r['both_float'])} | "
                    f"{_seconds(r['exact'])} | {_seconds(r['old'])} | {_ratio(r['old'], r['both_float'])} |")
        memory.append(f"| {label} | " + " | ".join(_memory(r[m]) for m in METHODS) + " |")
        accuracy.append(f"| {label} | " + " | ".join(_accuracy(label, results)) + " |")
    notes = [f"- {label}, {method}: {r['note']}" for (label, method), r in results.items() if "note" in r]
    return [
        "# Power indices benchmark",
        "",
        f"Written by `benchmarks/bench_power.py`. Wall-clock seconds (`time.perf_counter`), median of {args.repeats} runs "
        "in a fresh process for each game and method (one run for those marked in the notes). 650 players with weights drawn "
        "uniformly from 1-5, 1-50 and 1-1000, and 10,000 with weights 1-5 (seed 2019); quota a strict majority of the total "
        "weight. *Banzhaf*: exact swings by the weight count. *SS float*: Shapley-Shubik by Owen's multilinear extension "
        "alone. *Both, float*: `power_indices(game, exact=False)`, what `tellers power` does for these games. *Exact*: "
        "`power_indices(game, exact=True)`, Shapley-Shubik by the size-by-weight table in Python integers. *Old*: "
        f"`power_indices` at commit {OLD_COMMIT}, which derived Banzhaf from that table too. Ratio: old over both, float.",
        "",
        *machine_section(machine_info({"numpy": version("numpy")},
                                      {"load average (1/5/15 min), start": load(load_start), "end": load(load_end)})),
        "## Time (s)",
        "",
        "| game | Banzhaf | SS float | both, float | exact | old | old / both |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "## Peak memory, MB (above the process's start, once the game is built)",
        "",
        "| game | " + " | ".join(METHODS) + " |",
        "|---|" + "---:|" * len(METHODS),
        *memory,
        "",
        "## Float Shapley-Shubik against the exact fractions",
        "",
        "The bound is the one the run reports (`shapley_shubik_error`, for every player); *measured* is the largest "
        "relative error against the exact values where those finish; |sum - 1| for the float indices.",
        "",
        "| game | bound | measured | sum - 1 |",
        "|---|---:|---:|---:|",
        *accuracy,
        "",
        "## Notes",
        "",
        *(notes or ["- none"]),
        *(f"- {label}, {m}: one run (slow)" for label, m in sorted(SLOW)),
        "",
    ]


if __name__ == "__main__":
    sys.exit(main())
