"""The engine's voting rules on a whole batch of simulated elections at once.

:func:`winners` gives, for every election of an :class:`Elections` batch, the winners the
engine's rule gives on that election's profile (:func:`tellers.ballots.rules.registry.run`),
every tied winner kept. Every rule that applies to rankings (:data:`APPLICABLE`) is counted
for the whole batch in numpy, weighted by the ballot counts, in whole voters: on strict
complete ballots with whole-voter weights the engine's float tolerance only ever separates
integers, so integer counts reproduce its ties exactly. Where a count would not pay, the
engine runs on each election's profile (:func:`by_profile`: correct by construction,
slower): ranked pairs in elections of 4 or more candidates with equal margins, Kemeny-Young
above :data:`KEMENY_LIMIT` candidates, and any rule registered without a count here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from tellers.ballots.profile import Profile
from tellers.ballots.rules import registry
from tellers.ballots.simulate import elimination
from tellers.ballots.simulate.elections import Elections
from tellers.errors import RuleNotApplicableError, TellersError

NOT_APPLICABLE = {
    "approval": "counts approval ballots, and simulated ballots are rankings "
    "(on a complete ranking every candidate counts as approved, so every election is a tie)",
}
"""Engine rules that do not apply to rankings, with the reason."""

KEMENY_LIMIT = 12
"""Most candidates for which Kemeny-Young is vectorised (its table is 2**m * m per election)."""

KEMENY_CELLS = 1 << 24
"""Table cells per slice of elections in the Kemeny count (bounds its memory)."""


def _most(score: np.ndarray) -> np.ndarray:
    return score == score.max(axis=1, keepdims=True)


def _fewest(score: np.ndarray) -> np.ndarray:
    return score == score.min(axis=1, keepdims=True)


def _placed(elections: Elections, place: int) -> np.ndarray:
    """(E, m) voters ranking each candidate at ``place`` (0 the top)."""
    positions = elections.positions
    if positions.shape[0] == 1:
        return elections.weigh(positions == place)
    # one contiguous row per candidate: counting along it beats reducing each ballot's short row
    return np.stack([elections.weigh(positions[..., c] == place) for c in range(positions.shape[2])], axis=1)


def plurality(elections: Elections) -> np.ndarray:
    return _most(_placed(elections, 0))


def anti_plurality(elections: Elections) -> np.ndarray:
    return _fewest(_placed(elections, elections.candidates - 1))


def borda(elections: Elections) -> np.ndarray:
    """Most Borda points: a candidate's points are (its margins summed + V(m - 1)) / 2."""
    return _most(elections.margins.sum(axis=2))


def bucklin(elections: Elections) -> np.ndarray:
    """Add each next place until someone has more than half the voters; most votes then win."""
    E, m = elections.elections, elections.candidates
    votes = np.zeros((E, m), dtype=np.int64)
    won = np.zeros((E, m), dtype=bool)
    open_ = np.ones(E, dtype=bool)
    for place in range(m):
        votes += _placed(elections, place)
        done = open_ & (2 * votes.max(axis=1) > elections.voters)
        won[done] = _most(votes[done])
        open_ &= ~done
        if not open_.any():
            break
    return won


def copeland(margins: np.ndarray) -> np.ndarray:
    """Most head-to-head wins minus losses."""
    return _most(np.sign(margins).sum(axis=2))


def llull(margins: np.ndarray) -> np.ndarray:
    """Most head-to-head wins plus ties."""
    return _most((margins >= 0).sum(axis=2))


def minimax(margins: np.ndarray) -> np.ndarray:
    """Smallest worst defeat: a candidate's score is the largest margin against it (maybe < 0)."""
    others = ~np.eye(margins.shape[1], dtype=bool)
    return _fewest(np.where(others, margins, np.iinfo(np.int64).min).max(axis=1))


def widest_paths(margins: np.ndarray) -> np.ndarray:
    """(E, m, m): the strength of the strongest path from a to b, a path as strong as its
    weakest win (Floyd-Warshall on bottlenecks, as :func:`tellers.ballots.majority.widest_paths`)."""
    paths = np.maximum(margins, 0)
    for k in range(margins.shape[1]):
        paths = np.maximum(paths, np.minimum(paths[:, :, k, None], paths[:, None, k, :]))
    return paths


