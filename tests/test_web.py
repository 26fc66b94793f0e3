"""The web app's JSON API (FastAPI's test client): every endpoint and every error path."""

from __future__ import annotations

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tellers.views.cli import app as cli
from tellers.parliament.head_to_head import analyse_options
from tellers.parliament.house import CaseHouse, StoreHouse
from tellers.parliament.cases import load_case
from tellers.views.report.divisions import division_json, divisions_json
from tellers.views.report.majority import majority_json
from tellers.records.model import VoteKind
from tellers.records.patterns import KINDS
from tellers.parliament.stances import Stance, evaluate
from tellers.views.web import MAX_BODY, create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

APRIL = ["666", "667", "668", "669", "664"]


# --------------------------------------------------------------------------- the page


def test_page_and_its_static_files_load_nothing_from_the_network(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "<script src=\"/static/vega.js\"></script>" in page.text
    for path in ("/static/app.js", "/static/style.css", "/static/vega.js"):
        r = client.get(path)
        assert r.status_code == 200, path
    for text in (page.text, client.get("/static/app.js").text, client.get("/static/style.css").text):
        assert "http://" not in text.replace("http://127.0.0.1", "") and "https://" not in text


def test_no_file_outside_the_static_list_is_served(client):
    for path in ("/static/index.html.bak", "/static/..%2F__init__.py", "/static/%2e%2e/app.py", "/static/../app.py",
                 "/static/..%2F..%2Fstore.py"):
        assert client.get(path).status_code == 404, path


def test_openapi_schema_lists_every_endpoint(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/divisions", "/api/divisions/{division_id}", "/api/majority", "/api/power", "/api/whatif/{division_id}",
            "/api/scenario", "/api/charts", "/api/info"} <= paths
    assert "/docs" not in paths
    assert client.get("/docs").status_code == 404  # its page loads Swagger UI from a CDN


# --------------------------------------------------------------------------- same JSON as the CLI


def test_divisions_and_division_are_the_cli_json_on_a_store(tmp_path, shared_data):
    db = tmp_path / "t.duckdb"
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(shared_data / "commons-2019-brexit" / "brexit_parliament.csv"), "--db", str(db)])
    if result.exit_code != 0:
        result = runner.invoke(cli, ["import", str(shared_data / "commons-2019-brexit"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with TestClient(create_app(db)) as c:
        assert c.get("/api/info").json()["member_level"] is True
        listed = c.get("/api/divisions").json()
        cli_list = json.loads(runner.invoke(cli, ["divisions", "--db", str(db), "--json"]).stdout)
        assert listed == cli_list
        one = c.get("/api/divisions/667").json()
        assert one == json.loads(runner.invoke(cli, ["division", "667", "--db", str(db), "--json"]).stdout)
        assert one["rebels"]
        doc = c.get("/api/majority", params={"options": ",".join(APRIL)}).json()
        cli_doc = json.loads(runner.invoke(cli, ["majority", "--options", ",".join(APRIL), "--db", str(db), "--json"]).stdout)
        assert doc == cli_doc
        assert c.get("/api/divisions/99999").status_code == 404


def test_divisions_on_the_bundled_case(client):
    house = CaseHouse(load_case())
    doc = client.get("/api/divisions").json()
    assert doc == divisions_json(house.divisions())
    assert len(doc) == 23
    assert doc[0]["id"] == "562" and doc[-1]["id"] == "669"
    cu = next(d for d in doc if d["id"] == "666")
    assert (cu["ayes"], cu["noes"], cu["counted_ayes"], cu["counted_noes"]) == (273, 276, 273, 276)


def test_one_division_split_by_party(client):
    doc = client.get("/api/divisions/667").json()
    house = CaseHouse(load_case())
    assert {k: v for k, v in doc.items() if k != "note"} == division_json(house.division("667"))
    assert doc["ayes"] == 261 and doc["noes"] == 282 and doc["outcome"] == "no"
    parties = doc["parties"]
    assert sum(p["aye"] for p in parties.values()) == 261
    assert sum(p["no"] for p in parties.values()) == 282
    assert sum(p["aye"] + p["no"] + p["no_vote"] + p["tellers"] + p["both"] for p in parties.values()) == 650
    assert parties["Scottish National Party"]["rice"] == 1.0
    assert "no rebels" in doc["note"]


def test_majority_is_the_cli_json(client):
    """Options named by catalogue id, as `tellers demo` names them: the demo's JSON."""
    options = "customs_union,common_market_2,confirmatory_vote_e,parliamentary_supremacy,withdrawal_agreement"
    doc = client.get("/api/majority", params={"options": options}).json()
    cli_doc = json.loads(CliRunner().invoke(cli, ["demo", "-q", "1apr", "--json"]).stdout)["1apr"]
    cli_doc.pop("robustness")  # the demo also checks the verdict over completions; the API does not (yet)
    cli_doc.pop("procedures")  # ... and runs every procedure over them, which the API does not
    assert doc == cli_doc
    assert doc["condorcet_winner"] == "Customs union"
    by_division = client.get("/api/majority", params={"options": ",".join(APRIL)}).json()
    assert by_division["pairwise"] == doc["pairwise"]
    assert [o["id"] for o in by_division["options"]] == APRIL


def test_majority_takes_option_ids_and_tested(client):
    doc = client.get("/api/majority", params={"options": "customs_union,common_market_2", "tested": "earliest"}).json()
    assert [o["division"] for o in doc["options"]] == ["658", "656"]


def test_info_names_source_questions_and_options(client):
    doc = client.get("/api/info").json()
    assert doc["member_level"] is False
    assert [q["id"] for q in doc["questions"]] == ["1apr", "27mar"]
    assert doc["questions"][0]["divisions"] == APRIL
    assert doc["questions"][1]["divisions"] == [str(d) for d in range(655, 663)]


# --------------------------------------------------------------------------- scenarios


def test_scenario_without_stances_is_the_record(client):
    doc = client.post("/api/scenario", json={"options": APRIL}).json()
    assert doc["head_to_head"] == doc["recorded"] == client.get("/api/majority", params={"options": ",".join(APRIL)}).json()
    for d in doc["divisions"]:
        assert (d["ayes"], d["noes"]) == (d["before"]["ayes"], d["before"]["noes"])
        assert d["passed"] is False
    assert doc["stances"] == []


def test_scenario_is_the_scenario_engines_json(client):
    from tellers.views.report.coalitions import scenario_json

    body = {"options": APRIL, "stances": [{"party": "Conservative", "option": "667", "vote": "aye"}]}
    doc = client.post("/api/scenario", json=body).json()
    expected = evaluate(CaseHouse(load_case()), APRIL, [Stance("Conservative", "667", "aye")])
    engine_doc = json.loads(json.dumps(scenario_json(expected.result)))
    assert {k: v for k, v in doc.items() if k in engine_doc} == engine_doc
    assert doc["recorded"] == json.loads(json.dumps(majority_json(expected.recorded.analysis)))
    assert doc["head_to_head"]["condorcet_winner"] == "Common Market 2.0"
    assert doc["recorded"]["condorcet_winner"] == "Customs union"
    assert doc["colours"]["Conservative"] == "#0087DC"
    assert set(doc["power"]["blocs"]) >= {"Conservative", "Labour"}


def test_a_stance_moves_the_party_members_present_that_day():
    """Counted independently: on 1 April every Conservative who voted (or told) in any of that
    day's divisions votes Aye on Common Market 2.0; everyone else as recorded."""
    house = CaseHouse(load_case())
    day = ["666", "667", "668", "669"]
    p = house.voting_patterns(day).with_parties(house.catalogue.party_aliases)
    kinds = {k: KINDS.index(k) for k in VoteKind}
    voted = np.isin(p.codes, [kinds[k] for k in (VoteKind.AYE, VoteKind.NO, VoteKind.TELLER_AYE, VoteKind.TELLER_NO, VoteKind.BOTH)]).any(axis=1)
    con = np.array([party == "Conservative" for party in p.parties])
    j = day.index("667")
    others = ~(con & voted)
    ayes = int(p.counts[con & voted].sum() + p.counts[others & np.isin(p.codes[:, j], [kinds[VoteKind.AYE], kinds[VoteKind.BOTH]])].sum())
    noes = int(p.counts[others & np.isin(p.codes[:, j], [kinds[VoteKind.NO], kinds[VoteKind.BOTH]])].sum())
    s = evaluate(house, APRIL, [Stance("Conservative", "667", "aye")])
    cm = next(o for o in s.result.outcomes if o.id == "667")
    assert (cm.ayes, cm.noes) == (ayes, noes)
    assert cm.passed
    assert [r.totals.counted_ayes for r in s.division_results(house)][1] == ayes


def test_scenario_stance_by_option_id(client):
    by_id = client.post("/api/scenario", json={"options": APRIL, "stances": [{"party": "Labour", "option": "customs_union", "vote": "no"}]})
    by_division = client.post("/api/scenario", json={"options": APRIL, "stances": [{"party": "Labour", "option": "666", "vote": "no"}]})
    assert by_id.status_code == 200
    assert by_id.json()["head_to_head"] == by_division.json()["head_to_head"]


def test_charts_for_a_scenario(client):
    doc = client.post("/api/charts", json={"options": APRIL, "stances": [{"party": "Conservative", "option": "667", "vote": "aye"}]}).json()
    assert list(doc) == ["divisions", "head-to-head", "majority-graph", "ideal-points"]
    for chart in doc.values():
        assert chart["title"] and chart["caption"] and ("layer" in chart["spec"] or "vconcat" in chart["spec"])
    assert "Conservative aye on 667" in doc["divisions"]["caption"]


# --------------------------------------------------------------------------- power and what-ifs: the CLI's JSON


def test_power_is_the_cli_json(client):
    doc = client.get("/api/power", params={"division": "667"}).json()
    result = CliRunner().invoke(cli, ["power", "--parties", "667", "--json"])
    assert result.exit_code == 0, result.output
    assert doc == json.loads(result.stdout)
    assert doc["quota"] == 320 and doc["house"]["eligible"] == 639


def test_whatif_is_the_cli_json(client):
    doc = client.get("/api/whatif/667").json()
    result = CliRunner().invoke(cli, ["whatif", "667", "--json"])
    assert result.exit_code == 0, result.output
    assert doc == json.loads(result.stdout)
    assert doc["fewest_changes"] == len(doc["changes"]) > 0


def test_power_and_whatif_of_unknown_divisions_are_404(client):
    assert client.get("/api/whatif/nope").status_code == 404
    assert client.get("/api/power", params={"division": "nope"}).status_code == 404
    assert client.get("/api/power").status_code == 422


# --------------------------------------------------------------------------- errors: 4xx with a clear message, never 500


def test_unknown_division_is_404(client):
    r = client.get("/api/divisions/12345")
    assert r.status_code == 404
    assert "no division '12345'" in r.json()["detail"]


def test_malformed_division_id_is_422(client):
    r = client.get("/api/divisions/" + "x" * 100)
    assert r.status_code == 422


@pytest.mark.parametrize(
    "options, message",
    [
        ("666", "at least two options"),
        ("666,nonsense", "'nonsense' is neither a division"),
        ("666,666", "named twice"),
        ("customs_union,666", "same division"),
        (",,", "at least two options"),
    ],
)
def test_bad_options_are_400(client, options, message):
    r = client.get("/api/majority", params={"options": options})
    assert r.status_code == 400, r.text
    assert message in r.json()["detail"]


def test_missing_options_and_bad_tested_are_422(client):
    assert client.get("/api/majority").status_code == 422
    assert client.get("/api/majority", params={"options": "666,667", "tested": "sometimes"}).status_code == 422


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"options": APRIL, "stances": [{"party": "Whigs", "option": "667", "vote": "aye"}]}, 400, "no party 'Whigs'"),
        ({"options": APRIL, "stances": [{"party": "Labour", "option": "655", "vote": "aye"}]}, 400, "not one of the options compared"),
        ({"options": APRIL, "stances": [{"party": "Labour", "option": "667", "vote": "aye"},
                                        {"party": "Labour", "option": "667", "vote": "no"}]}, 400, "two different stances"),
        ({"options": ["666", "99999"]}, 400, "neither a division"),
        ({"options": APRIL, "stances": [{"party": "Labour", "option": "667", "vote": "maybe"}]}, 422, "aye"),
        ({"options": APRIL, "stances": [{"party": "Labour", "option": "667"}]}, 422, "vote"),
        ({"options": APRIL, "stances": "Labour aye"}, 422, "stances"),
        ({"options": ["666"]}, 400, "at least two options"),
        ({"stances": []}, 422, "options"),
        ({"options": APRIL, "surprise": 1}, 422, "surprise"),
    ],
)
def test_malformed_scenarios_are_4xx(client, body, status, message):
    for path in ("/api/scenario", "/api/charts"):
        r = client.post(path, json=body)
        assert r.status_code == status, (path, r.text)
        assert message in json.dumps(r.json()["detail"])


