"""Party labels: those records use for members without a party line, and built-in aliases."""

from __future__ import annotations

NO_PARTY = "(no party)"
NON_PARTIES = frozenset({"", NO_PARTY.lower(), "independent", "ind", "non-affiliated"})
"""Party labels that group members without a party line: nobody there is a rebel."""

PARTY_ALIASES: dict[str, str] = {
    "Labour (Co-op)": "Labour",  # Labour and Co-operative MPs take the Labour whip
    "Labour/Co-operative": "Labour",
    "Sinn F?in": "Sinn Féin",  # the Commons Votes CSV export writes é as ?
    "Sinn Fein": "Sinn Féin",
}
"""Labels counted as another party's, before any a user adds (`tellers import` of an
``alias,party`` CSV stores theirs, which win over these)."""


def merged(party: str, aliases: dict[str, str] | None = None) -> str:
    """The party a label counts as under ``aliases`` (default: the built-in ones)."""
    return (PARTY_ALIASES if aliases is None else aliases).get(party, party)
