"""End to end in a real browser: Debian's headless Chromium, driven by Playwright.

The web app runs under uvicorn in a thread on 127.0.0.1 and a free port; the test opens
the page, changes a party's stance, and checks that the head-to-head table shows what
the engine computes for that scenario. Chromium is the system one (`apt-get install
chromium`, done by .ci/run): Playwright downloads no browser.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium package (.ci/run does) to run the browser tests",
                allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright (the test extra) is not installed")
uvicorn = pytest.importorskip("uvicorn")

from tellers.parliament.cases import load_case  # noqa: E402
from tellers.parliament.head_to_head import analyse_options  # noqa: E402
from tellers.parliament.house import CaseHouse  # noqa: E402
from tellers.views.report.html import build_report  # noqa: E402
from tellers.parliament.stances import Stance, evaluate  # noqa: E402
from tellers.views.web import create_app  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
APRIL = ["666", "667", "668", "669", "664"]
TIMEOUT = 30_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    config = uvicorn.Config(create_app(house=CaseHouse(load_case())), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def table(page) -> dict[tuple[str, str], tuple[int, int]]:
    """The head-to-head table as shown: (row, column) -> (prefer row, prefer column)."""
    cells = page.eval_on_selector_all(
        "#head-to-head td[data-row]",
        "cells => cells.map(c => [c.dataset.row, c.dataset.col, c.textContent])",
    )
    out = {}
    for row, col, text in cells:
        prefer, against = text.replace("●", "").strip().split("–")
        out[row, col] = (int(prefer), int(against))
    return out


def engine(analysis) -> dict[tuple[str, str], tuple[int, int]]:
    labels = [t.label for t in analysis.options]
    return {(x, y): (analysis.pair(x, y).x_over_y, analysis.pair(x, y).y_over_x) for x in labels for y in labels if x != y}


def wait_ready(page, after: int) -> None:
    page.wait_for_function(
        "n => { const s = document.querySelector('#status'); return s.dataset.state === 'ready' && Number(s.dataset.seq) > n; }",
        arg=after, timeout=TIMEOUT,
    )


def test_changing_a_stance_updates_the_head_to_head_table(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    wait_ready(page, 0)
    house = CaseHouse(load_case())

    # first the 1 April question, as recorded
    assert page.locator("#verdict").inner_text() == "Customs union beats every other option head to head (Condorcet winner)."
    assert table(page) == engine(analyse_options(house, APRIL))
    assert page.locator("#head-to-head td.changed").count() == 0
    seq = int(page.locator("#status").get_attribute("data-seq"))

    # the Conservatives whipped to vote Aye on Common Market 2.0
    page.select_option('#stance-editor select[data-party="Conservative"][data-division="667"]', "aye")
    wait_ready(page, seq)
    expected = evaluate(house, APRIL, [Stance("Conservative", "667", "aye")])
    shown = table(page)
    assert shown == engine(expected.result.analysis)
    assert shown != engine(expected.recorded.analysis)
    assert shown[("Common Market 2.0", "Customs union")] == (237, 15)
    changed = page.eval_on_selector_all("#head-to-head td.changed", "cells => cells.map(c => [c.dataset.row, c.dataset.col])")
    after, before = engine(expected.result.analysis), engine(expected.recorded.analysis)
    assert {tuple(c) for c in changed} == {k for k, v in after.items() if before[k] != v}
    assert page.locator("#verdict").inner_text() == "Common Market 2.0 beats every other option head to head (Condorcet winner)."
    cm = expected.result.outcomes[1]
    assert page.locator('#division-results tr[data-division="667"]').inner_text().split("\t")[3] == f"{cm.ayes}–{cm.noes}"

    # the charts were drawn from the scenario too, and each party's power and what it would take are shown
    page.wait_for_function("document.querySelectorAll('#charts .chart svg.marks').length === 4", timeout=TIMEOUT)
    assert page.locator("#power .bar").count() >= 5
    page.wait_for_function("document.querySelectorAll('#whatif tbody tr').length === 5", timeout=TIMEOUT)

    # and back to the record
    seq = int(page.locator("#status").get_attribute("data-seq"))
    page.click("#reset-stances")
    wait_ready(page, seq)
    assert table(page) == engine(analyse_options(house, APRIL))

    assert errors == []
    assert all(url.startswith(server) or url.startswith("data:") for url in requests), requests
    page.close()


def test_picking_another_days_divisions(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/")
    wait_ready(page, 0)
    seq = int(page.locator("#status").get_attribute("data-seq"))
    page.click("#questions button:nth-child(2)")  # 27 March
    wait_ready(page, seq)
    house = CaseHouse(load_case())
    march = [str(d) for d in range(655, 663)]
    assert table(page) == engine(analyse_options(house, march))
    # untick one division: the table shrinks to seven options
    seq = int(page.locator("#status").get_attribute("data-seq"))
    page.uncheck('#days input[value="655"]')
    wait_ready(page, seq)
    assert table(page) == engine(analyse_options(house, march[1:]))
    page.close()


def test_the_report_opens_offline(tmp_path, browser):
    path = tmp_path / "report.html"
    path.write_text(build_report(CaseHouse(load_case())), encoding="utf-8")
    context = browser.new_context(offline=True)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else outside.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('figure .chart svg.marks').length === 14", timeout=TIMEOUT)
    assert page.locator("figure figcaption").count() == 14
    assert outside == []
    context.close()
