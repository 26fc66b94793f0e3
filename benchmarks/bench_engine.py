"""Counting-engine benchmark: tellers next to a plain numpy floor, svvamp and pref-voting, in one run.

Run by hand (never from the test suite):

    python benchmarks/bench_engine.py            # 1,000,000 ballots over 13 candidates
    python benchmarks/bench_engine.py --quick    # smoke run with small sizes

Part 1 times the pipeline (see ``_pipelines.py``) on random strict ballots, stage by
stage: tellers, the numpy floor (build + margins) and svvamp interleaved ``--repeats``
times (medians), pref-voting once, since it is slow; all must name the same winners.
Part 2 times build + margins against the floor on other inputs: heavily repeated
ballots, 20 candidates, ten times the ballots. Part 3 measures peak memory at
10,000,000 x 13 against the input array. Part 4 times Kemeny-Young on 13 candidates
whose Smith set is all of them (pref-voting on fewer: it tries all m! rankings).

The figures go to ``benchmarks/results/engine.md`` (``engine-quick.md`` with ``--quick``)
and are printed.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import statistics
import sys
import tracemalloc
from importlib.metadata import version
from pathlib import Path

import _common
import numpy as np
from _pipelines import (
    STAGES,
    Timeout,
    floor_build_margins,
    pref_voting_pipeline,
    random_ballots,
    svvamp_pipeline,
    tellers_pipeline,
    time_limit,
    timed,
)

from tellers import Profile, rules

HERE = Path(__file__).resolve().parent


def full_smith_ballots(n: int, m: int, seed: int) -> tuple[np.ndarray, int]:
    """Random strict ballots whose Smith set is all ``m`` candidates (seeds tried in turn)."""
    for s in range(seed, seed + 1000):
        ballots = random_ballots(n, m, s)
        if len(Profile.from_rankings(ballots).smith_set()) == m:
            return ballots, s
    raise RuntimeError(f"no seed in {seed}..{seed + 999} gave a Smith set of all {m} candidates")


def installed(package: str) -> str | None:
    try:
        return version(package)
    except Exception:  # noqa: BLE001
        return None


def interleaved(ballots: np.ndarray, repeats: int, with_svvamp: bool) -> dict[str, list]:
    """``repeats`` rounds of tellers, the floor and svvamp, one after another in each round."""
    runs: dict[str, list] = {"tellers": [], "floor": [], "svvamp": []}
    for _ in range(repeats):
        for who in runs:
            if who == "svvamp" and not with_svvamp:
                continue
            gc.collect()
            if who == "floor":
                runs[who].append((floor_build_margins(ballots), {}))
            else:
                runs[who].append((tellers_pipeline if who == "tellers" else svvamp_pipeline)(ballots))
    return runs


def medians(runs: list) -> dict[str, float]:
    return {s: statistics.median(r[0][s] for r in runs) for s in runs[0][0]} if runs else {}


def build_margins(ballots: np.ndarray, repeats: int, with_svvamp: bool) -> tuple[float, float, float | None, int]:
    """Medians of tellers, floor and svvamp build + margins, interleaved; tellers' ballot rows."""
    t, f, v = [], [], []
    for _ in range(repeats):
        gc.collect()
        t.append(timed(lambda: Profile.from_rankings(ballots).margins)[0])
        gc.collect()
        f.append(sum(floor_build_margins(ballots).values()))
        if with_svvamp:
            import svvamp

            gc.collect()
            v.append(timed(lambda: svvamp.Profile(preferences_rk=ballots).matrix_duels_rk)[0])
    rows = Profile.from_rankings(ballots).num_ballots
    return statistics.median(t), statistics.median(f), statistics.median(v) if v else None, rows


