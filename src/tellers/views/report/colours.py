"""Party colours: one fixed map, used by every chart in the report and the web page.

The colours are the parties' own (as the UK media and Wikipedia's party templates use
them); a party is looked up by its name as the division lists spell it, or by a common
short form. A party not in the map gets a grey from :data:`FALLBACK`, chosen by its
name so that it keeps its colour from chart to chart.

==========================  =========
party                       colour
==========================  =========
Conservative                #0087DC
Labour (and Labour Co-op)   #E4003B
Scottish National Party     #FDF38E
Liberal Democrat            #FAA61A
Democratic Unionist Party   #D46A4C
Sinn Féin                   #326760
Plaid Cymru                 #005B54
Green Party                 #6AB023
Change UK                   #222221
Independent                 #AAAAAA
Speaker                     #777777
Democrat (US)               #1A6AFF
Republican (US)             #E81B23
==========================  =========
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

PARTY_COLOURS: dict[str, str] = {
    "Conservative": "#0087DC",
    "Labour": "#E4003B",
    "Scottish National Party": "#FDF38E",
    "Liberal Democrat": "#FAA61A",
    "Democratic Unionist Party": "#D46A4C",
    "Sinn Féin": "#326760",
    "Plaid Cymru": "#005B54",
    "Green Party": "#6AB023",
    "Change UK": "#222221",
    "Independent": "#AAAAAA",
    "Speaker": "#777777",
    "Democrat": "#1A6AFF",
    "Republican": "#E81B23",
}
"""Each party's colour, by the name the Commons division lists use."""

ALIASES: dict[str, str] = {
    "Con": "Conservative",
    "Conservative and Unionist": "Conservative",
    "Lab": "Labour",
    "Labour (Co-op)": "Labour",
    "Labour/Co-operative": "Labour",
    "SNP": "Scottish National Party",
    "LD": "Liberal Democrat",
    "Lib Dem": "Liberal Democrat",
    "Liberal Democrats": "Liberal Democrat",
    "DUP": "Democratic Unionist Party",
    "SF": "Sinn Féin",
    "Sinn Fein": "Sinn Féin",
    "PC": "Plaid Cymru",
    "Green": "Green Party",
    "Change UK - The Independent Group": "Change UK",
    "The Independent Group": "Change UK",
    "Independent Group for Change": "Change UK",
    "Ind": "Independent",
    "Independent Conservative": "Independent",
    "Independent Labour": "Independent",
    "Non-affiliated": "Independent",
    "(no party)": "Independent",
    "Democratic": "Democrat",
    "D": "Democrat",
    "R": "Republican",
}
"""Other spellings of the parties above."""

FALLBACK = ("#8C8C8C", "#B5B5B5", "#6E6E6E", "#9E9E9E", "#C8C8C8", "#5A5A5A")
"""Greys for parties not in the map (picked by a hash of the name: stable across runs)."""

NO_VOTE = "#E8E8E8"
"""Members who recorded no vote, where a chart shows them without party colours."""


def party_colour(party: str) -> str:
    """The party's colour (``#RRGGBB``)."""
    name = ALIASES.get(party, party)
    if name in PARTY_COLOURS:
        return PARTY_COLOURS[name]
    return FALLBACK[zlib.crc32(party.encode("utf-8")) % len(FALLBACK)]


def colour_scale(parties: Iterable[str]) -> tuple[list[str], list[str]]:
    """(domain, range) for a chart's party colour scale, in the order given."""
    domain = list(dict.fromkeys(parties))
    return domain, [party_colour(p) for p in domain]
