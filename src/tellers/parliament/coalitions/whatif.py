"""What it would take: the fewest members whose votes, or ballots, must change.

Two integer programs, solved exactly with HiGHS (``scipy.optimize.milp``):

**Flipping a division.** A member moves between aye, no and not voting. To pass a
motion that failed: no -> aye moves the margin (ayes - noes) by two, no -> not voting
and not voting -> aye by one; the motion needs ayes > noes, because a tie is lost (the
Speaker's casting vote goes against the motion). To defeat a motion that passed, the
mirror moves, until ayes <= noes. Members who vote alike are one group, so the
variables are *how many* of each group make each move: integers bounded by the group.

**Making an option win head to head** (among revealed preferences, see
:mod:`tellers.parliament.preferences.revealed`): X must beat each rival Y, i.e. more members
prefer X to Y (Aye on X, No on Y) than Y to X. A member whose ballot changes is best
placed voting Aye on X: that never lowers X's margin over any rival. With X at Aye,
their ballot favours X over Y exactly when they vote No on Y. So the variables are how
many members of each group change their ballot (Aye on X), and how many of those also
switch to No on each rival; "X beats Y" for the pair, or for every other option (X the
Condorcet winner), are linear constraints.

Both are solved lexicographically: first the fewest members, then — with that number
fixed, so never at its expense — the members closest to switching: for a division,
those whose other votes point the same way (Aye on the same option in another
division, Aye on another option the same day, a party voting or split that way); for
ballots, those who need the fewest individual votes changed. Each change carries its
reason. Members who cannot vote (the Speaker and deputies, Sinn Féin: see
:mod:`.quota`) are never chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from tellers.errors import TellersError
from tellers.parliament.house import House
from tellers.parliament.options import choose_options
from tellers.records.model import Division, VoteKind
from tellers.parliament.options import Option
from tellers.records.patterns import KINDS, VotingPatterns
from tellers.parliament.preferences.revealed import revealed_levels, revealed_profile
from tellers.ballots.profile import UNRANKED
from tellers.parliament.coalitions.quota import eligible_members, is_unwhipped

AYE, NO, NO_VOTE = (KINDS.index(k) for k in (VoteKind.AYE, VoteKind.NO, VoteKind.NO_VOTE))
TELLER_AYE, TELLER_NO, BOTH = (KINDS.index(k) for k in (VoteKind.TELLER_AYE, VoteKind.TELLER_NO, VoteKind.BOTH))

TO_PASS = ((NO, AYE, 2), (NO, NO_VOTE, 1), (NO_VOTE, AYE, 1))
"""(from, to, how much the margin ayes - noes rises) for a motion to pass."""
TO_FAIL = ((AYE, NO, 2), (AYE, NO_VOTE, 1), (NO_VOTE, NO, 1))
"""(from, to, how much the margin falls) for a motion to fail."""

CLOSENESS_BASE = 10
"""Cost of changing a member with no sign of leaning that way; each sign lowers it."""
SAME_OPTION, SAME_DAY, PARTY_MAJORITY, PARTY_SPLIT = 4, 1, 2, 1
"""How much each sign lowers the cost (a lower cost is chosen first)."""
SPLIT_SHARE = 0.1
"""A party is split towards a side when at least this share of its voters took it."""


class WhatIfError(TellersError):
    """A what-if that cannot be answered: an unknown option, or no set of changes suffices."""


def _vote_name(code: int) -> str:
    """'aye', 'no' or 'no_vote' (tellers count for their side; both lobbies is no side)."""
    if code in (AYE, TELLER_AYE):
        return "aye"
    if code in (NO, TELLER_NO):
        return "no"
    return "no_vote"


# --------------------------------------------------------------------------- members


@dataclass(frozen=True)
class _Group:
    """Eligible members who share a party and a voting pattern."""

    party: str
    codes: np.ndarray
    count: int
    names: tuple[str, ...] | None


def _groups(patterns: VotingPatterns, when: date | None, chamber: str, aliases: Mapping[str, str]) -> tuple[list[_Group], int]:
    """The eligible members' groups, and how many members are left out as unable to vote."""
    eligible = eligible_members(patterns, chamber, when, aliases)
    groups = [
        _Group(party, codes, n, names)
        for party, codes, n, names in zip(eligible.parties, patterns.codes, eligible.counts, eligible.names)
        if n > 0
    ]
    return groups, eligible.excluded


def _names(group: _Group, start: int, count: int) -> list[str | None]:
    if group.names is None:
        return [None] * count
    return list(group.names[start : start + count])


