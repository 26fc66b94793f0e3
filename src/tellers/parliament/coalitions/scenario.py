"""Evaluating a scenario: what if the blocs had voted otherwise?

Gives each division's result (before and after the edits), the head-to-head table of the
options (the same analysis as ``tellers majority``) and the power of each bloc (parties,
for real divisions); what changed against the record (:mod:`.scenario_changes`) and which
edits changed nothing (:mod:`.scenario_edits`). Scenario files are read by
:mod:`tellers.parliament.coalitions.scenario_file`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from tellers.parliament.head_to_head import MajorityAnalysis, analyse_majority
from tellers.parliament.cases import COMMONS_2019, case_from_records, load_case
from tellers.parliament.house import CaseHouse, House
from tellers.records.model import Division
from tellers.parliament.options import Option
from tellers.records.patterns import VotingPatterns
from tellers.records.store.results import DivisionTotals
from tellers.chambers import judge
from tellers.wording import few, plural
from tellers.parliament.coalitions.games import PowerIndices, WeightedGame, listed_coalitions, majority_quota, power_indices
from tellers.parliament.coalitions.quota import HouseCount, count_house
from tellers.parliament.coalitions.scenario_changes import ScenarioChanges, compare
from tellers.parliament.coalitions.scenario_edits import AYE, NO, NO_VOTE, apply_edits
from tellers.parliament.coalitions.scenario_file import Bloc, Scenario, ScenarioError, Stance
from tellers.parliament.coalitions.whatif import counted_totals

BUNDLED_BASES = {"commons2019": COMMONS_2019}



@dataclass(frozen=True)
class Outcome:
    """One division (or option) under the scenario, and as declared or recorded."""

    id: str
    label: str
    ayes: int
    noes: int
    before_ayes: int
    before_noes: int
    division: Division | None = None
    """The division edited, whose chamber's rules decide (None: a bloc scenario, decided by a
    simple majority, a tie lost)."""
    sworn: int | None = None

    def _carries(self, ayes: int, noes: int) -> bool | None:
        d = self.division
        if d is None:
            return judge("scenario", ayes=ayes, noes=noes, title=self.label).counted
        return judge(d.chamber, ayes=ayes, noes=noes, question=d.question, title=d.title, when=d.date,
                     sworn=self.sworn).counted

    @property
    def passed(self) -> bool | None:
        """Carried under the chamber's rules (None: a tie only a casting vote of unknown direction
        decides); the record's result while the votes are as recorded."""
        if (self.ayes, self.noes) == (self.before_ayes, self.before_noes):
            return self.passed_before
        return self._carries(self.ayes, self.noes)

    @property
    def passed_before(self) -> bool | None:
        """As recorded where the record gives a result, else under the chamber's rules."""
        if self.division is not None and self.division.passed is not None:
            return self.division.passed
        return self._carries(self.before_ayes, self.before_noes)

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
    before: MajorityAnalysis | None = None
    """The head to head as recorded (edits) or as declared (blocs)."""
    changes: ScenarioChanges | None = None
    """The division results and head-to-head verdicts the scenario changes, against ``before``."""
    notices: tuple[str, ...] = ()
    """Edits that change no vote, each in a sentence."""

    def as_before(self) -> ScenarioResult:
        """The same divisions with no edit: as recorded (or declared), the head to head ``before``."""
        outcomes = tuple(replace(o, ayes=o.before_ayes, noes=o.before_noes) for o in self.outcomes)
        return replace(self, outcomes=outcomes, analysis=self.before, patterns=None, changes=None, notices=())

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
    analysis = declared = None
    if len(s.options) >= 2:
        opts = [Option(o.id, o.label, (o.id,), o.short) for o in s.options]
        analysis = analyse_majority(after, opts, {
            o.id: Division(o.id, "scenario", None, o.label, ayes=out.ayes, noes=out.noes) for o, out in zip(s.options, outcomes)
        })
        declared = analyse_majority(before, opts, {
            o.id: Division(o.id, "scenario", None, o.label, ayes=out.before_ayes, noes=out.before_noes)
            for o, out in zip(s.options, outcomes)
        })
    total = sum(b.size for b in s.blocs)
    quota = s.quota if s.quota is not None else majority_quota(s.house if s.house is not None else total)
    game, players = _game({b.name: b.size for b in s.blocs}, {b.name for b in s.blocs if not b.whipped}, quota)
    power = power_indices(game)
    listed = listed_coalitions(game)
    minimal = None if listed is None else tuple(listed)
    changes = compare(outcomes, declared, analysis, "the blocs as declared")
    return ScenarioResult(s, tuple(outcomes), analysis, power, players, minimal, source=str(s.path), before=declared,
                          changes=changes, notices=s.notices)


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
            raise ScenarioError(s.path, e.line, f"no division {e.division!r} in {house.source}", _held(held))
    for d in s.divisions:
        if d not in held:
            raise reader.error(f"no division {d!r} in {house.source}", _held(held), key="divisions")
    days = {held[e.division].date for e in s.edits}
    evaluated = list(s.divisions) or [d for d, t in held.items() if t.date in days]
    same_days = {held[d].date for d in evaluated} | days
    columns = list(dict.fromkeys([*evaluated, *(d for d, t in held.items() if t.date in same_days)]))
    base = house.voting_patterns(columns).with_parties(dict(aliases))
    short = {v.lower(): k for k, v in house.catalogue.party_short.items()}
    labels = {d: _label(house, held, d) for d in columns}
    applied = apply_edits(s, base, held, {d: f"{label} ({d})" for d, label in labels.items()}, short)
    edited = applied.patterns
    outcomes = []
    for d in evaluated:
        ayes, noes = counted_totals(edited, d)
        b_ayes, b_noes = counted_totals(base, d)
        outcomes.append(Outcome(d, labels[d], ayes, noes, b_ayes, b_noes, house.division_record(d), held[d].listed or None))
    analysis = recorded = None
    if len(evaluated) >= 2:
        opts = []
        for d in evaluated:
            known = house.catalogue.by_division(d)
            opts.append(Option(d, labels[d], (d,), known.short if known else ""))
        analysis = analyse_majority(edited.select(evaluated), opts, {
            d: replace(house.division_record(d), ayes=out.ayes, noes=out.noes) for d, out in zip(evaluated, outcomes)
        })
        recorded = analyse_majority(base.select(evaluated), opts, {d: house.division_record(d) for d in evaluated})
    count = count_house(base, house.division_record(evaluated[0]), aliases)
    game = count.party_game(s.quota)
    power = power_indices(game)
    players = {p: (p,) for p in count.parties}
    if count.unwhipped:
        players["Independent"] = count.unwhipped
    return ScenarioResult(s, tuple(outcomes), analysis, power, players, None, count, house.source, edited, before=recorded,
                          changes=compare(outcomes, recorded, analysis, "the record"), notices=applied.notices)


def _held(held: Mapping[str, DivisionTotals]) -> str:
    """The fix for a division the base lacks: what it holds (a count and a few ids: it may hold thousands)."""
    return f"It holds {plural(len(held), 'division')}: {few(held)}"


def _label(house: House, held: Mapping[str, DivisionTotals], division: str) -> str:
    """The division's option label in the catalogue, else its title."""
    option = house.catalogue.by_division(division)
    return option.label if option else held[division].title
