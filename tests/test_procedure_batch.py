"""``procedures.batch.winners_on_draws`` against ``procedures.run``, draw by draw.

Random strict positions (draws, members, candidates), 0 the top, as sampled completions
come; small and even electorates on purpose, so that ties (and the tie rule) are frequent.
"""

from __future__ import annotations

import numpy as np
import pytest

from tellers import Profile
from tellers.ballots import procedures
from tellers.ballots.procedures.batch import winners_on_draws

CASES = [("amendment", "sincere"), ("amendment", "sophisticated"), ("successive", "sincere"),
         ("successive", "sophisticated"), ("indicative", "sincere"), ("exhaustive", "sincere"),
         ("preferential", "sincere"), ("condorcet", "sincere")]


def random_positions(rng: np.random.Generator, draws: int, members: int, k: int) -> np.ndarray:
    """Strict positions: ``positions[d, v, c]`` is where member v of draw d places option c."""
    return np.argsort(np.argsort(rng.random((draws, members, k)), axis=2), axis=2).astype(np.int8)


@pytest.mark.parametrize(("procedure", "voting"), CASES)
def test_winners_on_draws_equal_run_draw_by_draw(procedure, voting):
    rng = np.random.default_rng([20190401, CASES.index((procedure, voting))])
    names = [f"o{i}" for i in range(7)]
    compared = left_out = 0
    for _ in range(40):
        k, members = int(rng.integers(3, 8)), int(rng.integers(1, 16))
        positions = random_positions(rng, 25, members, k)
        order = [int(x) for x in rng.permutation(k)]
        default = order.pop() if procedure == "indicative" else None
        size = len(order) if rng.random() < 0.5 else int(rng.integers(1 if default is not None else 2, len(order) + 1))
        agenda = tuple(order[:size])
        left_out += size + (default is not None) < k
        won = winners_on_draws(procedure, positions, agenda, voting, default)
        assert won.shape == (25, k) and won.dtype == bool
        for d in range(len(positions)):
            profile = Profile.from_rankings(np.argsort(positions[d], axis=1), candidates=names[:k])
            out = procedures.run(procedure, profile, profile.names(agenda), voting,
                                 None if default is None else names[default])
            expected = np.isin(names[:k], out.winners)
            assert np.array_equal(won[d], expected), (procedure, voting, positions[d].tolist(), agenda, default)
            compared += 1
    assert compared == 1000 and left_out > 5
