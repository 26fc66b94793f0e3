"""The votes to fit: one matrix from any input, and the votes and members dropped (and why).

The rules for the drops are in :mod:`tellers.parliament.preferences.idealpoints` ("Drops").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tellers.errors import ScalingError
from tellers.records.rollcalls import MemberVotes, binary_votes

DEFAULT_MIN_MINORITY = 0.025
"""Drop votes whose minority is a smaller share of those voting (W-NOMINATE's default)."""


@dataclass(frozen=True)
class Dropped:
    """What was left out of a fit, and why."""

    votes: tuple[tuple[str, str], ...]
    """(vote id, reason)."""
    members: tuple[tuple[str, str, str], ...]
    """(member id, name, reason)."""

    def to_dict(self) -> dict:
        return {
            "votes": [{"id": v, "reason": r} for v, r in self.votes],
            "members": [{"id": i, "name": n, "reason": r} for i, n, r in self.members],
        }


def vote_matrix(
    votes: MemberVotes | np.ndarray,
    ids: Sequence[str] | None,
    names: Sequence[str] | None,
    parties: Sequence[str] | None,
    vote_ids: Sequence[str] | None,
) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The votes as a float matrix (1, 0, NaN) with member ids, names, parties and vote ids."""
    if isinstance(votes, MemberVotes):
        return votes.binary(), votes.ids, votes.names, votes.parties, votes.divisions
    arr = np.asarray(votes)
    if arr.ndim != 2:
        raise ScalingError(f"votes must be a members x votes matrix, not an array of shape {arr.shape}")
    if arr.dtype.kind in "iu":
        y = binary_votes(arr)
    elif arr.dtype.kind == "b":
        y = arr.astype(float)
    elif arr.dtype.kind == "f":
        y = arr.astype(float)
        bad = ~np.isnan(y) & (y != 0) & (y != 1)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ScalingError(f"votes must be 1 (Aye), 0 (No) or NaN (no vote); row {i + 1}, column {j + 1} is {y[i, j]!r}")
    else:
        raise ScalingError(f"votes must be numbers or vote codes, not {arr.dtype}")
    n, m = y.shape
    ids = tuple(str(i) for i in (ids if ids is not None else range(n)))
    names = tuple(str(x) for x in names) if names is not None else ids
    parties = tuple(str(p) for p in parties) if parties is not None else ("",) * n
    vote_ids = tuple(str(v) for v in (vote_ids if vote_ids is not None else range(m)))
    if not (len(ids) == len(names) == len(parties) == n) or len(vote_ids) != m:
        raise ScalingError(f"{n} x {m} votes need {n} member ids, names and parties and {m} vote ids")
    if len(set(ids)) != n:
        raise ScalingError("member ids must be distinct")
    return y, ids, names, parties, vote_ids


def select(
    y: np.ndarray,
    ids: Sequence[str],
    names: Sequence[str],
    vote_ids: Sequence[str],
    min_minority: float,
    min_votes: int,
) -> tuple[np.ndarray, np.ndarray, Dropped]:
    """Which members and votes to keep; the drops with their reasons."""
    n, m = y.shape
    cast = ~np.isnan(y)
    aye = cast & (y > 0.5)
    keep_m = np.ones(n, dtype=bool)
    keep_v = np.ones(m, dtype=bool)
    vote_reasons: dict[int, str] = {}
    member_reasons: dict[int, str] = {}
    while True:
        total = cast[keep_m].sum(axis=0)
        ayes = aye[keep_m].sum(axis=0)
        minority = np.minimum(ayes, total - ayes)
        changed = False
        for j in np.flatnonzero(keep_v):
            if total[j] == 0:
                reason = "no votes recorded"
            elif minority[j] == 0:
                reason = "unanimous"
            elif minority[j] < min_minority * total[j]:
                reason = (
                    f"lopsided: {minority[j]} of {total[j]} ({minority[j] / total[j]:.1%}) in the minority, "
                    f"below {min_minority:.1%}"
                )
            else:
                continue
            keep_v[j] = False
            vote_reasons[j] = reason
            changed = True
        counts = cast[:, keep_v].sum(axis=1)
        for i in np.flatnonzero(keep_m & (counts < min_votes)):
            keep_m[i] = False
            member_reasons[i] = "no votes" if counts[i] == 0 else f"{counts[i]} votes, fewer than {min_votes}"
            changed = True
        if not changed:
            break
    dropped = Dropped(
        tuple((vote_ids[j], r) for j, r in sorted(vote_reasons.items())),
        tuple((ids[i], names[i], r) for i, r in sorted(member_reasons.items())),
    )
    return keep_m, keep_v, dropped


def summarise_drops(votes: Sequence[tuple[str, str]]) -> str:
    kinds: dict[str, int] = {}
    for _, reason in votes:
        key = reason.split(":")[0]
        kinds[key] = kinds.get(key, 0) + 1
    return ", ".join(f"{k} {v}" for v, k in kinds.items()) or "none dropped"
