"""A batch of simulated elections: strict rankings as positions, with a count per ballot.

Every culture returns :class:`Elections`: E elections over m candidates. ``positions`` is
(E, V, m) or (1, V, m), 0 the top and every ballot a strict ranking; row v of election e
stands for ``counts[e, v]`` voters (one each when ``counts`` is None). A culture that draws
ballot counts directly (impartial culture over m! orders, for small m) gives one row per
order, shared by every election, and the counts; a culture that draws voter by voter gives
one row per voter. The rules and measures read either through :meth:`Elections.weigh`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from tellers.ballots.weights import count_true

MAX_TYPED = 7
"""Most candidates for which ballots are counted by order type (7! = 5,040 orders)."""


@lru_cache(maxsize=None)
def orders(m: int) -> np.ndarray:
    """(m!, m): every strict order of m candidates, each row the candidates from the top,
    in lexicographic order (row i is the i-th permutation)."""
    return np.array(list(itertools.permutations(range(m))), dtype=np.int8).reshape(math.factorial(m), m)


@lru_cache(maxsize=None)
def order_positions(m: int) -> np.ndarray:
    """(m!, m): each order of :func:`orders` as positions (``[i, c]`` is c's place, 0 the top)."""
    o = orders(m)
    positions = np.empty_like(o)
    np.put_along_axis(positions, o.astype(np.intp), np.arange(m, dtype=np.int8)[None], axis=1)
    return positions


def order_index(positions: np.ndarray) -> np.ndarray:
    """The row of :func:`orders` each strict ranking is (positions along the last axis), so
    rankings can be counted by type: each ranking's pattern of pairwise comparisons, read
    as bits, looked up in a table of every order's pattern."""
    m = positions.shape[-1]
    code = np.zeros(positions.shape[:-1], dtype=np.int32)
    for bit, (x, y) in enumerate(zip(*np.triu_indices(m, 1))):
        code |= (positions[..., x] < positions[..., y]).astype(np.int32) << bit
    return _pattern_table(m)[code]


@lru_cache(maxsize=None)
def _pattern_table(m: int) -> np.ndarray:
    """Order index by pairwise-comparison pattern (-1 for a pattern no strict order has)."""
    pairs = m * (m - 1) // 2
    table = np.full(1 << pairs, -1, dtype=np.int32)
    p = order_positions(m)
    code = np.zeros(len(p), dtype=np.int64)
    for bit, (x, y) in enumerate(zip(*np.triu_indices(m, 1))):
        code |= (p[:, x] < p[:, y]).astype(np.int64) << bit
    table[code] = np.arange(len(p), dtype=np.int32)
    return table


@dataclass(frozen=True)
class Elections:
    """E elections over m candidates (see the module notes)."""

    positions: np.ndarray
    """(E, V, m) or (1, V, m) int8: each ballot's place for each candidate, 0 the top."""
    counts: np.ndarray | None = None
    """(E, V) voters casting each row's ballot in each election; None: one each."""
    _margins: list = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.positions.ndim != 3:
            raise ValueError("positions must be (elections, ballots, candidates)")
        if self.counts is None and self.positions.shape[0] == 0:
            raise ValueError("no elections")

    @property
    def elections(self) -> int:
        return len(self.counts) if self.counts is not None else self.positions.shape[0]

    @property
    def candidates(self) -> int:
        return self.positions.shape[2]

    @property
    def voters(self) -> np.ndarray:
        """(E,) voters in each election."""
        if self.counts is None:
            return np.full(self.elections, self.positions.shape[1], dtype=np.int64)
        return self.counts.sum(axis=1, dtype=np.int64)

    def weigh(self, marks: np.ndarray) -> np.ndarray:
        """(E, ...) the number of voters whose ballot row is marked: ``marks`` is (E|1, V, ...)
        booleans, one mark per ballot row (and per whatever trails)."""
        if self.counts is None:
            return count_true(marks, axis=1)
        if marks.shape[0] == 1:
            # in floats, for BLAS: exact while a count stays below 2**53 voters
            flat = marks[0].reshape(marks.shape[1], -1).astype(np.float64)
            total = self.counts.astype(np.float64) @ flat
            return total.astype(np.int64).reshape((self.elections,) + marks.shape[2:])
        return np.einsum("ev,ev...->e...", self.counts.astype(np.int64), marks.astype(np.int64))

    @property
    def margins(self) -> np.ndarray:
        """(E, m, m) int64: voters ranking x above y minus those ranking y above x."""
        if not self._margins:
            m = self.candidates
            x, y = np.triu_indices(m, 1)
            p = self.positions
            if self.counts is None:  # a pair at a time: contiguous columns count fastest
                ahead = np.stack([self.weigh(p[:, :, a] < p[:, :, b]) for a, b in zip(x, y)], axis=1)
            else:  # every pair in one product with the counts
                ahead = self.weigh(p[:, :, x] < p[:, :, y])  # (E, pairs)
            net = 2 * ahead - self.voters[:, None]
            margins = np.zeros((self.elections, m, m), dtype=np.int64)
            margins[:, x, y] = net
            margins[:, y, x] = -net
            self._margins.append(margins)
        return self._margins[0]

    def take(self, rows: np.ndarray) -> Elections:
        """The elections at ``rows`` (indices or a boolean mask)."""
        if self.counts is None:
            return Elections(self.positions[rows])
        shared = self.positions.shape[0] == 1
        return Elections(self.positions if shared else self.positions[rows], self.counts[rows])

    def per_voter(self) -> np.ndarray:
        """(E, n, m) positions with one row per voter (every election must have n voters);
        for checks against code that reads voters one by one."""
        if self.counts is None:
            return self.positions
        n = int(self.voters[0])
        if not (self.voters == n).all():
            raise ValueError("elections of different sizes cannot be stacked voter by voter")
        rows = [np.repeat(np.arange(self.counts.shape[1]), c) for c in self.counts]
        source = self.positions if self.positions.shape[0] > 1 else np.broadcast_to(
            self.positions, (self.elections,) + self.positions.shape[1:])
        return np.stack([source[e][r] for e, r in enumerate(rows)])

    def typed(self) -> Elections:
        """The same elections counted by order type (one row per order of :func:`orders`),
        when there are few enough candidates to pay; else themselves."""
        m = self.candidates
        if self.counts is not None or m > MAX_TYPED:
            return self
        types = math.factorial(m)
        index = order_index(self.positions)  # (E, n)
        offset = index + types * np.arange(self.elections)[:, None]
        counts = np.bincount(offset.ravel(), minlength=types * self.elections).reshape(self.elections, types)
        return Elections(order_positions(m)[None], counts.astype(np.int64))
