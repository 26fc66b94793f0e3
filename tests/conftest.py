"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder ``shared/data`` beside the repository (skip when absent)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (clone the repository beside shared/)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def commons_db(tmp_path_factory, shared_data) -> Path:
    """A tellers database with the 2019 Commons records imported (member-level), shared by the
    tests that only read it."""
    from typer.testing import CliRunner

    from tellers.views.cli import app

    db = tmp_path_factory.mktemp("commons") / "commons.duckdb"
    result = CliRunner().invoke(app, ["import", str(shared_data / "commons-2019-brexit"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def client():
    """The web app on the bundled 2019 case, through FastAPI's test client."""
    from fastapi.testclient import TestClient

    from tellers.parliament.cases import load_case
    from tellers.parliament.house import CaseHouse
    from tellers.views.web import create_app

    with TestClient(create_app(house=CaseHouse(load_case()))) as c:
        yield c


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory, monkeypatch):
    """Point the user's data directory (so the default database) and the download cache into
    a temporary folder, with no $TELLERS_DB: no test touches the user's real data or cache
    directories, even by accident."""
    home = tmp_path_factory.mktemp("user-dirs")
    monkeypatch.delenv("TELLERS_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("TELLERS_CACHE", str(home / "cache"))
