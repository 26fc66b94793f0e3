"""The parliamentary procedures a study puts to each simulated election.

Every option is put, in the order of the election's agenda: a random order drawn for each
election (so that a culture's reference order, Mallows' or a single-peaked axis, is not also
the order of voting), or the candidates' own order (a parliament's: the order the options
were named in). The last is put last in an amendment agenda (nearest the status quo);
indicative votes put every other option against the last, the default.
"""

from __future__ import annotations

import numpy as np

from tellers.ballots.procedures.agendas import SINCERE, SOPHISTICATED
from tellers.ballots.procedures.batch import winners_in
from tellers.ballots.procedures.registry import info
from tellers.ballots.simulate.elections import Elections

PROCEDURES = ("amendment", "successive", "indicative", "exhaustive", "preferential", "condorcet")
"""Every procedure a study can put (the registry's, all of them)."""
DEFAULT_PROCEDURES = ("amendment", "successive", "indicative", "preferential")
"""The procedures a study puts unless told otherwise (the exhaustive ballot counts as the
preferential vote does on sincere complete ballots, and the round robin adopts exactly the
Condorcet winner)."""
STRATEGIC = tuple(name for name in PROCEDURES if info(name).strategic)
"""Those with a sophisticated form, put both ways."""
VOTINGS = (SINCERE, SOPHISTICATED)


def procedure_names(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Registry names for ``names`` (any case, hyphens or underscores), each once, or a clear error."""
    return tuple(dict.fromkeys(info(name).name for name in names))


def procedure_winners(name: str, voting: str, elections: Elections, agendas: np.ndarray | None = None) -> np.ndarray:
    """(E, m) booleans: what procedure ``name`` adopts in each election under ``voting``, over
    ``agendas`` ((E, m), each election's order of every candidate; None: the candidates' order)."""
    m = elections.candidates
    order = np.arange(m) if agendas is None else agendas
    if info(name).needs_default:
        return winners_in(name, elections, order[..., :-1], voting, default=order[..., -1])
    return winners_in(name, elections, order, voting)


def random_agendas(elections: int, candidates: int, rng: np.random.Generator) -> np.ndarray:
    """(E, m): an order of every candidate for each election, each order equally likely."""
    return rng.permuted(np.tile(np.arange(candidates), (elections, 1)), axis=1)
