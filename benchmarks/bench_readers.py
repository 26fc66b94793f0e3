"""Ballot-reader benchmark: time and peak memory reading a large generated ballot file.

Run by hand (never from the test suite):

    python benchmarks/bench_readers.py                 # a ~200 MB .soi and a ~100 MB .csv
    python benchmarks/bench_readers.py --soi-mb 50 --csv-mb 0 --repeats 1

Each file is generated in a temporary folder (seeded) and read by ``load_profile`` in a
fresh Python process, whose wall-clock time and peak resident memory (``VmHWM``) are
reported, with the median of ``--repeats`` runs. The ``.soi`` file is a valid PrefLib
file: every line a distinct truncated order over 12 alternatives, the worst case for the
early merging of identical ballots. The CSV has 12 candidates and repeats ballots, as
real elections do. The figures go to ``benchmarks/results/readers.md`` and are printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import numpy as np
from _common import machine_info, machine_section, write_report

HERE = Path(__file__).resolve().parent

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (large) parent across exec
_CHILD = """
import sys, time
from tellers.records.readers import load_profile
t = time.perf_counter()
p = load_profile(sys.argv[1])
seconds = time.perf_counter() - t
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(seconds, int(hwm) * 1024, p.num_ballots, p.voters, p.num_candidates)
"""


def _orders(rng: np.random.Generator, n: int, m: int) -> np.ndarray:
    """``n`` random orders of 1..m (best first) as rows."""
    return np.argsort(rng.random((n, m)), axis=1) + 1


def write_soi(path: Path, megabytes: float, m: int = 12, seed: int = 1) -> int:
    """A PrefLib .soi of about ``megabytes`` MB of distinct truncated orders; its size in bytes."""
    rng = np.random.default_rng(seed)
    target = int(megabytes * 1e6)
    seen: set[bytes] = set()
    body: list[bytes] = []
    size, voters = 0, 0
    while size < target:
        orders, lengths = _orders(rng, 200_000, m), rng.integers(3, m + 1, 200_000)
        counts = rng.integers(1, 50, 200_000)
        for row, k, c in zip(orders.tolist(), lengths.tolist(), counts.tolist()):
            key = ",".join(map(str, row[:k])).encode()
            if key in seen:
                continue
            seen.add(key)
            line = b"%d: %s\n" % (c, key)
            body.append(line)
            size += len(line)
            voters += c
            if size >= target:
                break
    head = [f"# NUMBER ALTERNATIVES: {m}", f"# NUMBER VOTERS: {voters}"]
    head += [f"# NUMBER UNIQUE ORDERS: {len(body)}"]
    head += [f"# ALTERNATIVE NAME {i}: Candidate {i}" for i in range(1, m + 1)]
    with path.open("wb") as f:
        f.write(("\n".join(head) + "\n").encode())
        f.writelines(body)
    return path.stat().st_size


def write_csv(path: Path, megabytes: float, m: int = 12, seed: int = 2) -> int:
    """A ballot CSV of about ``megabytes`` MB, drawing rows from 50,000 distinct ballots."""
    rng = np.random.default_rng(seed)
    pool = _orders(rng, 50_000, m)
    lengths = rng.integers(1, m + 1, 50_000)
    rows = [",".join(f"C{c}" for c in row[:k]) + "," * (m - k) + "\n"
            for row, k in zip(pool.tolist(), lengths.tolist())]
    target = int(megabytes * 1e6)
    with path.open("w") as f:
        f.write(",".join(str(i) for i in range(1, m + 1)) + "\n")
        size = 0
        while size < target:
            chunk = "".join(rows[i] for i in rng.integers(0, len(rows), 100_000))
            f.write(chunk)
            size += len(chunk)
    return path.stat().st_size


def measure(path: Path) -> tuple[float, int, str]:
    """Seconds, peak RSS bytes, and a summary, reading ``path`` in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True)
    seconds, rss, ballots, voters, m = out.stdout.split()
    summary = f"{int(ballots):,} distinct ballots, {float(voters):,.0f} voters, {m} candidates"
    return float(seconds), int(rss), summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soi-mb", type=float, default=200)
    parser.add_argument("--csv-mb", type=float, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "readers.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="tellers-bench-") as tmp:
        files = [("soi", write_soi, args.soi_mb), ("csv", write_csv, args.csv_mb)]
        for suffix, write, mb in files:
            if mb <= 0:
                continue
            path = Path(tmp) / f"ballots.{suffix}"
            size = write(path, mb)
            runs = [measure(path) for _ in range(args.repeats)]
            for i, (s, rss, _) in enumerate(runs):
                print(f"{path.name} run {i + 1}: {s:.1f} s, {rss / 2**20:,.0f} MiB", file=sys.stderr)
            seconds = statistics.median(r[0] for r in runs)
            rss = statistics.median(r[1] for r in runs)
            rows.append(f"| `.{suffix}` | {size / 1e6:,.0f} MB | {runs[0][2]} | {seconds:.1f} | {rss / 2**20:,.0f} MiB |")
    lines = [
        "# Ballot-reader benchmark",
        "",
        (
            "Written by `benchmarks/bench_readers.py`. `load_profile` on a generated file in a fresh "
            "process: wall-clock seconds and peak resident memory (`VmHWM`, the whole process "
            f"with Python and numpy), median of {args.repeats} runs."
        ),
        "",
        *machine_section(machine_info({"numpy": version("numpy")})),
        "| file | size | profile | seconds | peak RSS |",
        "|---|---:|---|---:|---:|",
        *rows,
        "",
        (
            "The `.soi` lines are all distinct orders over 12 alternatives (the worst case for "
            "merging identical ballots early); the CSV draws its rows from 50,000 distinct ballots "
            "over 12 candidates. Before streaming (issue 11) a valid 200 MB `.soi` took 43 s and "
            "5.5 GB."
        ),
        "",
    ]
    print(write_report(args.out, lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
