"""Each chamber's rules, in one place: the majority a question needs, who breaks a tie,
who cannot vote; and the verdict they give on a division, beside the recorded result.

A shared leaf like :mod:`tellers.errors`: it imports nothing else of tellers, and the
records, parliament and views layers all ask it. A chamber tellers has no rules for is
taken to decide by a simple majority of those voting, a tie failing, and says so.

Results as recorded: a division's outcome is the record's. :func:`judge` recomputes it
from the counts under the chamber's rules and, where the two disagree, says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from tellers.chambers import commons, senate
from tellers.chambers.majorities import SIMPLE, SWORN, VOTING, Majority, TieRule

__all__ = ["SIMPLE", "SWORN", "VOTING", "ChamberRules", "Majority", "TieRule", "Verdict", "judge", "rules_for"]


@dataclass(frozen=True)
class NoCastingVote(TieRule):
    """No one breaks a tie: the question fails."""

    breaker: str = "no one"
    rule: str = "a tie fails (no casting vote is known for this chamber)"

    def casts(self, question: str, title: str) -> str:
        return "no"


@dataclass(frozen=True)
class ChamberRules:
    """How one chamber decides its divisions."""

    name: str
    tie: TieRule
    majority_for: object
    """``(question, title, date) -> Majority``."""
    cannot_vote_for: object = None
    """``(name, party, date) -> reason or None``: who is listed but cannot vote (None: everyone listed can)."""
    known: bool = True
    """False for a chamber tellers has no rules for (the defaults apply)."""

    def majority(self, question: str = "", title: str = "", when: date | None = None) -> Majority:
        """The majority a question needs."""
        return self.majority_for(question, title, when)

    def cannot_vote(self, name: str | None, party: str, when: date | None) -> str | None:
        """Why a listed member cannot vote ("the Speaker"), or None."""
        return self.cannot_vote_for(name, party, when) if self.cannot_vote_for else None

    def quota(self, eligible: int, question: str = "", title: str = "", when: date | None = None) -> int:
        """The Ayes that carry a question when all ``eligible`` members vote (the weighted game's quota)."""
        majority = self.majority(question, title, when)
        if majority.base == SWORN:
            return majority.needed(0, 0, eligible)
        if majority.simple:
            return eligible // 2 + (0 if eligible % 2 == 0 and self.tie_carries(majority, question, title) else 1)
        return majority.needed(0, 0, None) if eligible == 0 else math.ceil(majority.fraction * eligible)

    def tie_carries(self, majority: Majority, question: str = "", title: str = "") -> bool | None:
        """Whether a tie carries a simple-majority question (None: the tie-breaker's choice)."""
        if not majority.simple:
            return False
        cast = self.tie.casts(question, title)
        return None if cast is None else cast == "aye"


RULES = {
    commons.NAME.casefold(): ChamberRules(commons.NAME, commons.SpeakerDenison(), commons.majority, commons.cannot_vote),
    senate.NAME.casefold(): ChamberRules(senate.NAME, senate.VicePresident(), senate.majority),
}


def rules_for(chamber: str) -> ChamberRules:
    """The chamber's rules (a simple majority, a tie failing, for a chamber tellers does not know)."""
    return RULES.get(chamber.strip().casefold()) or ChamberRules(chamber, NoCastingVote(), lambda q, t, w: SIMPLE, known=False)


@dataclass(frozen=True)
class Verdict:
    """A division judged: by its counts under the chamber's rules, and as recorded."""

    majority: Majority
    counted: bool | None
    """Carried by the counts under the rules; None for a tie the tie-breaker decides (direction unknown)."""
    recorded: bool | None
    """What the recorded result says (None: the source records no result)."""
    tie: bool
    why: str
    """How the outcome was reached, and why counts and record disagree where they do."""

    @property
    def passed(self) -> bool | None:
        """The outcome: the record's where it says, else the counts'."""
        return self.recorded if self.recorded is not None else self.counted

    @property
    def agrees(self) -> bool | None:
        """True when the counts give the recorded result (None when either is unknown)."""
        if self.recorded is None or self.counted is None:
            return None
        return self.recorded == self.counted


def judge(
    chamber: str, *, ayes: int, noes: int, question: str = "", title: str = "", when: date | None = None,
    sworn: int | None = None, recorded: bool | None = None,
) -> Verdict:
    """The verdict on a division (see :class:`Verdict`); ``sworn`` is the members who could vote."""
    rules = rules_for(chamber)
    majority = rules.majority(question, title, when)
    tie = majority.simple and ayes == noes
    if majority.base == SWORN and sworn is None:  # the base cannot be counted: the record decides
        counted = None
        how = f"{majority.describe()}, and how many were sworn is not known here"
    elif tie:
        carries = rules.tie_carries(majority, question, title)
        counted = carries
        how = (f"a tie, {ayes}–{noes}: {rules.tie.rule}"
               + ("" if carries is None else f"; {rules.tie.breaker} votes {'Aye' if carries else 'No'}"))
    else:
        counted = majority.carries(ayes, noes, sworn)
        need = majority.needed(ayes, noes, sworn)
        base = f" of {sworn} sworn" if majority.base == SWORN else ""
        how = f"{majority.describe()}: {need} Ayes needed{base}, {ayes} cast"
        if not rules.known:
            how += f" (tellers has no rules for the {chamber}: a simple majority assumed)"
    why = how
    if recorded is not None and counted is None and not tie:
        why = f"{how}; the record says it {'passed' if recorded else 'failed'}"
    elif recorded is not None and counted is None:
        cast = "voted Aye" if recorded else "voted No or did not vote"
        why = f"{how}; the record says it {'passed' if recorded else 'failed'}, so {rules.tie.breaker} {cast}"
    elif recorded is not None and counted != recorded:
        why = (f"{how}, so the counts say it {'passed' if counted else 'failed'}, but the record says it "
               f"{'passed' if recorded else 'failed'}: {_disagreement(majority, recorded, ayes, sworn if rules.name == senate.NAME else None)}")
    return Verdict(majority, counted, recorded, tie, why)


def _disagreement(majority: Majority, recorded: bool, ayes: int, sworn: int | None) -> str:
    """Why counts and record may differ, in words (``sworn``: the Senate's, for its 60-vote thresholds)."""
    if majority.simple and not recorded:
        if sworn and ayes < senate.CLOTURE.needed(ayes, 0, sworn):
            return (f"the Ayes fell short of three fifths of the {sworn} sworn ({senate.CLOTURE.needed(ayes, 0, sworn)}), "
                    "a threshold the record's wording does not show: the Senate sets one by unanimous consent "
                    "for many amendments, and the Budget Act sets it for motions to waive it")
        return ("the question may have needed more than a simple majority (a rule the record's wording does not "
                "show), or the Ayes included pairs or absent members' positions")
    if not majority.simple and recorded:
        return "the question needed only a simple majority here, or the record counts members the votes do not list"
    return "the record is taken; the counts may miss pairs, absences or a casting vote"
