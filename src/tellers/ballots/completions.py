"""Completions of a partial profile: what its ballots leave unsaid, bounded exactly.

A ballot of a partial profile ranks some candidates in levels (``ranks[i, c]``: 0 the top
level; several candidates may share one) and leaves the others ``UNRANKED``: unknown, free
to go anywhere. A *completion* of the ballot is a strict ranking of every candidate that
keeps each ranked candidate above every candidate of a lower level; candidates sharing a
level, and unranked ones, may go either way round. A completion of the profile completes
every ballot at once (each on its own). Revealed preferences from division lists are such
ballots with at most two levels: every option a member voted Aye on above every option
they voted No on.

**Pair bounds.** For a pair (x, y) a ballot is *fixed* when it ranks both at different
levels, and then counts the same in every completion; otherwise (same level, or either
unranked) some completion puts x above y and another y above x, whatever the other pairs
do. Margins add over ballots and each ballot is completed independently, so the smallest
margin of x over y over all completions is ``fixed(x > y) − fixed(y > x) − free`` and the
largest is ``fixed(x > y) − fixed(y > x) + free``, both reached (put x below, or above, y
in every free ballot). O(ballots · candidates²).

**Necessary Condorcet winner.** c beats every y in every completion iff, for every y, c
beats y in every completion (the two "for every" commute), iff ``min_margin(c, y) > 0``
for every y.

**Possible Condorcet winner.** Complete each ballot with c as high as it can go: at the
top of its own level, every unranked candidate (and c itself, if unranked, at the very
top) placed below c. In that completion c is above y on the ballot unless the ballot
ranks y at a strictly higher level than c, i.e. unless the pair is fixed against c; so
c's margin over *every* y is at its largest, ``max_margin(c, y)``, in one and the same
completion. Hence c beats every y in some completion iff ``max_margin(c, y) > 0`` for every
y. Both tests are O(candidates²) once the bounds are known; nothing is enumerated.

Weights are ballot counts, so a margin is a whole number of members; a Condorcet winner
must beat every other candidate by a strictly positive margin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from tellers.ballots.profile import Profile
from tellers.ballots.ranks import UNRANKED
from tellers.ballots.simulate.elections import Elections


@dataclass(frozen=True)
class CompletionBounds:
    """Exact bounds over every completion of a partial profile.

    ``fixed[x, y]``: weight of ballots that rank x at a strictly higher level than y
    (above it in every completion); ``free[x, y]``: weight of ballots for which x and y
    can go either way round. ``min_margin``/``max_margin`` are (candidates, candidates).
    """

    candidates: tuple[str, ...]
    fixed: np.ndarray
    free: np.ndarray

    @property
    def min_margin(self) -> np.ndarray:
        return self.fixed - self.fixed.T - self.free

    @property
    def max_margin(self) -> np.ndarray:
        return self.fixed - self.fixed.T + self.free

    def possible_condorcet(self) -> tuple[int, ...]:
        """Candidates that beat every other in at least one completion (see the module notes)."""
        return _beats_all(self.max_margin)

    def necessary_condorcet(self) -> tuple[int, ...]:
        """Candidates that beat every other in every completion."""
        return _beats_all(self.min_margin)


def _beats_all(margin: np.ndarray) -> tuple[int, ...]:
    k = margin.shape[0]
    wins = margin > 0
    wins[np.arange(k), np.arange(k)] = True
    return tuple(int(c) for c in np.flatnonzero(wins.all(axis=1)))


def completion_bounds(profile: Profile) -> CompletionBounds:
    """Each pair's fixed and free weight over the completions of ``profile`` (module notes)."""
    ranks = profile.ranks.astype(np.int32)
    w = profile.weights
    ranked = ranks != UNRANKED
    both = ranked[:, :, None] & ranked[:, None, :]
    above = both & (ranks[:, :, None] < ranks[:, None, :])  # x at a higher level than y
    fixed = np.einsum("i,ixy->xy", w, above.astype(float))
    total = w.sum()
    free = total - fixed - fixed.T
    np.fill_diagonal(free, 0.0)
    return CompletionBounds(profile.candidates, fixed, free)


def voters(profile: Profile) -> Profile:
    """The ballots of ``profile`` that rank at least one candidate: those a completion says
    anything about (a member who voted on none of the options is not in the electorate)."""
    keep = (profile.ranks != UNRANKED).any(axis=1)
    return Profile(profile.ranks[keep], profile.weights[keep], profile.candidates, partial=True, merged=True)


# --------------------------------------------------------------------------- uniform draws


def members(profile: Profile) -> tuple[np.ndarray, np.ndarray]:
    """The ballots expanded to one row per member (weights must be whole numbers), and each
    row's ballot index: every member is completed on their own."""
    counts = profile.weights.astype(np.int64)
    if not np.array_equal(counts, profile.weights):
        raise ValueError("completions need whole-number weights (members), not shares")
    index = np.repeat(np.arange(len(counts)), counts)
    return profile.ranks[index], index


