"""Rules decided by the margin matrix alone: Copeland, Llull, minimax, Schulze, ranked
pairs, split cycle and Black's rule. Ties and truncated ballots enter only through the
margins (a tied or unranked pair counts for neither side), so every published variant
that works on margins agrees with these.
"""

from __future__ import annotations

import numpy as np

from tellers.ballots import majority
from tellers.ballots.profile import Profile
from tellers.ballots.rules._common import best, dominance_tiers, named, tiers, tolerance, winner_set
from tellers.ballots.rules._lock_orders import lock_all_orders
from tellers.ballots.rules.registry import rule
from tellers.ballots.rules.result import Result
from tellers.ballots.rules.scoring import borda


def _pairwise_score_rule(profile: Profile, name: str, win: float, tie: float, loss: float) -> Result:
    margins = profile.margins
    off_diagonal = ~np.eye(profile.num_candidates, dtype=bool)
    noise = tolerance(profile)  # margins within float noise of 0 are ties
    points = np.where(margins > noise, win, np.where(margins < -noise, loss, tie)) * off_diagonal
    scores = points.sum(axis=1)
    tol = 1e-9  # scores count head-to-head results, whatever the weights: not scaled by them
    everyone = np.ones(profile.num_candidates, bool)
    return Result(
        name,
        winner_set(profile, best(scores, everyone, tol)),
        ranking=tiers(profile, scores, tol),
        scores=named(profile, scores),
    )


@rule("copeland", "Copeland", partial=True)
def copeland(profile: Profile) -> Result:
    """Head-to-head wins minus losses; most wins."""
    return _pairwise_score_rule(profile, "copeland", 1.0, 0.0, -1.0)


@rule("llull", "Llull", partial=True)
def llull(profile: Profile) -> Result:
    """Head-to-head wins plus ties; most wins."""
    return _pairwise_score_rule(profile, "llull", 1.0, 1.0, 0.0)


@rule("minimax", "Minimax (Simpson-Kramer)", aliases=("maximin", "simpson_kramer"), partial=True)
def minimax(profile: Profile) -> Result:
    """Smallest worst defeat wins; a candidate's score is the largest margin against it."""
    margins = profile.margins.astype(float).copy()
    np.fill_diagonal(margins, -np.inf)
    worst = margins.max(axis=0) if profile.num_candidates > 1 else np.zeros(1)
    tol = tolerance(profile)
    everyone = np.ones(profile.num_candidates, bool)
    return Result(
        "minimax",
        winner_set(profile, best(worst, everyone, tol, lowest=True)),
        ranking=tiers(profile, worst, tol, lowest=True),
        scores=named(profile, worst),
        notes=("score: its largest defeat margin",),
    )


@rule("schulze", "Schulze (beatpath)", aliases=("beat_path", "beatpath"), partial=True)
def schulze(profile: Profile) -> Result:
    """Strongest beatpaths, path strength measured by margins: a wins if no one's path to a is stronger."""
    paths = majority.widest_paths(profile.margins)
    tol = tolerance(profile)
    beats = paths > paths.T + tol
    winners = ~beats.any(axis=0)
    return Result(
        "schulze",
        winner_set(profile, winners),
        ranking=dominance_tiers(profile, beats),
        notes=("path strength: its weakest margin",),
    )


@rule("split_cycle", "Split Cycle", partial=True)
def split_cycle(profile: Profile) -> Result:
    """In every majority cycle discard the weakest defeats; the undefeated win.

    a defeats b when a beats b by more than the strongest path from b back to a.
    """
    margins = profile.margins
    paths = majority.widest_paths(margins)
    tol = tolerance(profile)
    defeats = (margins > tol) & (margins > paths.T + tol)
    return Result(
        "split_cycle",
        winner_set(profile, ~defeats.any(axis=0)),
        ranking=dominance_tiers(profile, defeats),
    )


@rule("black", "Black")
def black(profile: Profile) -> Result:
    """The Condorcet winner if there is one, otherwise the Borda winners."""
    winner = majority.condorcet_winner(profile.margins)
    if winner is not None:
        return Result("black", frozenset({profile.candidates[winner]}), notes=("Condorcet winner",))
    fallback = borda(profile)
    return Result("black", fallback.winners, fallback.ranking, fallback.scores, notes=("no Condorcet winner: Borda count",))


@rule("ranked_pairs", "Ranked pairs (Tideman)", aliases=("tideman",), partial=True)
def ranked_pairs(profile: Profile) -> Result:
    """Lock in head-to-head wins from the largest margin down, skipping any that would close a cycle.

    Pairs with equal margins can be taken in any order; the winners are every candidate
    that wins under some order, and the ranking is given only when all orders agree.
    The search over orders is pruned and bounded (:mod:`tellers.ballots.rules._lock_orders`):
    past ``MAX_STATES`` states it takes equal margins in candidate order, and says so.
    """
    search = lock_all_orders(profile.margins, tolerance(profile))
    if search.complete:
        return Result(
            "ranked_pairs",
            winner_set(profile, search.winners),
            ranking=None if search.several else dominance_tiers(profile, search.first),
            tie_rule=EVERY_ORDER,
            notes=("orders of equal margins give different outcomes",) if search.several else (),
        )
    first = ~search.first.any(axis=0)
    others = profile.names(np.flatnonzero(search.winners & ~first))
    return Result(
        "ranked_pairs",
        winner_set(profile, first),
        ranking=dominance_tiers(profile, search.first),
        tie_rule=CANDIDATE_ORDER,
        notes=(
            f"too many orders of equal margins: search stopped after {search.states:,} states; "
            "equal margins taken in candidate order",
            "other orders also elect " + ", ".join(others) + "; there may be more"
            if others
            else "other orders may elect others",
        ),
    )


EVERY_ORDER = "winners under every order of equal-margin pairs"
CANDIDATE_ORDER = "equal-margin pairs locked in candidate order (by the winner's place, then the loser's)"
