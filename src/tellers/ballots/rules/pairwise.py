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
from tellers.ballots.rules.registry import rule
from tellers.ballots.rules.result import Result
from tellers.ballots.rules.scoring import borda


def _pairwise_score_rule(profile: Profile, name: str, win: float, tie: float, loss: float) -> Result:
    margins = profile.margins
    off_diagonal = ~np.eye(profile.num_candidates, dtype=bool)
    points = np.where(margins > 0, win, np.where(margins < 0, loss, tie)) * off_diagonal
    scores = points.sum(axis=1)
    tol = tolerance(profile)
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
    """
    tol = tolerance(profile)
    outcomes = _lock_all_orders(profile.margins, tol)
    winners = np.zeros(profile.num_candidates, bool)
    for locked in outcomes.values():
        winners |= ~locked.any(axis=0)
    ranking = dominance_tiers(profile, next(iter(outcomes.values()))) if len(outcomes) == 1 else None
    notes = () if len(outcomes) == 1 else (f"{len(outcomes)} different outcomes from orders of equal margins",)
    return Result(
        "ranked_pairs",
        winner_set(profile, winners),
        ranking=ranking,
        tie_rule="winners under every order of equal-margin pairs",
        notes=notes,
    )


def _lock_all_orders(margins: np.ndarray, tol: float) -> dict[bytes, np.ndarray]:
    """Every distinct locked graph ranked pairs can produce, keyed by its bytes."""
    m = margins.shape[0]
    edges = [(float(margins[a, b]), a, b) for a in range(m) for b in range(m) if margins[a, b] > tol]
    edges.sort(key=lambda e: -e[0])
    groups: list[list[tuple[int, int]]] = []
    for value, a, b in edges:
        if groups and abs(groups[-1][0][2] - value) <= tol:
            groups[-1].append((a, b, value))
        else:
            groups.append([(a, b, value)])
    groups_ab = [[(a, b) for a, b, _ in g] for g in groups]

    outcomes: dict[bytes, np.ndarray] = {}
    seen: set[tuple[int, bytes]] = set()
    branched: set[tuple] = set()

    def lock(reach: np.ndarray, a: int, b: int) -> np.ndarray | None:
        if reach[b, a] or a == b:
            return None
        new = reach.copy()
        sources = new[:, a].copy()
        sources[a] = True
        targets = new[b].copy()
        targets[b] = True
        new |= np.outer(sources, targets)
        return new

    def explore(g: int, locked: np.ndarray, reach: np.ndarray) -> None:
        key = (g, locked.tobytes())
        if key in seen:
            return
        seen.add(key)
        if g == len(groups_ab):
            outcomes[locked.tobytes()] = locked
            return
        group = [(a, b) for a, b in groups_ab[g] if not reach[b, a]]
        # when the whole group can be locked without a cycle, order cannot matter
        trial_locked, trial_reach = locked.copy(), reach
        for a, b in group:
            trial_reach = lock(trial_reach, a, b) if trial_reach is not None else None
            if trial_reach is None:
                break
            trial_locked[a, b] = True
        if trial_reach is not None:
            explore(g + 1, trial_locked, trial_reach)
            return
        _branch(g, group, locked, reach)

    def _branch(g: int, pending: list[tuple[int, int]], locked: np.ndarray, reach: np.ndarray) -> None:
        pending = [(a, b) for a, b in pending if not reach[b, a]]
        if not pending:
            explore(g + 1, locked, reach)
            return
        key = (g, tuple(pending), locked.tobytes())
        if key in branched:
            return
        branched.add(key)
        for i, (a, b) in enumerate(pending):
            new_reach = lock(reach, a, b)
            new_locked = locked.copy()
            new_locked[a, b] = True
            _branch(g, pending[:i] + pending[i + 1 :], new_locked, new_reach)

    start = np.zeros((m, m), bool)
    explore(0, start, start.copy())
    return outcomes
