"""Ranked pairs under every order of equal margins: a pruned search over locked graphs.

Pairs are locked from the largest margin down; pairs of equal margin may come in any
order, and the winners are every candidate that wins under some order (deciding whether
one does is NP-complete). The search state is the reachability of the locked graph
(``reach[a, b]``: a path a -> ... -> b is locked) and the margin level reached: that is
all the rest of the count depends on, and all the result depends on (a winner is a
candidate nothing reaches; the tiers of the closure are those of the graph). So:

* a pair already settled (either way round reachable) is dropped, a level whose pending
  pairs lock without a cycle in any order is locked at once, and so is every pair that
  no order of its level can reverse: only the truly contested pairs branch;
* each state is expanded once (memoised on the level and the packed reachability);
* once two different outcomes are known (the ranking is then not unique), a state is
  abandoned when no candidate that could still win from it is a new winner.

The first leaf the search reaches is the outcome of taking equal margins in candidate
order; past ``MAX_STATES`` expanded states the search stops and that outcome is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_STATES = 20_000
"""States the search may visit after its first outcome before it falls back to candidate order."""

PRUNE_CANDIDATES = 64
"""Above this many candidates the look-ahead prune (widest paths per state) is not tried."""


@dataclass(frozen=True)
class LockSearch:
    """What the search found: ``first`` is the outcome (reachability) in candidate order."""

    first: np.ndarray
    winners: np.ndarray
    """Every candidate that wins under some explored order (a boolean mask)."""
    several: bool
    """True when two orders give different outcomes (the ranking is then not unique)."""
    complete: bool
    """True when every order was accounted for; False when stopped at ``MAX_STATES``."""
    states: int


def levels_of(margins: np.ndarray, tol: float) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Winning pairs grouped by equal margin, largest first; each level in candidate order."""
    a, b = np.nonzero(margins > tol)
    values = margins[a, b]
    order = np.lexsort((b, a, -values))
    a, b, values = a[order], b[order], values[order]
    levels, start = [], 0
    while start < len(values):
        stop = start + int(np.searchsorted(-values[start:], -values[start] + tol, side="right"))
        inner = np.lexsort((b[start:stop], a[start:stop]))
        levels.append((a[start:stop][inner], b[start:stop][inner], float(values[start])))
        start = stop
    return levels


def _add(reach: np.ndarray, a: int, b: int) -> np.ndarray:
    """The closure of a closed relation plus the pair a -> b (a new array)."""
    sources = reach[:, a].copy()
    sources[a] = True
    targets = reach[b].copy()
    targets[b] = True
    return reach | np.outer(sources, targets)


