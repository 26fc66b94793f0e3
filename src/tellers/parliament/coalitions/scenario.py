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
No. Parties are merged by the catalogue's aliases first (Labour includes Labour Co-op).

Evaluating a scenario gives each division's result (before and after the edits), the
head-to-head table of the options (the same analysis as ``tellers majority``) and the
power of each bloc (parties, for real divisions). Every mistake is reported with the
file and the line: tomllib gives no positions for a value it parsed, so the line of the
offending key is found by scanning the text.
"""

from __future__ import annotations

import re
import textwrap
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from tellers.parliament.head_to_head import MajorityAnalysis, analyse_majority
from tellers.parliament.cases import COMMONS_2019, case_from_records, load_case
from tellers.errors import InputFileError
from tellers.parliament.house import CaseHouse, House
from tellers.records.model import Division, VoteKind
from tellers.parliament.options import Option
from tellers.records.patterns import ATTRIBUTION, KINDS, VotingPatterns
from tellers.parliament.coalitions.games import PowerIndices, WeightedGame, majority_quota, minimal_winning_coalitions, power_indices
from tellers.parliament.coalitions.quota import HouseCount, count_house, is_unwhipped
from tellers.parliament.coalitions.whatif import counted_totals

AYE, NO, NO_VOTE = (KINDS.index(k) for k in (VoteKind.AYE, VoteKind.NO, VoteKind.NO_VOTE))
VOTED = tuple(KINDS.index(k) for k in (VoteKind.AYE, VoteKind.NO, VoteKind.TELLER_AYE, VoteKind.TELLER_NO, VoteKind.BOTH))
BUNDLED_BASES = {"commons2019": COMMONS_2019}
EXAMPLE = COMMONS_2019 / "scenario.toml"
"""The bundled example: the 2019 Commons by party on the 1 April options, from the real splits."""

MINIMAL_WINNING_PLAYERS = 16
"""Minimal winning coalitions are listed for games of at most this many players."""

_STANCE_HELP = 'A stance is aye, no, abstain or "split A/N" (A Ayes and N Noes, the rest abstaining)'


class ScenarioError(InputFileError):
    """A scenario file is malformed; the message names the file, the line and the fix."""

    kind = "scenario file"
    contents = "a scenario"


# --------------------------------------------------------------------------- stances


@dataclass(frozen=True)
class Stance:
    """How many of a bloc vote Aye and No; the rest abstain."""

    ayes: int
    noes: int

    @classmethod
    def parse(cls, text: object, size: int) -> Stance:
        """``aye``, ``no``, ``abstain`` or ``split A/N`` for a bloc of ``size`` (ValueError if not)."""
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a stance")
        t = " ".join(text.strip().lower().split())
        if t == "aye":
            return cls(size, 0)
        if t == "no":
            return cls(0, size)
        if t == "abstain":
            return cls(0, 0)
        m = re.fullmatch(r"split (\d+) ?/ ?(\d+)", t)
        if not m:
            raise ValueError(f"{text!r} is not a stance")
        ayes, noes = int(m.group(1)), int(m.group(2))
        if ayes + noes > size:
            raise ValueError(f"{text!r} puts {ayes + noes} members in the lobbies, more than the {size} there are")
        return cls(ayes, noes)

    def text(self, size: int) -> str:
        """The stance as a scenario file writes it."""
        if self.ayes == size:
            return "aye"
        if self.noes == size:
            return "no"
        if self.ayes == self.noes == 0:
            return "abstain"
        return f"split {self.ayes}/{self.noes}"


# --------------------------------------------------------------------------- locating keys


class _Lines:
    """Where each key of a TOML file is: top-level keys, and keys of each ``[[array]]`` entry."""

    _HEADER = re.compile(r"^\s*\[\[\s*([^\]\s]+)\s*\]\]")
    _TABLE = re.compile(r"^\s*\[\s*([^\]\s]+)\s*\]")
    _KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")

    def __init__(self, text: str) -> None:
        self.top: dict[str, int] = {}
        self.arrays: dict[str, list[tuple[int, dict[str, int]]]] = {}
        self.tables: dict[str, tuple[int, dict[str, int]]] = {}
        current: dict[str, int] | None = self.top
        for n, line in enumerate(text.splitlines(), start=1):
            if m := self._HEADER.match(line):
                current = {}
                self.arrays.setdefault(m.group(1), []).append((n, current))
            elif m := self._TABLE.match(line):
                current = {}
                self.tables[m.group(1)] = (n, current)
            elif m := self._KEY.match(line):
                key = next(g for g in m.groups() if g is not None)
                current.setdefault(key, n)

    def of(self, key: str | None = None, array: str | None = None, index: int = 0) -> int:
        """The line of ``key`` (top level, or in entry ``index`` of ``[[array]]``); the entry's header without a key."""
        if array is None:
            return self.top.get(key, 1) if key else 1
        entries = self.arrays.get(array, [])
        if index >= len(entries):
            return 1
        header, keys = entries[index]
        return keys.get(key, header) if key else header


