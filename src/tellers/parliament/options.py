"""Options, and the one place a user's names for them are resolved.

An option is a choice put to the house, tested by one or more divisions. A user names
options (on the command line, in a web request) by any of:

- a **division id** (``666``): that division is the option, labelled from the catalogue
  when it knows the division, else by the division's title;
- a catalogue **option id** (``customs_union``), case-insensitive;
- a catalogue **question id** (``27mar``): all of that question's options, counted in the
  question's divisions (its ``tested``) unless ``tested`` is given;
- an option's **label** or short label (``"common market 2.0"``, ``CM2.0``),
  case-insensitive and with spaces folded; a label two options share is refused as
  ambiguous, naming both ids.

Anything else is an :class:`~tellers.errors.OptionError` that suggests the nearest names
("did you mean 'customs_union'?").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tellers.errors import NotFoundError, OptionError
from tellers.wording import few, plural

if TYPE_CHECKING:  # the house hands itself in; options do not open houses
    from tellers.parliament.catalogue import Question
    from tellers.parliament.house import House
    from tellers.records.model import Division

TESTED = ("latest", "earliest")
"""Which division counts for an option tested more than once."""


@dataclass(frozen=True)
class Option:
    """A choice put to the house, tested by one or more divisions.

    For example "Customs union" = divisions 658 and 666; "Withdrawal Agreement" = 562,
    623 and 664.
    """

    id: str
    label: str
    divisions: tuple[str, ...]
    short: str = ""
    """A short label for narrow tables (defaults to the label)."""

    @property
    def abbreviation(self) -> str:
        return self.short or self.label


def choose_division(option: Option, tested: str = "latest") -> str:
    """Which of an option's divisions counts: the latest (default), the earliest, or a named one.

    An option's divisions are listed in the order they were held.
    """
    if tested == "latest":
        return option.divisions[-1]
    if tested == "earliest":
        return option.divisions[0]
    if tested in option.divisions:
        return tested
    raise OptionError(
        f"option {option.label!r} was tested in division(s) {', '.join(option.divisions)}, not {tested!r}"
    )


def distinct_labels(options: Sequence[Option], divisions: Sequence[str]) -> list[Option]:
    """Options whose labels clash get their division id appended ("Public vote (661)")."""
    labels = [o.label for o in options]
    return [
        Option(o.id, f"{o.label} ({d})", o.divisions, o.short and f"{o.short} ({d})") if labels.count(o.label) > 1 else o
        for o, d in zip(options, divisions)
    ]


@dataclass(frozen=True)
class ChosenOptions:
    """Options to compare, each with the division that counts for it."""

    options: tuple[Option, ...]
    divisions: tuple[Division, ...]
    names: tuple[frozenset[str], ...] = ()
    """Every token that names each option: its id, its division id, its catalogue option id."""

    @property
    def tested(self) -> dict[str, str]:
        return {o.id: d.id for o, d in zip(self.options, self.divisions)}

    def division_of(self, token: str) -> str:
        """The division that counts for an option named by option id or division id."""
        names = self.names or tuple(frozenset() for _ in self.options)
        for o, d, n in zip(self.options, self.divisions, names):
            if token in (o.id, d.id) or token in n or _fold(token) in n:
                return d.id
        raise OptionError(
            f"{token!r} is not one of the options compared ({few(o.id for o in self.options)})"
        )


def parse_tokens(options: str | Sequence[str]) -> list[str]:
    """Option names from "666,667,668" or a list, stripped, blanks dropped."""
    tokens = options.split(",") if isinstance(options, str) else list(options)
    return [str(t).strip() for t in tokens if str(t).strip()]


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _lookup(names: Iterable[str], token: str, kind: str) -> str | None:
    """The one of ``names`` that ``token`` names: itself, else the one it equals in any case and
    spacing; OptionError naming them when it equals several, None when none."""
    names = list(names)
    if token in names:
        return token
    matches = [n for n in names if _fold(n) == _fold(token)]
    if len(matches) > 1:
        raise OptionError(f"{token!r} names the {kind} {' and '.join(map(repr, matches))}, which differ only in case; "
                          "name one exactly")
    return matches[0] if matches else None


def _resolve_one(house: House, token: str, tested: str | None) -> list[tuple[Option, str]]:
    """(option, division id) pairs a single name stands for (see the module notes)."""
    cat = house.catalogue
    key = _fold(token)
    if (qid := _lookup(cat.questions, token, "questions")) is not None:
        q = cat.questions[qid]
        return [(cat.options[o], choose_division(cat.options[o], tested or q.tested)) for o in q.options]
    if (oid := _lookup(cat.options, token, "options")) is not None:
        option = cat.options[oid]
        return [(option, choose_division(option, tested or "latest"))]
    if house.has(token):
        known = house.option_of(token)
        title = house.division_record(token).title
        return [(Option(token, known.label if known else title, (token,), known.short if known else ""), token)]
    labelled = [o for o in cat.options.values() if " ".join(token.split()) in (o.label, o.short)]
    labelled = labelled or [o for o in cat.options.values() if key in (_fold(o.label), _fold(o.short))]
    if len(labelled) > 1:
        raise OptionError(
            f"{token!r} names {len(labelled)} options: "
            + ", ".join(f"{o.id} ({', '.join(o.divisions)})" for o in labelled)
            + "; name one by its id"
        )
    if labelled:
        return [(labelled[0], choose_division(labelled[0], tested or "latest"))]
    raise OptionError(
        f"{token!r} is neither a division nor an option (no division {token!r} in {house.source}; "
        f"no option id, label or question of that name){suggestion(house, token)}",
        listing="divisions" if token.isdigit() else "options",
    )


def suggestion(house: House, token: str) -> str:
    """". Did you mean 'x'?" naming the closest option ids, labels or question ids, or ""."""
    cat = house.catalogue
    names = {o.id: o.id for o in cat.options.values()}
    names.update({_fold(o.label): o.id for o in cat.options.values()})
    names.update({q: q for q in cat.questions})
    close = difflib.get_close_matches(_fold(token), list(names), n=3, cutoff=0.6)
    ids = list(dict.fromkeys(names[c] for c in close))
    if not ids:
        return ""
    labelled = [f"{i!r} ({cat.options[i].label})" if i in cat.options else repr(i) for i in ids]
    return ". Did you mean " + " or ".join(labelled) + "?"


def named(house: House, token: str, tested: str | None = None) -> list[tuple[Option, str]]:
    """The (option, division id) pairs one name stands for (a question's name stands for several)."""
    return _resolve_one(house, token.strip(), tested)


def choose_options(
    house: House, options: str | Sequence[str], tested: str | None = None, *, including: str | None = None
) -> ChosenOptions:
    """Options named as a user names them (see the module notes), each with its division.

    ``tested`` picks which of an option's divisions counts (latest, the default, or
    earliest); a question's own choice applies to its options when ``tested`` is None.
    ``including`` names an option that must be among them: it is put first when
    ``options`` leave it out.
    """
    tokens = parse_tokens(options)
    if tested is not None and tested not in TESTED:
        raise OptionError(f"tested must be one of {', '.join(TESTED)}, not {tested!r}")
    if len({_fold(k) for k in tokens}) != len(tokens):
        raise OptionError(f"an option is named twice in {few(tokens)}")
    named: dict[tuple[Option, str], str] = {}  # (option, division id) -> the name that chose it
    same: list[str] = []
    for token in tokens:
        for pair in _resolve_one(house, token, tested):
            twice = next(((o, d) for o, d in named if o.id == pair[0].id and d != pair[1]), None)
            if twice:
                raise OptionError(
                    f"{named[twice]!r} and {token!r} both name {pair[0].id} ({pair[0].label}), in divisions "
                    f"{twice[1]} and {pair[1]}; name it once (--tested picks which of its divisions counts)"
                )
            if pair in named and named[pair] != token:
                same.append(f"{named[pair]!r} and {token!r} name the same option")
            named.setdefault(pair, token)
    if including is not None:
        extra = {p: including for p in _resolve_one(house, including, tested)
                 if not any(p[0].id == o.id or p[1] == d for o, d in named)}
        named = {**extra, **named}
    pairs = list(named)
    if len(pairs) < 2:
        raise OptionError(
            "compare at least two options: division ids, option ids or labels, or a question id "
            "(e.g. 666,667,668 or 27mar)" + (f"; {', '.join(same)}" if same else "")
        )
    chosen = []
    for option, division_id in pairs:
        try:
            chosen.append((option, house.division_record(division_id)))
        except NotFoundError:
            raise OptionError(
                f"option {option.id!r} was tested in division {division_id}, which is not in {house.source}"
            ) from None
    seen: dict[str, str] = {}
    for pair, (_, division) in zip(pairs, chosen):
        if division.id in seen:
            raise OptionError(f"{seen[division.id]!r} and {named[pair]!r} name the same division ({division.id}); name it once")
        seen[division.id] = named[pair]
    names = tuple(
        frozenset({o.id, d.id, _fold(o.label), _fold(o.abbreviation)} | ({k.id} if (k := house.option_of(d.id)) else set()))
        for o, d in chosen
    )
    return ChosenOptions(tuple(o for o, _ in chosen), tuple(d for _, d in chosen), names)


def choose_questions(house: House, keys: Sequence[str] | None = None) -> list[Question]:
    """The catalogue questions named by ``keys`` (case-insensitive), or every question the house
    can answer when ``keys`` is empty."""
    answerable = {q.id: q for q in house.questions()}
    if not keys:
        return list(answerable.values())
    chosen = []
    for key in keys:
        qid = _lookup(house.catalogue.questions, key.strip(), "questions")
        if qid is None:
            raise OptionError(f"unknown question {key!r}{suggestion(house, key)}", listing="questions")
        if qid not in answerable:
            raise OptionError(f"question {qid!r} needs divisions that are not in {house.source}")
        chosen.append(answerable[qid])
    return list(dict.fromkeys(chosen))


def no_questions(house: House, fix: str = "") -> OptionError:
    """The error for data that hold none of the catalogue's questions, saying what they hold
    instead (a count, not a list: a chamber may hold thousands of divisions); ``fix`` is the
    interface's way round it."""
    held = house.divisions()
    chambers = {t.chamber for t in held}
    noun = f"{chambers.pop()} division" if len(chambers) == 1 else "division"
    return OptionError(f"{house.source} holds none of the catalogue's questions ({house.catalogue.title}), "
                       f"but {plural(len(held), noun)}{fix}", listing="divisions")
