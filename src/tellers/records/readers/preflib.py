"""Reader for PrefLib files in the 2022 format: ``.soc .soi .toc .toi`` rankings and ``.cat``.

A file is a header of ``# KEY: value`` lines, then one line per distinct ballot,
``count: a,b,{c,d},e``: alternatives numbered from 1, best first, braces marking ties.
In a ``.cat`` file each item is a category (the first one is the approved set) and
``{}`` an empty category. Unranked alternatives sit tied below all ranked ones.
Numbers are ASCII digits only (at most 15), and the header's counts are checked
against the lines that follow.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NoReturn

from tellers.ballots.profile import Profile
from tellers.errors import BallotFileError
from tellers.records.readers._ballots import (
    MAX_CANDIDATES,
    Tally,
    ballot_lines,
    check_name,
    guarded,
    line_limit,
    too_many_candidates,
)
from tellers.records.readers._common import ascii_int, check_distinct, parse_weight

_NAME_KEY = "ALTERNATIVE NAME "
_UNIQUE_KEYS = ("NUMBER UNIQUE ORDERS", "NUMBER UNIQUE PREFERENCES")  # the latter in .cat
_Header = dict[str, tuple[str, int]]
_STRICT_ORDER = re.compile(r" *[0-9]{1,15} *(?:, *[0-9]{1,15} *)*")  # '3,1,2': no ties, no signs


@guarded
def read_preflib(path: str | os.PathLike[str], *, max_candidates: int = MAX_CANDIDATES) -> Profile:
    """Read a PrefLib ``.soc .soi .toc .toi`` (rankings) or ``.cat`` (approvals) file.

    The file is read line by line and identical ballots merged as they come, so memory
    grows with the distinct ballots, not the file; more than ``max_candidates``
    alternatives is an error.
    """
    path = Path(path)
    approval = path.suffix.lower() == ".cat"
    header: _Header = {}
    names: dict[int, tuple[str, int]] = {}
    tally: Tally | None = None
    m: int | None = None
    number = 0
    for number, text in ballot_lines(path, line_limit(max_candidates)):
        for line in text.rstrip("\n").split("\r"):  # a bare CR ends a line too
            if line.startswith("#"):
                if tally is not None:
                    raise BallotFileError(
                        path,
                        number,
                        "a header line ('#') after the first ballot",
                        "Move every '# KEY: value' line above the ballots",
                    )
                _read_header_line(line, header, names, path, number, max_candidates)
            elif line.strip():
                if tally is None:
                    m = _number_alternatives(header, names, path, max_candidates)
                    tally = Tally(path, _candidate_names(m or 0, names, path), approval=approval)
                count_text, sep, body = line.partition(":")
                if not sep:
                    raise BallotFileError(
                        path,
                        number,
                        "data line has no 'count:' before the ballot",
                        "Write each ballot as 'count: a,b,{c,d}', e.g. '12: 3,1,2'",
                    )
                weight = parse_weight(count_text, path, number, "count", whole=True)
                body = body.strip()
                tally.add(body, weight, number, _ballot, body, m, tally, approval, path, number)
    if tally is None:
        m = _number_alternatives(header, names, path, max_candidates)
        tally = Tally(path, _candidate_names(m or 0, names, path), approval=approval)
    _check_declared(header, tally, path)
    return tally.profile(number)


def _ballot(body: str, m: int | None, tally: Tally, approval: bool, path: Path, line: int) -> list:
    """One ballot line's ballot: its order, or for a ``.cat`` file its first category."""
    order = _parse_order(body, m, tally.candidates, path, line)
    if not approval:
        return order
    return [] if not order else list(order[0]) if isinstance(order[0], tuple) else [order[0]]


def _read_header_line(
    line: str,
    header: _Header,
    names: dict[int, tuple[str, int]],
    path: Path,
    number: int,
    max_candidates: int,
) -> None:
    """Record one ``# KEY: value`` line: an alternative's name, or another header."""
    key, _, value = line[1:].partition(":")
    key = " ".join(key.split()).upper()
    if not key.startswith(_NAME_KEY):
        header[key] = (value.strip(), number)
        return
    alternative = _header_int(key[len(_NAME_KEY) :], key, path, number)
    if alternative < 1:
        raise BallotFileError(
            path,
            number,
            f"ALTERNATIVE NAME {alternative}: alternatives are numbered from 1",
            "Renumber the alternatives 1, 2, 3, ... (in the names and the ballots)",
        )
    if alternative > max_candidates:
        raise too_many_candidates(path, number, alternative, max_candidates)
    names[alternative] = (check_name(value.strip(), path, number, "alternative name"), number)


def _check_declared(header: _Header, tally: Tally, path: Path) -> None:
    """The header's NUMBER UNIQUE ORDERS and NUMBER VOTERS agree with the ballot lines."""
    for key in _UNIQUE_KEYS:
        expected = _header_number(header, key, path)
        if expected is not None and expected != tally.lines:
            raise BallotFileError(
                path,
                header[key][1],
                f"the header says {key} is {expected} but the file has {tally.lines} ballot lines",
                "The file may be truncated: download it again, or correct the header",
            )
    expected = _header_number(header, "NUMBER VOTERS", path)
    if expected is not None and expected != tally.total:
        raise BallotFileError(
            path,
            header["NUMBER VOTERS"][1],
            f"bad count: the header says NUMBER VOTERS is {expected}, "
            f"but the counts sum to {tally.total:g}",
            "Correct the header or the counts (the file may be truncated)",
        )


