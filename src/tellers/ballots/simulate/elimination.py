"""Elimination rules on a batch of elections: IRV, Smith//IRV, Coombs, Baldwin and Nanson.

Each follows its engine rule (:mod:`tellers.ballots.rules.runoff`) on strict complete
ballots: a candidate with more than half the voters' first places among those left wins;
else every candidate tied for elimination goes together, and if all left are tied they all
win. Ballots are never exhausted (every ballot ranks every candidate), so the majority is of
all the voters. The counts are in whole voters, so no tolerance is needed.
"""

from __future__ import annotations

import numpy as np

from tellers.ballots.simulate.elections import Elections


class Places:
    """Voters placing each candidate first among those left in each election's count
    (``last``: last, by reading the ballots upside down), as candidates drop out.

    Per-election ballots are held one contiguous (E, V) row per candidate, a dropped
    candidate's row set past every place: elementwise work across candidates is far faster
    than reducing each ballot's short row. Ballots shared by every election (counted by
    type) are marked once per set of candidates left, and weighed for the elections with
    that set in one product.
    """

    def __init__(self, elections: Elections, remaining: np.ndarray, *, last: bool = False) -> None:
        self.elections = elections
        self.m = m = elections.candidates
        positions = (m - 1) - elections.positions if last else elections.positions
        self.shared = positions.shape[0] == 1 and elections.counts is not None
        if self.shared:
            self.ballots = positions[0]
        else:
            self.columns = np.moveaxis(positions, 2, 0).copy()  # (m, E, V), our own to write
            self.drop(np.arange(elections.elections), ~remaining)

    def drop(self, rows: np.ndarray, losers: np.ndarray) -> None:
        """Take ``losers`` (len(rows), m) out of the count in the elections ``rows``."""
        if not self.shared:
            for c in np.flatnonzero(losers.any(axis=0)):
                self.columns[c][rows[losers[:, c]]] = self.m

    def first(self, rows: np.ndarray, remaining: np.ndarray) -> np.ndarray:
        """(len(rows), m): in the elections ``rows``, whose candidates left are ``remaining``
        (the same as dropped), the voters placing each candidate first among them."""
        if self.shared:
            return self._shared(rows, remaining)
        top = self.columns[0].copy()
        for column in self.columns[1:]:
            np.minimum(top, column, out=top)
        return np.stack([self.elections.weigh(column == top) for column in self.columns], axis=1)[rows]

    def _shared(self, rows: np.ndarray, remaining: np.ndarray) -> np.ndarray:
        counts = self.elections.counts
        codes = remaining @ (1 << np.arange(self.m, dtype=np.int64))
        sets, which = np.unique(codes, return_inverse=True)
        tallies = np.empty((len(rows), self.m), dtype=np.int64)
        for i, code in enumerate(sets):
            among = (int(code) >> np.arange(self.m)) & 1 == 1
            masked = np.where(among, self.ballots, self.m)
            marks = (masked == masked.min(axis=1, keepdims=True)).astype(np.int64)
            if len(sets) == 1:
                return (counts if len(rows) == len(counts) else counts[rows]) @ marks
            group = which == i
            tallies[group] = counts[rows[group]] @ marks
        return tallies


def runoff(elections: Elections, remaining: np.ndarray | None = None, *, coombs: bool = False) -> np.ndarray:
    """Winners of IRV (``coombs``: Coombs) among the ``remaining`` candidates (all by default).

    A majority of first places wins; else IRV drops the fewest first places, Coombs the most
    last places.
    """
    E, m = elections.elections, elections.candidates
    remaining = np.ones((E, m), dtype=bool) if remaining is None else remaining.copy()
    firsts = Places(elections, remaining)
    lasts = Places(elections, remaining, last=True) if coombs else None
    voters = elections.voters
    won = np.zeros((E, m), dtype=bool)
    rows = np.arange(E)
    while rows.size:
        left = remaining[rows]
        first = firsts.first(rows, left)
        lead = np.where(left, first, -1).max(axis=1)
        majority = 2 * lead > voters[rows]
        won[rows[majority]] = left[majority] & (first[majority] == lead[majority, None])
        if lasts is not None:
            last = lasts.first(rows, left)
            losers = left & (last == np.where(left, last, -1).max(axis=1, keepdims=True))
        else:
            losers = left & (first == np.where(left, first, np.iinfo(np.int64).max).min(axis=1, keepdims=True))
        tied = ~majority & (losers == left).all(axis=1)
        won[rows[tied]] = left[tied]
        going = ~(majority | tied)
        rows, losers = rows[going], losers[going]
        remaining[rows] &= ~losers
        for places in (firsts, lasts) if lasts is not None else (firsts,):
            places.drop(rows, losers)
    return won


def irv(elections: Elections) -> np.ndarray:
    return runoff(elections)


def coombs(elections: Elections) -> np.ndarray:
    return runoff(elections, coombs=True)


def smith_irv(elections: Elections) -> np.ndarray:
    """IRV among the Smith set."""
    return runoff(elections, smith_mask(elections.margins))


def smith_mask(margins: np.ndarray) -> np.ndarray:
    """(E, m): the Smith set of each election, those reaching everyone by wins or ties."""
    reach = margins >= 0
    for k in range(margins.shape[1]):
        reach |= reach[:, :, k, None] & reach[:, None, k, :]
    return reach.all(axis=2)


def borda_elimination(elections: Elections, *, below_mean: bool) -> np.ndarray:
    """Baldwin (drop the lowest Borda score among those left) or Nanson (drop every score
    below the mean), until one is left or all left tie.

    Among the k left, a candidate's Borda score is (S + V(k - 1)) / 2 with S its margins
    over the others left summed; the S of those left sum to 0, so the mean score is S = 0.
    """
    margins = elections.margins
    E, m = margins.shape[:2]
    remaining = np.ones((E, m), dtype=bool)
    won = np.zeros((E, m), dtype=bool)
    rows = np.arange(E)
    while rows.size:
        left = remaining[rows]
        score = np.einsum("ecb,eb->ec", margins[rows], left.astype(np.int64))
        high = np.where(left, score, np.iinfo(np.int64).min).max(axis=1)
        low = np.where(left, score, np.iinfo(np.int64).max).min(axis=1)
        tied = high == low
        won[rows[tied]] = left[tied]
        losers = left & ((score < 0) if below_mean else (score == low[:, None]))
        rows, losers = rows[~tied], losers[~tied]
        remaining[rows] &= ~losers
    return won


def baldwin(elections: Elections) -> np.ndarray:
    return borda_elimination(elections, below_mean=False)


def nanson(elections: Elections) -> np.ndarray:
    return borda_elimination(elections, below_mean=True)
