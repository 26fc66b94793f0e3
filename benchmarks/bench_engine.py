"""Counting-engine benchmark: tellers next to pref-voting, in one run.

Run by hand (never from the test suite):

    python benchmarks/bench_engine.py            # 1,000,000 ballots over 13 candidates
    python benchmarks/bench_engine.py --quick    # smoke run with small sizes

Part 1 times the whole pipeline on random strict ballots (1,000,000 x 13 by default):
building the profile, the margins, the Condorcet winner and six rules (IRV, Schulze,
ranked pairs, Borda, Copeland, minimax), stage by stage. tellers is timed ``--repeats``
times (median reported); pref-voting once, since it is slow. Both must name the same
winners. Part 2 times Kemeny-Young on a 13-candidate profile whose Smith set is all 13
candidates; pref-voting's Kemeny-Young tries every one of the m! rankings, so it is
compared on a smaller profile of the same kind.

The figures go to ``benchmarks/results/engine.md`` (``engine-quick.md`` with ``--quick``)
and are printed.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import signal
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import _common
import numpy as np

from tellers import Profile, rules

HERE = Path(__file__).resolve().parent

# (tellers rule name, pref-voting function name) for the pipeline
RULES = [
    ("irv", "instant_runoff"),
    ("schulze", "beat_path"),
    ("ranked_pairs", "ranked_pairs"),
    ("borda", "borda"),
    ("copeland", "copeland"),
    ("minimax", "minimax"),
]


# ---------------------------------------------------------------------- ballots


def random_ballots(n: int, m: int, seed: int) -> np.ndarray:
    """``n`` uniformly random strict rankings of ``m`` candidates: row = candidate indices, best first."""
    rng = np.random.default_rng(seed)
    return rng.permuted(np.tile(np.arange(m), (n, 1)), axis=1)


def full_smith_ballots(n: int, m: int, seed: int) -> tuple[np.ndarray, int]:
    """Random strict ballots whose Smith set is all ``m`` candidates (seeds tried in turn)."""
    for s in range(seed, seed + 1000):
        ballots = random_ballots(n, m, s)
        if len(Profile.from_rankings(ballots).smith_set()) == m:
            return ballots, s
    raise RuntimeError(f"no seed in {seed}..{seed + 999} gave a Smith set of all {m} candidates")


# ---------------------------------------------------------------------- timing helpers


class Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Interrupt pure-Python work after ``seconds`` (SIGALRM; main thread, POSIX)."""

    def handler(signum, frame):  # noqa: ARG001
        raise Timeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def tellers_pipeline(ballots: np.ndarray) -> tuple[dict[str, float], dict[str, frozenset[int]]]:
    """One timed run of the tellers pipeline; stage -> seconds, stage -> winners (as indices)."""
    times: dict[str, float] = {}
    winners: dict[str, frozenset[int]] = {}
    t_start = time.perf_counter()
    times["build profile"], prof = timed(lambda: Profile.from_rankings(ballots))
    times["margins"], _ = timed(lambda: prof.margins)
    times["condorcet winner"], cw = timed(prof.condorcet_winner)
    winners["condorcet winner"] = frozenset() if cw is None else frozenset({int(cw)})
    for name, _ in RULES:
        times[name], result = timed(lambda name=name: rules.run(name, prof))
        winners[name] = frozenset(int(c) for c in result.winners)
    times["total"] = time.perf_counter() - t_start
    return times, winners


def pref_voting_pipeline(
    ballots: np.ndarray, limit: float
) -> tuple[dict[str, float | None], dict[str, frozenset[int] | None], float, str]:
    """One timed run of the same pipeline in pref-voting (each stage stopped after ``limit`` s)."""
    from pref_voting import voting_methods as vm
    from pref_voting.profiles import Profile as PVProfile

    # warm up: several pref-voting methods are numba-compiled on first call
    tiny = PVProfile([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1]])
    for _, pv_name in RULES:
        getattr(vm, pv_name)(tiny)
    tiny.condorcet_winner()

    t_list, as_lists = timed(ballots.tolist)
    times: dict[str, float | None] = {}
    winners: dict[str, frozenset[int] | None] = {}
    notes = []
    try:
        with time_limit(limit):
            times["build profile"], prof = timed(lambda: PVProfile(as_lists))
    except Timeout:
        times["build profile"] = None
        return times, winners, t_list, f"building the profile took over {limit:g} s; stopped"
    del as_lists
    times["margins"], _ = timed(lambda: prof.margin_matrix)
    times["condorcet winner"], cw = timed(prof.condorcet_winner)
    winners["condorcet winner"] = frozenset() if cw is None else frozenset({int(cw)})
    for name, pv_name in RULES:
        try:
            with time_limit(limit):
                times[name], w = timed(lambda pv_name=pv_name: getattr(vm, pv_name)(prof))
            winners[name] = frozenset(int(c) for c in w)
        except Timeout:
            times[name] = None
            winners[name] = None
            notes.append(f"{pv_name} stopped after {limit:g} s")
    return times, winners, t_list, "; ".join(notes)


