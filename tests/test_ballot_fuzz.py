"""Fuzzing the ballot readers: any bytes give a Profile or a TellersError, never another exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tellers.ballots.profile import Profile
from tellers.errors import TellersError
from tellers.records.readers import read_ballot_csv, read_preflib

FUZZ = settings(
    max_examples=200,
    deadline=2000,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# pieces that make nearly-valid files, so the fuzzing reaches past the first line
_PREFLIB_PIECES = [
    "# NUMBER ALTERNATIVES: 3\n", "# NUMBER VOTERS: 4\n", "# NUMBER UNIQUE ORDERS: 2\n",
    "# ALTERNATIVE NAME 1: A\n", "# ALTERNATIVE NAME 2: B\n", "# ALTERNATIVE NAME 0: Z\n",
    "# NUMBER ALTERNATIVES: 99999999\n", "3: 1,2,3\n", "1: {1,2},3\n", "2: 3\n", "0: 1\n",
    "1: {}\n", "²: 1\n", "1: 1,٣\n", "1" + "0" * 400 + ": 1\n", "-1: 2\n", "1: {1,{2}}\n",
    "\r\n", "\x00", "\ufeff", ":", ",", "{", "}", "#", " ",
]
_CSV_PIECES = [
    "1,2,3,count\n", "first,second\n", "rank1,rank2,weight\n", "A,B,C,2\n", "A=B,C,,1e308\n",
    "B,,A,0.5\n", '"A\n', '"', ",", "\n", "nan", "١", "1_0", "\x00", "=", "-1", "\r",
]


def _check(read, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        profile = read(path)
    except TellersError:
        return
    assert isinstance(profile, Profile)
    assert profile.num_candidates >= 1 and profile.voters > 0


def _texts(pieces: list[str]) -> st.SearchStrategy[bytes]:
    mixed = st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=8)), max_size=25)
    return st.one_of(st.binary(max_size=200), mixed.map(lambda parts: "".join(parts).encode()))


@pytest.mark.parametrize("suffix", [".soi", ".toc", ".cat"])
@FUZZ
@given(data=_texts(_PREFLIB_PIECES))
def test_fuzz_preflib(tmp_path: Path, suffix: str, data: bytes) -> None:
    _check(read_preflib, tmp_path / f"fuzz{suffix}", data)


@FUZZ
@given(data=_texts(_CSV_PIECES))
def test_fuzz_ballot_csv(tmp_path: Path, data: bytes) -> None:
    _check(read_ballot_csv, tmp_path / "fuzz.csv", data)
