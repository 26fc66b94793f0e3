"""Checks shared by the readers: opening and decoding, weights, ballots.

``check_file`` and ``read_text`` serve every reader; ``error`` picks the error class
(``BallotFileError`` by default, ``RecordFileError`` for division records), which
also words the message ("not a ballot file", "a file that contains ballots").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import Path

import numpy as np

from tellers.errors import BallotFileError, InputFileError, ProfileError
from tellers.ballots.profile import Profile


def check_file(path: Path, *, error: type[InputFileError] = BallotFileError) -> None:
    """Raise ``error`` unless ``path`` is an existing regular file."""
    if path.is_dir():
        raise error(
            path, None, f"is a directory, not a {error.kind}", "Give the path of one file inside it"
        )
    if not path.exists():
        raise error(path, None, "no such file", "Check the path (and the current directory)")


def read_text(path: Path, *, error: type[InputFileError] = BallotFileError) -> str:
    """The file's text as UTF-8 (a byte-order mark is allowed)."""
    check_file(path, error=error)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(
            path, None, f"cannot read the file ({exc.strerror})", "Check its permissions"
        ) from None
    if not data.strip():
        raise error(path, 1, "the file is empty", f"Give a file that contains {error.contents}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(
            path,
            line,
            f"wrong encoding: byte {exc.start} (0x{data[exc.start]:02x}) is not UTF-8",
            "Re-save the file as UTF-8 (a spreadsheet's 'CSV UTF-8' option, or "
            "`iconv -f latin1 -t utf-8`)",
        ) from None


def parse_weight(text: str, path: Path, line: int, what: str, *, whole: bool = False) -> float:
    """A ballot's count or weight: a finite non-negative number (an integer if ``whole``)."""
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise BallotFileError(
            path,
            line,
            f"the {what} is {text.strip()!r}, not {kind}",
            f"Write the {what} as {kind}, e.g. 12",
        ) from None
    if value < 0 or not math.isfinite(value):
        raise BallotFileError(
            path,
            line,
            f"the {what} is {text.strip()}: negative or not finite",
            f"A {what} must be 0 or more",
        )
    return value


def check_distinct(flat: Sequence[int], path: Path, line: int, name: Callable[[int], str]) -> None:
    """Raise BallotFileError if one ballot lists a candidate twice."""
    if len(set(flat)) == len(flat):
        return
    seen: set[int] = set()
    for c in flat:
        if c in seen:
            raise BallotFileError(
                path,
                line,
                f"candidate {name(c)!r} appears twice in one ballot",
                "List each candidate at most once per ballot",
            )
        seen.add(c)


def build_profile(
    path: Path,
    ballots: list,
    weights: list[float],
    candidates: Sequence[str],
    last_line: int,
    *,
    approval: bool = False,
) -> Profile:
    """The Profile of checked ballots; a file without ballots (of positive weight) is an error."""
    if not ballots:
        raise BallotFileError(
            path,
            last_line,
            "the file contains no ballots",
            "Add at least one ballot after the header",
        )
    if not sum(weights) > 0:
        raise BallotFileError(
            path,
            last_line,
            "every ballot has weight 0",
            "Give at least one ballot a positive count or weight",
        )
    try:
        if approval:
            return Profile.from_approvals(ballots, weights, candidates)
        if not any(type(item) is tuple for ballot in ballots for item in ballot):
            return Profile.from_rankings(_order_array(ballots), weights, candidates)
        return Profile.from_rankings(ballots, weights, candidates)
    except ProfileError as exc:  # the readers' checks should leave nothing for this to catch
        raise BallotFileError(path, None, str(exc)) from None


def _order_array(ballots: list[list[int]]) -> np.ndarray:
    """Strict ballots as one -1 padded array, which Profile.from_rankings reads vectorised."""
    lengths = np.fromiter(map(len, ballots), dtype=np.int64, count=len(ballots))
    flat = np.fromiter(chain.from_iterable(ballots), dtype=np.int64, count=int(lengths.sum()))
    orders = np.full((len(ballots), int(lengths.max(initial=0))), -1, dtype=np.int64)
    rows = np.repeat(np.arange(len(ballots)), lengths)
    cols = np.arange(flat.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    orders[rows, cols] = flat
    return orders
