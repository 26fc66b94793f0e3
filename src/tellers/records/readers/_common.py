"""Checks shared by the readers: opening and decoding, numbers, weights, ballots.

``check_file``, ``read_text`` and ``ascii_int`` serve every reader; ``error`` picks the error class
(``BallotFileError`` by default, ``RecordFileError`` for division records), which
also words the message ("not a ballot file", "a file that contains ballots").
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from pathlib import Path

from tellers.errors import BallotFileError, InputFileError, TellersError


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


MAX_DIGITS = 15
"""Longest whole number a reader accepts (below 2**53, so sums of them stay exact)."""

_DECIMAL = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def ascii_int(text: str, max_digits: int = MAX_DIGITS) -> int | None:
    """``text`` (blanks around allowed) as a whole number of ASCII digits, else None.

    ``int()`` alone also takes ``'²'``, ``'１'``, ``'٣'``, ``'1_000'`` and signs, and fails
    or runs long on thousands of digits.
    """
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= max_digits:
        return int(text)
    return None


def parse_weight(
    text: str,
    path: Path,
    line: int,
    what: str,
    *,
    whole: bool = False,
    error: type[InputFileError] = BallotFileError,
) -> float:
    """A count or weight: a finite non-negative number in ASCII (an integer if ``whole``)."""
    clean = text.strip()
    kind = "a whole number" if whole else "a number"
    fix = f"Write the {what} as {kind} of 0 or more in the digits 0-9, e.g. 12"
    unsigned = clean[1:].strip() if clean[:1] == "-" else clean
    if whole and unsigned.isascii() and unsigned.isdigit() and len(unsigned) > MAX_DIGITS:
        problem = f"the {what} has {len(unsigned):,} digits, more than {MAX_DIGITS}"
    elif not (ascii_int(unsigned) is not None if whole else _is_decimal(unsigned)):
        problem = f"the {what} is {clean[:40]!r}, not {kind} in the digits 0-9"
    elif clean.startswith("-"):
        problem = f"the {what} is {clean}, which is negative"
    elif not math.isfinite(value := float(unsigned)):
        problem = f"the {what} is {clean}, too large to count"
    else:
        return value
    raise error(path, line, problem, fix)


def _is_decimal(text: str) -> bool:
    """Whether ``text`` is a plain decimal in ASCII: ``12``, ``0.5``, ``.5``, ``1e3``."""
    return len(text) <= 40 and _DECIMAL.fullmatch(text) is not None


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


Reader = TypeVar("Reader", bound=Callable[..., Any])


def boundary(error: type[InputFileError], fix: str) -> Callable[[Reader], Reader]:
    """A reader's boundary: whatever the file holds, only a ``TellersError`` leaves the reader.

    The readers check what they read and word their own errors; this turns whatever a check
    missed (a bug to report) into ``error`` naming the file, never a traceback.
    """

    def wrap(read: Reader) -> Reader:
        @functools.wraps(read)
        def guarded(path: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return read(path, *args, **kwargs)
            except TellersError:
                raise
            except RecursionError:
                raise error(Path(path), None, "the data are nested too deeply to read", "Give the file as published") from None
            except MemoryError:
                raise error(Path(path), None, f"the {error.contents} do not fit in memory",
                            "Give a smaller file, or fewer distinct ballots or candidates") from None
            except Exception as exc:  # the boundary: no input may end in a traceback
                detail = str(exc) if len(str(exc)) <= 80 else str(exc)[:80] + "…"
                detail = detail if detail.isprintable() else repr(detail)
                raise error(Path(path), None, f"cannot read the file ({type(exc).__name__}: {detail})", fix) from exc

        return guarded  # type: ignore[return-value]

    return wrap
