"""Titles from the data: the report and the web app name the chamber, the period and the
divisions they show; the catalogue's Brexit title only for the catalogue's own options."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tellers.parliament.cases import load_case
from tellers.parliament.house import CaseHouse, StoreHouse
from tellers.parliament.titles import Shown, chamber_name, house_title, period, shown, votes_word
from tellers.views.cli import app

runner = CliRunner()
BREXIT = "House of Commons, Brexit divisions, January-April 2019"
OPL = "Open Parliament Licence"


@pytest.fixture(scope="module")
def senate_db(tmp_path_factory, shared_data) -> Path:
    """The 116th Senate (720 roll calls, 8 January 2019 – 1 January 2021) in a database of its own."""
    db = tmp_path_factory.mktemp("senate") / "senate.duckdb"
    result = runner.invoke(app, ["import", "--db", str(db), str(shared_data / "voteview-senate" / "S116_votes.csv")])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def senate_report(senate_db, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("report") / "senate.html"
    result = runner.invoke(app, ["report", "--db", str(senate_db), "--options", "S116-1,S116-2,S116-3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _text(document: str, tag: str, cls: str | None = None) -> list[str]:
    """The text of every ``tag`` element (of class ``cls``), unescaped: in the head (the title) and
    the page's <main>, not in the Vega bundle's script."""
    head, _, rest = document.partition("<script>")
    main = rest[rest.index("<main>"):] if "<main>" in rest else ""
    attrs = f' class="{cls}"' if cls else r"[^>]*"
    return [html.unescape(t) for part in (head, main) for t in re.findall(rf"<{tag}{attrs}>(.*?)</{tag}>", part, flags=re.S)]


# --------------------------------------------------------------------------- words


def test_periods_in_words():
    assert period(date(2019, 1, 8), date(2019, 1, 8)) == "8 January 2019"
    assert period(date(2019, 1, 8), date(2019, 1, 14)) == "8–14 January 2019"
    assert period(date(2019, 1, 30), date(2019, 3, 3)) == "30 January – 3 March 2019"
    assert period(date(2015, 1, 6), date(2023, 1, 3)) == "6 January 2015 – 3 January 2023"
    assert period(date(2019, 1, 14), date(2019, 1, 8)) == "8–14 January 2019"
    assert period(None, date(2019, 1, 8)) == "8 January 2019"
    assert period(None, None) == ""


def test_chambers_and_their_votes_in_words():
    assert chamber_name("Senate") == "US Senate" and chamber_name("Commons") == "House of Commons"
    assert chamber_name("House") == "US House of Representatives" and chamber_name("Landtag") == "Landtag"
    assert votes_word(["Senate"], 3) == "3 roll calls" and votes_word(["Senate"], 1) == "1 roll call"
    assert votes_word(["Commons"], 2770) == "2,770 divisions" and votes_word(["Commons", "Senate"], 2) == "2 divisions"


def test_a_title_names_chamber_count_and_period():
    s = Shown(("Senate",), 3, date(2019, 1, 8), date(2019, 1, 10))
    assert s.title == "US Senate, 3 roll calls, 8–10 January 2019"
    assert s.words == "3 roll calls of the US Senate, 8–10 January 2019"
    assert Shown(("Senate", "Commons"), 4, None, None, undated=4).title == "US Senate and House of Commons, 4 divisions, undated"
    assert Shown(("Senate",), 5, date(2019, 1, 8), date(2019, 1, 8), undated=2).period == "8 January 2019 (2 undated)"
    assert Shown(("Commons",), 3, date(2019, 1, 8), date(2019, 1, 8), BREXIT).title == BREXIT


def test_the_catalogue_title_only_for_the_catalogues_own_divisions():
    house = CaseHouse(load_case())
    assert house_title(house, ["666", "667", "668"]) == BREXIT
    assert house_title(house, ["655", "656", "664"]) == BREXIT
    # the January amendments test no catalogue option: the data name them
    assert house_title(house, ["576", "577", "578"]) == "House of Commons, 3 divisions, 29 January 2019"
    assert house_title(house, ["576", "666"]) == "House of Commons, 2 divisions, 29 January – 1 April 2019"
    assert house_title(house) == "House of Commons, 23 divisions, 15 January – 1 April 2019"
    assert shown(house, ["562", "669"]).chambers == ("Commons",)


# --------------------------------------------------------------------------- the report


def test_the_senate_report_is_titled_by_the_senate_and_its_dates(senate_report):
    (title,) = _text(senate_report, "title")
    assert title == "tellers report — US Senate, 3 roll calls, 8–14 January 2019"
    assert _text(senate_report, "h1") == [title]
    assert "Brexit" not in senate_report and "House of Commons" not in senate_report
    (meta,) = _text(senate_report, "p", "meta")
    assert meta.startswith("Shown: 3 roll calls of the US Senate, 8–14 January 2019. Data: ")
    (credit,) = _text(senate_report, "p", "attribution")
    assert "Voteview" in credit and OPL not in senate_report


def test_the_senate_reports_headings_and_captions_name_the_senate(senate_report):
    (section,) = _text(senate_report, "h2")
    assert section.startswith("Head to head: ") and "(S116-1)" in section and len(section) < 240
    captions = _text(senate_report, "figcaption")
    assert len(captions) == 7  # with "How sure is the verdict"
    for caption in captions:
        assert "US Senate" in caption, caption
        assert "Speaker" not in caption and "Sinn Féin" not in caption and "Tellers are left out" not in caption
    assert sum("8–14 January 2019" in c for c in captions) >= 4
    # the scale: fitted to the roll calls of the 116th Senate stored, named with their dates
    scale = next(c for c in captions if c.startswith("Each dot is a member"))
    assert re.search(r"fitted to [\d,]+ roll calls of the US Senate, 8 January 2019 – 1 January 2021", scale), scale


def test_the_bundled_commons_report_keeps_its_brexit_title(tmp_path):
    out = tmp_path / "commons.html"
    result = runner.invoke(app, ["report", "--question", "1apr", "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = out.read_text(encoding="utf-8")
    assert _text(document, "title") == [f"tellers report — {BREXIT}"]
    assert "Shown: 5 divisions of the House of Commons, 29 March – 1 April 2019." in _text(document, "p", "meta")[0]
    assert OPL in _text(document, "p", "attribution")[0]
    # other Commons divisions are titled by what they are
    other = tmp_path / "other.html"
    result = runner.invoke(app, ["report", "--options", "576,577,578", "--out", str(other)])
    assert result.exit_code == 0, result.output
    document = other.read_text(encoding="utf-8")
    assert _text(document, "title") == ["tellers report — House of Commons, 3 divisions, 29 January 2019"]
    assert "Brexit" not in _text(document, "title")[0]


# --------------------------------------------------------------------------- the web app


def test_the_web_app_names_the_senate_and_its_period(senate_db):
    from fastapi.testclient import TestClient

    from tellers.views.web import create_app

    with TestClient(create_app(house=StoreHouse(senate_db))) as c:
        info = c.get("/api/info").json()
        assert info["title"] == "US Senate, 720 roll calls, 8 January 2019 – 1 January 2021"
        assert info["chamber"] == "US Senate" and "Voteview" in info["attribution"]
        charts = c.post("/api/charts", json={"options": ["S116-1", "S116-2", "S116-3"]}).json()
        for chart in charts.values():
            assert "US Senate" in chart["caption"] and "Brexit" not in chart["caption"]


def test_the_web_app_on_the_bundled_case(client):
    info = client.get("/api/info").json()
    assert info["title"] == "House of Commons, 23 divisions, 15 January – 1 April 2019"
    assert OPL in info["attribution"]
    page = client.get("/").text
    assert 'id="attribution"' in page and OPL not in page  # the credit comes from the data
