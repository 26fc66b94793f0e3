"""What each procedure would have adopted in a chamber, over what the votes leave unsaid.

A procedure needs every member's complete ranking of the options; division lists reveal
only Aye-over-No pairs. So a procedure is run either on every sampled completion of the
electorate's votes (the models of :mod:`.robustness`: each option's share of the draws in
which the procedure adopts it, and with ``reachable`` the share in which some ordering of
the agenda makes it win), or on the complete rankings of a spatial model (``--infer
spatial``), which are a model's, not the record's.

The agenda is the options in the order given; an indicative vote's default is one of
them, left off the agenda.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tellers.ballots import Profile, procedures
from tellers.ballots.completions import draw_margins
from tellers.ballots.procedures.batch import MAX_ORDERED_ON_DRAWS, reachable_on_draws, winners_on_draws
from tellers.ballots.procedures.reach import Reach, reach
from tellers.ballots.procedures.registry import motion
from tellers.errors import OptionError, TellersError
from tellers.wording import few
from tellers.parliament.head_to_head import MajorityAnalysis
from tellers.parliament.robustness import DRAWS, Drawn, check_draws, completion_draws

if TYPE_CHECKING:
    from tellers.parliament.house import House

EVERY_PROCEDURE = tuple(
    (name, voting) for name in procedures.names()
    for voting in (procedures.VOTING if procedures.info(name).strategic else (procedures.SINCERE,))
)
"""Every procedure, under each way of voting it has."""


@dataclass(frozen=True)
class ProcedureShares:
    """A procedure run on ``draws`` completions of the electorate's votes under ``model``.

    ``wins[c]``: share of draws in which option c alone is adopted; ``tie_share``: share in
    which several tie; ``none_share``: share in which nothing is (a round robin's cycle).
    ``reachable[c]``: share of draws in which some ordering of the agenda adopts c.
    """

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    shorts: tuple[str, ...]
    procedure: str
    voting: str
    agenda: tuple[int, ...]
    default: int | None
    model: str
    draws: int
    seed: int
    electorate: int
    wins: np.ndarray
    tie_share: float
    none_share: float
    reachable: np.ndarray | None = None

    def to_dict(self) -> dict:
        """``{"procedure", "voting", "agenda", "default", "model", "draws", "seed", "electorate",
        "win_shares", "tie_share", "no_winner_share", "reachable_shares"}``; options by division id."""
        doc = {
            "procedure": self.procedure, "voting": self.voting, "agenda": [self.ids[i] for i in self.agenda],
            "default": None if self.default is None else self.ids[self.default],
            "model": self.model, "draws": self.draws, "seed": self.seed, "electorate": self.electorate,
            "win_shares": {i: float(w) for i, w in zip(self.ids, self.wins)},
            "tie_share": self.tie_share, "no_winner_share": self.none_share,
        }
        if self.reachable is not None:
            doc["reachable_shares"] = {i: float(w) for i, w in zip(self.ids, self.reachable)}
        return doc


def option_index(house: House, analysis: MajorityAnalysis, name: str) -> int:
    """Which of the analysis's options ``name`` is (named as ``--options`` names them)."""
    from tellers.parliament.options import named

    ids = [t.division.id for t in analysis.options]
    found = [ids.index(d) for _, d in named(house, name) if d in ids]
    if len(found) != 1:
        raise OptionError(f"the default {name!r} must be one of the options given: {few(t.label for t in analysis.options)}")
    return found[0]


def shares_each(
    house: House,
    analysis: MajorityAnalysis,
    runs: Sequence[tuple[str, str]],
    *,
    default: str | None = None,
    model: str = "party",
    draws: int = DRAWS,
    seed: int = 0,
    reachable: bool = False,
    progress: Callable[[int], None] | None = None,
    drawn: Drawn | None = None,
) -> list[ProcedureShares]:
    """Each (procedure, voting) of ``runs`` on the same ``draws`` completions under ``model``
    (``drawn``: those completions drawn already). The default (indicative votes) is left off
    every agenda, and counts only there."""
    if analysis.infer != "revealed":
        raise TellersError("completions are of revealed preferences: drop --infer spatial, or drop --completions")
    check_draws(draws, seed)
    labels = [t.label for t in analysis.options]
    fallback = None if default is None else option_index(house, analysis, default)
    if fallback is not None and not any(procedures.info(name).needs_default for name, _ in runs):
        raise TellersError("--default applies to indicative votes: drop it, or give --procedure indicative")
    motions = []
    for procedure, voting in runs:
        needs = procedures.info(procedure).needs_default
        agenda = [x for i, x in enumerate(labels) if i != fallback or not needs]
        motions.append(motion(_stand_in(labels), agenda, voting, labels[fallback] if needs and fallback is not None
                              else None, procedure))
    ordered = [procedures.info(procedure).ordered for procedure, _ in runs]
    chunks = drawn.chunks_for(model, draws, seed) if drawn is not None else completion_draws(analysis, model, draws, seed, house)
    k = len(labels)
    wins, ties, none = np.zeros((len(runs), k)), np.zeros(len(runs)), np.zeros(len(runs))
    reached = np.zeros((len(runs), k))
    electorate = 0
    for positions in chunks:
        electorate = positions.shape[1]
        margins = draw_margins(positions)  # every run's head-to-head counts
        for r, ((procedure, voting), m) in enumerate(zip(runs, motions)):
            won = winners_on_draws(procedure, positions, m.agenda, voting, m.default, margins)
            many = won.sum(axis=1)
            wins[r] += won[many == 1].sum(axis=0)
            ties[r] += np.count_nonzero(many > 1)
            none[r] += np.count_nonzero(many == 0)
            if reachable:  # an order-free procedure reaches only what it adopts
                found = reachable_on_draws(procedure, positions, m.agenda, voting, margins=margins) if ordered[r] else won
                reached[r] += found.sum(axis=0)
        if progress is not None:
            progress(len(positions))
    t = analysis.options
    return [
        ProcedureShares(
            tuple(o.division.id for o in t), tuple(labels), tuple(o.option.abbreviation for o in t),
            procedures.info(procedure).name, voting, m.agenda, m.default, model, draws, seed, electorate,
            wins[r] / draws, float(ties[r] / draws), float(none[r] / draws), reached[r] / draws if reachable else None,
        )
        for r, ((procedure, voting), m) in enumerate(zip(runs, motions))
    ]


def _stand_in(labels: list[str]) -> Profile:
    """A one-ballot complete profile over the options, to check an agenda and default by name."""
    return Profile.from_rankings([list(range(len(labels)))], candidates=labels)


def outcome(
    house: House, analysis: MajorityAnalysis, procedure: str, *, voting: str = procedures.SINCERE,
    default: str | None = None, with_reach: bool = False,
) -> tuple[procedures.Outcome, Reach | None]:
    """``procedure`` on the complete rankings of a spatial model, with its agenda power."""
    if analysis.infer != "spatial":
        raise TellersError(
            f"the {procedure} procedure needs every member's complete ranking, and division lists reveal only "
            "Aye-over-No pairs: give --completions MODEL (run it on each simulated completion) or --infer spatial")
    labels = [t.label for t in analysis.options]
    fallback = None if default is None else labels[option_index(house, analysis, default)]
    agenda = [x for x in labels if x != fallback]
    result = procedures.run(procedure, analysis.profile, agenda, voting, fallback)
    found = reach(motion(analysis.profile, agenda, voting, fallback, procedure), procedure) if with_reach else None
    return result, found


def every_procedure(
    house: House, analysis: MajorityAnalysis, *, model: str = "party", draws: int = DRAWS, seed: int = 0,
    progress: Callable[[int], None] | None = None, drawn: Drawn | None = None,
) -> list[ProcedureShares] | None:
    """Every procedure and way of voting on the same completions, with agenda power: the
    options in the order given, the last standing for the status quo (the amendment agenda's
    last, and the default the indicative votes are against). None where the options are too
    many to try every ordering in every draw, or fewer than three."""
    if not 3 <= len(analysis.options) <= MAX_ORDERED_ON_DRAWS or analysis.infer != "revealed":
        return None
    return shares_each(house, analysis, EVERY_PROCEDURE, default=analysis.options[-1].division.id, model=model,
                       draws=draws, seed=seed, reachable=True, progress=progress, drawn=drawn)
