"""Algorithms on a margin matrix: the majority relation and the sets it defines.

Every function takes ``margins`` (m x m, ``margins[a, b]`` = support for a over b minus
support for b over a) and works on candidate indices; :class:`tellers.Profile` wraps them
with candidate names.
"""

from __future__ import annotations

from collections import deque

import numpy as np


def transitive_closure(relation: np.ndarray) -> np.ndarray:
    """Reachability matrix of a boolean relation (Warshall, one numpy step per pivot)."""
    reach = np.array(relation, dtype=bool, copy=True)
    for k in range(reach.shape[0]):
        reach |= reach[:, k, None] & reach[None, k, :]
    return reach


def condorcet_winner(margins: np.ndarray) -> int | None:
    """Index of the candidate that beats every other head to head, or None."""
    m = margins.shape[0]
    wins = (margins > 0).sum(axis=1)
    found = np.flatnonzero(wins == m - 1)
    return int(found[0]) if found.size else None


def condorcet_loser(margins: np.ndarray) -> int | None:
    """Index of the candidate that loses to every other head to head, or None."""
    m = margins.shape[0]
    losses = (margins < 0).sum(axis=1)
    found = np.flatnonzero(losses == m - 1)
    return int(found[0]) if found.size and m > 1 else None


def smith_mask(margins: np.ndarray) -> np.ndarray:
    """The Smith set: the smallest set whose members all beat every non-member.

    A candidate is in it exactly when it reaches every candidate through a chain of
    wins or ties (the top cycle of the weak majority relation).
    """
    reach = transitive_closure(margins >= 0)
    return reach.all(axis=1)


def schwartz_mask(margins: np.ndarray) -> np.ndarray:
    """The Schwartz set: the union of the minimal sets unbeaten from outside.

    Candidate a is in it when everyone who reaches a through strict wins is reached back.
    """
    reach = transitive_closure(margins > 0)
    return ~(reach.T & ~reach).any(axis=1)


def widest_paths(strength: np.ndarray) -> np.ndarray:
    """Strength of the strongest path between every pair (Floyd-Warshall on bottlenecks).

    ``strength[a, b]`` is the weight of the edge a->b (0 or less for no edge); a path's
    strength is its weakest edge. The diagonal is left at 0.
    """
    paths = np.where(strength > 0, strength, 0).astype(float)
    np.fill_diagonal(paths, 0)
    for k in range(paths.shape[0]):
        paths = np.maximum(paths, np.minimum(paths[:, k, None], paths[None, k, :]))
    np.fill_diagonal(paths, 0)
    return paths


def majority_cycle(margins: np.ndarray, among: np.ndarray | None = None) -> list[int] | None:
    """A shortest cycle of strict majority wins (a beats b beats ... beats a), or None.

    ``among`` restricts the search to a boolean mask of candidates (the Smith set, say).
    """
    beats = margins > 0
    allowed = np.ones(margins.shape[0], bool) if among is None else among
    best: list[int] | None = None
    for start in np.flatnonzero(allowed):
        # breadth-first search for the shortest path back to start
        parent = {int(start): -1}
        queue = deque([int(start)])
        while queue:
            node = queue.popleft()
            for nxt in np.flatnonzero(beats[node] & allowed):
                nxt = int(nxt)
                if nxt == start:
                    cycle = [node]
                    while parent[cycle[-1]] != -1:
                        cycle.append(parent[cycle[-1]])
                    cycle.reverse()
                    if best is None or len(cycle) < len(best):
                        best = cycle
                    queue.clear()
                    break
                if nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
    return best
