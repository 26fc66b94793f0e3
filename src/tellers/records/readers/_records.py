"""Helpers shared by the division-record readers (Commons, the long CSV, Voteview).

Opening and decoding are ``_common.read_text(path, error=RecordFileError)``; this module
holds what only division records need: the columns a CSV must have, its rows (blank
ones skipped, short ones refused), the boundary every reader is wrapped in, the vote book that catches a member
listed twice (or in both lobbies), totals counted from votes, and the name keys that
match a Commons CSV export's ASCII-only text.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tellers.records.readers._common import boundary
from tellers.errors import RecordFileError
from tellers.wording import few
from tellers.records.fields import shown
from tellers.records.model import Division, Vote, VoteKind

if TYPE_CHECKING:
    from _csv import Reader

Line = int | None | Callable[[], int | None]
"""A line number, or a function that finds it (when finding it is costly)."""

COMMONS = "Commons"
"""The chamber of the records the Commons readers (API JSON, CSV export, long CSV) return."""

BOTH_LOBBIES = ("error", "record")
BOTH_LOBBIES_FIX = (
    "Correct the file, or pass --both-lobbies=record to store them as VoteKind.BOTH, "
    "counted in both totals"
)


Read = TypeVar("Read", bound=Callable)


_checked = boundary(RecordFileError, "Check the file against its format; if it is as published, please report this")


def reader_boundary(read: Read) -> Read:
    """Wrap a reader of ``path``: whatever the file holds, only a ``TellersError`` escapes
    (:func:`~tellers.records.readers._common.boundary`); ``both_lobbies`` is checked first,
    as a caller's mistake rather than the file's."""
    inner = _checked(read)

    @functools.wraps(read)
    def guarded(path, *args, **kwargs):
        check_both_lobbies(kwargs.get("both_lobbies", "error"))
        return inner(path, *args, **kwargs)

    return guarded  # type: ignore[return-value]


def check_both_lobbies(both_lobbies: str) -> str:
    """``both_lobbies`` itself (a programming error, not a file's, if it is neither choice)."""
    if both_lobbies not in BOTH_LOBBIES:
        raise ValueError(f"both_lobbies must be 'error' or 'record', not {both_lobbies!r}")
    return both_lobbies


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a reader builds many small objects.

    Reading 280,000 Voteview votes creates as many Vote objects, none in a cycle; the
    collector's repeated passes over them took almost half the time. It is restored
    (if it was on) however the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def column_indices(
    path: Path,
    line: int,
    header: Sequence[str],
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    what: str = "CSV",
) -> dict[str, int]:
    """Map each required (and present optional) column to its index; name any missing one.

    Headers match case-insensitively, ignoring surrounding spaces.
    """
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(name.strip().casefold(), i)
    missing = [name for name in required if name.casefold() not in index]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        raise RecordFileError(
            path,
            line,
            f"the {what} header has no column {names}"
            if len(missing) == 1
            else f"the {what} header has no columns {names}",
            f"Expected the columns {', '.join(required)}"
            + (f" (optional: {', '.join(optional)})" if optional else "")
            + f"; found {few(shown(h.strip(), 30) for h in header) or 'none'}",
        )
    return {
        name: index[name.casefold()] for name in (*required, *optional) if name.casefold() in index
    }


def csv_rows(
    reader: Reader,
    path: Path,
    width: int,
    header_width: int | None = None,
    first_line: int = 0,
    *,
    skip_wide_blank: bool = True,
) -> Iterator[tuple[int, list[str]]]:
    """(line, row) for each row of ``reader`` with at least ``width`` cells; skip blank rows.

    A shorter row that is not blank is an error. ``header_width`` (the header's column
    count) words it for files whose cells may hold commas; ``first_line`` is the file
    line before the reader's first. With ``skip_wide_blank=False`` only short blank rows
    are skipped: a blank row of ``width`` cells or more is yielded like any other.
    """
    for row in reader:
        line = first_line + reader.line_num
        short = len(row) < width
        if (short or skip_wide_blank) and not any(cell.strip() for cell in row):
            continue
        if short and header_width is None:
            raise RecordFileError(path, line, f"the row has {len(row)} cells", "Give every column")
        if short:
            raise RecordFileError(
                path,
                line,
                f"the row has {len(row)} cells; the header has {header_width} columns",
                "Quote cells that contain commas, and give every column",
            )
        yield line, row


class VoteBook:
    """The votes read from one file, one per (division, member).

    A member listed twice in one division is an error, except one listed in both the
    Aye and the No lobby when ``both_lobbies="record"``: that becomes one BOTH vote.
    """

    def __init__(self, path: Path, both_lobbies: str = "error") -> None:
        self.path = path
        self.both_lobbies = check_both_lobbies(both_lobbies)
        self._votes: dict[tuple[str, str], Vote] = {}
        self._lines: dict[tuple[str, str], Line] = {}

    def add(self, vote: Vote, line: Line, who: str) -> None:
        """Record ``vote``; ``who`` names the member and ``line`` the row, for messages.

        ``line`` may be a function that finds it, called only if there is an error.
        """
        key = (vote.division_id, vote.member_id)
        before = self._votes.get(key)
        if before is None:
            self._votes[key] = vote
            self._lines[key] = line
            return
        first = _resolve(self._lines[key])
        line = _resolve(line)
        at = f" at line {first}" if first is not None else ""
        if {before.kind, vote.kind} == {VoteKind.AYE, VoteKind.NO}:
            if self.both_lobbies == "record":
                self._votes[key] = replace(before, kind=VoteKind.BOTH)
                return
            raise RecordFileError(
                self.path,
                line,
                f"{who} is listed in both lobbies in division {vote.division_id} "
                f"({before.kind.value}{at}, {vote.kind.value} here)",
                BOTH_LOBBIES_FIX,
            )
        raise RecordFileError(
            self.path,
            line,
            f"{who} is listed twice in division {vote.division_id} "
            f"({before.kind.value}{at}, {vote.kind.value} here)",
            "List each member once per division",
        )

    def kind(self, division_id: str, member_id: str) -> VoteKind | None:
        vote = self._votes.get((division_id, member_id))
        return None if vote is None else vote.kind

    def set_kind(self, division_id: str, member_id: str, kind: VoteKind) -> None:
        key = (division_id, member_id)
        self._votes[key] = replace(self._votes[key], kind=kind)

    def votes(self) -> tuple[Vote, ...]:
        return tuple(self._votes.values())


def _resolve(line: Line) -> int | None:
    return line() if callable(line) else line


def counted_totals(votes: Iterable[Vote]) -> dict[str, tuple[int, int]]:
    """(ayes, noes) per division counted from the votes: tellers excluded, BOTH in each."""
    ayes: dict[str, int] = {}
    noes: dict[str, int] = {}
    for vote in votes:
        d = vote.division_id
        if vote.kind in (VoteKind.AYE, VoteKind.BOTH):
            ayes[d] = ayes.get(d, 0) + 1
        if vote.kind in (VoteKind.NO, VoteKind.BOTH):
            noes[d] = noes.get(d, 0) + 1
    return {d: (ayes.get(d, 0), noes.get(d, 0)) for d in {*ayes, *noes}}


def with_counted_totals(division: Division, totals: dict[str, tuple[int, int]]) -> Division:
    """``division`` with ayes/noes counted from the votes, marked ``totals_computed``."""
    ayes, noes = totals.get(division.id, (0, 0))
    return replace(division, ayes=ayes, noes=noes, totals_computed=True)


def ascii_key(text: str) -> str:
    """``text`` as a Commons CSV export would spell it, folded for matching.

    The exports replace every non-ASCII character by ``?`` (``Ynys M?n``); applying the
    same replacement to a UTF-8 name lets the two compare equal. Case and runs of
    white space are ignored.
    """
    return " ".join("".join(c if c.isascii() else "?" for c in text).casefold().split())


def slug(text: str) -> str:
    """A stable id fragment: ``ascii_key`` with every run of other characters as ``-``."""
    return re.sub(r"[^a-z0-9?]+", "-", ascii_key(text)).strip("-")


def surname_key(name: str) -> str:
    """The last word of a member's name, folded as ``ascii_key`` (titles come first)."""
    words = ascii_key(name).split()
    return words[-1] if words else ""
