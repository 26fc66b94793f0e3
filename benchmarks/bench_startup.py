"""Start-up benchmark: the whole-process wall-clock time of short `tellers` commands.

Run by hand (never from the test suite):

    python benchmarks/bench_startup.py                    # 15 interleaved rounds
    python benchmarks/bench_startup.py --runs 31 --soi FILE.soi
    git archive COMMIT src | tar -x -C /tmp/before        # an older tree to compare with:
    python benchmarks/bench_startup.py --compare /tmp/before/src --compare-label "commit COMMIT"

Each round runs every command once as a new process, in a rotating order (so that a burst
of load on this shared machine falls on all of them alike), after one warm-up round that is
not counted: ``python -c pass`` (the floor: the interpreter alone), ``python -c "import
numpy"`` (the engine's one indispensable import), ``tellers --help`` (and, for comparison,
Typer's plain help with ``TYPER_USE_RICH=0``) and ``tellers elect FILE --json`` on a small
PrefLib file (default: the 2010 UK Labour leadership, 266 voters, 5 candidates, from
``../shared/data/preflib``; else a 9-voter file written here). With ``--compare SRC`` the
two `tellers` commands run on that source tree too (``PYTHONPATH=SRC``, same interpreter
and packages), interleaved with the others, so before and after come from the same run.
Medians and minima, ratios to ``python -c pass``, and the machine's load average. Then
where the time goes: ``python -X importtime`` self times, summed by top-level package
(median over a few runs), for the whole of ``tellers --help`` and of ``tellers elect``.
(``bench_import.py`` measures something else: importing division records into DuckDB.)

Bytecode: every process reads compiled bytecode from a fresh ``PYTHONPYCACHEPREFIX`` (the
warm-up round writes it), as after ``pip install``. The `tellers` commands run a second time
with ``PYTHONDONTWRITEBYTECODE=1`` and no prefix, as in the sandbox this project is developed
in: there, nothing caches the bytecode of an editable install's sources (``src/tellers``), so
every run compiles every tellers module it imports.

The figures go to ``benchmarks/results/startup.md`` and are printed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from _common import machine_info, machine_section, write_report

HERE = Path(__file__).resolve().parent
DEFAULT_SOI = HERE.parent.parent / "shared" / "data" / "preflib" / "00030-uklabor" / "00030-00000001.soi"
TARGET = 0.25
"""Issue 15's target for `tellers --help` and `tellers elect SMALL.soi --json`, seconds."""
SMALL_SOI = """\
# FILE NAME: small.soi
# DATA TYPE: soi
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 9
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: Ash
# ALTERNATIVE NAME 2: Birch
# ALTERNATIVE NAME 3: Cedar
4: 1,2,3
3: 2,3,1
2: 3,2,1
"""
RUN_CLI = "import sys; from tellers.views.cli import main; sys.argv = ['tellers', *sys.argv[1:]]; main()"
"""The console entry point, for ``-X importtime`` (which the `tellers` script cannot take)."""


