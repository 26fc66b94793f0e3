"""Titles from the data: the chamber, the period and the divisions that a report, a page or a
chart shows, worded from the divisions themselves.

A catalogue's title ("House of Commons, Brexit divisions, January-April 2019") names its own
options; it is the title only when every division shown tests one of them. Anything else is
titled by what it is: "US Senate, 3 roll calls, 8–10 January 2019".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tellers.parliament.house import House
    from tellers.records.model import Division
    from tellers.records.store import DivisionTotals

CHAMBER_NAMES = {
    "commons": "House of Commons",
    "lords": "House of Lords",
    "senate": "US Senate",
    "house": "US House of Representatives",
}
"""Each chamber's name in full, by the name the records give it (Voteview's "House" is the US House)."""

VOTE_WORDS = {"senate": ("roll call", "roll calls"), "house": ("roll call", "roll calls")}
"""What a chamber calls its recorded votes, where that is not "division"."""


NOT_VOTING = {
    "commons": "absent, abstaining, the Speaker and deputies, Sinn Féin",
    "senate": "absent, or answering present",
}
"""Who a chamber's records list as not voting, in words, where more can be said than "absent or abstaining"."""

FEW_VOTES = {"commons": "the Speaker, Sinn Féin, …", "senate": "members who served briefly, …"}
"""Members a chamber's scale typically leaves out for too few votes."""

ATTRIBUTIONS = {
    "commons": "Contains Parliamentary information licensed under the Open Parliament Licence v3.0.",
    "lords": "Contains Parliamentary information licensed under the Open Parliament Licence v3.0.",
    "senate": "Roll calls as published by Voteview (Lewis, Poole, Rosenthal, Boche, Rudkin and Sonnet), voteview.com.",
    "house": "Roll calls as published by Voteview (Lewis, Poole, Rosenthal, Boche, Rudkin and Sonnet), voteview.com.",
}
"""The credit each chamber's records ask for (the UK Parliament's licence; Voteview's citation)."""


def _key(chamber: str) -> str:
    return chamber.strip().casefold()


def not_voting(chambers: Iterable[str]) -> str:
    """Who is recorded as not voting, in words: 'absent, abstaining, the Speaker and deputies, Sinn Féin'."""
    said = {NOT_VOTING.get(_key(c), "absent or abstaining") for c in chambers}
    return said.pop() if len(said) == 1 else "absent or abstaining"


def few_votes(chambers: Iterable[str]) -> str:
    """Examples of members with too few votes to place, for a caption ('' where none are typical)."""
    said = {FEW_VOTES.get(_key(c), "") for c in chambers}
    return said.pop() if len(said) == 1 else ""


def attribution(chambers: Iterable[str]) -> str:
    """The credits the chambers' records ask for, one sentence each ('' where none is known)."""
    return " ".join(dict.fromkeys(ATTRIBUTIONS[_key(c)] for c in chambers if _key(c) in ATTRIBUTIONS))


def chamber_name(chamber: str) -> str:
    """The chamber's name in full ("Senate" -> "US Senate"); an unknown chamber as the records give it."""
    return CHAMBER_NAMES.get(_key(chamber), chamber.strip() or "an unnamed chamber")


def nouns(chambers: Iterable[str]) -> tuple[str, str]:
    """What the chambers call a recorded vote, singular and plural: ('roll call', 'roll calls');
    ('division', 'divisions') for the Westminster chambers, an unknown chamber, or several that differ."""
    words = {VOTE_WORDS.get(_key(c), ("division", "divisions")) for c in chambers}
    return words.pop() if len(words) == 1 else ("division", "divisions")


def votes_word(chambers: Iterable[str], count: int) -> str:
    """'3 roll calls', '1 division': the count in the chambers' own word (see :func:`nouns`)."""
    one, many = nouns(chambers)
    return f"{count:,} {one if count == 1 else many}"


def day(d: date) -> str:
    """'8 January 2019'."""
    return f"{d.day} {d:%B %Y}"


def period(first: date | None, last: date | None) -> str:
    """'8–10 January 2019', '30 January – 3 March 2019', '6 January 2015 – 3 January 2023';
    one day alone when both are the same; '' when neither is known."""
    if first is None or last is None:
        known = first or last
        return "" if known is None else day(known)
    if first > last:
        first, last = last, first
    if first == last:
        return day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} – {day(last)}"
    return f"{day(first)} – {day(last)}"


@dataclass(frozen=True)
class Shown:
    """What a report, page or chart shows: the divisions' chambers, how many, and when."""

    chambers: tuple[str, ...]
    """The chambers as the records name them, in order of first appearance."""
    count: int
    first: date | None
    last: date | None
    catalogue_title: str = ""
    """The catalogue's title when every division shown tests one of its options, else ''."""
    undated: int = 0
    """Divisions shown whose records give no date."""

    @property
    def chamber(self) -> str:
        """'US Senate', or 'US Senate and House of Commons' for several."""
        names = [chamber_name(c) for c in self.chambers]
        if len(names) <= 1:
            return names[0] if names else "no chamber"
        return ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def period(self) -> str:
        """'8–10 January 2019' (see :func:`period`), with '(949 undated)' when some have no date;
        'undated' when none has one."""
        if self.undated and self.undated == self.count:
            return "undated"
        when = period(self.first, self.last)
        return f"{when} ({self.undated:,} undated)" if self.undated else when

    @property
    def votes(self) -> str:
        """'3 roll calls'."""
        return votes_word(self.chambers, self.count)

    @property
    def noun(self) -> str:
        """'roll call' or 'division': what these chambers call one recorded vote."""
        return nouns(self.chambers)[0]

    @property
    def nouns(self) -> str:
        """'roll calls' or 'divisions'."""
        return nouns(self.chambers)[1]

    @property
    def title(self) -> str:
        """The catalogue's title for its own options, else 'US Senate, 3 roll calls, 8–10 January 2019'."""
        if self.catalogue_title:
            return self.catalogue_title
        return ", ".join(p for p in (self.chamber, self.votes, self.period) if p)

    @property
    def words(self) -> str:
        """For a caption: '3 roll calls of the US Senate, 8–10 January 2019'."""
        when = f", {self.period}" if self.period else ""
        return f"{self.votes} of the {self.chamber}{when}"


def shown_totals(divisions: Sequence[DivisionTotals | Division], catalogue_title: str = "") -> Shown:
    """What ``divisions`` (totals or records: anything with a ``chamber`` and a ``date``) are
    (see :class:`Shown`); ``catalogue_title`` is kept as it is given."""
    chambers = tuple(dict.fromkeys(t.chamber for t in divisions))
    dates = [t.date for t in divisions if t.date is not None]
    return Shown(chambers, len(divisions), min(dates, default=None), max(dates, default=None), catalogue_title,
                 len(divisions) - len(dates))


def shown(house: House, division_ids: Iterable[str] | None = None) -> Shown:
    """What the divisions ``division_ids`` of ``house`` are (default: every division it holds),
    from its list of divisions (one read, however many ids)."""
    every = house.divisions()
    if division_ids is None:
        chosen = every
    else:
        wanted = set(house.require_all(list(division_ids)))
        chosen = [t for t in every if t.id in wanted]
    catalogue = house.catalogue
    own = bool(chosen) and all(catalogue.by_division(t.id) is not None for t in chosen)
    return shown_totals(chosen, catalogue.title if own else "")


def house_title(house: House, division_ids: Iterable[str] | None = None) -> str:
    """The title of what shows ``division_ids`` of ``house`` (default: all of them): see :class:`Shown`."""
    return shown(house, division_ids).title
