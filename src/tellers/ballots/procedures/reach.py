"""Agenda power: the options an agenda setter can make win by choosing the order of votes.

For each option, *reachable* means some ordering of the agenda makes the procedure adopt
it; one such ordering is given for each. Theory is used where it holds:

- **Sincere amendment agendas reach the top cycle** (Miller 1977) when the majority
  relation among the agenda's options has no ties (a tournament; e.g. an odd electorate
  of complete strict ballots). The agenda: options in decreasing distance from x along
  majority wins, x last. Each stage then hands on an option one step nearer x, which x
  beats at the end.
- **Sophisticated amendment agendas reach the Banks set** (Banks 1985; Shepsle and
  Weingast 1984), again for a tournament: x is reachable iff it heads a transitive chain
  x > t2 > ... > tr that no option beats entirely. The agenda: every other option first,
  then x, t2, ..., tr.

Each constructed agenda is run through the count itself before it is reported. Elsewhere
(ties in the majority relation, successive agendas) every ordering is enumerated, up to
:data:`MAX_ENUMERATED` options (8! = 40,320 orderings, vectorised); above that the answer is
refused, saying so. Procedures whose outcome does not depend on the order reach only their
own winners.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from tellers.ballots.procedures import agendas
from tellers.ballots.procedures.agendas import SINCERE
from tellers.ballots.procedures.registry import Motion, info
from tellers.ballots.rules._common import tolerance
from tellers.errors import ProcedureError

MAX_ENUMERATED = 8
"""Most options whose orderings are all tried (8! = 40,320)."""


@dataclass(frozen=True)
class Reach:
    """The options reachable by reordering an agenda, each with one agenda that reaches it
    (candidate indices), and how that was established."""

    agendas: dict[int, tuple[int, ...]]
    method: str

    @property
    def reachable(self) -> tuple[int, ...]:
        return tuple(self.agendas)


def reach(m: Motion, procedure: str) -> Reach:
    """The options ``procedure`` can adopt under some ordering of ``m``'s agenda."""
    entry = info(procedure)
    order = m.agenda
    if not entry.ordered:
        winners = entry.function(m).winners
        return Reach({w: order for w in winners}, "the order of the agenda does not change this procedure's outcome")
    margins = m.profile.margins[np.ix_(order, order)]
    tournament = bool(np.all((np.abs(margins) > tolerance(m.profile)) | np.eye(len(order), dtype=bool)))
    if entry.name == "amendment" and tournament:
        build = _top_cycle_agenda if m.voting == SINCERE else _banks_agenda
        found = {}
        for i, x in enumerate(order):
            local = build(margins > 0, i)
            if local is not None:
                found[x] = _checked(m, procedure, tuple(order[j] for j in local), x)
        theorem = ("the top cycle (Miller 1977)" if m.voting == SINCERE
                   else "the Banks set (Banks 1985; Shepsle and Weingast 1984)")
        return Reach(found, f"{theorem}: the majority relation among the agenda's options has no ties")
    if len(order) > MAX_ENUMERATED:
        raise ProcedureError(
            f"agenda power is found by trying every ordering of up to {MAX_ENUMERATED} options "
            f"({math.factorial(MAX_ENUMERATED):,} orderings); this agenda has {len(order)}, and no theorem applies "
            f"({'the majority relation has ties' if entry.name == 'amendment' else 'a ' + entry.name + ' agenda'}). "
            "Shorten the agenda")
    orderings = np.array(list(itertools.permutations(order)), dtype=np.intp)
    winners = winners_over(m, procedure, orderings)
    found = {}
    for w, row in zip(winners, orderings):
        found.setdefault(int(w), tuple(int(x) for x in row))
    ranked = {x: found[x] for x in order if x in found}
    return Reach(ranked, f"every ordering tried ({len(orderings):,})")


def winners_over(m: Motion, procedure: str, orderings: np.ndarray) -> np.ndarray:
    """The option an agenda procedure adopts under each ordering (rows of candidate indices)."""
    support, tol = m.profile.support, tolerance(m.profile)
    if procedure == "amendment":
        return agendas.amendment(support, orderings, m.voting, tol=tol).winner
    favourites = None
    if m.voting == SINCERE:
        favourites = agendas.favourites_of(agendas.favourite_table(m.profile.ranks, m.profile.weights), orderings)
    return agendas.successive(support, orderings, m.voting, favourites, tol=tol).winner


def _checked(m: Motion, procedure: str, order: tuple[int, ...], x: int) -> tuple[int, ...]:
    """``order``, after checking that the count adopts ``x`` under it (a theorem's construction)."""
    got = int(winners_over(m, procedure, np.array([order], dtype=np.intp))[0])
    if got != x:  # pragma: no cover - the theorems guarantee it
        raise AssertionError(f"constructed agenda {order} adopts {got}, not {x}")
    return order


def _top_cycle_agenda(beats: np.ndarray, x: int) -> list[int] | None:
    """An ordering under which sincere amendment voting adopts x, or None outside the top cycle:
    options by decreasing distance from x along majority wins, x last."""
    k = len(beats)
    distance = np.full(k, -1)
    distance[x], frontier, d = 0, [x], 0
    while frontier:
        d += 1
        nxt = [y for y in range(k) if distance[y] < 0 and beats[frontier].any(axis=0)[y]]
        distance[nxt] = d
        frontier = nxt
    if (distance < 0).any():
        return None
    return sorted(range(k), key=lambda y: -distance[y])


def _banks_agenda(beats: np.ndarray, x: int) -> list[int] | None:
    """An ordering under which sophisticated amendment voting adopts x, or None outside the
    Banks set: the other options, then a chain headed by x that no option beats entirely."""
    chain = _undominated_chain(beats, [x])
    if chain is None:
        return None
    return [y for y in range(len(beats)) if y not in chain] + chain


def _undominated_chain(beats: np.ndarray, chain: list[int]) -> list[int] | None:
    """Extend a transitive chain (each member beats all after it) until no option beats all of
    it, by depth-first search; None if no extension gets there."""
    k = len(beats)
    inside = np.zeros(k, bool)
    inside[chain] = True
    dominators = [y for y in range(k) if not inside[y] and beats[y, chain].all()]
    if not dominators:
        return chain
    y = dominators[0]  # some member must beat y: try each option that could join the chain
    for z in range(k):
        if inside[z] or not beats[z, y] or not beats[chain[0], z]:
            continue
        # z joins where it keeps the chain transitive: below all it loses to, above all it beats
        above = [c for c in chain if beats[c, z]]
        below = [c for c in chain if beats[z, c]]
        if chain[:len(above)] == above and chain[len(above):] == below:
            found = _undominated_chain(beats, above + [z] + below)
            if found is not None:
                return found
    return None
