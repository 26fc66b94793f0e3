"""Errors a user can cause. The CLI prints their message and exits with status 2.

A shared leaf: every layer may raise these, and this module imports nothing of tellers.
"""

from __future__ import annotations


class TellersError(Exception):
    """Base class for every error caused by input rather than by a bug.

    ``listing`` names what the user could list to find the right name ("divisions",
    "options", "questions"); each interface words that hint its own way (the CLI names a
    command, the web app an endpoint), so the message itself names no interface. A message
    that names items of a list the data may make long (division ids, candidates) names a few
    and counts the rest (:func:`tellers.wording.few`), and leaves the full list to the listing.
    """

    exit_code = 2

    def __init__(self, *args: object, listing: str | None = None) -> None:
        super().__init__(*args)
        self.listing = listing

    def worded(self, listings: dict[str, str]) -> str:
        """The message, with the hint an interface's ``listings`` give for this error's listing."""
        hint = listings.get(self.listing or "")
        if not hint:
            return str(self)
        if str(self).endswith("?"):
            return f"{self} {hint[0].upper()}{hint[1:]}."
        return f"{self}; {hint}"


class InputFileError(TellersError):
    """An input file is malformed; the message names the file, the line and the fix.

    Subclasses say what kind of file was expected (``kind``) and what it should hold
    (``contents``); the shared readers in ``tellers.records.readers._common`` word their
    messages with them.
    """

    kind = "input file"
    contents = "data"

    def __init__(self, path: object, line: int | None, problem: str, fix: str = "") -> None:
        where = f"{path}" if line is None else f"{path}, line {line}"
        message = f"{where}: {problem}"
        if fix:
            message += f". {fix}"
        super().__init__(message)
        self.path = path
        self.line = line


class BallotFileError(InputFileError):
    """A ballot file is malformed; the message names the file, the line and the fix."""

    kind = "ballot file"
    contents = "ballots"


class RecordFileError(InputFileError):
    """A division-record file (Commons Votes, long CSV, Voteview) is malformed."""

    kind = "division-record file"
    contents = "division records"


class ProfileError(TellersError):
    """Ballots passed to a Profile constructor are inconsistent."""


class UnknownRuleError(TellersError):
    """A rule name that is not registered."""


class StoreError(TellersError):
    """The division store cannot be opened, or records cannot be imported into it."""


class FetchError(TellersError):
    """Division records cannot be downloaded (network failure, unknown id, bad answer)."""


class RuleNotApplicableError(TellersError):
    """A rule asked of a profile it is not defined for (e.g. IRV on partial ballots)."""


class OptionError(TellersError):
    """Options to compare are unknown, too few, or tested by divisions not at hand."""


class NotFoundError(TellersError):
    """Something the user named (a division, an option, a party) is not in the data."""


class ScalingError(TellersError):
    """Roll calls cannot be scaled: too few votes or members left, or an unknown anchor."""


class ProcedureError(TellersError):
    """A procedure asked of an agenda, options or ballots it is not defined for."""


class SimulationError(TellersError):
    """A simulation asked of an unknown culture, or with parameters out of range."""
