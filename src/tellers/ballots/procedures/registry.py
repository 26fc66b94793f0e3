"""The procedure registry: a procedure is a function of a complete profile and an agenda."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from tellers.ballots.procedures.agendas import SINCERE, SOPHISTICATED, VOTING
from tellers.ballots.procedures.outcome import Outcome, Vote
from tellers.ballots.profile import Profile
from tellers.ballots.ranks import UNRANKED
from tellers.errors import ProcedureError
from tellers.wording import few


@dataclass(frozen=True)
class Count:
    """What a procedure's function returns; :func:`run` adds the agenda and names."""

    winners: tuple[int, ...]
    rounds: tuple[Vote, ...]
    carried: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Motion:
    """A procedure's input: a complete profile, the agenda as candidate indices in the order
    put, how members vote, and the default (indicative votes)."""

    profile: Profile
    agenda: tuple[int, ...]
    voting: str = SINCERE
    default: int | None = None


ProcedureFunction = Callable[[Motion], Count]


@dataclass(frozen=True)
class ProcedureInfo:
    name: str
    function: ProcedureFunction
    title: str
    summary: str
    ordered: bool
    """True when the order of the agenda can change the outcome."""
    strategic: bool
    """True when the procedure has a sophisticated form (backward induction over the agenda)."""
    needs_default: bool = False


_PROCEDURES: dict[str, ProcedureInfo] = {}


def procedure(
    name: str, title: str, *, ordered: bool, strategic: bool, needs_default: bool = False
) -> Callable[[ProcedureFunction], ProcedureFunction]:
    """Register ``function(motion) -> Count`` under ``name``."""

    def register(function: ProcedureFunction) -> ProcedureFunction:
        doc = " ".join((function.__doc__ or "").strip().split("\n\n")[0].split())
        _PROCEDURES[name] = ProcedureInfo(name, function, title, doc, ordered, strategic, needs_default)
        return function

    return register


def names() -> list[str]:
    """Registered procedure names, in registration order."""
    return list(_PROCEDURES)


def info(name: str) -> ProcedureInfo:
    key = name.strip().lower().replace("-", "_")
    if key not in _PROCEDURES:
        raise ProcedureError(f"unknown procedure {name!r}; choose from: {', '.join(_PROCEDURES)}")
    return _PROCEDURES[key]


def resolve(profile: Profile, name: str, what: str = "option") -> int:
    """A candidate named as in the ballots (exactly, else in any case), or a clear error."""
    if name in profile.candidates:
        return profile.candidates.index(name)
    folded = [c for c in profile.candidates if c.casefold() == name.strip().casefold()]
    if len(folded) == 1:
        return profile.candidates.index(folded[0])
    if folded:
        raise ProcedureError(f"{what} {name!r} could be any of {', '.join(map(repr, folded))}, which differ only in "
                             "case; give the exact name")
    near = difflib.get_close_matches(name, profile.candidates, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise ProcedureError(f"unknown {what} {name!r}{hint}; the ballots' options are: {few(profile.candidates)}")


def motion(
    profile: Profile, agenda: Sequence[str] | None = None, voting: str = SINCERE,
    default: str | None = None, procedure_name: str = "amendment",
) -> Motion:
    """Check and resolve a procedure's input: a complete profile, an agenda of distinct
    options (default: every option, in the ballots' order, less the default), the voting."""
    entry = info(procedure_name)
    if profile.partial:
        raise ProcedureError(
            f"the {entry.name} procedure needs complete ballots, and these leave pairs unknown (revealed "
            "preferences); complete them first (e.g. --completions party, or --infer spatial)")
    if profile.voters <= 0:
        raise ProcedureError("the profile has no ballots with positive weight; nothing to count")
    if voting not in VOTING:
        raise ProcedureError(f"unknown voting {voting!r}; choose {SINCERE} or {SOPHISTICATED}")
    if voting == SOPHISTICATED and not entry.strategic:
        strategic = ", ".join(n for n in names() if info(n).strategic)
        raise ProcedureError(f"--voting {SOPHISTICATED} is backward induction over an agenda ({strategic}); "
                             f"the {entry.name} procedure counts the votes as cast")
    fallback = None if default is None else resolve(profile, default, "default")
    if entry.needs_default and fallback is None:
        raise ProcedureError(f"the {entry.name} procedure needs --default: the option each other one is voted "
                             "on against (e.g. no deal, or the status quo)")
    if not entry.needs_default and fallback is not None:
        raise ProcedureError(f"--default applies to indicative votes, not to the {entry.name} procedure")
    if agenda is None:
        order = tuple(i for i in range(profile.num_candidates) if i != fallback)
    else:
        order = tuple(resolve(profile, name) for name in agenda)
        repeated = sorted({profile.candidates[i] for i in order if order.count(i) > 1})
        if repeated:
            raise ProcedureError(f"the agenda puts {', '.join(map(repr, repeated))} more than once; name each option once")
        if fallback is not None and fallback in order:
            raise ProcedureError(f"the default {profile.candidates[fallback]!r} is what the agenda's options are "
                                 "voted against; leave it out of the agenda")
    if not order:
        raise ProcedureError("the agenda puts no option; name at least one")
    return Motion(profile, order, voting, fallback)


def run(
    name: str, profile: Profile, agenda: Sequence[str] | None = None, voting: str = SINCERE,
    default: str | None = None,
) -> Outcome:
    """Run procedure ``name`` on a complete ``profile`` over ``agenda`` (options named as in
    the ballots, in the order put)."""
    entry = info(name)
    m = motion(profile, agenda, voting, default, entry.name)
    return outcome(entry, m, entry.function(m))


def unranked_note(m: Motion) -> str | None:
    """What the count assumed of ballots that leave some of the options put unranked."""
    put = list(m.agenda) + ([m.default] if m.default is not None else [])
    short = (m.profile.ranks[:, put] == UNRANKED).any(axis=1)
    if not short.any():
        return None
    weight = float(m.profile.weights[short].sum())
    return (f"ballots of weight {weight:g} leave some of these options unranked; they are counted below the ranked "
            "ones and tied with each other (the voter abstains between two of them)")


def outcome(entry: ProcedureInfo, m: Motion, count: Count) -> Outcome:
    """The named :class:`Outcome` of a count."""
    names_ = m.profile.candidates
    put = set(m.agenda) | ({m.default} if m.default is not None else set())
    left_out = tuple(c for i, c in enumerate(names_) if i not in put)
    note = unranked_note(m)
    return Outcome(
        entry.name, m.voting, tuple(names_[i] for i in m.agenda), tuple(names_[i] for i in count.winners),
        count.rounds, left_out, None if m.default is None else names_[m.default],
        tuple(names_[i] for i in count.carried), count.notes + ((note,) if note else ()),
    )


def agenda_array(m: Motion) -> np.ndarray:
    return np.asarray(m.agenda, dtype=np.intp)
