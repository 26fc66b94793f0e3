"""Web benchmark: requests per second and latency of `tellers serve` under 20 concurrent clients.

Run by hand (never from the test suite):

    python benchmarks/bench_web.py                  # the bundled case, then a store of ../shared/data
    python benchmarks/bench_web.py --requests 400 --clients 20

`tellers serve` runs in its own process on 127.0.0.1 and a free port, on the bundled 2019
case and on a database imported from ``../shared/data/commons-2019-brexit``; the load comes
from this process (``--clients`` kept-alive connections at once, a minimal asyncio HTTP/1.1
client, so that the client costs little beside the server it measures). Three loads each, after a warm-up:
``GET /api/majority`` for the 1 April options (the same question again and again: answered
from what the app keeps), ``POST /api/scenario`` with one body (likewise), and ``POST
/api/scenario`` with a new set of stances on every request (every one computed). Figures:
requests/s over the load's wall-clock time, p50 and p99 latency, errors, and the machine's
load average at the end. They go to ``benchmarks/results/web.md`` and are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import httpx
from _common import machine_info, machine_section, write_report

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "commons-2019-brexit"
APRIL = ["666", "667", "668", "669", "664"]
PARTIES = ["Conservative", "Labour", "Scottish National Party", "Liberal Democrat", "Democratic Unionist Party"]
TELLERS = [sys.executable, "-c", "from tellers.views.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(db: Path | None) -> tuple[subprocess.Popen, str]:
    """`tellers serve` in its own process; its base URL once it answers (within 60 s)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "TELLERS_DB"}
    env["XDG_DATA_HOME"] = tempfile.mkdtemp()  # no user database: the bundled case unless --db
    args = [*TELLERS, "serve", "--port", str(port), *(["--db", str(db)] if db else [])]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/api/info", timeout=5).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("tellers serve did not start")


def stances(n: int) -> list[list[dict]]:
    """``n`` different sets of two stances."""
    one = [{"party": p, "option": o, "vote": v} for p in PARTIES for o in APRIL for v in ("aye", "no", "abstain")]
    pairs = ([a, b] for a, b in itertools.combinations(one, 2) if (a["party"], a["option"]) != (b["party"], b["option"]))
    return list(itertools.islice(pairs, n))


async def _connection(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port)


def _request(method: str, path: str, body: dict | None) -> bytes:
    data = json.dumps(body).encode() if body is not None else b""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(data)}\r\n"
    return (head + ("Content-Type: application/json\r\n" if data else "") + "\r\n").encode() + data


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One request on a kept-alive connection; the response's status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(v) for k, _, v in (h.partition(":") for h in lines[1:]) if k.lower() == "content-length")
    await reader.readexactly(length)
    return int(lines[0].split()[1])


async def load(base: str, requests: list[tuple[str, str, dict | None]], clients: int) -> dict:
    """Send ``requests`` (method, path, JSON body), ``clients`` at a time, each client on one
    kept-alive connection; the figures. The client is a few lines of asyncio, not httpx,
    so that it costs the machine little beside the server it measures."""
    port = int(base.rsplit(":", 1)[1])
    latencies: list[float] = []
    errors = 0
    queue = iter([_request(*r) for r in requests])

    async def worker() -> None:
        nonlocal errors
        reader, writer = await _connection(port)
        try:
            for request in queue:
                t0 = time.perf_counter()
                status = await _exchange(reader, writer, request)
                latencies.append(time.perf_counter() - t0)
                errors += status != 200
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    wall = time.perf_counter() - t0
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {"n": len(latencies), "rps": len(latencies) / wall, "p50": pct(0.50), "p99": pct(0.99), "errors": errors,
            "load": "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(proc: subprocess.Popen, base: str, requests: list, clients: int) -> dict:
    """:func:`load`, plus the server's CPU milliseconds per request."""
    before = cpu_seconds(proc.pid)
    figures = asyncio.run(load(base, requests, clients))
    figures["cpu"] = (cpu_seconds(proc.pid) - before) * 1000 / len(requests)
    return figures


def run(label: str, db: Path | None, n: int, clients: int) -> list[tuple[str, str, dict]]:
    proc, base = start(db)
    majority = ("GET", "/api/majority?options=" + ",".join(APRIL), None)
    same = ("POST", "/api/scenario", {"options": APRIL, "stances": stances(1)[0]})
    rows = []
    try:
        asyncio.run(load(base, [majority, same], 1))  # warm-up: the first answers are computed here
        rows.append((label, "GET /api/majority (1 April options)", measured(proc, base, [majority] * n, clients)))
        rows.append((label, "POST /api/scenario (same stances)", measured(proc, base, [same] * n, clients)))
        varied = [("POST", "/api/scenario", {"options": APRIL, "stances": s}) for s in stances(n // 2)]
        rows.append((label, "POST /api/scenario (new stances each)", measured(proc, base, varied, clients)))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    for r in rows:
        print(f"{r[0]:>14} | {r[1]:<38} | {r[2]['rps']:7.1f} req/s | p50 {r[2]['p50']:6.1f} ms | "
              f"p99 {r[2]['p99']:6.1f} ms | server {r[2]['cpu']:.2f} ms CPU | errors {r[2]['errors']} | load {r[2]['load']}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per load (default 1000)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "web.md")
    args = parser.parse_args()
    n, clients = min(args.requests, 20_000), min(args.clients, 200)
    rows = run("bundled case", None, n, clients)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "commons.duckdb"
        subprocess.run([*TELLERS, "import", str(DATA), "--db", str(db)], check=True, capture_output=True)
        rows += run("store", db, n, clients)
    info = machine_info({"uvicorn": version("uvicorn"), "FastAPI": version("fastapi"), "DuckDB": version("duckdb")})
    lines = [
        "# Web benchmark", "",
        f"Written by `benchmarks/bench_web.py`. `tellers serve` in its own process on 127.0.0.1; {clients} concurrent "
        f"clients (kept-alive connections; a minimal asyncio HTTP/1.1 client) in another, on the same machine; {n:,} requests per load ({n // 2:,} with new "
        "stances), after a warm-up request. Requests/s over the load's wall-clock time; latency per request as the "
        "client saw it. Server CPU: the server process's user + system time over the load, per request. Load average: "
        "`os.getloadavg()` (1, 5, 15 minutes) at the end of each load (other work on the machine shows there).", "",
        *machine_section(info),
        "## Results", "",
        "| data | request | requests/s | p50 (ms) | p99 (ms) | server CPU (ms/request) | errors | load average |",
        "|---|---|---:|---:|---:|---:|---:|---|",
        *(f"| {d} | {what} | {r['rps']:,.1f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['cpu']:.2f} | {r['errors']} | {r['load']} |"
          for d, what, r in rows),
        "",
        "The app keeps each answer by its inputs (the data's identity, the options or body as sent) until the "
        "database changes, so a question asked again costs no computing and no database read; a new set of "
        "stances is computed in a worker thread. Before this (one database connection behind a lock, nothing "
        "kept): GET /api/majority 15.7 requests/s, p99 2.1 s; POST /api/scenario 4.4 requests/s, p99 6.0 s (store).",
        "",
    ]
    write_report(args.out, lines)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
