"""Weighted voting games and their power indices.

A weighted voting game gives each player (a party, a bloc, a member) a whole-number
weight; a coalition wins when its weight reaches the quota. A player is *pivotal* for
a coalition S that does not hold it when S loses and S with the player wins (a *swing*).

- Shapley-Shubik: the share of the n! orders of the players in which the player is
  the one who first brings the coalition to the quota,
  ``SS_i = sum over swings S of |S|! (n-1-|S|)! / n!``.
- Banzhaf: the player's number of swings; *absolute* divides it by the 2^(n-1)
  coalitions of the others, *normalised* by everyone's swings.

Neither is computed by listing coalitions, and players of equal weight are one *type*.
Weights are first divided by their greatest common divisor (the quota rounded up), which
leaves every coalition winning or losing as it was.

- Banzhaf, always exact: coalitions counted by weight only, one table for every player
  (:mod:`.swings`, O(n q) additions in machine words).
- Shapley-Shubik, exact (``exact=True``): coalitions counted by size k and weight x with the
  generating function ``prod_i (1 + y t^{w_i})``; ``c[k, x]`` is the coefficient of ``y^k t^x``.
  A type of weight w and m players contributes ``(1 + y t^w)^m``, expanded by the binomial
  theorem. The coalitions *without* one player of weight w are ``c`` divided by
  ``(1 + y t^w)``, the recurrence ``r[k] = c[k] - shift_w(r[k-1])`` (exact in integers); the
  player's swings are those weighing ``q - w .. q - 1``. Tables are truncated at the quota,
  int64 up to 62 players and Python integers (numpy object arrays) above: O(n q) cells,
  O(n q (T + sum over types of min(m, q / w))) additions. Every index is a
  :class:`fractions.Fraction`.
- Shapley-Shubik in floating point (``exact=False``): the same table's sizes folded in by
  Owen's multilinear extension, with a relative error bound reported with the values
  (:mod:`.multilinear`). By default games whose exact table is small (at most 62 players or
  one distinct weight, at most 4 million cells) get fractions, and others floats.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from tellers.errors import TellersError
from tellers.wording import few
from tellers.parliament.coalitions.multilinear import shapley_shubik_float
from tellers.parliament.coalitions.swings import swing_counts

INT64_PLAYERS = 62
"""Up to this many players every count fits in int64 (C(62, 31) < 2^63)."""
EXACT_PLAYERS = INT64_PLAYERS
"""By default Shapley-Shubik is exact for games of at most this many players (or one distinct weight) ..."""
EXACT_CELLS = 4_000_000
"""... whose size-by-weight table has at most this many cells."""


class GameError(TellersError):
    """A weighted game that cannot be played: bad weights or quota, unknown players."""


@dataclass(frozen=True)
class WeightedGame:
    """Players with whole-number weights; a coalition wins when its weight reaches ``quota``."""

    players: tuple[str, ...]
    weights: tuple[int, ...]
    quota: int

    def __post_init__(self) -> None:
        if len(self.players) != len(self.weights):
            raise GameError(f"{len(self.players)} players but {len(self.weights)} weights")
        if not self.players:
            raise GameError("a game needs at least one player")
        if len(set(self.players)) != len(self.players):
            dup = sorted({p for p in self.players if self.players.count(p) > 1})
            raise GameError(f"player names must be distinct; repeated: {few(dup)}")
        for p, w in zip(self.players, self.weights):
            if not isinstance(w, (int, np.integer)) or isinstance(w, bool) or w < 0:
                raise GameError(f"{p}'s weight must be a whole number >= 0, not {w!r}")
        if not isinstance(self.quota, (int, np.integer)) or isinstance(self.quota, bool):
            raise GameError(f"the quota must be a whole number, not {self.quota!r}")
        if not 1 <= self.quota <= sum(self.weights):
            raise GameError(
                f"the quota {self.quota} must be between 1 and the total weight {sum(self.weights)}: "
                "otherwise every coalition wins, or none does"
            )
        object.__setattr__(self, "weights", tuple(int(w) for w in self.weights))
        object.__setattr__(self, "quota", int(self.quota))

    @classmethod
    def from_weights(cls, weights: Mapping[str, int], quota: int | None = None) -> WeightedGame:
        """A game from {player: weight}; the quota defaults to a strict majority of the weight."""
        total = sum(int(w) for w in weights.values())
        return cls(tuple(weights), tuple(weights.values()), majority_quota(total) if quota is None else quota)

    @property
    def total_weight(self) -> int:
        return sum(self.weights)

    @property
    def num_players(self) -> int:
        return len(self.players)

    def weight_of(self, coalition: Iterable[str]) -> int:
        """Total weight of the named players (GameError for an unknown name)."""
        index = {p: i for i, p in enumerate(self.players)}
        total = 0
        for p in dict.fromkeys(coalition):
            if p not in index:
                raise GameError(f"unknown player {p!r}; players are {few(self.players)}")
            total += self.weights[index[p]]
        return total

    def is_winning(self, coalition: Iterable[str]) -> bool:
        return self.weight_of(coalition) >= self.quota


def majority_quota(total: int) -> int:
    """The smallest weight that is more than half of ``total``."""
    return total // 2 + 1


@dataclass(frozen=True)
class PowerIndices:
    """Each player's Shapley-Shubik and Banzhaf index and swings. Banzhaf is an exact fraction;
    Shapley-Shubik too when ``shapley_shubik_exact``, else a float."""

    game: WeightedGame
    shapley_shubik: dict[str, Fraction | float]
    banzhaf: dict[str, Fraction]
    """Normalised: swings over everyone's swings (sums to 1)."""
    banzhaf_absolute: dict[str, Fraction]
    """Swings over the 2^(n-1) coalitions of the other players."""
    swings: dict[str, int]
    shapley_shubik_exact: bool = True
    shapley_shubik_error: float = 0.0
    """A bound on each Shapley-Shubik index's relative error (0 when exact)."""

    def to_dict(self) -> dict:
        """``{"quota", "weights", "shapley_shubik", "shapley_shubik_exact", "shapley_shubik_error",
        "banzhaf", "banzhaf_absolute", "swings"}``, indices as floats."""
        return {
            "quota": self.game.quota,
            "weights": dict(zip(self.game.players, self.game.weights)),
            "shapley_shubik": {p: float(v) for p, v in self.shapley_shubik.items()},
            "shapley_shubik_exact": self.shapley_shubik_exact,
            "shapley_shubik_error": self.shapley_shubik_error,
            "banzhaf": {p: float(v) for p, v in self.banzhaf.items()},
            "banzhaf_absolute": {p: float(v) for p, v in self.banzhaf_absolute.items()},
            "swings": dict(self.swings),
        }

    def total(self, players: Iterable[str]) -> tuple[Fraction | float, Fraction]:
        """The summed Shapley-Shubik and normalised Banzhaf index of some players (a party of members)."""
        players = list(players)
        return sum((self.shapley_shubik[p] for p in players), Fraction(0)), sum(
            (self.banzhaf[p] for p in players), Fraction(0)
        )


