"""Import benchmark: four US Senate congresses (Voteview, about 280,000 votes) into DuckDB.

Run by hand (never from the test suite):

    python benchmarks/bench_import.py                      # ../shared/data/voteview-senate
    python benchmarks/bench_import.py --data DIR --repeats 5

Each run reads the folder with ``tellers.records.readers.load_records`` ("read"), then imports
the records into a fresh database file with ``Store.import_records`` ("store": staging
the columns, comparing with the stored data, writing, committing), then imports the
same records again into that database ("re-import": compares, finds nothing changed,
writes nothing). The median of ``--repeats`` runs is reported (minimum too).

The figures go to ``benchmarks/results/import.md`` and are printed.
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

from _common import machine_info, machine_section, write_report

from tellers.records.readers import load_records
from tellers.records.store import Store

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "voteview-senate"


def one_run(data: Path, workdir: Path, i: int) -> tuple[dict[str, float], dict[str, int]]:
    gc.collect()
    t0 = time.perf_counter()
    records = load_records(data)
    t1 = time.perf_counter()
    db = workdir / f"run{i}.duckdb"
    with Store(db) as store:
        t2 = time.perf_counter()
        first = store.import_records(records)
        t3 = time.perf_counter()
        again = store.import_records(records)
        t4 = time.perf_counter()
        counts = store.counts()
    assert all(s.unchanged for s in again), "re-import changed something"
    counts["votes_written"] = sum(s.votes_written for s in first)
    counts["files"] = len(records)
    counts["db_bytes"] = db.stat().st_size
    times = {
        "read (load_records)": t1 - t0,
        "store (import_records, new db)": t3 - t2,
        "read + store": (t1 - t0) + (t3 - t2),
        "re-import (unchanged)": t4 - t3,
    }
    return times, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Voteview folder (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "import.md")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data at {args.data}; pass --data", file=sys.stderr)
        return 2

    runs: list[dict[str, float]] = []
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="tellers-bench-") as tmp:
        for i in range(args.repeats):
            times, counts = one_run(args.data, Path(tmp), i)
            runs.append(times)
            print(f"run {i + 1}: " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()), file=sys.stderr)

    info = machine_info({"DuckDB": version("duckdb"), "numpy": version("numpy")})
    lines = [
        "# Import benchmark",
        "",
        (
            f"Written by `benchmarks/bench_import.py`. Wall-clock seconds (`time.perf_counter`), median of "
            f"{args.repeats} runs (minimum shown too); each run imports into a fresh DuckDB file."
        ),
        "",
        *machine_section(info),
        f"## Data: `{args.data.name}/`",
        "",
        (
            f"{counts['files']} files (one `DivisionRecords` per congress), {counts['divisions']:,} divisions, "
            f"{counts['members']:,} members, {counts['votes']:,} votes "
            f"({counts['votes_written']:,} written); database file {counts['db_bytes'] / 2**20:.1f} MiB."
        ),
        "",
        "| stage | median (s) | min (s) | votes / s (median) |",
        "|---|---:|---:|---:|",
    ]
    for stage in runs[0]:
        values = [r[stage] for r in runs]
        med = statistics.median(values)
        rate = f"{counts['votes'] / med:,.0f}" if med > 0 else ""
        lines.append(f"| {stage} | {med:.2f} | {min(values):.2f} | {rate} |")
    lines += [
        "",
        (
            "read: parse the CSVs into domain objects. store: build numpy columns, stage them in DuckDB "
            "(replacement scan), check them, diff them against the database, delete and insert what "
            "changed, commit — one transaction per file. re-import: the same records again; nothing "
            "changes, nothing is written."
        ),
        "",
    ]
    print(write_report(args.out, lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
