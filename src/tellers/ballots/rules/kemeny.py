"""Kemeny-Young: the ranking that agrees with the most pairwise preferences, found exactly.

Every optimal Kemeny ranking puts the Smith set above everyone else (moving an outsider
up past a member only loses agreement), and the same holds for the Smith set of what
remains. So the count splits into Smith layers, each solved on its own:

* layers of up to ``DP_LIMIT`` candidates by dynamic programming over subsets
  (``2**k * k`` steps, vectorised by subset size; 13 candidates take milliseconds);
* larger layers as an integer program (binary "a above b" variables with the
  3-cycle constraints) solved by HiGHS through ``scipy.optimize.milp``; the winners are
  then found by one more solve per layer member, with that member forced to the top,
  and one solve with the optimal ranking cut off tells whether it is the only one.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from tellers.ballots import majority
from tellers.errors import TellersError
from tellers.ballots.profile import Profile
from tellers.ballots.rules._common import tolerance
from tellers.ballots.rules.registry import rule
from tellers.ballots.rules.result import Result

DP_LIMIT = 16
"""Largest Smith layer solved by dynamic programming (memory grows as 2**k * k)."""


@rule("kemeny_young", "Kemeny-Young", aliases=("kemeny",), partial=True)
def kemeny_young(profile: Profile) -> Result:
    """The ranking that maximises total pairwise agreement with the ballots; its top wins."""
    tol = tolerance(profile)
    support = profile.support
    ranking: list[tuple[str, ...]] = []
    winners: frozenset[str] = frozenset()
    unique = True
    total = 0.0
    notes: list[str] = []
    for depth, layer in enumerate(smith_layers(profile.margins)):
        sub = support[np.ix_(layer, layer)]
        if len(layer) <= DP_LIMIT:
            best_value, tops, order, count = _subset_dp(sub, tol)
        else:
            best_value, tops, order, count = _milp(sub, tol)
            notes.append(f"a layer of {len(layer)} candidates was solved as an integer program (HiGHS)")
        unique &= count == 1
        total += best_value
        if depth == 0:
            winners = frozenset(profile.names(layer[tops]))
        ranking.extend((profile.candidates[layer[i]],) for i in order)
    # agreement between layers: every earlier-layer candidate is above every later one
    notes.insert(0, f"agreement of the optimal ranking: {total + _between_layers(profile):g}")
    if not unique:
        notes.append("several rankings are optimal; the ranking shown is one of them")
    return Result(
        "kemeny_young",
        winners,
        ranking=tuple(ranking) if unique else None,
        notes=tuple(notes) + (() if unique else ("one optimal ranking: " + " > ".join(c for (c,) in ranking),)),
        tie_rule="winners are the top candidates of every optimal ranking",
    )


def smith_layers(margins: np.ndarray) -> list[np.ndarray]:
    """Candidates split into successive Smith sets: the Smith set, then that of the rest, ..."""
    left = np.arange(margins.shape[0])
    layers = []
    while left.size:
        mask = majority.smith_mask(margins[np.ix_(left, left)])
        layers.append(left[mask])
        left = left[~mask]
    return layers


def _between_layers(profile: Profile) -> float:
    layers = smith_layers(profile.margins)
    total = 0.0
    for i, upper in enumerate(layers):
        for lower in layers[i + 1 :]:
            total += profile.support[np.ix_(upper, lower)].sum()
    return total


def _subset_dp(support: np.ndarray, tol: float) -> tuple[float, np.ndarray, list[int], int]:
    """Exact Kemeny by dynamic programming over subsets.

    ``best[S]`` is the largest agreement of any ranking of subset S; the top of S
    gains its support over the rest of S. Returns the optimum, the indices that head
    some optimal ranking, one optimal ranking and the number of optimal rankings
    (capped at 2 — only uniqueness matters).
    """
    k = support.shape[0]
    size = 1 << k
    subsets = np.arange(size, dtype=np.int64)
    members = ((subsets[:, None] >> np.arange(k)) & 1).astype(bool)  # size x k
    gain = members @ support.T  # gain[S, c] = support of c over all of S (c itself adds 0)
    best = np.full(size, -np.inf)
    best[0] = 0.0
    ways = np.zeros(size, dtype=np.int64)
    ways[0] = 1
    popcount = members.sum(axis=1)
    for layer in range(1, k + 1):
        S = subsets[popcount == layer]
        values = np.full((S.size, k), -np.inf)
        for c in range(k):
            has = members[S, c]
            rest = S[has] ^ (1 << c)
            values[has, c] = best[rest] + gain[rest, c]
        top = values.max(axis=1)
        best[S] = top
        is_best = values >= top[:, None] - tol
        rest_ways = np.where(is_best, ways[S[:, None] ^ (1 << np.arange(k))], 0)
        ways[S] = np.minimum(rest_ways.sum(axis=1), 2)
    full = size - 1
    tops = np.flatnonzero(_optimal_tops(best, gain, full, k, tol))
    order, S = [], full
    while S:
        c = int(np.flatnonzero(_optimal_tops(best, gain, S, k, tol))[0])
        order.append(c)
        S ^= 1 << c
    return float(best[full]), tops, order, int(ways[full])


def _optimal_tops(best: np.ndarray, gain: np.ndarray, S: int, k: int, tol: float) -> np.ndarray:
    """Which members of S head some optimal ranking of S."""
    out = np.zeros(k, bool)
    for c in range(k):
        if S >> c & 1:
            rest = S ^ (1 << c)
            out[c] = best[rest] + gain[rest, c] >= best[S] - tol
    return out


def _milp(support: np.ndarray, tol: float) -> tuple[float, np.ndarray, list[int], int]:
    """Exact Kemeny for a large layer as an integer program, plus one solve per candidate on top.

    Returns what :func:`_subset_dp` returns; the count of optimal rankings (capped at 2)
    comes from one more solve that excludes the optimal ranking found.
    """
    value, order = _solve_milp(support, top=None)
    tops = [c for c in range(support.shape[0]) if c == order[0] or _solve_milp(support, top=c)[0] >= value - tol]
    if len(tops) > 1:
        count = 2
    else:
        count = 2 if len(order) > 1 and _solve_milp(support, top=None, exclude=order)[0] >= value - tol else 1
    return value, np.array(sorted(tops)), order, count


def _solve_milp(support: np.ndarray, top: int | None, exclude: list[int] | None = None) -> tuple[float, list[int]]:
    """Best ranking (its agreement and order), optionally with ``top`` first or the ranking ``exclude`` ruled out."""
    k = support.shape[0]
    if k == 1:
        return 0.0, [0]
    pairs = [(a, b) for a in range(k) for b in range(a + 1, k)]
    index = {p: i for i, p in enumerate(pairs)}
    # x[a,b] (a < b) = 1 when a is ranked above b; "b above a" is 1 - x[a,b]
    weight = np.array([support[a, b] - support[b, a] for a, b in pairs])
    rows, cols, vals, lower, upper = [], [], [], [], []
    row = 0

    def above(a: int, b: int) -> tuple[int, float, float]:
        """(variable, coefficient, constant) so that [a above b] = coefficient*x + constant."""
        return (index[(a, b)], 1.0, 0.0) if a < b else (index[(b, a)], -1.0, 1.0)

    for a in range(k):
        for b in range(k):
            for c in range(k):
                if a < b and a < c and b != c:
                    # no cycle a > b > c > a: [a>b] + [b>c] + [c>a] <= 2
                    const = 0.0
                    for u, v in ((a, b), (b, c), (c, a)):
                        var, coef, cst = above(u, v)
                        rows.append(row)
                        cols.append(var)
                        vals.append(coef)
                        const += cst
                    lower.append(1 - const)
                    upper.append(2 - const)
                    row += 1
    if exclude is not None:
        # no-good cut: at least one pair must be ordered differently from ``exclude``
        position = {c: i for i, c in enumerate(exclude)}
        for var, (a, b) in enumerate(pairs):
            rows.append(row)
            cols.append(var)
            vals.append(1.0 if position[a] < position[b] else -1.0)
        ones = sum(position[a] < position[b] for a, b in pairs)
        lower.append(-np.inf)
        upper.append(ones - 1)
        row += 1
    matrix = coo_matrix((vals, (rows, cols)), shape=(row, len(pairs))).tocsr()
    lo = np.zeros(len(pairs))
    hi = np.ones(len(pairs))
    if top is not None:
        for other in range(k):
            if other != top:
                var, coef, _ = above(top, other)
                lo[var] = hi[var] = 1.0 if coef > 0 else 0.0
    res = milp(-weight, integrality=np.ones(len(pairs)), bounds=Bounds(lo, hi), constraints=LinearConstraint(matrix, lower, upper))
    if res.x is None:
        raise TellersError(f"the Kemeny integer program did not solve: {res.message}")
    x = np.round(res.x)
    wins = np.zeros(k)
    for (a, b), v in zip(pairs, x):
        wins[a if v else b] += 1
    order = [int(c) for c in np.argsort(-wins, kind="stable")]
    value = float(sum(support[order[i], order[j]] for i in range(k) for j in range(i + 1, k)))
    return value, order
