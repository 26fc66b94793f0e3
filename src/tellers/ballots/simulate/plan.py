"""A study checked and completed from what a user asked for, with an error naming the fix."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tellers.ballots import rules as engine_rules
from tellers.ballots.simulate import cultures
from tellers.ballots.simulate.procedures import (
    DEFAULT_PROCEDURES,
    PROCEDURES,
    procedure_names,
)
from tellers.ballots.simulate.rules import APPLICABLE, DEFAULT_RULES
from tellers.ballots.simulate.study import AGENDAS, GIVEN, RANDOM, ChamberSampler, Study
from tellers.errors import SimulationError

CANDIDATES = 3
VOTERS = 1001
MAX_CANDIDATES = 12
"""Most candidates a study draws (the measures hold every pair of each election's candidates)."""
MAX_CHUNK_PLACES = 200_000_000
"""Most ballot places (counts, or voters' places) a chunk asked for by --chunk may hold."""


@dataclass(frozen=True)
class Chamber:
    """A culture drawn from a parliament: its completed ballots over some options."""

    sampler: ChamberSampler
    members: int
    ids: tuple[str, ...]
    labels: tuple[str, ...]


def plan_study(
    culture: str, candidates: int | None, voters: int | None, elections: int, *, seed: int = 0,
    parameters: dict | None = None, rules: Sequence[str] | None = None, procedures: Sequence[str] | None = None,
    manipulation: bool = True, chunk: int = 0, chamber: Chamber | None = None, agenda: str | None = None,
) -> Study:
    """The :class:`Study` asked for, every input checked; ``agenda`` by default random for a
    culture and the options' order for a parliament."""
    if elections < 1:
        raise SimulationError(f"--elections {elections}: a study needs at least 1 election")
    if seed < 0:
        raise SimulationError("--seed must be a whole number, 0 or more")
    if chunk < 0:
        raise SimulationError("--chunk must be 0 (by size) or more")
    agenda = agenda or (GIVEN if culture == "parliament" else RANDOM)
    if agenda not in AGENDAS:
        raise SimulationError(f"--agenda {agenda}: choose {' or '.join(AGENDAS)}")
    labels: tuple[str, ...] = ()
    if culture == "parliament":
        if chamber is None:
            raise SimulationError("the parliament culture needs a chamber's ballots: give --options")
        if candidates is not None and candidates != len(chamber.ids):
            raise SimulationError(f"--candidates {candidates}: a parliament's candidates are its {len(chamber.ids)} "
                                  "options; leave --candidates out")
        candidates, labels = len(chamber.ids), chamber.labels
        voters = chamber.members if voters is None else voters
    else:
        candidates = CANDIDATES if candidates is None else candidates
        voters = VOTERS if voters is None else voters
    if candidates < 2:
        raise SimulationError(f"--candidates {candidates}: an election needs at least 2 candidates")
    if candidates > MAX_CANDIDATES:
        raise SimulationError(f"--candidates {candidates}: a study draws at most {MAX_CANDIDATES} candidates")
    if voters < 1:
        raise SimulationError(f"--voters {voters}: an election needs at least 1 voter")
    if culture != "parliament":
        parameters = cultures.check(culture, candidates, voters, elections, **(parameters or {}))
    chosen_rules = _rules(rules, DEFAULT_RULES, APPLICABLE)
    if procedures is None:
        chosen = DEFAULT_PROCEDURES
    elif [p.lower() for p in procedures] == ["none"]:
        chosen = ()
    elif [p.lower() for p in procedures] == ["all"]:
        chosen = PROCEDURES
    else:
        chosen = procedure_names(procedures)
    study = Study(culture, candidates, voters, elections, seed, dict(parameters or {}), chosen_rules, tuple(chosen),
                  manipulation, chunk, None if chamber is None else chamber.sampler,
                  0 if chamber is None else chamber.members, labels, agenda)
    if chunk:
        places = chunk * (math.factorial(candidates) if study.counted else voters * candidates)
        if places > MAX_CHUNK_PLACES:
            raise SimulationError(f"--chunk {chunk:,}: a chunk would hold {places:,} ballot places (at most "
                                  f"{MAX_CHUNK_PLACES:,}); give a smaller --chunk, or 0 to size chunks by the study")
    # the chunk size settled here, with the seeds' count, so that no worker works it out anew
    return replace(study, chunk=study.chunk_elections)


def _rules(names: Sequence[str] | None, default: Sequence[str], ranking: Sequence[str]) -> tuple[str, ...]:
    """The rules' registry names, each once: ``names``, 'all', or the default."""
    if names is None:
        return tuple(default)
    if [n.lower() for n in names] == ["all"]:
        return tuple(ranking)
    found = tuple(dict.fromkeys(engine_rules.info(n).name for n in names))
    for name in found:
        if name not in ranking:
            raise SimulationError(f"rule {name!r} counts approval ballots, and a study draws rankings; "
                                  f"choose from: {', '.join(ranking)}")
    if not found:
        raise SimulationError("--rules names no rule; give some, or 'all'")
    return found
