"""A procedure on many complete profiles at once: each draw of sampled completions.

``positions`` is (draws, members, candidates), 0 the top and every ballot strict (as
:mod:`tellers.ballots.completions` samples them); one agenda is put in every draw. The
agenda procedures use the same vectorised count as a single profile (:mod:`.agendas`);
the ballots use the engine's vectorised rules (:mod:`tellers.ballots.completion_rules`);
``tests/test_procedure_batch.py`` checks every procedure against :func:`.registry.run`
draw by draw.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from tellers.ballots.completions import condorcet_winners, draw_margins
from tellers.ballots.procedures import agendas
from tellers.ballots.procedures.agendas import SINCERE
from tellers.ballots.simulate.elections import Elections
from tellers.ballots.simulate.rules import winners as rule_winners
from tellers.errors import ProcedureError


def winners_on_draws(
    procedure: str, positions: np.ndarray, agenda: tuple[int, ...], voting: str = SINCERE,
    default: int | None = None, margins: np.ndarray | None = None,
) -> np.ndarray:
    """(draws, candidates) booleans: the option(s) ``procedure`` adopts in each draw (none in a
    round robin with a cycle; several on a tie); ``margins``, the draws' :func:`draw_margins`
    if known."""
    draws = Elections(positions, _margins=[] if margins is None else [margins])
    return winners_in(procedure, draws, agenda, voting, default)


def winners_in(
    procedure: str, elections: Elections, agenda: tuple[int, ...] | np.ndarray, voting: str = SINCERE,
    default: int | np.ndarray | None = None,
) -> np.ndarray:
    """(E, candidates) booleans: the option(s) ``procedure`` adopts in each of a batch of
    elections (:class:`~tellers.ballots.simulate.elections.Elections`), as for
    :func:`winners_on_draws`; ``agenda`` is one order for every election, or (E, k) one each
    (and then ``default`` (E,), and an order-free procedure's agendas put every candidate)."""
    e, k = elections.elections, elections.candidates
    order = np.asarray(agenda, dtype=np.intp)
    support = (elections.voters[:, None, None] + elections.margins) / 2  # strict ballots: x over y, or y over x
    won = np.zeros((e, k), dtype=bool)
    rows = np.arange(e)
    if procedure in ("amendment", "successive"):
        if procedure == "amendment":
            winner = agendas.amendment(support, order, voting).winner
        else:
            favourites = None if voting != SINCERE else suffix_favourites(elections, order)
            winner = agendas.successive(support, order, voting, favourites).winner
        won[rows, winner] = True
    elif procedure == "indicative":
        each, fallback = np.broadcast_to(order, (e, order.shape[-1])), np.broadcast_to(default, (e,))
        ayes = support[rows[:, None], each, fallback[:, None]]
        carried = ayes > support[rows[:, None], fallback[:, None], each]
        best = np.where(carried, ayes, -1.0)
        won[rows[:, None], each] = carried & (best == best.max(axis=1, keepdims=True))
        lost = ~carried.any(axis=1)
        won[rows[lost], fallback[lost]] = True
    elif order.ndim == 2:
        if order.shape[1] != k:
            raise ValueError("an order-free procedure with an agenda for each election puts every candidate")
        return winners_in(procedure, elections, tuple(range(k)), voting)
    elif procedure in ("exhaustive", "preferential"):
        among = elections if len(order) == k and (order == np.arange(k)).all() else Elections(
            _among(elections.positions, order), elections.counts)
        won[:, order] = rule_winners("irv", among)
    elif procedure == "condorcet":
        sub = support[:, order][:, :, order]
        winner = condorcet_winners(sub - sub.transpose(0, 2, 1))
        has = winner >= 0
        won[rows[has], order[winner[has]]] = True
    else:
        raise ValueError(f"unknown procedure {procedure!r}")
    return won


def suffix_favourites(elections: Elections, agenda: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sincere successive votes, (ayes, noes) each (E, k), on strict ballots: at stage i a
    voter is an Aye when agenda[i] is above every later option, else a No (as
    :func:`tellers.ballots.procedures.agendas.suffix_favourites`, with no ties to abstain on);
    ``agenda`` (k,), or (E, k) one each."""
    k = agenda.shape[-1]
    ayes = np.zeros((elections.elections, k))
    best_later = None
    for i in range(k - 1, -1, -1):
        x = _column(elections.positions, agenda[..., i])
        if best_later is None:
            best_later = np.full(x.shape, np.iinfo(np.int8).max, dtype=np.int8)
        ayes[:, i] = elections.weigh(x < best_later)
        best_later = np.minimum(best_later, x)
    return ayes, elections.voters[:, None] - ayes


def _column(positions: np.ndarray, candidate: int | np.ndarray) -> np.ndarray:
    """Every ballot's place for ``candidate``: one for all elections, (E|1, V); or one each,
    (E,), giving (E, V)."""
    if np.ndim(candidate) == 0:
        return positions[..., candidate]
    if positions.shape[0] == 1:
        return positions[0][:, candidate].T
    return np.take_along_axis(positions, candidate[:, None, None], axis=2)[..., 0]


def _among(positions: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Positions among the ``order`` options only (0 the top of those), each strict ballot kept."""
    if len(order) == positions.shape[2]:
        return positions[..., order]
    columns = [positions[..., c] for c in order]
    return np.stack([sum((other < mine).astype(np.int8) for other in columns) for mine in columns], axis=2)


MAX_ORDERED_ON_DRAWS = 6
"""Most agenda options whose every ordering is tried in every draw (6! = 720)."""


def reachable_on_draws(
    procedure: str, positions: np.ndarray, agenda: tuple[int, ...], voting: str = SINCERE,
    default: int | None = None, chunk: int = 1 << 16, margins: np.ndarray | None = None,
) -> np.ndarray:
    """(draws, candidates) booleans: the options some ordering of ``agenda`` makes
    ``procedure`` adopt in each draw (for an order-free procedure, its winners); ``margins``
    as for :func:`winners_on_draws`."""
    if procedure not in ("amendment", "successive"):
        return winners_on_draws(procedure, positions, agenda, voting, default, margins)
    if len(agenda) > MAX_ORDERED_ON_DRAWS:
        raise ProcedureError(
            f"agenda power over completions tries every ordering in every draw: at most {MAX_ORDERED_ON_DRAWS} "
            f"options ({math.factorial(MAX_ORDERED_ON_DRAWS):,} orderings), and this agenda has {len(agenda)}")
    if margins is None:
        margins = draw_margins(positions)
    if procedure == "amendment" or voting != SINCERE:
        # every vote is then won by the majority of one pair (a tie lost), so each ordering's
        # outcome hangs on who beats whom alone: try each such pattern once, in its first draw
        _, first, inverse = np.unique((margins > 0).reshape(len(margins), -1), axis=0, return_index=True,
                                      return_inverse=True)
        if len(first) < len(margins):
            found = _reachable(procedure, positions[first], margins[first], agenda, voting, chunk)
            return found[inverse.reshape(-1)]
    return _reachable(procedure, positions, margins, agenda, voting, chunk)


def _reachable(
    procedure: str, positions: np.ndarray, margins: np.ndarray, agenda: tuple[int, ...], voting: str, chunk: int,
) -> np.ndarray:
    """:func:`reachable_on_draws` for an agenda procedure, every ordering tried in every draw."""
    draws, members, k = positions.shape
    orderings = np.array(list(itertools.permutations(agenda)), dtype=np.intp)
    per = max(1, chunk // len(orderings))  # draws per batch of cases
    reached = np.zeros((draws, k), dtype=bool)
    for start in range(0, draws, per):
        pos = positions[start:start + per]
        n = len(pos)
        support = (members + margins[start:start + per]) / 2
        cases = np.tile(orderings, (n, 1))
        draw = np.repeat(np.arange(n), len(orderings))
        if procedure == "amendment":
            winner = agendas.amendment(support, cases, voting, draw).winner
        else:
            favourites = None
            if voting == SINCERE:
                favourites = agendas.favourites_of(agendas.favourite_table(pos, np.ones(members)), cases, draw)
            winner = agendas.successive(support, cases, voting, favourites, draw).winner
        reached[start + draw, winner] = True
    return reached
