"""GET /api/robustness: how sure the head-to-head verdict is over completions of the votes,
the CLI's `--completions ... --json` figures, validated, kept by the app's answer cache."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tellers.parliament import robustness
from tellers.parliament.cases import load_case
from tellers.parliament.house import CaseHouse
from tellers.views.cli import app as cli
import tellers.views.web.app as web_app
from tellers.views.web import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

APRIL = ["666", "667", "668", "669", "664"]
OPTIONS = ",".join(APRIL)


def test_the_figures_are_the_clis(client):
    r = client.get("/api/robustness", params={"options": OPTIONS, "model": "uniform", "draws": 2000, "seed": 0})
    assert r.status_code == 200, r.text
    doc = r.json()
    result = CliRunner().invoke(cli, ["majority", "--options", OPTIONS, "--completions", "uniform", "--draws", "2000",
                                      "--seed", "0", "--json"])
    assert result.exit_code == 0, result.output
    expected = json.loads(result.stdout)["robustness"]
    assert {k: doc[k] for k in expected} == expected
    assert doc["electorate"] == 638 and doc["model"] == "uniform" and doc["draws"] == 2000 and doc["seed"] == 0
    assert list(doc["condorcet_shares"]) == APRIL
    # and the labels, by division id, for the page to name the options
    assert [o["id"] for o in doc["options"]] == APRIL
    assert doc["options"][0] == {"id": "666", "label": "Customs union", "short": doc["options"][0]["short"]}
    assert doc["assumes"] == robustness.MODELS["uniform"] and doc["models"] == robustness.MODELS


def test_the_defaults_are_the_quick_draws_at_seed_0(client):
    doc = client.get("/api/robustness", params={"options": OPTIONS}).json()
    explicit = client.get("/api/robustness", params={"options": OPTIONS, "model": "uniform", "draws": robustness.QUICK_DRAWS,
                                                     "seed": 0}).json()
    assert doc == explicit and doc["draws"] == robustness.QUICK_DRAWS


@pytest.mark.parametrize("model", list(robustness.MODELS))
def test_every_model_is_served(client, model):
    doc = client.get("/api/robustness", params={"options": "1apr", "model": model, "draws": 200, "seed": 5}).json()
    assert doc["model"] == model and doc["draws"] == 200 and doc["seed"] == 5
    assert sum(doc["condorcet_shares"].values()) + doc["no_winner_share"] == pytest.approx(1.0)


@pytest.mark.parametrize("params, field, message", [
    ({"draws": 0}, "draws", "greater than or equal to 1"),
    ({"draws": 100_001}, "draws", "less than or equal to 100000"),
    ({"draws": "many"}, "draws", "valid integer"),
    ({"seed": -1}, "seed", "greater than or equal to 0"),
    ({"seed": 2**53}, "seed", "less than or equal to"),
    ({"model": "nope"}, "model", "'uniform'"),
])
def test_bad_draws_seed_or_model_are_422_naming_the_field(client, params, field, message):
    r = client.get("/api/robustness", params={"options": OPTIONS, **params})
    assert r.status_code == 422, r.text
    (detail,) = r.json()["detail"]
    assert detail["loc"] == ["query", field] and message in detail["msg"]


@pytest.mark.parametrize("options, message", [
    ("666", "at least two options"),
    ("666,nope", "'nope' is neither a division nor an option"),
])
def test_bad_options_are_400(client, options, message):
    r = client.get("/api/robustness", params={"options": options})
    assert r.status_code == 400 and message in r.json()["detail"], r.text


def test_missing_options_is_422(client):
    r = client.get("/api/robustness")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "options"]


def test_a_second_request_is_answered_from_the_cache(monkeypatch):
    calls = []

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return robustness.assess(*args, **kwargs)

    monkeypatch.setattr(web_app, "assess", counted)
    with TestClient(create_app(house=CaseHouse(load_case()))) as c:
        params = {"options": OPTIONS, "model": "party", "draws": 300, "seed": 7}
        first = c.get("/api/robustness", params=params)
        second = c.get("/api/robustness", params=params)
        assert first.status_code == second.status_code == 200
        assert first.content == second.content
        assert len(calls) == 1
        c.get("/api/robustness", params={**params, "seed": 8})  # another seed: another answer
        assert len(calls) == 2
        assert c.get("/api/robustness", params={**params, "seed": 8}).json()["seed"] == 8 and len(calls) == 2


def test_the_schema_documents_it(client):
    schema = client.get("/openapi.json").json()
    op = schema["paths"]["/api/robustness"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert set(params) == {"options", "model", "draws", "seed", "tested"}
    assert params["model"]["schema"]["enum"] == list(robustness.MODELS)
    assert params["draws"]["schema"]["minimum"] == 1 and params["draws"]["schema"]["maximum"] == 100_000
    assert params["seed"]["schema"]["minimum"] == 0
    assert {"200", "400", "401", "422", "503"} <= set(op["responses"])


def test_the_page_shows_it_and_the_info_says_how(client):
    info = client.get("/api/info").json()
    assert info["completions"] == {"models": robustness.MODELS, "draws": robustness.QUICK_DRAWS, "seed": 0}
    assert 'id="robustness"' in client.get("/").text
    script = client.get("/static/app.js").text
    assert "/api/robustness?" in script and "had some " in script


def test_majority_is_unchanged(client):
    from tellers.parliament.head_to_head import analyse_options
    from tellers.views.report.majority import majority_json

    doc = client.get("/api/majority", params={"options": OPTIONS}).json()
    assert doc == json.loads(json.dumps(majority_json(analyse_options(CaseHouse(load_case()), OPTIONS))))
    assert "robustness" not in doc