class _Reader:
    """A scenario file's text, its parsed TOML, and line-numbered errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ScenarioError(path, None, "no such file", "Check the path") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(path, None, f"cannot be read ({exc})", "Give a UTF-8 TOML file") from None
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
            problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not valid TOML"
            raise ScenarioError(path, int(m.group(1)) if m else None, f"not valid TOML: {problem}", "See the TOML syntax at toml.io") from None
        self.lines = _Lines(self.text)

    def error(self, problem: str, fix: str = "", *, key: str | None = None, array: str | None = None, index: int = 0) -> ScenarioError:
        return ScenarioError(self.path, self.lines.of(key, array, index), problem, fix)

    def entries(self, array: str) -> list[dict[str, Any]]:
        value = self.data.get(array, [])
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            raise self.error(f"{array} must be written as [[{array}]] tables", key=array)
        return value


def _whole(reader: _Reader, value: object, what: str, **where: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise reader.error(f"{what} must be a whole number >= 0, not {value!r}", **where)
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
    title = data.get("title", reader.path.stem)
    if not isinstance(title, str):
        raise reader.error("title must be a string", key="title")
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
        division = o.get("division")
        options.append(Option(oid, str(o.get("label", oid)), (str(division),) if division else (oid,), str(o.get("short", ""))))
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
    for i, e in enumerate(reader.entries("edit")):
        unknown = set(e) - {"bloc", "option", "vote", "whip"}
        if unknown:
            key = sorted(unknown)[0]
            raise reader.error(f"unknown key {key!r} in an [[edit]] of blocs", "Keys are: bloc, option and vote, or bloc and whip", key=key, array="edit", index=i)
        name = e.get("bloc")
        if name not in by_name:
            raise reader.error(
                f"unknown bloc {name!r}", f"Blocs are: {', '.join(by_name)}", key="bloc", array="edit", index=i,
            )
        bloc = by_name[name]
        for key, option, vote in _edit_votes(reader, e, i, "option"):
            if option not in ids:
                raise reader.error(f"unknown option {option!r}", f"Options are: {', '.join(ids)}", key=key, array="edit", index=i)
            where = "vote" if key == "option" else key
            stance = _stance(reader, vote, bloc.size, f"the edit's vote for {name} on {option}", key=where, array="edit", index=i)
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
    return Scenario(reader.path, title, tuple(options), tuple(blocs), declared, house, quota, reader=reader)


def _stance(reader: _Reader, value: object, size: int, what: str, **where: Any) -> Stance:
    try:
        return Stance.parse(value, size)
    except ValueError as exc:
        raise reader.error(f"{what}: {exc}", _STANCE_HELP, **where) from None


def _edit_votes(reader: _Reader, e: Mapping[str, Any], i: int, target: str) -> list[tuple[str, str, object]]:
    """(key to point at, option or division, vote) for an edit written with ``vote`` or with ``whip``."""
    if "whip" in e:
        if "vote" in e or target in e:
            raise reader.error(f"an [[edit]] gives either {target} and vote, or whip", key="whip", array="edit", index=i)
        whip = e["whip"]
        if not isinstance(whip, dict) or not whip:
            raise reader.error(f'whip must be a table such as {{ "666" = "aye" }}', key="whip", array="edit", index=i)
        return [("whip", str(k), v) for k, v in whip.items()]
    if target not in e or "vote" not in e:
        raise reader.error(f"an [[edit]] needs {target} and vote (or whip)", f'Write {target} = "..." and vote = "aye"', array="edit", index=i)
    return [(target, str(e[target]), e["vote"])]


def _load_edits(reader: _Reader, title: str) -> Scenario:
    _check_keys(reader, _TOP_EDITS, "real-division")
    data = reader.data
    base = data["base"]
    if not isinstance(base, str):
        raise reader.error("base must be a string", key="base")
    divisions = data.get("divisions", [])
    if not isinstance(divisions, list):
        raise reader.error('divisions must be a list such as ["666", "667"]', key="divisions")
    edits = []
    for i, e in enumerate(reader.entries("edit")):
        unknown = set(e) - {"party", "division", "vote", "whip"}
        if unknown:
            key = sorted(unknown)[0]
            raise reader.error(f"unknown key {key!r} in an [[edit]] of real divisions", "Keys are: party, division and vote, or party and whip", key=key, array="edit", index=i)
        party = e.get("party")
        if not isinstance(party, str) or not party.strip():
            raise reader.error("an [[edit]] needs a party", 'Write party = "Labour"', key="party", array="edit", index=i)
        for key, division, vote in _edit_votes(reader, e, i, "division"):
            if not isinstance(vote, str):
                raise reader.error(f"{vote!r} is not a stance", _STANCE_HELP, key="vote" if key == "division" else key, array="edit", index=i)
            line = reader.lines.of("vote" if key == "division" else key, "edit", i)
            edits.append(PartyEdit(party, division, vote, line, reader.lines.of("party", "edit", i)))
    if not edits and not divisions:
        raise reader.error("no [[edit]] tables and no divisions to evaluate", "Add [[edit]] tables", key="base")
    quota = data.get("quota")
    if quota is not None:
        quota = _whole(reader, quota, "quota", key="quota")
    return Scenario(reader.path, title, base=base, divisions=tuple(str(d) for d in divisions), edits=tuple(edits), quota=quota, reader=reader)


# --------------------------------------------------------------------------- evaluating


@dataclass(frozen=True)
class Outcome:
    """One division (or option) under the scenario, and as declared or recorded."""

    id: str
    label: str
    ayes: int
    noes: int
    before_ayes: int
    before_noes: int

    @property
    def passed(self) -> bool:
        """More Ayes than Noes (a tie is lost: the Speaker votes against the motion)."""
        return self.ayes > self.noes

    @property
    def passed_before(self) -> bool:
        return self.before_ayes > self.before_noes

    def to_dict(self) -> dict:
        return {
            "id": self.id, "label": self.label, "ayes": self.ayes, "noes": self.noes, "passed": self.passed,
            "before": {"ayes": self.before_ayes, "noes": self.before_noes, "passed": self.passed_before},
        }


@dataclass(frozen=True)
class ScenarioResult:
    """Each division's result, the head to head of the options, and the power of each bloc."""

    scenario: Scenario
    outcomes: tuple[Outcome, ...]
    analysis: MajorityAnalysis | None
    power: PowerIndices
    blocs: dict[str, tuple[str, ...]]
    """Each bloc (or party) and its players in the game: itself, or its members when unwhipped."""
    minimal_winning: tuple[tuple[str, ...], ...] | None
    house: HouseCount | None = None
    source: str = ""
    patterns: VotingPatterns | None = None
    """The votes with the edits applied (edits scenarios; parties merged by the catalogue's aliases)."""

    def bloc_power(self) -> dict[str, tuple[int, float, float]]:
        """{bloc: (size, Shapley-Shubik, normalised Banzhaf)} summed over the bloc's players."""
        weights = dict(zip(self.power.game.players, self.power.game.weights))
        out = {}
        for bloc, players in self.blocs.items():
            ss, bz = self.power.total(players)
            out[bloc] = (sum(weights[p] for p in players), float(ss), float(bz))
        return out


