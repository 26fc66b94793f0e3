"""Whole-command benchmark: `tellers demo` and `tellers report --out` on the bundled case.

Run by hand (never from the test suite):

    python benchmarks/bench_commands.py                   # 7 interleaved rounds
    python benchmarks/bench_commands.py --runs 11 --compare /tmp/before/src

Each round runs every command once as a new process, in a rotating order, after one warm-up
round that is not counted (it also fills the Vega bundle cache the report inlines). The
commands run in an empty folder with ``$XDG_DATA_HOME`` pointing into it and no ``$TELLERS_DB``,
so no database is found and they read the bundled 2019 Commons case (checked on stderr), as a
first run after ``pip install`` does. With ``--compare SRC`` they run on that source tree too
(``PYTHONPATH=SRC``, same interpreter and packages), interleaved, so before and after come
from the same run; the outputs of the two trees are compared (the report's date aside): the
figures must be the same. Medians and minima of the wall-clock time, the CPU time (user +
system, which load from other processes disturbs less), the load average, and where the time
goes: one run of each under ``cProfile`` (its overhead included), the cumulative seconds of
the stages that matter.

The figures go to ``benchmarks/results/commands.md`` and are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pstats
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from _common import machine_info, machine_section, write_report
from bench_startup import check_tree, environment, tellers_script

HERE = Path(__file__).resolve().parent
TARGETS = {"tellers demo": 1.0, "tellers report --out r.html": 3.0}
"""Issue 15's targets, seconds."""
STAGES = (
    ("the command (all but start-up)", "cli/majority.py", "demo"),
    ("the command (all but start-up)", "cli/see.py", "report"),
    ("draw completions (uniform, party)", "robustness.py", "draw_completions"),
    ("drawing completions (every model; in threads where a core is idle)", "ballots/completions.py", "draw_chunks"),
    ("how sure: reading the draws", "completions.py", "summarise"),
    ("every procedure, with agenda power", "parliament/procedures.py", "every_procedure"),
    ("how sure, under every model", "robustness.py", "assess_models"),
    ("  the chamber's scale (one fit)", "spatial.py", "chamber_scale"),
    ("  its 50 bootstrap refits (once; in processes: the wait)", "spatial.py", "chamber_bootstrap"),
    ("  the options refitted per replicate (in processes: the wait)", "spatial.py", "spatial_bootstrap"),
    ("  the spatial draws", "robustness.py", "sample"),
    ("chart: divisions", "charts.py", "divisions_chart"),
    ("chart: head to head", "charts.py", "head_to_head_chart"),
    ("chart: majority graph", "majority_graph.py", "majority_graph_chart"),
    ("chart: ideal points", "charts.py", "ideal_points_chart"),
    ("chart: what it would take (with its solves)", "charts.py", "whatif_chart"),
    ("chart: voting power", "charts.py", "power_chart"),
    ("the page (Vega bundle, JSON)", "html.py", "render"),
    ("printing the tables", "rich/console.py", "print"),
)
"""(label, file ending, function) of the stages shown from the profiles."""


def commands(out: Path) -> dict[str, list[str]]:
    return {"tellers demo": ["demo"], "tellers report --out r.html": ["report", "--out", str(out)]}


def run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds of one whole process, and a digest of its output (stdout,
    else the file it wrote, its date masked); it must succeed on the bundled case."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or b"bundled" not in done.stderr:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-400:]}")
    output = done.stdout
    if "--out" in argv:
        output = re.sub(rb"Made by tellers on [^<]*", b"", Path(argv[argv.index("--out") + 1]).read_bytes())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, hashlib.sha256(output).hexdigest()[:12]


