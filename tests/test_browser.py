"""End to end in a real browser: Debian's headless Chromium, driven by Playwright.

The web app runs under uvicorn in a thread on 127.0.0.1 and a free port; the test opens
the page, changes a party's stance, and checks that the head-to-head table shows what
the engine computes for that scenario. Chromium is the system one (`apt-get install
chromium`, done by .ci/run): Playwright downloads no browser.
"""

from __future__ import annotations

import re
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
    for row, col, text in cells:  # "181–155 ▲ wins": the count, then its mark and its word
        prefer, against = re.match(r"(\d+)–(\d+)", text).groups()
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


# --------------------------------------------------------------------------- stances the server notes or refuses


def scenario(page, server: str, stances: list[dict]):
    """What POST /api/scenario answers for the 1 April options with these stances."""
    return page.request.post(server + "/api/scenario", data={"options": APRIL, "stances": stances})


def stance_select(party: str, division: str) -> str:
    return f'#stance-editor select[data-party="{party}"][data-division="{division}"]'


def test_a_stance_that_changes_no_vote_is_noticed(server, browser):
    # all ten DUP members voted No on Common Market 2.0 (667): a DUP No there changes no vote
    house = CaseHouse(load_case())
    noop = evaluate(house, APRIL, [Stance("Democratic Unionist Party", "667", "no")])
    assert engine(noop.result.analysis) == engine(noop.recorded.analysis)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/")
    wait_ready(page, 0)
    assert page.locator("#stance-notices").inner_text() == ""
    seq = int(page.locator("#status").get_attribute("data-seq"))
    page.select_option(stance_select("Democratic Unionist Party", "667"), "no")
    wait_ready(page, seq)
    doc = scenario(page, server, [{"party": "Democratic Unionist Party", "option": "667", "vote": "no"}]).json()
    assert all((d["ayes"], d["noes"]) == (d["before"]["ayes"], d["before"]["noes"]) for d in doc["divisions"])
    assert doc["notices"], "the server notes a stance that changes no vote"
    shown = page.locator("#stance-notices li").all_inner_texts()
    assert shown == doc["notices"]
    assert page.locator("#stance-notices .refusal").count() == 0
    assert page.locator("#stance-notices").get_attribute("aria-live") == "polite"
    assert table(page) == engine(noop.recorded.analysis)
    page.close()


def assert_the_next_stance_counts(page) -> None:
    """A Conservative aye on Common Market 2.0 after a refusal: counted without the refused stance
    (237–15 over the customs union), and the refusal gives way to the new answer."""
    seq = int(page.locator("#status").get_attribute("data-seq"))
    page.select_option(stance_select("Conservative", "667"), "aye")
    wait_ready(page, seq)
    assert page.locator("#stance-notices .refusal").count() == 0
    assert table(page)[("Common Market 2.0", "Customs union")] == (237, 15)


