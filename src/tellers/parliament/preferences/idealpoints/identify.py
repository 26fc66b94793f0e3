"""Identification: the anchor that signs each dimension, and the transform that standardises,
rotates (2-D) and signs the positions (see :mod:`tellers.parliament.preferences.idealpoints`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tellers.errors import ScalingError
from tellers.parliament.preferences.idealpoints.data import Dropped
from tellers.parliament.preferences.idealpoints.linalg import sym_power


def anchor_rows(
    anchor: str | Sequence[str] | None,
    dims: int,
    ids: Sequence[str],
    names: Sequence[str],
    parties: Sequence[str],
    dropped: Dropped,
) -> tuple[str, list[np.ndarray]]:
    """A description of the anchor, and per dimension the rows whose mean is made positive."""
    if anchor is None:
        sizes: dict[str, int] = {}
        for p in parties:
            if p:
                sizes[p] = sizes.get(p, 0) + 1
        if sizes:
            party = min(sizes, key=lambda p: (-sizes[p], p))
            rows = np.flatnonzero(np.array(parties, dtype=object) == party)
            return f"party {party} (the largest)", [rows] * dims
        return f"member {names[0]} (the first)", [np.array([0])] * dims
    anchors = [anchor] * dims if isinstance(anchor, str) else list(anchor)
    if len(anchors) == 1:
        anchors = anchors * dims
    if len(anchors) != dims:
        raise ScalingError(f"give one anchor, or one per dimension ({dims}); got {len(anchors)}")
    rows, words = [], []
    for a in anchors:
        r, word = _find_anchor(str(a), ids, names, parties, dropped)
        rows.append(r)
        words.append(word)
    return ", ".join(dict.fromkeys(words)), rows


def _find_anchor(
    anchor: str, ids: Sequence[str], names: Sequence[str], parties: Sequence[str], dropped: Dropped
) -> tuple[np.ndarray, str]:
    key = anchor.strip().casefold()
    for label, values in (("member", ids), ("member", names), ("party", parties)):
        hits = np.flatnonzero(np.array([str(v).casefold() == key for v in values], dtype=bool))
        if hits.size:
            shown = names[hits[0]] if label == "member" else parties[hits[0]]
            return hits, f"{label} {shown}"
    for member_id, name, reason in dropped.members:
        if key in (member_id.casefold(), name.casefold()):
            raise ScalingError(f"anchor {anchor!r} was dropped from the fit ({reason}); choose another member or a party")
    known = sorted({p for p in parties if p})
    hint = f" Parties: {', '.join(known)}." if known else ""
    raise ScalingError(f"no member or party called {anchor!r} to anchor the scale.{hint}")


def identify(
    x: np.ndarray, alpha: np.ndarray, beta: np.ndarray, anchors: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Standardise (whiten), rotate (2-D) and sign the positions; transform the votes to match.

    Returns positions, α, β and the matrix T with new = (old - mean) @ T.
    """
    centre = x.mean(axis=0)
    alpha = alpha + beta @ centre
    xc = x - centre
    cov = xc.T @ xc / len(x)
    t = sym_power(cov, -0.5)
    if x.shape[1] > 1:
        bt = beta @ np.linalg.inv(t).T
        _, vectors = np.linalg.eigh(bt.T @ bt)
        t = t @ vectors[:, ::-1]
    signs = np.ones(x.shape[1])
    z = xc @ t
    for dim, rows in enumerate(anchors):
        if z[rows, dim].mean() < 0:
            signs[dim] = -1.0
    t = t * signs
    return xc @ t, alpha, beta @ np.linalg.inv(t).T, t
