"""Words for counts and lists in messages: "1 division", "2,770 divisions", "a, b and 3 more".

A shared leaf, like :mod:`tellers.errors`: every layer may use it, and it imports nothing of tellers.
"""

from __future__ import annotations

from collections.abc import Iterable

LISTED_IN_FULL = 8
"""A list this long or shorter is given in full; a longer one is summarised (see :func:`few`)."""
SHOWN = 5
"""How many items of a summarised list are named before "and N more"."""


def plural(n: float, noun: str, nouns: str | None = None) -> str:
    """``n`` with the noun, singular for exactly one and with thousands separators:
    ``plural(1, "division")`` is "1 division", ``plural(2770, "division")`` "2,770 divisions".

    The plural adds "s", "es" after s, x, ch or sh ("aliases"), and "ies" for a consonant
    and "y" ("parties"); give ``nouns`` where that is wrong.
    """
    count = f"{int(n):,}" if float(n).is_integer() else f"{n:,g}"
    return f"{count} {noun if n == 1 else nouns or _plural(noun)}"


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if len(noun) > 1 and noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def few(items: Iterable[object], *, limit: int = LISTED_IN_FULL, shown: int = SHOWN) -> str:
    """The items joined by commas: every one when there are at most ``limit``, else the first
    ``shown`` and "and N more", so that a message stays a line long however much the data hold."""
    names = [str(i) for i in items]
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown:,} more"
