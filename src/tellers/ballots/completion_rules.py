"""Rules on many complete profiles at once: each draw of sampled completions is a profile.

Every function takes (draws, members, candidates) positions (0 the top; every ballot a
strict ranking) or the (draws, candidates, candidates) margins they give, and returns
(draws, candidates) booleans: the winners of each draw, all tied winners kept. They are
the engine's rules (``tellers.ballots.rules``) on strict complete ballots, vectorised over
the draws; ``tests/test_completion_sampling.py`` checks them against the engine draw by draw.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tellers.ballots.weights import count_true


def _best(score: np.ndarray) -> np.ndarray:
    return score == score.max(axis=1, keepdims=True)


def _tops(positions: np.ndarray) -> np.ndarray:
    """(draws, candidates) count of members who rank each candidate top."""
    return count_true(positions == 0, axis=1)


def _tops_among(left: list[np.ndarray], remaining: np.ndarray) -> np.ndarray:
    """Like :func:`_tops` among the ``remaining`` candidates; ``left[c]`` is candidate c's
    (draws, members) positions, contiguous, and past every other's (k) in the draws where c is
    out (elementwise work across candidates is far faster than reducing each member's short row)."""
    best = left[0].copy()
    for column in left[1:]:
        np.minimum(best, column, out=best)
    return np.stack([count_true(column == best, axis=1) for column in left], axis=1) * remaining


def plurality(positions: np.ndarray, margins: np.ndarray) -> np.ndarray:
    return _best(_tops(positions))


def borda(positions: np.ndarray, margins: np.ndarray) -> np.ndarray:
    k = positions.shape[2]
    return _best((k - 1 - positions).sum(axis=1))


def copeland(positions: np.ndarray, margins: np.ndarray) -> np.ndarray:
    return _best((margins > 0).sum(axis=2) + 0.5 * ((margins == 0).sum(axis=2) - 1))


def minimax(positions: np.ndarray, margins: np.ndarray) -> np.ndarray:
    worst = np.maximum(margins, 0).max(axis=1)  # the largest margin against each candidate
    return worst == worst.min(axis=1, keepdims=True)


def schulze(positions: np.ndarray, margins: np.ndarray) -> np.ndarray:
    k = margins.shape[1]
    p = np.where(margins > 0, margins, 0)
    for i in range(k):
        p = np.maximum(p, np.minimum(p[:, :, i:i + 1], p[:, i:i + 1, :]))
    ok = (p >= p.transpose(0, 2, 1)) | np.eye(k, dtype=bool)[None]
    return ok.all(axis=2)


def irv(positions: np.ndarray, margins: np.ndarray) -> np.ndarray:
    """The alternative vote: the candidate with most first preferences among those left wins
    with a majority of them; else everyone tied for last goes; a tie of all left is a tie."""
    draws, members, k = positions.shape
    left = [np.array(positions[..., c]) for c in range(k)]  # a candidate out of the count goes to k
    remaining = np.ones((draws, k), dtype=bool)
    won = np.zeros((draws, k), dtype=bool)
    open_ = np.ones(draws, dtype=bool)
    for _ in range(k):
        counts = np.where(remaining, _tops_among(left, remaining), -1)
        lead = counts.max(axis=1)
        majority = open_ & (2 * lead > members)
        won[majority] = counts[majority] == lead[majority, None]
        open_ &= ~majority
        low = np.where(remaining, counts, np.iinfo(np.int64).max).min(axis=1)
        last = remaining & (counts == low[:, None])
        all_tied = open_ & (last.sum(axis=1) == remaining.sum(axis=1))
        won[all_tied] = remaining[all_tied]
        open_ &= ~all_tied
        out = last & open_[:, None]
        remaining &= ~out
        for c in np.flatnonzero(out.any(axis=0)):
            left[c][out[:, c]] = k
        if not open_.any():
            break
    return won


RULES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "plurality": plurality, "borda": borda, "copeland": copeland, "minimax": minimax, "schulze": schulze, "irv": irv,
}
"""The rules whose winner shares a completion study reports."""


def winners_by_rule(positions: np.ndarray, margins: np.ndarray) -> dict[str, np.ndarray]:
    """Each rule's winners in each draw."""
    return {name: rule(positions, margins) for name, rule in RULES.items()}
