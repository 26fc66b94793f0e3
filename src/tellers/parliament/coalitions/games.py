"""Weighted voting games and their power indices, exact, by generating functions.

A weighted voting game gives each player (a party, a bloc, a member) a whole-number
weight; a coalition wins when its weight reaches the quota. A player is *pivotal* for
a coalition S that does not hold it when S loses and S with the player wins (a *swing*).

- Shapley-Shubik: the share of the n! orders of the players in which the player is
  the one who first brings the coalition to the quota,
  ``SS_i = sum over swings S of |S|! (n-1-|S|)! / n!``.
- Banzhaf: the player's number of swings; *absolute* divides it by the 2^(n-1)
  coalitions of the others, *normalised* by everyone's swings.

Neither is computed by listing coalitions. The coalitions are counted by size k and
weight x with the generating function ``prod_i (1 + y t^{w_i})``: ``c[k, x]`` is the
coefficient of ``y^k t^x``. Players of equal weight are one *type*: a type of weight
w and m players contributes ``(1 + y t^w)^m``, expanded by the binomial theorem, so a
house of 650 members of weight 1 is one multiplication, not 650. The coalitions
*without* one player of weight w are ``c`` divided by ``(1 + y t^w)``, which is the
recurrence ``r[k] = c[k] - shift_w(r[k-1])`` (exact in integer arithmetic). The
player's swings are the coalitions of the others weighing ``q - w .. q - 1``; only
weights below the quota are ever needed, so every table is truncated there.

Cost: O(n * q * (T + sum over types of min(m, q / w))) additions for n players, quota
q and T types. Counts reach C(n, n/2), beyond int64 for n > 62: tables are int64 up
to 62 players and Python integers (numpy object arrays: exact, slower) above. Every
index is an exact :class:`fractions.Fraction`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from tellers.errors import TellersError

INT64_PLAYERS = 62
"""Up to this many players every count fits in int64 (C(62, 31) < 2^63)."""


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
            raise GameError(f"player names must be distinct; repeated: {', '.join(dup)}")
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
                raise GameError(f"unknown player {p!r}; players are {', '.join(self.players)}")
            total += self.weights[index[p]]
        return total

    def is_winning(self, coalition: Iterable[str]) -> bool:
        return self.weight_of(coalition) >= self.quota


def majority_quota(total: int) -> int:
    """The smallest weight that is more than half of ``total``."""
    return total // 2 + 1


@dataclass(frozen=True)
class PowerIndices:
    """Each player's Shapley-Shubik and Banzhaf index (exact fractions) and swings."""

    game: WeightedGame
    shapley_shubik: dict[str, Fraction]
    banzhaf: dict[str, Fraction]
    """Normalised: swings over everyone's swings (sums to 1)."""
    banzhaf_absolute: dict[str, Fraction]
    """Swings over the 2^(n-1) coalitions of the other players."""
    swings: dict[str, int]

    def to_dict(self) -> dict:
        """``{"quota", "weights", "shapley_shubik", "banzhaf", "banzhaf_absolute", "swings"}``, indices as floats."""
        return {
            "quota": self.game.quota,
            "weights": dict(zip(self.game.players, self.game.weights)),
            "shapley_shubik": {p: float(v) for p, v in self.shapley_shubik.items()},
            "banzhaf": {p: float(v) for p, v in self.banzhaf.items()},
            "banzhaf_absolute": {p: float(v) for p, v in self.banzhaf_absolute.items()},
            "swings": dict(self.swings),
        }

    def total(self, players: Iterable[str]) -> tuple[Fraction, Fraction]:
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


def power_indices(game: WeightedGame) -> PowerIndices:
    """Exact Shapley-Shubik and Banzhaf indices of every player (see the module notes)."""
    n = game.num_players
    counts = _Counts(game.weights, game.quota)
    order_weights = np.array([math.factorial(k) * math.factorial(n - 1 - k) for k in range(n)], dtype=object)
    n_fact = math.factorial(n)
    ss_by_weight: dict[int, Fraction] = {}
    swings_by_weight: dict[int, int] = {}
    for w in counts.types:
        by_size = counts.swings_by_size(w)
        swings_by_weight[w] = int(by_size.sum())
        ss_by_weight[w] = Fraction(int(np.dot(order_weights, by_size)), n_fact)
    swings = {p: swings_by_weight[w] for p, w in zip(game.players, game.weights)}
    total_swings = sum(swings.values())
    if total_swings == 0:  # pragma: no cover - a valid quota always leaves someone pivotal
        raise GameError("no player is ever pivotal in this game")
    coalitions = 2 ** (n - 1)
    return PowerIndices(
        game,
        {p: ss_by_weight[w] for p, w in zip(game.players, game.weights)},
        {p: Fraction(s, total_swings) for p, s in swings.items()},
        {p: Fraction(s, coalitions) for p, s in swings.items()},
        swings,
    )


def shapley_shubik(game: WeightedGame) -> dict[str, Fraction]:
    """Each player's exact Shapley-Shubik index."""
    return power_indices(game).shapley_shubik


def banzhaf(game: WeightedGame, *, normalised: bool = True) -> dict[str, Fraction]:
    """Each player's exact Banzhaf index, normalised (default) or absolute."""
    p = power_indices(game)
    return p.banzhaf if normalised else p.banzhaf_absolute


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
