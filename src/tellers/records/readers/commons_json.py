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
from tellers.records.model import Division, DivisionRecords, Member, Vote, VoteKind
from tellers.records.readers._common import read_text
from tellers.records.readers._records import (
    COMMONS,
    VoteBook,
    counted_totals,
    with_counted_totals,
)

__all__ = ["load_json", "looks_like_commons_json", "read_commons_json", "records_from_json"]


_JSON_LISTS = (
    ("Ayes", VoteKind.AYE),
    ("Noes", VoteKind.NO),
    ("AyeTellers", VoteKind.TELLER_AYE),
    ("NoTellers", VoteKind.TELLER_NO),
    ("NoVoteRecorded", VoteKind.NO_VOTE),
)
_REQUIRED_LISTS = ("Ayes", "Noes")


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
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordFileError(
            path,
            exc.lineno,
            f"not valid JSON: {exc.msg} (column {exc.colno})",
            "The file may be truncated or edited by hand; download it again",
        ) from None


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
        when = datetime.fromisoformat(str(raw_date)).date()
    except ValueError:
        raise RecordFileError(
            path,
            lines.line(at),
            f"division {division_id}: Date {raw_date!r} is not an ISO date",
            "Write it as 2019-03-27T19:00:00",
        ) from None
    number = _key(item, "Number")
    ayes, noes = _key(item, "AyeCount"), _key(item, "NoCount")
    computed = ayes is None or noes is None
    return Division(
        id=str(division_id),
        chamber=COMMONS,
        date=when,
        title=str(_key(item, "Title") or "").strip(),
        number=None if number is None else _json_int(path, number, "Number", lines, at),
        ayes=None if computed else _json_int(path, ayes, "AyeCount", lines, at),
        noes=None if computed else _json_int(path, noes, "NoCount", lines, at),
        totals_computed=computed,
    )


def _json_list(path: Path, item: dict, name: str, lines: _JsonLines, at: tuple) -> list:
    value = _key(item, name)
    if value is None:
        if name in _REQUIRED_LISTS:
            raise RecordFileError(
                path,
                lines.line(at),
                f"division {_key(item, 'DivisionId')} has no {name} list",
                "Give the Commons Votes API JSON as downloaded",
            )
        return []
    if not isinstance(value, list):
        raise RecordFileError(
            path,
            lines.line(at),
            f"{name} of division {_key(item, 'DivisionId')} is not a list of members",
            "Give the Commons Votes API JSON as downloaded",
        )
    return value


def _json_member(
    path: Path, entry: Any, lines: _JsonLines, where: tuple
) -> tuple[Member, str]:
    if not isinstance(entry, dict) or _key(entry, "MemberId") is None:
        raise RecordFileError(
            path,
            lines.line(where),
            f"entry {where[-1] + 1} of {where[-2]} is not a member with a MemberId",
            "Each entry needs MemberId, Name, Party and MemberFrom",
        )
    member_id = _json_int(path, _key(entry, "MemberId"), "MemberId", lines, where)
    party = str(_key(entry, "Party") or "").strip()
    sub_party = str(_key(entry, "SubParty") or "").strip()
    if sub_party:
        party = f"{party} ({sub_party})"
    member = Member(
        id=str(member_id),
        name=str(_key(entry, "Name") or "").strip(),
        party=party,
        constituency=str(_key(entry, "MemberFrom") or "").strip(),
    )
    return member, party


def _json_int(path: Path, value: Any, name: str, lines: _JsonLines, at: tuple) -> int:
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
    ):
        raise RecordFileError(
            path,
            lines.line(at),
            f"{name} is {value!r}, not a whole number",
            f"Give {name} as a number",
        )
    return int(value)


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
            self._doc = self._parse()
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

