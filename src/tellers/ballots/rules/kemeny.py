"""Kemeny-Young: the ranking that agrees with the most pairwise preferences, found exactly
within a size and time budget.

Every optimal Kemeny ranking puts the Smith set above everyone else (moving an outsider
up past a member only loses agreement), and the same holds for the Smith set of what
remains. So the count splits into Smith layers, each solved on its own:

* a layer whose members all tie each other head to head: every order of it is optimal;
* layers of up to ``DP_LIMIT`` candidates by dynamic programming over subsets
  (``2**k * k`` steps, vectorised by subset size; 16 candidates take about 0.1 s);
* layers of up to ``ILP_LIMIT`` candidates as an integer program (binary "a above b"
  variables with one 3-cycle constraint per triple) solved by HiGHS through
  ``scipy.optimize.milp``; the winners are then found by one more solve per layer member,
  with that member forced to the top, and one solve with the optimal ranking cut off
  tells whether it is the only one.

Every solve shares one deadline, ``budget`` seconds (default ``DEFAULT_BUDGET``). The top
layer decides the winners: when it is over ``ILP_LIMIT`` or its solves run out of time,
the rule is skipped (a result with no winners whose first note says why and what would
finish). When only a lower layer is, the winners stand and the ranking is left out.
"""

from __future__ import annotations

import time

import numpy as np

from tellers.ballots import majority
from tellers.ballots.profile import Profile
from tellers.ballots.rules._common import tolerance
from tellers.ballots.rules.registry import rule
from tellers.ballots.rules.result import Result
from tellers.errors import TellersError

DP_LIMIT = 16
"""Largest Smith layer solved by dynamic programming (memory grows as 2**k * k)."""

ILP_LIMIT = 80
"""Largest Smith layer tried as an integer program (k(k-1)(k-2)/6 constraints: 82,160 at 80)."""

DEFAULT_BUDGET = 5.0
"""Seconds every solve of one count may take together, unless ``budget`` says otherwise."""

SKIPPED = "skipped: too large"


class OutOfBudget(Exception):
    """A Smith layer could not be solved within the size or time budget."""

    def __init__(self, size: int, why: str) -> None:
        super().__init__(why)
        self.size = size
        self.why = why


@rule("kemeny_young", "Kemeny-Young", aliases=("kemeny",), partial=True)
def kemeny_young(profile: Profile, budget: float | None = None) -> Result:
    """The ranking that maximises total pairwise agreement with the ballots; its top wins.

    ``budget`` bounds the seconds spent solving (default ``DEFAULT_BUDGET``).
    """
    budget = DEFAULT_BUDGET if budget is None else float(budget)
    deadline = time.monotonic() + budget
    tol = tolerance(profile)
    support = profile.support
    layers = smith_layers(profile.margins)
    ranking: list[tuple[str, ...]] = []
    winners: frozenset[str] = frozenset()
    unique = True
    total = 0.0
    notes: list[str] = []
    for depth, layer in enumerate(layers):
        sub = support[np.ix_(layer, layer)]
        try:
            best_value, tops, order, count, method = solve_layer(sub, tol, deadline, budget)
        except OutOfBudget as stop:
            message = f"{SKIPPED} ({stop.size} candidates in one Smith layer): {stop.why}"
            if depth == 0:
                return Result("kemeny_young", frozenset(), notes=(message,))
            placed = sum(len(t) for t in ranking)
            notes.insert(0, f"ranking below the top {placed} not found: {message}")
            notes.append("the winners are exact: they come from the top Smith layer, which was solved")
            return Result("kemeny_young", winners, notes=tuple(notes) + _one_optimal(ranking, complete=False), tie_rule=TOPS)
        if method:
            notes.append(f"a layer of {len(layer)} candidates was solved {method}")
        unique &= count == 1
        total += best_value
        if depth == 0:
            winners = frozenset(profile.names(layer[tops]))
        ranking.extend((profile.candidates[layer[i]],) for i in order)
    # agreement between layers: every earlier-layer candidate is above every later one
    notes.insert(0, f"agreement of the optimal ranking: {total + _between_layers(profile, layers):g}")
    if not unique:
        notes.append("several rankings are optimal; the ranking shown is one of them")
    return Result(
        "kemeny_young",
        winners,
        ranking=tuple(ranking) if unique else None,
        notes=tuple(notes) + (() if unique else _one_optimal(ranking, complete=True)),
        tie_rule=TOPS,
    )


TOPS = "winners are the top candidates of every optimal ranking"


def _one_optimal(ranking: list[tuple[str, ...]], complete: bool) -> tuple[str, ...]:
    if not ranking:
        return ()
    text = " > ".join(c for (c,) in ranking)
    return ("one optimal ranking: " + text,) if complete else ("an optimal ranking begins: " + text,)


def solve_layer(support: np.ndarray, tol: float, deadline: float, budget: float) -> tuple[float, np.ndarray, list[int], int, str]:
    """Solve one Smith layer exactly, or raise :class:`OutOfBudget`.

    Returns the optimum, the indices heading some optimal ranking, one optimal ranking,
    the number of optimal rankings (capped at 2) and how it was solved ("" for the usual way).
    """
    k = support.shape[0]
    if np.all(np.abs(support - support.T) <= tol):  # all tied: every order is optimal
        value = float(np.triu(support, 1).sum())
        return value, np.arange(k), list(range(k)), 1 if k == 1 else 2, ""
    if k <= DP_LIMIT:
        return (*_subset_dp(support, tol), "")
    if k > ILP_LIMIT:
        raise OutOfBudget(
            k,
            f"exact methods here go to {ILP_LIMIT} (an integer program with "
            f"{k * (k - 1) * (k - 2) // 6:,} 3-cycle constraints would be needed; it is not tried)",
        )
    try:
        return (*_milp(support, tol, deadline=deadline), "as an integer program (HiGHS)")
    except OutOfBudget:
        raise OutOfBudget(
            k, f"the integer program (HiGHS) did not finish within the {budget:g} s budget; a larger --budget may let it"
        ) from None


