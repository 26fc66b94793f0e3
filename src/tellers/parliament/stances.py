"""Party stances on the options compared: "what if party P had voted aye / no / abstained on X?"

The web page's scenario panel sends a list of such stances. They are evaluated as a
scenario of edits to the real divisions (:mod:`tellers.parliament.coalitions.scenario`, the engine
behind `tellers scenario`): the party's members present that day (who voted, or told,
in any division held that day) all vote the party's way in the division that counts for
X. Parties are merged by the catalogue's aliases first, so a Labour stance covers Labour
(Co-op) members too. This module only checks the stances and turns them into that
scenario: it counts nothing itself. A stance that changes no vote comes back as one of the
result's ``notices``; one for a party whose members cannot vote (Sinn Féin, the Speaker)
or none of whom was present that day is refused, with the reason, as a :class:`StanceError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tellers.parliament.coalitions.scenario import ScenarioResult, evaluate_scenario
from tellers.parliament.coalitions.scenario_file import PartyEdit, Scenario, ScenarioError
from tellers.errors import TellersError
from tellers.parliament.house import House
from tellers.parliament.options import ChosenOptions, choose_options
from tellers.parliament.splits import division_totals, party_splits
from tellers.records.store import DivisionResult

VOTES = ("aye", "no", "abstain")
"""A stance's vote."""

MAX_STANCES = 500
"""More stances than any house needs (parties x options): a larger list is refused."""

SOURCE = Path("stances")
"""The scenario's "file" name (what the engine's messages call it)."""


class StanceError(TellersError):
    """A stance names an unknown party or option, a vote other than aye, no, abstain, or a
    party none of whose members could vote, or was present, that day."""


@dataclass(frozen=True)
class Stance:
    """Every member of ``party`` present that day votes ``vote`` (aye, no, abstain) on ``option``."""

    party: str
    option: str
    """An option id or a division id among the options compared."""
    vote: str


@dataclass(frozen=True)
class StanceScenario:
    """The options' division results and head-to-head record with the stances, and as recorded."""

    stances: tuple[Stance, ...]
    chosen: ChosenOptions
    result: ScenarioResult
    recorded: ScenarioResult

    def division_results(self, house: House) -> list[DivisionResult]:
        """Each option's division as it would have gone: totals counted, split by party."""
        patterns = self.result.patterns
        return [
            DivisionResult(division_totals(patterns, d, f"{house.source}, with the stances", official=False),
                           party_splits(patterns, d.id), ())
            for d in self.chosen.divisions
        ]


def resolve(house: House, stances: Sequence[Stance], chosen: ChosenOptions) -> tuple[PartyEdit, ...]:
    """The stances as the scenario engine's edits, checked: known party, option and vote, and
    no two different stances for one party on one option."""
    if len(stances) > MAX_STANCES:
        raise StanceError(f"{len(stances)} stances; at most {MAX_STANCES}")
    parties = house.voting_patterns([d.id for d in chosen.divisions]).with_parties(dict(house.catalogue.party_aliases)).party_sizes()
    edits: dict[tuple[str, str], PartyEdit] = {}
    for i, s in enumerate(stances, start=1):
        vote = str(s.vote).strip().lower()
        if vote not in VOTES:
            raise StanceError(f"{s.party}'s stance on {s.option} is {s.vote!r}; a stance is one of {', '.join(VOTES)}")
        if s.party not in parties:
            raise StanceError(f"no party {s.party!r} here; parties are: {', '.join(parties)}")
        try:
            division = chosen.division_of(str(s.option))
        except TellersError as exc:
            raise StanceError(f"{s.party}'s stance: {exc}") from None
        key = (s.party, division)
        if key in edits and edits[key].vote != vote:
            raise StanceError(f"two different stances for {s.party} on {s.option}")
        edits[key] = PartyEdit(s.party, division, vote, i)
    return tuple(edits.values())


def evaluate(house: House, options: str | Sequence[str], stances: Sequence[Stance], tested: str | None = None) -> StanceScenario:
    """Each option's division result, the head to head and party power with ``stances`` applied."""
    chosen = choose_options(house, options, tested)
    edits = resolve(house, stances, chosen)
    ids = tuple(d.id for d in chosen.divisions)
    scenario = Scenario(SOURCE, "Party stances", base="house", divisions=ids, edits=edits)
    try:
        result = evaluate_scenario(scenario, house)
    except ScenarioError as exc:  # stances have no file and line: the problem alone
        raise StanceError(exc.problem) from None
    return StanceScenario(tuple(stances), chosen, result, result.as_before())
