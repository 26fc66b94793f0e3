"""`tellers fetch members`: party affiliations from the Members API, cached, polite, stored as
membership histories. Loopback traffic only (test_fetch's FakeApi)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

import test_fetch
from tellers.errors import FetchError
from tellers.records.http_client import USER_AGENT
from tellers.records.members_api import MembersClient, membership_history, read_affiliations
from tellers.records.model import Membership
from tellers.records.store import Store
from tellers.views.cli import app

runner = CliRunner()
api, dirs, no_sleep = test_fetch.api, test_fetch.dirs, test_fetch.no_sleep  # the fixtures, shared


def affiliation(party: str, start: str, end: str | None = None, house: int | None = 1) -> dict:
    """One item of a biography's ``partyAffiliations``, as the Members API gives it."""
    return {
        "house": house,
        "name": party,
        "id": 8,
        "startDate": f"{start}T00:00:00",
        "endDate": f"{end}T00:00:00" if end else None,
        "additionalInfo": None,
        "additionalInfoLink": None,
    }


def biography(*affiliations: dict) -> bytes:
    value = {"representations": [], "houseMemberships": [], "partyAffiliations": list(affiliations)}
    return json.dumps({"value": value, "links": []}).encode()


SOUBRY = biography(  # a switch on one day: the API gives it as both an end and a start
    affiliation("Conservative", "2010-05-06", "2019-02-20"),
    affiliation("The Independent Group", "2019-02-20", "2019-03-29"),
    affiliation("Change UK - The Independent Group", "2019-03-29", "2019-12-12"),
)
ABBOTT = biography(affiliation("Labour", "1987-06-11"))


def path(member_id: int) -> str:
    return f"/api/Members/{member_id}/Biography"


def serve(fake, member_id: int, *answers) -> None:
    fake.routes[path(member_id)] = list(answers)


def fetch(fake, dirs, *args: str):
    db, cache = dirs
    return runner.invoke(
        app, ["fetch", "members", *args, "--db", str(db), "--cache", str(cache), "--base-url", fake.url]
    )


def stored(db) -> list[tuple]:
    with Store(db, read_only=True) as store:
        return store.con.execute(
            'SELECT member_id, chamber, party, start, "end", source FROM memberships ORDER BY member_id, start'
        ).fetchall()


def test_members_are_fetched_and_stored_as_memberships(api, dirs):
    serve(api, 4501, (200, {}, SOUBRY))
    serve(api, 172, (200, {}, ABBOTT))
    result = fetch(api, dirs, "4501", "172")
    assert result.exit_code == 0, result.output
    assert "member 4501: downloaded, 3 party affiliations" in result.stderr
    assert "4 party affiliations of 2 members written (0 replaced)" in " ".join(result.stdout.split())
    assert {headers["User-Agent"] for _, headers in api.requests} == {USER_AGENT}
    assert stored(dirs[0]) == [
        ("172", "Commons", "Labour", date(1987, 6, 11), None, api.url),
        ("4501", "Commons", "Conservative", date(2010, 5, 6), date(2019, 2, 19), api.url),
        ("4501", "Commons", "The Independent Group", date(2019, 2, 20), date(2019, 3, 28), api.url),
        ("4501", "Commons", "Change UK - The Independent Group", date(2019, 3, 29), date(2019, 12, 12), api.url),
    ]


def test_a_cached_member_is_not_downloaded_again(api, dirs):
    serve(api, 172, (200, {}, ABBOTT))
    assert fetch(api, dirs, "172").exit_code == 0
    result = fetch(api, dirs, "172", "--json")
    assert result.exit_code == 0, result.output
    assert api.hits_at(path(172)) == 1
    doc = json.loads(result.stdout)
    assert doc["members"] == ["172"] and doc["written"] == 1 and doc["replaced"] == 1
    assert doc["memberships"] == [
        {"member_id": "172", "chamber": "Commons", "party": "Labour", "start": "1987-06-11", "end": None}
    ]
    [cached] = dirs[1].rglob("172.json")
    assert cached.parent.name == "biography" and "members" in cached.parts
    assert fetch(api, dirs, "172", "--refresh").exit_code == 0
    assert api.hits_at(path(172)) == 2


def test_503_then_200_is_retried(api, dirs, no_sleep):
    serve(api, 172, (503, {"Retry-After": "3"}, b"busy"), (200, {}, ABBOTT))
    result = fetch(api, dirs, "172")
    assert result.exit_code == 0, result.output
    assert api.hits_at(path(172)) == 2 and no_sleep == [3.0]


