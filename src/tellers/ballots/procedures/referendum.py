"""Referendum designs side by side: what each design picks from the same orderings, and how narrowly.

:func:`compare_designs` counts four designs on a profile of strict orderings:

- the **two-question referendum**: "X or not X?", then the rest head to head (the
  successive procedure over the agenda; for three options, the second question is the
  other two head to head);
- a **plurality** vote on every option at once (the engine's ``plurality`` rule);
- the **alternative vote** (the ``preferential`` procedure);
- a **Condorcet count**: every pair head to head (the ``condorcet`` procedure).

Every figure is a share of the total weight. **Rounding.** When the weights are published
figures rounded to a unit u, inferred as the coarsest 10^-d (d >= 1) of which every weight is a
whole multiple (within 1e-9), each ordering's true share lies within u/2 of its figure; a
margin that sums n orderings (each counted once, for one side or the other) is therefore off by
at most n * u/2. A pairwise margin sums every ordering: 6 * 0.0005 = 0.003 for six orderings
rounded to 0.001; a plurality gap sums the orderings with either option first. A margin no
larger than its bound is *within rounding*: the figures cannot say which way it goes.
Whole-number weights are counts: exact, bound 0. Weights summing to 1 (or 100) within
rounding are taken as published shares (percentages) and not rescaled, so the total shown
is theirs (0.999 for shares that lose a thousandth to rounding); other weights are divided
by their total. The bound counts the orderings the profile holds: an ordering published
as 0, which a profile drops, would add half a unit of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from tellers.ballots import rules
from tellers.ballots.procedures.outcome import Outcome
from tellers.ballots.procedures.registry import resolve, run
from tellers.ballots.profile import Profile
from tellers.errors import ProcedureError

TOLERANCE = 1e-9
"""How far from a whole multiple of the unit a weight may be (float noise)."""
MAX_DECIMALS = 9
DESIGNS = {
    "two_question": "Two-question referendum",
    "plurality": "Plurality vote",
    "alternative_vote": "Alternative vote",
    "condorcet": "Condorcet count",
}


@dataclass(frozen=True)
class Rounding:
    """What the weights are and how far rounding can move a share.

    ``kind`` is ``counts`` (exact), ``shares`` or ``percentages`` (published figures, taken
    as they are) or ``rounded weights`` (divided by their total)."""

    kind: str
    unit: float | None
    """The rounding unit of the weights (None: whole-number counts, exact)."""
    decimals: int | None
    scale: float
    """A share is a weight divided by this (1 for shares, 100 for percentages, else the total)."""
    orderings: int
    total: float
    """The shares' sum: 0.999 for published shares that lose a thousandth to rounding."""
    weight: float
    """The weights' sum, as given."""

    @property
    def per_ordering(self) -> float:
        """Half a unit, as a share: how far one ordering's share may be from the truth."""
        return 0.0 if self.unit is None else self.unit / 2 / self.scale

    def bound(self, orderings: int) -> float:
        """The most rounding can move a margin that sums ``orderings`` orderings."""
        return orderings * self.per_ordering

    def to_dict(self) -> dict:
        return {"kind": self.kind, "unit": self.unit, "per_ordering": _r(self.per_ordering),
                "orderings": self.orderings, "margin_bound": _r(self.bound(self.orderings)),
                "total": _r(self.total), "weight": _r(self.weight)}


@dataclass(frozen=True)
class Tally:
    """One question or count within a design: the shares, what it decided, and its margin."""

    put: tuple[str, ...]
    shares: dict[str, float]
    result: str
    margin: float
    """The deciding gap (winner minus runner-up, or the last survivor over the first out), >= 0."""
    orderings: int
    """The orderings whose shares enter the margin."""
    bound: float
    within_rounding: bool
    tied: bool = False
    """Settled by a tie rule: an exact tie, or several options tied for last and eliminated together."""

    def to_dict(self) -> dict:
        return {"put": list(self.put), "shares": {k: _r(v) for k, v in self.shares.items()}, "result": self.result,
                "margin": _r(self.margin), "orderings": self.orderings, "bound": _r(self.bound),
                "within_rounding": self.within_rounding, "tied": self.tied}


