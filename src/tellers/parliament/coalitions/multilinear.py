"""Shapley-Shubik indices in floating point, by Owen's multilinear extension, with an error bound.

The size-by-weight table ``c[k, x]`` (coalitions of k players weighing x) is never held. Its
sizes are folded in as Owen (1972) does: the order weight of a swing of size k is
``k! (n-1-k)! / n! = integral_0^1 p^k (1-p)^(n-1-k) dp``, so

    SS_i = integral_0^1 B_i(p) dp,

where ``B_i(p)`` is the chance that the others' weight lies in ``q - w_i .. q - 1`` when each
joins independently with probability p: the table's generating function in y evaluated at
``y = p / (1-p)`` and scaled, a weight-only count. ``B_i`` is a polynomial of degree n-1
(n players of positive weight).

- **Nodes.** Gauss-Legendre with ``m = min(ceil(n/2), ceil(4.5 sqrt n))`` nodes; ceil(n/2) is
  exact. With fewer, the rule's relative error on each ``p^k (1-p)^(n-1-k)`` was measured
  (in 40-60 digit arithmetic, every k up to n = 1,000, the edges and samples above, to
  n = 30,000): at most 7.9e-18, worst for k about 22 from either end, where the heuristic
  ``exp(-2 m^2 / n)`` says 2.6e-18. ``RULE_ERROR`` = 1e-17 is charged; as every term is
  positive, that bounds ``SS_i``'s relative error. This part rests on the measurement,
  not on a proof. Nodes rounded to doubles add up to n·u (in 60-digit arithmetic, n = 20 to 650, the
  rule as run is within 4e-14 of every order weight; ``tests/test_power_indices.py`` checks it).
  A node above 1/2 is run on the complements (probability ``1-p``, quota ``W - q + 1``), so
  every node has ``p <= 1/2``.
- **The weight distribution** f of all players at a node: each type's Binomial(m, p) (by
  repeated squaring of ``(1-p, p)``) convolved in at multiples of its weight. Every term is
  positive, so each entry's relative error stays below a running bound γ (a convolution of
  k terms adds (k+1)u).
- **Leaving one player out** is ``f / (1 - p + p t^w)``, taken in the stable direction
  (ratio ``ρ = p/(1-p) <= 1``): the window sum is ``sum_j (-ρ)^j b_j / (1-p)`` over block sums
  ``b_j`` of w entries of f counted down from the quota. Its signs cancel; its error is
  below ``(γ + (w + log2 J + 3) u) A`` with ``A = sum_j ρ^j b_j / (1-p)``, the same sum
  unsigned, computed alongside.
- **Tails.** Mass below 1e-60 at either end of a distribution or a binomial is dropped,
  and a node is skipped where Hoeffding's inequality puts every ``B_i`` below 1e-60; what
  is dropped (doubled, for the division) is an absolute error, and it is added.

So ``|SS_i - computed| / SS_i <= (sum_nodes ω (γ A_i) + dropped) / SS_i + (m + n + 2) u +
1e-17``, reported for every game (the largest over its players; u = 2^-53). The bound is
pessimistic: it charges a light player at p near 1/2 for all the mass below its window.
Measured against the exact fractions the error is near 1e-14 where the bound says 1e-9
(``benchmarks/results/power.md``). An index below about 1e-290 would underflow: ask for the
exact fractions. Work: O(nodes * (n q + T q)) for T types, but nodes far from the quota's
share are skipped and distributions are trimmed to their mass; memory O(q).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

UNIT_ROUNDOFF = float(np.finfo(float).eps) / 2
TAIL = 1e-60
"""Mass dropped at each end of a distribution, and the Hoeffding bound under which a node is skipped."""
RULE_ERROR = 1e-17
"""The Gauss-Legendre rule's relative error with ceil(4.5 sqrt n) nodes, as measured (see the module notes)."""


