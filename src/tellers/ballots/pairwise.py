"""Pairwise counts at memory speed: ``support[a, b]``, the weight of ballots ranking a above b.

The count runs on a *candidate-major* copy of the ranks (one contiguous row per
candidate, one byte per cell where the levels fit), taken a block of ballots at a time
so that a block's rows stay in cache while every pair of candidates is compared: one
``count_nonzero(R[a] < R[b])`` per ordered pair and block, the numpy floor for this
count. Weights are handled without a float copy of the comparisons where they are
whole numbers (see :func:`_weight_digits`).
"""

from __future__ import annotations

import numpy as np

from tellers.ballots.ranks import UNRANKED

BLOCK = 1 << 17
"""Ballots per block: 13 candidates x 128 KiB of byte ranks stay in a core's cache."""

SMALL = 1 << 20
"""Up to this many comparisons (m * m * ballots) all pairs are compared in one step."""


def by_candidate(ranks: np.ndarray, *, dense: bool = False) -> np.ndarray:
    """The ranks one row per candidate: uint8 where every level fits, unranked -> 255.

    Order is kept: ``by_candidate(r)[c, i] < by_candidate(r)[d, i]`` exactly when
    ``r[i, c] < r[i, d]``. The int16 unranked code 32767 becomes 255 by plain
    truncation to a byte, so the copy is one cast. ``dense``: levels are 0..m-1
    (every merged profile's are), which spares the check that they fit; int16 (the
    ranks' own type) when they do not.
    """
    n, m = ranks.shape
    if m < 255 and (dense or not np.any((ranks >= 255) & (ranks != UNRANKED))):
        out = np.empty((m, n), dtype=np.uint8)
        for start in range(0, n, BLOCK):
            out[:, start : start + BLOCK] = ranks[start : start + BLOCK].T
        return out
    return np.ascontiguousarray(ranks.T)


def pairwise_support(columns: np.ndarray, weights: np.ndarray, *, strict: bool = False) -> np.ndarray:
    """``S[a, b]``: total weight of ballots ranking a strictly above b.

    ``columns`` is :func:`by_candidate` of the ranks; ``weights`` one per ballot.
    ``strict``: every ballot ranks every candidate without ties, so only half the
    pairs are counted (the ballots not ranking a above b rank b above a).
    """
    m, n = columns.shape
    if n == 0:
        return np.zeros((m, m))
    if m * m * n <= SMALL:
        return (columns[:, None, :] < columns[None, :, :]) @ weights
    planes = _weight_digits(weights)
    if planes is not None:
        base, planes = planes
        counts = _count_pairs(columns, strict) * base
        for digit, rows in planes:
            counts += _count_pairs(columns[:, rows], strict) << digit
        return counts.astype(float)
    if np.all(weights == weights[0]):
        return _count_pairs(columns, strict) * float(weights[0])
    support = np.zeros((m, m))
    for start in range(0, n, BLOCK):
        block = columns[:, start : start + BLOCK]
        w = weights[start : start + BLOCK]
        for a in range(m):
            support[a] += (block[a] < block) @ w
    return support


def _count_pairs(columns: np.ndarray, strict: bool = False) -> np.ndarray:
    """Number of ballots ranking a above b, for every ordered pair (int64, exact)."""
    m, n = columns.shape
    counts = np.zeros((m, m), dtype=np.int64)
    above = np.empty(min(n, BLOCK), dtype=bool)
    for start in range(0, n, BLOCK):
        block = columns[:, start : start + BLOCK]
        out = above[: block.shape[1]]
        for a in range(m):
            row = block[a]
            for b in range(a + 1 if strict else 0, m):
                if b != a:
                    np.less(row, block[b], out=out)
                    counts[a, b] += np.count_nonzero(out)
    if strict:
        upper = np.triu_indices(m, 1)
        counts.T[upper] = n - counts[upper]
    return counts


def _weight_digits(weights: np.ndarray) -> tuple[int, list[tuple[int, np.ndarray]]] | None:
    """Whole-number weights as ``base`` (their minimum) plus binary digits of the rest.

    Returns ``(base, [(digit, rows having it), ...])``: every ballot is counted once
    (times ``base``), then for each digit of ``weight - base`` the few ballots having
    it, so merged ballot counts cost a few exact counts, with no float copy of a
    comparison matrix. None when the weights are not whole numbers with an exact float
    total, or when the digits would count the ballots more than three times over.
    """
    if not (np.all(weights == np.floor(weights)) and weights.sum() < 2**53):
        return None
    whole = weights.astype(np.int64)
    base = int(whole.min())
    whole -= base
    planes, counted = [], 0
    for digit in range(int(whole.max()).bit_length()):
        rows = np.flatnonzero((whole >> digit) & 1)
        counted += len(rows)
        if counted > 2 * len(whole):
            return None
        if len(rows):
            planes.append((digit, rows))
    return base, planes