def evaluate_scenario(scenario: Scenario, house: House | None = None) -> ScenarioResult:
    """Evaluate a scenario; ``house`` replaces a real-division scenario's base (e.g. a store)."""
    if scenario.kind == "blocs":
        return _evaluate_blocs(scenario)
    return _evaluate_edits(scenario, house)


def _bloc_patterns(blocs: Sequence[Bloc], options: Sequence[Option]) -> VotingPatterns:
    """Each bloc's members lined up from the keenest: on every option the first A vote Aye,
    the last N No, and those between abstain."""
    parties, rows, counts = [], [], []
    for b in blocs:
        cuts = sorted({0, b.size, *(c for s in b.stances.values() for c in (s.ayes, b.size - s.noes))})
        for lo, hi in zip(cuts, cuts[1:]):
            codes = []
            for o in options:
                s = b.stances.get(o.id, Stance(0, 0))
                codes.append(AYE if lo < s.ayes else NO if lo >= b.size - s.noes else NO_VOTE)
            parties.append(b.name)
            rows.append(codes)
            counts.append(hi - lo)
    codes = np.array(rows, dtype=np.int8).reshape(len(rows), len(options))
    return VotingPatterns(tuple(o.id for o in options), tuple(parties), codes, np.array(counts, dtype=np.int64)).with_parties({})


