"""Procedures over a batch of elections with an agenda each: the same as each election alone,
and the same as the engine's own procedure on that election's profile."""

from __future__ import annotations

import numpy as np
import pytest

from tellers.ballots import Profile
from tellers.ballots.procedures import registry
from tellers.ballots.simulate import cultures
from tellers.ballots.simulate.procedures import procedure_winners, random_agendas


def _profile(elections, e):
    """Election e as the engine's Profile: its rows with positive counts, weighted."""
    positions = elections.positions[0] if elections.positions.shape[0] == 1 else elections.positions[e]
    counts = np.ones(len(positions)) if elections.counts is None else elections.counts[e]
    keep = counts > 0
    names = [f"c{i}" for i in range(elections.candidates)]
    return Profile(positions[keep].astype(np.int16), counts[keep].astype(float), names), names


@pytest.mark.parametrize("m, voters, culture", [(3, 7, "impartial"), (4, 10, "impartial"), (5, 9, "spatial"),
                                                (9, 6, "impartial")])
@pytest.mark.parametrize("procedure, voting", [("amendment", "sincere"), ("amendment", "sophisticated"),
                                                ("successive", "sincere"), ("successive", "sophisticated"),
                                                ("indicative", "sincere"), ("preferential", "sincere"),
                                                ("condorcet", "sincere")])
def test_an_agenda_for_each_election_is_each_election_counted_alone(m, voters, culture, procedure, voting):
    rng = np.random.default_rng(m * 100 + voters)
    elections = cultures.sample(culture, m, voters, 40, rng)
    agendas = random_agendas(40, m, rng)
    won = procedure_winners(procedure, voting, elections, agendas)
    for e in range(40):
        profile, names = _profile(elections, e)
        order = [names[c] for c in agendas[e]]
        if procedure == "indicative":
            outcome = registry.run(procedure, profile, order[:-1], voting, default=order[-1])
        else:
            outcome = registry.run(procedure, profile, order, voting)
        assert {names[c] for c in np.flatnonzero(won[e])} == set(outcome.winners), (e, order)


def test_random_agendas_are_orders_of_every_candidate_each_equally_likely():
    agendas = random_agendas(60_000, 3, np.random.default_rng(1))
    assert (np.sort(agendas, axis=1) == np.arange(3)).all()
    _, counts = np.unique(agendas, axis=0, return_counts=True)
    assert len(counts) == 6 and abs(counts / 60_000 - 1 / 6).max() < 0.01
