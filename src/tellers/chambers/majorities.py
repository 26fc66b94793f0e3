"""Required majorities and tie rules, and the verdict they give on a division's counts.

A :class:`Majority` says how many Ayes a question needs: more Ayes than Noes (a simple
majority of those voting), a fraction of those voting (two thirds for a veto override),
or a fraction of the members sworn (three fifths for Senate cloture). Each is the linear
test ``a·ayes − b·noes ≥ c`` (:meth:`Majority.linear`), which the what-if integer
programs use as their constraint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

VOTING, SWORN = "voting", "sworn"


@dataclass(frozen=True)
class TieRule:
    """Who decides a simple-majority question when the Ayes and Noes are equal, and how."""

    breaker: str
    """"the Speaker", "the Vice President"."""
    rule: str
    """How they vote, in words."""

    def casts(self, question: str, title: str) -> str | None:  # pragma: no cover - overridden
        """'aye' or 'no', the side the casting vote takes on this question; None when it is the breaker's choice."""
        raise NotImplementedError


@dataclass(frozen=True)
class Majority:
    """The Ayes a question needs: ``fraction`` of ``base`` (those voting, or the members sworn).

    A simple majority (``fraction`` 1/2 of those voting) needs *more* than half, and a tie
    goes to the chamber's tie rule; any other majority needs at least the fraction.
    """

    fraction: Fraction
    base: str
    why: str
    """Where the rule comes from, in words ("Senate Rule XXII: three fifths of the senators duly chosen and sworn")."""

    @property
    def simple(self) -> bool:
        return self.fraction == Fraction(1, 2) and self.base == VOTING

    def describe(self) -> str:
        """The majority in a few words: "a simple majority of those voting", "3/5 of the members sworn"."""
        if self.simple:
            return "a simple majority of those voting"
        words = {Fraction(2, 3): "two thirds", Fraction(3, 5): "three fifths"}.get(self.fraction, str(self.fraction))
        return f"{words} of {'those voting' if self.base == VOTING else 'the members sworn'}"

    def needed(self, ayes: int, noes: int, sworn: int | None) -> int:
        """The Ayes that carry the question, given the Noes (and the members sworn)."""
        if self.base == SWORN:
            if sworn is None:
                raise ValueError("a majority of the members sworn needs their number")
            return math.ceil(self.fraction * sworn)
        if self.simple:
            return noes + 1
        # ayes >= f (ayes + noes)  <=>  ayes >= f noes / (1 - f)
        return math.ceil(self.fraction * noes / (1 - self.fraction))

    def linear(self, sworn: int | None, tie_carries: bool = False) -> tuple[int, int, int]:
        """(a, b, c): the question carries when ``a·ayes − b·noes ≥ c``.

        ``tie_carries`` (a simple majority only): a tie carries it (the casting vote is Aye).
        """
        if self.base == SWORN:
            return 1, 0, self.needed(0, 0, sworn)
        if self.simple:
            return 1, 1, 0 if tie_carries else 1
        p, q = self.fraction.numerator, self.fraction.denominator
        return q - p, p, 0  # q ayes >= p (ayes + noes)

    def carries(self, ayes: int, noes: int, sworn: int | None) -> bool | None:
        """True or False by the counts; None for a simple-majority tie (the tie rule decides)."""
        if self.simple and ayes == noes:
            return None
        a, b, c = self.linear(sworn)
        return a * ayes - b * noes >= c


SIMPLE = Majority(Fraction(1, 2), VOTING, "more Ayes than Noes")
