"""What it would take: the fewest members whose votes must change to reverse a division.

An integer program, solved exactly with HiGHS (``scipy.optimize.milp``, see :mod:`.switching`):

**Flipping a division.** A member moves between aye, no and not voting. The question
carries when ``a·ayes − b·noes ≥ c``, the chamber's required majority
(:meth:`tellers.chambers.Majority.linear`): more Ayes than Noes in the Commons, where a
tie goes by the Speaker's casting vote (Speaker Denison's rule); three fifths of the
senators sworn for cloture, where noes do not count at all; two thirds of those voting
for a veto override. To pass a question that failed: no -> aye, no -> not voting, not
voting -> aye, each weighted by what it adds to ``a·ayes − b·noes``; to defeat one that
passed, the mirror moves. A tie that only a casting vote of unknown direction decides
(the Vice President's) is not counted on: the new result must stand without it. Members
who vote alike are one group, so the variables are *how many* of each group make each
move: integers bounded by the group.

**Making an option win head to head** is :mod:`.ballot_changes`.

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

import numpy as np

from tellers.parliament.coalitions.quota import is_unwhipped
from tellers.parliament.coalitions.switching import (
    AYE, NO, NO_VOTE, TELLER_AYE, TELLER_NO, WhatIfError, _Group, _groups, _names, _solve, _vote_name,
)
from tellers.chambers import SWORN, ChamberRules, Majority, judge, rules_for
from tellers.parliament.house import House
from tellers.records.model import Division, VoteKind
from tellers.records.patterns import VotingPatterns

TO_PASS = ((NO, AYE), (NO, NO_VOTE), (NO_VOTE, AYE))
"""(from, to): the moves towards passing."""
TO_FAIL = ((AYE, NO), (AYE, NO_VOTE), (NO_VOTE, NO))
"""(from, to): the moves towards failing."""

CLOSENESS_BASE = 10
"""Cost of changing a member with no sign of leaning that way; each sign lowers it."""
SAME_OPTION, SAME_DAY, PARTY_MAJORITY, PARTY_SPLIT = 4, 1, 2, 1
"""How much each sign lowers the cost (a lower cost is chosen first)."""
SPLIT_SHARE = 0.1
"""A party is split towards a side when at least this share of its voters took it."""



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
    rule: str = ""
    """What the reversed result needs, in words (the chamber's majority and tie rule)."""

    @property
    def ayes_after(self) -> int:
        return self.ayes + sum(c.to == "aye" for c in self.changes) - sum(c.from_ == "aye" for c in self.changes)

    @property
    def noes_after(self) -> int:
        return self.noes + sum(c.to == "no" for c in self.changes) - sum(c.from_ == "no" for c in self.changes)

    def to_dict(self) -> dict:
        """``{"division", "title", "date", "ayes", "noes", "passed", "fewest_changes", "changes", "ayes_after",
        "noes_after", "cannot_vote"}`` (``cannot_vote``: members left out as unable to vote)."""
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
            "cannot_vote": self.excluded,
            "rule": self.rule,
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
    sworn: int | None = None,
) -> DivisionFlip:
    """The fewest members whose votes must change to reverse ``division`` (see the module notes).

    ``patterns`` holds the division and every ``evidence`` division; ``sworn`` is the
    members who could vote, for a majority of the members sworn (default: those the
    patterns list, less those who cannot vote).
    """
    aliases = dict(aliases or {})
    cols = [division.id, *(e.division for e in evidence)]
    table = patterns.select(list(dict.fromkeys(cols)))
    ayes, noes = counted_totals(table, division.id)
    groups, excluded = _groups(table, division.date, division.chamber, aliases)
    rules = rules_for(division.chamber)
    majority = rules.majority(division.question, division.title, division.date)
    if sworn is None:
        sworn = sum(g.count for g in groups)
    tie = rules.tie_carries(majority, division.question, division.title)
    a, b, c = majority.linear(sworn, tie_carries=bool(tie))
    c_fail = c if tie is not None else 0  # an unknown casting vote: failing needs more Noes than Ayes
    score = a * ayes - b * noes
    passed = division.passed if division.passed is not None else score >= c
    moves, side = (TO_FAIL, (NO, TELLER_NO)) if passed else (TO_PASS, (AYE, TELLER_AYE))
    need = (score - c_fail + 1) if passed else (c - score)
    sign = -1 if passed else 1
    split = _party_splits(table, division.id, aliases)
    cols = list(table.divisions)

    def gain(frm: int, to: int) -> int:
        return sign * (a * ((to == AYE) - (frm == AYE)) - b * ((to == NO) - (frm == NO)))

    variables: list[tuple[int, tuple[int, int, int]]] = []
    for g, group in enumerate(groups):
        for frm, to in moves:
            if group.codes[0] == frm and gain(frm, to) > 0:
                variables.append((g, (frm, to, gain(frm, to))))
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
    rule = _rule_words(majority, rules, tie, sworn, passed)
    if need <= 0:  # the counts already give the other result: nothing in the votes to change
        verdict = judge(division.chamber, ayes=ayes, noes=noes, question=division.question, title=division.title,
                        when=division.date, sworn=sworn, recorded=division.passed)
        raise WhatIfError(
            f"division {division.id}: the record says it {'passed' if passed else 'failed'}, but its votes, counted "
            f"under the {division.chamber}'s rules as tellers knows them, already give the other result ({verdict.why}). "
            "A what-if needs the two to agree"
        )
    x = _solve(cost, A, np.array(lbs, float), np.array(ubs, float), upper, len(variables)) if variables else None
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
    return DivisionFlip(division, ayes, noes, passed, int(x.sum()), tuple(c for _, c in chosen), excluded, rule)


def _rule_words(majority: Majority, rules: ChamberRules, tie: bool | None, sworn: int, passed: bool) -> str:
    """What reversing the result needs, in words."""
    if not majority.simple:
        need = majority.needed(0, 0, sworn) if majority.base == SWORN else None
        base = f" ({need} of the {sworn} sworn)" if need is not None else ""
        return f"the question needs {majority.describe()}{base}: {majority.why}"
    if tie is None:
        return (f"more Ayes than Noes; {rules.tie.rule}, so a result that rests on a tie is not counted on: "
                f"to {'fail' if passed else 'pass'} it must stand without a casting vote")
    return (f"more Ayes than Noes; a tie is {'carried' if tie else 'lost'}: {rules.tie.breaker}'s casting vote "
            f"({rules.tie.rule})")


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
    listed = next((t.listed for t in house.divisions() if t.id == division.id), 0)
    return flip_division(patterns, division, evidence, aliases=house.catalogue.party_aliases, sworn=listed or None)