def _game(sizes: Mapping[str, int], unwhipped: set[str], quota: int) -> tuple[WeightedGame, dict[str, tuple[str, ...]]]:
    """Whipped blocs as players weighted by size; an unwhipped bloc's members one player each."""
    weights: dict[str, int] = {}
    players: dict[str, tuple[str, ...]] = {}
    for name, size in sizes.items():
        if size <= 0:
            continue
        if name in unwhipped:
            members = tuple(f"{name} {i}" for i in range(1, size + 1)) if size > 1 else (name,)
            for m in members:
                weights[m] = 1
            players[name] = members
        else:
            weights[name] = size
            players[name] = (name,)
    return WeightedGame.from_weights(weights, quota), players


def _evaluate_blocs(s: Scenario) -> ScenarioResult:
    after = _bloc_patterns(s.blocs, s.options)
    before = _bloc_patterns(s.declared, s.options)
    outcomes = []
    for o in s.options:
        ayes, noes = counted_totals(after, o.id)
        b_ayes, b_noes = counted_totals(before, o.id)
        outcomes.append(Outcome(o.id, o.label, ayes, noes, b_ayes, b_noes))
    analysis = None
    if len(s.options) >= 2:
        divisions = {
            o.id: Division(o.id, "scenario", None, o.label, ayes=out.ayes, noes=out.noes)
            for o, out in zip(s.options, outcomes)
        }
        opts = [Option(o.id, o.label, (o.id,), o.short) for o in s.options]
        analysis = analyse_majority(after, opts, divisions)
    total = sum(b.size for b in s.blocs)
    quota = s.quota if s.quota is not None else majority_quota(s.house if s.house is not None else total)
    game, players = _game({b.name: b.size for b in s.blocs}, {b.name for b in s.blocs if not b.whipped}, quota)
    power = power_indices(game)
    minimal = None
    if game.num_players <= MINIMAL_WINNING_PLAYERS:
        minimal = tuple(minimal_winning_coalitions(game))
    return ScenarioResult(s, tuple(outcomes), analysis, power, players, minimal, source=str(s.path))


def _base_house(s: Scenario) -> House:
    if s.base in BUNDLED_BASES:
        return CaseHouse(load_case(BUNDLED_BASES[s.base]))
    path = (s.path.parent / s.base).resolve()
    if not path.exists():
        raise s.reader.error(
            f"base {s.base!r} is neither a bundled case ({', '.join(BUNDLED_BASES)}) nor a path to division records",
            key="base",
        )
    from tellers.records.readers import load_records

    catalogue = load_case().catalogue
    return CaseHouse(case_from_records(load_records(path), catalogue, f"{path} (member-level records)"))


def _evaluate_edits(s: Scenario, house: House | None) -> ScenarioResult:
    house = house or _base_house(s)
    reader = s.reader
    held = {t.id: t for t in house.divisions()}
    aliases = house.catalogue.party_aliases
    for e in s.edits:
        if e.division not in held:
            raise ScenarioError(s.path, e.line, f"no division {e.division!r} in {house.source}", f"Divisions are: {', '.join(held)}")
    for d in s.divisions:
        if d not in held:
            raise reader.error(f"no division {d!r} in {house.source}", f"Divisions are: {', '.join(held)}", key="divisions")
    days = {held[e.division].date for e in s.edits}
    evaluated = list(s.divisions) or [d for d, t in held.items() if t.date in days]
    same_days = {held[d].date for d in evaluated} | days
    columns = list(dict.fromkeys([*evaluated, *(d for d, t in held.items() if t.date in same_days)]))
    base = house.voting_patterns(columns).with_parties(dict(aliases))
    short = {v.lower(): k for k, v in house.catalogue.party_short.items()}
    edited = _apply_edits(s, base, held, short)
    outcomes = []
    for d in evaluated:
        ayes, noes = counted_totals(edited, d)
        b_ayes, b_noes = counted_totals(base, d)
        option = house.catalogue.by_division(d)
        outcomes.append(Outcome(d, option.label if option else held[d].title, ayes, noes, b_ayes, b_noes))
    analysis = None
    if len(evaluated) >= 2:
        opts, divisions = [], {}
        for d, out in zip(evaluated, outcomes):
            known = house.catalogue.by_division(d)
            opts.append(Option(d, out.label, (d,), known.short if known else ""))
            divisions[d] = replace(house.division_record(d), ayes=out.ayes, noes=out.noes)
        analysis = analyse_majority(edited.select(evaluated), opts, divisions)
    count = count_house(base, house.division_record(evaluated[0]), aliases)
    game = count.party_game(s.quota)
    power = power_indices(game)
    players = {p: (p,) for p in count.parties}
    if count.unwhipped:
        players["Independent"] = count.unwhipped
    return ScenarioResult(s, tuple(outcomes), analysis, power, players, None, count, house.source, edited)