def _header_int(text: str, key: str, path: Path, line: int) -> int:
    """A whole-number header value, in ASCII digits."""
    value = ascii_int(text)
    if value is None:
        raise BallotFileError(
            path,
            line,
            f"header {key}: {text.strip()[:40]!r} is not a whole number (digits 0-9, at most 15)",
            "Correct the header line",
        )
    return value


def _header_number(header: _Header, key: str, path: Path) -> int | None:
    """The whole-number value of header ``key``, or None when the header is absent."""
    if key not in header:
        return None
    value, line = header[key]
    return _header_int(value, key, path, line)


def _number_alternatives(
    header: _Header, names: dict[int, tuple[str, int]], path: Path, max_candidates: int
) -> int | None:
    """NUMBER ALTERNATIVES (at most ``max_candidates``), else the highest ALTERNATIVE NAME number."""
    m = _header_number(header, "NUMBER ALTERNATIVES", path)
    if m is None:
        return max(names) if names else None
    line = header["NUMBER ALTERNATIVES"][1]
    if m > max_candidates:
        raise too_many_candidates(path, line, m, max_candidates)
    for number, (_, name_line) in names.items():
        if number > m:
            raise BallotFileError(
                path,
                name_line,
                f"ALTERNATIVE NAME {number} is outside 1..{m} (see line {line})",
                "Number the alternatives from 1, or correct NUMBER ALTERNATIVES",
            )
    return m


def _candidate_names(m: int, names: dict[int, tuple[str, int]], path: Path) -> list[str]:
    """Names from the ALTERNATIVE NAME lines; an unnamed alternative is called by its number."""
    candidates = [names[i][0] if names.get(i, ("",))[0] else str(i) for i in range(1, m + 1)]
    if len(set(candidates)) != len(candidates):
        seen: set[str] = set()
        for i, name in enumerate(candidates, 1):
            if name in seen:
                raise BallotFileError(
                    path,
                    names.get(i, ("", None))[1],
                    f"two alternatives are both called {name!r}",
                    "Give each alternative a distinct name",
                )
            seen.add(name)
    return candidates


def _parse_order(
    body: str, m: int | None, candidates: list[str], path: Path, line: int
) -> list[int | tuple[int, ...]]:
    """One ballot, best first, as 0-based indices (a tuple for a tied group)."""
    body = body.strip()
    if not body:
        return []
    if "{" not in body and "}" not in body:  # the common case: a strict order
        if not _STRICT_ORDER.fullmatch(body):
            _raise_bad_token(body.split(","), path, line)
        flat = [int(t) for t in body.split(",")]
        ballot: list[int | tuple[int, ...]] = [c - 1 for c in flat]
    else:
        ballot, flat, group = [], [], None
        for token in body.split(","):
            token = token.strip()
            if token.startswith("{"):
                if group is not None:
                    raise BallotFileError(
                        path,
                        line,
                        "a '{' opens inside another tied group",
                        "Close each group with '}' before the next '{'",
                    )
                group, token = [], token[1:].lstrip()
            closing = token.endswith("}")
            if closing:
                if group is None:
                    raise BallotFileError(
                        path,
                        line,
                        "a '}' has no matching '{'",
                        "Put '{' before the first alternative of the tied group",
                    )
                token = token[:-1].rstrip()
            if token or not (closing and not group):  # only '{}', an empty group, has no number
                c = ascii_int(token)
                if c is None:
                    _raise_bad_token([token], path, line)
                flat.append(c)
                (ballot if group is None else group).append(c - 1)
            if closing:
                ballot.append(tuple(group))
                group = None
        if group is not None:
            raise BallotFileError(
                path,
                line,
                "unclosed brace: a tied group opened with '{' has no '}'",
                "Close the group with '}'",
            )
    if not flat:
        return ballot
    if m is None:
        raise BallotFileError(
            path,
            line,
            "the ballot names alternatives but the header has no NUMBER ALTERNATIVES",
            "Add '# NUMBER ALTERNATIVES: N' (and '# ALTERNATIVE NAME i: name' lines) to the header",
        )
    if min(flat) < 1 or max(flat) > m:
        bad = next(c for c in flat if not 1 <= c <= m)
        raise BallotFileError(
            path,
            line,
            f"unknown candidate: alternative {bad} is not in 1..{m}",
            "Use the numbers of the '# ALTERNATIVE NAME' lines, or correct NUMBER ALTERNATIVES",
        )
    check_distinct(flat, path, line, lambda c: candidates[c - 1])
    return ballot


def _raise_bad_token(tokens: list[str], path: Path, line: int) -> NoReturn:
    """Raise BallotFileError naming the first token that is not a whole number."""
    for token in tokens:
        if ascii_int(token) is None:
            raise BallotFileError(
                path,
                line,
                f"{token.strip()[:40]!r} is not an alternative number (digits 0-9, at most 15)",
                "List alternatives by number, separated by commas, with ties in braces: 1,{2,3},4",
            )
    raise BallotFileError(path, line, "the ballot is malformed", "Write it as 'count: a,b,{c,d}'")
