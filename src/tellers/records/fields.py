"""Checking a record's fields at the edge: whole numbers, text, CSV, and the limits.

Every reader of division records (and the aggregate tables, and the scenario files)
parses ids and counts with ``parse_whole`` and checks names and titles with
``check_text``; the store applies ``records_problem`` to records that reach it another
way. ``csv_reader`` and ``csv_guard`` read CSV with a deliberate field limit and turn
the csv module's errors into the reader's error naming the line.

The limits: ``MAX_DIGITS`` for a count (a chamber of a billion is no chamber),
``MAX_ID_DIGITS`` for a numeric id, ``MAX_TEXT`` characters for a field of text (and a
CSV field), and no control characters other than tab, line feed and carriage return.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from tellers.errors import InputFileError, RecordFileError

if TYPE_CHECKING:
    from _csv import Reader

    from tellers.records.model import DivisionRecords

MAX_DIGITS = 9
"""Digits in a count (members, ayes, noes, a division or roll-call number)."""
MAX_ID_DIGITS = 18
"""Digits in a numeric id (DivisionId, MemberId, ICPSR)."""
MAX_TEXT = 65_536
"""Characters in one field of text: a name, a title, a CSV cell."""

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters no name or title holds (tab, line feed and carriage return pass)."""
_DIGITS = re.compile(r"[0-9]+")


def shown(value: object, width: int = 40) -> str:
    """``value`` for a message: short, quoted, with any control character escaped."""
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    text = str(value)
    return repr(value) if len(text) <= width else repr(text[:width]) + "…"


def whole_problem(text: str, digits: int = MAX_DIGITS) -> str | None:
    """Why ``text`` is not a whole number of ASCII digits (at most ``digits``); None if it is."""
    if not _DIGITS.fullmatch(text):
        return "not a whole number"
    if len(text.lstrip("0")) > digits:
        return f"a number of {len(text.lstrip('0')):,} digits (at most {digits})"
    return None


def parse_whole(
    text: str,
    path: Path,
    line: int | None,
    what: str,
    *,
    digits: int = MAX_DIGITS,
    error: type[InputFileError] = RecordFileError,
) -> int:
    """A whole, non-negative number written in ASCII digits (``'12'``; ``'12.0'`` also passes)."""
    value = text.strip().removesuffix(".0")
    problem = whole_problem(value, digits)
    if problem:
        raise error(
            path,
            line,
            f"the {what} is {shown(text.strip())}, {problem}",
            "Write it in the digits 0-9, e.g. 12 (no sign, no separators)",
        )
    return int(value.lstrip("0") or "0")


def parse_date(text: str, path: Path, line: int | None, field: str, example: str) -> date:
    """An ISO date (``2019-01-15``); ``field`` and ``example`` word the error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RecordFileError(
            path, line, f"{field} {shown(text)} is not a date", f"Write it as {example}"
        ) from None


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be a name or a title (a control character, too long); None if it can."""
    if len(text) > MAX_TEXT:
        return f"is {len(text):,} characters long (at most {MAX_TEXT:,})"
    bad = CONTROL.search(text)
    if bad:
        return f"holds the control character U+{ord(bad.group()):04X}"
    return None


def check_text(
    text: str,
    path: Path,
    line: int | None | Callable[[], int | None],
    what: str,
    *,
    error: type[InputFileError] = RecordFileError,
) -> str:
    """``text`` itself, if it can be a name or title; else ``error`` naming ``what``.

    ``line`` may be a function that finds it, called only for an error.
    """
    problem = text_problem(text)
    if problem:
        raise error(
            path, line() if callable(line) else line, f"the {what} {shown(text)} {problem}", "Remove it (re-save the file as plain text)"
        )
    return text


# --------------------------------------------------------------------------- CSV


def csv_reader(text: str, *, strict: bool = True) -> Reader:
    """A csv reader over ``text`` (strict: an unclosed quote is an error, not a swallowed file)."""
    return csv.reader(io.StringIO(text, newline=""), strict=strict)


@contextmanager
def csv_guard(
    path: Path, text: str, first_line: int = 0, *, error: type[InputFileError] = RecordFileError
) -> Iterator[None]:
    """Read CSV with a field limit of ``MAX_TEXT``; a csv error becomes ``error`` naming the row's line.

    ``text`` is what the reader reads and ``first_line`` the file line before its first;
    on an error the text is read again to find where the bad row starts.
    """
    before = csv.field_size_limit(MAX_TEXT)
    try:
        yield
    except csv.Error as exc:
        line, problem = _csv_error(text, exc)
        raise error(
            path,
            first_line + line,
            problem,
            "Close every quote (a quote inside a quoted field is written twice: \"\"), "
            f"and keep each field under {MAX_TEXT:,} characters",
        ) from None
    finally:
        csv.field_size_limit(before)


def table_rows(path: Path, *, error: type[InputFileError] = RecordFileError) -> list[tuple[int, list[str]]]:
    """(line, cells) of each line of the file that is not blank or a ``#`` comment; one row a line."""
    from tellers.records.readers._common import (
        read_text,  # here: the readers import this module
    )

    text = read_text(path, error=error)
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            with csv_guard(path, line, n - 1, error=error):
                rows.append((n, next(csv_reader(line), [])))
    return rows


def _csv_error(text: str, exc: csv.Error) -> tuple[int, str]:
    """(line where the bad row starts, what is wrong), found by reading ``text`` again."""
    reader = csv_reader(text)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error:
        pass
    message = str(exc)
    if "field larger than field limit" in message:
        return start, f"a CSV field is longer than {MAX_TEXT:,} characters"
    if "unexpected end of data" in message:
        return start, "a quote opened on this line is never closed"
    if "expected after" in message:
        return start, "a quoted field goes on after its closing quote"
    return start, f"malformed CSV ({message})"


# --------------------------------------------------------------------------- records


def records_problem(rec: DivisionRecords) -> str | None:
    """What a reader would refuse in ``rec`` (negative or huge counts, bad ids or text); None if nothing."""
    limit = 10**MAX_DIGITS
    for d in rec.divisions:
        for name, value in (("number", d.number), ("ayes", d.ayes), ("noes", d.noes)):
            if value is not None and (not isinstance(value, int) or not 0 <= value < limit):
                return f"division {shown(d.id)} has {name} {shown(value)}: a count is a whole number from 0 to {limit - 1:,}"
    ids = [d.id for d in rec.divisions] + [m.id for m in rec.members]
    ids += [x for v in rec.votes for x in (v.division_id, v.member_id)]
    texts = [d.title for d in rec.divisions] + [v.party for v in rec.votes]
    texts += [t for m in rec.members for t in (m.name, m.party, m.constituency)]
    odd = next((x for x in chain(ids, texts) if x is not None and not isinstance(x, str)), None)
    if odd is not None:
        return f"the id, name or title {shown(odd)} is not text"
    for value in set(ids):
        if not value or not value.strip() or len(value) > 200 or CONTROL.search(value):
            return f"the id {shown(value)} is empty, too long or holds a control character"
    for value in set(texts) - {None}:
        problem = text_problem(value)
        if problem:
            return f"the name or title {shown(value)} {problem}"
    return None