def uniform_positions(ranks: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    """``draws`` uniformly random completions of each row of ``ranks``: (draws, rows, candidates)
    int8 positions, 0 the top.

    A uniform random permutation is drawn (:func:`extension_positions` with uniform keys);
    then the positions its ranked candidates occupy are handed out again, in order, to those
    candidates sorted by level (within a level by key). Each completion comes from the same
    number of permutations (the orders of the ranked candidates within those positions that
    sort to it: the product over levels of the level's size factorial, the same for every
    completion), so every completion is equally likely: a uniform random linear extension.
    """
    return extension_positions(ranks, rng.random((ranks.shape[1], draws, ranks.shape[0])))


def extension_positions(ranks: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The completion of each row of ``ranks`` that follows ``keys`` as far as the row allows:
    (draws, rows, candidates) int8 positions from (candidates, draws, rows) keys in [0, 1),
    smaller first (a row's keys distinct). Candidates are ordered by key; then the ranked
    candidates' positions are handed out again by level, within a level by key. Counting
    comparisons over the few candidates is cheaper than sorting each member's short row."""
    k = ranks.shape[1]
    if k > 127:
        raise ValueError("at most 127 candidates")
    ranked = ranks != UNRANKED
    level = np.where(ranked, ranks, 0)
    pos = np.zeros(keys.shape, dtype=np.int8)  # rank by key among all
    key_rank = np.zeros(keys.shape, dtype=np.int8)  # how many ranked candidates have a smaller key
    # slot: rank among the ranked, by level then key: those at a higher level, then by key within the level
    higher = ranked[:, None, :] & ranked[:, :, None] & (level[:, None, :] < level[:, :, None])
    slot = np.broadcast_to(higher.sum(axis=2, dtype=np.int8).T[:, None, :], keys.shape).copy()
    for x in range(k):
        for y in range(x + 1, k):
            below = keys[y] < keys[x]  # y before x
            above = ~below
            pos[x] += below
            pos[y] += above
            if ranked[:, y].any():
                key_rank[x] += below & ranked[:, y]
            if ranked[:, x].any():
                key_rank[y] += above & ranked[:, x]
            same = ranked[:, x] & ranked[:, y] & (level[:, x] == level[:, y])
            if same.any():
                slot[x] += below & same
                slot[y] += above & same
    # the ranked candidates take the positions the unranked leave free, in slot order; the
    # j-th free position is j plus the unranked before it, those with at most j ranked keys below
    unranked = [~ranked[:, u] if not ranked[:, u].all() else None for u in range(k)]
    for c in range(k):
        if not ranked[:, c].any():
            continue
        free = slot[c].copy()
        for u, off in enumerate(unranked):
            if u != c and off is not None:
                free += (key_rank[u] <= slot[c]) & off
        np.copyto(pos[c], free, where=ranked[:, c])
    return pos.transpose(1, 2, 0)


# --------------------------------------------------------------------------- what the draws say


Sampler = Callable[[int, np.random.Generator], np.ndarray]
"""``sampler(draws, rng)``: (draws, members, candidates) positions of completed ballots, 0 the top."""

QUANTILES = (0.05, 0.5, 0.95)
"""The margins' 90% interval and median."""


@dataclass(frozen=True)
class CompletionShares:
    """What ``draws`` sampled completions of a profile give, under a named model.

    ``condorcet[c]``: share of draws in which candidate c is the Condorcet winner;
    ``no_winner``: share with none. ``margins[q]`` is the (candidates, candidates) margin at
    quantile ``QUANTILES[q]`` over the draws. ``rules[name][c]``: share of draws in which the
    rule elects c alone; ``rule_ties[name]``: share in which it ties.
    """

    candidates: tuple[str, ...]
    model: str
    draws: int
    condorcet: np.ndarray
    no_winner: float
    margins: np.ndarray
    rules: dict[str, np.ndarray]
    rule_ties: dict[str, float]


def draw_margins(positions: np.ndarray) -> np.ndarray:
    """(draws, candidates, candidates) margins of x over y from (draws, members, candidates) positions."""
    return Elections(positions).margins


def condorcet_winners(margins: np.ndarray) -> np.ndarray:
    """Each draw's Condorcet winner (candidate index), or -1 where there is none."""
    k = margins.shape[1]
    beats = (margins > 0) | np.eye(k, dtype=bool)[None]
    wins = beats.all(axis=2)
    return np.where(wins.any(axis=1), np.argmax(wins, axis=1), -1)


CHUNK = 500
"""Completions drawn at a time."""


def draw_chunks(
    sampler: Sampler, draws: int, rng: np.random.Generator, chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> Iterator[np.ndarray]:
    """``draws`` completions, ``chunk`` at a time (``progress(n)`` after each): the same
    chunks, so the same draws, for every caller that asks with the same ``rng``."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    done = 0
    while done < draws:
        n = min(chunk, draws - done)
        yield sampler(n, rng)
        done += n
        if progress is not None:
            progress(n)


def simulate(
    sampler: Sampler,
    candidates: tuple[str, ...],
    draws: int,
    rng: np.random.Generator,
    *,
    model: str,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> CompletionShares:
    """Draw ``draws`` completions, ``chunk`` at a time, and summarise them (``progress(n)`` after each chunk)."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    return summarise(draw_chunks(sampler, draws, rng, chunk, progress), candidates, model=model)


def summarise(chunks: Iterable[np.ndarray], candidates: tuple[str, ...], *, model: str) -> CompletionShares:
    """What the drawn completions say: ``chunks`` of (draws, members, candidates) positions."""
    from tellers.ballots.completion_rules import RULES, winners_by_rule

    k = len(candidates)
    margins, elected = [], {name: [] for name in RULES}
    for positions in chunks:
        m = draw_margins(positions)
        margins.append(m)
        for name, won in winners_by_rule(positions, m).items():
            elected[name].append(won)
    margins = np.concatenate(margins)
    elected = {name: np.concatenate(won) for name, won in elected.items()}
    draws = len(margins)
    winner = condorcet_winners(margins)
    condorcet = np.bincount(winner[winner >= 0], minlength=k) / draws
    alone = {name: won.sum(axis=1) == 1 for name, won in elected.items()}
    return CompletionShares(
        candidates, model, draws, condorcet, float(np.mean(winner < 0)),
        np.quantile(margins, QUANTILES, axis=0),
        {name: (won & alone[name][:, None]).sum(axis=0) / draws for name, won in elected.items()},
        {name: float(np.mean(~alone[name])) for name in elected},
    )


def uniform_sampler(ranks: np.ndarray) -> Sampler:
    """Every member's completion uniformly random among those their ballot allows; ``ranks``
    is one row per member (:func:`members`)."""
    return lambda draws, rng: uniform_positions(ranks, draws, rng)


def donor_weights(ranks: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """(members, members): how many of member m's free pairs member d reveals, for d in m's
    group (0 for d outside it, and for m itself)."""
    ranked = ranks != UNRANKED
    k = ranks.shape[1]
    x, y = np.triu_indices(k, 1)
    fixed = ranked[:, x] & ranked[:, y] & (ranks[:, x] != ranks[:, y])  # (members, pairs)
    weights = (~fixed).astype(np.int32) @ fixed.T.astype(np.int32)
    weights[groups[:, None] != groups[None, :]] = 0
    np.fill_diagonal(weights, 0)
    return weights


def party_sampler(ranks: np.ndarray, groups: np.ndarray) -> Sampler:
    """Each member's completion follows a co-partisan's: in each draw a donor is drawn from
    the member's group, with chances in proportion to how many of the member's free pairs
    the donor's votes reveal; the donor's own uniform completion then orders the member's
    free pairs, as far as the member's own votes allow (:func:`extension_positions` with the
    donor's positions as keys). A pair the donor's votes leave unknown is ordered as the
    donor's uniform completion falls, and a member with no such co-partisan is completed
    uniformly."""
    weights = donor_weights(ranks, groups).astype(float)
    total = weights.sum(axis=1)
    has = total > 0
    n, k = ranks.shape
    # one search over every member's cumulative weights, each row shifted by its index
    cum = np.cumsum(weights, axis=1) / np.where(has, total, 1.0)[:, None] + np.arange(n)[:, None]
    flat = cum.ravel()

    def sample(draws: int, rng: np.random.Generator) -> np.ndarray:
        uniform = uniform_positions(ranks, draws, rng).transpose(2, 0, 1)  # (k, draws, members), contiguous
        u = (rng.random((draws, n)) * (1 - 1e-12) + np.arange(n)[None]).T
        # searched member by member, each member's draws in order: the search walks ``flat`` once
        order = np.argsort(u, axis=1)
        found = np.searchsorted(flat, np.take_along_axis(u, order, axis=1).ravel(), side="right").reshape(n, draws)
        donor = np.empty_like(found)
        np.put_along_axis(donor, order, found, axis=1)
        donor = np.minimum(donor - np.arange(n)[:, None] * n, n - 1)
        donor = np.where(has[:, None], donor, np.arange(n)[:, None]).T  # no co-partisan to follow: themselves (uniform)
        keys = rng.random((k, draws, n))
        keys += np.take_along_axis(uniform, donor[None], axis=2)  # the donor's positions, a draw's noise within them
        keys /= k + 1
        followed = extension_positions(ranks, keys).transpose(2, 0, 1)
        return np.where(has, followed, uniform).transpose(1, 2, 0)

    return sample
