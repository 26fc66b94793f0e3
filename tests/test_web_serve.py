"""The served app under load and beside a writer: a real uvicorn on 127.0.0.1, time limits on
slow clients, `tellers import` while the app serves the same database, readers that wait."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tellers.errors import StoreError
from tellers.parliament.cases import load_case
from tellers.parliament.house import CaseHouse, StoreHouse
from tellers.records.store import StoreBusyError, open_store
from tellers.views.cli import app as cli
from tellers.views.web import create_app
from tellers.views.web.server import server_config

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

APRIL = "666,667,668,669,664"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, **options):
    """``app`` under uvicorn, as `tellers serve` runs it, on 127.0.0.1 and a free port, in a thread."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(server_config(app, "127.0.0.1", port, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the web app did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# --------------------------------------------------------------------------- load and slow clients


def test_twenty_clients_get_answers_and_no_errors():
    """200 requests, 20 at a time: every one answered 200 (no figure on time: see benchmarks/bench_web.py)."""
    async def load(base: str) -> list[int]:
        limits = httpx.Limits(max_connections=20)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
            gate = asyncio.Semaphore(20)

            async def one(i: int) -> int:
                async with gate:
                    if i % 4 == 3:
                        stance = [{"party": "Conservative", "option": "667", "vote": ("aye", "no", "abstain")[i % 3]}]
                        r = await client.post("/api/scenario", json={"options": APRIL.split(","), "stances": stance})
                    else:
                        r = await client.get("/api/majority", params={"options": APRIL})
                    return r.status_code

            return await asyncio.gather(*(one(i) for i in range(200)))

    with serving(create_app(house=CaseHouse(load_case()))) as (base, _):
        statuses = asyncio.run(load(base))
    assert statuses == [200] * 200