def test_404_is_a_clear_error(api, dirs):
    result = fetch(api, dirs, "999999")
    assert result.exit_code == 2
    assert "member 999999 not found" in result.stderr and "HTTP 404" in result.stderr
    assert "Traceback" not in result.output
    assert api.hits_at(path(999999)) == 1 and not dirs[0].exists()


@pytest.mark.parametrize("bad", ["abc", "0", "12.5", "1e3"])
def test_bad_ids_are_clear_errors_before_any_request(api, dirs, bad):
    result = fetch(api, dirs, "172", bad)
    assert result.exit_code == 2
    assert f"{bad!r} is not a Members API member id" in result.stderr
    assert api.requests == [] and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<html>maintenance</html>", "not JSON"),
        (b'{"items": []}', "not a Members API biography"),
        (biography(affiliation("Labour", "someday")), "startDate 'somedayT00:00:00' is not a date"),
        (biography(affiliation("Labour", "2019-01-02", "2018-01-01")), "is before its startDate 2019-01-02"),
        (biography(affiliation("", "2019-01-02")), "the party name is missing"),
        (biography(affiliation("Labour", "2019-01-02", house=7)), "unknown house 7"),
    ],
)
def test_bad_answers_are_clear_errors_and_not_cached(api, dirs, body, problem):
    serve(api, 172, (200, {}, body))
    result = fetch(api, dirs, "172")
    assert result.exit_code == 2, result.output
    assert problem in result.stderr and "Traceback" not in result.output
    assert not list(dirs[1].rglob("*.json"))


def test_lords_affiliations_and_a_member_without_any(tmp_path, api):
    serve(api, 3001, (200, {}, biography(affiliation("Labour", "1997-05-01", "2010-04-12"),
                                         affiliation("Labour", "2010-06-01", house=2))))
    serve(api, 3002, (200, {}, biography()))
    with MembersClient(api.url, tmp_path) as client:
        rows = [m for i in (3001, 3002) for m in read_affiliations(str(i), client.fetch(i).path)]
    assert [(m.chamber, m.start, m.end) for m in rows] == [
        ("Commons", date(1997, 5, 1), date(2010, 4, 12)),
        ("Lords", date(2010, 6, 1), None),
    ]


def test_history_ends_each_affiliation_before_the_next():
    def m(party: str, start: str, end: str | None = None, chamber: str = "Commons") -> Membership:
        return Membership("1", party, date.fromisoformat(start), end and date.fromisoformat(end), chamber)

    history = membership_history("api", [
        m("B", "2019-02-20"),  # out of order, and the earlier one has no end
        m("A", "2010-05-06"),
        m("A", "2005-01-01", "2008-01-01", chamber="Lords"),  # another chamber: untouched
    ])
    assert [(x.party, x.chamber, x.start, x.end) for x in history.memberships] == [
        ("A", "Commons", date(2010, 5, 6), date(2019, 2, 19)),
        ("B", "Commons", date(2019, 2, 20), None),
        ("A", "Lords", date(2005, 1, 1), date(2008, 1, 1)),
    ]
    assert membership_history("api", [m("A", "2010-05-06", "2011-01-01"), m("A", "2010-05-06")]).memberships == (
        m("A", "2010-05-06"),
    )
    with pytest.raises(FetchError, match=r"member 1: the Members API gives two parties from 2010-05-06"):
        membership_history("api", [m("A", "2010-05-06"), m("B", "2010-05-06")])


def test_memberships_decide_the_party_a_vote_counts_for(api, dirs):
    """Member 101 votes Aye for Labour in division 9001 (1 June 2020); a history saying she sat
    as an independent from May 2020 moves her vote out of Labour's column."""
    api.serve(9001, (200, {}, test_fetch.BODY))
    serve(api, 101, (200, {}, biography(affiliation("Labour", "2015-05-07", "2020-05-01"),
                                        affiliation("Independent", "2020-05-01"))))
    assert test_fetch.fetch(api, dirs, "9001").exit_code == 0
    assert fetch(api, dirs, "101").exit_code == 0
    with Store(dirs[0], read_only=True) as store:
        split = {p.party: p for p in store.division("9001").parties}
    assert split["Labour"].aye == 1 and split["Independent"].aye == 1