# --------------------------------------------------------------------------- power indices


class _Counts:
    """Coalitions counted by size and weight (below the quota), players grouped by weight."""

    def __init__(self, weights: Sequence[int], quota: int) -> None:
        self.quota = quota
        self.n = len(weights)
        types: dict[int, int] = {}
        for w in weights:
            types[w] = types.get(w, 0) + 1
        self.types = types
        self.dtype = np.int64 if self.n <= INT64_PLAYERS else object

    def _zeros(self, shape: tuple[int, ...]) -> np.ndarray:
        return np.zeros(shape, dtype=self.dtype)

    @cached_property
    def table(self) -> np.ndarray:
        """``c[k, x]``: coalitions of k players weighing x, for x < quota."""
        q, n = self.quota, self.n
        c = self._zeros((n + 1, q))
        c[0, 0] = 1
        placed = 0  # players multiplied in so far: sizes above it are still zero
        # the most numerous type first, while the table is still a single cell
        for w, m in sorted(self.types.items(), key=lambda wm: -wm[1]):
            top = placed + 1
            new = c.copy()
            jmax = m if w == 0 else min(m, (q - 1) // w)
            rows, cols = np.nonzero(c[:top])
            sparse = len(rows) < top * q // 4  # early on the table is mostly zeros: touch only the rest
            values = c[rows, cols]
            for j in range(1, jmax + 1):
                binom = math.comb(m, j)
                shift = j * w
                if sparse:
                    keep = cols < q - shift  # distinct cells for one j, so += is safe
                    new[rows[keep] + j, cols[keep] + shift] += values[keep] * binom
                else:
                    new[j : j + top, shift:] += c[:top, : q - shift] * binom
            c = new
            placed += m
        return c

    def without_one(self, w: int) -> np.ndarray:
        """Coalitions of the other players, for one player of weight w: ``c / (1 + y t^w)``."""
        c = self.table
        r = self._zeros(c.shape)
        r[0] = c[0]
        for k in range(1, self.n + 1):
            r[k] = c[k]
            if w < self.quota:
                r[k, w:] -= r[k - 1, : self.quota - w]
        return r

    def swings_by_size(self, w: int) -> np.ndarray:
        """For one player of weight w: swing coalitions of the others, by size (Python ints)."""
        if w == 0:
            return np.zeros(self.n, dtype=object)
        r = self.without_one(w)[: self.n]  # the others number n - 1: size n is impossible
        low = max(0, self.quota - w)
        return np.array([int(v) for v in r[:, low:].sum(axis=1)], dtype=object)


MAX_QUOTA = 20_000_000
"""Coalitions are counted by weight up to the quota: beyond this the tables would not fit in memory."""


def reduced(game: WeightedGame) -> tuple[tuple[int, ...], int]:
    """The weights divided by their greatest common divisor, and the quota rounded up: the same game."""
    g = math.gcd(*game.weights)
    return tuple(w // g for w in game.weights), -(-game.quota // g)


def exact_by_default(weights: Sequence[int], quota: int) -> bool:
    """Whether exact Shapley-Shubik fractions are cheap for this (reduced) game."""
    n = len(weights)
    few = n <= EXACT_PLAYERS or len({w for w in weights if w}) == 1
    return few and (n + 1) * quota <= EXACT_CELLS


def power_indices(game: WeightedGame, *, exact: bool | None = None) -> PowerIndices:
    """Shapley-Shubik and Banzhaf indices of every player (see the module notes).

    ``exact``: Shapley-Shubik as fractions (True) or floats with an error bound (False);
    by default fractions where :func:`exact_by_default`. Banzhaf is exact either way."""
    weights, quota = reduced(game)
    if quota > MAX_QUOTA:
        raise GameError(
            f"the quota {game.quota:,} is too large to count coalitions by weight (at most {MAX_QUOTA:,} "
            "once the weights are divided by their common divisor): scale the weights down, "
            "e.g. to seats or to thousands of votes"
        )
    swings, normalised, absolute = _banzhaf(game.players, weights, quota)
    if exact is None:
        exact = exact_by_default(weights, quota)
    error = 0.0
    if exact:
        ss_by_weight: dict[int, Fraction | float] = _exact_shapley_shubik(weights, quota)
    else:
        values, bounds = shapley_shubik_float(weights, quota)
        pivotal = {w for p, w in zip(game.players, weights) if swings[p]}  # a dummy's index is exactly 0
        ss_by_weight = {w: values[w] if w in pivotal else 0.0 for w in set(weights)}
        error = max(bounds[w] for w in pivotal)
    shapley = {p: ss_by_weight[w] for p, w in zip(game.players, weights)}
    return PowerIndices(game, shapley, normalised, absolute, swings, exact, error)


def _banzhaf(
    players: Sequence[str], weights: Sequence[int], quota: int
) -> tuple[dict[str, int], dict[str, Fraction], dict[str, Fraction]]:
    """Swings, normalised and absolute Banzhaf indices, exactly (one fraction for each weight)."""
    by_weight = swing_counts(weights, quota)
    total = sum(by_weight[w] for w in weights)
    if total == 0:  # pragma: no cover - a valid quota always leaves someone pivotal
        raise GameError("no player is ever pivotal in this game")
    coalitions = 2 ** (len(players) - 1)
    normalised = {w: Fraction(s, total) for w, s in by_weight.items()}
    absolute = {w: Fraction(s, coalitions) for w, s in by_weight.items()}
    return (
        {p: by_weight[w] for p, w in zip(players, weights)},
        {p: normalised[w] for p, w in zip(players, weights)},
        {p: absolute[w] for p, w in zip(players, weights)},
    )


def _exact_shapley_shubik(weights: Sequence[int], quota: int) -> dict[int, Fraction]:
    """Each weight's exact Shapley-Shubik index, from the size-by-weight table."""
    n = len(weights)
    counts = _Counts(weights, quota)
    order_weights = np.array([math.factorial(k) * math.factorial(n - 1 - k) for k in range(n)], dtype=object)
    n_fact = math.factorial(n)
    return {w: Fraction(int(np.dot(order_weights, counts.swings_by_size(w))), n_fact) for w in counts.types}


def shapley_shubik(game: WeightedGame, *, exact: bool | None = None) -> dict[str, Fraction | float]:
    """Each player's Shapley-Shubik index (``exact`` as for :func:`power_indices`)."""
    return power_indices(game, exact=exact).shapley_shubik


def banzhaf(game: WeightedGame, *, normalised: bool = True) -> dict[str, Fraction]:
    """Each player's exact Banzhaf index, normalised (default) or absolute."""
    _, norm, absolute = _banzhaf(game.players, *reduced(game))
    return norm if normalised else absolute


# --------------------------------------------------------------------------- minimal winning coalitions


def minimal_winning_coalitions(game: WeightedGame, *, limit: int = 10_000) -> list[tuple[str, ...]]:
    """Every winning coalition that loses if any one member leaves, heaviest members first.

    Depth-first over the players from the heaviest: a coalition that reaches the quota
    is recorded and not grown (a superset is not minimal); it is minimal because without
    its lightest member — the last added — it was still below the quota. A branch that
    cannot reach the quota is cut, so the work is proportional to the coalitions listed.
    Zero-weight players are in no minimal winning coalition. GameError when there are more than ``limit``.
    """
    order = sorted(range(game.num_players), key=lambda i: (-game.weights[i], i))
    order = [i for i in order if game.weights[i] > 0]
    w = [game.weights[i] for i in order]
    rest = np.cumsum(w[::-1])[::-1].tolist() + [0]  # weight of order[j:]
    q = game.quota
    found: list[tuple[str, ...]] = []

    def grow(start: int, chosen: list[int], weight: int) -> None:
        for j in range(start, len(order)):
            if weight + rest[j] < q:
                return
            total = weight + w[j]
            if total >= q:
                # minimal: without its lightest member, the last added, it weighs `weight` < q
                if len(found) >= limit:
                    raise GameError(f"more than {limit} minimal winning coalitions; list them for a smaller game")
                found.append(tuple(game.players[order[i]] for i in (*chosen, j)))
            else:
                grow(j + 1, [*chosen, j], total)

    grow(0, [], 0)
    return found


MINIMAL_WINNING_PLAYERS = 16
"""Minimal winning coalitions are listed by default for games of at most this many players."""


def listed_coalitions(game: WeightedGame, listing: bool | None = None) -> list[tuple[str, ...]] | None:
    """The minimal winning coalitions when ``listing`` (default: for games of at most
    :data:`MINIMAL_WINNING_PLAYERS` players), else None."""
    if listing is None:
        listing = game.num_players <= MINIMAL_WINNING_PLAYERS
    return minimal_winning_coalitions(game) if listing else None
