"""The House of Commons: a simple majority of those voting; the Speaker's casting vote.

- **Majority.** A question is carried by more Ayes than Noes; tellers are not counted
  (Erskine May). The quorum (40, including the Speaker and tellers) is not checked:
  the records do not show who was present.
- **A tie.** The Speaker gives a casting vote by *Speaker Denison's rule*: where further
  discussion is possible, for it (Aye on a second reading, so the bill is debated again);
  where it is not, against the change (No on an amendment, a third reading or a main
  question, so the law or the text stays as it is). Ties are rare: 3 April 2019, 310–310
  on motion (b) for further indicative votes, the Speaker voted No.
- **Who cannot vote.** The Speaker and the three Deputy Speakers (the Chairman of Ways
  and Means and the two Deputy Chairmen) by convention, named per Parliament in
  :data:`PRESIDING_OFFICERS`; and the members of parties that do not take their seats
  (:data:`ABSTENTIONIST_PARTIES`: Sinn Féin).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from tellers.chambers.majorities import SIMPLE, Majority, TieRule

NAME = "Commons"


@dataclass(frozen=True)
class SpeakerDenison(TieRule):
    """The Speaker's casting vote, by Speaker Denison's rule."""

    breaker: str = "the Speaker"
    rule: str = (
        "Speaker Denison's rule: the casting vote goes to further discussion where that is possible "
        "(Aye on a second reading), otherwise against the change (No)"
    )

    def casts(self, question: str, title: str) -> str:
        text = f"{question} {title}".casefold()
        # a reasoned amendment to a second reading would end the debate: against it
        return "aye" if "second reading" in text and "amendment" not in text else "no"


def majority(question: str, title: str, when: date | None) -> Majority:
    """Every Commons question is decided by a simple majority of those voting."""
    return SIMPLE


@dataclass(frozen=True)
class PresidingOfficers:
    """The Speaker and Deputy Speakers of one chamber over one period (dates inclusive)."""

    chamber: str
    start: date
    end: date
    speaker: str
    deputies: Mapping[str, str]
    """Deputy Speaker's name (as the division lists spell it) -> their party label."""


PRESIDING_OFFICERS: tuple[PresidingOfficers, ...] = (
    PresidingOfficers(
        NAME, date(2017, 6, 13), date(2019, 11, 6), "John Bercow",
        # elected 28 June 2017: Chairman of Ways and Means, First and Second Deputy Chairmen
        {"Sir Lindsay Hoyle": "Labour", "Dame Eleanor Laing": "Conservative", "Dame Rosie Winterton": "Labour"},
    ),
)
"""Presiding officers known to tellers; add a Parliament's here."""

SPEAKER_PARTIES = frozenset({"speaker"})
"""Party labels the lists give the Speaker."""
DEPUTY_PARTIES = frozenset({"deputy speaker"})
"""Party labels some lists (the Commons CSV export) give the Deputy Speakers."""
HONORIFICS = frozenset({"sir", "dame", "mr", "mrs", "ms", "miss", "dr", "lady", "lord", "rt", "hon"})
ABSTENTIONIST_PARTIES = frozenset({"sinn féin", "sinn fein", "sinn f?in"})
"""Parties whose members do not take their seats (the Commons CSV exports spell Féin "F?in")."""


def plain_name(name: str) -> str:
    """A name without honorifics, lower case: "Sir Lindsay Hoyle" -> "lindsay hoyle"."""
    words = name.replace(".", " ").lower().split()
    while words and words[0] in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def presiding_officers(when: date | None) -> PresidingOfficers | None:
    """The Commons' presiding officers on ``when``, if known."""
    if when is None:
        return None
    return next((p for p in PRESIDING_OFFICERS if p.start <= when <= p.end), None)


def cannot_vote(name: str | None, party: str, when: date | None) -> str | None:
    """Why a member cannot vote ("the Speaker", "a Deputy Speaker", "Sinn Féin does not take its seats"), or None.

    Names match without honorifics ("Sir Lindsay Hoyle" in one source, "Lindsay Hoyle" in the
    Commons CSV export, which labels the deputies' party "Deputy Speaker" instead)."""
    officers = presiding_officers(when)
    label = party.strip().lower()
    plain = plain_name(name) if name else None
    if label in SPEAKER_PARTIES or (officers and plain == plain_name(officers.speaker)):
        return "the Speaker"
    if label in DEPUTY_PARTIES or (officers and plain in {plain_name(d) for d in officers.deputies}):
        return "a Deputy Speaker"
    if label in ABSTENTIONIST_PARTIES:
        return f"{party} does not take its seats"
    return None