def _closed_by_server(port: int, sent: bytes) -> bool:
    """Send ``sent`` and wait (at most 20 s) for the server to close the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(sent)
        try:
            while s.recv(65536):
                pass
        except TimeoutError:
            return False
        return True


def test_a_request_head_not_finished_in_time_is_dropped():
    with serving(create_app(house=CaseHouse(load_case())), head_timeout=0.5) as (_, port):
        assert _closed_by_server(port, b"GET /api/divisions HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        # and on a kept-alive connection, after one whole request
        assert _closed_by_server(port, b"GET /api/divisions HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/info HTTP/1.1\r\n")


def test_a_body_not_sent_in_time_is_408():
    with serving(create_app(house=CaseHouse(load_case()))) as (_, port):
        from tellers.views.web import guard

        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(b"POST /api/scenario HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 100\r\n\r\n{\"options\"")
            reply = s.recv(65536)
    assert reply.startswith(b"HTTP/1.1 408"), reply[:80]
    assert guard.BODY_TIMEOUT <= 10


def test_serve_refuses_another_interface_without_a_token(monkeypatch):
    monkeypatch.delenv("TELLERS_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--token" in result.output


# --------------------------------------------------------------------------- beside a writer


@contextmanager
def writer_holding(db: Path, seconds: float):
    """Another process with the database open for writing (as `tellers import` has it) for ``seconds``."""
    code = ("import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\nprint('locked', flush=True)\n"
            "time.sleep(float(sys.argv[2]))\ncon.close()\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc.pid
    finally:
        proc.wait(timeout=seconds + 30)


@pytest.fixture
def db(tmp_path, commons_db) -> Path:
    copy = tmp_path / "served.duckdb"
    shutil.copy(commons_db, copy)
    return copy


def test_a_reader_waits_for_the_writer_then_reads(db):
    with writer_holding(db, 1.0):
        house = StoreHouse(db, wait=20)  # opened while the writer holds the file
        assert "667" in house.division_ids()
    result = CliRunner().invoke(cli, ["divisions", "--db", str(db), "--json"])
    assert result.exit_code == 0


def test_a_reader_that_waits_too_long_gets_a_clean_error(db):
    with writer_holding(db, 3.0) as pid:
        with pytest.raises(StoreBusyError, match=rf"is being written by .*PID {pid}.*waited 0.2 s"):
            StoreHouse(db, wait=0.2)


def test_the_command_line_waits_for_an_import(db, monkeypatch):
    with writer_holding(db, 1.0):
        result = CliRunner().invoke(cli, ["divisions", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output


def test_an_import_waits_for_a_reader_to_let_go(db, shared_data):
    code = ("import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1], read_only=True)\nprint('reading', flush=True)\n"
            "time.sleep(1.0)\ncon.close()\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "reading"
        result = CliRunner().invoke(cli, ["import", str(shared_data / "commons-2019-brexit" / "brexit_parliament.csv"),
                                          "--db", str(db), "--json"])
    finally:
        proc.wait(timeout=30)
    assert result.exit_code == 0, result.output


def test_a_held_database_gives_an_import_a_clean_error(db):
    with writer_holding(db, 3.0) as pid:
        with pytest.raises(StoreBusyError, match=rf"is in use by .*PID {pid}\); waited 0.2 s"):
            open_store(db, read_only=False, wait=0.2)


def test_the_app_answers_503_naming_the_situation_when_the_writer_stays(db):
    house = StoreHouse(db, wait=0.2)
    with TestClient(create_app(house=house)) as c:
        assert c.get("/api/divisions").status_code == 200
        with writer_holding(db, 3.0):
            r = c.get("/api/divisions/667")  # not asked before: the file must be read
        assert r.status_code == 503 and r.headers["retry-after"]
        assert "being written" in r.json()["detail"] and str(db.parent) not in r.text
        assert c.get("/api/divisions/667").status_code == 200


def test_import_succeeds_while_the_app_serves_the_same_database(tmp_path, shared_data):
    folder = shared_data / "commons-2019-brexit" / "commonsvotes_csv"
    db = tmp_path / "live.duckdb"
    first = [str(p) for p in sorted(folder.glob("Division*.csv")) if p.stem != "Division669"]
    assert CliRunner().invoke(cli, ["import", *first, "--db", str(db)]).exit_code == 0
    with serving(create_app(db)) as (base, _):
        with httpx.Client(base_url=base, timeout=60) as client:
            assert client.get("/api/majority", params={"options": "666,667,668"}).status_code == 200
            assert "669" not in [d["id"] for d in client.get("/api/divisions").json()]
            done = subprocess.run([sys.executable, "-c", "from tellers.views.cli import main; main()", "import", str(folder / "Division669.csv"),
                                   "--db", str(db)], capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
            assert "669" in [d["id"] for d in client.get("/api/divisions").json()]  # the app sees the new data
            r = client.get("/api/majority", params={"options": "666,667,668,669"})
            assert r.status_code == 200 and len(r.json()["options"]) == 4


def test_a_missing_database_is_still_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no tellers database here"):
        StoreHouse(tmp_path / "missing.duckdb")



def test_the_served_socket_turns_nagle_off_on_each_connection():
    """`tellers serve` binds its own socket; asyncio (as uvicorn serves on it) sets TCP_NODELAY on a
    connection only when the socket says it is TCP, and without it every small answer waits ~40 ms
    for a delayed ACK (459 requests/s where 5,000 are served)."""
    from tellers.views.web.server import bound_socket

    async def nodelay_of_a_connection(sock: socket.socket) -> int:
        seen: asyncio.Future = asyncio.get_running_loop().create_future()

        class Seen(asyncio.Protocol):
            def connection_made(self, transport):
                conn = transport.get_extra_info("socket")
                seen.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

        server = await asyncio.get_running_loop().create_server(Seen, sock=sock)
        _, writer = await asyncio.open_connection(*sock.getsockname()[:2])
        try:
            return await asyncio.wait_for(seen, 10)
        finally:
            writer.close()
            server.close()

    assert asyncio.run(nodelay_of_a_connection(bound_socket("127.0.0.1", 0))) != 0
