"""Coalitional manipulability of simulated elections, where an exact test is cheap.

Definition (svvamp's "CM", with ties kept as the engine keeps them). Let W be the rule's
sincere winner set. A profile is *manipulable* when, for some candidate c outside W, the
voters who rank c above every member of W (the coalition) can cast some ballots, everyone
else voting sincerely, that make c the *unique* winner of the rule, every tie kept as the
engine keeps it (plurality's winners are all candidates with most first places; IRV drops
every candidate tied for fewest first places at once, and all remaining tied all win). When
W is one candidate this is svvamp's CM, except that svvamp breaks ties by candidate index:
a manipulation that succeeds only through a tie-break is not counted here. When W is
everyone, no one is a target and the profile is not manipulable.

Exact tests, vectorised over elections (one pass per target):

* plurality, any m: the coalition all votes c; c needs more votes than any other
  candidate's first places among the rest;
* anti-plurality (veto), any m: the coalition vetoes others, filling up each to one veto
  more than c's (water-filling); it succeeds when it has the ballots to do so;
* Borda, m = 3: the coalition ranks c first and splits its second places: an interval
  of splits works, and it is empty or not;
* IRV, m = 3: c wins with a majority of first places, or when the other two tie for
  fewest first places below c (both go out), or when one of them, e, goes out alone and c
  then has a majority over the other, d; the coalition's useful ballots are c first or
  "d c e" (putting d ahead of e), an interval of counts of the latter;
* Condorcet rules (copeland, llull, minimax, schulze, split_cycle, ranked_pairs,
  kemeny_young, black), m = 3: each is monotone, so the coalition ranks c first and only
  chooses how many put each other candidate second; the margins c has are then fixed and
  the margin between the other two, z, runs over an interval in steps of 2. The rule's
  outcome depends only on where z falls among a few critical values (0, +-x, +-y,
  +-(x+y), 2x+y, -(x+2y), with x, y c's two margins), so it is tried at each critical
  value and just above it and at both ends of the interval.

For m = 2 every rule here is majority rule, where the coalition already votes for c:
never manipulable. Other (rule, m): :func:`manipulable` returns None. Coalitional
manipulation of Borda, IRV, Copeland, minimax and ranked pairs is NP-hard as the candidates
grow; for a fixed m it is an integer program over the m! ballot types, exact but not cheap.
"""

from __future__ import annotations


import numpy as np

from tellers.ballots.rules.registry import info
from tellers.ballots.simulate import rules
from tellers.ballots.simulate.elections import Elections

_CONDORCET = ("copeland", "llull", "minimax", "schulze", "split_cycle", "ranked_pairs", "kemeny_young", "black")

CHEAP: dict[str, int | None] = {"plurality": None, "anti_plurality": None, "borda": 3, "irv": 3}
CHEAP.update(dict.fromkeys(_CONDORCET, 3))
"""Rule -> the most candidates its exact test handles (None: any number)."""


def supported(rule: str, m: int) -> bool:
    """Whether :func:`manipulable` has an exact cheap test for ``rule`` with ``m`` candidates."""
    name = info(rule).name
    return name in CHEAP and (CHEAP[name] is None or m <= CHEAP[name])


def manipulable(rule: str, elections: Elections, winners: np.ndarray) -> np.ndarray | None:
    """(E,) whether each election is coalitionally manipulable (see the module notes),
    given its sincere winners ``winners`` (E, m) booleans; None when ``rule`` has no
    cheap exact test with this many candidates."""
    name, m = info(rule).name, elections.candidates
    if not supported(name, m):
        return None
    winners = np.asarray(winners, dtype=bool)
    if winners.shape != (elections.elections, m):
        raise ValueError(f"winners must be (elections, candidates) = {(elections.elections, m)}")
    out = np.zeros(elections.elections, dtype=bool)
    if m < 2 or (m == 2 and name not in ("plurality", "anti_plurality")):
        return out
    test = _TESTS.get(name, _condorcet)
    for c in range(m):
        rows = np.flatnonzero(~winners[:, c])  # the elections where c is a target
        if not len(rows):
            continue
        some = elections if len(rows) == len(out) else elections.take(rows)
        pos = some.positions
        best_w = np.where(winners[rows, None, :], pos, m).min(axis=2)  # each ballot's best place for a winner
        coalition = pos[:, :, c] < best_w  # (E, V): ranks c above every sincere winner
        out[rows] |= test(some, coalition, c, name)
    return out


