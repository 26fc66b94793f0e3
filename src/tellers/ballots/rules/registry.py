"""The rule registry: a rule is a pure function of a Profile, registered by name."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from tellers.errors import RuleNotApplicableError, TellersError, UnknownRuleError
from tellers.ballots.profile import Profile
from tellers.ballots.rules.result import Result

RuleFunction = Callable[..., Result]


@dataclass(frozen=True)
class RuleInfo:
    name: str
    function: RuleFunction
    title: str
    summary: str
    partial: bool
    """True when the rule is defined for partial ballots (it needs only the margins)."""
    budgeted: bool = False
    """True when the rule takes ``budget``: seconds it may spend on an exponential search."""


_RULES: dict[str, RuleInfo] = {}
_ALIASES: dict[str, str] = {}


def rule(
    name: str, title: str, aliases: tuple[str, ...] = (), *, partial: bool = False
) -> Callable[[RuleFunction], RuleFunction]:
    """Register ``function(profile, **options) -> Result`` under ``name``.

    ``partial=True`` declares the rule defined on partial profiles (it reads only the margins).
    """

    def register(function: RuleFunction) -> RuleFunction:
        doc = (function.__doc__ or "").strip().split("\n\n")[0]
        budgeted = "budget" in inspect.signature(function).parameters
        _RULES[name] = RuleInfo(name, function, title, " ".join(doc.split()), partial, budgeted)
        for alias in aliases:
            _ALIASES[alias] = name
        return function

    return register


def names() -> list[str]:
    """Registered rule names, in registration order."""
    return list(_RULES)


def info(name: str) -> RuleInfo:
    """The registry entry for a rule name or alias."""
    key = name.strip().lower().replace("-", "_")
    key = _ALIASES.get(key, key)
    if key not in _RULES:
        raise UnknownRuleError(f"unknown rule {name!r}; choose from: {', '.join(_RULES)}")
    return _RULES[key]


PARTIAL_REASON = (
    "needs every voter's order over all options; revealed preferences leave pairs unknown"
)


def skip_reason(name: str, profile: Profile) -> str | None:
    """Why the rule cannot run on this profile, or None if it can."""
    if profile.partial and not info(name).partial:
        return PARTIAL_REASON
    return None


def run(name: str, profile: Profile, *, budget: float | None = None, **options: object) -> Result:
    """Run the rule called ``name`` on ``profile``.

    ``budget`` (seconds) goes to the rules that search exponentially and take one
    (Kemeny-Young); the others always finish quickly and ignore it.
    """
    if profile.voters <= 0:
        raise TellersError("the profile has no ballots with positive weight; nothing to count")
    reason = skip_reason(name, profile)
    if reason:
        raise RuleNotApplicableError(f"rule {info(name).name!r} does not apply to this profile: it {reason}")
    entry = info(name)
    if budget is not None and entry.budgeted:
        options["budget"] = budget
    return entry.function(profile, **options)
