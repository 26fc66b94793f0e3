"""`tellers fetch commons`: download, cache, retry politely, import. Loopback traffic only."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from typer.testing import CliRunner

from tellers.views.cli import app
from tellers.errors import FetchError
from tellers.records.commons_api import (
    USER_AGENT,
    CommonsVotesClient,
    retry_after_seconds,
)
from tellers.records.store import Store

runner = CliRunner()
FIXTURE = Path(__file__).parent / "data" / "commons_api" / "9001.json"
BODY = FIXTURE.read_bytes()


Answer = tuple[int, dict[str, str], bytes]


class FakeApi:
    """A Parliament API stand-in on 127.0.0.1: scripted answers per path (or a function of the
    query per path, in ``pages``), requests logged."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Answer]] = {}
        self.pages: dict[str, Callable[[dict[str, str]], Answer]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name for it
                api.requests.append((self.path, dict(self.headers)))
                path, _, query = self.path.partition("?")
                if path in api.pages:
                    status, headers, body = api.pages[path](dict(parse_qsl(query)))
                else:
                    answers = api.routes.get(self.path) or [(404, {}, b'{"error": "not found"}')]
                    status, headers, body = answers.pop(0) if len(answers) > 1 else answers[0]
                self.send_response(status)
                for key, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def serve(self, division_id: int, *answers: Answer) -> None:
        self.routes[f"/data/division/{division_id}.json"] = list(answers)

    def hits(self, division_id: int) -> int:
        return self.hits_at(f"/data/division/{division_id}.json")

    def hits_at(self, path: str) -> int:
        """Requests for ``path``, whatever their query."""
        return sum(got.partition("?")[0] == path for got, _ in self.requests)


@pytest.fixture
def api():
    fake = FakeApi()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    fake.thread.join(timeout=5)


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """A database and a cache under tmp_path; the environment points there too."""
    monkeypatch.setenv("TELLERS_DB", str(tmp_path / "env.duckdb"))
    monkeypatch.setenv("TELLERS_CACHE", str(tmp_path / "env-cache"))
    return tmp_path / "t.duckdb", tmp_path / "cache"


@pytest.fixture
def no_sleep(monkeypatch):
    """Record the waits between retries instead of sleeping."""
    waits: list[float] = []
    monkeypatch.setattr("tellers.records.http_client.time.sleep", waits.append)
    return waits


def fetch(api: FakeApi, dirs, *args: str):
    db, cache = dirs
    return runner.invoke(
        app, ["fetch", "commons", *args, "--db", str(db), "--cache", str(cache), "--base-url", api.url]
    )


def test_fetch_downloads_caches_and_imports(api, dirs):
    api.serve(9001, (200, {}, BODY))
    result = fetch(api, dirs, "9001")
    assert result.exit_code == 0, result.output
    assert "division 9001: downloaded" in result.stderr
    assert api.hits(9001) == 1
    _, headers = api.requests[0]
    assert headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("tellers/")
    db, cache = dirs
    cached = list(cache.rglob("9001.json"))
    assert len(cached) == 1 and cached[0].read_bytes() == BODY
    assert cached[0].parent.name == f"127.0.0.1_{api.server.server_address[1]}"
    with Store(db, read_only=True) as store:
        result = store.division("9001")
    assert (result.totals.ayes, result.totals.noes, result.totals.counted_ayes, result.totals.counted_noes) == (
        4,
        3,
        4,
        3,
    )
    split = {p.party: p for p in result.parties}
    assert (split["Labour"].aye, split["Labour"].no, split["Labour"].tellers) == (2, 1, 1)
    assert (split["Conservative"].aye, split["Conservative"].no, split["Conservative"].no_vote) == (1, 2, 1)
    assert split["Conservative"].rice == pytest.approx(1 / 3)
    assert [r.name for r in result.rebels] == ["Cara Cole", "Gus Gale"]


def test_a_cached_division_is_not_downloaded_again(api, dirs):
    api.serve(9001, (200, {}, BODY))
    assert fetch(api, dirs, "9001").exit_code == 0
    result = fetch(api, dirs, "9001", "--json")
    assert result.exit_code == 0, result.output
    assert api.hits(9001) == 1
    [file] = json.loads(result.stdout)["files"]
    assert file["unchanged"] is True
    result = fetch(api, dirs, "9001", "--refresh")
    assert result.exit_code == 0, result.output
    assert api.hits(9001) == 2
    assert "unchanged" in result.output


def test_503_then_200_is_retried(api, dirs, no_sleep):
    api.serve(9001, (503, {"Retry-After": "2"}, b"busy"), (200, {}, BODY))
    result = fetch(api, dirs, "9001")
    assert result.exit_code == 0, result.output
    assert api.hits(9001) == 2
    assert no_sleep == [2.0]  # the server's Retry-After, honoured


def test_backoff_doubles_without_retry_after(api, tmp_path):
    api.serve(9001, (500, {}, b""), (429, {}, b""), (502, {}, b""), (200, {}, BODY))
    waits: list[float] = []
    with CommonsVotesClient(api.url, tmp_path, attempts=4, backoff=0.5, sleep=waits.append) as client:
        got = client.fetch(9001)
    assert got.downloaded and got.attempts == 4
    assert waits == [0.5, 1.0, 2.0]


def test_retries_are_bounded(api, tmp_path):
    api.serve(9001, (503, {}, b""))
    waits: list[float] = []
    with (
        CommonsVotesClient(api.url, tmp_path, attempts=3, backoff=0.1, sleep=waits.append) as client,
        pytest.raises(FetchError, match=r"HTTP 503 Service Unavailable; gave up after 3 attempts"),
    ):
        client.fetch(9001)
    assert api.hits(9001) == 3 and waits == [0.1, 0.2]
    assert not list(tmp_path.rglob("*.json"))


def test_a_long_retry_after_is_an_error_not_a_long_wait(api, tmp_path):
    api.serve(9001, (429, {"Retry-After": "3600"}, b""))
    with (
        CommonsVotesClient(api.url, tmp_path, sleep=pytest.fail) as client,
        pytest.raises(FetchError, match="asks to wait 3600 s. Try again later"),
    ):
        client.fetch(9001)


def test_404_is_a_clear_error(api, dirs):
    result = fetch(api, dirs, "424242")
    assert result.exit_code == 2
    assert "division 424242 not found" in result.stderr and "HTTP 404" in result.stderr
    assert "Traceback" not in result.output
    assert api.hits(424242) == 1  # a 404 is not retried
    assert not dirs[0].exists()


def test_unreachable_server_is_a_clear_error(dirs, no_sleep):
    with socket.socket() as s:  # a loopback port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db, cache = dirs
    result = runner.invoke(
        app,
        ["fetch", "commons", "9001", "--db", str(db), "--cache", str(cache), "--base-url", f"http://127.0.0.1:{port}"],
    )
    assert result.exit_code == 2
    assert "cannot reach the server" in result.stderr and "gave up after 4 attempts" in result.stderr
    assert no_sleep == [1.0, 2.0, 4.0]
    assert "Traceback" not in result.output


def test_bad_ids_and_answers(api, dirs):
    result = fetch(api, dirs, "MV1")
    assert result.exit_code == 2
    assert "'MV1' is not a Commons Votes division id" in result.stderr
    assert api.requests == []
    api.serve(9001, (200, {}, b"<html>maintenance</html>"))
    result = fetch(api, dirs, "9001")
    assert result.exit_code == 2 and "not JSON" in result.stderr
    api.serve(9002, (200, {}, BODY))  # the answer is division 9001
    result = fetch(api, dirs, "9002")
    assert result.exit_code == 2 and "not with division 9002" in result.stderr
    assert not list(dirs[1].rglob("*.json"))  # nothing bad was cached


def test_retry_after_as_an_http_date():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
