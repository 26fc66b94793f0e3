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
    without its rollcalls file).
    """

    id: str
    chamber: str
    date: date | None
    title: str
    number: int | None = None
    ayes: int | None = None
    noes: int | None = None
    totals_computed: bool = False


@dataclass(frozen=True)
class Vote:
    """One member's recorded position in one division, with their party at the time."""

    division_id: str
    member_id: str
    kind: VoteKind
    party: str = ""


@dataclass(frozen=True)
class DivisionRecords:
    """What one source file holds: its members, divisions and votes."""

    source: str
    chamber: str
    members: tuple[Member, ...]
    divisions: tuple[Division, ...]
    votes: tuple[Vote, ...]
