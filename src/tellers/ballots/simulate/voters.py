"""The cultures drawn voter by voter: each function returns (E, V, m) int8 positions (0 the
top), vectorised over elections and voters; the loops run over candidates.

:mod:`tellers.ballots.simulate.cultures` uses these when there are too many candidates to
count ballots over the m! orders; they are exact for any m, which the tests use.
"""

from __future__ import annotations


import numpy as np



def impartial(m: int, voters: int, elections: int, rng: np.random.Generator) -> np.ndarray:
    """Every voter's order uniform (a uniform permutation of places is a uniform order)."""
    places = np.broadcast_to(np.arange(m, dtype=np.int8), (elections, voters, m))
    return rng.permuted(places, axis=2)


def urn(m: int, voters: int, elections: int, rng: np.random.Generator, alpha: float) -> np.ndarray:
    """The Pólya-Eggenberger urn (one copy of each order to start, ``alpha * m!`` copies of the
    drawn order added after each draw): voter i copies a uniformly chosen earlier voter with
    probability i alpha / (1 + i alpha), else casts a fresh uniform order."""
    earlier = np.arange(voters)
    copies = rng.random((elections, voters)) * (1 + earlier * alpha) < earlier * alpha
    chosen = rng.integers(0, np.maximum(earlier, 1), size=(elections, voters))
    source = np.where(copies, chosen, earlier)
    # a voter who copies a copier casts the first fresh order up the chain: jump pointers
    # (each pass doubles the length followed) until every voter points at a fresh one
    while True:
        jumped = np.take_along_axis(source, source, axis=1)
        if np.array_equal(jumped, source):
            break
        source = jumped
    fresh = impartial(m, voters, elections, rng)
    return np.take_along_axis(fresh, source[..., None], axis=1)


def mallows(m: int, voters: int, elections: int, rng: np.random.Generator, phi: float,
            reference: tuple[int, ...]) -> np.ndarray:
    """Mallows by repeated insertion: the reference's i-th candidate is inserted among the
    first i at place j (0 the top) with probability proportional to phi^(i - j), the number
    of pairs it puts out of the reference's order."""
    place = np.zeros((elections, voters, m), dtype=np.int8)
    for i in range(1, m):
        weight = np.power(phi, np.arange(i, -1, -1, dtype=float))
        j = rng.choice(i + 1, size=(elections, voters), p=weight / weight.sum()).astype(np.int8)
        place[..., :i] += place[..., :i] >= j[..., None]
        place[..., i] = j
    positions = np.empty_like(place)
    positions[..., list(reference)] = place
    return positions


def _behind(distance: np.ndarray):
    """Each pair x < y of candidates, and whether x is farther than y (a tie, which has
    probability 0, to the lower index)."""
    m = distance.shape[-1]
    for x in range(m):
        for y in range(x + 1, m):
            yield x, y, distance[..., x] > distance[..., y]


def ranked_by_distance(distance: np.ndarray) -> np.ndarray:
    """(..., m) int8 positions ranking the candidates from the nearest."""
    positions = np.zeros(distance.shape, dtype=np.int8)
    for x, y, behind in _behind(distance):
        positions[..., x] += behind
        positions[..., y] += ~behind
    return positions


def spatial(m: int, voters: int, elections: int, rng: np.random.Generator, dims: int,
            distribution: str) -> np.ndarray:
    """(E, V, m) squared distances from voters to candidates at points in ``dims``
    dimensions, uniform in the unit cube or standard normal, new each election."""
    draw = rng.random if distribution == "uniform" else rng.standard_normal
    candidates = draw((elections, 1, m, dims))
    distance = np.zeros((elections, voters, m))
    for d in range(dims):  # a dimension at a time, so memory stays at one (E, V, m) array
        distance += (draw((elections, voters, 1)) - candidates[..., d]) ** 2
    return distance


def _fill(positions: np.ndarray, candidate: np.ndarray, place: int) -> None:
    np.put_along_axis(positions, candidate[..., None], np.int8(place), axis=2)


def single_peaked_walsh(m: int, voters: int, elections: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform over the 2^(m-1) orders single-peaked on the axis 0, 1, ..., m-1: from the
    bottom, each place goes to the leftmost or the rightmost remaining candidate, 1/2 each."""
    positions = np.empty((elections, voters, m), dtype=np.int8)
    left = np.zeros((elections, voters), dtype=np.int64)
    right = np.full((elections, voters), m - 1, dtype=np.int64)
    for place in range(m - 1, 0, -1):
        take_left = rng.random((elections, voters)) < 0.5
        _fill(positions, np.where(take_left, left, right), place)
        left += take_left
        right -= ~take_left
    _fill(positions, left, 0)
    return positions


def single_peaked_conitzer(m: int, voters: int, elections: int, rng: np.random.Generator) -> np.ndarray:
    """Conitzer's single-peaked orders on the axis 0, 1, ..., m-1: the peak uniform, then each
    next place to the left or the right neighbour of those placed, 1/2 each while both remain."""
    positions = np.empty((elections, voters, m), dtype=np.int8)
    left = rng.integers(0, m, size=(elections, voters))
    right = left.copy()
    _fill(positions, left, 0)
    for place in range(1, m):
        coin = rng.random((elections, voters)) < 0.5
        go_left = (left > 0) & ((right == m - 1) | coin)
        left -= go_left
        right += ~go_left
        _fill(positions, np.where(go_left, left, right), place)
    return positions
