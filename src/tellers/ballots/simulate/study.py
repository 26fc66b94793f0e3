"""A simulation study: many elections drawn from a culture, measured chunk by chunk.

A study of E elections is split into chunks of ``chunk`` elections; chunk i draws from its
own generator, child i of the study's seed (``SeedSequence(seed).spawn``), and is measured
on its own (:func:`run_chunk`). Chunks add up exactly (:mod:`.measures` counts whole
numbers), so the figures depend on the seed and the chunk size, never on how many workers
ran the chunks or in what order (:mod:`.execution`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tellers.ballots.simulate import cultures
from tellers.ballots.simulate.elections import Elections
from tellers.ballots.simulate.measures import Tally, tally_chunk
from tellers.ballots.simulate.procedures import random_agendas

ChamberSampler = Callable[[int, np.random.Generator], np.ndarray]
"""Draws of a chamber's ballots: (draws, members, options) strict positions, 0 the top (a
culture drawn from a parliament, handed in by the parliament layer)."""
RANDOM, GIVEN = "random", "given"
AGENDAS = (RANDOM, GIVEN)
MAX_CHUNK = 10_000
"""Most elections in a chunk."""
CHUNK_CELLS = 4_000_000
"""Ballot places (elections × voters × candidates) a chunk drawn voter by voter may hold."""


@dataclass(frozen=True)
class Study:
    """What to simulate and measure."""

    culture: str
    candidates: int
    voters: int
    elections: int
    seed: int = 0
    parameters: dict = field(default_factory=dict)
    """The culture's own parameters (``phi``, ``alpha``, ...)."""
    rules: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()
    manipulation: bool = True
    chunk: int = 0
    """Elections per chunk; 0 chooses by size (:func:`chunk_size`)."""
    chamber: ChamberSampler | None = field(default=None, compare=False)
    """For the ``parliament`` culture: the chamber's completed ballots, drawn."""
    members: int = 0
    """For the ``parliament`` culture: members in each draw of ``chamber``."""
    labels: tuple[str, ...] = ()
    """The candidates' names, where they have them (a parliament's options)."""
    agenda: str = RANDOM
    """The procedures' order of voting: :data:`RANDOM` in each election, or :data:`GIVEN`,
    the candidates' order."""

    @property
    def counted(self) -> bool:
        """Whether the culture draws ballot counts directly (not voter by voter)."""
        return self.chamber is None and cultures.info(self.culture).draws_counts(self.candidates)

    @property
    def chunk_elections(self) -> int:
        return self.chunk or chunk_size(self.voters, self.candidates, self.counted)

    def chunk_sizes(self) -> list[int]:
        """Elections in each chunk, in order."""
        size = self.chunk_elections
        full, rest = divmod(self.elections, size)
        return [size] * full + ([rest] if rest else [])


def chunk_size(voters: int, candidates: int, counted: bool = False) -> int:
    """Elections per chunk: :data:`MAX_CHUNK`, fewer when a chunk drawn voter by voter (not
    ``counted`` by ballot type) would pass :data:`CHUNK_CELLS` ballot places."""
    if counted:  # then a chunk holds a count per order
        return int(max(1, min(MAX_CHUNK, CHUNK_CELLS // math.factorial(candidates))))
    return int(max(1, min(MAX_CHUNK, CHUNK_CELLS // max(1, voters * candidates))))


def seeds(study: Study) -> list[np.random.SeedSequence]:
    """Each chunk's seed: child i of the study's."""
    return np.random.SeedSequence(study.seed).spawn(len(study.chunk_sizes()))


def draw(study: Study, size: int, rng: np.random.Generator) -> Elections:
    """``size`` elections of the study's culture."""
    if study.chamber is not None:
        return chamber_elections(study.chamber(size, rng), study.voters, study.members, rng)
    return cultures.info(study.culture).sample(study.candidates, study.voters, size, rng, **study.parameters)


def chamber_elections(positions: np.ndarray, voters: int, members: int, rng: np.random.Generator) -> Elections:
    """Elections from draws of a chamber's ballots: every member once when ``voters`` is the
    chamber's size, else ``voters`` members drawn with replacement in each election."""
    if voters != members:
        chosen = rng.integers(members, size=(len(positions), voters))
        positions = np.take_along_axis(positions, chosen[:, :, None], axis=1)
    return Elections(np.ascontiguousarray(positions, dtype=np.int8)).typed()


def run_chunk(study: Study, index: int, seed: np.random.SeedSequence) -> tuple[int, list[Tally]]:
    """Chunk ``index`` of the study, drawn from ``seed`` and measured."""
    rng = np.random.default_rng(seed)
    elections = draw(study, study.chunk_sizes()[index], rng)
    agendas = None
    if study.agenda == RANDOM and study.procedures:  # drawn after the elections, which stay the same either way
        agendas = random_agendas(elections.elections, elections.candidates, rng)
    return index, tally_chunk(elections, study.rules, study.procedures, study.manipulation, agendas)
