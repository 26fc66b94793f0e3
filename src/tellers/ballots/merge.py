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


MAX_PACKED = 64
"""Up to this many candidates a ballot is packed into integer keys to be merged."""

SAMPLE = 1 << 14
"""Ballots sampled to judge whether merging a large profile pays (see :func:`merge_pays`)."""


def merge_ballots(
    ranks: np.ndarray, weights: np.ndarray, *, dense: bool = False
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Merge identical ballots, summing their weights; drop zero-weight ballots.

    Returns the ranks, the weights, and whether the rows are now distinct ballots: a
    large profile whose sample shows merging would not pay (:func:`merge_pays`) is kept
    as given. ``dense``: every ballot already uses levels 0, 1, ... (ballots built from
    orders do), so :func:`densify` is skipped. Each ballot is packed into one integer
    key per few candidates (:func:`pack_keys`) and the keys sorted: sorting 1-D
    integers is far faster than sorting rows. Merged ballots come out ordered by key.
    """
    keep = weights > 0
    if not keep.all():
        ranks, weights = ranks[keep], weights[keep]
    if not dense:
        ranks = densify(ranks)
    n, m = ranks.shape
    if n == 0:
        return ranks.reshape(0, m), weights, True
    if m > MAX_PACKED:
        codes = np.where(ranks == UNRANKED, m, ranks).astype(np.int64)
        _, first, inverse = np.unique(codes, axis=0, return_index=True, return_inverse=True)
        return ranks[first], np.bincount(inverse.ravel(), weights=weights, minlength=first.size), True
    if not merge_pays(ranks):
        return ranks, weights, False
    keys = pack_keys(ranks)
    w0 = weights[0]
    if len(keys) == 1 and np.all(weights == w0) and float(w0).is_integer() and w0 < 2**53 / n:
        # equal whole-number weights: sorting the keys alone is enough; a key's count
        # times the weight is its exact summed weight, and the key gives back the ballot
        keys.sort(axis=1)
        starts = _run_starts(keys)
        if len(starts) == n:
            return ranks, weights, True
        return unpack_keys(keys[:, starts], m), np.diff(starts, append=n) * w0, True
    # several keys: sort by one 64-bit mix of them; equal ballots have equal mixes, and
    # runs are split wherever any key changes, so a collision can only leave a ballot unmerged
    mixed = keys[0] if len(keys) == 1 else _mix(keys)
    order = np.argsort(mixed)
    keys = keys[:, order]
    starts = _run_starts(keys)
    # distinct unless two different ballots share a mix (then one may stay unmerged)
    distinct = len(keys) == 1 or len(starts) == 1 + np.count_nonzero(np.diff(mixed[order]))
    if len(starts) == n:
        return ranks, weights, distinct
    with np.errstate(over="ignore"):  # an overflowing sum is refused by the profile, with its reason
        summed = np.add.reduceat(weights[order], starts)
    return unpack_keys(keys[:, starts], m), summed, distinct


def merge_pays(ranks: np.ndarray, seed: int = 0) -> bool:
    """Whether merging identical ballots would remove a good share of the rows.

    Judged from :data:`SAMPLE` ballots drawn at random (seeded, so the same input is
    treated the same way): the share of pairs of sampled ballots that are equal
    estimates the chance p that two ballots are; n ballots then hold about
    p * n * (n - 1) / 2 equal pairs, and merging is worth a sort when that is at
    least n / 4 (each equal pair is a row less; when every ballot comes twice there
    are n / 2). Small profiles are always merged.
    """
    n = len(ranks)
    if n <= 4 * SAMPLE:
        return True
    rows = np.sort(np.random.default_rng(seed).choice(n, SAMPLE, replace=False, shuffle=False))
    keys = pack_keys(ranks[rows])
    key = keys[0] if len(keys) == 1 else _mix(keys)
    key.sort()
    starts = np.flatnonzero(np.diff(key, prepend=key[0] - 1))
    sizes = np.diff(starts, append=SAMPLE)
    equal_pairs = float((sizes * (sizes - 1) // 2).sum())
    p = equal_pairs / (SAMPLE * (SAMPLE - 1) / 2)
    return p * (n - 1) / 2 >= 0.25


def pack_keys(ranks: np.ndarray, block: int = 1 << 15) -> np.ndarray:
    """Each ballot as ``K`` int64 keys (K x ballots), a few candidates' levels per key.

    A level 0..m-1, or m for unranked, takes ``bits`` bits; a key holds ``63 // bits``
    candidates, the first in the lowest bits. Built a block of ballots at a time, in cache.
    """
    n, m = ranks.shape
    bits, per = _key_layout(m)
    keys = np.zeros((-(-m // per), n), dtype=np.int64)
    for start in range(0, n, block):
        codes = np.minimum(ranks[start : start + block].T, m)  # candidates x ballots
        for j, key in enumerate(keys[:, start : start + block]):
            for c in range(min(m, (j + 1) * per) - 1, j * per - 1, -1):
                key <<= bits
                key |= codes[c]
    return keys


def unpack_keys(keys: np.ndarray, m: int) -> np.ndarray:
    """Rank matrix back from the keys :func:`pack_keys` makes."""
    bits, per = _key_layout(m)
    ranks = np.empty((m, keys.shape[1]), dtype=np.int16)
    low = (1 << bits) - 1
    for c in range(m):
        ranks[c] = (keys[c // per] >> ((c % per) * bits)) & low
    ranks[ranks == m] = UNRANKED
    return ranks.T.copy()


def _key_layout(m: int) -> tuple[int, int]:
    """Bits per candidate (levels 0..m-1 and m for unranked) and candidates per int64 key."""
    bits = int(m).bit_length()
    return bits, 63 // bits


def _run_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Indices where a new ballot starts in keys sorted so that equal ballots are adjacent."""
    n = sorted_keys.shape[1]
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(sorted_keys[0, 1:], sorted_keys[0, :-1], out=new[1:])
    for key in sorted_keys[1:]:
        new[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(new)


def _mix(keys: np.ndarray) -> np.ndarray:
    """One 64-bit hash of several keys: each key folded in, then splitmix64's finaliser
    (xor-shifts and odd multipliers), so that keys differing in a few bits spread apart."""
    h = np.zeros(keys.shape[1], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for key in keys:
            h ^= key.view(np.uint64)
            h += np.uint64(0x9E3779B97F4A7C15)
            h ^= h >> np.uint64(30)
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(27)
            h *= np.uint64(0x94D049BB133111EB)
            h ^= h >> np.uint64(31)
    return h
