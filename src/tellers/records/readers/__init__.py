"""Readers. ``load_profile`` reads a ballot file, ``load_records`` division records.

``load_profile`` picks the ballot reader from the file's suffix; ``load_records`` (see
``tellers.records.readers.records``) recognises a division-record file, or each file of a
folder, by its content. Readers build :class:`tellers.ballots.Profile` and
:mod:`tellers.records.model` records; they import nothing of the parliament or views layers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from tellers.ballots.profile import Profile
from tellers.errors import BallotFileError
from tellers.records.readers._ballots import MAX_CANDIDATES
from tellers.records.readers._common import check_file
from tellers.records.readers.ballot_csv import read_ballot_csv
from tellers.records.readers.preflib import read_preflib

if TYPE_CHECKING:
    from tellers.records.readers.brexit_csv import read_brexit_long_csv
    from tellers.records.readers.commons_csv import read_commons_csv
    from tellers.records.readers.commons_json import read_commons_json
    from tellers.records.readers.records import load_records
    from tellers.records.readers.voteview import read_voteview

_DIVISION_READERS = {
    "load_records": "records",
    "read_brexit_long_csv": "brexit_csv",
    "read_commons_csv": "commons_csv",
    "read_commons_json": "commons_json",
    "read_voteview": "voteview",
}
"""The division-record readers, imported on first use (``__getattr__``): counting a ballot
file (``tellers elect``) needs none of them, and they cost a command about 15 ms to import."""


def __getattr__(name: str) -> object:
    if name not in _DIVISION_READERS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_DIVISION_READERS[name]}"), name)
    globals()[name] = value
    return value

SAMPLE_PATH = Path(__file__).resolve().parents[2] / "data" / "tennessee.csv"
"""The bundled sample: the textbook Tennessee capital election (100 voters, 4 cities)."""

READERS: dict[str, Callable[..., Profile]] = {
    ".soc": read_preflib,
    ".soi": read_preflib,
    ".toc": read_preflib,
    ".toi": read_preflib,
    ".cat": read_preflib,
    ".csv": read_ballot_csv,
}

__all__ = [
    "MAX_CANDIDATES",
    "READERS",
    "SAMPLE_PATH",
    "load_profile",
    "load_records",
    "read_ballot_csv",
    "read_brexit_long_csv",
    "read_commons_csv",
    "read_commons_json",
    "read_preflib",
    "read_voteview",
]


def load_profile(
    path: str | os.PathLike[str], *, max_candidates: int = MAX_CANDIDATES
) -> Profile:
    """Read a ballot file, choosing the reader by suffix; ``"sample"`` means the bundled sample.

    A file naming more than ``max_candidates`` candidates is refused before anything is
    allocated for them (``tellers elect --max-candidates``).
    """
    path = SAMPLE_PATH if str(path) == "sample" else Path(path)
    check_file(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise BallotFileError(
            path,
            None,
            f"unknown ballot file type {path.suffix or '(no suffix)'!r}",
            f"Give a file ending in {', '.join(READERS)}, or 'sample' for the bundled example",
        )
    return reader(path, max_candidates=max_candidates)
