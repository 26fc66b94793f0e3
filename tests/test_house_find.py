"""House.find: a house's divisions in a period (both ends inclusive) whose titles hold every
word asked for, the same on both kinds of house; and `tellers idealpoints --from --to --search`."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from tellers.errors import TellersError
from tellers.parliament.cases import load_case
from tellers.parliament.house import CaseHouse, StoreHouse
from tellers.records.model import Division, DivisionRecords, Member, Vote, VoteKind
from tellers.records.store import DivisionTotals, Store
from tellers.views.cli import app

runner = CliRunner()
MARCH_27 = [str(d) for d in range(655, 663)]


@pytest.fixture(scope="module")
def case() -> CaseHouse:
    return CaseHouse(load_case())


@pytest.fixture(scope="module")
def store(commons_db):
    with StoreHouse(commons_db) as house:
        yield house


@pytest.fixture(params=["case", "store"])
def house(request):
    """Each kind of house on the 2019 Commons divisions."""
    return request.getfixturevalue(request.param)


def ids(found: list[DivisionTotals]) -> list[str]:
    return [t.id for t in found]


def test_one_day_is_both_ends(house):
    day = date(2019, 3, 27)
    assert ids(house.find(day, day)) == MARCH_27


def test_both_ends_are_inclusive(house):
    assert ids(house.find(date(2019, 3, 27), date(2019, 3, 29))) == [*MARCH_27, "664"]
    assert ids(house.find(date(2019, 3, 28), date(2019, 3, 29))) == ["664"]
    assert ids(house.find(until=date(2019, 1, 15))) == ["562"]
    assert ids(house.find(since=date(2019, 4, 1))) == ["666", "667", "668", "669"]
    assert house.find(date(2019, 4, 2), None) == []


def test_no_bounds_and_no_words_is_every_division(house):
    assert house.find() == house.divisions()
    assert house.find(search="   ") == house.divisions()


def test_every_word_must_be_in_the_title_in_any_case(house):
    assert ids(house.find(search="common market")) == ["656", "667"]  # "Common market 2.0", "Common Market 2.0"
    assert ids(house.find(search="CUSTOMS clarke")) == ["658", "666"]
    assert ids(house.find(search="customs boles")) == []
    assert ids(house.find(search="Confirmatory")) == ["661", "668"]


def test_words_and_period_together(house):
    assert ids(house.find(date(2019, 4, 1), date(2019, 4, 1), "common market")) == ["667"]
    assert ids(house.find(until=date(2019, 3, 31), search="public vote")) == ["661"]


def test_found_divisions_are_the_houses_own_totals_oldest_first(house):
    found = house.find(date(2019, 1, 1), date(2019, 12, 31))
    assert found and all(isinstance(t, DivisionTotals) for t in found)
    assert [t.date for t in found] == sorted(t.date for t in found)
    held = {t.id: t for t in house.divisions()}
    assert all(held[t.id] == t for t in found)


def test_both_kinds_of_house_find_the_same(case, store):
    for since, until, words in ((date(2019, 3, 27), date(2019, 4, 1), None), (None, None, "motion"),
                                (date(2019, 1, 29), None, "amdt")):
        assert ids(case.find(since, until, words)) == ids(store.find(since, until, words))


def test_a_period_that_ends_before_it_starts_is_an_error(house):
    with pytest.raises(TellersError, match="starts .*2019-04-01.* after it ends .*2019-03-27"):
        house.find(date(2019, 4, 1), date(2019, 3, 27))


@pytest.fixture(scope="module")
def undated(tmp_path_factory) -> StoreHouse:
    """A store with one dated and one undated division."""
    members = tuple(Member(str(i), f"Member {i}", "Party") for i in range(4))
    divisions = (Division("1", "Commons", date(2020, 5, 1), "Dated motion"), Division("2", "Commons", None, "Undated motion"))
    votes = tuple(Vote(d.id, m.id, VoteKind.AYE if i % 2 else VoteKind.NO, m.party)
                  for d in divisions for i, m in enumerate(members))
    path = tmp_path_factory.mktemp("undated") / "undated.duckdb"
    with Store(path) as store:
        store.import_records([DivisionRecords("undated.json", "Commons", members, divisions, votes)])
    with StoreHouse(path) as house:
        yield house


def test_an_undated_division_is_found_only_without_a_period(undated):
    assert ids(undated.find()) == ["1", "2"]
    assert ids(undated.find(search="motion")) == ["1", "2"]
    assert ids(undated.find(since=date(2000, 1, 1))) == ["1"]
    assert ids(undated.find(until=date(2100, 1, 1))) == ["1"]


def test_require_all_checks_every_id_at_once(house):
    assert house.require_all([" 666", "667 "]) == ("666", "667")
    with pytest.raises(TellersError, match="no division '9999'"):
        house.require_all(["666", "9999", "8888"])


# --------------------------------------------------------------------------- tellers idealpoints


def test_idealpoints_scales_a_period(shared_data):
    data = str(shared_data / "commons-2019-brexit")
    result = runner.invoke(app, ["idealpoints", "--data", data, "--from", "2019-03-27", "--to", "2019-04-01"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Ideal points — 13 divisions of the House of Commons, 27 March – 1 April 2019" in result.stdout
    result = runner.invoke(app, ["idealpoints", "--data", data, "--search", "EU withdrawal act amdt"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Ideal points — 7 divisions of the House of Commons, 29 January 2019" in result.stdout


def test_idealpoints_period_mistakes_are_clean_errors(shared_data):
    data = str(shared_data / "commons-2019-brexit")
    for args, message in (
        (["--from", "2019-04-01", "--to", "2019-03-27"], "after it ends"),
        (["--from", "2020-01-01"], "no divisions from 2020-01-01 in"),
        (["--search", "no such words"], "no divisions whose title holds 'no such words'"),
        (["--divisions", "666,667,668", "--from", "2019-01-01"], "not both"),
    ):
        result = runner.invoke(app, ["idealpoints", "--data", data, *args])
        assert result.exit_code == 2, result.output
        assert message in result.stderr and "Traceback" not in result.output
    result = runner.invoke(app, ["idealpoints", "--data", data, "--from", "1 April 2019"])
    assert result.exit_code == 2 and "--from" in result.stderr
