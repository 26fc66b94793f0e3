"""What a division record states: members, divisions and how each member voted.

Plain frozen dataclasses. A reader turns one source file into a :class:`DivisionRecords`
(members, divisions and the votes linking them); the store keeps them; nothing here
computes results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class VoteKind(StrEnum):
    """What the division list records for one member in one division."""

    AYE = "aye"
    NO = "no"
    TELLER_AYE = "teller_aye"  # counted the Ayes; not included in the Aye total
    TELLER_NO = "teller_no"  # counted the Noes; not included in the No total
    NO_VOTE = "no_vote"  # eligible but recorded no vote (absent, abstained, Speaker, ...)
    BOTH = "both"  # listed in both lobbies (an old form of active abstention): in both totals

    @property
    def is_teller(self) -> bool:
        return self in (VoteKind.TELLER_AYE, VoteKind.TELLER_NO)

    @property
    def side(self) -> str | None:
        """'aye' or 'no' for members in (or telling for) a lobby, else None."""
        if self in (VoteKind.AYE, VoteKind.TELLER_AYE):
            return "aye"
        if self is VoteKind.BOTH:
            return None
        if self in (VoteKind.NO, VoteKind.TELLER_NO):
            return "no"
        return None


@dataclass(frozen=True)
class Member:
    """A member of a chamber; ``id`` is the source's stable id (MNIS for the Commons, ICPSR for Voteview)."""

    id: str
    name: str
    party: str
    constituency: str = ""


@dataclass(frozen=True)
class Division:
    """One division (roll call). ``ayes``/``noes`` are the official totals, tellers excluded.

    ``totals_computed`` is True when the source gives no official totals and the reader
    counted ``ayes``/``noes`` from the votes instead (BOTH counts on each side).
    ``date`` is None only when the source does not give it (a Voteview votes file
    without its rollcalls file). ``question`` is the question put, in the source's words
    ("On the Cloture Motion"; empty when the source does not say); ``result`` is the
    result as the source records it ("Cloture Motion Rejected"; None when it records
    none), and ``passed`` is what that result says: True, False, or None when the source
    gives no result that says either (the Commons records the totals, so a Commons reader
    leaves these None and the chamber's rules decide from the official totals).
    """

    id: str
    chamber: str
    date: date | None
    title: str
    number: int | None = None
    ayes: int | None = None
    noes: int | None = None
    totals_computed: bool = False
    question: str = ""
    result: str | None = None
    passed: bool | None = None
    party_basis: str = ""
    """What the source's party labels mean: when they were true ("the member's party in
    April 2019, when the data were extracted"); empty when the source does not say."""


@dataclass(frozen=True)
class Vote:
    """One member's recorded position in one division, with their party at the time."""

    division_id: str
    member_id: str
    kind: VoteKind
    party: str = ""


@dataclass(frozen=True)
class Membership:
    """A member's party over a period: from ``start`` to ``end`` inclusive (None: still a member).

    ``chamber`` is empty when the history does not say (it then applies to the member's
    id in any chamber).
    """

    member_id: str
    party: str
    start: date
    end: date | None = None
    chamber: str = ""

    def covers(self, when: date) -> bool:
        """True when the member belonged to ``party`` on ``when``."""
        return self.start <= when and (self.end is None or when <= self.end)


@dataclass(frozen=True)
class MembershipHistory:
    """What one membership source holds: party affiliations with dates."""

    source: str
    memberships: tuple[Membership, ...]


@dataclass(frozen=True)
class DivisionRecords:
    """What one source file holds: its members, divisions and votes."""

    source: str
    chamber: str
    members: tuple[Member, ...]
    divisions: tuple[Division, ...]
    votes: tuple[Vote, ...]
