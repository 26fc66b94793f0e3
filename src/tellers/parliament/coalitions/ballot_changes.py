"""Making an option win head to head: the fewest members whose ballots must change.

Among revealed preferences (:mod:`tellers.parliament.preferences.revealed`), X must beat
each rival Y: more members prefer X to Y (Aye on X, No on Y) than Y to X. A member whose
ballot changes is best placed voting Aye on X: that never lowers X's margin over any
rival. With X at Aye, their ballot favours X over Y exactly when they vote No on Y. So
the variables are how many members of each group change their ballot (Aye on X), and how
many of those also switch to No on each rival; "X beats Y" for the pair, or for every
other option (X the Condorcet winner), are linear constraints, solved as in
:mod:`.switching`: the fewest members, then those who need the fewest votes changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from tellers.ballots.profile import UNRANKED
from tellers.errors import TellersError
from tellers.parliament.coalitions.switching import (
    AYE, NO, TELLER_AYE, TELLER_NO, WhatIfError, _groups, _names, _solve, _vote_name,
)
from tellers.parliament.house import House
from tellers.parliament.options import Option, choose_options, distinct_labels
from tellers.parliament.preferences.revealed import revealed_levels, revealed_profile
from tellers.records.patterns import VotingPatterns


@dataclass(frozen=True)
class BallotChange:
    """One member's changed ballot over the options: their votes before and after."""

    member: str | None
    party: str
    before: dict[str, str]
    after: dict[str, str]
    reason: str

    def to_dict(self) -> dict:
        return {"member": self.member, "party": self.party, "from": self.before, "to": self.after, "reason": self.reason}


@dataclass(frozen=True)
class BallotFlip:
    """The fewest ballot changes that make ``winner`` beat each of ``rivals`` head to head."""

    options: tuple[str, ...]
    winner: str
    rivals: tuple[str, ...]
    margins_before: dict[str, int]
    """The winner's margin over each rival (members preferring it minus preferring the rival)."""
    margins_after: dict[str, int]
    fewest_changes: int
    vote_changes: int
    """Individual votes changed by those members (the secondary objective)."""
    changes: tuple[BallotChange, ...]
    excluded: int

    def to_dict(self) -> dict:
        return {
            "options": list(self.options),
            "winner": self.winner,
            "rivals": list(self.rivals),
            "margins_before": dict(self.margins_before),
            "margins_after": dict(self.margins_after),
            "fewest_changes": self.fewest_changes,
            "vote_changes": self.vote_changes,
            "changes": [c.to_dict() for c in self.changes],
            "cannot_vote": self.excluded,
        }


