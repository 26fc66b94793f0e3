"""What the ballot-file readers share: bounded streaming, name checks, early merging.

``ballot_lines`` reads a file one line at a time (never whole), ``Tally`` merges identical
ballots into (ballot, weight) pairs as they arrive and builds the :class:`Profile` a chunk
at a time, and ``guarded`` turns anything a reader did not foresee into a
``BallotFileError``, so no other exception leaves a ballot reader.
"""

from __future__ import annotations

import math
import sys
import unicodedata
from collections.abc import Callable, Hashable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from tellers.records.readers._common import boundary
from tellers.ballots.profile import UNRANKED, Profile
from tellers.errors import BallotFileError, ProfileError
from tellers.records.readers._common import check_file

MAX_CANDIDATES = 3000
"""Default cap on candidates: a profile's pairwise matrices grow with its square."""

_CHUNK = 100_000  # distinct ballots held as Python objects before they become rank rows
_BAD_NAME_CHARS = ("Cc", "Zl", "Zp")  # control characters, line and paragraph separators

F = TypeVar("F", bound=Callable[..., Profile])


def line_limit(max_candidates: int) -> int:
    """Longest line a ballot file may have: 1 MiB, or more when many candidates are allowed."""
    return max(1 << 20, 16 * max_candidates)


def too_many_candidates(path: Path, line: int | None, count: int, limit: int) -> BallotFileError:
    """The error for a file with more candidates than ``max_candidates`` allows."""
    return BallotFileError(
        path,
        line,
        f"{count:,} candidates is more than the limit of {limit:,}",
        "Raise the limit with --max-candidates N (max_candidates=N in Python) if the file "
        "really has that many and the machine has the memory",
    )


def ballot_lines(path: Path, max_length: int) -> Iterator[tuple[int, str]]:
    """Each line of ``path`` (numbered from 1, line ending kept), decoded as UTF-8 one by one.

    A line longer than ``max_length`` bytes, undecodable bytes, and a file with nothing
    but white space are errors naming the line.
    """
    check_file(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BallotFileError(
            path, None, f"cannot read the file ({exc.strerror})", "Check its permissions"
        ) from None
    offset, number, blank = 0, 0, True
    with handle:
        while raw := handle.readline(max_length + 1):
            number += 1
            if len(raw) > max_length:
                raise BallotFileError(
                    path,
                    number,
                    f"the line is longer than {max_length:,} bytes",
                    "Check that this is a ballot file; split very long lines",
                )
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):  # a byte-order mark
                raw, offset = raw[3:], 3
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BallotFileError(
                    path,
                    number,
                    f"wrong encoding: byte {offset + exc.start} (0x{raw[exc.start]:02x}) is not UTF-8",
                    "Re-save the file as UTF-8 (a spreadsheet's 'CSV UTF-8' option, or "
                    "`iconv -f latin1 -t utf-8`)",
                ) from None
            offset += len(raw)
            blank = blank and not text.strip()
            yield number, text
    if blank:
        raise BallotFileError(path, 1, "the file is empty", "Give a file that contains ballots")


def check_name(name: str, path: Path, line: int, what: str) -> str:
    """``name``, unless it holds a control character (NUL, tab, a line break...)."""
    if name.isprintable():
        return name
    bad = next((ch for ch in name if unicodedata.category(ch) in _BAD_NAME_CHARS), None)
    if bad is not None:
        raise BallotFileError(
            path,
            line,
            f"the {what} {name!r} contains the control character U+{ord(bad):04X}",
            "Remove control characters (NUL, tabs, line breaks) from names",
        )
    return name


