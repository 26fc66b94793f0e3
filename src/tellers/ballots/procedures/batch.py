"""A procedure on many complete profiles at once: each draw of sampled completions.

``positions`` is (draws, members, candidates), 0 the top and every ballot strict (as
:mod:`tellers.ballots.completions` samples them); one agenda is put in every draw. The
agenda procedures use the same vectorised count as a single profile (:mod:`.agendas`);
the ballots use the engine's vectorised rules (:mod:`tellers.ballots.completion_rules`);
``tests/test_procedure_batch.py`` checks every procedure against :func:`.registry.run`
draw by draw.
"""

from __future__ import annotations

import numpy as np

from tellers.ballots.completion_rules import irv
from tellers.ballots.completions import condorcet_winners, draw_margins
from tellers.ballots.procedures import agendas
from tellers.ballots.procedures.agendas import SINCERE


def winners_on_draws(
    procedure: str, positions: np.ndarray, agenda: tuple[int, ...], voting: str = SINCERE,
    default: int | None = None,
) -> np.ndarray:
    """(draws, candidates) booleans: the option(s) ``procedure`` adopts in each draw (none in a
    round robin with a cycle; several on a tie)."""
    draws, members, k = positions.shape
    order = np.asarray(agenda, dtype=np.intp)
    support = (members + draw_margins(positions)) / 2  # strict ballots: x over y, or y over x
    won = np.zeros((draws, k), dtype=bool)
    rows = np.arange(draws)
    if procedure in ("amendment", "successive"):
        if procedure == "amendment":
            winner = agendas.amendment(support, order, voting).winner
        else:
            favourites = None if voting != SINCERE else agendas.suffix_favourites(positions, np.ones(members), order)
            winner = agendas.successive(support, order, voting, favourites).winner
        won[rows, winner] = True
    elif procedure == "indicative":
        ayes = support[:, order, default]
        carried = ayes > support[:, default, order]
        best = np.where(carried, ayes, -1.0)
        top = carried & (best == best.max(axis=1, keepdims=True))
        won[:, order] = top
        won[~carried.any(axis=1), default] = True
    elif procedure in ("exhaustive", "preferential"):
        sub = np.argsort(np.argsort(positions[..., order], axis=2), axis=2).astype(np.int8)
        won[:, order] = irv(sub, draw_margins(sub))
    elif procedure == "condorcet":
        sub = support[:, order][:, :, order]
        winner = condorcet_winners(sub - sub.transpose(0, 2, 1))
        has = winner >= 0
        won[rows[has], order[winner[has]]] = True
    else:
        raise ValueError(f"unknown procedure {procedure!r}")
    return won
