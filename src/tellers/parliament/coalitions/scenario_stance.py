"""A stance in a scenario: how many of a bloc (or of a party's members present) vote Aye and No.

Written ``aye``, ``no``, ``abstain`` or ``"split A/N"`` (A Ayes and N Noes, the rest
abstaining); read by :mod:`tellers.parliament.coalitions.scenario_file`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tellers.records.fields import MAX_DIGITS, shown

STANCE_HELP = 'A stance is aye, no, abstain or "split A/N" (A Ayes and N Noes, the rest abstaining)'


@dataclass(frozen=True)
class Stance:
    """How many of a bloc vote Aye and No; the rest abstain."""

    ayes: int
    noes: int

    @classmethod
    def parse(cls, text: object, size: int) -> Stance:
        """``aye``, ``no``, ``abstain`` or ``split A/N`` for a bloc of ``size`` (ValueError if not)."""
        if not isinstance(text, str):
            raise ValueError(f"{shown(text)} is not a stance")
        t = " ".join(text.strip().lower().split())
        if t == "aye":
            return cls(size, 0)
        if t == "no":
            return cls(0, size)
        if t == "abstain":
            return cls(0, 0)
        m = re.fullmatch(rf"split ([0-9]{{1,{MAX_DIGITS}}}) ?/ ?([0-9]{{1,{MAX_DIGITS}}})", t)
        if not m:
            raise ValueError(f"{shown(text)} is not a stance")
        ayes, noes = int(m.group(1)), int(m.group(2))
        if ayes + noes > size:
            raise ValueError(f"{shown(text)} puts {ayes + noes} members in the lobbies, more than the {size} there are")
        return cls(ayes, noes)

    def text(self, size: int) -> str:
        """The stance as a scenario file writes it."""
        if self.ayes == size:
            return "aye"
        if self.noes == size:
            return "no"
        if self.ayes == self.noes == 0:
            return "abstain"
        return f"split {self.ayes}/{self.noes}"
