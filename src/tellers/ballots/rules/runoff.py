"""Elimination rules: IRV (alternative vote), Coombs, Baldwin, Nanson and Smith//IRV.

Ties inside a count are never broken by chance: every candidate tied for elimination is
eliminated together (the convention of pref-voting's default methods), and if all the
remaining candidates are tied they are all winners. A ballot whose top remaining
preference is a tie is split equally among the tied candidates. A ballot that ranks none
of the remaining candidates is exhausted and drops out of the count (so a majority means
more than half of the ballots still in the count).
"""

from __future__ import annotations

import numpy as np

from tellers.ballots.profile import Profile
from tellers.ballots.rules._common import best, named, tolerance, winner_set
from tellers.ballots.rules.registry import rule
from tellers.ballots.rules.result import Result, Round
from tellers.ballots.rules.scoring import place_tally, top_places
from tellers.ballots.weights import WeightSums

ELIMINATE_ALL_TIED = "all candidates tied for elimination are eliminated together"


class _FirstPreferences:
    """First-preference tallies kept up to date as candidates are eliminated.

    Only the ballots whose current top choice was eliminated are recounted, so a
    million-ballot count costs little more than its first round. Ranks are held one row
    per candidate (the profile's byte-sized ``by_candidate``), so each pass runs along
    contiguous memory; a ballot's top choices are the continuing candidates at its
    ``top`` level.
    """

    def __init__(self, profile: Profile, active: np.ndarray) -> None:
        self.weights = profile.weights
        self.ranks = profile.by_candidate.copy()  # candidates x ballots
        self.unranked = np.iinfo(self.ranks.dtype).max
        self.ranks[~active] = self.unranked
        self.top = np.full(len(self.weights), self.unranked, dtype=self.ranks.dtype)
        self.share = np.zeros(len(self.weights))
        self.tallies = np.zeros(self.ranks.shape[0])
        self.exhausted = 0.0
        self._recount(np.arange(len(self.weights)), self.ranks, profile.weight_sums)

    def _recount(self, rows: np.ndarray, r: np.ndarray, sums: WeightSums | None = None) -> None:
        """Count ``rows`` afresh; ``r`` holds their columns of ``ranks``.

        ``sums``: the profile's weight sums, when every ballot is recounted.
        """
        top, live, at_top, single = top_places(r, self.unranked)
        weights = self.weights[rows] if sums is None else self.weights
        if single:
            share = np.where(live, weights, 0.0)
            self.tallies += [sums.total(row) for row in at_top] if sums is not None else _shares_by_candidate(at_top, share)
        else:
            share = weights / np.maximum(at_top.sum(axis=0, dtype=np.int32), 1)
            share[~live] = 0.0
            self.tallies += _shares_by_candidate(at_top, share)
        self.top[rows] = top
        self.share[rows] = share
        self.exhausted += float(weights[~live].sum())

    def eliminate(self, losers: np.ndarray) -> None:
        hit = np.zeros(len(self.weights), dtype=bool)
        for c in np.flatnonzero(losers):
            hit |= self.ranks[c] == self.top
        rows = np.flatnonzero(hit & (self.top != self.unranked))
        r = self.ranks.take(rows, axis=1)  # contiguous, unlike ranks[:, rows]
        self.tallies -= _shares_by_candidate(r == self.top[rows], self.share[rows])
        self.ranks[losers] = self.unranked
        r[losers] = self.unranked
        self._recount(rows, r)
        self.tallies[losers] = 0.0


