"""Agenda procedures, counted for many cases at once: the one count behind every use.

A *case* is a (support matrix, agenda) pair: ``support[a, b]`` the weight of voters who
rank a strictly above b, and an agenda of candidate indices x1, ..., xk. A single profile
is one case; every ordering of its agenda (agenda power) or every sampled completion of a
chamber's votes (how sure) is a batch of cases, so each function takes ``agenda`` as
(B, k), ``support`` as (S, m, m) with each case's row of it, and loops only over the k
stages.

**The tie rule.** A question put is lost on a tie, as in the Commons, where the Speaker
votes to leave things as they are (Speaker Denison's rule), and in any chamber where a tie
fails. In an amendment agenda the later option stands for the status quo (xk is usually
the unamended motion), so on a tie the option put later goes on; in a successive agenda
an option is adopted only with more Ayes than Noes. Every tie is reported.

**Amendment** (Westminster and US style): x1 is put against x2, the survivor against x3,
and so on; the last survivor is adopted. *Sincere*: each voter votes for the one of the
two they prefer. *Sophisticated* (backward induction): at the vote between the survivor s
and the next option x_j, each voter compares where the two branches lead, ``O(s, j+1)``
against ``O(x_j, j+1)``, and votes for the branch whose outcome they prefer; a voter for
whom both lead to the same outcome votes sincerely. The outcomes ``O`` are worked out from
the last vote back, for every survivor the agenda allows: O(k²) nodes, margins only.

**Successive** (continental style): x1 is put (Aye adopts it); if it fails it is dropped
and x2 is put, and so on; xk is adopted if reached. *Sincere*: a voter votes Aye on x_i
when x_i is their favourite among x_i, ..., xk, No when they prefer one of those later
ones, and abstains when x_i only ties for their favourite (the counts come from the
ballots: :func:`suffix_favourites`). *Sophisticated*: at stage i voters compare x_i with the
sophisticated outcome of the rest of the agenda, S(i+1); S(k) = xk, and S(i) is x_i if
a majority prefers it to S(i+1), else S(i+1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tellers.ballots.weights import count_true

SINCERE = "sincere"
SOPHISTICATED = "sophisticated"
VOTING = (SINCERE, SOPHISTICATED)


@dataclass(frozen=True)
class Paths:
    """The votes an agenda takes, for B cases (round r of at most k − 1).

    ``winner`` (B,): the candidate adopted. ``put`` (B, R, 2): the options put (second -1
    for an Aye/No question); ``weighed`` (B, R, 2): the outcomes voters compared (the
    options put, under sincere voting); ``ayes``/``noes`` (B, R): the votes for the first of
    ``weighed`` (Aye on the option put) and for the second (No); ``held`` (B, R): the round
    was reached.
    """

    winner: np.ndarray
    put: np.ndarray
    weighed: np.ndarray
    ayes: np.ndarray
    noes: np.ndarray
    held: np.ndarray
    tol: float = 0.0
    """Counts closer than this are tied (float noise of fractional weights)."""

    @property
    def carried(self) -> np.ndarray:
        """The first of ``weighed`` won (a tie is lost)."""
        return self.ayes > self.noes + self.tol

    @property
    def tied(self) -> np.ndarray:
        return np.abs(self.ayes - self.noes) <= self.tol


def _pair(flat: np.ndarray, which: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(for a, for b): support of a over b and of b over a, case by case (a, b: (B, ...));
    ``flat`` is (S, m·m) and ``which`` (B,) picks each case's row."""
    m = int(round(flat.shape[1] ** 0.5))
    row = which.reshape(which.shape + (1,) * (a.ndim - 1))
    return flat[row, a * m + b], flat[row, b * m + a]