def _solve(cost: np.ndarray, A: np.ndarray, lb: np.ndarray, ub: np.ndarray, upper: np.ndarray, counted: int) -> np.ndarray | None:
    """Lexicographic integer program: the fewest members (the sum of the first ``counted``
    variables), then, with that number fixed, the least ``cost``. None if infeasible."""
    nv = len(cost)
    if nv == 0:
        return None
    bounds = Bounds(np.zeros(nv), np.asarray(upper, dtype=float))
    integrality = np.ones(nv)
    count = np.zeros(nv)
    count[:counted] = 1
    constraints = [LinearConstraint(A, lb, ub)]
    first = milp(count, constraints=constraints, integrality=integrality, bounds=bounds)
    if first.status != 0:
        return None
    fewest = round(first.fun)
    fixed = LinearConstraint(count[None, :], fewest, fewest)
    second = milp(cost, constraints=[*constraints, fixed], integrality=integrality, bounds=bounds)
    x = first.x if second.status != 0 else second.x
    return np.round(x).astype(int)


# --------------------------------------------------------------------------- flipping a division


@dataclass(frozen=True)
class Evidence:
    """Another division whose vote says which way a member leans on this one."""

    division: str
    description: str
    """e.g. "Customs union on 27 Mar (658)" or "Common Market 2.0 the same day (667)"."""
    weight: int


@dataclass(frozen=True)
class Change:
    """One member's changed vote and why they are among the likeliest to change it."""

    member: str | None
    """None when the records have no names (the bundled aggregate)."""
    party: str
    from_: str
    to: str
    reason: str

    def to_dict(self) -> dict:
        return {"member": self.member, "party": self.party, "from": self.from_, "to": self.to, "reason": self.reason}


@dataclass(frozen=True)
class DivisionFlip:
    """The fewest vote changes that reverse a division's result, and one set of members."""

    division: Division
    ayes: int
    noes: int
    passed: bool
    fewest_changes: int
    changes: tuple[Change, ...]
    excluded: int
    """Members left out because they cannot vote (Speaker, deputies, Sinn Féin)."""

    @property
    def ayes_after(self) -> int:
        return self.ayes + sum(c.to == "aye" for c in self.changes) - sum(c.from_ == "aye" for c in self.changes)

    @property
    def noes_after(self) -> int:
        return self.noes + sum(c.to == "no" for c in self.changes) - sum(c.from_ == "no" for c in self.changes)

    def to_dict(self) -> dict:
        """``{"division", "title", "date", "ayes", "noes", "passed", "fewest_changes", "changes", "ayes_after", "noes_after"}``."""
        d = self.division
        return {
            "division": d.id,
            "title": d.title,
            "date": None if d.date is None else d.date.isoformat(),
            "ayes": self.ayes,
            "noes": self.noes,
            "passed": self.passed,
            "fewest_changes": self.fewest_changes,
            "changes": [c.to_dict() for c in self.changes],
            "ayes_after": self.ayes_after,
            "noes_after": self.noes_after,
        }


def counted_totals(patterns: VotingPatterns, division: str) -> tuple[int, int]:
    """Ayes and Noes as the official totals count them (both lobbies on each side, tellers in neither)."""
    both = patterns.tally(division, VoteKind.BOTH)
    return patterns.tally(division, VoteKind.AYE) + both, patterns.tally(division, VoteKind.NO) + both


def flip_division(
    patterns: VotingPatterns,
    division: Division,
    evidence: Sequence[Evidence] = (),
    *,
    aliases: Mapping[str, str] | None = None,
) -> DivisionFlip:
    """The fewest members whose votes must change to reverse ``division`` (see the module notes).

    ``patterns`` holds the division and every ``evidence`` division.
    """
    aliases = dict(aliases or {})
    cols = [division.id, *(e.division for e in evidence)]
    table = patterns.select(list(dict.fromkeys(cols)))
    ayes, noes = counted_totals(table, division.id)
    passed = ayes > noes
    moves, side = (TO_FAIL, (NO, TELLER_NO)) if passed else (TO_PASS, (AYE, TELLER_AYE))
    need = (ayes - noes) if passed else (noes - ayes + 1)
    groups, excluded = _groups(table, division.date, division.chamber, aliases)
    split = _party_splits(table, division.id, aliases)
    cols = list(table.divisions)

    variables: list[tuple[int, tuple[int, int, int]]] = []
    for g, group in enumerate(groups):
        for move in moves:
            if group.codes[0] == move[0]:
                variables.append((g, move))
    cost = np.array([_closeness(groups[g], side, evidence, cols, split)[0] for g, _ in variables], dtype=float)
    gain = np.array([move[2] for _, move in variables], dtype=float)
    upper = np.array([groups[g].count for g, _ in variables])
    # one margin row, then one capacity row per group (a member makes at most one move)
    rows = [gain]
    lbs, ubs = [need], [np.inf]
    for g, group in enumerate(groups):
        mask = np.array([gg == g for gg, _ in variables], dtype=float)
        if mask.sum() > 1:
            rows.append(mask)
            lbs.append(0)
            ubs.append(group.count)
    A = np.array(rows).reshape(len(rows), len(variables))
    x = _solve(cost, A, np.array(lbs, float), np.array(ubs, float), upper, len(variables))
    if x is None:
        raise WhatIfError(f"division {division.id}: no set of vote changes among the eligible members reverses it")
    chosen: list[tuple[int, Change]] = []
    used = [0] * len(groups)
    for (g, (frm, to, _)), k in zip(variables, x):
        if k <= 0:
            continue
        group = groups[g]
        closeness, reason = _closeness(group, side, evidence, cols, split)
        for name in _names(group, used[g], int(k)):
            chosen.append((closeness, Change(name, group.party, _vote_name(frm), _vote_name(to), reason)))
        used[g] += int(k)
    chosen.sort(key=lambda cc: (cc[0], cc[1].party, cc[1].member or ""))  # the closest first
    return DivisionFlip(division, ayes, noes, passed, int(x.sum()), tuple(c for _, c in chosen), excluded)


