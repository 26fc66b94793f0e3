"""A chamber as a simulation culture: "what if the 2019 Commons voted again?"

Each simulated election is one draw of the electorate's completed ballots over the options
(:mod:`tellers.parliament.robustness`: every member's revealed preferences kept, the rest
drawn under the ``uniform``, ``party`` or ``spatial`` model); the engine's studies
(:mod:`tellers.ballots.simulate`) then count what rules and procedures make of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tellers.ballots.simulate.plan import Chamber
from tellers.errors import TellersError
from tellers.parliament.head_to_head import analyse_options
from tellers.parliament.robustness import completion_sampler

if TYPE_CHECKING:
    from tellers.parliament.house import House


def chamber_culture(house: House, options: str, tested: str | None, model: str, seed: int) -> Chamber:
    """The completed ballots of the options' electorate under ``model``, for a study; the
    options named as for `tellers majority`, in the order given (the agendas' order), and
    labelled by their short names (by division id where two share one)."""
    analysis = analyse_options(house, options, tested)
    if len(analysis.options) < 2:
        raise TellersError("a study compares options: give at least two")
    sampler = completion_sampler(analysis, model, seed, house)
    members = sampler(1, np.random.default_rng(seed)).shape[1]
    ids = tuple(t.division.id for t in analysis.options)
    labels = tuple(t.option.abbreviation for t in analysis.options)
    return Chamber(sampler, members, ids, labels if len(set(labels)) == len(labels) else ids)