def _batch(
    support: np.ndarray, agenda: np.ndarray, which: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Support flattened to (S, m·m), the agendas as (B, k), and each case's support row:
    ``which`` if given, else one support or one agenda broadcast to the other's count."""
    support = np.asarray(support)
    agenda = np.asarray(agenda, dtype=np.intp)
    if support.ndim == 2:
        support = support[None]
    if agenda.ndim == 1:
        agenda = agenda[None]
    if which is None:
        cases = max(len(support), len(agenda))
        which = np.zeros(cases, dtype=np.intp) if len(support) == 1 else np.arange(cases)
    agenda = np.broadcast_to(agenda, (len(which), agenda.shape[1]))
    return support.reshape(len(support), -1), agenda, np.asarray(which, dtype=np.intp)


def amendment(
    support: np.ndarray, agenda: np.ndarray, voting: str = SINCERE, which: np.ndarray | None = None,
    tol: float = 0.0,
) -> Paths:
    """The amendment procedure on each case (see the module notes). ``support`` is (m, m) or
    (S, m, m), ``agenda`` (k,) or (B, k); ``which`` (B,) names each case's support, if not
    one-to-one; counts within ``tol`` of each other are tied."""
    support, agenda, which = _batch(support, agenda, which)
    n, k = agenda.shape
    cases = np.arange(n)
    if voting == SOPHISTICATED:
        outcome = _amendment_outcomes(support, agenda, which, tol)
    rounds = max(k - 1, 0)
    put = np.full((n, rounds, 2), -1, dtype=np.intp)
    weighed, ayes, noes = put.copy(), np.zeros((n, rounds)), np.zeros((n, rounds))
    at = np.zeros(n, dtype=np.intp)  # agenda position of the survivor
    for r, j in enumerate(range(1, k)):
        s, c = agenda[cases, at], agenda[:, j]
        first, second = s, c
        if voting == SOPHISTICATED:
            keep, take = outcome[cases, at, j + 1], outcome[:, j, j + 1]
            differ = keep != take
            first, second = np.where(differ, keep, s), np.where(differ, take, c)
        ayes[:, r], noes[:, r] = _pair(support, which, first, second)
        put[:, r] = np.stack([s, c], axis=1)
        weighed[:, r] = np.stack([first, second], axis=1)
        at = np.where(ayes[:, r] > noes[:, r] + tol, at, j)
    return Paths(agenda[cases, at], put, weighed, ayes, noes, np.ones((n, rounds), bool), tol)


def _amendment_outcomes(support: np.ndarray, agenda: np.ndarray, which: np.ndarray, tol: float) -> np.ndarray:
    """``O[b, i, j]``: the sophisticated outcome once agenda[i] survives and agenda[j] is next
    to be put (j = k: nothing left, so agenda[i]); defined for i < j."""
    n, k = agenda.shape
    outcome = np.zeros((n, k, k + 1), dtype=np.intp)
    outcome[:, :, k] = agenda
    for j in range(k - 1, 0, -1):
        keep = outcome[:, :j, j + 1]
        take = np.broadcast_to(outcome[:, j, j + 1][:, None], keep.shape)
        yes, no = _pair(support, which, keep, take)
        outcome[:, :j, j] = np.where(yes > no + tol, keep, take)  # equal branches: either is the outcome
    return outcome


def successive(
    support: np.ndarray, agenda: np.ndarray, voting: str = SINCERE,
    favourites: tuple[np.ndarray, np.ndarray] | None = None, which: np.ndarray | None = None, tol: float = 0.0,
) -> Paths:
    """The successive procedure on each case (see the module notes; the shapes as for
    :func:`amendment`). Sincere voting needs ``favourites``: (ayes, noes), each (B, k), from
    :func:`suffix_favourites`."""
    support, agenda, which = _batch(support, agenda, which)
    n, k = agenda.shape
    cases = np.arange(n)
    rounds = max(k - 1, 0)
    put = np.full((n, rounds, 2), -1, dtype=np.intp)
    put[:, :, 0] = agenda[:, :rounds]
    weighed = put.copy()
    if voting == SOPHISTICATED:
        yes, no = np.zeros((n, rounds)), np.zeros((n, rounds))
        later = agenda[:, k - 1].copy()  # S(i+1): the sophisticated outcome of the rest
        for i in range(rounds - 1, -1, -1):
            x = agenda[:, i]
            weighed[:, i, 1] = later
            yes[:, i], no[:, i] = _pair(support, which, x, later)
            later = np.where(yes[:, i] > no[:, i] + tol, x, later)
    else:
        if favourites is None:
            raise ValueError("sincere successive voting needs the ballots' favourites (suffix_favourites)")
        yes, no = (np.broadcast_to(np.asarray(f, dtype=float), (n, k))[:, :rounds] for f in favourites)
    carried = yes > no + tol
    stops = np.concatenate([carried, np.ones((n, 1), bool)], axis=1)
    first = np.argmax(stops, axis=1)
    held = np.arange(rounds)[None, :] <= first[:, None]
    return Paths(agenda[cases, first], put, weighed, yes, no, held, tol)


def suffix_favourites(ranks: np.ndarray, weights: np.ndarray, agenda: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sincere successive votes on one agenda: (ayes, noes), each (..., k).

    ``ranks`` is (..., voters, candidates), 0 the top, any leading batch dimensions (one
    profile, or many sampled completions); ``weights`` (voters,). At stage i a voter is an
    Aye when agenda[i] is strictly above every later option, a No when some later option is
    strictly above it, and abstains on a tie for the top.
    """
    agenda = np.asarray(agenda, dtype=np.intp)
    k = len(agenda)
    ayes = np.zeros(ranks.shape[:-2] + (k,))
    noes = np.zeros_like(ayes)
    best_later = np.full(ranks.shape[:-1], np.iinfo(np.int32).max, dtype=np.int32)
    for i in range(k - 1, -1, -1):
        x = ranks[..., agenda[i]].astype(np.int32)
        ayes[..., i] = (x < best_later) @ weights
        noes[..., i] = (x > best_later) @ weights
        best_later = np.minimum(best_later, x)
    return ayes, noes


def favourite_table(
    ranks: np.ndarray, weights: np.ndarray, chunk: int = 1 << 14
) -> tuple[np.ndarray, np.ndarray]:
    """Sincere successive votes for every set of options left: ``(ayes, noes)``, each
    (..., 2**m, m) for ``ranks`` (..., voters, m); ``ayes[..., mask, x]`` is the weight of
    voters who rank x strictly above every other option in ``mask`` (x in mask),
    ``noes[..., mask, x]`` of those who rank one of them strictly above x. For agenda power,
    where every ordering is tried."""
    m = ranks.shape[-1]
    lead = ranks.shape[:-2]
    ayes, noes = np.zeros((1 << m, *lead, m)), np.zeros((1 << m, *lead, m))
    members = [np.array([mask for mask in range(1 << m) if mask >> x & 1]) for x in range(m)]
    for start in range(0, ranks.shape[-2], chunk):  # bounded memory: 2**m minima per chunk
        r, w = ranks[..., start:start + chunk, :], weights[start:start + chunk]
        best = np.full((1 << m, *r.shape[:-1]), np.iinfo(r.dtype).max, dtype=r.dtype)
        for mask in range(1, 1 << m):
            low = (mask & -mask).bit_length() - 1
            best[mask] = np.minimum(best[mask & (mask - 1)], r[..., low])
        for x, masks in enumerate(members):
            rest = best[masks ^ (1 << x)]
            ayes[masks, ..., x] += _weigh(r[..., x] < rest, w)
            noes[masks, ..., x] += _weigh(r[..., x] > rest, w)
    return np.moveaxis(ayes, 0, -2), np.moveaxis(noes, 0, -2)


def favourites_of(
    table: tuple[np.ndarray, np.ndarray], orderings: np.ndarray, draw: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each ordering's sincere successive votes, stage by stage, looked up in a
    :func:`favourite_table`; ``draw`` (B,) names each ordering's draw when the table has one."""
    masks = suffix_masks(orderings)
    if draw is None:
        return table[0][masks, orderings], table[1][masks, orderings]
    return table[0][draw[:, None], masks, orderings], table[1][draw[:, None], masks, orderings]


def _weigh(voters: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Total weight of the voters marked along the last axis (a count when every weight is 1)."""
    if np.all(weights == 1):
        return count_true(voters)
    return voters @ weights


def suffix_masks(agenda: np.ndarray) -> np.ndarray:
    """(B, k): the set of options x_i, ..., x_k as a bit mask, for each stage of each agenda."""
    bits = np.left_shift(1, np.asarray(agenda, dtype=np.int64))
    return np.cumsum(bits[:, ::-1], axis=1)[:, ::-1]
