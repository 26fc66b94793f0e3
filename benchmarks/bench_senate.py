"""Senate benchmark: the commands a user runs on a large store, as whole processes.

Run by hand (never from the test suite):

    python benchmarks/bench_senate.py                  # ../shared/data/voteview-senate
    python benchmarks/bench_senate.py --repeats 7

Builds a database of four US Senate congresses (Voteview S114–S117: 2,770 roll calls, about
277,000 votes) in a temporary folder with `tellers import`, then times, as fresh `tellers`
processes the way a user starts them (so every figure includes Python starting and tellers'
modules importing):

- `tellers report --options S116-1,S116-2,S116-3` (target: under 5 s), with the Vega
  JavaScript bundle kept in the cache from an earlier run, and once more with an empty cache
  (the first report on a machine, which bundles it);
- `tellers divisions` (target: under 1 s): the listing of all 2,770 roll calls;
- `tellers idealpoints --from 2019-01-03 --to 2021-01-03`: the 116th Senate only (target: under 3 s);
- `tellers division S116-1`;
- `python -c "import tellers.views.cli"`: the floor every command stands on.

With ``--before SRC`` (a ``src`` folder of another tellers), each command also runs on that
tellers, interleaved, for a comparison measured under the same load.

The commands run interleaved (one of each per round, ``--repeats`` rounds after a warm-up
round), so that other work on the machine falls on all of them alike; the median and the
minimum are reported, with the CPU time of the median run, and the load average (1 minute)
before each round: this machine has two cores and is shared. The figures go to
``benchmarks/results/senate.md`` and are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from _common import machine_info, machine_section, write_report

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "voteview-senate"
TELLERS = [sys.executable, "-c", "from tellers.views.cli import main; main()"]
OPTIONS = "S116-1,S116-2,S116-3"
S116 = ["--from", "2019-01-03", "--to", "2021-01-03"]


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system, the process and its children) and stdout of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[3:])} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


BREAKDOWN = """
import json, sys, time
marks = [("start", time.perf_counter(), time.process_time())]
def mark(name):
    marks.append((name, time.perf_counter(), time.process_time()))