def peak_memory(ballots: np.ndarray) -> tuple[float, float]:
    """Peak traced memory of build + margins, and of the whole pipeline, over the input's bytes."""
    gc.collect()
    tracemalloc.start()
    prof = Profile.from_rankings(ballots)
    prof.margins
    build = tracemalloc.get_traced_memory()[1]
    for name in ("plurality", "irv", "schulze", "borda"):
        rules.run(name, prof)
    whole = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return build / ballots.nbytes, whole / ballots.nbytes


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


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def machine_info() -> dict[str, str]:
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas_text = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # noqa: BLE001
        blas_text = "unknown"
    return _common.machine_info(
        {"numpy": np.__version__, "numpy BLAS": blas_text},
        {
            "svvamp": installed("svvamp") or "not installed",
            "pref-voting": installed("pref-voting") or "not installed",
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "(unset)"),
            "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "(unset)"),
            "load average at start (1 / 5 / 15 min)": load_average(),
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


def fmt_winners(w: frozenset[int] | None) -> str:
    if w is None:
        return "—"
    return "{" + ", ".join(str(c) for c in sorted(w)) + "}" if w else "none"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--ballots", type=int, help="number of ballots (default 1,000,000; 20,000 with --quick)")
    ap.add_argument("--candidates", type=int, default=13)
    ap.add_argument("--repeats", type=int, help="interleaved rounds, medians reported (default 7; 3 with --quick)")
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--pv-limit", type=float, help="stop a pref-voting stage after this many seconds (default 900; 60 with --quick)")
    ap.add_argument("--no-pref-voting", action="store_true", help="leave pref-voting out")
    ap.add_argument("--kemeny-ballots", type=int, default=10_001)
    ap.add_argument("--kemeny-pv-candidates", type=int, help="candidates for the pref-voting Kemeny comparison (default 9; 7 with --quick)")
    ap.add_argument("--out", type=Path, help="markdown file to write (default benchmarks/results/engine.md)")
    args = ap.parse_args(argv)

    n = args.ballots or (20_000 if args.quick else 1_000_000)
    m = args.candidates
    repeats = args.repeats or (3 if args.quick else 7)
    limit = args.pv_limit or (60.0 if args.quick else 900.0)
    ky_pv_m = args.kemeny_pv_candidates or (7 if args.quick else 9)
    out = args.out or HERE / "results" / ("engine-quick.md" if args.quick else "engine.md")
    with_svvamp = installed("svvamp") is not None
    info = machine_info()
    print("machine:", ", ".join(f"{k} {v}" for k, v in info.items()), flush=True)

    # ------------------------------------------------------------------ part 1
    ballots = random_ballots(n, m, args.seed)
    print(f"\n{n:,} random strict ballots over {m} candidates (seed {args.seed})", flush=True)
    interleaved(ballots[: min(n, 1000)], 1, with_svvamp)  # first-call costs off the clock
    runs = interleaved(ballots, repeats, with_svvamp)
    t_med, f_med, v_med = medians(runs["tellers"]), medians(runs["floor"]), medians(runs["svvamp"])
    t_win, v_win = runs["tellers"][-1][1], (runs["svvamp"][-1][1] if with_svvamp else {})
    rows_kept = Profile.from_rankings(ballots).num_ballots
    pv_times, pv_win, pv_note, t_list = {}, {}, "", None
    if not args.no_pref_voting:
        print("  pref-voting run (once)...", flush=True)
        gc.collect()
        pv_times, pv_win, t_list, pv_note = pref_voting_pipeline(ballots, limit)
    agree_all = True
    table = []
    for stage in STAGES:
        tw = t_win.get(stage)
        same = []
        if stage in v_win and tw is not None and len(tw) == 1:
            same.append("svvamp " + ("yes" if v_win[stage] == tw else "**NO**"))
            agree_all &= v_win[stage] == tw
        if pv_win.get(stage) is not None:
            same.append("pref-voting " + ("yes" if pv_win[stage] == tw else "**NO**"))
            agree_all &= pv_win[stage] == tw
        table.append(
            f"| {stage} | {fmt_s(t_med[stage])} | {fmt_s(f_med.get(stage))} | {fmt_ratio(t_med[stage], f_med.get(stage))} | "
            f"{fmt_s(v_med.get(stage))} | {fmt_ratio(v_med.get(stage), t_med[stage])} | {fmt_s(pv_times.get(stage))} | "
            f"{fmt_ratio(pv_times.get(stage), t_med[stage])} | {fmt_winners(tw) if tw is not None else ''} | {', '.join(same)} |"
        )
    total = {k: (sum(v.values()) if v and None not in v.values() else None) for k, v in (("t", t_med), ("v", v_med), ("pv", pv_times))}
    bm = {k: (d.get("build profile") or 0) + (d.get("margins") or 0) for k, d in (("t", t_med), ("f", f_med), ("v", v_med))}
    table.append(
        f"| **total** | {fmt_s(total['t'])} | | | {fmt_s(total['v'])} | {fmt_ratio(total['v'], total['t'])} | "
        f"{fmt_s(total['pv'])} | {fmt_ratio(total['pv'], total['t'])} | | |"
    )
    print(f"  tellers total {fmt_s(total['t'])} s, svvamp {fmt_s(total['v'])} s, build+margins {fmt_ratio(bm['t'], bm['f'])} the floor", flush=True)

    # ------------------------------------------------------------------ part 2
    sizes = [("distinct", n, m, None), ("1,000 distinct orders", n, m, 1000), ("distinct", n, 20, None), ("distinct", 10 * n, m, None)]
    cases = []
    for label, cn, cm, distinct in sizes:
        b = ballots if (cn, cm, distinct) == (n, m, None) else random_ballots(cn, cm, args.seed, distinct)
        print(f"  build + margins, {cn:,} x {cm}, {label}...", flush=True)
        t, f, v, rows = build_margins(b, repeats, with_svvamp and cn <= n)
        cases.append(f"| {cn:,} x {cm} | {label} | {rows:,} | {fmt_s(t)} | {fmt_s(f)} | {fmt_ratio(t, f)} | {fmt_s(v)} | {fmt_ratio(v, t)} |")
        del b

    # ------------------------------------------------------------------ part 3
    big = random_ballots(10 * n, m, args.seed)
    print(f"  peak memory at {10 * n:,} x {m}...", flush=True)
    mem_build, mem_whole = peak_memory(big)
    big_bytes = big.nbytes
    del big

    # ------------------------------------------------------------------ part 4
    km = m
    print(f"\nKemeny-Young: {args.kemeny_ballots:,} ballots over {km} candidates, Smith set = all", flush=True)
    ky_ballots, ky_seed = full_smith_ballots(args.kemeny_ballots, km, args.seed)
    ky_t, ky_build, ky_w, ky_smith = kemeny_tellers(ky_ballots, repeats)
    assert ky_smith == km, f"Smith set has {ky_smith} candidates, wanted {km}"
    small_ballots, small_seed = full_smith_ballots(args.kemeny_ballots, ky_pv_m, args.seed)
    s_t, _, s_w, s_smith = kemeny_tellers(small_ballots, repeats)
    assert s_smith == ky_pv_m
    pv_s_t = pv_s_w = None
    if not args.no_pref_voting:
        pv_s_t, pv_s_w = kemeny_pref_voting(small_ballots, limit)
    est_text = "not estimated"
    if pv_s_t is not None:
        est = pv_s_t * math.factorial(km) / math.factorial(ky_pv_m) * (km * (km - 1)) / (ky_pv_m * (ky_pv_m - 1))
        est_text = f"about {est / 86400:,.1f} days" if est > 86400 else f"about {est / 3600:,.1f} hours"

    # ------------------------------------------------------------------ write
    lines = [
        "# Counting-engine benchmark",
        "",
        f"Written by `benchmarks/bench_engine.py{' --quick' if args.quick else ''}`. Wall-clock seconds "
        f"(`time.perf_counter`); tellers, the numpy floor and svvamp ran interleaved, {repeats} rounds, medians shown; "
        f"pref-voting ran once (a stage is stopped after {limit:g} s). Load average at the end: {load_average()}.",
        "",
        *_common.machine_section(info),
        f"## Pipeline: {n:,} random strict ballots over {m} candidates",
        "",
        f"Uniformly random rankings (numpy, seed {args.seed}), an int64 array of shape ({n:,}, {m}), rows = candidate "
        f"indices best first; tellers kept {rows_kept:,} ballot rows (merging is skipped when a sample shows the "
        "ballots nearly all distinct). tellers: `Profile.from_rankings(array)`, `.margins`, `.condorcet_winner()`, "
        "then `rules.run(name, profile)`. The numpy floor: a candidates x ballots int8 rank matrix by one scatter, "
        "then one `count_nonzero(R[a] < R[b])` per pair. svvamp: `Profile(preferences_rk=array)`, `.matrix_duels_rk`, "
        "`.condorcet_winner_rk`, then `Rule...()(profile).w_` (one winner, ties broken by index: compared only where "
        "tellers names one). pref-voting: `Profile(list_of_lists)` (it computes its support table while building), "
        "`.margin_matrix`, `.condorcet_winner()`, then its functions (numba ones warmed up)"
        + (f"; turning the array into lists for it (`tolist`, {fmt_s(t_list)} s) is not counted." if t_list else "."),
        "",
        "| stage | tellers (s) | numpy floor (s) | tellers / floor | svvamp (s) | svvamp / tellers | pref-voting (s) | pref-voting / tellers | tellers winners | same winners |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
        *table,
        "",
        f"Build + margins: tellers {fmt_s(bm['t'])} s, the numpy floor {fmt_s(bm['f'])} s: **{fmt_ratio(bm['t'], bm['f'])}** the floor. "
        f"Whole pipeline: tellers **{fmt_s(total['t'])} s**"
        + (f", svvamp {fmt_s(total['v'])} s (**{fmt_ratio(total['v'], total['t'])}** tellers' time)" if total["v"] else "")
        + (f", pref-voting {fmt_s(total['pv'])} s ({fmt_ratio(total['pv'], total['t'])})" if total["pv"] else "")
        + ". Same winners everywhere compared: " + ("yes." if agree_all else "**no** — see the table."),
        *([f"Note: {pv_note}."] if pv_note else []),
        "",
        "## Build + margins on other inputs",
        "",
        f"Medians of {repeats} interleaved rounds; the floor as above; svvamp's `Profile` + `matrix_duels_rk` up to {n:,} ballots.",
        "",
        "| ballots x candidates | ballots | rows kept | tellers (s) | numpy floor (s) | tellers / floor | svvamp (s) | svvamp / tellers |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        *cases,
        "",
        f"## Peak memory at {10 * n:,} x {m}",
        "",
        f"Peak memory traced (`tracemalloc`, which sees numpy's buffers) over the input array ({big_bytes / 2**20:,.0f} MiB, int64): "
        f"build + margins **{mem_build:.2f}x**; with plurality, IRV, Schulze and Borda too {mem_whole:.2f}x.",
        "",
        "## Kemeny-Young, Smith set = all candidates",
        "",
        f"Random strict ballots ({args.kemeny_ballots:,}), the first seed from {args.seed} whose Smith set is every "
        f"candidate (checked). tellers: median of {repeats} runs of `rules.run('kemeny_young', profile)` on a built profile.",
        "",
        "| candidates | seed | tellers (s) | pref-voting (s) | pref-voting / tellers | tellers winners | pref-voting winners |",
        "|---:|---:|---:|---:|---:|---|---|",
        f"| {km} | {ky_seed} | {fmt_s(ky_t)} | skipped | — | {fmt_winners(ky_w)} | — |",
        f"| {ky_pv_m} | {small_seed} | {fmt_s(s_t)} | {fmt_s(pv_s_t) if pv_s_t is not None else ('skipped' if args.no_pref_voting else f'> {limit:g}')} | "
        f"{fmt_ratio(pv_s_t, s_t)} | {fmt_winners(s_w)} | {fmt_winners(pv_s_w)} |",
        "",
        f"pref-voting's `kemeny_young` scores every one of the m! rankings in Python: scaling its {ky_pv_m}-candidate "
        f"time to {km} candidates gives {est_text}. Building the {km}-candidate profile and its margins takes {fmt_s(ky_build)} s.",
        "",
    ]
    text = _common.write_report(out, lines)
    print("\n" + text)
    print(f"written to {out}")
    return 0 if agree_all and (pv_s_w is None or s_w == pv_s_w) else 1


if __name__ == "__main__":
    sys.exit(main())
