"""The counting pipeline of ``bench_engine.py``, run by tellers, a plain numpy floor, svvamp
and pref-voting: stage -> seconds, stage -> winners (candidate indices).

The pipeline: build a profile from an integer array of strict rankings (rows = candidate
indices best first), its pairwise margins, the Condorcet winner, then plurality, IRV,
Schulze, ranked pairs, Borda, Copeland and minimax.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import partial

import numpy as np

from tellers import Profile, rules

RULES = ["plurality", "irv", "schulze", "ranked_pairs", "borda", "copeland", "minimax"]
STAGES = ["build profile", "margins", "condorcet winner", *RULES]
SVVAMP = {
    "plurality": "RulePlurality", "irv": "RuleIRV", "schulze": "RuleSchulze", "ranked_pairs": "RuleRankedPairs",
    "borda": "RuleBorda", "copeland": "RuleCopeland", "minimax": "RuleMaximin",
}
PREF_VOTING = {
    "plurality": "plurality", "irv": "instant_runoff", "schulze": "beat_path", "ranked_pairs": "ranked_pairs",
    "borda": "borda", "copeland": "copeland", "minimax": "minimax",
}

Times = dict[str, float | None]
Winners = dict[str, frozenset[int] | None]


def random_ballots(n: int, m: int, seed: int, distinct: int | None = None) -> np.ndarray:
    """``n`` uniformly random strict rankings of ``m`` candidates (drawn from ``distinct`` orders if given)."""
    rng = np.random.default_rng(seed)
    pool = rng.permuted(np.tile(np.arange(m), (distinct or n, 1)), axis=1)
    return pool[rng.integers(0, distinct, n)] if distinct else pool


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


class Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Interrupt pure-Python work after ``seconds`` (SIGALRM; main thread, POSIX)."""

    def handler(signum, frame):  # noqa: ARG001
        raise Timeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def tellers_pipeline(ballots: np.ndarray) -> tuple[Times, Winners]:
    times: Times = {}
    winners: Winners = {}
    times["build profile"], prof = timed(lambda: Profile.from_rankings(ballots))
    times["margins"], _ = timed(lambda: prof.margins)
    times["condorcet winner"], cw = timed(prof.condorcet_winner)
    winners["condorcet winner"] = frozenset() if cw is None else frozenset({int(cw)})
    for name in RULES:
        times[name], result = timed(lambda name=name: rules.run(name, prof))
        winners[name] = frozenset(int(c) for c in result.winners)
    return times, winners


def floor_build_margins(ballots: np.ndarray) -> Times:
    """The numpy floor: a candidates x ballots int8 rank matrix by one scatter, then one
    ``count_nonzero(R[a] < R[b])`` per pair (the other order by subtraction)."""
    n, m = ballots.shape

    def build() -> np.ndarray:
        ranks = np.empty((m, n), dtype=np.int8)
        ranks[ballots.T, np.arange(n)] = np.arange(m, dtype=np.int8)[:, None]
        return ranks

    def margins(ranks: np.ndarray) -> np.ndarray:
        support = np.zeros((m, m), dtype=np.int64)
        for a in range(m):
            for b in range(a + 1, m):
                support[a, b] = np.count_nonzero(ranks[a] < ranks[b])
                support[b, a] = n - support[a, b]
        return support - support.T

    t_build, ranks = timed(build)
    t_margins, _ = timed(lambda: margins(ranks))
    return {"build profile": t_build, "margins": t_margins}


def svvamp_pipeline(ballots: np.ndarray) -> tuple[Times, Winners]:
    """svvamp: ``Profile(preferences_rk=...)``, ``matrix_duels_rk``, ``condorcet_winner_rk``, then its rules.

    svvamp names one winner (ties broken by index); it is recorded as a set of one.
    """
    import svvamp

    times: Times = {}
    winners: Winners = {}
    times["build profile"], prof = timed(lambda: svvamp.Profile(preferences_rk=ballots))
    times["margins"], _ = timed(lambda: prof.matrix_duels_rk)
    times["condorcet winner"], cw = timed(lambda: prof.condorcet_winner_rk)
    winners["condorcet winner"] = frozenset() if cw is None or np.isnan(cw) else frozenset({int(cw)})
    for name in RULES:
        times[name], w = timed(lambda name=name: getattr(svvamp, SVVAMP[name])()(prof).w_)
        winners[name] = frozenset({int(w)})
    return times, winners


def pref_voting_pipeline(ballots: np.ndarray, limit: float) -> tuple[Times, Winners, float, str]:
    """pref-voting, once (each stage stopped after ``limit`` s); also the seconds ``tolist`` took."""
    from pref_voting import voting_methods as vm
    from pref_voting.profiles import Profile as PVProfile

    # warm up: several pref-voting methods are numba-compiled on first call
    tiny = PVProfile([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1]])
    for pv_name in PREF_VOTING.values():
        getattr(vm, pv_name)(tiny)
    tiny.condorcet_winner()

    t_list, lists = timed(ballots.tolist)
    times: Times = {}
    winners: Winners = {}
    notes = []
    try:
        with time_limit(limit):
            times["build profile"], prof = timed(partial(PVProfile, lists))
    except Timeout:
        times["build profile"] = None
        return times, winners, t_list, f"building the profile took over {limit:g} s; stopped"
    del lists
    times["margins"], _ = timed(lambda: prof.margin_matrix)
    times["condorcet winner"], cw = timed(prof.condorcet_winner)
    winners["condorcet winner"] = frozenset() if cw is None else frozenset({int(cw)})
    for name, pv_name in PREF_VOTING.items():
        try:
            with time_limit(limit):
                times[name], w = timed(lambda pv_name=pv_name: getattr(vm, pv_name)(prof))
            winners[name] = frozenset(int(c) for c in w)
        except Timeout:
            times[name] = winners[name] = None
            notes.append(f"{pv_name} stopped after {limit:g} s")
    return times, winners, t_list, "; ".join(notes)