class Tally:
    """Distinct ballots and their summed weights, turned into rank rows a chunk at a time.

    ``candidates`` may grow while ballots are added (a CSV names candidates as it goes);
    rows of earlier chunks are padded with ``UNRANKED`` for the later names.
    """

    def __init__(self, path: Path, candidates: list[str], *, approval: bool = False) -> None:
        self.path, self.candidates, self.approval = path, candidates, approval
        self.lines = 0  # ballot lines (rows) read
        self.total = 0.0  # their summed weight
        self._pending: dict[Hashable, list[Any]] = {}  # key -> [ballot, weight]
        self._chunks: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, key: Hashable, weight: float, line: int, parse: Callable[..., Any], *args: Any) -> None:
        """Count one ballot line; ``parse(*args)`` (called for a key not seen yet) gives its ballot."""
        self.total += weight
        if not math.isfinite(self.total):
            raise BallotFileError(
                self.path,
                line,
                f"the weights add up past {sys.float_info.max:.4g}, the largest number "
                "tellers can count",
                "Scale the weights down (shares or percentages are fine)",
            )
        self.lines += 1
        entry = self._pending.get(key)
        if entry is not None:
            entry[1] += weight
            return
        self._pending[key] = [parse(*args), weight]
        if len(self._pending) >= _CHUNK:
            self._flush()

    def profile(self, last_line: int) -> Profile:
        """The Profile of every ballot added; no ballots, or only weight 0, is an error."""
        if not self.lines:
            raise BallotFileError(
                self.path, last_line, "the file contains no ballots", "Add at least one ballot after the header"
            )
        if not self.total > 0:
            raise BallotFileError(
                self.path,
                last_line,
                "every ballot has weight 0",
                "Give at least one ballot a positive count or weight",
            )
        if not self.candidates:
            raise BallotFileError(
                self.path, last_line, "no ballot names a candidate", "Fill in at least one choice"
            )
        self._flush()
        merged = len(self._chunks) == 1
        ranks, weights = self._joined()
        try:
            return Profile(ranks, weights, self.candidates, approval=self.approval, merged=merged)
        except ProfileError as exc:  # the readers' checks should leave nothing for this to catch
            raise BallotFileError(self.path, None, str(exc)) from None

    def _flush(self) -> None:
        """Turn the pending ballots into merged rank rows."""
        if not self._pending or not self.candidates:
            return
        ballots = [entry[0] for entry in self._pending.values()]
        weights = [entry[1] for entry in self._pending.values()]
        self._pending.clear()
        try:
            if self.approval:
                chunk = Profile.from_approvals(ballots, weights, self.candidates)
            elif not any(type(item) is tuple for ballot in ballots for item in ballot):
                chunk = Profile.from_rankings(_order_array(ballots), weights, self.candidates)
            else:
                chunk = Profile.from_rankings(ballots, weights, self.candidates)
        except ProfileError as exc:
            raise BallotFileError(self.path, None, str(exc)) from None
        self._chunks.append((chunk.ranks, chunk.weights))
        sizes = [ranks.shape[0] for ranks, _ in self._chunks]
        if sum(sizes[1:]) >= sizes[0] > 0:  # merged again as often as the rows double
            ranks, weights = self._joined()
            merged = Profile(ranks, weights, self.candidates, approval=self.approval)
            self._chunks = [(merged.ranks, merged.weights)]

    def _joined(self) -> tuple[np.ndarray, np.ndarray]:
        """Every chunk's rows as one matrix over the current candidates, and their weights.

        The chunks are let go as they are copied, so the rows are held about once.
        """
        m = len(self.candidates)
        chunks, self._chunks = self._chunks[::-1], []
        if len(chunks) == 1 and chunks[0][0].shape[1] == m:
            return chunks[0]
        ranks = np.full((sum(r.shape[0] for r, _ in chunks), m), UNRANKED, dtype=np.int16)
        weights = np.concatenate([w for _, w in chunks[::-1]])
        start = 0
        while chunks:
            r, _ = chunks.pop()
            ranks[start : start + r.shape[0], : r.shape[1]] = r
            start += r.shape[0]
        return ranks, weights


def _order_array(ballots: list[list[int]]) -> np.ndarray:
    """Strict ballots as one -1 padded array, which Profile.from_rankings reads vectorised."""
    lengths = np.fromiter(map(len, ballots), dtype=np.int64, count=len(ballots))
    flat = np.fromiter(chain.from_iterable(ballots), dtype=np.int64, count=int(lengths.sum()))
    orders = np.full((len(ballots), int(lengths.max(initial=0))), -1, dtype=np.int64)
    rows = np.repeat(np.arange(len(ballots)), lengths)
    cols = np.arange(flat.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    orders[rows, cols] = flat
    return orders


guarded = boundary(BallotFileError, "Check that it is a ballot file in a format tellers reads (see `tellers elect --help`)")
"""The ballot readers' boundary (:func:`~tellers.records.readers._common.boundary`)."""