import tellers.views.cli
from tellers.views.report import charts
from tellers.views.report.html import build_report, question_section
mark("import tellers (the CLI and the report's modules)")
from pathlib import Path
from tellers.parliament.head_to_head import analyse_options
from tellers.parliament.house import open_house
from tellers.parliament.options import choose_options
house = open_house(Path(sys.argv[1]))
a = analyse_options(house, choose_options(house, sys.argv[2]))
mark("open the database, choose and analyse the options")
charts.divisions_chart(house, [t.division.id for t in a.options]); charts.head_to_head_chart(a)
charts.majority_graph_chart(a); charts.whatif_chart(house, a); charts.power_chart(house, a.options[0].division.id)
mark("the other five charts (queries, integer programs, Altair specs)")
house.member_votes(None, a.options[0].division.chamber)
mark("the chamber's vote matrix (one query)")
charts.ideal_points_chart(house, a)
mark("the ideal-point scale: fit to every roll call, place the options")
build_report(house, [question_section(house, "options", "t", sys.argv[2])])
mark("the whole section and page again (answers kept: no second fit)")
print(json.dumps([(n, t - t0, c - c0) for (n, t, c), (_, t0, c0) in zip(marks[1:], marks)]))
"""
"""One report's time by step, in one process (the Vega bundle already cached)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Voteview folder (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=5, help="timed rounds after the warm-up (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "senate.md")
    parser.add_argument("--before", type=Path, help="a `src` folder of another tellers (e.g. `git archive` of an "
                        "older commit): its commands run too, interleaved, each on a database of the same files that it imported itself, for comparison")
    parser.add_argument("--before-is", default="", help="what the --before tellers is, in words, for the report")
    args = parser.parse_args(argv)
    files = sorted(args.data.glob("S11[4-7]_votes.csv"))
    if len(files) != 4:
        print(f"no S114–S117 votes files at {args.data}; pass --data", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="tellers-bench-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "TELLERS_DB"}
        env.update(XDG_DATA_HOME=str(work / "data"), TELLERS_CACHE=str(work / "cache"), COLUMNS="120")
        db = str(work / "senate.duckdb")
        wall, _, _ = run([*TELLERS, "import", "--db", db, *map(str, files)], env)
        print(f"import: {wall:.1f} s", file=sys.stderr)

        report = [*TELLERS, "report", "--db", db, "--options", OPTIONS, "--out", str(work / "r.html")]
        # (command, target in seconds, with an empty cache, the command for --before where it differs)
        commands: dict[str, tuple[list[str], float | None, bool, list[str] | None]] = {
            f"tellers report --options {OPTIONS}": (report, 5.0, False, None),
            "tellers report, the same, Vega bundle not yet cached": (report, None, True, None),
            "tellers divisions (2,770 roll calls)": ([*TELLERS, "divisions", "--db", db], 1.0, False, None),
            "tellers idealpoints " + " ".join(S116): (
                [*TELLERS, "idealpoints", "--db", db, *S116], 3.0, False,
                # before --from/--to, the 116th Senate was named by its ids
                [*TELLERS, "idealpoints", "--db", db, "--divisions", ",".join(f"S116-{k}" for k in range(1, 721))]),
            "tellers division S116-1": ([*TELLERS, "division", "S116-1", "--db", db], None, False, None),
            'python -c "import tellers.views.cli"': ([sys.executable, "-c", "import tellers.views.cli"], None, False, None),
        }
        versions = {"": env}
        databases = {"": db}
        if args.before is not None:
            versions[" (before)"] = dict(env, PYTHONPATH=os.pathsep.join([str(args.before.resolve()), env.get("PYTHONPATH", "")]))
            # its own database, imported by itself: an older tellers may not read a newer schema
            databases[" (before)"] = str(work / "before.duckdb")
            run([*TELLERS, "import", "--db", databases[" (before)"], *map(str, files)], versions[" (before)"])
        times: dict[str, list[tuple[float, float]]] = {name + v: [] for name in commands for v in versions}
        loads: list[float] = []
        outputs: dict[str, str] = {}
        for round_ in range(args.repeats + 1):
            loads.append(os.getloadavg()[0])
            for name, (command, _, cold, older) in commands.items():
                for v, version_env in versions.items():
                    here = dict(version_env, TELLERS_CACHE=tempfile.mkdtemp(dir=work)) if cold else version_env
                    chosen = [databases[v] if arg == db else arg for arg in (older if v and older else command)]
                    wall, cpu, stdout = run(chosen, here)
                    if round_:  # the first round warms the disk cache and the Vega bundle: not counted
                        times[name + v].append((wall, cpu))
                    outputs[name + v] = stdout
            if round_:
                print(f"round {round_}: " + ", ".join(f"{w:.2f}" for w, _ in (t[-1] for t in times.values()))
                      + f" s (load {loads[-1]:.2f})", file=sys.stderr)
        loads.append(os.getloadavg()[0])
        _, _, doc = run([sys.executable, "-c", BREAKDOWN, db, OPTIONS], env)
        steps = json.loads(doc)

    listed = outputs["tellers divisions (2,770 roll calls)"].count("\n")
    info = machine_info(
        {"DuckDB": version("duckdb"), "numpy": version("numpy"), "rich": version("rich"), "altair": version("altair"),
         "vl-convert": version("vl-convert-python")},
        {"load average, 1 min, before each round (min / median / max)":
         f"{min(loads):.2f} / {statistics.median(loads):.2f} / {max(loads):.2f}"},
    )
    lines = [
        "# Senate benchmark: commands on a large store",
        "",
        (f"Written by `benchmarks/bench_senate.py`. Each figure is one whole `tellers` process, as a user starts it "
         f"(Python starting and tellers' modules importing included), on a database of the US Senate's 114th–117th "
         f"Congresses built by `tellers import` (2,770 roll calls, 132 senators, 276,989 votes). Wall-clock seconds "
         f"(`time.perf_counter` around the process): median and minimum of {args.repeats} rounds, the commands "
         f"interleaved one of each per round after a warm-up round; CPU: user + system seconds of the median run "
         f"(above the wall time when numpy's BLAS runs threads). The machine is shared: its load average is quoted "
         f"below and with each round."),
        "",
        *machine_section(info),
        "## Results",
        "",
        "| command | median (s) | min (s) | CPU of median (s) | target | met (median) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    if args.before is not None:
        lines[-2:-2] = [f"Rows marked (before) ran the tellers in `{args.before}` (`--before`"
                        + (f": {args.before_is}" if args.before_is else "") + ") on a database of the same files that it imported itself, "
                        "interleaved with the others; before `--from`/`--to` existed, its idealpoints named the "
                        "720 roll calls with `--divisions`.", ""]
    for name, (_, target, _, _) in commands.items():
        for v in versions:
            runs = sorted(times[name + v])
            wall_median = statistics.median(w for w, _ in runs)
            cpu_median = runs[len(runs) // 2][1]
            met = "" if target is None else ("yes" if wall_median < target else "no")
            lines.append(f"| `{name}`{v} | {wall_median:.2f} | {runs[0][0]:.2f} | {cpu_median:.2f} | "
                         f"{'' if target is None else f'< {target:g} s'} | {met} |")
    lines += [
        "",
        "Load average (1 minute) before each round: " + ", ".join(f"{x:.2f}" for x in loads[:-1])
        + f"; after the last: {loads[-1]:.2f} (the benchmark's own processes add about 1).",
        "",
        "## Where the report's time goes",
        "",
        "One run in one process, step by step (wall and CPU seconds; the Vega bundle cached):",
        "",
        "| step | wall (s) | CPU (s) |",
        "|---|---:|---:|",
        *(f"| {name} | {wall:.2f} | {cpu:.2f} |" for name, wall, cpu in steps),
        "",
        (f"`tellers divisions` printed {listed:,} lines at 120 columns. The report's ideal-point scale is fitted to "
         "every roll call of the chamber stored (2,770, of which 2,516 divide the senators enough); the idealpoints "
         "command to the 720 of the 116th Congress that `--from`/`--to` pick (House.find)."),
        "",
    ]
    print(write_report(args.out, lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