def tellers_script() -> list[str]:
    """The `tellers` console script beside this interpreter (as a user runs it), else its entry point."""
    script = shutil.which("tellers", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-c", RUN_CLI]


def environment(src: Path | None, pycache: Path | None) -> dict[str, str]:
    """This environment without $PYTHONPATH and $TELLERS_DB; with ``src`` first on the path;
    bytecode cached under ``pycache``, or (None) never written."""
    drop = ("PYTHONPATH", "TELLERS_DB", "PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    if pycache is not None:
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def check_tree(src: Path) -> None:
    """Fail unless ``PYTHONPATH=src`` makes this interpreter import tellers from ``src``."""
    found = subprocess.run([sys.executable, "-c", "import tellers; print(tellers.__file__)"], env=environment(src, None),
                           capture_output=True, text=True, check=True).stdout.strip()
    if not Path(found).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"--compare {src}: tellers is imported from {found}, not from that tree")


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one whole process (its output discarded; it must succeed)."""
    t0 = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-400:]}")
    return elapsed


def interleaved(commands: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, list[float]]:
    """``runs`` rounds of every command once, the order rotating each round, after a warm-up round."""
    labels = list(commands)
    for label in labels:  # warm-up: the page cache, the .pyc files
        timed(*commands[label])
    times: dict[str, list[float]] = {label: [] for label in labels}
    for r in range(runs):
        for label in labels[r % len(labels):] + labels[: r % len(labels)]:
            times[label].append(timed(*commands[label]))
        print(f"round {r + 1}/{runs}: " + ", ".join(f"{k} {v[-1]:.3f}" for k, v in times.items()), file=sys.stderr)
    return times


def self_times_by_package(argv: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    """Median over ``runs`` of ``-X importtime`` self times (ms) summed by top-level package;
    the standard library's modules summed as one."""
    totals: list[dict[str, float]] = []
    for _ in range(runs):
        err = subprocess.run([sys.executable, "-X", "importtime", *argv], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, check=False).stderr
        by: dict[str, float] = {}
        for m in re.finditer(r"^import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", err, re.MULTILINE):
            top = m[2].split(".")[0]
            key = "(standard library)" if top in sys.stdlib_module_names else top
            by[key] = by.get(key, 0.0) + int(m[1]) / 1000
        totals.append(by)
    keys = {k for t in totals for k in t}
    return {k: statistics.median(t.get(k, 0.0) for t in totals) for k in keys}


def breakdown_lines(title: str, times: dict[str, float], top: int = 9) -> list[str]:
    ranked = sorted(times.items(), key=lambda kv: -kv[1])
    shown, rest = ranked[:top], ranked[top:]
    lines = [f"### {title}", "", "| package | ms (self, summed) |", "|---|---:|"]
    lines += [f"| {k} | {v:.1f} |" for k, v in shown]
    if rest:
        lines.append(f"| {len(rest)} others | {sum(v for _, v in rest):.1f} |")
    lines += [f"| **all imports** | **{sum(times.values()):.1f}** |", ""]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="interleaved rounds (default: %(default)s)")
    parser.add_argument("--soi", type=Path, default=None, help=f"the ballot file for `elect` (default: {DEFAULT_SOI.name})")
    parser.add_argument("--compare", type=Path, default=None, metavar="SRC",
                        help="also time the `tellers` commands on this source tree (e.g. a `git archive` of an older commit)")
    parser.add_argument("--compare-label", default="", metavar="TEXT",
                        help="what that tree is, for the report (e.g. 'commit 7b651c3')")
    parser.add_argument("--importtime-runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "startup.md")
    args = parser.parse_args(argv)
    if args.compare is not None:
        check_tree(args.compare)

    with tempfile.TemporaryDirectory(prefix="tellers-startup-") as tmp:
        soi = args.soi or (DEFAULT_SOI if DEFAULT_SOI.is_file() else None)
        if soi is None:
            soi = Path(tmp) / "small.soi"
            soi.write_text(SMALL_SOI)
        now = environment(None, Path(tmp) / "pycache")
        tellers = tellers_script()
        help_args, elect_args = ["--help"], ["elect", str(soi), "--json"]
        commands = {
            "python -c pass": ([sys.executable, "-c", "pass"], now),
            'python -c "import numpy"': ([sys.executable, "-c", "import numpy"], now),
        }
        trees = {"": None} if args.compare is None else {"": None, " (before)": args.compare}
        for suffix, src in trees.items():
            for mode, pycache in (("", Path(tmp) / "pycache"), (", compiled each run", None)):
                env = environment(src, pycache)
                commands[f"tellers --help{mode}{suffix}"] = ([*tellers, *help_args], env)
                if not mode and not suffix:
                    commands["tellers --help, plain (TYPER_USE_RICH=0)"] = ([*tellers, *help_args], {**env, "TYPER_USE_RICH": "0"})
                commands[f"tellers elect SMALL.soi --json{mode}{suffix}"] = ([*tellers, *elect_args], env)
        load_start = os.getloadavg()
        times = interleaved(commands, args.runs)
        load_end = os.getloadavg()
        help_run = self_times_by_package(["-c", RUN_CLI, *help_args], now, args.importtime_runs)
        elect_run = self_times_by_package(["-c", RUN_CLI, *elect_args], now, args.importtime_runs)

    med = {k: statistics.median(v) for k, v in times.items()}
    floor = med["python -c pass"]
    info = machine_info(
        {"numpy": version("numpy"), "typer": version("typer"), "rich": version("rich"), "pydantic": version("pydantic")},
        {
            "load average at start (1 / 5 / 15 min)": " / ".join(f"{x:.2f}" for x in load_start),
            "load average at end": " / ".join(f"{x:.2f}" for x in load_end),
        },
    )
    lines = [
        "# Start-up benchmark",
        "",
        (
            f"Written by `benchmarks/bench_startup.py`. Wall-clock seconds of each whole process, "
            f"{args.runs} interleaved rounds after a warm-up (median and minimum). `SMALL.soi`: `{soi.name}`. "
            f"Target for the two `tellers` commands: under {TARGET} s."
        ),
        "",
        *machine_section(info),
        "## Whole process",
        "",
        "| command | median (s) | min (s) | × `python -c pass` | over `python -c pass` (s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, values in times.items():
        lines.append(f"| `{label}` | {med[label]:.3f} | {min(values):.3f} | {med[label] / floor:.1f}x | "
                     f"{med[label] - floor:.3f} |")
    lines.append("")
    if args.compare is not None:
        lines += [
            f"Before: the source tree `{args.compare}`{f' ({args.compare_label})' if args.compare_label else ''}, "
            "same interpreter and packages. After / before (medians):",
            "",
            *(f"- `{label}`: {med[label]:.3f} s against {med[f'{label} (before)']:.3f} s, "
              f"{med[label] / med[f'{label} (before)']:.2f}x" for label in times if f"{label} (before)" in times),
            "",
        ]
    lines += [
        "## Where the time goes",
        "",
        (
            f"`python -X importtime`: each module's own time, summed by top-level package, median of "
            f"{args.importtime_runs} runs (importtime's overhead included, so the sums run above the wall-clock share)."
        ),
        "",
        *breakdown_lines("`tellers --help`, everything it imports", help_run),
        *breakdown_lines("`tellers elect SMALL.soi --json`, everything it imports", elect_run),
        (
            f"`--help` draws its boxes with Typer's Rich help (markdown_it, pygments, attrs come with it; "
            f"`TYPER_USE_RICH=0` prints plain Click help without them). Typer {version('typer')} validates the "
            "parameters of every command it runs with pydantic (pydantic, pydantic_core, annotated_types), "
            "which `--help` never reaches. Neither is tellers' to choose short of changing the CLI library."
        ),
        "",
    ]
    print(write_report(args.out, lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
