"""Scenario files: what if the blocs had voted otherwise?

A scenario is a TOML file of one of two kinds.

**Blocs and stances** — a house made of blocs, each with a size and a stance on each
option::

    title = "1 April 2019 by party"
    house = 639                     # optional: seats that vote (default: the blocs' total)
    quota = 320                     # optional: default a majority of the house

    [[option]]
    id = "customs_union"
    label = "Customs union"         # optional (default: the id)

    [[bloc]]
    name = "Conservative"
    size = 312
    customs_union = "split 36/236"  # 36 Aye, 236 No, the rest abstain

    [[bloc]]
    name = "Independent"
    size = 22
    whipped = false                 # 22 members voting as they please: 22 players in the power game
    customs_union = "split 11/9"

    [[edit]]                        # optional: change a stance
    bloc = "Conservative"
    option = "customs_union"
    vote = "aye"

A stance is ``aye``, ``no``, ``abstain`` or ``"split A/N"`` (A Ayes, N Noes, the rest
abstaining); an option a bloc gives no stance on, it abstains on. A stance gives only
how many vote each way, not who: for the head to head, a bloc's members are lined up
once, from the keenest, and on every option the first A vote Aye, the last N No and
those between abstain. A bloc whose members split differently should be given as two
blocs.

**Edits to real divisions** — the recorded votes, changed::

    title = "What if the SNP had backed Common Market 2.0?"
    base = "commons2019"            # the bundled 2019 Commons, or a path to division records
    divisions = ["666", "667", "668", "669"]   # optional: default every division held the days edited

    [[edit]]
    party = "Scottish National Party"
    division = "667"
    vote = "aye"

    [[edit]]
    party = "Labour"
    whip = { "666" = "aye", "668" = "abstain" }

An edit sets the vote of the party's members *present that day* (who voted, or told, in
any division held that day); ``split A/N`` makes the first A of them Aye and the next N
No; a teller for the side a member now votes stays a teller. Parties are merged by the
catalogue's aliases first (Labour includes Labour Co-op). An edit that moves no one's
vote is reported as a notice; one for a party none of whose members could vote (the
Speaker, the Deputy Speakers, Sinn Féin) or was present that day is refused with the
reason (:mod:`tellers.parliament.coalitions.scenario_edits`).

Every mistake is reported with the file and the line
(:mod:`tellers.parliament.coalitions.toml_lines`). A scenario is evaluated by
:mod:`tellers.parliament.coalitions.scenario`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tellers.errors import InputFileError
from tellers.parliament.coalitions.games import majority_quota
from tellers.parliament.coalitions.scenario_stance import STANCE_HELP, Stance
from tellers.parliament.coalitions.toml_lines import KeyLines
from tellers.parliament.options import Option
from tellers.records.fields import MAX_DIGITS, shown, text_problem
from tellers.records.readers._common import read_text

__all__ = ["STANCE_HELP", "Bloc", "PartyEdit", "Scenario", "ScenarioError", "Stance", "load_scenario"]


class ScenarioError(InputFileError):
    """A scenario file is malformed; the message names the file, the line and the fix."""

    kind = "scenario file"
    contents = "a scenario"

    def __init__(self, path: object, line: int | None, problem: str, fix: str = "") -> None:
        super().__init__(path, line, problem, fix)
        self.problem = problem
        """The problem alone, without the file and line (for stances, which have neither)."""


# --------------------------------------------------------------------------- reading


class _Reader:
    """A scenario file's text, its parsed TOML, and line-numbered errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = read_text(path, error=ScenarioError)
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
            problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not valid TOML"
            raise ScenarioError(path, int(m.group(1)) if m else None, f"not valid TOML: {problem}", "See the TOML syntax at toml.io") from None
        except ValueError:  # tomllib's int() on thousands of digits
            raise ScenarioError(path, None, "a number has too many digits", f"Numbers in a scenario have at most {MAX_DIGITS} digits") from None
        except RecursionError:
            raise ScenarioError(path, None, "the TOML is nested too deeply to read", "A scenario's values nest at most two levels") from None
        self.lines = KeyLines(self.text)

    def error(self, problem: str, fix: str = "", *, key: str | None = None, array: str | None = None, index: int = 0) -> ScenarioError:
        return ScenarioError(self.path, self.lines.of(key, array, index), problem, fix)

    def entries(self, array: str) -> list[dict[str, Any]]:
        value = self.data.get(array, [])
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            raise self.error(f"{array} must be written as [[{array}]] tables", key=array)
        return value


