"""Rank matrices from ballots: the ``UNRANKED`` code, and ballots given as Python lists
or as integer arrays of candidate indices turned into ranks (see :mod:`tellers.ballots.profile`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tellers.errors import ProfileError

UNRANKED = np.iinfo(np.int16).max
"""Rank code for a candidate the ballot leaves out (below every ranked candidate)."""


def candidate_names(candidates: Sequence[str] | None, m: int) -> list[str]:
    """Candidate names, defaulting to "0", "1", ... when none are given."""
    return [str(i) for i in range(m)] if candidates is None else list(candidates)


def ballot_weights(weights: Sequence[float] | np.ndarray | None, n: int) -> np.ndarray:
    """One weight per ballot (1 each by default)."""
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (n,):
        raise ProfileError(f"{n} ballots but {w.size} weights")
    return w


def ranks_from_ballot_lists(
    ballots: list[list[object]], candidates: Sequence[str] | None
) -> tuple[np.ndarray, list[str]]:
    """Rank matrix and candidate names from ballots given as Python lists."""
    if candidates is None:
        items = [i for b in ballots for g in b for i in _group(g)]
        if any(not isinstance(i, (int, np.integer)) or isinstance(i, bool) for i in items):
            raise ProfileError("ballots name candidates: pass candidates=[...] with every name")
        if not items:
            raise ProfileError("no ballot ranks any candidate; pass candidates=[...] to say who stood")
        candidates = [str(i) for i in range(1 + max(int(i) for i in items))]
    names = list(candidates)
    return _ranks_from_lists(ballots, names), names


def _group(item: object) -> tuple:
    """The candidates at one place of a ballot: one, or a tied group."""
    if isinstance(item, (tuple, list, set, frozenset)):
        return tuple(item)
    return (item,)


def _ranks_from_lists(ballots: list[list[object]], names: list[str]) -> np.ndarray:
    """Rank matrix from ballots given as lists of indices, names, or tied groups."""
    m = len(names)
    lookup = {name: i for i, name in enumerate(names)}
    ranks = np.full((len(ballots), m), UNRANKED, dtype=np.int16)
    for row, ballot in enumerate(ballots):
        level = 0
        for item in ballot:
            group = _group(item)
            if not group:
                continue
            for cand in group:
                if isinstance(cand, (int, np.integer)) and not isinstance(cand, bool):
                    c = int(cand)
                    if not 0 <= c < m:
                        raise ProfileError(f"ballot {row + 1}: candidate index {c} is not in 0..{m - 1}")
                elif cand in lookup:
                    c = lookup[cand]
                else:
                    raise ProfileError(f"ballot {row + 1}: unknown candidate {cand!r}")
                if ranks[row, c] != UNRANKED:
                    raise ProfileError(f"ballot {row + 1}: candidate {names[c]!r} appears twice")
                ranks[row, c] = level
            level += 1
    return ranks


def ranks_from_order_array(orders: np.ndarray, m: int, block: int = 1 << 15) -> np.ndarray:
    """Rank matrix from an integer array of candidate indices, best first, -1 padded.

    Filled a block of ballots at a time, so the scatter's index arrays stay small (the
    whole build needs no more memory than the rank matrix it returns).
    """
    n, k = orders.shape
    if k > m:
        raise ProfileError(f"ballots list {k} places but there are only {m} candidates")
    ranks = np.full((n, m), UNRANKED, dtype=np.int16)
    for start in range(0, n, block):
        _fill_block(ranks[start : start + block], orders[start : start + block], m, start)
    return ranks


def _fill_block(ranks: np.ndarray, orders: np.ndarray, m: int, first_row: int) -> None:
    """Scatter one block of orders into its rows of ``ranks``, checking them as it goes."""
    n, k = orders.shape
    if orders.size and orders.max() >= m:
        row = first_row + int(np.argwhere(orders >= m)[0, 0])
        raise ProfileError(f"ballot {row + 1}: candidate index {int(orders[row - first_row].max())} is not in 0..{m - 1}")
    lowest = orders.min(initial=0)
    if lowest < -1:
        row = first_row + int(np.argwhere(orders < -1)[0, 0])
        raise ProfileError(f"ballot {row + 1}: negative candidate index (use -1 only as padding)")
    if lowest == 0:
        # no padding: every place names a candidate, so whole rows scatter at once
        cells = orders + (np.arange(n, dtype=np.intp) * m)[:, None]
        ranks.reshape(-1)[cells] = np.arange(k, dtype=np.int16)
        placed = n * k
    else:
        valid = orders >= 0
        if np.any(valid[:, 1:] & ~valid[:, :-1]):
            row = first_row + int(np.argwhere(valid[:, 1:] & ~valid[:, :-1])[0, 0])
            raise ProfileError(f"ballot {row + 1}: -1 padding must come after the ranked candidates")
        rows = np.broadcast_to(np.arange(n)[:, None], (n, k))
        pos = np.broadcast_to(np.arange(k, dtype=np.int16), (n, k))
        ranks[rows[valid], orders[valid]] = pos[valid]
        placed = int(np.count_nonzero(valid))
    # a repeated candidate fills one cell twice, leaving fewer ranked cells than places
    if np.count_nonzero(ranks != UNRANKED) != placed:
        filled = (ranks != UNRANKED).sum(axis=1)
        row = first_row + int(np.flatnonzero((orders >= 0).sum(axis=1) != filled)[0])
        raise ProfileError(f"ballot {row + 1}: a candidate appears twice")
