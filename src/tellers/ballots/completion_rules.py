"""Rules on many complete profiles at once: each draw of sampled completions is a profile.

Every function takes (draws, members, candidates) positions (0 the top; every ballot a
strict ranking) and the (draws, candidates, candidates) margins they give, and returns
(draws, candidates) booleans: the winners of each draw, all tied winners kept. Each draw is
one election of a batch, one voter a member, counted by the engine's rules vectorised over
the batch (:mod:`tellers.ballots.simulate.rules`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tellers.ballots.simulate.elections import Elections
from tellers.ballots.simulate.rules import winners

Rule = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _on_draws(name: str) -> Rule:
    def rule(positions: np.ndarray, margins: np.ndarray) -> np.ndarray:
        if positions.shape[0] == 0:
            return np.zeros(positions.shape[::2], dtype=bool)
        return winners(name, Elections(positions, _margins=[margins]))

    rule.__name__ = rule.__qualname__ = name
    rule.__doc__ = f"The engine's {name} rule in every draw."
    return rule


plurality, borda, copeland, minimax, schulze, irv = (
    _on_draws(name) for name in ("plurality", "borda", "copeland", "minimax", "schulze", "irv")
)

RULES: dict[str, Rule] = {
    "plurality": plurality, "borda": borda, "copeland": copeland, "minimax": minimax, "schulze": schulze, "irv": irv,
}
"""The rules whose winner shares a completion study reports."""


def winners_by_rule(positions: np.ndarray, margins: np.ndarray) -> dict[str, np.ndarray]:
    """Each rule's winners in each draw."""
    return {name: rule(positions, margins) for name, rule in RULES.items()}
