"""Reader for PrefLib files in the 2022 format: ``.soc .soi .toc .toi`` rankings and ``.cat``.

A file is a header of ``# KEY: value`` lines, then one line per distinct ballot,
``count: a,b,{c,d},e``: alternatives numbered from 1, best first, braces marking ties.
In a ``.cat`` file each item is a category (the first one is the approved set) and
``{}`` an empty category. Unranked alternatives sit tied below all ranked ones.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

from tellers.errors import BallotFileError
from tellers.ballots.profile import Profile
from tellers.records.readers._common import build_profile, check_distinct, parse_weight, read_text

_NAME_KEY = "ALTERNATIVE NAME "
_UNIQUE_KEYS = ("NUMBER UNIQUE ORDERS", "NUMBER UNIQUE PREFERENCES")  # the latter in .cat


def read_preflib(path: str | os.PathLike[str]) -> Profile:
    """Read a PrefLib ``.soc .soi .toc .toi`` (rankings) or ``.cat`` (approvals) file."""
    path = Path(path)
    lines = read_text(path).splitlines()
    header: dict[str, tuple[str, int]] = {}
    names: dict[int, tuple[str, int]] = {}
    data: list[int] = []  # 0-based indices of the data lines
    for i, line in enumerate(lines):
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            key = " ".join(key.split()).upper()
            if key.startswith(_NAME_KEY):
                number = _header_int(key[len(_NAME_KEY) :], key, path, i + 1)
                names[number] = (value.strip(), i + 1)
            else:
                header[key] = (value.strip(), i + 1)
        elif line.strip():
            data.append(i)

    m = _number_alternatives(header, names, path)
    candidates = _candidate_names(m or 0, names, path)
    ballots: list[list[int | tuple[int, ...]]] = []
    weights: list[float] = []
    for i in data:
        count_text, sep, body = lines[i].partition(":")
        if not sep:
            raise BallotFileError(
                path,
                i + 1,
                "data line has no 'count:' before the ballot",
                "Write each ballot as 'count: a,b,{c,d}', e.g. '12: 3,1,2'",
            )
        weights.append(parse_weight(count_text, path, i + 1, "count", whole=True))
        ballots.append(_parse_order(body, m, candidates, path, i + 1))

    for key in _UNIQUE_KEYS:
        expected = _header_number(header, key, path)
        if expected is not None and expected != len(data):
            raise BallotFileError(
                path,
                header[key][1],
                f"the header says {key} is {expected} but the file has {len(data)} ballot lines",
                "The file may be truncated: download it again, or correct the header",
            )
    expected = _header_number(header, "NUMBER VOTERS", path)
    if expected is not None and expected != sum(weights):
        raise BallotFileError(
            path,
            header["NUMBER VOTERS"][1],
            f"bad count: the header says NUMBER VOTERS is {expected}, "
            f"but the counts sum to {sum(weights):g}",
            "Correct the header or the counts (the file may be truncated)",
        )

    if path.suffix.lower() == ".cat":
        approved = [
            [] if not b else list(b[0]) if isinstance(b[0], tuple) else [b[0]] for b in ballots
        ]
        return build_profile(path, approved, weights, candidates, len(lines), approval=True)
    return build_profile(path, ballots, weights, candidates, len(lines))


def _header_int(text: str, key: str, path: Path, line: int) -> int:
    """A whole-number header value."""
    try:
        return int(text)
    except ValueError:
        raise BallotFileError(
            path,
            line,
            f"header {key}: {text.strip()!r} is not a whole number",
            "Correct the header line",
        ) from None


def _header_number(header: dict[str, tuple[str, int]], key: str, path: Path) -> int | None:
    """The whole-number value of header ``key``, or None when the header is absent."""
    if key not in header:
        return None
    value, line = header[key]
    return _header_int(value, key, path, line)


def _number_alternatives(
    header: dict[str, tuple[str, int]], names: dict[int, tuple[str, int]], path: Path
) -> int | None:
    """NUMBER ALTERNATIVES, else the highest ALTERNATIVE NAME number, else None."""
    m = _header_number(header, "NUMBER ALTERNATIVES", path)
    if m is not None:
        line = header["NUMBER ALTERNATIVES"][1]
        for number, (_, name_line) in names.items():
            if not 1 <= number <= m:
                raise BallotFileError(
                    path,
                    name_line,
                    f"ALTERNATIVE NAME {number} is outside 1..{m} (see line {line})",
                    "Number the alternatives from 1, or correct NUMBER ALTERNATIVES",
                )
        return m
    return max(names) if names else None


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
        try:
            flat = [int(t) for t in body.split(",")]
        except ValueError:
            _raise_bad_token(body.split(","), path, line)
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
                try:
                    c = int(token)
                except ValueError:
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
        try:
            int(token)
        except ValueError:
            raise BallotFileError(
                path,
                line,
                f"{token.strip()!r} is not an alternative number",
                "List alternatives by number, separated by commas, with ties in braces: 1,{2,3},4",
            ) from None
    raise BallotFileError(path, line, "the ballot is malformed", "Write it as 'count: a,b,{c,d}'")
