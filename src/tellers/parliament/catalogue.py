"""Option catalogues: named options, the divisions that tested them, and questions to ask.

A catalogue is a TOML file (the 2019 Commons one is bundled): ``[[option]]`` tables with
``id``, ``label`` and ``divisions`` (in the order held), ``[[question]]`` tables naming
a set of options to compare, and ``[party_aliases]`` to merge party labels.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tellers.errors import OptionError
from tellers.records.parties import PARTY_ALIASES
from tellers.parliament.options import Option, choose_division


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

    def option(self, key: str) -> Option:
        """An option by id; TellersError listing the ids if unknown."""
        if key not in self.options:
            raise OptionError(f"unknown option {key!r}; options are: {', '.join(self.options)}")
        return self.options[key]

    def asked(self) -> list[str]:
        """Every division the questions count, in question order."""
        return list(dict.fromkeys(
            choose_division(self.options[o], q.tested) for q in self.questions.values() for o in q.options
        ))

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
        {**PARTY_ALIASES, **data.get("party_aliases", {})}, dict(data.get("party_short", {})),
    )