# ------------------------------------------------------------------ counts of the two groups
def _sizes(elections: Elections, coalition: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The coalition's size (E,) and the number of voters (E,)."""
    return elections.weigh(coalition), elections.voters


def _count(elections: Elections, rest: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """(E, ...): voters in ``rest`` (E, V) whose ballot row is marked (``marks`` (E|1, V, ...))."""
    if elections.counts is not None and marks.shape[0] == 1:  # shared rows: one product
        flat = marks[0].reshape(marks.shape[1], -1).astype(np.int64)
        return ((elections.counts * rest) @ flat).reshape((len(rest),) + marks.shape[2:])
    return elections.weigh(rest.reshape(rest.shape + (1,) * (marks.ndim - 2)) & marks)


def _places(elections: Elections, rest: np.ndarray, place: int) -> np.ndarray:
    """(E, m): voters in ``rest`` putting each candidate at ``place``."""
    return _count(elections, rest, elections.positions == place)


def _ahead(elections: Elections, rest: np.ndarray) -> np.ndarray:
    """(E, m, m): voters in ``rest`` ranking x above y."""
    pos = elections.positions
    return _count(elections, rest, pos[:, :, :, None] < pos[:, :, None, :])


def _others(m: int, c: int) -> tuple[int, int]:
    a, b = (d for d in range(m) if d != c)
    return a, b


# ------------------------------------------------------------------ positional rules
def _plurality(elections: Elections, coalition: np.ndarray, c: int, name: str) -> np.ndarray:
    n, _ = _sizes(elections, coalition)
    first = _places(elections, ~coalition, 0)  # c's column is 0: a voter with c on top is in the coalition
    first[:, c] = -1
    return n > first.max(axis=1)


def _anti_plurality(elections: Elections, coalition: np.ndarray, c: int, name: str) -> np.ndarray:
    n, _ = _sizes(elections, coalition)
    last = _places(elections, ~coalition, elections.candidates - 1)
    # every other candidate needs one veto more than c has; extra vetoes go anywhere but c
    need = np.maximum(last[:, c:c + 1] + 1 - last, 0)
    need[:, c] = 0
    return need.sum(axis=1) <= n


def _borda(elections: Elections, coalition: np.ndarray, c: int, name: str) -> np.ndarray:
    n, _ = _sizes(elections, coalition)
    s = _ahead(elections, ~coalition).sum(axis=2)  # the rest's Borda scores (points = candidates below)
    a, b = _others(3, c)
    # c first on every coalition ballot, k of them with a second: c has s_c + 2n, a s_a + k,
    # b s_b + n - k; c must beat both for some 0 <= k <= n
    lo = np.maximum(0, s[:, b] - s[:, c] - n + 1)
    hi = np.minimum(n, s[:, c] + 2 * n - s[:, a] - 1)
    return lo <= hi


def _irv(elections: Elections, coalition: np.ndarray, c: int, name: str) -> np.ndarray:
    n, voters = _sizes(elections, coalition)
    rest = ~coalition
    first = _places(elections, rest, 0)  # nobody outside the coalition has c first
    ahead = _ahead(elections, rest)
    a, b = _others(3, c)
    fa, fb = first[:, a], first[:, b]
    # a majority of first places for c
    ok = 2 * n > voters
    # a and b tie for fewest (both eliminated, c alone remains): the coalition tops up the
    # lower to the higher, t = max(fa, fb), and keeps more than t for c
    ok |= 3 * np.maximum(fa, fb) < n + fa + fb
    # e eliminated alone, then c beats d: x coalition ballots "d c e", the rest c first;
    # e < d + x, e < n - x (c's first places), and c's final tally (the rest's c-over-d
    # plus n - x) a strict majority
    for e, d in ((a, b), (b, a)):
        lo = np.maximum(0, first[:, e] - first[:, d] + 1)
        hi = np.minimum(n - first[:, e] - 1, (2 * ahead[:, c, d] + 2 * n - voters - 1) // 2)
        ok |= lo <= np.minimum(hi, n)
    return ok


# ------------------------------------------------------------------ Condorcet rules at m = 3
def _zero(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    return (np.zeros_like(x),)


def _plus_minus(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    return (np.zeros_like(x), x, -x, y, -y)


# each rule's winners from the margins, and the values of z where whether c alone wins can
# change (the comparisons it makes between z and c's margins x, y)
_MARGIN_RULES = {
    "copeland": (rules.copeland, _zero),
    "llull": (rules.llull, _zero),
    "minimax": (rules.minimax, _plus_minus),
    "schulze": (rules.schulze, _plus_minus),
    "split_cycle": (rules.split_cycle, _plus_minus),
    "kemeny_young": (rules.kemeny_tops, lambda x, y: _plus_minus(x, y) + (x + y, -x - y)),
    "black": (rules.black, lambda x, y: (np.zeros_like(x), 2 * x + y, -x - 2 * y)),
    # at three candidates ranked pairs (over every order of equal margins) elects the minimax winners
    "ranked_pairs": (rules.minimax, _plus_minus),
}


def _condorcet(elections: Elections, coalition: np.ndarray, c: int, name: str) -> np.ndarray:
    n, _ = _sizes(elections, coalition)
    ahead = _ahead(elections, ~coalition)
    a, b = _others(3, c)
    x = ahead[:, c, a] + n - ahead[:, a, c]  # c's margins, with every coalition ballot c first
    y = ahead[:, c, b] + n - ahead[:, b, c]
    z0 = ahead[:, a, b] - ahead[:, b, a]  # a over b: z0 - n .. z0 + n in steps of 2
    low, high = z0 - n, z0 + n
    winners_of, critical = _MARGIN_RULES[name]
    tries = [low, high]
    for t in critical(x, y):
        tries.append(t)
        tries.append(np.maximum(t + 1 + (low - t - 1) % 2, low))  # the first reachable value above t
    ok = np.zeros(len(n), dtype=bool)
    mg = np.zeros((len(n), 3, 3), dtype=np.int64)
    mg[:, c, a], mg[:, a, c], mg[:, c, b], mg[:, b, c] = x, -x, y, -y
    for z in tries:
        reachable = (z >= low) & (z <= high) & ((z - low) % 2 == 0)
        mg[:, a, b], mg[:, b, a] = z, -z
        w = winners_of(mg)
        ok |= reachable & w[:, c] & ~w[:, a] & ~w[:, b]
    return ok


_TESTS = {"plurality": _plurality, "anti_plurality": _anti_plurality, "borda": _borda, "irv": _irv}
