"""Simulation-study benchmark: 100,000 elections of 1,001 voters over 3 options under impartial
culture, every measure and the default rules, in this process, on a local Dask cluster of 1
and of 2 workers; the same for 1,000,000 elections, where the cluster's start-up matters less;
and the 100,000 with pref-voting's generator and methods on a sample.

Run by hand (never from the test suite):

    python benchmarks/bench_simulate.py               # about 8 minutes
    python benchmarks/bench_simulate.py --rounds 5 --sample 300 --big 0

Each round runs every setting once, interleaved, so the machine's load falls on all alike;
medians are reported, with each round's load average. ``tellers`` is timed as `tellers
simulate` runs a study (:func:`chunk_tallies`, cluster start-up and shutdown included);
pref-voting on ``--sample`` elections (``generate_profile(3, 1001)``, its Condorcet winner and
Smith set, and each of its methods that match the study's rules), scaled to 100,000 elections.
Figures go to ``benchmarks/results/simulate.md`` and are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from importlib.metadata import version
from pathlib import Path

from _common import machine_info, machine_section, write_report

from tellers.ballots.simulate.execution import chunk_tallies
from tellers.ballots.simulate.plan import plan_study
from tellers.ballots.simulate.results import result

HERE = Path(__file__).resolve().parent
ELECTIONS, VOTERS, CANDIDATES = 100_000, 1001, 3
SETTINGS = {"in process (1 worker)": (1, False), "Dask, 1 worker": (1, True), "Dask, 2 workers": (2, True)}


def study(elections: int = ELECTIONS):
    return plan_study("impartial", CANDIDATES, VOTERS, elections, seed=0)


def run_tellers(workers: int, dask: bool, elections: int = ELECTIONS) -> tuple[float, dict]:
    s = study(elections)
    started = time.perf_counter()
    if dask:
        from tellers.ballots.simulate import execution

        tallies = list(execution._on_dask(s, workers, None))
        tallies = [t for _, t in sorted(tallies, key=lambda x: x[0])]
    else:
        tallies = chunk_tallies(s, 1)
    doc = result(s, tallies).to_dict()
    return time.perf_counter() - started, doc


def pref_voting_methods():
    from pref_voting.c1_methods import copeland, llull
    from pref_voting.iterative_methods import baldwin, coombs, instant_runoff, strict_nanson
    from pref_voting.margin_based_methods import beat_path, minimax, split_cycle
    from pref_voting.other_methods import bucklin
    from pref_voting.scoring_methods import anti_plurality, borda, plurality

    return {"plurality": plurality, "anti_plurality": anti_plurality, "borda": borda, "bucklin": bucklin,
            "irv": instant_runoff, "coombs": coombs, "baldwin": baldwin, "nanson": strict_nanson,
            "copeland": copeland, "llull": llull, "minimax": minimax, "schulze": beat_path,
            "split_cycle": split_cycle}


def run_pref_voting(sample: int) -> float:
    """Seconds per election: generate, Condorcet winner, Smith set, every matching method."""
    from pref_voting.c1_methods import smith_set
    from pref_voting.generate_profiles import generate_profile

    methods = pref_voting_methods()
    started = time.perf_counter()
    for _ in range(sample):
        profile = generate_profile(CANDIDATES, VOTERS)
        profile.condorcet_winner()
        smith_set(profile)
        for method in methods.values():
            method(profile)
    return (time.perf_counter() - started) / sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=200, help="pref-voting elections timed per round")
    parser.add_argument("--big", type=int, default=1_000_000, help="elections of the larger study (0: none)")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in SETTINGS}
    big: dict[str, list[float]] = {name: [] for name in SETTINGS}
    times["pref-voting (per election)"] = []
    loads, docs, big_docs = [], {}, {}
    for _ in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for name, (workers, dask) in SETTINGS.items():
            seconds, docs[name] = run_tellers(workers, dask)
            times[name].append(seconds)
            if args.big:
                seconds, big_docs[name] = run_tellers(workers, dask, args.big)
                big[name].append(seconds)
        times["pref-voting (per election)"].append(run_pref_voting(args.sample))
    same = all(doc == docs["in process (1 worker)"] for doc in docs.values())
    same = same and all(doc == big_docs["in process (1 worker)"] for doc in big_docs.values())
    median = {name: statistics.median(t) for name, t in times.items()}
    alone = median["in process (1 worker)"]
    pref = median["pref-voting (per election)"] * ELECTIONS
    s = study()
    rules = ", ".join(s.rules)
    lines = [
        "# Simulation studies", "",
        f"`python benchmarks/bench_simulate.py --rounds {args.rounds} --sample {args.sample}`: {ELECTIONS:,} elections of "
        f"{VOTERS:,} voters over {CANDIDATES} options under impartial culture (seed 0, {len(s.chunk_sizes())} chunks of "
        f"{s.chunk_elections:,}): the Condorcet winner, the Smith set, each rule's winners ({rules}), their Condorcet "
        f"efficiency, ties and agreement, the procedures ({', '.join(s.procedures)}; sincere and sophisticated), and "
        "coalitional manipulability where it is cheap. Medians of the rounds, interleaved.", "",
        "| setting | seconds (median) | rounds | against in process |", "|---|---:|---|---:|",
    ]
    for name, t in times.items():
        if name.startswith("pref-voting"):
            continue
        lines.append(f"| {name} | {median[name]:.2f} | {', '.join(f'{x:.2f}' for x in t)} | {median[name] / alone:.2f}x |")
    if args.big:
        one = statistics.median(big["in process (1 worker)"])
        lines += ["", f"The same study with {args.big:,} elections ({len(study(args.big).chunk_sizes())} chunks):", "",
                  "| setting | seconds (median) | rounds | against in process |", "|---|---:|---|---:|"]
        for name, t in big.items():
            m = statistics.median(t)
            lines.append(f"| {name} | {m:.2f} | {', '.join(f'{x:.2f}' for x in t)} | {m / one:.2f}x |")
        two, dask_one = statistics.median(big["Dask, 2 workers"]), statistics.median(big["Dask, 1 worker"])
        lines += ["", f"From 1 to 2 Dask workers: **{dask_one / two:.2f}x** as fast; 2 workers against one in process: "
                  f"**{one / two:.2f}x**."]
    lines += [
        "", f"Same figures in every setting: {'yes' if same else 'NO'}.", "",
        f"pref-voting, {args.sample} elections a round (generate_profile, condorcet_winner, smith_set and "
        f"{', '.join(pref_voting_methods())}): {median['pref-voting (per election)'] * 1000:.1f} ms an election, so "
        f"{pref:,.0f} s for {ELECTIONS:,}: **{pref / alone:.0f}x** the study in process, which also measures the "
        "procedures and manipulability.", "",
        f"Condorcet winner share: {docs['in process (1 worker)']['condorcet_winner_share']:.4f} "
        f"± {docs['in process (1 worker)']['standard_errors']['condorcet_winner_share']:.4f}.", "",
        f"Load average (1 min) at the start of each round: {', '.join(f'{x:.2f}' for x in loads)}.", "",
        *machine_section(machine_info({"numpy": version("numpy"), "dask": version("dask"),
                                       "pref-voting": version("pref_voting")})),
    ]
    print(write_report(HERE / "results" / "simulate.md", lines))


if __name__ == "__main__":
    main()
