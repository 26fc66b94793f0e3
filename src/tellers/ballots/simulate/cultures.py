"""Cultures: the probability models simulated elections are drawn from, registered by name.

A culture is ``sample(candidates, voters, elections, rng, **params) -> Elections``. With at
most :data:`~tellers.ballots.simulate.elections.MAX_TYPED` candidates it draws each
election's ballot counts over the m! orders directly (a multinomial, or a Dirichlet-
multinomial for the urn cultures); with more it draws voter by voter, vectorised over
elections and voters (the loops run over candidates only). The draws voter by voter live in
:mod:`tellers.ballots.simulate.voters`.

>>> import numpy as np
>>> batch = sample("mallows", 3, 101, 1000, np.random.default_rng(1), phi=0.5)
>>> batch.counts.shape, int(batch.voters[0])
((1000, 6), 101)
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tellers.ballots.simulate import voters as by_voter
from tellers.ballots.simulate.elections import MAX_TYPED, Elections, order_positions, orders
from tellers.errors import SimulationError

MAX_CANDIDATES = 127
"""Most candidates a culture draws for: positions are int8."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a culture: its default and the values it may take."""

    name: str
    default: object
    summary: str
    kind: str = "real"
    """One of real, integer, choice (one of ``choices``) or order (of the candidates, top first)."""
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def domain(self) -> str:
        """The valid values, in words."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "order":
            return "an order of the candidates 0..m-1, top first"
        if self.high is not None:
            return f"in [{self.low:g}, {self.high:g}]"
        return f"at least {self.low:g}" if self.kind == "real" else f"a whole number, at least {self.low:g}"

    def valid(self, culture: str, value: object, candidates: int) -> object:
        """``value`` as the culture reads it; a SimulationError naming the domain if it is not valid."""
        problem = f"{culture}: {self.name} must be {self.domain}, not {value!r}"
        if self.kind == "choice":
            key = str(value).strip().lower()
            if key not in self.choices:
                raise SimulationError(problem)
            return key
        if self.kind == "order":
            if value is None:
                return tuple(range(candidates))
            if isinstance(value, str):  # "2,0,1" as a command line gives it
                value = value.replace(",", " ").split()
            try:
                order = tuple(int(c) for c in value)  # type: ignore[union-attr]
            except (TypeError, ValueError):
                raise SimulationError(problem) from None
            if sorted(order) != list(range(candidates)):
                raise SimulationError(problem)
            return order
        if isinstance(value, str):  # as a command line gives it
            try:
                value = float(value) if self.kind == "real" else int(value)
            except ValueError:
                raise SimulationError(problem) from None
        integral = isinstance(value, numbers.Integral) and not isinstance(value, bool)
        if self.kind == "integer" and not integral:
            raise SimulationError(problem)
        if not (integral or isinstance(value, numbers.Real)) or isinstance(value, bool):
            raise SimulationError(problem)
        number = int(value) if integral else float(value)  # type: ignore[arg-type]
        # written so that NaN fails, and infinity too (no culture takes an infinite parameter)
        if not (math.isfinite(number) and (self.low is None or number >= self.low)
                and (self.high is None or number <= self.high)):
            raise SimulationError(problem)
        return number


@dataclass(frozen=True)
class Culture:
    """A registered culture."""

    name: str
    title: str
    summary: str
    parameters: tuple[Parameter, ...]
    sample: Callable[..., Elections]
    """``sample(candidates, voters, elections, rng, **params) -> Elections``; it checks its arguments."""
    by_voter: bool = False
    """True when it draws every voter's ballot even for few candidates (else it draws ballot
    counts directly for up to :data:`MAX_TYPED` candidates)."""

    def draws_counts(self, candidates: int) -> bool:
        """Whether it draws ballot counts directly (so a chunk's cost hardly grows with voters)."""
        return not self.by_voter and _typed(candidates)

    @property
    def defaults(self) -> dict[str, object]:
        return {p.name: p.default for p in self.parameters}


_CULTURES: dict[str, Culture] = {}


def culture(name: str, title: str, *parameters: Parameter, by_voter: bool = False,
            ) -> Callable[[Callable[..., Elections]], Callable[..., Elections]]:
    """Register ``function(candidates, voters, elections, rng, **params) -> Elections``; the
    registered (and returned) function checks its arguments with :func:`check` first."""

    def register(function: Callable[..., Elections]) -> Callable[..., Elections]:
        @functools.wraps(function)
        def checked(candidates: int, voters: int, elections: int, rng: np.random.Generator, **params: object) -> Elections:
            return function(candidates, voters, elections, rng, **check(name, candidates, voters, elections, **params))

        doc = (function.__doc__ or "").strip().split("\n\n")[0]
        _CULTURES[name] = Culture(name, title, " ".join(doc.split()), parameters, checked, by_voter)
        return checked

    return register


def names() -> list[str]:
    """Registered culture names, in registration order."""
    return list(_CULTURES)


def info(name: str) -> Culture:
    """The registry entry for a culture name (``single-peaked`` and ``single_peaked`` alike)."""
    key = str(name).strip().lower().replace("-", "_")
    if key not in _CULTURES:
        raise SimulationError(f"unknown culture {name!r}; choose from: {', '.join(_CULTURES)}", listing="cultures")
    return _CULTURES[key]


def check(name: str, candidates: int, voters: int, elections: int = 1, **params: object) -> dict[str, object]:
    """The culture's parameters, defaults filled in and values as it reads them; a
    SimulationError for an unknown culture or parameter, or a value out of range."""
    entry = info(name)
    for label, value, low, high in (("elections", elections, 1, None), ("voters", voters, 1, None),
                                    ("candidates", candidates, 2, MAX_CANDIDATES)):
        whole = isinstance(value, numbers.Integral) and not isinstance(value, bool)
        if not whole or value < low or (high is not None and value > high):
            bound = f"from {low} to {high}" if high else f"at least {low}"
            raise SimulationError(f"{entry.name}: {label} must be a whole number {bound}, not {value!r}")
    known = {p.name: p for p in entry.parameters}
    unknown = sorted(set(params) - set(known))
    if unknown:
        takes = ", ".join(known) or "no parameters"
        raise SimulationError(f"{entry.name}: unknown parameter {unknown[0]!r}; it takes {takes}")
    return {key: p.valid(entry.name, params.get(key, p.default), int(candidates)) for key, p in known.items()}


def sample(name: str, candidates: int, voters: int, elections: int, rng: np.random.Generator,
           **params: object) -> Elections:
    """``elections`` elections of ``voters`` voters over ``candidates`` drawn from the named culture."""
    return info(name).sample(candidates, voters, elections, rng, **params)


def _typed(candidates: int) -> bool:
    return candidates <= MAX_TYPED


def _counted(m: int, p: np.ndarray, voters: int, elections: int, rng: np.random.Generator) -> Elections:
    """Ballot counts over the m! orders, a multinomial of ``voters`` with probabilities ``p``
    ((m!,) shared by every election, or (E, m!) one row an election)."""
    types = p.shape[-1]
    if p.ndim == 1 and types > 2 * voters:
        # few voters over many orders: drawing each voter's order is cheaper than m! binomials
        drawn = rng.choice(types, size=(elections, voters), p=p)
        offset = drawn + types * np.arange(elections)[:, None]
        counts = np.bincount(offset.ravel(), minlength=types * elections).reshape(elections, types)
    elif p.ndim == 1:
        counts = rng.multinomial(voters, p, size=elections)
    else:
        counts = rng.multinomial(voters, p)
    return Elections(order_positions(m)[None], counts.astype(np.int64))


@culture("impartial", "Impartial culture (IC)")
def impartial(candidates: int, voters: int, elections: int, rng: np.random.Generator) -> Elections:
    """Every voter's order uniform over the m! orders, independently of the others."""
    if _typed(candidates):
        types = math.factorial(candidates)
        return _counted(candidates, np.full(types, 1 / types), voters, elections, rng)
    return Elections(by_voter.impartial(candidates, voters, elections, rng))


def _urn(candidates: int, voters: int, elections: int, rng: np.random.Generator, alpha: float) -> Elections:
    """The Pólya-Eggenberger urn: it starts with one copy of each order, and after each draw
    ``alpha * m!`` copies of the drawn order go in."""
    if alpha == 0:
        return impartial(candidates, voters, elections, rng)
    if not _typed(candidates):
        return Elections(by_voter.urn(candidates, voters, elections, rng, alpha))
    types = math.factorial(candidates)
    # the counts are Dirichlet-multinomial with 1 / (alpha m!) per order; floored so that
    # a huge alpha (every voter copies the first) stays a valid Dirichlet parameter
    share = max(1 / (alpha * types), 1e-300)
    return _counted(candidates, rng.dirichlet(np.full(types, share), size=elections), voters, elections, rng)


@culture("iac", "Impartial anonymous culture (IAC)")
def iac(candidates: int, voters: int, elections: int, rng: np.random.Generator) -> Elections:
    """Every anonymous profile (how many voters cast each order) equally likely: the urn that
    adds one copy of each drawn order."""
    return _urn(candidates, voters, elections, rng, 1 / math.factorial(candidates))


@culture("urn", "Pólya-Eggenberger urn",
         Parameter("alpha", 0.1, "copies of the drawn order added after each draw, per order in the urn "
                   "(0 is impartial culture; 1/m! impartial anonymous culture)", low=0.0))
def urn(candidates: int, voters: int, elections: int, rng: np.random.Generator, alpha: float) -> Elections:
    """Voters drawn from an urn that starts with one copy of each order; after each draw,
    alpha times m! copies of the drawn order go back in (prefsampling's convention)."""
    return _urn(candidates, voters, elections, rng, alpha)


def kendall_tau(positions: np.ndarray, reference: tuple[int, ...]) -> np.ndarray:
    """Pairs of candidates each ranking (positions along the last axis) orders against
    ``reference`` (candidates, top first): its Kendall tau distance from it."""
    m = positions.shape[-1]
    place = np.empty(m, dtype=np.int64)
    place[list(reference)] = np.arange(m)
    x, y = np.triu_indices(m, 1)
    discordant = (positions[..., x] < positions[..., y]) != (place[x] < place[y])
    return discordant.sum(axis=-1)


@culture("mallows", "Mallows model",
         Parameter("phi", 0.5, "dispersion: 0 every voter casts the reference order, 1 impartial culture",
                   low=0.0, high=1.0),
         Parameter("reference", None, "the central order (default 0, 1, ..., m-1)", kind="order"))
def mallows(candidates: int, voters: int, elections: int, rng: np.random.Generator, phi: float,
            reference: tuple[int, ...]) -> Elections:
    """Each voter's order drawn independently with probability proportional to phi to the
    power of its Kendall tau distance from the reference order."""
    if not _typed(candidates):
        return Elections(by_voter.mallows(candidates, voters, elections, rng, phi, reference))
    weight = np.power(phi, kendall_tau(order_positions(candidates), reference).astype(float))
    return _counted(candidates, weight / weight.sum(), voters, elections, rng)


@culture("spatial", "Euclidean spatial model",
         Parameter("dims", 2, "dimensions of the space", kind="integer", low=1),
         Parameter("distribution", "uniform", "where voters and candidates lie: the unit cube "
                   "or the standard normal", kind="choice", choices=("uniform", "normal")),
         by_voter=True)
def spatial(candidates: int, voters: int, elections: int, rng: np.random.Generator, dims: int,
            distribution: str) -> Elections:
    """Candidates and voters at random points (new ones each election); each voter ranks the
    candidates from the nearest."""
    distance = by_voter.spatial(candidates, voters, elections, rng, dims, distribution)
    return Elections(by_voter.ranked_by_distance(distance)).typed()


def single_peaked_probabilities(m: int, sampler: str) -> np.ndarray:
    """(m!,) the probability of each order of :func:`orders` under a single-peaked sampler on
    the axis 0, 1, ..., m-1: an order is single-peaked when its top k are adjacent for every k."""
    top = orders(m).astype(np.int64)
    peaked = np.ones(len(top), dtype=bool)
    free = np.zeros(len(top))
    for k in range(1, m + 1):
        low, high = top[:, :k].min(axis=1), top[:, :k].max(axis=1)
        peaked &= high - low == k - 1
        if k < m:
            free += (low > 0) & (high < m - 1)  # Conitzer's coin is tossed only when both sides remain
    if sampler == "walsh":
        return peaked / peaked.sum()
    return peaked * 0.5**free / m


@culture("single_peaked", "Single-peaked preferences",
         Parameter("sampler", "walsh", "walsh: uniform over the single-peaked orders; conitzer: peak uniform, "
                   "then left or right with probability 1/2", kind="choice", choices=("walsh", "conitzer")))
def single_peaked(candidates: int, voters: int, elections: int, rng: np.random.Generator, sampler: str) -> Elections:
    """Orders single-peaked on the axis 0, 1, ..., m-1, each voter independently: uniform over
    the 2^(m-1) of them (Walsh), or the peak uniform and then the next candidate on the left or
    the right with probability 1/2 each while both remain (Conitzer)."""
    if _typed(candidates):
        return _counted(candidates, single_peaked_probabilities(candidates, sampler), voters, elections, rng)
    if sampler == "walsh":
        return Elections(by_voter.single_peaked_walsh(candidates, voters, elections, rng))
    return Elections(by_voter.single_peaked_conitzer(candidates, voters, elections, rng))
