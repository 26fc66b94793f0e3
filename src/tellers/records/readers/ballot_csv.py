"""Reader for plain CSV ballots: a header row, then one row per ballot (or group of ballots).

Rank columns are headed by a place number (``1``, ``first``, ``rank 1``, ``pref1``,
``preference 1``, ``choice1``) and read in that order; an optional weight column
(``count``, ``weight``, ``share``, ``votes``, ``voters`` or ``n``) gives each row's
weight. Other columns are ignored. A cell names a candidate, ``A=B`` ties A and B at
that place, and an empty cell ends the ballot.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

from tellers.ballots.profile import Profile
from tellers.errors import BallotFileError
from tellers.wording import few
from tellers.records.readers._ballots import (
    MAX_CANDIDATES,
    Tally,
    ballot_lines,
    check_name,
    guarded,
    line_limit,
    too_many_candidates,
)
from tellers.records.readers._common import check_distinct, parse_weight

WEIGHT_HEADERS = ("count", "weight", "share", "votes", "voters", "n")
MAX_CELL = 131_072
"""Longest cell, in characters (the csv module's own default, set here on purpose)."""

_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth")
_ORDINAL_WORDS += ("sixth", "seventh", "eighth", "ninth", "tenth")
_ORDINALS = {word: place for place, word in enumerate(_ORDINAL_WORDS, start=1)}
_RANK_HEADER = re.compile(r"(?:rank|pref|preference|choice)?[ _#-]*([0-9]{1,9})")
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


@guarded
def read_ballot_csv(path: str | os.PathLike[str], *, max_candidates: int = MAX_CANDIDATES) -> Profile:
    """Read a CSV of ranked ballots (see the module docstring for the layout).

    Rows are read one at a time and identical ballots merged as they come; more than
    ``max_candidates`` distinct names is an error.
    """
    path = Path(path)
    previous = csv.field_size_limit(MAX_CELL)
    try:
        return _read(path, max_candidates)
    finally:
        csv.field_size_limit(previous)


def _read(path: Path, max_candidates: int) -> Profile:
    """The reading itself, under the cell-size limit."""
    rows = _rows(path, max_candidates)
    header_line, header = next(((n, r) for n, r in rows if any(c.strip() for c in r)), (1, []))
    rank_cols, weight_col = _columns(header, path, header_line, max_candidates)
    index: dict[str, int] = {}  # candidate -> index, in order of first appearance
    tally = Tally(path, [])
    line = header_line
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            raise BallotFileError(
                path,
                line,
                f"the row has {len(row)} cells but the header has {len(header)} columns",
                "Add a header for every column, or quote cells that contain commas",
            )
        cells = tuple(row[col].strip() if col < len(row) else "" for col in rank_cols)
        weight = 1.0
        if weight_col is not None:
            text = row[weight_col] if weight_col < len(row) else ""
            weight = parse_weight(text, path, line, f"weight (column {header[weight_col]!r})")
        ballot_of = (cells, header, rank_cols, index, tally, path, line, max_candidates)
        tally.add(cells, weight, line, _ballot, *ballot_of)
    return tally.profile(line)


def _rows(path: Path, max_candidates: int) -> Iterator[tuple[int, list[str]]]:
    """Each CSV row with the line it starts on; the csv module's errors become BallotFileError."""
    reader = csv.reader((text for _, text in ballot_lines(path, line_limit(max_candidates))), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                problem = f"a cell is longer than {MAX_CELL:,} characters"
            elif "unexpected end of data" in str(exc):
                problem = "a quoted cell starts here and is never closed"
            else:
                problem = f"malformed CSV ({exc})"
            raise BallotFileError(
                path, start, problem, 'Close every opening quote; write a quote inside a quoted cell as ""'
            ) from None
        yield start, row


def _ballot(
    cells: tuple[str, ...],
    header: list[str],
    rank_cols: list[int],
    index: dict[str, int],
    tally: Tally,
    path: Path,
    line: int,
    max_candidates: int,
) -> list[int | tuple[int, ...]]:
    """One row's ballot, best first, as candidate indices (a tuple for a tie)."""
    ballot: list[int | tuple[int, ...]] = []
    flat: list[int] = []
    ended = None
    for col, cell in zip(rank_cols, cells):
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
                path, line, f"{cell!r} has an empty name in a tie", "Write tied candidates as A=B"
            )
        group_idx = [_candidate(name, index, tally, path, line, max_candidates) for name in group]
        flat += group_idx
        ballot.append(group_idx[0] if len(group_idx) == 1 else tuple(group_idx))
    check_distinct(flat, path, line, lambda c: tally.candidates[c])
    return ballot


def _candidate(
    name: str, index: dict[str, int], tally: Tally, path: Path, line: int, max_candidates: int
) -> int:
    """The index of candidate ``name``, adding a new (checked) name to the tally's candidates."""
    found = index.get(name)
    if found is not None:
        return found
    if len(index) >= max_candidates:
        raise too_many_candidates(path, line, len(index) + 1, max_candidates)
    index[check_name(name, path, line, "candidate name")] = len(index)
    tally.candidates.append(name)
    return len(index) - 1


def _columns(
    header: list[str], path: Path, line: int, max_candidates: int
) -> tuple[list[int], int | None]:
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
            f"no rank column in the header ({few(map(repr, header))})",
            f"Head the rank columns with place numbers: {_ACCEPTED}",
        )
    if len(places) > max_candidates:
        raise BallotFileError(
            path,
            line,
            f"{len(places):,} rank columns is more than the limit of {max_candidates:,} candidates",
            "Raise the limit with --max-candidates N (max_candidates=N in Python)",
        )
    if len(weight_cols) > 1:
        names = " and ".join(repr(header[i]) for i in weight_cols)
        raise BallotFileError(path, line, f"two weight columns: {names}", "Keep one weight column")
    return [places[p] for p in sorted(places)], (weight_cols[0] if weight_cols else None)
