"""Swings counted exactly: for each weight, how many coalitions of the other players a player
of that weight turns from losing into winning (the numerator of its Banzhaf index).

The coalitions of all players are counted by weight only, ``c[x] = [t^x] prod_i (1 + t^{w_i})``
for ``x < q`` (one table for every player). Those of the others of a player of weight w are
``c / (1 + t^w)``, the recurrence ``r[x] = c[x] - r[x-w]``, and its swings are the ones
weighing ``q-w .. q-1``. Unrolled, ``r[x] = sum_j (-1)^j c[x - jw]``, and every ``x < q`` is
reached from exactly one point of that window, so

    swings(w) = sum over x < q of (-1)^floor((q-1-x)/w) c[x]

— one alternating sum over blocks of w, read from prefix sums of ``c``: O(q / w) for each
*type* (distinct weight) once the table is built, in O(n q) additions.

Counts reach 2^n, so they are kept exactly in machine words: 32-bit digits held in uint64,
whose carries are propagated once every 31 players (each player at most doubles a digit),
with only the digits a count can have reached yet being added. A game of few types and
many players (10,000 delegates of weights 1 to 5) is counted instead by the linear
recurrence that ``c`` satisfies, ``D c' = N c`` with ``D = prod_types (1 + t^w)``, in Python
integers: O(q * (deg D + deg N)) big-integer steps rather than O(n * q * n / 32).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

DIGIT_BITS = 32
_MASK = np.uint64(2**DIGIT_BITS - 1)
_LAZY = DIGIT_BITS - 1
"""Players added between carries: a digit below 2^32 stays below 2^63 after 31 doublings."""


def swing_counts(weights: Sequence[int], quota: int, *, method: str | None = None) -> dict[int, int]:
    """``{weight: swings of one player of that weight}``, exactly.

    ``method`` is ``"digits"`` (the weight table in machine words) or ``"recurrence"`` (big
    integers, for few types and many players); by default the cheaper one."""
    types = Counter(int(w) for w in weights)
    dummies = types.pop(0, 0)  # each swing of the others extends by any set of zero-weight players
    positive = dict(sorted(types.items()))
    if method is None:
        method = "recurrence" if _recurrence_is_cheaper(positive, quota) else "digits"
    prefix = {"digits": _prefix_by_digits, "recurrence": _prefix_by_recurrence}[method](positive, quota)
    out = {w: _alternating_sum(prefix, quota, w) << dummies for w in positive}
    if dummies:
        out[0] = 0
    return out


def _alternating_sum(prefix: np.ndarray, quota: int, w: int) -> int:
    """``sum_{x<q} (-1)^floor((q-1-x)/w) c[x]`` from prefix sums of c (one column per digit)."""
    blocks = -(-quota // w)
    edges = np.maximum(quota - w * np.arange(blocks + 1), 0)
    sums = prefix[edges[:-1]] - prefix[edges[1:]]
    sums[1::2] *= -1
    per_digit = sums.sum(axis=0)  # int64: |.| <= q * 2^32 < 2^63
    return sum(int(v) << (DIGIT_BITS * d) for d, v in enumerate(per_digit))


def _prefix_by_digits(types: dict[int, int], quota: int) -> np.ndarray:
    """Prefix sums of ``c`` as int64 digits, shape (q + 1, digits)."""
    n = sum(types.values())
    digits = n // DIGIT_BITS + 1  # c[x] <= 2^n
    c = np.zeros((digits, quota), dtype=np.uint64)
    spare = np.zeros_like(c)  # the product is written here, then the two swap: no overlapping copy
    c[0, 0] = 1
    placed = reach = since_carry = 0
    for w in (w for w, m in types.items() for _ in range(m)):
        placed, reach, since_carry = placed + 1, reach + w, since_carry + 1
        top = min(quota, reach + 1)  # nothing weighs more than the players placed so far
        live = min(digits, placed // DIGIT_BITS + 2)  # counts below 2^placed
        if w < top:
            np.add(c[:live, w:top], c[:live, : top - w], out=spare[:live, w:top])
            spare[:live, :w] = c[:live, :w]
            c, spare = spare, c
        if since_carry == _LAZY:
            _carry(c[:live])
            since_carry = 0
    _carry(c)
    prefix = np.zeros((quota + 1, digits), dtype=np.int64)
    np.cumsum(c.T.astype(np.int64), axis=0, out=prefix[1:])  # digits < 2^32, q < 2^31
    return prefix


def _carry(c: np.ndarray) -> None:
    for d in range(len(c) - 1):
        c[d + 1] += c[d] >> np.uint64(DIGIT_BITS)
        c[d] &= _MASK


def _times_binomial(poly: list[int], w: int) -> list[int]:
    """``poly * (1 + t^w)``."""
    out = poly + [0] * w
    for i, v in enumerate(poly):
        out[i + w] += v
    return out


def _prefix_by_recurrence(types: dict[int, int], quota: int) -> np.ndarray:
    """Prefix sums of ``c`` (Python integers, one column) from ``D c' = N c``.

    With ``D = prod (1 + t^w)`` and ``N = sum_w m_w w t^(w-1) prod_{v != w} (1 + t^v)``, the
    coefficient of ``t^y`` gives ``(y+1) c[y+1] = sum_i N_i c[y-i] - sum_{i>=1} D_i (y+1-i) c[y+1-i]``
    (the division is exact)."""
    d = [1]
    for w in types:
        d = _times_binomial(d, w)
    n_poly = [0] * len(d)
    for w, m in types.items():
        others = [1]
        for v in types:
            if v != w:
                others = _times_binomial(others, v)
        for i, v in enumerate(others):
            n_poly[i + w - 1] += m * w * v
    d_terms = [(i, v) for i, v in enumerate(d) if i and v]
    n_terms = [(i, v) for i, v in enumerate(n_poly) if v]
    c = [0] * quota
    c[0] = 1
    for y in range(quota - 1):
        acc = sum(v * c[y - i] for i, v in n_terms if i <= y)
        acc -= sum(v * (y + 1 - i) * c[y + 1 - i] for i, v in d_terms if i <= y + 1)
        c[y + 1] = acc // (y + 1)
    prefix = np.zeros((quota + 1, 1), dtype=object)
    prefix[1:, 0] = np.cumsum(np.array(c, dtype=object))
    return prefix


def _recurrence_is_cheaper(types: dict[int, int], quota: int) -> bool:
    """Rough costs, in nanoseconds: a big-integer step against a uint64 digit addition."""
    n = sum(types.values())
    order = 2 * sum(types)  # deg D + deg N
    recurrence = quota * order * (150 + n / 20)
    digits = n * min(quota, sum(w * m for w, m in types.items())) * (n / DIGIT_BITS / 2 + 1) * 0.7
    return recurrence < digits