def profile(argv: list[str], env: dict[str, str], cwd: Path, into: Path) -> dict[str, float]:
    """Cumulative seconds of each of :data:`STAGES` in one run under cProfile, and the total
    (nothing where the `tellers` script is not there to profile)."""
    if argv[0] == sys.executable:
        return {}
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(into), *argv], env=env, cwd=cwd,
                   capture_output=True, check=True)
    stats = pstats.Stats(str(into)).stats  # {(file, line, function): (cc, nc, tt, ct, callers)}
    found = {"total (profiled)": max(ct for _, _, _, ct, _ in stats.values())}
    for label, ending, function in STAGES:
        seconds = sum(ct for (file, _, name), (_, _, _, ct, _) in stats.items()
                      if name == function and file.endswith(ending))
        if seconds >= 0.005:
            found[label] = found.get(label, 0.0) + seconds
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="interleaved rounds (default: %(default)s)")
    parser.add_argument("--compare", type=Path, default=None, metavar="SRC",
                        help="also run the commands on this source tree (e.g. a `git archive` of an older commit)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "commands.md")
    args = parser.parse_args(argv)
    if args.compare is not None:
        check_tree(args.compare)

    with tempfile.TemporaryDirectory(prefix="tellers-commands-") as tmp:
        cwd = Path(tmp)
        trees = {"": None} if args.compare is None else {"": None, " (before)": args.compare}
        jobs = {}
        for suffix, src in trees.items():
            env = {**environment(src, cwd / "pycache"), "XDG_DATA_HOME": str(cwd / "data")}
            for label, rest in commands(cwd / f"r{len(jobs)}.html").items():
                jobs[label + suffix] = ([*tellers_script(), *rest], env)
        labels = list(jobs)
        digests: dict[str, set[str]] = {label: set() for label in labels}
        for label in labels:  # warm-up: the page cache, the .pyc files, the Vega bundle
            digests[label].add(run(*jobs[label], cwd)[2])
        wall: dict[str, list[float]] = {label: [] for label in labels}
        cpu: dict[str, list[float]] = {label: [] for label in labels}
        load_start = os.getloadavg()
        for r in range(args.runs):
            for label in labels[r % len(labels):] + labels[: r % len(labels)]:
                w, c, digest = run(*jobs[label], cwd)
                wall[label].append(w)
                cpu[label].append(c)
                digests[label].add(digest)
            print(f"round {r + 1}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in wall.items()), file=sys.stderr)
        load_end = os.getloadavg()
        profiles = {label: profile(*jobs[label], cwd, cwd / f"{i}.prof") for i, label in enumerate(commands(cwd / "p.html"))}

    info = machine_info(
        {"numpy": version("numpy"), "scipy": version("scipy"), "altair": version("altair")},
        {
            "load average at start (1 / 5 / 15 min)": " / ".join(f"{x:.2f}" for x in load_start),
            "load average at end": " / ".join(f"{x:.2f}" for x in load_end),
        },
    )
    med = {label: statistics.median(v) for label, v in wall.items()}
    lines = [
        "# Whole-command benchmark",
        "",
        (
            f"Written by `benchmarks/bench_commands.py`. Each command as a whole process on the bundled 2019 Commons "
            f"case (no database), {args.runs} interleaved rounds after a warm-up: wall-clock seconds (median and "
            "minimum) and CPU seconds (user + system, median)."
        ),
        "",
        *machine_section(info),
        "## Whole process",
        "",
        "| command | median (s) | min (s) | CPU median (s) | target (s) | same output every run |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label in labels:
        target = TARGETS.get(label.removesuffix(" (before)"), "")
        lines.append(f"| `{label}` | {med[label]:.2f} | {min(wall[label]):.2f} | {statistics.median(cpu[label]):.2f} | "
                     f"{target} | {'yes' if len(digests[label]) == 1 else 'NO'} |")
    lines.append("")
    if args.compare is not None:
        lines += [f"Before: the source tree `{args.compare}`, same interpreter and packages. After / before (medians):", ""]
        for label in commands(Path("r.html")):
            same = digests[label] == digests[f"{label} (before)"]
            lines.append(f"- `{label}`: {med[label]:.2f} s against {med[f'{label} (before)']:.2f} s, "
                         f"{med[label] / med[f'{label} (before)']:.2f}x; output {'the same' if same else 'DIFFERENT'}")
        lines.append("")
    lines += [
        "## Where the time goes",
        "",
        "One run of each command under `cProfile` (which slows Python-heavy code more than numpy-heavy code): "
        "the cumulative seconds of the main stages; start-up (imports) is the total less the command.",
        "",
    ]
    for label, found in profiles.items():
        lines += [f"### `{label}`", "", "| stage | seconds (profiled) |", "|---|---:|"]
        lines += [f"| {stage} | {seconds:.2f} |" for stage, seconds in found.items()]
        lines.append("")
    print(write_report(args.out, lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
