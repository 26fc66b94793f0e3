"""Merging identical ballots into (ballot, weight) pairs, and renumbering each ballot's
levels 0, 1, 2, ... so that equal orders have equal rows."""

from __future__ import annotations

import numpy as np

from tellers.ballots.ranks import UNRANKED


def densify(ranks: np.ndarray) -> np.ndarray:
    """Renumber each ballot's levels 0, 1, 2, ... keeping order and ties.

    Ballots that already are (every ballot built from an order array) are not redone;
    when none needs it, ``ranks`` itself is returned.
    """
    n, m = ranks.shape
    if n == 0:
        return ranks
    if m <= 62:
        redo = ~_dense_rows(ranks)
        if not redo.any():
            return ranks.astype(np.int16, copy=False)
        if not redo.all():
            dense = ranks.astype(np.int16)
            dense[redo] = densify(ranks[redo])
            return dense
    order = np.argsort(ranks, axis=1, kind="stable")
    sorted_ranks = np.take_along_axis(ranks, order, axis=1)
    new_level = np.zeros((n, m), dtype=np.int16)
    new_level[:, 1:] = np.cumsum(sorted_ranks[:, 1:] != sorted_ranks[:, :-1], axis=1)
    dense = np.empty_like(ranks)
    np.put_along_axis(dense, order, new_level, axis=1)
    return np.where(ranks == UNRANKED, UNRANKED, dense).astype(np.int16)


def _dense_rows(ranks: np.ndarray) -> np.ndarray:
    """Which ballots already use exactly the levels 0, 1, ..., L-1 (needs m <= 62)."""
    n, m = ranks.shape
    used = np.zeros(n, dtype=np.int64)  # bit l set when the ballot uses level l; bit m: unranked
    bad = np.zeros(n, dtype=bool)
    for col in ranks.T.copy():
        bad |= (col != UNRANKED) & ((col < 0) | (col >= m))
        used |= np.left_shift(1, np.clip(col, 0, m), dtype=np.int64)
    used &= ~(np.int64(1) << m)
    return ~bad & ((used & (used + 1)) == 0)  # levels 0..L-1 make L low bits


def merge_ballots(ranks: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge identical ballots, summing their weights; drop zero-weight ballots."""
    keep = weights > 0
    if not keep.all():
        ranks, weights = ranks[keep], weights[keep]
    ranks = densify(ranks)
    n, m = ranks.shape
    if n == 0:
        return ranks.reshape(0, m), weights
    bits = int(m).bit_length()  # a level 0..m-1, or m for unranked, fits in this many bits
    if m * bits > 63:
        codes = np.where(ranks == UNRANKED, m, ranks).astype(np.int64)
        _, first, inverse = np.unique(codes, axis=0, return_index=True, return_inverse=True)
        return ranks[first], np.bincount(inverse.ravel(), weights=weights, minlength=first.size)
    # pack each ballot into one integer (first candidate in the lowest bits): sorting 1-D
    # keys is far faster than sorting rows, and sorts ballots in the same order
    keys = np.zeros(n, dtype=np.int64)
    for col in ranks.T[::-1].copy():
        keys <<= bits
        keys |= np.minimum(col, m)
    if np.all(weights == weights[0]) and float(weights[0]).is_integer() and weights[0] < 2**53 / n:
        # equal whole-number weights: sorting the keys alone is enough; a key's count
        # times the weight is its exact summed weight, and the key gives back the ballot
        keys.sort()
        new = np.empty(n, dtype=bool)
        new[0] = True
        np.not_equal(keys[1:], keys[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        return _unpack(keys[starts], m, bits), np.diff(starts, append=n) * weights[0]
    order = np.argsort(keys)
    keys = keys[order]
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    if new.all():
        return ranks[order], weights[order]
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    first = order[new]
    return ranks[first], np.bincount(inverse, weights=weights, minlength=first.size)


def _unpack(keys: np.ndarray, m: int, bits: int) -> np.ndarray:
    """Rank matrix back from the keys :func:`merge_ballots` packs."""
    ranks = np.empty((m, keys.size), dtype=np.int16)
    low = (1 << bits) - 1
    for c in range(m):
        ranks[c] = (keys >> (c * bits)) & low
    ranks[ranks == m] = UNRANKED
    return ranks.T.copy()
