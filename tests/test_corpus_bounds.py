"""Every real PrefLib file through the default `tellers elect` finishes within a bound.

Each of the 610 ballot files in ``shared/data/preflib`` is counted as `tellers elect FILE`
counts it (every rule, the terminal view) under a per-file alarm of ``BOUND`` seconds: a
bound on unbounded work (ranked pairs over every order of equal margins, Kemeny-Young on
a large Smith layer), not a timing assertion. The whole walk takes about 30 s here.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tellers.views.cli import app

from conftest import SHARED_DATA

BOUND = 10
"""Seconds one file may take, from reading it to printing every rule's result."""

SUFFIXES = (".soi", ".soc", ".toc", ".toi", ".cat")
FILES = sorted(p for p in (SHARED_DATA / "preflib").rglob("*") if p.suffix in SUFFIXES)


def _ids(path: Path) -> str:
    return path.name


@pytest.fixture
def alarm():
    """Fail the test when the block it guards runs past ``BOUND`` seconds."""

    def too_long(signum, frame):
        pytest.fail(f"still counting after {BOUND} s", pytrace=False)

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.setitimer(signal.ITIMER_REAL, BOUND)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def test_the_corpus_is_there(shared_data):
    assert len(FILES) == 610, f"expected the 610 PrefLib ballot files under {shared_data / 'preflib'}"


@pytest.mark.parametrize("path", FILES or [None], ids=_ids if FILES else None)
def test_tellers_elect_finishes_within_the_bound(path, shared_data, alarm):
    result = CliRunner().invoke(app, ["elect", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output


def _elect_json(path: Path) -> dict:
    import json

    result = CliRunner().invoke(app, ["elect", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ranked_pairs_on_the_ers_files_that_ran_forever(shared_data, alarm):
    """ERS 00007-00000005, -16 and -27 (18-29 candidates, up to 41 pairs of one margin)
    never finished by enumerating orders; the pruned search settles them exactly."""
    expected = {"00007-00000005.soi": ["Candidate 9"], "00007-00000016.soi": ["Candidate 3"],
                "00007-00000027.soi": ["Candidate 15"]}
    for name, winners in expected.items():
        doc = _elect_json(shared_data / "preflib" / "00007-ers" / name)
        ranked_pairs = doc["results"]["ranked_pairs"]
        assert ranked_pairs["winners"] == winners, name
        assert ranked_pairs["tie_rule"] == "winners under every order of equal-margin pairs", name
        assert ranked_pairs["notes"] == ["orders of equal margins give different outcomes"], name


def test_kemeny_on_minneapolis_keeps_exact_winners_and_names_the_layer_it_skips(shared_data, alarm):
    """Minneapolis 00018-00000001 and -3 (379 and 477 candidates) took 13 GB; the top Smith
    layer is one candidate, the last is 364 (465) candidates, over ``ILP_LIMIT``."""
    cases = {"00018-00000001.soi": ('"Annie Young"', 15, 364), "00018-00000003.soi": ('"Carol Becker"', 12, 465)}
    for name, (winner, placed, size) in cases.items():
        doc = _elect_json(shared_data / "preflib" / "00018-minneapolis" / name)
        kemeny = doc["results"]["kemeny_young"]
        assert kemeny["winners"] == [winner], name
        assert kemeny["ranking"] is None, name
        assert kemeny["notes"][0] == (
            f"ranking below the top {placed} not found: skipped: too large ({size} candidates in one Smith layer): "
            f"exact methods here go to 80 (an integer program with {size * (size - 1) * (size - 2) // 6:,} "
            "3-cycle constraints would be needed; it is not tried)"
        ), name
