"""Reader for plain CSV ballots: a header row, then one row per ballot (or group of ballots).

Rank columns are headed by a place number (``1``, ``first``, ``rank 1``, ``pref1``,
``preference 1``, ``choice1``) and read in that order; an optional weight column
(``count``, ``weight``, ``share``, ``votes``, ``voters`` or ``n``) gives each row's
weight. Other columns are ignored. A cell names a candidate, ``A=B`` ties A and B at
that place, and an empty cell ends the ballot.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from tellers.errors import BallotFileError
from tellers.ballots.profile import Profile
from tellers.records.readers._common import build_profile, check_distinct, parse_weight, read_text

WEIGHT_HEADERS = ("count", "weight", "share", "votes", "voters", "n")
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth")
_ORDINAL_WORDS += ("sixth", "seventh", "eighth", "ninth", "tenth")
_ORDINALS = {word: place for place, word in enumerate(_ORDINAL_WORDS, start=1)}
_RANK_HEADER = re.compile(r"(?:rank|pref|preference|choice)?[ _#-]*(\d+)")
_ACCEPTED = (
    "'1', '2', ...; 'first' ... 'tenth'; 'rank1', 'rank 1', 'pref1', 'preference 1', 'choice1'"
)


def rank_number(header: str) -> int | None:
    """The place a rank column's header names (``'second'`` -> 2), or None."""
    h = header.strip().lower()
    if h in _ORDINALS:
        return _ORDINALS[h]
    match = _RANK_HEADER.fullmatch(h)
    return int(match.group(1)) if match else None


def read_ballot_csv(path: str | os.PathLike[str]) -> Profile:
    """Read a CSV of ranked ballots (see the module docstring for the layout)."""
    path = Path(path)
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    header = next((row for row in reader if any(c.strip() for c in row)), [])
    rank_cols, weight_col = _columns(header, path, reader.line_num)

    index: dict[str, int] = {}  # candidate -> index, in order of first appearance
    ballots: list[list[int | tuple[int, ...]]] = []
    weights: list[float] = []
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            raise BallotFileError(
                path,
                line,
                f"the row has {len(row)} cells but the header has {len(header)} columns",
                "Add a header for every column, or quote cells that contain commas",
            )
        ballot: list[int | tuple[int, ...]] = []
        flat: list[int] = []
        ended = None
        for col in rank_cols:
            cell = row[col].strip() if col < len(row) else ""
            if not cell:
                ended = ended or header[col]
                continue
            if ended:
                raise BallotFileError(
                    path,
                    line,
                    f"{cell!r} in column {header[col]!r} follows an empty place ({ended!r})",
                    "Fill the places in order; leave empty only the places after the last choice",
                )
            group = [name.strip() for name in cell.split("=")]
            if not all(group):
                raise BallotFileError(
                    path,
                    line,
                    f"{cell!r} has an empty name in a tie",
                    "Write tied candidates as A=B",
                )
            group_idx = [index.setdefault(name, len(index)) for name in group]
            flat += group_idx
            ballot.append(group_idx[0] if len(group_idx) == 1 else tuple(group_idx))
        check_distinct(flat, path, line, lambda c: list(index)[c])
        if weight_col is None:
            weights.append(1.0)
        else:
            weight = row[weight_col] if weight_col < len(row) else ""
            weights.append(
                parse_weight(weight, path, line, f"weight (column {header[weight_col]!r})")
            )
        ballots.append(ballot)
    return build_profile(path, ballots, weights, list(index), reader.line_num)


def _columns(header: list[str], path: Path, line: int) -> tuple[list[int], int | None]:
    """Rank column positions, in place order, and the weight column's position (or None)."""
    places: dict[int, int] = {}
    weight_cols = [i for i, h in enumerate(header) if h.strip().lower() in WEIGHT_HEADERS]
    for i, h in enumerate(header):
        place = rank_number(h)
        if place is None:
            continue
        if place in places:
            raise BallotFileError(
                path,
                line,
                f"columns {header[places[place]]!r} and {h!r} both give place {place}",
                "Give each place one column",
            )
        places[place] = i
    if not places:
        raise BallotFileError(
            path,
            line,
            f"no rank column in the header ({', '.join(map(repr, header))})",
            f"Head the rank columns with place numbers: {_ACCEPTED}",
        )
    if len(weight_cols) > 1:
        names = " and ".join(repr(header[i]) for i in weight_cols)
        raise BallotFileError(path, line, f"two weight columns: {names}", "Keep one weight column")
    return [places[p] for p in sorted(places)], (weight_cols[0] if weight_cols else None)