def test_scenario_that_is_not_json_is_422(client):
    r = client.post("/api/scenario", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422


def test_big_body_is_413(client):
    body = {"options": APRIL, "stances": [{"party": "Labour" * 20, "option": "667", "vote": "aye"}] * 400}
    data = json.dumps(body).encode()
    assert len(data) > MAX_BODY
    r = client.post("/api/scenario", content=data, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert "too large" in r.json()["detail"]


def test_big_body_without_a_length_is_413(client):
    def chunks():
        for _ in range(100):
            yield b" " * 1024

    r = client.post("/api/scenario", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_explicit_db_that_is_missing_is_a_clear_error(tmp_path):
    from tellers.errors import TellersError

    with pytest.raises(TellersError, match="no tellers database here"):
        create_app(tmp_path / "missing.duckdb")


def test_default_house_is_the_bundled_case_when_no_store():
    app = create_app()
    assert isinstance(app.state.house, CaseHouse)


def test_analysis_through_the_house_matches_the_store_house(tmp_path, shared_data):
    runner = CliRunner()
    db = tmp_path / "t.duckdb"
    assert runner.invoke(cli, ["import", str(shared_data / "commons-2019-brexit" / "commonsvotes_csv"), "--db", str(db)]).exit_code == 0
    store_house = StoreHouse(db)
    try:
        ids = [d for d in APRIL if d in store_house.division_ids()]
        if len(ids) < 2:
            pytest.skip("the Commons Votes CSV folder does not hold the 1 April divisions")
        bundled = majority_json(analyse_options(CaseHouse(load_case()), ids))
        stored = majority_json(analyse_options(store_house, ids))
        # the store knows only the members recorded in the divisions imported, so "unknown" may differ
        keys = ("x", "y", "x_over_y", "y_over_x", "same")
        assert [{k: p[k] for k in keys} for p in stored["pairwise"]] == [{k: p[k] for k in keys} for p in bundled["pairwise"]]
    finally:
        store_house.close()