def _apply_edits(
    s: Scenario, base: VotingPatterns, held: Mapping[str, Any], short: Mapping[str, str] | None = None
) -> VotingPatterns:
    """The recorded votes with each edit applied to its party's members present that day.

    A party is named as the lists spell it, in any case, or by its short name ("SNP")."""
    rows = np.repeat(np.arange(len(base.parties)), base.counts)
    codes = base.codes[rows].copy()
    parties = np.array(base.parties, dtype=object)[rows]
    names = [n for members in base.members for n in members] if base.members is not None else None
    known = sorted(set(base.parties))
    by_name = {p.lower(): p for p in known} | {k: v for k, v in (short or {}).items() if v in known}
    for e in s.edits:
        party = by_name.get(e.party.strip().lower())
        if party is None:
            raise ScenarioError(s.path, e.party_line or e.line, f"unknown party {e.party!r}", f"Parties are: {', '.join(known)}")
        day = held[e.division].date
        same_day = [j for j, d in enumerate(base.divisions) if held[d].date == day]
        present = np.flatnonzero((parties == party) & np.isin(codes[:, same_day], VOTED).any(axis=1))
        try:
            stance = Stance.parse(e.vote, len(present))
        except ValueError as exc:
            raise ScenarioError(
                s.path, e.line, f"{e.party} on {e.division} ({len(present)} members present that day): {exc}", _STANCE_HELP,
            ) from None
        j = base.divisions.index(e.division)
        codes[present, j] = NO_VOTE
        codes[present[: stance.ayes], j] = AYE
        codes[present[stance.ayes : stance.ayes + stance.noes], j] = NO
    if names is None:
        table = VotingPatterns.from_members(base.divisions, [""] * len(rows), list(parties), codes)
        return replace(table, members=None)
    return VotingPatterns.from_members(base.divisions, names, list(parties), codes)


# --------------------------------------------------------------------------- the bundled example


def party_scenario_toml(question: str = "1apr") -> str:
    """The bundled 2019 Commons as a bloc scenario: each party's eligible members and how
    they split on the question's options (from the bundled aggregate)."""
    case = load_case()
    q = case.catalogue.questions[question]
    options = [case.catalogue.options[o] for o in q.options]
    tested = [o.divisions[-1] if q.tested == "latest" else o.divisions[0] for o in options]
    aliases = case.catalogue.party_aliases
    patterns = case.patterns.with_parties(dict(aliases))
    count = count_house(patterns, case.divisions[tested[0]], aliases)
    header = (
        f"{case.catalogue.title}: {q.title}. Generated by tellers.parliament.coalitions.scenario.party_scenario_toml() "
        "from the bundled aggregate (regenerate: python -m tellers.parliament.coalitions.scenario). Blocs are the "
        f"parties' members eligible to vote: {count.explanation()}. Stances are each party's real Aye and No "
        "counts (tellers, who are not counted in the totals, abstain here)."
    )
    lines = [
        *(f"# {line}" for line in textwrap.wrap(header, 88)),
        f"# {ATTRIBUTION}",
        "",
        f'title = "{q.title.split(":")[0]}: the House by party"',
        f"house = {count.eligible}",
        f"quota = {count.quota}",
    ]
    for o, d in zip(options, tested):
        lines += ["", "[[option]]", f'id = "{o.id}"', f'label = "{o.label}"', f'short = "{o.short}"', f'division = "{d}"']
    blocs: list[tuple[str, int, bool]] = [(p, n, True) for p, n in count.parties.items()]
    if count.unwhipped:
        blocs.append(("Independent", len(count.unwhipped), False))
    for party, size, whipped in blocs:
        members = [i for i, p in enumerate(patterns.parties) if (is_unwhipped(p) if not whipped else p == party)]
        lines += ["", "[[bloc]]", f'name = "{party}"', f"size = {size}"]
        if not whipped:
            lines.append("whipped = false  # members without a party whip: one player each in the power game")
        for o, d in zip(options, tested):
            j = patterns.divisions.index(d)
            ayes = int(sum(patterns.counts[i] for i in members if patterns.codes[i, j] == AYE))
            noes = int(sum(patterns.counts[i] for i in members if patterns.codes[i, j] == NO))
            lines.append(f'{o.id} = "{Stance(ayes, noes).text(size)}"')
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates the bundled example
    EXAMPLE.write_text(party_scenario_toml(), encoding="utf-8")
    print(f"wrote {EXAMPLE}")
