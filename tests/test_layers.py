"""The package's layers hold: each imports only those below it (import-linter contracts
in pyproject.toml), and the ballot engine imports nothing about parliaments."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_are_kept():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
    finally:
        os.chdir(cwd)


def test_the_ballot_engine_imports_without_the_other_layers():
    """Importing tellers.ballots (and running a rule) loads no parliament, records or views module."""
    code = (
        "import sys; import tellers.ballots as b; "
        "p = b.Profile.from_rankings([[0, 1, 2], [1, 2, 0]], weights=[2, 1]); b.rules.run('schulze', p); "
        "bad = [m for m in sys.modules if m.startswith(('tellers.records', 'tellers.parliament', 'tellers.views'))]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