def _whole(reader: _Reader, value: object, what: str, **where: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**MAX_DIGITS:
        raise reader.error(f"{what} must be a whole number >= 0 of at most {MAX_DIGITS} digits, not {shown(value)}", **where)
    return value


def _text(reader: _Reader, value: object, what: str, **where: Any) -> str:
    """A name, label or id: a string without control characters (ints pass as ids)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**MAX_DIGITS:
        return str(value)
    if not isinstance(value, str):
        raise reader.error(f"{what} must be a string, not {shown(value)}", 'Write it in quotes: "..."', **where)
    problem = text_problem(value)
    if problem:
        raise reader.error(f"{what} {shown(value)} {problem}", "Remove it", **where)
    return value


# --------------------------------------------------------------------------- the scenario


@dataclass(frozen=True)
class Bloc:
    name: str
    size: int
    stances: dict[str, Stance]
    """Option id -> stance (options without one: abstain)."""
    whipped: bool = True


@dataclass(frozen=True)
class PartyEdit:
    """An edit to a real division: ``party``'s members present that day vote ``stance`` text."""

    party: str
    division: str
    vote: str
    line: int
    """The line of the vote (or whip)."""
    party_line: int | None = None
    """The line of the party (default: ``line``)."""


@dataclass(frozen=True)
class Scenario:
    """A parsed scenario file (either blocs or edits to a base)."""

    path: Path
    title: str
    options: tuple[Option, ...] = ()
    blocs: tuple[Bloc, ...] = ()
    declared: tuple[Bloc, ...] = ()
    """The blocs as declared, before any [[edit]] (bloc scenarios)."""
    house: int | None = None
    quota: int | None = None
    base: str | None = None
    divisions: tuple[str, ...] = ()
    edits: tuple[PartyEdit, ...] = ()
    notices: tuple[str, ...] = ()
    """Edits that change nothing, found on reading (bloc scenarios: a stance the bloc already had)."""
    reader: _Reader | None = field(default=None, repr=False, compare=False)

    @property
    def kind(self) -> str:
        return "edits" if self.base is not None else "blocs"


_TOP_BLOCS = {"title", "house", "quota", "option", "bloc", "edit"}
_TOP_EDITS = {"title", "base", "divisions", "edit", "quota"}


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file (ScenarioError naming the line on any mistake)."""
    reader = _Reader(Path(path))
    data = reader.data
    title = _text(reader, data.get("title", reader.path.stem), "title", key="title")
    if "base" in data and "bloc" in data:
        raise reader.error(
            "a scenario has either [[bloc]] tables or a base of real divisions, not both", key="base",
            fix="Split it into two files",
        )
    if "base" in data:
        return _load_edits(reader, title)
    if "bloc" not in data:
        raise reader.error(
            "no [[bloc]] tables and no base", "Give blocs with sizes and stances, or base = \"commons2019\" and [[edit]] tables",
        )
    return _load_blocs(reader, title)


def _check_keys(reader: _Reader, allowed: set[str], kind: str) -> None:
    for key in reader.data:
        if key not in allowed:
            raise reader.error(f"unknown key {key!r} in a {kind} scenario", f"Keys are: {', '.join(sorted(allowed))}", key=key)


def _load_blocs(reader: _Reader, title: str) -> Scenario:
    _check_keys(reader, _TOP_BLOCS, "bloc")
    data = reader.data
    options: list[Option] = []
    for i, o in enumerate(reader.entries("option")):
        oid = o.get("id")
        if not isinstance(oid, str) or not oid.strip():
            raise reader.error("an [[option]] needs an id", 'Write id = "customs_union"', key="id", array="option", index=i)
        if any(p.id == oid for p in options):
            raise reader.error(f"option {oid!r} is declared twice", key="id", array="option", index=i)
        unknown = set(o) - {"id", "label", "short", "division"}
        if unknown:
            key = sorted(unknown)[0]
            raise reader.error(f"unknown key {key!r} in an [[option]]", "Keys are: id, label, short, division", key=key, array="option", index=i)
        oid = _text(reader, oid, "the option id", key="id", array="option", index=i)
        label, short, division = (
            _text(reader, o[k], f"the option's {k}", key=k, array="option", index=i) if k in o else default
            for k, default in (("label", oid), ("short", ""), ("division", ""))
        )
        options.append(Option(oid, label, (division,) if division else (oid,), short))
    if not options:
        raise reader.error("no [[option]] tables: the blocs have nothing to vote on", 'Add [[option]] tables with id = "..."')
    ids = {o.id: o for o in options}
    blocs: list[Bloc] = []
    house = data.get("house")
    if house is not None:
        house = _whole(reader, house, "house", key="house")
    running = 0
    for i, b in enumerate(reader.entries("bloc")):
        name = b.get("name")
        if not isinstance(name, str) or not name.strip():
            raise reader.error("a [[bloc]] needs a name", 'Write name = "Conservative"', key="name", array="bloc", index=i)
        name = _text(reader, name, "the bloc's name", key="name", array="bloc", index=i)
        if any(x.name == name for x in blocs):
            raise reader.error(f"bloc {name!r} is declared twice", key="name", array="bloc", index=i)
        if "size" not in b:
            raise reader.error(f"bloc {name!r} has no size", "Write size = <members>", array="bloc", index=i)
        size = _whole(reader, b["size"], f"bloc {name!r}: size", key="size", array="bloc", index=i)
        running += size
        if house is not None and running > house:
            raise reader.error(
                f"the blocs' sizes add up to {running} by bloc {name!r}, more than the house of {house} "
                f"(line {reader.lines.of('house')})",
                "Make the sizes add up to at most the house", key="size", array="bloc", index=i,
            )
        whipped = b.get("whipped", True)
        if not isinstance(whipped, bool):
            raise reader.error("whipped must be true or false", key="whipped", array="bloc", index=i)
        stances = {}
        for key, value in b.items():
            if key in ("name", "size", "whipped"):
                continue
            if key not in ids:
                raise reader.error(
                    f"bloc {name!r}: {key!r} is neither an option nor a bloc key",
                    f"Options are: {', '.join(ids)}; bloc keys are name, size, whipped", key=key, array="bloc", index=i,
                )
            stances[key] = _stance(reader, value, size, f"bloc {name!r}, stance on {key}", key=key, array="bloc", index=i)
        blocs.append(Bloc(name, size, stances, whipped))
    declared = tuple(blocs)
    by_name = {b.name: b for b in blocs}
    notices = []
    for i, e in enumerate(reader.entries("edit")):
        unknown = set(e) - {"bloc", "option", "vote", "whip"}
        if unknown:
            key = sorted(unknown)[0]
            raise reader.error(f"unknown key {key!r} in an [[edit]] of blocs", "Keys are: bloc, option and vote, or bloc and whip", key=key, array="edit", index=i)
        name = e.get("bloc")
        if not isinstance(name, str) or name not in by_name:
            raise reader.error(
                f"unknown bloc {shown(name)}", f"Blocs are: {', '.join(by_name)}", key="bloc", array="edit", index=i,
            )
        bloc = by_name[name]
        for key, option, vote in _edit_votes(reader, e, i, "option"):
            if option not in ids:
                raise reader.error(f"unknown option {option!r}", f"Options are: {', '.join(ids)}", key=key, array="edit", index=i)
            where = "vote" if key == "option" else key
            stance = _stance(reader, vote, bloc.size, f"the edit's vote for {name} on {option}", key=where, array="edit", index=i)
            if bloc.stances.get(option, Stance(0, 0)) == stance:
                notices.append(f"{name} {stance.text(bloc.size)} on {ids[option].label} (line "
                               f"{reader.lines.of(where, 'edit', i)}) changes no vote: the bloc's stance already was {stance.text(bloc.size)}")
            bloc = replace(bloc, stances={**bloc.stances, option: stance})
        by_name[name] = bloc
    blocs = [by_name[b.name] for b in blocs]
    total = sum(b.size for b in blocs)
    if total == 0:
        raise reader.error("every bloc has size 0", array="bloc")
    quota = data.get("quota")
    if quota is not None:
        quota = _whole(reader, quota, "quota", key="quota")
        if not 1 <= quota <= total:
            raise reader.error(f"the quota {quota} must be between 1 and the blocs' total size {total}", key="quota")
    elif house is not None and majority_quota(house) > total:
        raise reader.error(
            f"a majority of the house of {house} is {majority_quota(house)}, more than the blocs' total size {total}",
            "Give a quota, or blocs adding up to more of the house", key="house",
        )
    return Scenario(reader.path, title, tuple(options), tuple(blocs), declared, house, quota, notices=tuple(notices), reader=reader)


def _stance(reader: _Reader, value: object, size: int, what: str, **where: Any) -> Stance:
    try:
        return Stance.parse(value, size)
    except ValueError as exc:
        raise reader.error(f"{what}: {exc}", STANCE_HELP, **where) from None


def _edit_votes(reader: _Reader, e: Mapping[str, Any], i: int, target: str) -> list[tuple[str, str, object]]:
    """(key to point at, option or division, vote) for an edit written with ``vote`` or with ``whip``."""
    if "whip" in e:
        if "vote" in e or target in e:
            raise reader.error(f"an [[edit]] gives either {target} and vote, or whip", key="whip", array="edit", index=i)
        whip = e["whip"]
        if not isinstance(whip, dict) or not whip:
            raise reader.error('whip must be a table such as { "666" = "aye" }', key="whip", array="edit", index=i)
        return [("whip", _text(reader, k, f"the whip's {target}", key="whip", array="edit", index=i), v) for k, v in whip.items()]
    if target not in e or "vote" not in e:
        raise reader.error(f"an [[edit]] needs {target} and vote (or whip)", f'Write {target} = "..." and vote = "aye"', array="edit", index=i)
    return [(target, _text(reader, e[target], f"the edit's {target}", key=target, array="edit", index=i), e["vote"])]


def _load_edits(reader: _Reader, title: str) -> Scenario:
    _check_keys(reader, _TOP_EDITS, "real-division")
    data = reader.data
    base = _text(reader, data["base"], "base", key="base")
    divisions = data.get("divisions", [])
    if not isinstance(divisions, list):
        raise reader.error('divisions must be a list such as ["666", "667"]', key="divisions")
    divisions = [_text(reader, d, "a division", key="divisions") for d in divisions]
    edits = []
    for i, e in enumerate(reader.entries("edit")):
        unknown = set(e) - {"party", "division", "vote", "whip"}
        if unknown:
            key = sorted(unknown)[0]
            raise reader.error(f"unknown key {key!r} in an [[edit]] of real divisions", "Keys are: party, division and vote, or party and whip", key=key, array="edit", index=i)
        party = e.get("party")
        if not isinstance(party, str) or not party.strip():
            raise reader.error("an [[edit]] needs a party", 'Write party = "Labour"', key="party", array="edit", index=i)
        party = _text(reader, party, "the party", key="party", array="edit", index=i)
        for key, division, vote in _edit_votes(reader, e, i, "division"):
            if not isinstance(vote, str):
                raise reader.error(f"{shown(vote)} is not a stance", STANCE_HELP, key="vote" if key == "division" else key, array="edit", index=i)
            line = reader.lines.of("vote" if key == "division" else key, "edit", i)
            edits.append(PartyEdit(party, division, vote, line, reader.lines.of("party", "edit", i)))
    if not edits and not divisions:
        raise reader.error("no [[edit]] tables and no divisions to evaluate", "Add [[edit]] tables", key="base")
    quota = data.get("quota")
    if quota is not None:
        quota = _whole(reader, quota, "quota", key="quota")
    return Scenario(reader.path, title, base=base, divisions=tuple(divisions), edits=tuple(edits), quota=quota, reader=reader)
