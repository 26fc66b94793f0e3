"""`Profile`: weighted ballots over named candidates, and the majority relation they imply.

Ballots are stored as a rank matrix: ``ranks[i, c]`` is the level at which ballot ``i``
places candidate ``c`` (0 = top; tied candidates share a level) or ``UNRANKED`` when the
ballot leaves ``c`` out. Unranked candidates sit below every ranked one and are tied
with each other. Identical ballots are merged on construction, their weights summed,
unless a sample shows a large profile's ballots to be nearly all distinct, where
merging buys nothing (``merged`` is then False; see :func:`tellers.ballots.merge.merge_pays`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property

import numpy as np

from tellers.ballots import majority
from tellers.ballots.merge import densify, merge_ballots
from tellers.ballots.pairwise import by_candidate, pairwise_support
from tellers.ballots.weights import WeightSums
from tellers.ballots.ranks import UNRANKED, ballot_weights, candidate_names, ranks_from_ballot_lists, ranks_from_order_array
from tellers.errors import ProfileError
from tellers.wording import few


class Profile:
    """Weighted ballots (strict, tied, truncated or approval) over named candidates.

    Derived matrices (``support``, ``margins``) are computed once, on first use.

    In a *partial* profile (``partial=True``) a candidate a ballot leaves out is
    unknown to it: neither above nor below the candidates it ranks. Revealed
    preferences from division lists are partial: an MP who voted on two options
    says nothing about a third.
    """

    def __init__(
        self,
        ranks: np.ndarray,
        weights: np.ndarray,
        candidates: Sequence[str],
        *,
        approval: bool = False,
        partial: bool = False,
        merged: bool = False,
        dense: bool = False,
    ) -> None:
        ranks = np.asarray(ranks, dtype=np.int16)
        weights = np.asarray(weights, dtype=float)
        if ranks.ndim != 2 or ranks.shape[1] != len(candidates):
            raise ProfileError(
                f"rank matrix has shape {ranks.shape}, expected (ballots, {len(candidates)})"
            )
        if len(candidates) == 0:
            raise ProfileError("a profile needs at least one candidate")
        if len(set(candidates)) != len(candidates):
            raise ProfileError(f"candidate names must be distinct: {list(candidates)}")
        if weights.shape != (ranks.shape[0],):
            raise ProfileError("one weight is needed per ballot")
        if not np.all(np.isfinite(weights)) or np.any(weights < 0):
            raise ProfileError("ballot weights must be finite and non-negative")
        self._dense = not merged or dense  # merging densifies
        if not merged:
            ranks, weights, merged = merge_ballots(ranks, weights, dense=dense)
        check_total_weight(weights, len(candidates))
        self.ranks = ranks
        self.weights = weights
        self.candidates: tuple[str, ...] = tuple(str(c) for c in candidates)
        self.approval = approval
        self.partial = partial
        self.merged = merged
        self.ranks.flags.writeable = False
        self.weights.flags.writeable = False

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_rankings(
        cls,
        rankings: np.ndarray | Iterable[Sequence[object]],
        weights: Sequence[float] | np.ndarray | None = None,
        candidates: Sequence[str] | None = None,
    ) -> Profile:
        """Build a profile from rankings listed best first.

        ``rankings`` is either a 2-D integer array (row i lists candidate indices best
        first; ``-1`` pads a truncated ballot) or a list of ballots whose items are
        candidate indices or names, or a tuple/set of them for candidates tied at that
        place. Candidates a ballot omits are ranked below all it names.
        """
        if isinstance(rankings, np.ndarray) and rankings.ndim == 2 and rankings.dtype.kind in "iu":
            m = len(candidates) if candidates is not None else int(rankings.max(initial=-1)) + 1
            ranks = ranks_from_order_array(rankings, m)
        else:
            ranks, candidates = ranks_from_ballot_lists([list(b) for b in rankings], candidates)
        names = candidate_names(candidates, ranks.shape[1])
        # orders fill levels 0, 1, ... in turn: dense already
        return cls(ranks, ballot_weights(weights, ranks.shape[0]), names, dense=True)

    @classmethod
    def from_approvals(
        cls,
        approvals: np.ndarray | Iterable[Iterable[object]],
        weights: Sequence[float] | np.ndarray | None = None,
        candidates: Sequence[str] | None = None,
    ) -> Profile:
        """Build a profile of approval ballots.

        ``approvals`` is a boolean matrix (ballots x candidates) or a list of sets of
        candidate indices or names. Approved candidates are tied above the others.
        """
        if isinstance(approvals, np.ndarray) and approvals.ndim == 2 and approvals.dtype == bool:
            ranks = np.where(approvals, 0, UNRANKED).astype(np.int16)
        else:
            ballots = [[tuple(s)] if s else [] for s in map(list, approvals)]
            ranks, candidates = ranks_from_ballot_lists(ballots, candidates)
        w = ballot_weights(weights, ranks.shape[0])
        return cls(ranks, w, candidate_names(candidates, ranks.shape[1]), approval=True)

    # ------------------------------------------------------------------ basic facts
    @property
    def num_candidates(self) -> int:
        return len(self.candidates)

    @property
    def num_ballots(self) -> int:
        """Number of ballot rows: the distinct ballots when ``merged``, else every ballot given."""
        return self.ranks.shape[0]

    @cached_property
    def voters(self) -> float:
        """Total weight of all ballots (the number of voters, or the sum of shares)."""
        return float(self.weights.sum())

    @cached_property
    def ranked(self) -> np.ndarray:
        """Boolean matrix: does ballot i rank candidate c at all?"""
        return self.ranks != UNRANKED

    @cached_property
    def is_strict_complete(self) -> bool:
        """True when every ballot ranks every candidate, without ties."""
        m = self.num_candidates
        if self._dense:  # levels 0..L-1: strict and complete exactly when L = m on every ballot
            return bool(np.all(self.by_candidate.max(axis=0, initial=0) == m - 1))
        return bool(np.all(self.ranks.max(axis=1, initial=0) == m - 1)) and bool(
            np.all(np.sort(self.ranks, axis=1) == np.arange(m))
        )

    def index(self, candidate: str | int) -> int:
        """Index of a candidate given by name or index."""
        if isinstance(candidate, (int, np.integer)) and 0 <= candidate < self.num_candidates:
            return int(candidate)
        try:
            return self.candidates.index(str(candidate))
        except ValueError:
            raise ProfileError(
                f"unknown candidate {candidate!r}; candidates are {few(self.candidates)}"
            ) from None

    def names(self, indices: Iterable[int]) -> list[str]:
        """Candidate names for indices, in the order given."""
        return [self.candidates[int(i)] for i in indices]

    # ------------------------------------------------------------------ pairwise counts
    @cached_property
    def support(self) -> np.ndarray:
        """``support[a, b]``: total weight of ballots ranking a strictly above b.

        In a partial profile a ballot says nothing about a pair unless it ranks both.
        """
        strict = not self.partial and self.is_strict_complete
        support = pairwise_support(self.by_candidate, self.weights, strict=strict)
        if self.partial:
            # pairwise_support puts ranked above unranked; here unranked means unknown
            support -= (self.ranked.T * self.weights) @ ~self.ranked
        return support

    @cached_property
    def by_candidate(self) -> np.ndarray:
        """The ranks one contiguous row per candidate (one byte each where the levels fit): for counting."""
        return by_candidate(self.ranks, dense=self._dense)

    @cached_property
    def weight_sums(self) -> WeightSums:
        """Sums of ballot weights over masks of ballots (see :mod:`tellers.ballots.weights`)."""
        return WeightSums(self.weights)

    @cached_property
    def compared(self) -> np.ndarray:
        """``compared[a, b]``: weight of ballots that say how a and b compare (all, unless partial)."""
        if self.partial:
            return (self.ranked.T * self.weights) @ self.ranked
        return np.full((self.num_candidates,) * 2, self.voters)

    @cached_property
    def ties(self) -> np.ndarray:
        """``ties[a, b]``: weight of ballots that compare a and b and place them level."""
        return self.compared - self.support - self.support.T

    @cached_property
    def margins(self) -> np.ndarray:
        """``margins[a, b]`` = support for a over b minus support for b over a."""
        s = self.support
        return s - s.T

    @cached_property
    def majority_graph(self) -> np.ndarray:
        """Boolean matrix: ``[a, b]`` is True when a beats b by a strict majority."""
        return self.margins > 0

    def condorcet_winner(self) -> str | None:
        """The candidate who beats every other head to head, or None."""
        w = majority.condorcet_winner(self.margins)
        return None if w is None else self.candidates[w]

    def condorcet_loser(self) -> str | None:
        """The candidate who loses to every other head to head, or None."""
        w = majority.condorcet_loser(self.margins)
        return None if w is None else self.candidates[w]

    @cached_property
    def smith_mask(self) -> np.ndarray:
        return majority.smith_mask(self.margins)

    def smith_set(self) -> list[str]:
        """The smallest set of candidates who each beat everyone outside it."""
        return self.names(np.flatnonzero(self.smith_mask))

    def schwartz_set(self) -> list[str]:
        """The union of the minimal sets no outsider beats."""
        return self.names(np.flatnonzero(majority.schwartz_mask(self.margins)))

    def majority_cycle(self) -> list[str] | None:
        """A shortest majority cycle inside the Smith set, or None if there is none."""
        cycle = majority.majority_cycle(self.margins, among=self.smith_mask)
        return None if cycle is None else self.names(cycle)

    def describe_majority(self) -> str:
        """One sentence on the majority relation: the Condorcet winner, or a cycle."""
        winner = self.condorcet_winner()
        if winner is not None:
            return f"{winner} beats every other candidate head to head (Condorcet winner)."
        cycle = majority.majority_cycle(self.margins, among=self.smith_mask)
        smith = ", ".join(self.smith_set())
        fmt = _format_number
        if cycle is None:
            members = np.flatnonzero(self.smith_mask)
            ties = [
                f"{self.candidates[a]} ties {self.candidates[b]}"
                for i, a in enumerate(members)
                for b in members[i + 1 :]
                if self.margins[a, b] == 0
            ]
            return f"No Condorcet winner: {'; '.join(ties)}. Smith set: {smith}."
        steps = [
            f"{self.candidates[a]} beats {self.candidates[b]} by {fmt(self.margins[a, b])}"
            for a, b in zip(cycle, cycle[1:] + cycle[:1])
        ]
        return "No Condorcet winner: majority cycle " + "; ".join(steps) + f". Smith set: {smith}."

    # ------------------------------------------------------------------ transformations
    def restrict(self, keep: Iterable[str | int]) -> Profile:
        """The profile with only the given candidates (others deleted from every ballot)."""
        idx = sorted({self.index(c) for c in keep})
        if not idx:
            raise ProfileError("cannot restrict a profile to no candidates")
        ranks = densify(self.ranks[:, idx])
        return Profile(ranks, self.weights, self.names(idx), approval=self.approval, partial=self.partial)

    def __repr__(self) -> str:
        return (
            f"Profile({self.num_candidates} candidates, {_format_number(self.voters)} voters, "
            f"{self.num_ballots} {'distinct ' if self.merged else ''}ballots)"
        )


# ---------------------------------------------------------------------- helpers


def check_total_weight(weights: np.ndarray, num_candidates: int) -> None:
    """Refuse weights whose total, or a count summed over candidate pairs, is not a finite number.

    Finite weights can overflow when identical ballots merge (``1e308`` twice); every count
    a rule makes is at most the total times the number of candidates squared.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = weights.sum()
        bound = total * float(max(num_candidates, 1)) ** 2
    if not (np.isfinite(total) and np.isfinite(bound)):
        raise ProfileError(
            f"the ballots' total weight ({total:g}) is too large to count over {num_candidates} candidates "
            "(weights overflow when they are added up); scale the weights down"
        )


def _format_number(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.6g}"
