"""The parliamentary procedures a study puts to each simulated election.

Every option is put, in the candidates' order (the last, nearest the status quo, put last
in an amendment agenda); indicative votes put every other option against the last, the
default. Under a neutral culture the order changes no figure; under a parliament's, it is
the order the options were named in.
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


def procedure_winners(name: str, voting: str, elections: Elections) -> np.ndarray:
    """(E, m) booleans: what procedure ``name`` adopts in each election under ``voting``."""
    m = elections.candidates
    if info(name).needs_default:
        return winners_in(name, elections, tuple(range(m - 1)), voting, default=m - 1)
    return winners_in(name, elections, tuple(range(m)), voting)
