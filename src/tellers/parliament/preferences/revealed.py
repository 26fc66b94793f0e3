"""Revealed preferences: what Aye and No votes on several options say about pairs of them.

A member who voted Aye on X and No on Y prefers X to Y. Two Ayes (or two Noes) place
X and Y level. An option the member did not vote on is unknown to them: neither above
nor below the others — so each member's ballot is a partial order with at most two
levels, and the profile is *partial* (see :class:`tellers.Profile`).

Tellers count for the side they tell for: a whip telling for the Noes is recorded
against the motion as surely as those voting No. A member recorded in both lobbies says
nothing, and is unknown.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tellers.errors import OptionError
from tellers.records.model import VoteKind
from tellers.parliament.options import Option
from tellers.records.patterns import KINDS, VotingPatterns
from tellers.ballots.profile import UNRANKED, Profile

_LEVEL = np.full(len(KINDS), UNRANKED, dtype=np.int16)
_LEVEL[KINDS.index(VoteKind.AYE)] = _LEVEL[KINDS.index(VoteKind.TELLER_AYE)] = 0
_LEVEL[KINDS.index(VoteKind.NO)] = _LEVEL[KINDS.index(VoteKind.TELLER_NO)] = 1


def revealed_profile(
    patterns: VotingPatterns, options: Sequence[Option], divisions: Sequence[str]
) -> Profile:
    """The partial profile of ``patterns``' members over ``options``.

    ``divisions[i]`` is the division that counts for ``options[i]``. Every member is one
    ballot (identical ballots merged), including members who voted on none of them.
    """
    if len(options) < 2:
        raise OptionError("a head-to-head comparison needs at least two options")
    if len(set(divisions)) != len(divisions):
        raise OptionError("two options name the same division; give each option its own")
    table = patterns.select(divisions)
    return Profile(revealed_levels(table.codes), table.counts.astype(float), [o.label for o in options], partial=True)


def revealed_levels(codes: np.ndarray) -> np.ndarray:
    """Rank levels of vote codes (a :class:`VotingPatterns` ``codes`` matrix): Aye (or
    telling for the Ayes) 0, No 1, anything else ``UNRANKED`` (unknown)."""
    return _LEVEL[np.asarray(codes).astype(np.intp)]
