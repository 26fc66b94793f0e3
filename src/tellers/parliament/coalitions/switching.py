"""Who could switch, and the integer program that picks the fewest of them.

Members who could vote (see :mod:`.quota`) and share a party and a voting pattern are one
group; a what-if's variables are *how many* of each group make each change. Both what-ifs
(:mod:`.whatif` for a division, :mod:`.ballot_changes` for options head to head) are
solved lexicographically with HiGHS (``scipy.optimize.milp``): first the fewest members,
then, with that number fixed, the least cost (the members closest to switching first).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from tellers.errors import TellersError
from tellers.parliament.coalitions.quota import eligible_members
from tellers.records.model import VoteKind
from tellers.records.patterns import KINDS, VotingPatterns

AYE, NO, NO_VOTE = (KINDS.index(k) for k in (VoteKind.AYE, VoteKind.NO, VoteKind.NO_VOTE))
TELLER_AYE, TELLER_NO = (KINDS.index(k) for k in (VoteKind.TELLER_AYE, VoteKind.TELLER_NO))


class WhatIfError(TellersError):
    """A what-if that cannot be answered: an unknown option, or no set of changes suffices."""


def _vote_name(code: int) -> str:
    """'aye', 'no' or 'no_vote' (tellers count for their side; both lobbies is no side)."""
    if code in (AYE, TELLER_AYE):
        return "aye"
    if code in (NO, TELLER_NO):
        return "no"
    return "no_vote"



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
    # here, not at the top: scipy.optimize costs ~0.2 s to import, and `tellers power` and
    # `tellers scenario` import this module without solving
    from scipy.optimize import Bounds, LinearConstraint, milp

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