def _party_splits(table: VotingPatterns, division: str, aliases: Mapping[str, str]) -> dict[str, tuple[int, int]]:
    """{party: (ayes, noes)} in the division, tellers counting for their side."""
    j = table.divisions.index(division)
    out: dict[str, list[int]] = {}
    for party, codes, n in zip(table.parties, table.codes, table.counts.tolist()):
        row = out.setdefault(aliases.get(party, party), [0, 0])
        if codes[j] in (AYE, TELLER_AYE):
            row[0] += n
        elif codes[j] in (NO, TELLER_NO):
            row[1] += n
    return {p: (a, n) for p, (a, n) in out.items()}


def _closeness(
    group: _Group, side: tuple[int, int], evidence: Sequence[Evidence], cols: list[str], split: Mapping[str, tuple[int, int]]
) -> tuple[int, str]:
    """A group's cost (lower: closer to switching to ``side``) and the reason in words."""
    word = "Aye" if side[0] == AYE else "No"
    cost = CLOSENESS_BASE
    reasons = []
    if group.codes[0] == NO_VOTE:
        reasons.append("did not vote")
    for e in evidence:
        if group.codes[cols.index(e.division)] in side:
            cost -= e.weight
            reasons.append(f"voted {word} on {e.description}")
    if not is_unwhipped(group.party) and group.party in split:
        ayes, noes = split[group.party]
        ours, theirs = (ayes, noes) if side[0] == AYE else (noes, ayes)
        if ours > theirs:
            cost -= PARTY_MAJORITY
            reasons.append(f"most of their party voted {word} ({ayes} Aye, {noes} No)")
        elif ours and ours >= SPLIT_SHARE * (ours + theirs):
            cost -= PARTY_SPLIT
            reasons.append(f"their party split ({ayes} Aye, {noes} No)")
    if len(reasons) == (1 if group.codes[0] == NO_VOTE else 0):
        reasons.append("no other vote of theirs points this way")
    return max(cost, 0), "; ".join(reasons)


# --------------------------------------------------------------------------- ballots over options


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


# --------------------------------------------------------------------------- from a house


def division_evidence(house: House, division: Division) -> list[Evidence]:
    """The other divisions that say which way a member leans on ``division``: those that
    tested the same option (catalogue), and those held the same day."""
    held = {t.id: t for t in house.divisions()}
    out: dict[str, Evidence] = {}
    option = house.catalogue.by_division(division.id)
    if option is not None:
        for d in option.divisions:
            if d != division.id and d in held:
                when = held[d].date
                on = f" on {when.day} {when:%b %Y}" if when else ""
                out[d] = Evidence(d, f"{option.label}{on} ({d})", SAME_OPTION)
    if division.date is not None:
        for t in held.values():
            if t.id != division.id and t.id not in out and t.date == division.date:
                known = house.catalogue.by_division(t.id)
                out[t.id] = Evidence(t.id, f"{known.label if known else t.title} the same day ({t.id})", SAME_DAY)
    return list(out.values())


def whatif_division(house: House, division_id: str) -> DivisionFlip:
    """:func:`flip_division` for a division of ``house``, with the evidence of
    :func:`division_evidence`."""
    division = house.division_record(division_id)
    evidence = division_evidence(house, division)
    patterns = house.voting_patterns([division.id, *(e.division for e in evidence)])
    return flip_division(patterns, division, evidence, aliases=house.catalogue.party_aliases)


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
    labels = [o.label for o in chosen.options]
    opts = [
        Option(o.id, f"{o.label} ({d.id})", o.divisions, o.short) if labels.count(o.label) > 1 else o
        for o, d in zip(chosen.options, chosen.divisions)
    ]
    last = max((d.date for d in chosen.divisions if d.date is not None), default=None)
    patterns = house.voting_patterns(ids)
    return fewest_ballot_changes(
        patterns, opts, ids, w, rv, aliases=house.catalogue.party_aliases,
        chamber=chosen.divisions[0].chamber, when=last,
    )