def test_a_stance_for_a_party_that_cannot_vote_is_refused_and_not_applied(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/")
    wait_ready(page, 0)
    before = table(page)
    refused = scenario(page, server, [{"party": "Sinn Féin", "option": "667", "vote": "aye"}])
    assert refused.status == 400
    reason = refused.json()["detail"]
    seq = int(page.locator("#status").get_attribute("data-seq"))
    page.select_option(stance_select("Sinn Féin", "667"), "aye")
    wait_ready(page, seq)
    refusal = page.locator("#stance-notices .refusal")
    assert refusal.inner_text() == f"Error: Refused, not applied: Sinn Féin aye on Common Market 2.0. {reason}"
    assert refusal.is_visible()
    # the select is back to the record, and the tables are as they were
    select = page.locator(stance_select("Sinn Féin", "667"))
    assert select.input_value() == ""
    assert "set" not in (select.get_attribute("class") or "")
    assert table(page) == before
    assert page.locator("#error").is_hidden()
    # the next stance counts as usual, without the refused one, and the refusal gives way to the new answer
    assert_the_next_stance_counts(page)
    page.close()


def test_two_quick_stances_refused_together_are_both_taken_back(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/")
    wait_ready(page, 0)
    before = table(page)
    seq = int(page.locator("#status").get_attribute("data-seq"))
    # the second edit is sent before the first is answered (arrow keys on a closed select do this):
    # the first answer is superseded, the second refused, and the page takes back both edits
    page.evaluate("""selector => {
        const s = document.querySelector(selector);
        for (const vote of ["aye", "no"]) { s.value = vote; s.dispatchEvent(new Event("change")); }
    }""", stance_select("Sinn Féin", "667"))
    wait_ready(page, seq + 1)
    refusal = page.locator("#stance-notices .refusal").inner_text()
    assert refusal.startswith("Error: Refused, not applied: Sinn Féin no on Common Market 2.0. ")
    assert page.locator(stance_select("Sinn Féin", "667")).input_value() == ""
    assert table(page) == before
    assert_the_next_stance_counts(page)
    page.close()


# --------------------------------------------------------------------------- layout, keyboard, accessibility


def test_every_option_column_of_the_stance_table_shows_at_1024_px(server, browser):
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    page.goto(server + "/")
    wait_ready(page, 0)
    seq = int(page.locator("#status").get_attribute("data-seq"))
    page.click("#questions button:nth-child(2)")  # 27 March: eight options
    wait_ready(page, seq)
    page.locator("#stance-editor").scroll_into_view_if_needed()
    box = page.locator("#stance-editor").bounding_box()
    headers = page.locator("#stance-editor thead th")
    assert headers.all_inner_texts() == ["party", "No deal", "CM2.0", "EFTA/EEA", "CU", "Labour plan", "Revoke",
                                         "Public vote", "Pref. arr."]
    for i in range(headers.count()):
        h = headers.nth(i).bounding_box()
        assert box["x"] <= h["x"] and h["x"] + h["width"] <= box["x"] + box["width"], headers.nth(i).inner_text()
        assert 0 <= h["y"] and h["y"] + h["height"] <= 800, headers.nth(i).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") == 1024  # no sideways scroll of the page
    assert page.locator("#stance-scroll-hint").is_hidden()
    # beside the results, at 1,400 px, the table scrolls inside its own box: it says so and takes the focus
    page.set_viewport_size({"width": 1400, "height": 800})
    page.wait_for_function("document.querySelector('#stance-editor').classList.contains('overflowing')", timeout=TIMEOUT)
    assert page.locator("#stance-scroll-hint").is_visible()
    assert page.locator("#stance-editor").get_attribute("tabindex") == "0"
    page.close()


def test_a_stance_is_set_from_the_keyboard(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/")
    wait_ready(page, 0)
    for _ in range(100):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#stance-editor select')"):
            break
    focused = page.evaluate("(() => { const a = document.activeElement, s = getComputedStyle(a); "
                            "return [a.dataset.party, a.dataset.division, a.getAttribute('aria-label'), s.outlineStyle, s.outlineWidth]; })()")
    assert focused == ["Conservative", "666", "Conservative stance on Customs union", "solid", "3px"]
    seq = int(page.locator("#status").get_attribute("data-seq"))
    page.keyboard.press("ArrowDown")  # from "–" (as recorded) to "aye"
    wait_ready(page, seq)
    assert page.evaluate("document.activeElement.value") == "aye"
    expected = evaluate(CaseHouse(load_case()), APRIL, [Stance("Conservative", "666", "aye")])
    assert table(page) == engine(expected.result.analysis)
    assert page.locator("#status").inner_text() == "650 members; 1 stance(s) applied."
    page.close()


def serious_violations(page) -> list[str]:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python (the test extra) is not installed")
    found = axe.Axe().run(page).response["violations"]
    return [f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in found if v["impact"] in ("serious", "critical")]


def drawn(page, options: int) -> None:
    """Wait for every part of the page to be drawn: the charts, what it would take, how sure the verdict is
    (long work: the ideal-point scale is fitted and resampled, on a machine other tests share)."""
    page.wait_for_function("document.querySelectorAll('#charts .chart svg.marks').length === 4", timeout=4 * TIMEOUT)
    page.wait_for_function(f"document.querySelectorAll('#whatif tbody tr').length === {options} && "
                           f"document.querySelectorAll('#robustness-shares tbody tr').length === {options + 1}", timeout=4 * TIMEOUT)


@pytest.mark.parametrize("day, options, stance", [(1, 5, ("Conservative", "667")), (2, 8, ("Labour", "660"))],
                         ids=["1 April", "27 March"])
def test_axe_finds_no_serious_accessibility_violation(server, browser, day, options, stance):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/")
    wait_ready(page, 0)
    seq = int(page.locator("#status").get_attribute("data-seq"))
    page.click(f"#questions button:nth-child({day})")
    wait_ready(page, seq)
    drawn(page, options)
    for width in (1400, 1024):
        page.set_viewport_size({"width": width, "height": 1000})
        page.evaluate("() => new Promise(requestAnimationFrame)")
        assert serious_violations(page) == [], f"as loaded, at {width} px"
    seq = int(page.locator("#status").get_attribute("data-seq"))
    page.select_option(stance_select(*stance), "aye")
    wait_ready(page, seq)
    drawn(page, options)
    assert page.locator("#head-to-head td.changed").count() > 0
    for width in (1024, 1400):
        page.set_viewport_size({"width": width, "height": 1000})
        page.evaluate("() => new Promise(requestAnimationFrame)")
        assert serious_violations(page) == [], f"with a stance applied, at {width} px"
    page.close()


def test_spatial_results_carry_their_caveat(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/")
    wait_ready(page, 0)
    drawn(page, 5)
    caveat = page.locator("figure:has(#chart-ideal-points) .caveat")
    assert caveat.is_visible()
    assert caveat.inner_text().startswith("A spatial model's result, not the record: ")
    assert page.locator("#robustness-shares thead th").all_inner_texts() == ["Condorcet winner", "uniform", "party", "spatial"]
    assert page.locator("#robustness-caveat").inner_text() == "The spatial column: " + caveat.inner_text()
    page.close()
