"""Counting marks, and summing ballot weights over a mask of ballots at the speed of counting them.

Most ballots of a large profile carry the same weight (1 before merging; after
merging nearly distinct ballots, almost all still weigh 1). The weight of a set of
ballots is then ``base * count + the few exceptions``: one ``count_nonzero`` over a
byte mask and a short dot product, with no float copy of the mask.
"""

from __future__ import annotations

import numpy as np

EXCEPTIONS = 8
"""Above one ballot in this many weighing other than the base, masks are summed directly."""


class WeightSums:
    """``total(mask)``: the summed weight of the ballots a boolean mask selects."""

    def __init__(self, weights: np.ndarray) -> None:
        self.weights = weights
        self.base = float(weights.min()) if len(weights) else 0.0
        rows = np.flatnonzero(weights != self.base)
        self.direct = len(rows) * EXCEPTIONS > len(weights)
        self.rows = rows
        self.extra = weights[rows] - self.base

    def total(self, mask: np.ndarray) -> float:
        if self.direct:
            return float(np.compress(mask, self.weights).sum())
        return self.base * np.count_nonzero(mask) + float(self.extra @ mask[self.rows])


def count_true(marks: np.ndarray, axis: int = -1) -> np.ndarray:
    """``np.count_nonzero(marks, axis)`` for booleans, about twice as fast: counted in 32-bit
    integers (the counts here are of members, far below 2**31), returned as ``intp`` like it."""
    return marks.sum(axis=axis, dtype=np.int32).astype(np.intp)