def _closure(reach: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The closure of a closed relation plus the pairs a[i] -> b[i] (a new array)."""
    m = reach.shape[0]
    if len(a) * 4 <= m:
        for x, y in zip(a.tolist(), b.tolist()):
            reach = _add(reach, x, y)
        return reach.copy() if len(a) == 0 else reach
    out = reach.copy()
    out[a, b] = True
    for k in range(m):  # Warshall, one numpy step per pivot
        out |= out[:, k, None] & out[None, k, :]
    return out


def _settle(levels, g: int, reach: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Lock everything no order can change, from level ``g`` on; stop at a contested level.

    Returns the level, the reachability and the contested pairs there (none when done).
    """
    empty = np.zeros(0, dtype=np.intp)
    while g < len(levels):
        A, B, _ = levels[g]
        pending = ~reach[A, B] & ~reach[B, A]
        if not pending.any():
            g += 1
            continue
        a, b = A[pending], B[pending]
        upper = _closure(reach, a, b)  # everything this level could ever lock
        if not upper.diagonal().any():  # no cycle: every order locks them all
            reach, g = upper, g + 1
            continue
        forced = ~upper[b, a]  # no order can reverse these: lock them first, in any order
        if forced.any():
            reach = _closure(reach, a[forced], b[forced])
            continue
        return g, reach, a, b
    return g, reach, empty, empty


def lock_all_orders(margins: np.ndarray, tol: float, max_states: int | None = None) -> LockSearch:
    """Search every order of equal margins (see the module docstring).

    ``max_states`` (default ``MAX_STATES``) bounds the states visited after the first
    outcome; the descent to that outcome is never cut short.
    """
    max_states = MAX_STATES if max_states is None else max_states
    m = margins.shape[0]
    levels = levels_of(margins, tol)
    winners = np.zeros(m, bool)
    first: np.ndarray | None = None
    several = False
    seen: set[tuple[int, bytes]] = set()

    def visit(g: int, reach: np.ndarray) -> list | None:
        """Settle a state; record it if a leaf, else return its frame [level, reach, a, b, children]."""
        nonlocal first, several, winners
        g, reach, a, b = _settle(levels, g, reach)
        if len(a) == 0:  # a leaf: every pair decided
            winners |= ~reach.any(axis=0)
            if first is None:
                first = reach
            elif not several and not np.array_equal(reach, first):
                several = True
            return None
        key = (g, np.packbits(reach).tobytes())
        if key in seen:
            return None
        seen.add(key)
        children = list(range(len(a)))
        if first is not None:
            if not several and (reach & ~first).any():
                several = True  # this branch ends away from the first outcome
            live = _live(levels, g, reach, winners, tol) if several else ~reach.any(axis=0) & ~winners
            if several and not live.any():
                return None  # no order from here elects anyone new
            children = _toward(reach, a, b, live).tolist()
        return [g, reach, a, b, children[::-1]]

    states = 0
    stack = [frame] if (frame := visit(0, np.zeros((m, m), bool))) else []
    while stack:
        g, reach, a, b, children = stack[-1]
        if not children or (several and not (~reach.any(axis=0) & ~winners).any()):
            stack.pop()
            continue
        i = children.pop()
        if first is not None:
            states += 1
            if states > max_states:
                return LockSearch(first, winners, several, False, states - 1)
        if frame := visit(g, _add(reach, int(a[i]), int(b[i]))):
            stack.append(frame)
    assert first is not None
    return LockSearch(first, winners, several, True, states)


def _toward(reach: np.ndarray, a: np.ndarray, b: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Children ordered to make one candidate that may still become a winner (the target) win.

    First pairs out of the target, then pairs from what it reaches (widening its reach,
    so that pairs into it close cycles and are skipped), then the rest, pairs into it last.
    """
    hopeful = np.flatnonzero(live)
    if hopeful.size == 0:
        return np.arange(len(a))
    t = hopeful[0]
    rank = np.where(a == t, 0, np.where(reach[t, a], 1, np.where(b == t, 3, 2)))
    return np.argsort(rank, kind="stable")


def _live(levels, g: int, reach: np.ndarray, winners: np.ndarray, tol: float) -> np.ndarray:
    """Candidates not yet known to win that still may, from this state (a mask).

    A pair x -> c of margin w is locked for sure, and c beaten, unless c can reach x by
    then: through locked pairs and pending pairs of margin at least w. The strongest such
    paths are widest paths (Floyd-Warshall on bottlenecks), skipped above ``PRUNE_CANDIDATES``.
    """
    m = reach.shape[0]
    live = ~reach.any(axis=0) & ~winners
    if not live.any() or m > PRUNE_CANDIDATES:
        return live
    A = np.concatenate([lv[0] for lv in levels[g:]])
    B = np.concatenate([lv[1] for lv in levels[g:]])
    W = np.concatenate([np.full(len(lv[0]), lv[2]) for lv in levels[g:]])
    pending = ~reach[A, B] & ~reach[B, A]
    A, B, W = A[pending], B[pending], W[pending]
    widest = np.where(reach, np.inf, 0.0)
    widest[A, B] = np.maximum(widest[A, B], W)
    for k in range(m):
        widest = np.maximum(widest, np.minimum(widest[:, k, None], widest[None, k, :]))
    beaten = np.zeros(m, bool)
    beaten[B[widest[B, A] < W - tol]] = True
    return live & ~beaten