def schulze(margins: np.ndarray) -> np.ndarray:
    """No one's strongest path to the candidate is stronger than its path back."""
    paths = widest_paths(margins)
    return ~(paths > paths.transpose(0, 2, 1)).any(axis=1)


def split_cycle(margins: np.ndarray) -> np.ndarray:
    """Undefeated, a defeating b when a beats b by more than the strongest path from b to a."""
    defeats = (margins > 0) & (margins > widest_paths(margins).transpose(0, 2, 1))
    return ~defeats.any(axis=1)


def black(margins: np.ndarray) -> np.ndarray:
    """The Condorcet winner, else the Borda winners (Borda from the margins, as :func:`borda`)."""
    condorcet = (margins > 0).sum(axis=2) == margins.shape[1] - 1
    return np.where(condorcet.any(axis=1, keepdims=True), condorcet, _most(margins.sum(axis=2)))


def ranked_pairs(elections: Elections) -> np.ndarray:
    """Lock head-to-head wins from the largest margin down, skipping any that closes a cycle;
    the winners under every order of equal margins (as the engine). Without equal margins
    there is one order, locked for the whole batch; with them, 3 candidates try all 6 orders
    of their 3 pairs, and more go by profile."""
    margins = elections.margins
    m = margins.shape[1]
    x, y = np.triu_indices(m, 1)
    net = margins[:, x, y]
    winner, loser, strength = np.where(net > 0, x, y), np.where(net > 0, y, x), np.abs(net)
    order = np.argsort(-strength, axis=1, kind="stable")  # undecided pairs (0) last, never locked
    ranked = np.take_along_axis(strength, order, axis=1)
    won = _lock(winner, loser, strength, order, m)
    rows = np.flatnonzero(((ranked[:, 1:] == ranked[:, :-1]) & (ranked[:, 1:] > 0)).any(axis=1))
    if rows.size and m == 3:
        won[rows] = False
        for perm in itertools.permutations(range(x.size)):
            order = np.broadcast_to(np.array(perm), (rows.size, x.size))
            valid = (np.diff(np.take_along_axis(strength[rows], order, axis=1), axis=1) <= 0).all(axis=1)
            won[rows] |= valid[:, None] & _lock(winner[rows], loser[rows], strength[rows], order, m)
    elif rows.size:
        won[rows] = by_profile("ranked_pairs", elections.take(rows))
    return won


def _lock(winner: np.ndarray, loser: np.ndarray, strength: np.ndarray, order: np.ndarray, m: int) -> np.ndarray:
    """(E, m): the candidates nothing reaches once the pairs are locked in ``order`` (E, pairs)."""
    E = len(order)
    reach = np.zeros((E, m, m), dtype=bool)  # reach[e, a, b]: a locked path a -> ... -> b
    every = np.arange(E)
    itself = np.eye(m, dtype=bool)
    for step in range(order.shape[1]):
        pair = order[:, step]
        a, b = winner[every, pair], loser[every, pair]
        lock = (strength[every, pair] > 0) & ~reach[every, b, a]
        sources = reach[every, :, a] | itself[a]
        targets = reach[every, b, :] | itself[b]
        reach |= lock[:, None, None] & sources[:, :, None] & targets[:, None, :]
    return ~reach.any(axis=1)


def kemeny_young(elections: Elections) -> np.ndarray:
    """The tops of every ranking with the most pairwise agreement (the engine's exact count);
    by profile above :data:`KEMENY_LIMIT` candidates."""
    if elections.candidates > KEMENY_LIMIT:
        return by_profile("kemeny_young", elections)
    return kemeny_tops(elections.margins)


