"""The house as it stood on a division's day: who could vote, and the quota that implies.

How the count goes, for one division:

1. *Listed*: every member in the division list (the members the records hold for that
   division, whatever they did: aye, no, teller or no vote). A vacant seat has no one
   listed; a source that lists a member who has died counts them (the long 2019 CSV
   lists Paul Flynn, who died on 17 February 2019, in every division).
2. Minus the *presiding officers*, who do not vote: the Speaker (party "Speaker" in the
   Commons lists) and the three Deputy Speakers, named per Parliament in
   :data:`tellers.chambers.commons.PRESIDING_OFFICERS` (a Deputy Speaker keeps their party label in the lists).
3. Minus the members of parties that do not take their seats
   (:data:`tellers.chambers.commons.ABSTENTIONIST_PARTIES`: Sinn Féin, seven MPs in 2019).
4. What is left is *eligible*; a motion needs more Ayes than Noes, and a majority of
   the whole eligible house is ``eligible // 2 + 1`` — the quota of the weighted game.

In the bundled aggregate, which has no names, each Deputy Speaker is taken out of a row of
their party instead: the row whose members recorded no vote most often (a presiding officer
never votes), so that the count, and who may be chosen to switch (:mod:`.whatif`), are the
same as from the member-level records. For 1 April 2019: 650 listed - 1 Speaker - 3 deputies - 7 Sinn
Féin = 639 eligible, quota 320.

Members without a party whip (label "Independent" and the like) are not a bloc: in the
party game each is a player of weight 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from tellers.records.model import Division
from tellers.records.patterns import NO_VOTE, VotingPatterns
from tellers.records.parties import NON_PARTIES
from tellers.chambers import rules_for
from tellers.chambers.commons import presiding_officers
from tellers.parliament.coalitions.games import WeightedGame
from tellers.wording import plural


def is_unwhipped(party: str) -> bool:
    """True for labels that group members without a party line (Independent, none)."""
    return party.strip().lower() in NON_PARTIES


@dataclass(frozen=True)
class HouseCount:
    """Who could vote in one division, by party, and the quota that implies."""

    division: Division
    listed: int
    presiding: tuple[str, ...]
    """The presiding officers taken out (names, or "a Labour Deputy Speaker" without names)."""
    abstentionist: dict[str, int]
    parties: dict[str, int]
    """Eligible members per whipped party, largest first."""
    unwhipped: tuple[str, ...]
    """Eligible members without a party whip, one player each."""
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Eligible members' names per party (empty without member-level records)."""

    @property
    def eligible(self) -> int:
        return sum(self.parties.values()) + len(self.unwhipped)

    @property
    def quota(self) -> int:
        """The Ayes that carry the division's question when every eligible member votes, by the
        chamber's rules (in the Commons a majority of the eligible house; for Senate cloture
        three fifths of those sworn)."""
        d = self.division
        return rules_for(d.chamber).quota(self.eligible, d.question, d.title, d.date)

    def explanation(self) -> str:
        """How the eligible members were counted, in one sentence."""
        parts = [f"{plural(self.listed, 'member')} in the division list"]
        if self.presiding:
            parts.append(f"{plural(len(self.presiding), 'presiding officer')} ({', '.join(self.presiding)})")
        for party, n in self.abstentionist.items():
            parts.append(f"{plural(n, party + ' member')}, who do not take their seats")
        d = self.division
        majority = rules_for(d.chamber).majority(d.question, d.title, d.date)
        needs = f"a majority of them is {self.quota}" if majority.simple else f"the question needs {majority.describe()}: {self.quota}"
        return " - ".join(parts) + f" = {self.eligible} eligible to vote; {needs}"

    def party_game(self, quota: int | None = None) -> WeightedGame:
        """Parties as players weighted by their eligible members; each unwhipped member a player of weight 1."""
        weights = dict(self.parties)
        for name in self.unwhipped:
            weights[name] = 1
        return WeightedGame.from_weights(weights, self.quota if quota is None else quota)

    def member_game(self, quota: int | None = None) -> tuple[WeightedGame, dict[str, str]]:
        """Every eligible member a player of weight 1, and each player's party."""
        party_of: dict[str, str] = {}
        for party, n in self.parties.items():
            names = self.members.get(party) or tuple(f"{party} {i}" for i in range(1, n + 1))
            for name in names:
                party_of[name] = party
        for name in self.unwhipped:
            party_of[name] = "Independent"
        game = WeightedGame.from_weights(dict.fromkeys(party_of, 1), self.quota if quota is None else quota)
        return game, party_of


