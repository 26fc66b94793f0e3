"""Options: the choices put to a house, each tested by one or more divisions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    """A choice put to the house, tested by one or more divisions.

    For example "Customs union" = divisions 658 and 666; "Withdrawal Agreement" = 562,
    623 and 664.
    """

    id: str
    label: str
    divisions: tuple[str, ...]
    short: str = ""
    """A short label for narrow tables (defaults to the label)."""

    @property
    def abbreviation(self) -> str:
        return self.short or self.label
