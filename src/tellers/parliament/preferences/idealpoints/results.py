"""A fitted scale: :class:`IdealPoints`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tellers.errors import ScalingError
from tellers.parliament.preferences.idealpoints.data import Dropped
from tellers.parliament.preferences.idealpoints.probit import cut_points, probabilities


@dataclass(frozen=True, eq=False)
class IdealPoints:
    """A fitted roll-call scale: members' positions and votes' parameters.

    ``P(Aye) = Φ(alpha[j] + beta[j] · positions[i])``, positions standardised and
    anchored (see the package docstring). Members and votes left out are in ``dropped``.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    parties: tuple[str, ...]
    votes: tuple[str, ...]
    positions: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    standard_errors: np.ndarray
    """Asymptotic standard errors of the positions, given the votes' parameters."""
    y: np.ndarray
    """The votes fitted (members x votes): 1.0 Aye, 0.0 No, NaN no vote."""
    anchor: str
    dropped: Dropped
    method: str
    lapse: float
    iterations: int
    converged: bool
    correct: float
    apre: float
    tol: float
    max_iter: int

    @property
    def dims(self) -> int:
        return int(self.positions.shape[1])

    @property
    def num_members(self) -> int:
        return len(self.ids)

    @property
    def cut_points(self) -> np.ndarray:
        """Each vote's cut point: where P(Aye) = 1/2 (in 2-D, the point of the cutting line nearest the centre)."""
        return cut_points(self.alpha, self.beta)

    def probabilities(self) -> np.ndarray:
        """P(Aye) for every member and vote."""
        return probabilities(self.positions, self.alpha, self.beta, self.lapse)

    def index(self, member: str) -> int:
        """Row of a member given by id or name."""
        for key in (self.ids, self.names):
            if member in key:
                return key.index(member)
        raise ScalingError(f"member {member!r} is not on this scale")

    def party_medians(self) -> dict[str, np.ndarray]:
        """Each party's median position, parties in order of their median on dimension 1."""
        parties = np.array(self.parties, dtype=object)
        medians = {p: np.median(self.positions[parties == p], axis=0) for p in dict.fromkeys(self.parties)}
        return dict(sorted(medians.items(), key=lambda kv: (float(kv[1][0]), kv[0])))

    def order(self) -> np.ndarray:
        """Member rows by position on dimension 1 (then name)."""
        return np.lexsort((np.array(self.names, dtype=object), self.positions[:, 0]))
