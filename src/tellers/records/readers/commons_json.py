"""Reader for the Commons Votes API division JSON.

``read_commons_json`` reads one division as the API gives it (``GET
https://commonsvotes-api.parliament.uk/data/division/{id}.json``), or a JSON list of such
divisions, into one :class:`~tellers.records.model.DivisionRecords` (chamber
``"Commons"``). The division id is ``str(DivisionId)`` (``"655"``); member ids are the
API's ``MemberId`` (MNIS ids). Ayes/Noes -> AYE/NO, AyeTellers/NoTellers ->
TELLER_AYE/TELLER_NO, NoVoteRecorded -> NO_VOTE. A member's party is ``Party``, with
``SubParty`` in brackets when set (``"Labour (Co-op)"``, as data.parliament.uk spells it).
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import os
import re
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from tellers.errors import RecordFileError
from tellers.records.fields import (
    MAX_DIGITS,
    MAX_ID_DIGITS,
    check_text,
    shown,
    whole_problem,
)
from tellers.records.model import Division, DivisionRecords, Member, Vote, VoteKind
from tellers.records.readers._common import read_text
from tellers.records.readers._records import (
    COMMONS,
    VoteBook,
    counted_totals,
    reader_boundary,
    with_counted_totals,
)

PARTY_BASIS = "as the Commons Votes API gives it"

__all__ = ["load_json", "looks_like_commons_json", "read_commons_json", "records_from_json"]


_JSON_LISTS = (
    ("Ayes", VoteKind.AYE),
    ("Noes", VoteKind.NO),
    ("AyeTellers", VoteKind.TELLER_AYE),
    ("NoTellers", VoteKind.TELLER_NO),
    ("NoVoteRecorded", VoteKind.NO_VOTE),
)
_REQUIRED_LISTS = ("Ayes", "Noes")
_IDS = {"DivisionId", "MemberId"}
_DOWNLOAD_FIX = "Give the Commons Votes API JSON as downloaded"


@reader_boundary
def read_commons_json(
    path: str | os.PathLike[str], *, both_lobbies: str = "error"
) -> DivisionRecords:
    """Read a Commons Votes API division (or a JSON list of divisions)."""
    path = Path(path)
    text = read_text(path, error=RecordFileError)
    doc = load_json(path, text)
    records = records_from_json(path, text, doc, both_lobbies)
    if records is None:
        raise RecordFileError(
            path,
            1,
            "not a Commons Votes division: expected an object with DivisionId, Date, Ayes "
            "and Noes (or a list of them)",
            "Download the division from "
            "https://commonsvotes-api.parliament.uk/data/division/<DivisionId>.json",
        )
    return records


def load_json(path: Path, text: str) -> Any:
    """The parsed JSON; a RecordFileError (with the line) if it is not JSON tellers reads."""
    try:
        return json.loads(text, parse_int=partial(_json_number, path, text))
    except json.JSONDecodeError as exc:
        raise RecordFileError(
            path,
            exc.lineno,
            f"not valid JSON: {exc.msg} (column {exc.colno})",
            "The file may be truncated or edited by hand; download it again",
        ) from None
    except RecursionError:
        raise RecordFileError(
            path,
            None,
            "the JSON is nested too deeply to read",
            "A Commons Votes division is nested three levels deep; download it again",
        ) from None


def _json_number(path: Path, text: str, digits: str) -> int:
    """A JSON integer; one too long to be any count or id is refused (naming its line)."""
    if len(digits.lstrip("-0")) > MAX_ID_DIGITS:
        found = re.search(rf"[0-9]{{{MAX_ID_DIGITS + 1},}}", text)
        line = text.count("\n", 0, found.start()) + 1 if found else None
        raise RecordFileError(
            path,
            line,
            f"a number of {len(digits.lstrip('-0')):,} digits (at most {MAX_ID_DIGITS})",
            "Give the Commons Votes API JSON as downloaded",
        )
    return int(digits)


def looks_like_commons_json(doc: Any) -> bool:
    """True if ``doc`` (parsed JSON) is a division or a non-empty list of divisions."""
    items = doc if isinstance(doc, list) else [doc]
    return bool(items) and all(
        isinstance(item, dict) and _key(item, "DivisionId") is not None for item in items
    )


def records_from_json(
    path: Path, text: str, doc: Any, both_lobbies: str
) -> DivisionRecords | None:
    """The records of a parsed division JSON, or None if it is not one."""
    if not looks_like_commons_json(doc):
        return None
    lines = _JsonLines(text)
    single = isinstance(doc, dict)
    items: list[dict] = [doc] if single else doc
    book = VoteBook(path, both_lobbies)
    divisions: list[Division] = []
    members: dict[str, tuple[date, Member]] = {}
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        at: tuple = () if single else (i,)
        division = _json_division(path, item, lines, at)
        if division.id in seen:
            raise RecordFileError(
                path,
                lines.line(at),
                f"division {division.id} appears twice in the list "
                f"(also item {seen[division.id] + 1})",
                "Keep one copy of each division",
            )
        seen[division.id] = i
        listed = 0
        for name, kind in _JSON_LISTS:
            entries = _json_list(path, item, name, lines, at)
            listed += len(entries) if kind in (VoteKind.AYE, VoteKind.NO) else 0
            for j, entry in enumerate(entries):
                where = (*at, _key_name(item, name), j)
                member, party = _json_member(path, entry, lines, where)
                known = members.get(member.id)
                if known is None or known[0] <= division.date:
                    members[member.id] = (division.date, member)
                book.add(
                    Vote(division.id, member.id, kind, party),
                    partial(lines.line, where),  # found only for an error: finding it is slow
                    f"member {member.id} ({member.name})",
                )
        if not listed and (division.ayes or division.noes):
            raise RecordFileError(
                path,
                lines.line(at),
                f"division {division.id} has AyeCount {division.ayes} and NoCount "
                f"{division.noes} but lists no members: a search result, not a division record",
                f"Download https://commonsvotes-api.parliament.uk/data/division/{division.id}.json",
            )
        divisions.append(division)
    votes = book.votes()
    if any(d.totals_computed for d in divisions):
        totals = counted_totals(votes)
        divisions = [with_counted_totals(d, totals) if d.totals_computed else d for d in divisions]
    return DivisionRecords(
        source=str(path),
        chamber=COMMONS,
        members=tuple(member for _, member in members.values()),
        divisions=tuple(divisions),
        votes=votes,
    )


def _json_division(path: Path, item: dict, lines: _JsonLines, at: tuple) -> Division:
    def need(name: str) -> Any:
        value = _key(item, name)
        if value is None:
            raise RecordFileError(
                path,
                lines.line(at),
                f"the division has no {name}",
                "Give the Commons Votes API JSON as downloaded",
            )
        return value

    division_id = _json_int(path, need("DivisionId"), "DivisionId", lines, at)
    raw_date = need("Date")
    try:
        when = datetime.fromisoformat(raw_date).date()
    except (TypeError, ValueError):
        raise RecordFileError(
            path,
            lines.line(at),
            f"division {division_id}: Date {shown(raw_date)} is not an ISO date",
            "Write it as 2019-03-27T19:00:00",
        ) from None
    number = _key(item, "Number")
    ayes, noes = _key(item, "AyeCount"), _key(item, "NoCount")
    computed = ayes is None or noes is None
    return Division(
        id=str(division_id),
        chamber=COMMONS,
        date=when,
        title=_json_text(path, item, "Title", lines, at),
        number=None if number is None else _json_int(path, number, "Number", lines, at),
        ayes=None if computed else _json_int(path, ayes, "AyeCount", lines, at),
        noes=None if computed else _json_int(path, noes, "NoCount", lines, at),
        totals_computed=computed,
        party_basis=PARTY_BASIS,
    )


def _json_list(path: Path, item: dict, name: str, lines: _JsonLines, at: tuple) -> list:
    value = _key(item, name)
    if value is None:
        if name in _REQUIRED_LISTS:
            raise RecordFileError(
                path,
                lines.line(at),
                f"division {shown(_key(item, 'DivisionId'))} has no {name} list",
                _DOWNLOAD_FIX,
            )
        return []
    if not isinstance(value, list):
        raise RecordFileError(
            path,
            lines.line(at),
            f"{name} of division {shown(_key(item, 'DivisionId'))} is not a list of members",
            _DOWNLOAD_FIX,
        )
    return value


def _json_member(
    path: Path, entry: Any, lines: _JsonLines, where: tuple
) -> tuple[Member, str]:
    if not isinstance(entry, dict) or _key(entry, "MemberId") is None:
        raise RecordFileError(
            path,
            lines.line(where),
            f"entry {where[-1] + 1} of {shown(where[-2])} is not a member with a MemberId",
            "Each entry needs MemberId, Name, Party and MemberFrom",
        )
    member_id = _json_int(path, _key(entry, "MemberId"), "MemberId", lines, where)
    party = _json_text(path, entry, "Party", lines, where)
    sub_party = _json_text(path, entry, "SubParty", lines, where)
    if sub_party:
        party = f"{party} ({sub_party})"
    member = Member(
        id=str(member_id),
        name=_json_text(path, entry, "Name", lines, where),
        party=party,
        constituency=_json_text(path, entry, "MemberFrom", lines, where),
    )
    return member, party


def _json_int(path: Path, value: Any, name: str, lines: _JsonLines, at: tuple) -> int:
    """A whole number >= 0, given as a JSON integer or a string of ASCII digits."""
    digits = MAX_ID_DIGITS if name in _IDS else MAX_DIGITS
    if isinstance(value, int) and not isinstance(value, bool):
        problem = "negative" if value < 0 else whole_problem(str(value), digits)
    elif isinstance(value, str):
        problem = whole_problem(value.strip(), digits)
    else:
        problem = "not a whole number"
    if problem:
        raise RecordFileError(
            path,
            lines.line(at),
            f"{name} is {shown(value)}, {problem}",
            f"Give {name} as a whole number 0 or more, in the digits 0-9",
        )
    return int(value)


def _json_text(path: Path, obj: dict, name: str, lines: _JsonLines, at: tuple) -> str:
    """A name or title: a JSON string (or null, or absent: ""), without control characters."""
    value = _key(obj, name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordFileError(
            path,
            lines.line(at),
            f"{name} is {shown(value)}, not text",
            f'Give {name} as a string in quotes, e.g. "{name}": "..."',
        )
    return check_text(value.strip(), path, partial(lines.line, at), name)


def _key(obj: dict, name: str) -> Any:
    """``obj[name]``, matching the key case-insensitively (``memberId`` = ``MemberId``)."""
    if name in obj:
        return obj[name]
    return obj.get(_key_name(obj, name))


def _key_name(obj: dict, name: str) -> str:
    """The key of ``obj`` that spells ``name`` (in any case); ``name`` if there is none."""
    if name not in obj:
        folded = name.casefold()
        for key in obj:
            if isinstance(key, str) and key.casefold() == folded:
                return key
    return name


class _LinedDict(dict):
    """A JSON object that remembers the line it starts on."""

    line = 0


class _JsonLines:
    """Line numbers of JSON objects, found (only when an error needs one) by re-parsing.

    ``json.loads`` keeps no positions; the pure-Python scanner lets each object record
    its line. That is slow, so it runs once, on the error path.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._doc: Any = None

    def line(self, steps: tuple) -> int | None:
        """The line where the object reached by ``steps`` (indices and keys) starts."""
        if self._doc is None:
            try:
                self._doc = self._parse()
            except (RecursionError, ValueError):  # deeper or odder than the fast parser took
                self._doc = False
        node = self._doc
        try:
            for step in steps:
                node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
        return node.line if isinstance(node, _LinedDict) else None

    def _parse(self) -> Any:
        newlines = [m.start() for m in re.finditer("\n", self.text)]
        decoder = json.JSONDecoder()

        def parse_object(s_and_end, *args, **kwargs):  # the '{' is at s_and_end[1] - 1
            obj, end = json.decoder.JSONObject(s_and_end, *args, **kwargs)
            located = _LinedDict(obj)
            located.line = bisect.bisect_left(newlines, s_and_end[1] - 1) + 1
            return located, end

        decoder.parse_object = parse_object
        decoder.scan_once = json.scanner.py_make_scanner(decoder)
        return decoder.decode(self.text)