def smith_layers(margins: np.ndarray) -> list[np.ndarray]:
    """Candidates split into successive Smith sets: the Smith set, then that of the rest, ..."""
    left = np.arange(margins.shape[0])
    layers = []
    while left.size:
        mask = majority.smith_mask(margins[np.ix_(left, left)])
        layers.append(left[mask])
        left = left[~mask]
    return layers


def _between_layers(profile: Profile, layers: list[np.ndarray]) -> float:
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


def _milp(support: np.ndarray, tol: float, deadline: float | None = None) -> tuple[float, np.ndarray, list[int], int]:
    """Exact Kemeny for a large layer as an integer program, plus one solve per candidate on top.

    Returns what :func:`_subset_dp` returns; the count of optimal rankings (capped at 2)
    comes from one more solve that excludes the optimal ranking found. Raises
    :class:`OutOfBudget` when a solve is not proven optimal by ``deadline`` (``time.monotonic``).
    """
    model = _Model(support)
    value, order = model.solve(deadline)
    tops = [
        c
        for c in range(support.shape[0])
        # the LP relaxation bounds what c on top can reach: most candidates need no integer solve
        if c == order[0] or (model.bound(deadline, top=c) >= value - tol and model.solve(deadline, top=c)[0] >= value - tol)
    ]
    if len(tops) > 1:
        count = 2
    else:
        count = 2 if len(order) > 1 and model.solve(deadline, exclude=order)[0] >= value - tol else 1
    return value, np.array(sorted(tops)), order, count


class _Model:
    """The Kemeny integer program of one layer: x[a,b] (a < b) is 1 when a is ranked above b."""

    def __init__(self, support: np.ndarray) -> None:
        k = self.k = support.shape[0]
        self.support = support
        self.a, self.b = np.triu_indices(k, 1)
        index = np.full((k, k), -1)
        index[self.a, self.b] = np.arange(self.a.size)
        self.index = index
        self.weight = support[self.a, self.b] - support[self.b, self.a]
        # no 3-cycle on a < b < c: [a>b] + [b>c] + [c>a] in [1, 2], i.e. x_ab + x_bc - x_ac in [0, 1]
        # (the other orientation, a > c > b > a, is the same constraint)
        if k >= 3:
            t = np.array(np.nonzero(np.triu(np.ones((k, k), bool), 1)[:, :, None] & np.triu(np.ones((k, k), bool), 1)[None, :, :]))
            a, b, c = t[0], t[1], t[2]
            n = a.size
            rows = np.repeat(np.arange(n), 3)
            cols = np.stack([index[a, b], index[b, c], index[a, c]], axis=1).ravel()
            vals = np.tile([1.0, 1.0, -1.0], n)
            from scipy.sparse import coo_matrix  # here: importing scipy costs every command 0.25 s

            self.cycles = coo_matrix((vals, (rows, cols)), shape=(n, self.a.size)).tocsr()
        else:
            self.cycles = None

    def bound(self, deadline: float | None, top: int) -> float:
        """An upper bound on the agreement of rankings with ``top`` first (the LP relaxation)."""
        res = self._run(deadline, top, None, integral=False)
        return float(self.support[self.b, self.a].sum() - res.fun)

    def solve(self, deadline: float | None, top: int | None = None, exclude: list[int] | None = None) -> tuple[float, list[int]]:
        """Best ranking (its agreement and order), optionally with ``top`` first or the ranking ``exclude`` ruled out."""
        k, support = self.k, self.support
        if k == 1:
            return 0.0, [0]
        x = np.round(self._run(deadline, top, exclude, integral=True).x).astype(bool)
        wins = np.bincount(np.where(x, self.a, self.b), minlength=k)
        order = [int(c) for c in np.argsort(-wins, kind="stable")]
        value = float(np.triu(support[np.ix_(order, order)], 1).sum())
        return value, order

    def _run(self, deadline: float | None, top: int | None, exclude: list[int] | None, integral: bool):
        from scipy.optimize import Bounds, LinearConstraint, milp

        k = self.k
        constraints = [] if self.cycles is None else [LinearConstraint(self.cycles, 0.0, 1.0)]
        if exclude is not None:
            # no-good cut: at least one pair must be ordered differently from ``exclude``
            position = np.empty(k, dtype=int)
            position[exclude] = np.arange(k)
            above = position[self.a] < position[self.b]
            constraints.append(LinearConstraint(np.where(above, 1.0, -1.0)[None, :], -np.inf, above.sum() - 1))
        lo = np.zeros(self.a.size)
        hi = np.ones(self.a.size)
        if top is not None:
            others = np.delete(np.arange(k), top)
            first = others > top  # top < other: x[top, other] = 1; else x[other, top] = 0
            var = np.where(first, self.index[top, np.maximum(others, top)], self.index[np.minimum(others, top), top])
            lo[var] = hi[var] = first.astype(float)
        options = {}
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise OutOfBudget(k, "out of time")
            options["time_limit"] = left
        integrality = np.full(self.a.size, 1 if integral else 0)
        res = milp(-self.weight, integrality=integrality, bounds=Bounds(lo, hi), constraints=constraints, options=options)
        if res.status == 1 or (res.x is None and deadline is not None and time.monotonic() >= deadline):
            raise OutOfBudget(k, "out of time")
        if res.x is None or res.status != 0:
            raise TellersError(f"the Kemeny integer program did not solve: {res.message}")
        return res