# ---------------------------------------------------------------------- Kemeny-Young


def kemeny_tellers(ballots: np.ndarray, repeats: int) -> tuple[float, float, frozenset[int], int]:
    prof = Profile.from_rankings(ballots)
    smith = len(prof.smith_set())
    prof.margins  # the profile is not what is timed here
    samples = []
    for _ in range(repeats):
        fresh = Profile(prof.ranks, prof.weights, prof.candidates, merged=True)
        fresh.margins
        t, result = timed(lambda fresh=fresh: rules.run("kemeny_young", fresh))
        samples.append(t)
    build = timed(lambda: Profile.from_rankings(ballots).margins)[0]
    return statistics.median(samples), build, frozenset(int(c) for c in result.winners), smith


def kemeny_pref_voting(ballots: np.ndarray, limit: float) -> tuple[float | None, frozenset[int] | None]:
    from pref_voting.other_methods import kemeny_young
    from pref_voting.profiles import Profile as PVProfile

    prof = PVProfile(ballots.tolist())
    try:
        with time_limit(limit):
            t, w = timed(lambda: kemeny_young(prof))
    except Timeout:
        return None, None
    return t, frozenset(int(c) for c in w)


# ---------------------------------------------------------------------- report


def machine_info() -> dict[str, str]:
    try:
        pv_version = version("pref-voting")
    except Exception:  # noqa: BLE001
        pv_version = "not installed"
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas_text = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # noqa: BLE001
        blas_text = "unknown"
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    return _common.machine_info(
        {"numpy": np.__version__, "numpy BLAS": blas_text},
        {
            "pref-voting": pv_version,
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "(unset)"),
            "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "(unset)"),
            "load average at start (1 / 5 / 15 min)": load,
        },
    )


def fmt_s(t: float | None) -> str:
    if t is None:
        return "—"
    if t >= 100:
        return f"{t:.0f}"
    if t >= 1:
        return f"{t:.2f}"
    if t >= 0.001:
        return f"{t:.3f}"
    return f"{t:.5f}"


def fmt_ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b <= 0:
        return "—"
    r = a / b
    return f"{r:,.0f}x" if r >= 10 else f"{r:.1f}x"


def _sum(times: dict[str, float | None], *stages: str) -> float | None:
    values = [times.get(s) for s in stages]
    return None if any(v is None for v in values) else sum(values)