def fewest_ballot_changes(
    patterns: VotingPatterns,
    options: Sequence[Option],
    divisions: Sequence[str],
    winner: int,
    rivals: Sequence[int] | None = None,
    *,
    aliases: Mapping[str, str] | None = None,
    chamber: str = "Commons",
    when: date | None = None,
) -> BallotFlip:
    """The fewest members whose ballots must change for ``options[winner]`` to beat every
    rival (default: every other option, i.e. to be the Condorcet winner) head to head.

    ``divisions[i]`` is the division that counts for ``options[i]``; margins are those of
    :func:`~tellers.parliament.preferences.revealed_profile`.
    """
    aliases = dict(aliases or {})
    m = len(options)
    rivals = [r for r in (range(m) if rivals is None else rivals) if r != winner]
    if not rivals:
        raise WhatIfError("name at least one rival option for the winner to beat")
    labels = [o.label for o in options]
    table = patterns.select(list(divisions))
    margins = revealed_profile(table, options, divisions).margins
    groups, excluded = _groups(table, when, chamber, aliases)
    levels = [revealed_levels(g.codes) for g in groups]

    def pref(level: np.ndarray, a: int, b: int) -> int:
        """+1 if the ballot puts a above b, -1 below, 0 level or unknown."""
        if level[a] == UNRANKED or level[b] == UNRANKED or level[a] == level[b]:
            return 0
        return 1 if level[a] < level[b] else -1

    G = len(groups)
    # variables: y_g (members of g whose ballots change), then z_gr (of those, No on rival r)
    z_index: dict[tuple[int, int], int] = {}
    for g in range(G):
        for r in rivals:
            if groups[g].codes[r] not in (NO, TELLER_NO):
                z_index[g, r] = G + len(z_index)
    nv = G + len(z_index)
    A_rows, lbs = [], []
    for r in rivals:
        row = np.zeros(nv)
        for g, lv in enumerate(levels):
            now = pref(lv, winner, r)
            row[g] = (1 if groups[g].codes[r] in (NO, TELLER_NO) else 0) - now
            if (g, r) in z_index:
                row[z_index[g, r]] = 1
        A_rows.append(row)
        lbs.append(1 - margins[winner, r])
    for (g, r), k in z_index.items():  # z_gr <= y_g
        row = np.zeros(nv)
        row[k], row[g] = 1, -1
        A_rows.append(row)
        lbs.append(-np.inf)
    ubs = [np.inf] * len(rivals) + [0] * len(z_index)
    upper = np.array([g.count for g in groups])
    cost = np.zeros(nv)
    cost[:G] = [0 if g.codes[winner] in (AYE, TELLER_AYE) else 1 for g in groups]
    cost[G:] = 1
    bounds_upper = np.concatenate([upper, [groups[g].count for (g, _) in z_index]])
    x = _solve(cost, np.array(A_rows), np.array(lbs, float), np.array(ubs, float), bounds_upper, G)
    if x is None:
        raise WhatIfError(f"no set of ballot changes among the eligible members makes {labels[winner]} beat every rival")
    changes = []
    for g, group in enumerate(groups):
        k = int(x[g])
        if k <= 0:
            continue
        to_no = {r: int(x[z_index[g, r]]) for r in rivals if (g, r) in z_index}
        for i, name in enumerate(_names(group, 0, k)):
            before = {labels[c]: _vote_name(group.codes[c]) for c in range(m)}
            after = dict(before)
            after[labels[winner]] = "aye"
            for r, n_no in to_no.items():
                if i < n_no:
                    after[labels[r]] = "no"
            changed = [f"{lab}: {before[lab]} -> {after[lab]}" for lab in labels if before[lab] != after[lab]]
            why = "already voted Aye on " + labels[winner] + "; " if before[labels[winner]] == "aye" else ""
            changes.append(BallotChange(name, group.party, before, after, why + "changes " + ", ".join(changed)))
    changes.sort(key=lambda c: (sum(c.before[k] != c.after[k] for k in labels), c.party, c.member or ""))
    after_margins = {}
    for r in rivals:
        delta = sum(
            (1 if c.after[labels[r]] == "no" else 0) - _pref_votes(c.before, labels[winner], labels[r]) for c in changes
        )
        after_margins[labels[r]] = int(margins[winner, r]) + delta
    return BallotFlip(
        tuple(labels), labels[winner], tuple(labels[r] for r in rivals),
        {labels[r]: int(margins[winner, r]) for r in rivals}, after_margins,
        len(changes), sum(sum(c.before[k] != c.after[k] for k in labels) for c in changes), tuple(changes), excluded,
    )


def _pref_votes(votes: Mapping[str, str], a: str, b: str) -> int:
    """+1 if votes put a above b (Aye a, No b), -1 the reverse, else 0."""
    if votes[a] == "aye" and votes[b] == "no":
        return 1
    if votes[a] == "no" and votes[b] == "aye":
        return -1
    return 0


def whatif_condorcet(house: House, winner: str, options: str | Sequence[str], tested: str | None = None) -> BallotFlip:
    """The fewest ballot changes for ``winner`` to beat every one of ``options`` head to head
    (``winner`` joins them when they leave it out; a question id names its options)."""
    return whatif_options(house, options, winner, None, tested, including=winner)


def whatif_options(
    house: House,
    options: str | Sequence[str],
    winner: str,
    rivals: Sequence[str] | None = None,
    tested: str | None = None,
    *,
    including: str | None = None,
) -> BallotFlip:
    """:func:`fewest_ballot_changes` for options named as users name them
    (:func:`~tellers.parliament.options.choose_options`); ``winner`` and ``rivals`` too."""
    chosen = choose_options(house, options, tested, including=including)
    ids = [d.id for d in chosen.divisions]
    index = {d: i for i, d in enumerate(ids)}
    try:
        w = index[chosen.division_of(winner)]
        rv = None if rivals is None else [index[chosen.division_of(r)] for r in rivals]
    except TellersError as exc:
        raise WhatIfError(str(exc)) from None
    opts = distinct_labels(chosen.options, ids)
    last = max((d.date for d in chosen.divisions if d.date is not None), default=None)
    patterns = house.voting_patterns(ids)
    return fewest_ballot_changes(
        patterns, opts, ids, w, rv, aliases=house.catalogue.party_aliases,
        chamber=chosen.divisions[0].chamber, when=last,
    )
