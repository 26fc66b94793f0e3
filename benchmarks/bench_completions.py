"""Benchmark: drawing completions of the 2019 Commons' revealed preferences.

For each question of the bundled case (1 April: 5 options, 638 members in the electorate;
27 March: 8 options, 602) and each model, the time to draw 20,000 completions and summarise
them (Condorcet shares, margin quantiles, six rules' winners): `tellers.parliament.robustness.assess`,
in process, median of 3 runs interleaved, with the exact bounds alone as the baseline. Run by
hand: ``python benchmarks/bench_completions.py``; writes ``benchmarks/results/completions.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import numpy as np

from _common import HERE, machine_info, machine_section, write_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "completions.md")
    args = parser.parse_args(argv)

    from tellers.parliament.head_to_head import analyse_options
    from tellers.parliament.house import open_house
    from tellers.parliament.robustness import MODELS, assess

    house = open_house()
    analyses = {q: analyse_options(house, [q]) for q in ("1apr", "27mar")}
    load = os.getloadavg()
    runs: dict[tuple[str, str], list[float]] = {}
    shares: dict[tuple[str, str], str] = {}
    for _ in range(args.repeats):
        for q, a in analyses.items():
            for model in (None, *MODELS):
                start = time.perf_counter()
                r = assess(a, model=model, draws=args.draws, seed=0, house=house)
                runs.setdefault((q, model or "exact bounds only"), []).append(time.perf_counter() - start)
                if r.shares is not None:
                    best = int(np.argmax(r.shares.condorcet))
                    shares[q, model] = (f"{r.labels[best]} {100 * r.shares.condorcet[best]:.1f}%, "
                                        f"none {100 * r.shares.no_winner:.1f}%")
    info = machine_info({"numpy": np.__version__},
                        {"load average at start (1 / 5 / 15 min)": " / ".join(f"{x:.2f}" for x in load)})
    lines = [
        "# Completions benchmark",
        "",
        __doc__.split("\n\n")[1].replace("\n", " "),
        "",
        *machine_section(info),
        f"## {args.draws:,} draws per model",
        "",
        "| question | model | median (s) | min (s) | likeliest Condorcet winner (seed 0) |",
        "|---|---|---:|---:|---|",
    ]
    for (q, model), times in runs.items():
        lines.append(f"| {q} | {model} | {statistics.median(times):.2f} | {min(times):.2f} | {shares.get((q, model), '')} |")
    print(write_report(args.out, lines + [""]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
