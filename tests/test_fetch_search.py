"""`tellers fetch commons --from --to --search`: a period's divisions listed page by page through
the Commons Votes search (cached), then downloaded and imported. Loopback traffic only."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

import test_fetch
from tellers.errors import FetchError
from tellers.records.commons_api import SEARCH_PAGE, CommonsVotesClient
from tellers.records.store import Store
from tellers.views.cli import app

runner = CliRunner()
api, dirs, no_sleep = test_fetch.api, test_fetch.dirs, test_fetch.no_sleep  # the fixtures, shared
SEARCH = "/data/divisions.json/search"
FIRST_DAY = date(2019, 3, 1)


def division(division_id: int) -> dict:
    """The fixture division under another id, a day later for each id."""
    doc = json.loads(test_fetch.BODY)
    day = FIRST_DAY + timedelta(days=division_id - 1000)
    doc.update(DivisionId=division_id, Number=division_id, Date=f"{day}T19:00:00", Title=f"Division {division_id}")
    return doc


def listing(fake, ids: list[int]) -> list[dict]:
    """Serve each division, and a search that pages through them (the queries it was asked, logged)."""
    asked: list[dict[str, str]] = []

    def page(query: dict[str, str]):
        asked.append(query)
        skip, take = int(query["queryParameters.skip"]), int(query["queryParameters.take"])
        items = [{k: v for k, v in division(i).items() if k not in ("Ayes", "Noes")} for i in ids[skip : skip + take]]
        return 200, {}, json.dumps(items).encode()

    fake.pages[SEARCH] = page
    for i in ids:
        fake.serve(i, (200, {}, json.dumps(division(i)).encode()))
    return asked


def fetch(fake, dirs, *args: str):
    db, cache = dirs
    return runner.invoke(
        app, ["fetch", "commons", *args, "--db", str(db), "--cache", str(cache), "--base-url", fake.url]
    )


IDS = list(range(1000, 1030))  # 30 divisions: two pages of the search


def test_a_period_is_listed_in_pages_downloaded_and_imported(api, dirs):
    asked = listing(api, IDS)
    result = fetch(api, dirs, "--from", "2019-03-01", "--to", "2019-03-30")
    assert result.exit_code == 0, result.output
    assert "search: 30 divisions listed (2 pages, 2 downloaded)" in result.stderr
    assert [(q["queryParameters.skip"], q["queryParameters.take"]) for q in asked] == [("0", "25"), ("25", "25")]
    assert {(q["queryParameters.startDate"], q["queryParameters.endDate"]) for q in asked} == {
        ("2019-03-01", "2019-03-30")
    }
    assert all("queryParameters.searchTerm" not in q for q in asked)
    assert all(api.hits(i) == 1 for i in IDS)
    with Store(dirs[0], read_only=True) as store:
        assert sorted(d.id for d in store.divisions()) == [str(i) for i in IDS]


def test_search_pages_and_divisions_are_cached(api, dirs):
    asked = listing(api, IDS)
    assert fetch(api, dirs, "--from", "2019-03-01", "--to", "2019-03-30").exit_code == 0
    requests = len(api.requests)
    result = fetch(api, dirs, "--to", "2019-03-30", "--from", "2019-03-01", "--json")
    assert result.exit_code == 0, result.output
    assert len(api.requests) == requests  # the same query: nothing asked again
    assert all(file["unchanged"] for file in json.loads(result.stdout)["files"])
    result = fetch(api, dirs, "--from", "2019-03-01", "--to", "2019-03-30", "--search", "Harbours")
    assert result.exit_code == 0, result.output
    assert asked[-1]["queryParameters.searchTerm"] == "Harbours"  # another query: its own pages
    assert len(asked) == 4 and len(api.requests) == requests + 2
    assert fetch(api, dirs, "--from", "2019-03-01", "--to", "2019-03-30", "--refresh").exit_code == 0
    assert len(asked) == 6 and all(api.hits(i) == 2 for i in IDS)


def test_ids_and_a_period_together(api, dirs):
    listing(api, IDS[:3])
    api.serve(9001, (200, {}, test_fetch.BODY))
    result = fetch(api, dirs, "9001", "1001", "--from", "2019-03-01")
    assert result.exit_code == 0, result.output
    assert api.hits(1001) == 1  # named and listed: downloaded once
    with Store(dirs[0], read_only=True) as store:
        assert sorted(d.id for d in store.divisions()) == ["1000", "1001", "1002", "9001"]


def test_a_search_that_lists_nothing(api, dirs):
    listing(api, [])
    result = fetch(api, dirs, "--from", "2019-08-03", "--to", "2019-08-04")
    assert result.exit_code == 0, result.output
    assert "search: 0 divisions listed (1 page, 1 downloaded)" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2019-13-01"], "--from '2019-13-01' is not a date: give it in ISO form, YYYY-MM-DD"),
        (["--from", "2019-03-01", "--to", "1 April"], "--to '1 April' is not a date"),
        (["--from", "2019-04-01", "--to", "2019-03-01"], "--from 2019-04-01 is after --to 2019-03-01"),
        ([], "nothing to fetch: give division ids"),
    ],
)
def test_bad_periods_are_clear_errors(api, dirs, args, message):
    result = fetch(api, dirs, *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert api.requests == []


def test_bad_search_answers(api, tmp_path):
    api.pages[SEARCH] = lambda query: (200, {}, b'{"not": "a list"}')
    with CommonsVotesClient(api.url, tmp_path) as client:
        with pytest.raises(FetchError, match="a division search answered dict, not a list"):
            client.search(date(2019, 3, 1))
        assert not list(tmp_path.rglob("*.json"))  # a bad page is never cached
        api.pages[SEARCH] = lambda query: (200, {}, json.dumps([{"DivisionId": 1}] * SEARCH_PAGE).encode())
        with pytest.raises(FetchError, match="the server ignores paging"):
            client.search(date(2019, 3, 1), words="x")
        api.pages[SEARCH] = lambda query: (200, {}, b'[{"Title": "no id"}]')
        with pytest.raises(FetchError, match="item 0 of the division search has no DivisionId"):
            client.search(date(2019, 3, 2))


def test_a_busy_search_is_retried(api, tmp_path):
    answers = iter([(503, {"Retry-After": "1"}, b""), (200, {}, b"[]")])
    api.pages[SEARCH] = lambda query: next(answers)
    waits: list[float] = []
    with CommonsVotesClient(api.url, tmp_path, sleep=waits.append) as client:
        found = client.search(date(2019, 3, 1), date(2019, 3, 2))
    assert found.divisions == () and waits == [1.0] and api.hits_at(SEARCH) == 2
