"""Option catalogues: named options, the divisions that tested them, and questions to ask.

A catalogue is a TOML file (the 2019 Commons one is bundled): ``[[option]]`` tables with
``id``, ``label`` and ``divisions`` (in the order held), ``[[question]]`` tables naming
a set of options to compare, ``[party_aliases]`` to merge party labels, and ``[announced]``
the totals announced in the House where the record was later corrected (shown beside it).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tellers.errors import OptionError
from tellers.wording import few
from tellers.records.parties import PARTY_ALIASES
from tellers.parliament.options import Option, choose_division


class Totals(Protocol):
    """A division's id and its recorded totals (a :class:`Division`, or the store's totals)."""

    id: str
    ayes: int | None
    noes: int | None


@dataclass(frozen=True)
class Question:
    """A set of options to compare head to head, and which of their divisions count."""

    id: str
    title: str
    options: tuple[str, ...]
    tested: str = "latest"


@dataclass(frozen=True)
class Catalogue:
    title: str
    options: dict[str, Option]
    questions: dict[str, Question]
    party_aliases: dict[str, str] = field(default_factory=dict)
    party_short: dict[str, str] = field(default_factory=dict)
    announced: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Division id -> (ayes, noes) announced in the House, where the corrected record differs."""

    def option(self, key: str) -> Option:
        """An option by id; TellersError listing the ids if unknown."""
        if key not in self.options:
            raise OptionError(f"unknown option {key!r}; options are: {few(self.options)}", listing="options")
        return self.options[key]

    def asked(self) -> list[str]:
        """Every division the questions count, in question order."""
        return list(dict.fromkeys(
            choose_division(self.options[o], q.tested) for q in self.questions.values() for o in q.options
        ))

    def _corrected(self, divisions: Sequence[Totals]) -> list[tuple[Totals, tuple[int, int]]]:
        """The ``divisions`` whose record differs from the totals announced in the House, with those."""
        return [(d, self.announced[d.id]) for d in divisions
                if d.id in self.announced and self.announced[d.id] != (d.ayes, d.noes)]

    def announced_line(self, division: Totals) -> str:
        """A sentence on one division whose record was corrected after the House was told other totals, or ""."""
        if not (changed := self._corrected([division])):
            return ""
        ayes, noes = changed[0][1]
        return (f"The record was corrected after the day: the House was told, and the press reported, "
                f"{ayes}–{noes}; these are the corrected totals.")

    def announced_note(self, divisions: Sequence[Totals]) -> str | None:
        """A sentence on the shown ``divisions`` whose record was corrected after the House was
        told other totals, or None: the record is what tellers counts, the announcement is history."""
        if not (changed := self._corrected(divisions)):
            return None
        names = [o.label if (o := self.by_division(d.id)) else f"division {d.id}" for d, _ in changed]
        record = ", ".join(f"{name} {d.ayes}–{d.noes}" for name, (d, _) in zip(names, changed))
        told = ", ".join(f"{a}–{n}" for _, (a, n) in changed)
        return (f"Corrected records: {record} are the totals as the record was later corrected; the House was told, "
                f"and the press reported, {told}.")

    def by_division(self, division_id: str) -> Option | None:
        """The option a division tested, if the catalogue knows it."""
        return next((o for o in self.options.values() if division_id in o.divisions), None)


def load_catalogue(path: Path) -> Catalogue:
    """Read a catalogue TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        options = {
            o["id"]: Option(str(o["id"]), str(o["label"]), tuple(str(d) for d in o["divisions"]), str(o.get("short", "")))
            for o in data.get("option", [])
        }
        announced = {str(d): (int(t["ayes"]), int(t["noes"])) for d, t in data.get("announced", {}).items()}
        questions = {
            q["id"]: Question(q["id"], q["title"], tuple(q["options"]), q.get("tested", "latest"))
            for q in data.get("question", [])
        }
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise OptionError(f"{path}: not a valid option catalogue ({exc})") from None
    for q in questions.values():
        for key in q.options:
            if key not in options:
                raise OptionError(f"{path}: question {q.id!r} names unknown option {key!r}")
    return Catalogue(
        data.get("title", path.stem), options, questions,
        {**PARTY_ALIASES, **data.get("party_aliases", {})}, dict(data.get("party_short", {})), announced,
    )
