"""Benchmark: parliamentary procedures on a 650-member chamber of random complete strict ballots.

Times (median and min of interleaved repeats, each on a freshly built profile, so the pairwise
counts are part of the time): the sophisticated amendment and successive outcomes on 10 options
(`procedures.run`); agenda power (`reach.reach`) on 8 of them (40,320 orderings) for both
procedures and both votings, where amendment on a tournament is answered by a theorem, so the
enumeration is timed too (on a seed whose 8 options tie somewhere, and as `reach.winners_over`
on every ordering); and `batch.winners_on_draws` for 2,000 draws x 650 members x 5 options, per
procedure. The issue's targets: a sophisticated outcome on 10 options, and `--reachable` on 8,
each under 1 s. Run by hand: ``python benchmarks/bench_procedures.py``; writes
``benchmarks/results/procedures.md``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _common import HERE, machine_info, machine_section, write_report

TARGET = 1.0  # seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=650)
    parser.add_argument("--draws", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "procedures.md")
    args = parser.parse_args(argv)

    from tellers import Profile
    from tellers.ballots import procedures
    from tellers.ballots.procedures import reach
    from tellers.ballots.procedures.batch import winners_on_draws

    rng = np.random.default_rng(args.seed)
    names = [f"option {i}" for i in range(10)]
    rankings = np.argsort(rng.random((args.members, 10)), axis=1)
    eight = names[:8]

    def fresh() -> Profile:
        return Profile.from_rankings(rankings, candidates=names)

    positions = np.argsort(np.argsort(rng.random((args.draws, args.members, 5)), axis=2), axis=2).astype(np.int8)

    # each case: (section, label, target?, setup) where setup() is untimed and returns the timed call
    cases: list[tuple[str, str, bool, Callable[[], Callable[[], object]]]] = []
    for proc in ("amendment", "successive"):
        def setup(proc=proc):
            profile = fresh()
            return lambda: procedures.run(proc, profile, None, "sophisticated")
        cases.append(("outcome, 10 options", f"{proc}, sophisticated", True, setup))
    methods: dict[str, str] = {}
    for proc in ("amendment", "successive"):
        for voting in procedures.VOTING:
            def setup(proc=proc, voting=voting):
                m = procedures.motion(fresh(), eight, voting, procedure_name=proc)
                return lambda: methods.__setitem__(f"{proc}, {voting}", reach.reach(m, proc).method)
            cases.append(("reach, 8 options", f"{proc}, {voting}", True, setup))
    # the same chamber of another seed whose 8 options tie somewhere: reach enumerates for amendment too
    for seed in itertools.count(args.seed + 1):
        tied_rankings = np.argsort(np.random.default_rng(seed).random((args.members, 10)), axis=1)
        if (Profile.from_rankings(tied_rankings, candidates=names).margins[:8, :8] == 0).any():
            break
    for voting in procedures.VOTING:
        def setup(voting=voting):
            m = procedures.motion(Profile.from_rankings(tied_rankings, candidates=names), eight, voting)
            key = f"amendment, {voting}, a tied pair (seed {seed})"
            return lambda: methods.__setitem__(key, reach.reach(m, "amendment").method)
        cases.append(("reach, 8 options", f"amendment, {voting}, a tied pair (seed {seed})", True, setup))
    for voting in procedures.VOTING:
        def setup(voting=voting):
            m = procedures.motion(fresh(), eight, voting)
            return lambda: reach.winners_over(
                m, "amendment", np.array(list(itertools.permutations(m.agenda)), dtype=np.intp))
        cases.append(("reach, 8 options", f"amendment, {voting}: every ordering (winners_over)", False, setup))
    for proc, voting in [("amendment", "sincere"), ("amendment", "sophisticated"), ("successive", "sincere"),
                         ("successive", "sophisticated"), ("indicative", "sincere"), ("exhaustive", "sincere"),
                         ("preferential", "sincere"), ("condorcet", "sincere")]:
        default = 4 if proc == "indicative" else None
        agenda = (0, 1, 2, 3) if default is not None else (0, 1, 2, 3, 4)
        cases.append((f"winners_on_draws, {args.draws:,} draws x {args.members} members x 5 options",
                      f"{proc}, {voting}" if proc in ("amendment", "successive") else proc, False,
                      lambda proc=proc, voting=voting, agenda=agenda, default=default:
                      (lambda: winners_on_draws(proc, positions, agenda, voting, default))))

    load = os.getloadavg()
    runs: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.repeats):  # interleaved: every case once per repeat
        for section, label, _target, setup in cases:
            call = setup()
            start = time.perf_counter()
            call()
            runs.setdefault((section, label), []).append(time.perf_counter() - start)

    info = machine_info({"numpy": np.__version__},
                        {"load average at start (1 / 5 / 15 min)": " / ".join(f"{x:.2f}" for x in load)})
    lines = ["# Procedures benchmark", "", " ".join(__doc__.split("\n\n")[1].split()), "",
             *machine_section(info),
             f"{args.members} members (seed {args.seed}), median and min of {args.repeats} interleaved runs.", ""]
    targets = {(s, lab) for s, lab, t, _ in cases if t}
    section = None
    for (sec, label), times in runs.items():
        if sec != section:
            section = sec
            lines += ["", f"## {sec}", "", "| case | median (s) | min (s) | target < 1 s | how |",
                      "|---|---:|---:|---|---|"]
        median = statistics.median(times)
        verdict = ("met" if median < TARGET else "MISSED") if (sec, label) in targets else ""
        how = methods.get(label, "") if sec.startswith("reach") else ""
        lines.append(f"| {label} | {median:.4f} | {min(times):.4f} | {verdict} | {how} |")
    print(write_report(args.out, lines + [""]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
