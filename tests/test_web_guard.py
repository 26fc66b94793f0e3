"""The web app holds against hostile requests: Host checks, the token, input it cannot echo,
no filesystem path in any answer, every status code in the schema (checked by schemathesis)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from tellers.parliament.cases import load_case
from tellers.parliament.house import CaseHouse, StoreHouse, open_house
from tellers.views.web import create_app
from tellers.views.web.server import is_loopback

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

APRIL = ["666", "667", "668", "669", "664"]


# --------------------------------------------------------------------------- Host and token


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil"])
def test_another_host_is_refused(client, host):
    """DNS rebinding: a page on evil.example that resolves to 127.0.0.1 sends Host: evil.example."""
    for path in ("/", "/api/info", "/api/majority?options=666,667"):
        assert client.get(path, headers={"Host": host}).status_code == 400, (host, path)


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "testserver"])
def test_this_machines_names_are_answered(client, host):
    assert client.get("/api/divisions", headers={"Host": host}).status_code == 200


def test_allow_host_extends_the_names():
    with TestClient(create_app(house=CaseHouse(load_case()), allowed_hosts=["tellers.lan"])) as c:
        assert c.get("/api/divisions", headers={"Host": "tellers.lan:8000"}).status_code == 200
        assert c.get("/api/divisions", headers={"Host": "evil.example"}).status_code == 400


def test_the_token_is_checked_on_every_api_request():
    with TestClient(create_app(house=CaseHouse(load_case()), token="s3cret")) as c:
        assert c.get("/").status_code == 200  # the page and its files hold no data
        assert c.get("/static/app.js").status_code == 200
        for auth in (None, "Bearer wrong", "s3cret", "Bearer s3cret "):
            headers = {"Authorization": auth} if auth else {}
            r = c.get("/api/divisions", headers=headers)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", auth
            assert "token" in r.json()["detail"]
            assert c.post("/api/scenario", json={"options": APRIL}, headers=headers).status_code == 401
        ok = {"Authorization": "Bearer s3cret"}
        assert c.get("/api/divisions", headers=ok).status_code == 200
        assert c.post("/api/scenario", json={"options": APRIL}, headers=ok).status_code == 200


def test_the_page_sends_the_token_from_its_address():
    from importlib import resources

    script = resources.files("tellers.views.web").joinpath("static", "app.js").read_text()
    assert 'get("token")' in script and "Authorization: `Bearer ${token}`" in script


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
                                            ("0.0.0.0", False), ("::", False), ("192.168.1.4", False), ("example.org", False)])
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback


# --------------------------------------------------------------------------- input the app cannot echo


@pytest.mark.parametrize("raw", [
    b'{"options": 1e999}', b'{"options": NaN}', b'{"options": -Infinity}', b'{"options": [NaN, 1e999]}',
    b'{"options": ["666", "667"], "stances": [{"party": Infinity, "option": "667", "vote": "aye"}]}',
    b'{"options": ["666", "667"], "tested": NaN}', b'{"options": ["666", "667"], "extra": 1e999}', b"NaN", b"1e999",
])
def test_non_finite_input_is_422_json_never_500(client, raw):
    for path in ("/api/scenario", "/api/charts"):
        r = client.post(path, content=raw, headers={"Content-Type": "application/json"})
        assert r.status_code == 422, (path, raw, r.text)
        detail = r.json()["detail"]
        assert detail and all({"loc", "msg", "type"} == set(d) for d in detail)
        assert "inf" not in r.text.lower() and "nan" not in r.text.lower().replace("cannot", "")


# --------------------------------------------------------------------------- no filesystem path in any answer


def _probe(c: TestClient) -> list:
    """Good and bad requests of every kind."""
    ok = {"options": APRIL}
    return [
        c.get("/api/info"), c.get("/api/divisions"), c.get("/api/divisions/667"), c.get("/api/divisions/12345"),
        c.get("/api/majority", params={"options": ",".join(APRIL)}), c.get("/api/majority", params={"options": "666,nope"}),
        c.get("/api/majority", params={"options": "666"}), c.get("/api/majority", params={"options": "27mar"}),
        c.get("/api/power", params={"division": "667"}), c.get("/api/power", params={"division": "nope"}),
        c.get("/api/whatif/667"), c.get("/api/whatif/nope"), c.get("/openapi.json"), c.get("/"),
        c.post("/api/scenario", json=ok), c.post("/api/charts", json=ok),
        c.post("/api/scenario", json={"options": ["666", "99999"]}),
        c.post("/api/scenario", json={**ok, "stances": [{"party": "Whigs", "option": "667", "vote": "aye"}]}),
        c.post("/api/scenario", json={**ok, "stances": [{"party": "Labour", "option": "655", "vote": "aye"}]}),
        c.get("/static/nope.js"), c.get("/api/nope"),
    ]


def _assert_no_path(responses, folder) -> None:
    names = {str(folder), str(folder.resolve())}
    for r in responses:
        text = r.text + json.dumps(dict(r.headers))
        assert r.status_code < 500, (r.request.url, r.text)
        assert not any(n in text for n in names), (r.request.url, r.text[:300])


def test_no_answer_names_the_databases_folder(commons_db):
    with TestClient(create_app(commons_db)) as c:
        responses = _probe(c)
        _assert_no_path(responses, commons_db.parent)
        assert c.get("/api/info").json()["source"] == f"the tellers database {commons_db.name}"
        assert f"the tellers database {commons_db.name}" in c.get("/api/divisions/12345").json()["detail"]


def test_no_answer_names_the_record_files_folder(shared_data):
    folder = shared_data / "commons-2019-brexit" / "commonsvotes_csv"
    with TestClient(create_app(house=open_house(data=folder))) as c:
        _assert_no_path(_probe(c), folder.parent)


def test_the_house_keeps_its_path_for_the_command_line(commons_db):
    house = StoreHouse(commons_db)
    assert str(commons_db) in house.source


# --------------------------------------------------------------------------- the schema documents every status code


def test_every_status_code_is_in_the_schema(client):
    schema = client.get("/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            assert {"200", "400", "401", "503"} <= codes, (method, path)
            if op.get("parameters") or method == "post":
                assert "422" in codes, (method, path)
            if "{division_id}" in path or path == "/api/power":
                assert "404" in codes, (method, path)
            if method == "post":
                assert {"408", "413"} <= codes, (method, path)


def _schemathesis():
    schemathesis = pytest.importorskip("schemathesis", reason="schemathesis (the test extra) is not installed")
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance, response_schema_conformance, status_code_conformance,
    )

    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(house=CaseHouse(load_case())))
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    return schema, checks


SCHEMA, CHECKS = _schemathesis()


@SCHEMA.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_schemathesis_finds_no_5xx_and_no_schema_mismatch(case):
    """Generated requests for every operation in /openapi.json: no 5xx, every status code and body as documented."""
    case.call_and_validate(checks=CHECKS)