def fmt_winners(w: frozenset[int] | None) -> str:
    if w is None:
        return "—"
    return "{" + ", ".join(str(c) for c in sorted(w)) + "}" if w else "none"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--ballots", type=int, help="number of ballots (default 1,000,000; 20,000 with --quick)")
    ap.add_argument("--candidates", type=int, default=13)
    ap.add_argument("--repeats", type=int, help="tellers repeats, median reported (default 5; 3 with --quick)")
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--pv-limit", type=float, help="stop a pref-voting stage after this many seconds (default 900; 60 with --quick)")
    ap.add_argument("--no-pref-voting", action="store_true", help="time tellers only")
    ap.add_argument("--kemeny-ballots", type=int, default=10_001)
    ap.add_argument("--kemeny-pv-candidates", type=int, help="candidates for the pref-voting Kemeny comparison (default 9; 7 with --quick)")
    ap.add_argument("--out", type=Path, help="markdown file to write (default benchmarks/results/engine.md)")
    args = ap.parse_args(argv)

    n = args.ballots or (20_000 if args.quick else 1_000_000)
    m = args.candidates
    repeats = args.repeats or (3 if args.quick else 5)
    limit = args.pv_limit or (60.0 if args.quick else 900.0)
    ky_pv_m = args.kemeny_pv_candidates or (7 if args.quick else 9)
    out = args.out or HERE / "results" / ("engine-quick.md" if args.quick else "engine.md")

    info = machine_info()
    print("machine:", ", ".join(f"{k} {v}" for k, v in info.items()), flush=True)

    # ------------------------------------------------------------------ part 1
    ballots = random_ballots(n, m, args.seed)
    print(f"\n{n:,} random strict ballots over {m} candidates (seed {args.seed}, dtype {ballots.dtype})", flush=True)
    tellers_pipeline(ballots[: min(n, 1000)])  # import-time and first-call costs off the clock
    runs = []
    for i in range(repeats):
        gc.collect()
        times, t_winners = tellers_pipeline(ballots)
        runs.append(times)
        print(f"  tellers run {i + 1}/{repeats}: total {times['total']:.3f} s", flush=True)
    stages = list(runs[0])
    t_med = {s: statistics.median(r[s] for r in runs) for s in stages}
    t_min = {s: min(r[s] for r in runs) for s in stages}
    distinct = Profile.from_rankings(ballots).num_ballots

    pv_times: dict[str, float | None] = {}
    pv_winners: dict[str, frozenset[int] | None] = {}
    pv_note, t_list = "", None
    if not args.no_pref_voting:
        print("  pref-voting run (once)...", flush=True)
        gc.collect()
        pv_times, pv_winners, t_list, pv_note = pref_voting_pipeline(ballots, limit)
        known = [pv_times.get(s) for s in stages if s != "total"]
        pv_times["total"] = sum(known) if all(t is not None for t in known) else None
        print(f"  pref-voting: build {fmt_s(pv_times.get('build profile'))} s, total {fmt_s(pv_times['total'])} s", flush=True)

    agree_all = True
    rows = []
    for s in stages:
        tw = t_winners.get(s)
        pw = pv_winners.get(s)
        if s == "total":
            agree = ""
        elif s == "margins" or s == "build profile":
            agree = ""
        elif pw is None:
            agree = "not checked"
        else:
            agree = "yes" if tw == pw else "**NO**"
            agree_all &= tw == pw
        label = f"**{s}**" if s == "total" else s
        rows.append(
            f"| {label} | {fmt_s(t_med[s])} | {fmt_s(t_min[s])} | {fmt_s(pv_times.get(s))} | "
            f"{fmt_ratio(pv_times.get(s), t_med[s])} | {fmt_winners(tw) if s in t_winners else ''} | "
            f"{fmt_winners(pw) if s in pv_winners else ''} | {agree} |"
        )
    verdict = "meets" if t_med["total"] < 1.0 else "does NOT meet"

    # ------------------------------------------------------------------ part 2
    km = m
    print(f"\nKemeny-Young: {args.kemeny_ballots:,} ballots over {km} candidates, Smith set = all", flush=True)
    ky_ballots, ky_seed = full_smith_ballots(args.kemeny_ballots, km, args.seed)
    ky_t, ky_build, ky_w, ky_smith = kemeny_tellers(ky_ballots, repeats)
    assert ky_smith == km, f"Smith set has {ky_smith} candidates, wanted {km}"
    print(f"  tellers kemeny_young ({km} candidates): {fmt_s(ky_t)} s, winners {fmt_winners(ky_w)}", flush=True)

    small_ballots, small_seed = full_smith_ballots(args.kemeny_ballots, ky_pv_m, args.seed)
    s_t, _, s_w, s_smith = kemeny_tellers(small_ballots, repeats)
    assert s_smith == ky_pv_m
    pv_s_t = pv_s_w = None
    if not args.no_pref_voting:
        pv_s_t, pv_s_w = kemeny_pref_voting(small_ballots, limit)
    print(f"  {ky_pv_m} candidates: tellers {fmt_s(s_t)} s, pref-voting {fmt_s(pv_s_t)} s", flush=True)
    if pv_s_t is not None:
        est = pv_s_t * math.factorial(km) / math.factorial(ky_pv_m) * (km * (km - 1)) / (ky_pv_m * (ky_pv_m - 1))
        if est > 86400 * 365:
            est_text = f"about {est / 86400 / 365:,.0f} years"
        elif est > 86400:
            est_text = f"about {est / 86400:,.1f} days"
        else:
            est_text = f"about {est / 3600:,.1f} hours"
    else:
        est_text = "not estimated"

    # ------------------------------------------------------------------ write
    lines = [
        "# Counting-engine benchmark",
        "",
        f"Written by `benchmarks/bench_engine.py{' --quick' if args.quick else ''}`. "
        "Wall-clock seconds (`time.perf_counter`); tellers is the median of "
        f"{repeats} runs (minimum shown too), pref-voting ran once (a stage is stopped after {limit:g} s).",
        "",
        *_common.machine_section(info),
        f"## Pipeline: {n:,} random strict ballots over {m} candidates",
        "",
        f"Uniformly random rankings (numpy, seed {args.seed}), an integer array of shape ({n:,}, {m}), "
        f"rows = candidate indices best first; {distinct:,} distinct ballots. tellers: "
        "`Profile.from_rankings(array)`, `.margins`, `.condorcet_winner()`, then `rules.run(name, profile)`. "
        "pref-voting: `pref_voting.profiles.Profile(list_of_lists)` (it stores every ballot, with count 1, "
        "and computes its support table while building), `.margin_matrix`, `.condorcet_winner()`, then the "
        "voting-method functions on that profile (numba-compiled ones warmed up beforehand). "
        + (f"Turning the array into lists for pref-voting (`tolist`, {fmt_s(t_list)} s) is not counted. " if t_list else "")
        + "Winners are candidate indices.",
        "",
        "| stage | tellers median (s) | tellers min (s) | pref-voting (s) | pref-voting / tellers | tellers winners | pref-voting winners | same |",
        "|---|---:|---:|---:|---:|---|---|---|",
        *rows,
        "",
        f"tellers pipeline total: **{t_med['total']:.3f} s** (median), which {verdict} the 1 s target.",
    ]
    if pv_times:
        lines += [
            f"pref-voting needs {fmt_s(pv_times.get('build profile'))} s to build the profile alone and "
            f"{fmt_s(pv_times['total'])} s for the whole pipeline: "
            f"**{fmt_ratio(pv_times['total'], t_med['total'])}** the time tellers takes "
            f"({fmt_ratio(pv_times.get('build profile'), t_med['build profile'])} for building the profile; "
            "pref-voting computes its support table while building, so compare building plus margins: "
            f"{fmt_s(_sum(pv_times, 'build profile', 'margins'))} s against "
            f"{fmt_s(t_med['build profile'] + t_med['margins'])} s, "
            f"{fmt_ratio(_sum(pv_times, 'build profile', 'margins'), t_med['build profile'] + t_med['margins'])}).",
            "Every method named the same winners in both: " + ("yes." if agree_all else "**no** — see the table."),
        ]
        if pv_note:
            lines.append(f"Note: {pv_note}.")
    lines += [
        "",
        "## Kemeny-Young, Smith set = all candidates",
        "",
        f"Random strict ballots ({args.kemeny_ballots:,}), the first seed from {args.seed} whose Smith set is "
        "every candidate (checked), so Kemeny-Young cannot split the count into smaller Smith layers. "
        f"tellers: median of {repeats} runs of `rules.run('kemeny_young', profile)` on a built profile "
        "(exact dynamic programming over subsets).",
        "",
        "| candidates | seed | tellers (s) | pref-voting (s) | pref-voting / tellers | tellers winners | pref-voting winners |",
        "|---:|---:|---:|---:|---:|---|---|",
        f"| {km} | {ky_seed} | {fmt_s(ky_t)} | skipped | — | {fmt_winners(ky_w)} | — |",
        f"| {ky_pv_m} | {small_seed} | {fmt_s(s_t)} | {fmt_s(pv_s_t) if pv_s_t is not None else ('skipped' if args.no_pref_voting else f'> {limit:g}')} | "
        f"{fmt_ratio(pv_s_t, s_t)} | {fmt_winners(s_w)} | {fmt_winners(pv_s_w)} |",
        "",
        f"pref-voting's `kemeny_young` scores every one of the m! rankings in Python, so {km} candidates "
        f"({math.factorial(km):,} rankings) is out of reach: scaling its {ky_pv_m}-candidate time by "
        f"{km}!/{ky_pv_m}! and by the pairs per ranking gives {est_text}. It is compared on {ky_pv_m} candidates instead"
        + (
            f", where both name the same winners: {'yes' if s_w == pv_s_w else '**no**'}."
            if pv_s_w is not None
            else "."
        ),
        f"Building the {km}-candidate profile and its margins takes {fmt_s(ky_build)} s in tellers (not included above).",
        "",
    ]
    text = _common.write_report(out, lines)
    print("\n" + text)
    print(f"written to {out}")
    return 0 if agree_all and (pv_s_w is None or s_w == pv_s_w) else 1


if __name__ == "__main__":
    sys.exit(main())
