"""Errors a user can cause. The CLI prints their message and exits with status 2."""

from __future__ import annotations


class TellersError(Exception):
    """Base class for every error caused by input rather than by a bug."""

    exit_code = 2


class BallotFileError(TellersError):
    """A ballot file is malformed; the message names the file, the line and the fix."""

    def __init__(self, path: object, line: int | None, problem: str, fix: str = "") -> None:
        where = f"{path}" if line is None else f"{path}, line {line}"
        message = f"{where}: {problem}"
        if fix:
            message += f". {fix}"
        super().__init__(message)
        self.path = path
        self.line = line


class ProfileError(TellersError):
    """Ballots passed to a Profile constructor are inconsistent."""


class UnknownRuleError(TellersError):
    """A rule name that is not registered."""