@dataclass(frozen=True)
class Design:
    """What one design picks (None: a tie or a cycle), by what deciding margin, with every count."""

    design: str
    title: str
    winner: str | None
    margin: float
    bound: float
    within_rounding: bool
    rounds: tuple[Tally, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def tied(self) -> bool:
        """Some count of the design was settled by a tie rule, so its result rests on that rule."""
        return any(c.tied for c in self.rounds)

    def to_dict(self) -> dict:
        doc = {"design": self.design, "title": self.title, "winner": self.winner, "margin": _r(self.margin),
               "bound": _r(self.bound), "within_rounding": self.within_rounding, "tied": self.tied,
               "rounds": [c.to_dict() for c in self.rounds]}
        if self.notes:
            doc["notes"] = list(self.notes)
        return doc


@dataclass(frozen=True)
class Comparison:
    """Every design on one profile, the Condorcet count's pairs, and the rounding they share."""

    options: tuple[str, ...]
    agenda: tuple[str, ...]
    rounding: Rounding
    designs: tuple[Design, ...]
    pairs: tuple[Tally, ...]

    def design(self, key: str) -> Design:
        return next(d for d in self.designs if d.design == key)

    def to_dict(self) -> dict:
        return {"options": list(self.options), "agenda": list(self.agenda), "total": _r(self.rounding.total),
                "rounding": self.rounding.to_dict(), "designs": [d.to_dict() for d in self.designs],
                "pairs": [p.to_dict() for p in self.pairs]}


def _r(x: float) -> float:
    """A share without float noise (0.46199999999999997 -> 0.462)."""
    return round(float(x), 12)


def rounding_unit(weights: np.ndarray) -> tuple[float | None, int | None]:
    """The coarsest 10^-d of which every weight is a whole multiple (within 1e-9), and d;
    (None, None) for whole-number weights, which are counts and exact."""
    w = np.asarray(weights, dtype=float)
    for d in range(MAX_DECIMALS + 1):
        unit = 10.0 ** -d
        if np.all(np.abs(w - np.round(w / unit) * unit) <= TOLERANCE):
            return (None, None) if d == 0 else (unit, d)
    return 10.0 ** -MAX_DECIMALS, MAX_DECIMALS  # pragma: no cover - every float is within 1e-9 of a 1e-9 multiple


def infer_rounding(profile: Profile, unit: float | None = None) -> Rounding:
    """The profile's :class:`Rounding` (see the module docstring); ``unit`` overrides the
    inferred rounding unit (e.g. 1 for whole percentages, which would otherwise be counts)."""
    if unit is not None and not (np.isfinite(unit) and unit > 0):
        raise ProcedureError(f"the rounding unit must be a positive number, not {unit:g}")
    decimals = None if unit is None else max(0, -int(np.floor(np.log10(unit) + 1e-9)))
    if unit is None:
        unit, decimals = rounding_unit(profile.weights)
    weight, n = float(profile.weights.sum()), profile.num_ballots
    kind, scale = "counts", weight
    if unit is not None:
        kind = "rounded weights"
        for name, published in (("shares", 1.0), ("percentages", 100.0)):
            if abs(weight - published) <= n * unit / 2 + TOLERANCE:
                kind, scale = name, published
                break
    return Rounding(kind, unit, decimals, scale, n, weight / scale, weight)


def compare_designs(
    profile: Profile, first: str | None = None, agenda: Sequence[str] | None = None, unit: float | None = None
) -> Comparison:
    """Count every referendum design on ``profile`` (strict orderings of every option).

    ``agenda`` orders the two-question referendum (options it leaves out follow in the
    ballots' order; default: the ballots' order); ``first`` names just its first question's
    option; ``unit`` is the weights' rounding unit, when not to be inferred."""
    _check(profile)
    order = _agenda(profile, first, agenda)
    rounding = infer_rounding(profile, unit)
    counter = _Counter(profile, rounding)
    names = [profile.candidates[i] for i in order]
    pairs = counter.pairs(run("condorcet", profile, names))
    designs = (
        counter.two_question(run("successive", profile, names), order),
        counter.plurality(rules.run("plurality", profile)),
        counter.alternative_vote(run("preferential", profile, names)),
        _condorcet(profile, pairs),
    )
    return Comparison(profile.candidates, tuple(names), rounding, designs, pairs)


def _check(profile: Profile) -> None:
    if profile.num_candidates < 2:
        raise ProcedureError("a referendum needs at least two options; the ballots name "
                             f"{profile.num_candidates}")
    if profile.partial or not profile.is_strict_complete:
        raise ProcedureError("referendum designs compare strict orderings of every option, and some ballots leave "
                             "an option unranked or tie options; give one full ordering per row "
                             f"({', '.join(profile.candidates)})")
    if profile.voters <= 0:
        raise ProcedureError("the ballots have no positive weight; nothing to count")


def _agenda(profile: Profile, first: str | None, agenda: Sequence[str] | None) -> tuple[int, ...]:
    named = [resolve(profile, a) for a in (agenda or ())]
    if first is not None:
        lead = resolve(profile, first)
        if named and named[0] != lead:
            raise ProcedureError(f"the agenda puts {profile.candidates[named[0]]!r} first, not {first!r}")
        named = [lead, *(i for i in named if i != lead)]
    repeated = sorted({profile.candidates[i] for i in named if named.count(i) > 1})
    if repeated:
        raise ProcedureError(f"the agenda names {', '.join(map(repr, repeated))} more than once; name each option once")
    return (*named, *(i for i in range(profile.num_candidates) if i not in named))


class _Counter:
    """Turns the engine's counts into tallies: shares, margins and their rounding bounds."""

    def __init__(self, profile: Profile, rounding: Rounding) -> None:
        self.profile, self.rounding = profile, rounding
        self.index = {c: i for i, c in enumerate(profile.candidates)}

    def entering(self, among: Sequence[str], counted: Sequence[str]) -> int:
        """Orderings whose favourite among ``among`` is one of ``counted``: those a gap between them sums."""
        cols = np.asarray([self.index[c] for c in among])
        top = cols[np.argmin(self.profile.ranks[:, cols], axis=1)]
        return int(np.isin(top, [self.index[c] for c in counted]).sum())

    def count(self, put: Sequence[str], shares: dict[str, float], result: str, gap: tuple[str, str] | None,
              orderings: int) -> Tally:
        """A count whose margin is ``shares[gap[0]] - shares[gap[1]]`` (None: a tie, margin 0), summing ``orderings``."""
        margin = 0.0 if gap is None else shares[gap[0]] - shares[gap[1]]
        bound = self.rounding.bound(orderings)
        return Tally(tuple(put), shares, result, margin, orderings, bound, margin <= bound + TOLERANCE, gap is None)

    def share(self, x: float | None) -> float:
        return float(x or 0.0) / self.rounding.scale

    def two_question(self, o: Outcome, order: tuple[int, ...]) -> Design:
        """Each question held: the option put against the rest (the other one, when two are left);
        every question could turn the result, so the narrowest decides."""
        names = self.profile.candidates
        counts = []
        for r, vote in enumerate(o.rounds):
            rest = [names[i] for i in order[r:]]
            x = vote.put[0]
            other = rest[1] if len(rest) == 2 else f"not {x}"
            shares = {x: self.share(vote.ayes), other: self.share(vote.noes)}
            gap = None if vote.tied else (x, other) if vote.result == "adopted" else (other, x)
            counts.append(self.count((x, other), shares, x if vote.result == "adopted" else other, gap,
                                     self.entering(rest, rest)))
        deciding = min(counts, key=lambda c: c.margin)
        return Design("two_question", DESIGNS["two_question"], o.winner, deciding.margin, deciding.bound,
                      any(c.within_rounding for c in counts), tuple(counts), o.notes)

    def plurality(self, result: rules.Result) -> Design:
        """First preferences; the gap between the first two sums the orderings with either first."""
        shares = {c: self.share(v) for c, v in (result.scores or {}).items()}
        ranked = sorted(shares, key=lambda c: -shares[c])
        winner = next(iter(result.winners)) if len(result.winners) == 1 else None
        gap = None if winner is None else (ranked[0], ranked[1])
        c = self.count(tuple(shares), shares, winner or "tie", gap, self.entering(list(shares), ranked[:2]))
        return Design("plurality", DESIGNS["plurality"], winner, c.margin, c.bound, c.within_rounding, (c,))

    def alternative_vote(self, o: Outcome) -> Design:
        """Each round's deciding gap: the last survivor over the best of those out, and in the
        final round the winner over the runner-up; the final round's decides."""
        counts = []
        rounds = [{c: self.share(v) for c, v in (vote.tallies or {}).items()} for vote in o.rounds]
        for k, (vote, shares) in enumerate(zip(o.rounds, rounds)):
            among = list(shares)
            out = [c for c in among if k + 1 < len(rounds) and c not in rounds[k + 1]]
            stay = [c for c in among if c not in out]
            if out and stay:
                gap = (min(stay, key=shares.__getitem__), max(out, key=shares.__getitem__))
            elif o.winner is not None and len(among) > 1:
                gap = (o.winner, max((c for c in among if c != o.winner), key=shares.__getitem__))
            else:
                gap = None
            n = self.entering(among, among if gap is None else gap)
            tally = self.count(vote.put, shares, vote.result, gap, n)
            counts.append(replace(tally, tied=True) if len(out) > 1 else tally)  # tied for last: out together
        final = counts[-1]
        notes = tuple(f"round {k + 1} ({c.result}) was decided by {c.margin:.6g}, within rounding (± {c.bound:.6g}): "
                      "who goes out is uncertain" for k, c in enumerate(counts[:-1]) if c.within_rounding)
        return Design("alternative_vote", DESIGNS["alternative_vote"], o.winner, final.margin, final.bound,
                      final.within_rounding, tuple(counts), (*o.notes, *notes))

    def pairs(self, o: Outcome) -> tuple[Tally, ...]:
        out = []
        for vote in o.rounds:
            a, b = vote.put
            shares = {a: self.share(vote.ayes), b: self.share(vote.noes)}
            gap = None if vote.tied else (a, b) if vote.result == a else (b, a)
            out.append(self.count((a, b), shares, vote.result, gap, self.entering([a, b], [a, b])))
        return tuple(out)


def _condorcet(profile: Profile, pairs: tuple[Tally, ...]) -> Design:
    """The option that wins every pair it is in (its narrowest win decides), else none (the narrowest pair)."""
    winner = next((c for c in profile.candidates
                   if all(p.result == c for p in pairs if c in p.put)), None)
    deciding = [p for p in pairs if winner in p.put] if winner is not None else list(pairs)
    closest = min(deciding, key=lambda p: p.margin)
    notes = () if winner is not None else (profile.describe_majority().replace("candidate", "option"),)
    within = any(p.within_rounding for p in deciding) if winner is not None else closest.within_rounding
    return Design("condorcet", DESIGNS["condorcet"], winner, closest.margin, closest.bound, within, pairs, notes)

