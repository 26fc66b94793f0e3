"""What the store's queries return: a division's totals, its split by party, its rebels, and cohesion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DivisionTotals:
    """One division with its official totals and the totals counted from its votes.

    ``counted_ayes``/``counted_noes`` include members in both lobbies and exclude tellers,
    like the official totals. ``ayes``/``noes`` are the official totals (None if the source
    gives none).
    """

    chamber: str
    id: str
    date: date | None
    number: int | None
    title: str
    ayes: int | None
    noes: int | None
    counted_ayes: int
    counted_noes: int
    tellers: int
    no_vote: int
    both: int
    source: str

    @property
    def result_ayes(self) -> int:
        """The official aye total where known, else the counted one."""
        return self.counted_ayes if self.ayes is None else self.ayes

    @property
    def result_noes(self) -> int:
        """The official no total where known, else the counted one."""
        return self.counted_noes if self.noes is None else self.noes

    @property
    def outcome(self) -> str:
        """'aye' or 'no', the side with more votes (official totals where known), or 'tie'."""
        if self.result_ayes == self.result_noes:
            return "tie"
        return "aye" if self.result_ayes > self.result_noes else "no"

    @property
    def ayes_differ(self) -> bool:
        """True when the official aye total differs from the one counted from the votes."""
        return self.ayes is not None and self.ayes != self.counted_ayes

    @property
    def noes_differ(self) -> bool:
        """True when the official no total differs from the one counted from the votes."""
        return self.noes is not None and self.noes != self.counted_noes

    @property
    def discrepancy(self) -> bool:
        """True when an official total differs from the total counted from the votes."""
        return self.ayes_differ or self.noes_differ


@dataclass(frozen=True)
class PartySplit:
    """How one party's members voted in one division. The five counts are exclusive."""

    party: str
    aye: int
    no: int
    no_vote: int
    tellers: int
    both: int
    rice: float | None
    """Rice index |aye - no| / (aye + no); None when nobody in the party voted aye or no."""
    majority: str | None
    """'aye' or 'no', the side most of the party's voters took; None on a tie."""


@dataclass(frozen=True)
class Rebel:
    """A member who voted (or told) against their party's majority."""

    member_id: str
    name: str
    party: str
    vote: str
    """The VoteKind value: 'aye', 'no', 'teller_aye' or 'teller_no'."""


@dataclass(frozen=True)
class DivisionResult:
    """A division's totals, split by party, and rebels."""

    totals: DivisionTotals
    parties: tuple[PartySplit, ...]
    rebels: tuple[Rebel, ...]


@dataclass(frozen=True)
class PartyCohesion:
    """A party's mean Rice index over the divisions in which it had aye or no votes."""

    chamber: str
    party: str
    divisions: int
    rice: float