def node_count(n: int) -> int:
    """Gauss-Legendre nodes for n players of positive weight."""
    return max(1, min(-(-n // 2), math.ceil(4.5 * math.sqrt(n))))


@lru_cache(maxsize=8)
def gauss_legendre(m: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes in (-1, 1) and weights summing to 1 (for the integral over p in [0, 1]), by Newton's
    method on the Legendre recurrence from Tricomi's estimates."""
    x = np.cos(np.pi * (np.arange(1, m + 1) - 0.25) / (m + 0.5))
    for _ in range(100):
        value, slope = _legendre(m, x)
        step = value / slope
        x = x - step
        if np.abs(step).max() < 1e-15:
            break
    slope = _legendre(m, x)[1]
    return x, 1 / ((1 - x * x) * slope * slope)


def _legendre(m: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Legendre polynomial P_m and its derivative at x, by the three-term recurrence."""
    p0, p1 = np.ones_like(x), x.copy()
    for j in range(2, m + 1):
        p0, p1 = p1, ((2 * j - 1) * x * p1 - (j - 1) * p0) / j
    return p1, m * (x * p1 - p0) / (x * x - 1)


def shapley_shubik_float(weights: Sequence[int], quota: int) -> tuple[dict[int, float], dict[int, float]]:
    """``({weight: index of one player of that weight}, {weight: relative error bound})``."""
    types = {w: m for w, m in sorted(Counter(int(w) for w in weights).items()) if w > 0}
    values = {w: 0.0 for w in types}
    unsigned = {w: 0.0 for w in types}
    n = sum(types.values())
    total = sum(w * m for w, m in types.items())
    spread = sum(w * w * m for w, m in types.items())
    heaviest = max(types)
    x, omega = gauss_legendre(node_count(n))
    dropped = 0.0
    for xj, oj in zip(x.tolist(), omega.tolist()):
        p = (1 - abs(xj)) / 2
        q = quota if xj <= 0 else total - quota + 1  # above 1/2: the complements, at 1 - p
        gap = max(q - heaviest - p * total, p * total - (q - 1 + heaviest), 0.0)
        hoeffding = math.exp(-2 * gap * gap / spread) if gap > 0 else 1.0
        if hoeffding < TAIL:
            dropped += oj * hoeffding
            continue
        f, low, lost, gamma = _distribution(types, p, q)
        dropped += oj * 2 * lost
        for w, (signed, plain) in _leave_one_out(f, low, q, p, list(types)).items():
            values[w] += oj * signed
            unsigned[w] += oj * (gamma + (w + math.log2(len(f) + 1) + 3) * UNIT_ROUNDOFF) * plain
    rest = (len(x) + n + 2) * UNIT_ROUNDOFF + RULE_ERROR
    bounds = {w: (unsigned[w] + dropped) / values[w] + rest if values[w] > 0 else math.inf for w in types}
    return values, bounds


def _distribution(types: dict[int, int], p: float, q: int) -> tuple[np.ndarray, int, float, float]:
    """The weight of a random coalition (each player in with probability p), below q:
    (f for weights ``low, low+1, ...``, low, mass dropped, relative error bound of f)."""
    f, low, lost, gamma = np.ones(1), 0, 0.0, 0.0
    for w, m in types.items():
        pmf, first, pmf_lost, pmf_gamma = _binomial(m, p)
        new_low = low + first * w
        new_high = min(q, low + len(f) + (first + len(pmf) - 1) * w)
        lost += pmf_lost
        if new_high <= new_low:  # everything weighs at least the quota
            return np.zeros(0), q, lost, gamma
        g = np.zeros(new_high - new_low)
        for j, v in enumerate(pmf.tolist()):
            shift = new_low - low - (first + j) * w  # g[i] gets v * f[i + shift]
            a, b = max(0, -shift), min(len(g), len(f) - shift)
            if b > a:
                g[a:b] += v * f[a + shift : b + shift]
        lo, hi, cut = _trim(g)
        f, low = g[lo:hi], new_low + lo
        lost += cut
        gamma += pmf_gamma + (len(pmf) + 1) * UNIT_ROUNDOFF
    return f, low, lost, gamma


def _leave_one_out(f: np.ndarray, low: int, q: int, p: float, weights: list[int]) -> dict[int, tuple[float, float]]:
    """For each weight w: the chance that the others weigh ``q-w .. q-1``, and the same sum unsigned."""
    top = q - low  # f's index of weight q
    if top <= 0 or not len(f):
        return {}
    rho = p / (1 - p)
    most = -(-top // weights[0])
    j = np.arange(most)[::-1]
    plain = rho**j  # plain[most - 1 - j] = ρ^j
    signed = np.where(j % 2, -plain, plain)
    out = {}
    for w in weights:
        blocks = -(-top // w)
        starts = top - w * np.arange(blocks, 0, -1)  # ascending: block j = blocks-1 .. 0
        starts[0] = 0
        inside = int(np.searchsorted(starts, len(f)))
        sums = np.add.reduceat(f, starts[:inside])
        at = most - blocks
        out[w] = (float((signed[at : at + inside] * sums).sum()) / (1 - p),
                  float((plain[at : at + inside] * sums).sum()) / (1 - p))
    return out


def _binomial(m: int, p: float) -> tuple[np.ndarray, int, float, float]:
    """Binomial(m, p) by repeated squaring: (pmf from ``first`` on, first, mass dropped, relative error)."""
    base = (np.array([1 - p, p]), 0, 0.0, UNIT_ROUNDOFF)
    out = (np.ones(1), 0, 0.0, 0.0)
    while m:
        if m & 1:
            out = _convolve(out, base)
        m >>= 1
        if m:
            base = _convolve(base, base)
    return out


def _convolve(a: tuple, b: tuple) -> tuple[np.ndarray, int, float, float]:
    c = np.convolve(a[0], b[0])
    lo, hi, cut = _trim(c)
    return c[lo:hi], a[1] + b[1] + lo, a[2] + b[2] + cut, a[3] + b[3] + (min(len(a[0]), len(b[0])) + 1) * UNIT_ROUNDOFF


def _trim(f: np.ndarray) -> tuple[int, int, float]:
    """``f[lo:hi]`` keeps all but at most TAIL of the mass at each end; (lo, hi, mass dropped)."""
    lo, below = _thin_end(f)
    if lo >= len(f):
        return 0, len(f), 0.0
    back, above = _thin_end(f[::-1])
    return lo, len(f) - back, below + above


def _thin_end(f: np.ndarray) -> tuple[int, float]:
    """How many leading entries sum to at most TAIL, and their sum (reads only as far as it must)."""
    k = 64
    while True:
        head = np.cumsum(f[:k])
        if head[-1] > TAIL or k >= len(f):
            i = int(np.searchsorted(head, TAIL, side="right"))
            return i, float(head[i - 1]) if i else 0.0
        k *= 4
