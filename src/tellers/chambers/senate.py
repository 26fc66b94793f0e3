"""The United States Senate: the majority each question needs, and the Vice President's tie.

From the Constitution and the Standing Rules of the Senate, by the question Voteview
records (``vote_question``) and its description:

- **three fifths of the senators duly chosen and sworn** (Rule XXII): cloture, except on
  nominations after the precedents of 21 November 2013 (executive and lower-court
  nominations) and 6 April 2017 (the Supreme Court), which need a simple majority; and
  motions to waive the Budget Act;
- **two thirds of those voting** (the Constitution): overriding a veto (Art. I, §7),
  a resolution of ratification of a treaty (Art. II, §2), conviction on impeachment
  (Art. I, §3), expulsion (Art. I, §5), a constitutional amendment (Art. V); and cloture
  on a change to the Senate's rules (Rule XXII);
- **a simple majority of those voting** otherwise.

**A tie** on a simple-majority question: the Vice President, as President of the Senate,
may give a casting vote (Art. I, §3); without one the question fails. Which way the
Vice President votes is theirs to choose, so a tie's outcome is read from the record.

**Who cannot vote**: the President's position-taking "votes" in Voteview's files are not
senators' and are left out by the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from tellers.chambers.majorities import SIMPLE, SWORN, VOTING, Majority, TieRule

NAME = "Senate"

CLOTURE = Majority(Fraction(3, 5), SWORN, "Senate Rule XXII: three fifths of the senators duly chosen and sworn")
BUDGET_WAIVER = Majority(Fraction(3, 5), SWORN, "the Budget Act: three fifths of the senators duly chosen and sworn to waive it")
RULES_CLOTURE = Majority(Fraction(2, 3), VOTING, "Senate Rule XXII: two thirds of those voting, for cloture on a change to the rules")
VETO = Majority(Fraction(2, 3), VOTING, "the Constitution (Art. I, §7): two thirds to override a veto")
TREATY = Majority(Fraction(2, 3), VOTING, "the Constitution (Art. II, §2): two thirds of the senators present to ratify a treaty")
CONVICTION = Majority(Fraction(2, 3), VOTING, "the Constitution (Art. I, §3): two thirds of the members present to convict")
EXPULSION = Majority(Fraction(2, 3), VOTING, "the Constitution (Art. I, §5): two thirds to expel a member")
AMENDMENT = Majority(Fraction(2, 3), VOTING, "the Constitution (Art. V): two thirds to propose an amendment to it")

NOMINATIONS_BY_MAJORITY = date(2013, 11, 21)
"""Cloture on nominations (other than to the Supreme Court) by a simple majority, from this date."""
SUPREME_COURT_BY_MAJORITY = date(2017, 4, 6)
"""Cloture on Supreme Court nominations by a simple majority, from this date."""


@dataclass(frozen=True)
class VicePresident(TieRule):
    """The Vice President's casting vote: their choice, read from the record."""

    breaker: str = "the Vice President"
    rule: str = "the Vice President may break a tie (Art. I, §3); without their vote a tie fails"

    def casts(self, question: str, title: str) -> None:
        return None


def _is_nomination(question: str, title: str) -> bool:
    """A question on a nomination: Voteview numbers nominations PN… (the title starts with the number)."""
    return "nomination" in question or title.lstrip().upper().startswith("PN")


def majority(question: str, title: str, when: date | None) -> Majority:
    """The majority a Senate question needs (see the module notes)."""
    q = question.casefold()
    text = f"{q} {title.casefold()}"
    if "overrid" in q and "veto" in q:
        return VETO
    if "ratification" in q:
        return TREATY
    if "guilty" in q:
        return CONVICTION
    if "expel" in text or "expulsion" in text:
        return EXPULSION
    if "joint resolution" in q and "proposing an amendment to the constitution" in text:
        return AMENDMENT
    if "waive" in q or ("motion to waive" in text and "budget" in text and q.strip() == "on the motion"):
        return BUDGET_WAIVER
    if "cloture" in q:
        if "standing rules" in text or "amend the rules" in text:
            return RULES_CLOTURE
        if _is_nomination(q, title) and when is not None:
            supreme = "supreme court" in text
            if when >= (SUPREME_COURT_BY_MAJORITY if supreme else NOMINATIONS_BY_MAJORITY):
                return Majority(SIMPLE.fraction, VOTING, "a simple majority: cloture on nominations since the precedents of "
                                f"{'6 April 2017' if supreme else '21 November 2013'}")
        return CLOTURE
    return SIMPLE
