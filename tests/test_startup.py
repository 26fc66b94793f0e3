"""Start-up: the command line imports no heavy library a command does not need.

scipy, duckdb, altair, fastapi, uvicorn, pandas, vl_convert and httpx each cost a command
tens to hundreds of milliseconds to import; they are imported inside the functions that use
them. Each check runs a fresh interpreter (``sys.modules`` of this one holds everything the
suite has imported) and reads the modules it loaded. No wall-clock times here: those are
``benchmarks/bench_startup.py``'s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("scipy", "duckdb", "altair", "fastapi", "uvicorn", "pandas", "vl_convert", "httpx")
"""Never imported by `import tellers.views.cli`, nor by the commands below."""
NEVER_AT_IMPORT = (*HEAVY, "numba", "dask", "distributed")
"""Nor, by the import and `tellers --help` alone, a compiler or a scheduler (a command that
counts with them imports them when it counts)."""

RUN = """
import json, sys
out, sys.argv = sys.argv[1], ["tellers", *sys.argv[2:]]
from tellers.views.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
with open(out, "w") as f:
    json.dump({"exit": code, "modules": sorted(sys.modules)}, f)
"""
"""Run the console entry point with the given arguments, then write its exit code and the
modules it imported to a file (stdout is the command's)."""

SMALL_SOI = """\
# FILE NAME: small.soi
# DATA TYPE: soi
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 9
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: Ash
# ALTERNATIVE NAME 2: Birch
# ALTERNATIVE NAME 3: Cedar
4: 1,2,3
3: 2,3,1
2: 3,2,1
"""


def heavy_in(modules: list[str], names: tuple[str, ...]) -> list[str]:
    """The packages of ``names`` that ``modules`` holds (a package or any of its submodules)."""
    return sorted({m.split(".")[0] for m in modules} & set(names))


@pytest.fixture()
def env(tmp_path) -> dict[str, str]:
    """A clean environment: no $TELLERS_DB, and a user data directory with no database, so
    that commands reading divisions use the bundled case (as for a new user)."""
    env = {k: v for k, v in os.environ.items() if k != "TELLERS_DB"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    return env


@pytest.fixture()
def small(tmp_path) -> Path:
    path = tmp_path / "small.soi"
    path.write_text(SMALL_SOI)
    return path


def run_cli(args: list[str], env: dict[str, str], tmp_path: Path) -> tuple[int, list[str], str]:
    """Exit code, modules imported and stdout of ``tellers ARGS`` in a fresh interpreter."""
    report = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", RUN, str(report), *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert report.exists(), done.stderr
    doc = json.loads(report.read_text())
    return doc["exit"], doc["modules"], done.stdout


def test_importing_the_cli_imports_no_heavy_module(env):
    code = "import json, sys; import tellers.views.cli; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True)
    assert heavy_in(json.loads(done.stdout), NEVER_AT_IMPORT) == []


def test_help_imports_no_heavy_module(env, tmp_path):
    code, modules, out = run_cli(["--help"], env, tmp_path)
    assert code == 0 and "elect" in out
    assert heavy_in(modules, NEVER_AT_IMPORT) == []


def test_elect_json_imports_no_heavy_module(env, tmp_path, small):
    code, modules, out = run_cli(["elect", str(small), "--json"], env, tmp_path)
    assert code == 0
    doc = json.loads(out)
    assert doc["candidates"] == ["Ash", "Birch", "Cedar"]
    assert heavy_in(modules, HEAVY) == []


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (["rules"], HEAVY),
        (["procedure", "{small}", "--json"], HEAVY),  # a ballot file: no parliament, no store
        (["referendum", "{small}", "--json"], HEAVY),  # the table, not the chart: no altair
        (["divisions", "--json"], HEAVY),  # the bundled case: no duckdb
        (["power", "--quota", "3", "--weights", "A=2,B=1,C=1", "--json"], HEAVY),  # no integer programs: no scipy
        (["simulate", "--elections", "200", "--json"], (*HEAVY, "dask", "distributed")),  # one worker: no Dask
    ],
    ids=["rules", "procedure", "referendum", "divisions", "power", "simulate"],
)
def test_commands_import_only_what_they_need(env, tmp_path, small, args, absent):
    code, modules, _ = run_cli([a.format(small=small) for a in args], env, tmp_path)
    assert code == 0
    assert heavy_in(modules, absent) == []


def test_a_command_that_needs_a_heavy_module_still_imports_it(env, tmp_path):
    """The lazy imports are imports still: `tellers whatif` solves with scipy's HiGHS."""
    code, modules, _ = run_cli(["whatif", "668", "--json"], env, tmp_path)
    assert code == 0
    assert "scipy" in heavy_in(modules, HEAVY)