@dataclass(frozen=True)
class Eligible:
    """Who could vote, row by row of a voting-pattern table (see the module notes)."""

    parties: tuple[str, ...]
    """Each row's party, aliases applied."""
    counts: tuple[int, ...]
    """Each row's members who could vote."""
    names: tuple[tuple[str, ...] | None, ...]
    """Each row's eligible members by name (None without member-level records)."""
    presiding: tuple[str, ...]
    abstentionist: dict[str, int]

    @property
    def excluded(self) -> int:
        """Members left out as unable to vote."""
        return len(self.presiding) + sum(self.abstentionist.values())


def eligible_members(
    table: VotingPatterns, chamber: str, when: date | None, aliases: Mapping[str, str] | None = None
) -> Eligible:
    """The members of ``table`` who could vote in ``chamber`` on ``when``, row by row."""
    aliases = dict(aliases or {})
    rules = rules_for(chamber)
    officers = presiding_officers(when) if rules.cannot_vote_for else None
    parties = [aliases.get(p, p) for p in table.parties]
    counts = [int(n) for n in table.counts]
    names: list[tuple[str, ...] | None] = []
    presiding: list[str] = []
    abstentionist: dict[str, int] = {}
    for i, party in enumerate(parties):
        listed = list(table.members[i]) if table.members is not None else [None] * counts[i]
        keep = []
        for name in listed:
            why = rules.cannot_vote(name, party, when)
            if why in ("the Speaker", "a Deputy Speaker"):
                presiding.append(name or f"the {party}")
            elif why:
                abstentionist[party] = abstentionist.get(party, 0) + 1
            else:
                keep.append(name)
        counts[i] = len(keep)
        names.append(tuple(keep) if table.members is not None else None)
    if table.members is None and officers is not None:
        no_votes = (np.asarray(table.codes) == NO_VOTE).sum(axis=1)
        for name, party in officers.deputies.items():
            rows = [i for i, p in enumerate(parties) if p == party and counts[i] > 0]
            if rows:
                counts[max(rows, key=lambda i: (no_votes[i], -i))] -= 1
                presiding.append(f"{name} ({party})")
    return Eligible(tuple(parties), tuple(counts), tuple(names), tuple(presiding), abstentionist)


def count_house(
    patterns: VotingPatterns, division: Division, aliases: Mapping[str, str] | None = None
) -> HouseCount:
    """Count who could vote in ``division`` from the members ``patterns`` lists for it.

    ``patterns`` must hold the division; every member it holds is taken as listed.
    ``aliases`` merges party labels ("Labour (Co-op)" into "Labour").
    """
    table = patterns.select([division.id])
    eligible = eligible_members(table, division.chamber, division.date, aliases)
    members: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    unwhipped: list[str] = []
    for party, n, names in zip(eligible.parties, eligible.counts, eligible.names):
        if is_unwhipped(party):
            unwhipped.extend(names if names is not None else [""] * n)
            continue
        counts[party] = counts.get(party, 0) + n
        if names:
            members.setdefault(party, []).extend(names)
    unwhipped_names = tuple(
        f"{name} (Independent)" if name else f"Independent {i}" for i, name in enumerate(sorted(unwhipped), start=1)
    )
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return HouseCount(
        division,
        int(np.sum(table.counts)),
        eligible.presiding,
        eligible.abstentionist,
        {p: n for p, n in order if n > 0},
        unwhipped_names,
        {p: tuple(sorted(members.get(p, ()))) for p, _ in order if members.get(p)},
    )
