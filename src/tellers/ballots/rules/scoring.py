"""Positional and approval rules: plurality, anti-plurality, Borda, approval, Bucklin.

Ties and truncation: a ballot's weight is split equally among candidates it ties at
the place that is counted (its top for plurality, its bottom for anti-plurality, where
the unranked candidates of a truncated ballot share the bottom). Borda gives each
candidate one point per candidate the ballot ranks strictly below it, so unranked
candidates score 0 and tied candidates score alike; on complete strict ballots this is
the classic m-1, m-2, ..., 0 count.
"""

from __future__ import annotations

import numpy as np

from tellers.ballots.profile import UNRANKED, Profile
from tellers.ballots.rules._common import best, named, tiers, tolerance, winner_set
from tellers.ballots.rules.registry import rule
from tellers.ballots.rules.result import Result, Round


def place_tally(profile: Profile, active: np.ndarray, *, bottom: bool = False) -> tuple[np.ndarray, float]:
    """Weight of ballots placing each active candidate first (or last), ties split.

    Returns the tallies and the weight of ballots that rank no active candidate.
    """
    if bottom:
        return _bottom_tally(profile, active)
    columns = profile.by_candidate
    _, live, at_top, single = top_places(columns if active.all() else columns[active], np.iinfo(columns.dtype).max)
    tallies = np.zeros(profile.num_candidates)
    exhausted = 0.0 if live.all() else profile.weight_sums.total(~live)
    if single:  # each candidate's tally is the weight of its ballots
        tallies[active] = [profile.weight_sums.total(a) for a in at_top]
    else:
        share = profile.weights / np.maximum(at_top.sum(axis=0, dtype=np.int32), 1)
        tallies[active] = [float(np.compress(a, share).sum()) for a in at_top]
    return tallies, exhausted


def top_places(columns: np.ndarray, unranked: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """From ranks one row per candidate (candidates x ballots): each ballot's top level, whether
    it ranks any of these candidates, the mask of those at its top, and whether no ballot ties there."""
    top = columns.min(axis=0)
    live = top != unranked
    at_top = columns == top
    if not live.all():
        at_top &= live
    single = sum(np.count_nonzero(row) for row in at_top) == np.count_nonzero(live)
    return top, live, at_top, single


def _bottom_tally(profile: Profile, active: np.ndarray) -> tuple[np.ndarray, float]:
    """Weight of ballots placing each active candidate last, ties split (unranked share the bottom)."""
    ranks = np.where(active, profile.ranks, -1)
    ranks = np.where(active & ~profile.ranked, UNRANKED, ranks)
    edge = ranks.max(axis=1)
    at_edge = (ranks == edge[:, None]) & active
    share = profile.weights / at_edge.sum(axis=1)
    return share @ at_edge, 0.0


def _score_result(profile: Profile, name: str, scores: np.ndarray, *, lowest: bool = False, notes=()) -> Result:
    tol = tolerance(profile)
    everyone = np.ones(profile.num_candidates, bool)
    return Result(
        rule=name,
        winners=winner_set(profile, best(scores, everyone, tol, lowest=lowest)),
        ranking=tiers(profile, scores, tol, lowest=lowest),
        scores=named(profile, scores),
        notes=tuple(notes),
    )


@rule("plurality", "Plurality (first past the post)", aliases=("fptp",))
def plurality(profile: Profile) -> Result:
    """Most first preferences wins; a ballot tied at the top is split among its tied candidates."""
    tallies, exhausted = place_tally(profile, np.ones(profile.num_candidates, bool))
    notes = [f"{exhausted:g} ballots rank no candidate"] if exhausted else []
    return _score_result(profile, "plurality", tallies, notes=notes)


@rule("anti_plurality", "Anti-plurality (fewest last places)", aliases=("antiplurality", "veto"))
def anti_plurality(profile: Profile) -> Result:
    """Fewest last places wins; a truncated ballot's unranked candidates share its last place."""
    tallies, _ = place_tally(profile, np.ones(profile.num_candidates, bool), bottom=True)
    return _score_result(profile, "anti_plurality", tallies, lowest=True)


@rule("borda", "Borda count")
def borda(profile: Profile) -> Result:
    """One point per candidate ranked strictly below, on each ballot; most points wins."""
    return _score_result(profile, "borda", profile.support.sum(axis=1))


@rule("approval", "Approval voting")
def approval(profile: Profile) -> Result:
    """Most approvals wins. On ranked ballots every candidate a ballot ranks counts as approved."""
    notes = () if profile.approval else ("ranked ballots: every ranked candidate counts as approved",)
    return _score_result(profile, "approval", profile.weights @ profile.ranked, notes=notes)


@rule("bucklin", "Bucklin")
def bucklin(profile: Profile) -> Result:
    """Add each next preference level until someone has a strict majority; most votes then wins.

    Candidates tied at a level enter together. The majority is of the ballots that rank
    at least one candidate (an empty ballot expresses nothing, as in the elimination
    rules). If truncated ballots never let anyone reach a majority, the highest total
    after all levels wins.
    """
    tol = tolerance(profile)
    half = float(profile.weights @ profile.ranked.any(axis=1)) / 2
    everyone = np.ones(profile.num_candidates, bool)
    levels = int(profile.ranks[profile.ranked].max(initial=0)) + 1
    rounds = []
    for k in range(1, levels + 1):
        scores = profile.weights @ (profile.ranks < k)
        rounds.append(Round(k, named(profile, scores), note=f"preferences 1 to {k}"))
        if scores.max() > half + tol or k == levels:
            break
    winners = best(scores, everyone, tol)
    return Result(
        rule="bucklin",
        winners=winner_set(profile, winners),
        ranking=tiers(profile, scores, tol),
        scores=named(profile, scores),
        rounds=tuple(rounds),
    )