def _shares_by_candidate(at_top: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Per candidate, the summed shares of the ballots that have it on top (candidates x ballots mask)."""
    return np.array([np.compress(row, share).sum() for row in at_top], dtype=float).reshape(at_top.shape[0])


def instant_runoff(profile: Profile, active: np.ndarray | None = None) -> tuple[np.ndarray, list[Round]]:
    """Winners (a mask) and rounds of an IRV count among the ``active`` candidates."""
    tol = tolerance(profile)
    active = np.ones(profile.num_candidates, bool) if active is None else active.copy()
    count = _FirstPreferences(profile, active)
    rounds: list[Round] = []
    while True:
        tallies, continuing = count.tallies, profile.voters - count.exhausted
        number = len(rounds) + 1
        leader = best(tallies, active, tol)
        if tallies[leader].max() > continuing / 2 + tol or active.sum() == 1:
            rounds.append(Round(number, named(profile, tallies, active), (), count.exhausted, "majority of continuing ballots"))
            return leader, rounds
        losers = best(tallies, active, tol, lowest=True)
        if np.array_equal(losers, active):
            rounds.append(Round(number, named(profile, tallies, active), (), count.exhausted, "all remaining candidates tied"))
            return active, rounds
        rounds.append(Round(number, named(profile, tallies, active), tuple(profile.names(np.flatnonzero(losers))), count.exhausted))
        active &= ~losers
        count.eliminate(losers)


@rule("irv", "Instant-runoff / alternative vote", aliases=("av", "instant_runoff", "hare", "rcv"))
def irv(profile: Profile) -> Result:
    """Eliminate the candidate with fewest first preferences until one has a majority."""
    winners, rounds = instant_runoff(profile)
    return Result("irv", winner_set(profile, winners), rounds=tuple(rounds), tie_rule=ELIMINATE_ALL_TIED)


@rule("smith_irv", "Smith//IRV", aliases=("smith_av",))
def smith_irv(profile: Profile) -> Result:
    """IRV among the Smith set only: elects the Condorcet winner when there is one."""
    winners, rounds = instant_runoff(profile, profile.smith_mask)
    return Result(
        "smith_irv",
        winner_set(profile, winners),
        rounds=tuple(rounds),
        tie_rule=ELIMINATE_ALL_TIED,
        notes=("Smith set: " + ", ".join(profile.smith_set()),),
    )


@rule("coombs", "Coombs")
def coombs(profile: Profile) -> Result:
    """Eliminate the candidate with most last places until one has a majority of first places."""
    tol = tolerance(profile)
    active = np.ones(profile.num_candidates, bool)
    rounds: list[Round] = []
    while True:
        first, exhausted = place_tally(profile, active)
        number = len(rounds) + 1
        leader = best(first, active, tol)
        if first[leader].max() > (profile.voters - exhausted) / 2 + tol or active.sum() == 1:
            rounds.append(Round(number, named(profile, first, active), (), exhausted, "majority of first preferences"))
            return Result("coombs", winner_set(profile, leader), rounds=tuple(rounds), tie_rule=ELIMINATE_ALL_TIED)
        last, _ = place_tally(profile, active, bottom=True)
        losers = best(last, active, tol)
        if np.array_equal(losers, active):
            rounds.append(Round(number, named(profile, first, active), (), exhausted, "all remaining tied on last places"))
            return Result("coombs", winner_set(profile, active), rounds=tuple(rounds), tie_rule=ELIMINATE_ALL_TIED)
        note = "last places: " + ", ".join(f"{k} {v:g}" for k, v in named(profile, last, active).items())
        rounds.append(Round(number, named(profile, first, active), tuple(profile.names(np.flatnonzero(losers))), exhausted, note))
        active &= ~losers


def _borda_elimination(profile: Profile, name: str, below_average: bool) -> Result:
    """Baldwin (drop the lowest Borda score) or Nanson (drop all below the mean), recounting each round."""
    tol = tolerance(profile)
    active = np.ones(profile.num_candidates, bool)
    rounds: list[Round] = []
    while True:
        scores = profile.support[:, active].sum(axis=1)
        number = len(rounds) + 1
        values = scores[active]
        if active.sum() == 1 or values.max() - values.min() <= tol:
            rounds.append(Round(number, named(profile, scores, active), (), 0.0, "" if active.sum() == 1 else "all remaining tied"))
            return Result(name, winner_set(profile, active), rounds=tuple(rounds), tie_rule=ELIMINATE_ALL_TIED)
        if below_average:
            losers = active & (scores < values.mean() - tol)
        else:
            losers = best(scores, active, tol, lowest=True)
        rounds.append(Round(number, named(profile, scores, active), tuple(profile.names(np.flatnonzero(losers))), 0.0, "Borda scores among remaining candidates"))
        active &= ~losers


@rule("baldwin", "Baldwin")
def baldwin(profile: Profile) -> Result:
    """Eliminate the lowest Borda score, recount among the rest, repeat."""
    return _borda_elimination(profile, "baldwin", below_average=False)


@rule("nanson", "Nanson")
def nanson(profile: Profile) -> Result:
    """Eliminate every candidate with a Borda score strictly below the mean, recount, repeat."""
    return _borda_elimination(profile, "nanson", below_average=True)
