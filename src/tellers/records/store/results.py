"""What the store's queries return: a division's totals, its split by party, its rebels, and cohesion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from tellers.chambers import Verdict, judge


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
    question: str = ""
    result: str | None = None
    """The result as the source records it (None: it records none)."""
    recorded_passed: bool | None = None
    """What the recorded result says (None: it says neither, or there is none)."""
    party_basis: str = ""
    listed: int = 0
    """Members the records list in the division, whatever they did (the members sworn, where no one
    is listed who cannot vote)."""
    result_read: bool = True
    """False for a division stored by a tellers that did not keep recorded results: re-import it."""
    note: str = ""
    """What a reader of these totals must know that the record does not say (e.g. that the House
    was told other figures before the record was corrected): set by the house from its catalogue."""

    @cached_property
    def verdict(self) -> Verdict:
        """The division judged under its chamber's rules, beside the recorded result."""
        return judge(
            self.chamber, ayes=self.result_ayes, noes=self.result_noes, question=self.question, title=self.title,
            when=self.date, sworn=self.listed or None, recorded=self.recorded_passed,
        )

    @property
    def passed(self) -> bool | None:
        """The outcome: as recorded where the source records one, else by the chamber's rules
        from the official totals (None: a tie whose casting vote is not known)."""
        return self.verdict.passed

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
        """'aye' (carried), 'no' (not carried), or 'tie' for a tie whose casting vote is not known."""
        passed = self.passed
        return "tie" if passed is None else "aye" if passed else "no"

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
    on_the_day: int = 0
    """Members counted here by a membership history (the rest by the party the source gives)."""


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

