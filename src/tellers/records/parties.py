"""Party labels that records use for members without a party line."""

from __future__ import annotations

NO_PARTY = "(no party)"
NON_PARTIES = frozenset({"", NO_PARTY.lower(), "independent", "ind", "non-affiliated"})
"""Party labels that group members without a party line: nobody there is a rebel."""
