"""What a procedure returns: the option(s) adopted and every question put on the way."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Vote:
    """One question put to the electorate.

    ``put`` names the options put: two for a pairwise vote (``ayes`` count for the first,
    ``noes`` for the second), one for an Aye/No question on an option, or every option
    still standing in a ballot round (then ``tallies`` holds the count and ``ayes``/``noes``
    are None). ``result`` is the option that goes on (a pairwise vote), ``adopted`` or
    ``dropped`` (successive), ``carried`` or ``lost`` (indicative), or what the round did.
    ``tied`` marks a tie settled by the tie rule. Under sophisticated voting ``weighed``
    names the two outcomes members actually compared (what each branch leads to).
    """

    put: tuple[str, ...]
    result: str
    ayes: float | None = None
    noes: float | None = None
    tied: bool = False
    tallies: dict[str, float] | None = None
    weighed: tuple[str, str] | None = None

    def to_dict(self) -> dict:
        doc: dict = {"put": list(self.put), "ayes": _clean(self.ayes), "noes": _clean(self.noes), "result": self.result}
        if self.tied:
            doc["tied"] = True
        if self.tallies is not None:
            doc["tallies"] = {name: _clean(x) for name, x in self.tallies.items()}
        if self.weighed is not None:
            doc["weighed"] = list(self.weighed)
        return doc


def _clean(x: float | None) -> float | None:
    """A count without the float noise of adding fractional weights (0.30000000000000004 -> 0.3)."""
    return None if x is None else float(f"{x:.12g}")


@dataclass(frozen=True)
class Outcome:
    """The outcome of one procedure on one complete profile, with the path it took.

    ``winners`` holds every tied winner (empty when nothing is adopted, as in a round robin
    with a majority cycle); ``left_out`` the profile's options the agenda does not put.
    """

    procedure: str
    voting: str
    agenda: tuple[str, ...]
    winners: tuple[str, ...]
    rounds: tuple[Vote, ...]
    left_out: tuple[str, ...] = ()
    default: str | None = None
    carried: tuple[str, ...] = ()
    """Indicative votes: the options a majority preferred to the default."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def winner(self) -> str | None:
        """The one option adopted, or None when nothing is, or several tie."""
        return self.winners[0] if len(self.winners) == 1 else None

    def to_dict(self) -> dict:
        """``{"procedure", "voting", "agenda", "winner", "winners", "rounds", "left_out",
        "default", "carried", "notes"}`` (the last three only where they apply)."""
        doc: dict = {
            "procedure": self.procedure,
            "voting": self.voting,
            "agenda": list(self.agenda),
            "winner": self.winner,
            "winners": list(self.winners),
            "rounds": [v.to_dict() for v in self.rounds],
            "left_out": list(self.left_out),
        }
        if self.default is not None:
            doc["default"] = self.default
            doc["carried"] = list(self.carried)
        if self.notes:
            doc["notes"] = list(self.notes)
        return doc