def kemeny_tops(margins: np.ndarray) -> np.ndarray:
    """(E, m): Kemeny-Young's winners from the margins, a slice of elections at a time."""
    m = margins.shape[1]
    step = max(1, KEMENY_CELLS // ((1 << m) * m))
    return np.concatenate([_kemeny_tops(margins[i:i + step]) for i in range(0, len(margins), step)])


def _kemeny_tops(margins: np.ndarray) -> np.ndarray:
    """Dynamic programming over subsets: ``best[S]``, the most agreement of any ranking of S
    (in margins: the support of a ranking is (its margins + V per pair) / 2); heading S, c gains
    its margins over the rest of S. Every optimal ranking's top is a winner."""
    E, m = margins.shape[:2]
    size = 1 << m
    members = (np.arange(size)[:, None] >> np.arange(m)) & 1  # (subsets, m)
    gain = np.matmul(members, margins.transpose(0, 2, 1))  # gain[e, S, c]: c's margins over S
    popcount = members.sum(axis=1)
    best = np.zeros((E, size), dtype=np.int64)
    for k in range(1, m + 1):
        S = np.flatnonzero(popcount == k)
        values = np.full((E, S.size, m), np.iinfo(np.int64).min)
        for c in range(m):
            has = members[S, c] == 1
            rest = S[has] ^ (1 << c)
            values[:, has, c] = best[:, rest] + gain[:, rest, c]
        best[:, S] = values.max(axis=2)
    rest = (size - 1) ^ (1 << np.arange(m))
    return best[:, rest] + gain[:, rest, np.arange(m)] == best[:, -1:]


ON_MARGINS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "copeland": copeland, "llull": llull, "minimax": minimax, "schulze": schulze, "split_cycle": split_cycle,
    "black": black,
}
"""The rules that read only the (E, m, m) margins, as functions of them."""


def _on_margins(rule: Callable[[np.ndarray], np.ndarray]) -> Callable[[Elections], np.ndarray]:
    return lambda elections: rule(elections.margins)


_COUNTS: dict[str, Callable[[Elections], np.ndarray]] = {
    **{name: _on_margins(rule) for name, rule in ON_MARGINS.items()},
    "plurality": plurality, "anti_plurality": anti_plurality, "borda": borda, "bucklin": bucklin,
    "ranked_pairs": ranked_pairs, "kemeny_young": kemeny_young, "irv": elimination.irv,
    "smith_irv": elimination.smith_irv, "coombs": elimination.coombs, "baldwin": elimination.baldwin,
    "nanson": elimination.nanson,
}

VECTORISED: tuple[str, ...] = tuple(name for name in registry.names() if name in _COUNTS)
"""Rules counted for the whole batch in numpy, in the registry's order (but for the cases
the module notes name, which go by profile)."""

APPLICABLE: tuple[str, ...] = tuple(name for name in registry.names() if name not in NOT_APPLICABLE)
"""Every engine rule that applies to rankings, in the registry's order."""

DEFAULT_RULES: tuple[str, ...] = tuple(name for name in VECTORISED if name not in ("kemeny_young", "ranked_pairs"))
"""The rules a study counts unless told: those never exponential nor by profile."""


def winners(name: str, elections: Elections) -> np.ndarray:
    """(E, m) booleans: the winners of rule ``name`` (or an alias) in every election, all tied
    winners kept, exactly as the engine's rule gives them on that election's profile."""
    rule = registry.info(name).name
    if rule in NOT_APPLICABLE:
        raise RuleNotApplicableError(f"rule {rule!r} does not apply to simulated elections: it {NOT_APPLICABLE[rule]}")
    if not (elections.voters > 0).all():
        raise TellersError("an election of the batch has no voters; nothing to count")
    count = _COUNTS.get(rule)
    return by_profile(rule, elections) if count is None else count(elections)


def by_profile(name: str, elections: Elections) -> np.ndarray:
    """(E, m): the engine's rule run on each election's profile (its distinct ballots with
    voters, the counts as weights), one election at a time."""
    E, m = elections.elections, elections.candidates
    candidates = tuple(str(c) for c in range(m))
    positions, counts = elections.positions, elections.counts
    won = np.zeros((E, m), dtype=bool)
    for e in range(E):
        ballots = positions[e if positions.shape[0] > 1 else 0]
        weights = np.ones(len(ballots)) if counts is None else counts[e]
        cast = weights > 0
        profile = Profile(ballots[cast].astype(np.int16), weights[cast], candidates, dense=True)
        elected = registry.run(name, profile).winners
        won[e] = [c in elected for c in candidates]
    return won
