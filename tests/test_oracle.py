"""Differential tests: the counting engine against pref-voting, an independent implementation.

Random profiles are small on purpose (2-7 candidates, up to 12 distinct ballots with
weights 1-5) so that tied counts, majority cycles and equal margins are frequent: the
places where tie handling goes wrong. Every test is derandomized, so CI runs the same
profiles each time.

How pref-voting is used, and the few places where the two differ by convention:

* Ballots with ties or truncation go to ``ProfileWithTies`` with
  ``use_extended_strict_preference()``: an unranked candidate is below every ranked one
  and tied with the other unranked ones, which is tellers' reading. Its plain
  ``strict_pref`` ignores pairs with an unranked candidate, a different convention.
* Borda with ties or truncation: tellers gives one point per candidate ranked strictly
  below, which is pref-voting's ``domination_borda_scores``; pref-voting's default for such
  ballots (symmetric Borda: below minus above) is another convention, not compared.
* IRV with ties: a ballot tied at its top is split equally ("split" scores in
  pref-voting). pref-voting's count for such profiles never stops early for a majority
  but eliminates until one candidate is left; that elects the same candidates (a
  candidate with a majority of the continuing ballots is never lowest, and only gains).
* Plurality refuses ballots tied at the top in pref-voting, and its Bucklin for
  truncated ballots refuses ties, so those two are compared on truncated strict ballots.
  That Bucklin reads a level ``r`` as ``rmap == r - 1``, so levels are passed 0-based.
* Ranked pairs in pref-voting also locks the zero-margin pairs, last; tellers locks only
  positive margins. The winners are the same (a candidate nobody beats in the positive
  graph can take all its zero pairs first). Its basic algorithm tries every order of
  equal margins; when there are too many, its stack characterisation (Zavist-Tideman)
  is the oracle instead.
* Minimax scores differ (pref-voting scores an unbeaten candidate 0, tellers by the
  largest margin against it, which may be negative); the winners are the same.
* Coombs, Baldwin, Nanson, anti-plurality, Black and Smith//IRV exist in pref-voting only
  for complete strict ballots, so they are compared on those (Smith//IRV also with ties,
  composed from pref-voting's Smith set and split IRV).
* Approval has no counterpart on ranked profiles; it is checked against a hand count.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# pref-voting compiles a few helpers with numba on first use, which takes longer (6-10 s)
# than running them as plain Python on profiles this small. Only this module uses it;
# set NUMBA_DISABLE_JIT=0 to compile anyway.
os.environ.setdefault("NUMBA_DISABLE_JIT", "1")
pytest.importorskip("pref_voting", reason="pref-voting is the oracle (pip install -e '.[test]')")

from pref_voting import (  # noqa: E402
    c1_methods,
    combined_methods,
    iterative_methods,
    margin_based_methods,
    other_methods,
    scoring_methods,
)
from pref_voting.profiles import Profile as PVProfile  # noqa: E402
from pref_voting.profiles_with_ties import ProfileWithTies  # noqa: E402

from tellers import Profile, rules  # noqa: E402
from tellers.ballots.rules import kemeny  # noqa: E402


def oracle_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


# ---------------------------------------------------------------------- profiles


@st.composite
def strict_profiles(draw, max_candidates: int = 7):
    """(m, rankings, weights): distinct complete strict rankings with weights 1-5."""
    m = draw(st.integers(2, max_candidates))
    k = draw(st.integers(1, min(12, math.factorial(m))))
    rankings = draw(st.lists(st.permutations(range(m)), min_size=k, max_size=k, unique_by=tuple))
    weights = draw(st.lists(st.integers(1, 5), min_size=k, max_size=k))
    return m, [list(r) for r in rankings], weights


@st.composite
def weak_ballots(draw, m: int, ties: bool, empty: bool):
    """A ballot as a list of tied groups, best first, over some of the m candidates."""
    order = draw(st.permutations(range(m)))
    ranked = draw(st.integers(0 if empty else 1, m))
    steps = draw(st.lists(st.booleans(), min_size=ranked, max_size=ranked)) if ties else [True] * ranked
    groups: list[list[int]] = []
    for i, c in enumerate(order[:ranked]):
        if i == 0 or steps[i]:
            groups.append([c])
        else:
            groups[-1].append(c)
    return [tuple(g) for g in groups]


@st.composite
def weak_profiles(draw, max_candidates: int = 7, ties: bool = True, empty: bool = True):
    """(m, ballots, weights): ballots with ties (if ``ties``) and truncation, weights 1-5."""
    m = draw(st.integers(2, max_candidates))
    k = draw(st.integers(1, 12))
    ballots = draw(st.lists(weak_ballots(m, ties, empty), min_size=k, max_size=k))
    weights = draw(st.lists(st.integers(1, 5), min_size=k, max_size=k))
    return m, ballots, weights


def tellers_weak(m, ballots, weights) -> Profile:
    return Profile.from_rankings(ballots, weights, candidates=[str(c) for c in range(m)])


def pv_weak(m, ballots, weights) -> ProfileWithTies:
    # levels 0-based: see the module docstring (Bucklin for truncated ballots)
    dicts = [{c: level for level, group in enumerate(b) for c in group} for b in ballots]
    profile = ProfileWithTies(dicts, rcounts=list(weights), candidates=list(range(m)))
    profile.use_extended_strict_preference()
    return profile


def winners(rule: str, profile: Profile) -> set[int]:
    return {int(c) for c in rules.run(rule, profile).winners}


def margin_matrix(edata, m: int) -> np.ndarray:
    return np.array([[edata.margin(a, b) for b in range(m)] for a in range(m)], dtype=float)


# ---------------------------------------------------------------------- oracles


def pv_ranked_pairs(edata, curr_cands=None):
    """pref-voting's ranked pairs, by stacks when the orders of equal margins are too many."""
    cands = edata.candidates if curr_cands is None else curr_cands
    margins = Counter(edata.margin(a, b) for a in cands for b in cands if a != b and edata.margin(a, b) >= 0)
    orders = math.prod(math.factorial(n) for n in margins.values())
    if orders <= 2000 or edata.condorcet_winner(curr_cands=curr_cands) is not None:
        return margin_based_methods.ranked_pairs(edata, curr_cands=curr_cands)
    return margin_based_methods.ranked_pairs(edata, curr_cands=curr_cands, algorithm="from_stacks")


STRICT_ORACLES = {
    "plurality": scoring_methods.plurality,
    "anti_plurality": scoring_methods.anti_plurality,
    "borda": scoring_methods.borda,
    "irv": iterative_methods.instant_runoff,  # default: all tied-last eliminated together
    "coombs": iterative_methods.coombs,
    "baldwin": iterative_methods.baldwin,
    "nanson": iterative_methods.strict_nanson,
    "bucklin": other_methods.bucklin,
    "copeland": c1_methods.copeland,
    "llull": c1_methods.llull,
    "minimax": margin_based_methods.minimax,
    "schulze": margin_based_methods.beat_path,  # margins, Floyd-Warshall
    "split_cycle": margin_based_methods.split_cycle,
    "black": combined_methods.blacks,
    "smith_irv": combined_methods.smith_irv,
    "ranked_pairs": pv_ranked_pairs,  # every order of equal margins
    "kemeny_young": other_methods.kemeny_young,
}
SLOW_ORACLES = {"ranked_pairs", "kemeny_young"}  # pref-voting's are exponential: <= 6 candidates

WEAK_ORACLES = {  # rules defined by the margins, on ProfileWithTies
    "copeland": c1_methods.copeland,
    "llull": c1_methods.llull,
    "minimax": margin_based_methods.minimax,
    "schulze": margin_based_methods.beat_path,
    "split_cycle": margin_based_methods.split_cycle,
    "ranked_pairs": pv_ranked_pairs,
    "kemeny_young": other_methods.kemeny_young,
    "borda": lambda p: scoring_methods.borda_for_profile_with_ties(p, borda_scores=scoring_methods.domination_borda_scores),
    "irv": lambda p: iterative_methods.instant_runoff(p, score_method="split"),
    "smith_irv": lambda p: iterative_methods.instant_runoff(p, curr_cands=c1_methods.top_cycle(p), score_method="split"),
}


def test_every_rule_has_an_oracle():
    assert set(rules.names()) == set(STRICT_ORACLES) | {"approval"}


# ---------------------------------------------------------------------- complete strict ballots
# One profile is checked against every rule at once: drawing profiles costs more than
# counting them, and a failure names the rule.

FAST_RULES = [r for r in STRICT_ORACLES if r not in SLOW_ORACLES]


def assert_majority_relation_matches(mine: Profile, theirs, m: int) -> None:
    np.testing.assert_array_equal(mine.margins, margin_matrix(theirs, m))
    cw, cl = theirs.condorcet_winner(), theirs.condorcet_loser()
    assert mine.condorcet_winner() == (None if cw is None else str(cw))
    assert mine.condorcet_loser() == (None if cl is None else str(cl))
    assert {int(c) for c in mine.smith_set()} == set(c1_methods.top_cycle(theirs)), "smith set"
    assert {int(c) for c in mine.schwartz_set()} == set(c1_methods.gocha(theirs)), "schwartz set"


@oracle_settings(800)
@given(data=strict_profiles())
def test_strict_profiles_match_pref_voting(data):
    """Margins, Condorcet winner and loser, Smith and Schwartz sets, and the winners of
    every rule but the two slow ones, on 2-7 candidates."""
    m, rankings, weights = data
    mine, theirs = Profile.from_rankings(rankings, weights), PVProfile(rankings, rcounts=weights)
    assert_majority_relation_matches(mine, theirs, m)
    for rule in FAST_RULES:
        assert winners(rule, mine) == set(STRICT_ORACLES[rule](theirs)), rule


@oracle_settings(300)
@given(data=strict_profiles(max_candidates=6))
def test_ranked_pairs_and_kemeny_match_pref_voting(data):
    m, rankings, weights = data
    mine, theirs = Profile.from_rankings(rankings, weights), PVProfile(rankings, rcounts=weights)
    for rule in SLOW_ORACLES:
        assert winners(rule, mine) == set(STRICT_ORACLES[rule](theirs)), rule


@oracle_settings(150)
@given(data=strict_profiles(max_candidates=6), keep=st.lists(st.booleans(), min_size=6, max_size=6))
def test_restricted_profile_matches_pref_voting_curr_cands(data, keep):
    """``Profile.restrict`` (which renumbers the remaining levels) against ``curr_cands``."""
    m, rankings, weights = data
    kept = [c for c in range(m) if keep[c]] or [0]
    mine = Profile.from_rankings(rankings, weights).restrict([str(c) for c in kept])
    theirs = PVProfile(rankings, rcounts=weights)
    for rule, oracle in STRICT_ORACLES.items():
        assert winners(rule, mine) == set(oracle(theirs, curr_cands=kept)), rule


@oracle_settings(60)
@given(
    m=st.integers(2, 6),
    n=st.integers(1, 400),
    distinct=st.integers(1, 12),
    truncate=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_many_unit_ballots_match_pref_voting(m, n, distinct, truncate, seed):
    """Repeated unit-weight ballots from an order array (-1 padded when truncated): merging,
    the array constructor and the counting paths for many ballots."""
    rng = np.random.default_rng(seed)
    pool = rng.permuted(np.tile(np.arange(m), (distinct, 1)), axis=1)
    orders = pool[rng.integers(0, distinct, n)]
    if truncate:
        lengths = rng.integers(0, m + 1, n)
        orders[np.arange(m)[None, :] >= lengths[:, None]] = -1
    mine = Profile.from_rankings(orders, candidates=[str(c) for c in range(m)])
    ballots = [[(int(c),) for c in row if c >= 0] for row in orders]
    assert mine.voters == n
    assert mine.num_ballots == len({tuple(b) for b in ballots})
    if truncate:
        theirs = pv_weak(m, ballots, [1] * n)
        np.testing.assert_array_equal(mine.margins, margin_matrix(theirs, m))
        for rule, oracle in WEAK_ORACLES.items():
            if rule not in SLOW_ORACLES:
                assert winners(rule, mine) == set(oracle(theirs)), rule
        scores = theirs.plurality_scores()
        assert winners("plurality", mine) == {c for c, s in scores.items() if s == max(scores.values())}
        assert winners("bucklin", mine) == set(other_methods.bucklin_for_truncated_linear_orders(theirs))
    else:
        theirs = PVProfile(orders.tolist())
        np.testing.assert_array_equal(mine.margins, margin_matrix(theirs, m))
        for rule in FAST_RULES:
            assert winners(rule, mine) == set(STRICT_ORACLES[rule](theirs)), rule


# ---------------------------------------------------------------------- ties and truncation


@oracle_settings(500)
@given(data=weak_profiles())
def test_profiles_with_ties_match_pref_voting(data):
    """Ties, truncation and empty ballots, 2-7 candidates: the majority relation and
    every rule pref-voting defines on such ballots, but the two slow ones."""
    m, ballots, weights = data
    mine, theirs = tellers_weak(m, ballots, weights), pv_weak(m, ballots, weights)
    assert_majority_relation_matches(mine, theirs, m)
    for rule, oracle in WEAK_ORACLES.items():
        if rule not in SLOW_ORACLES:
            assert winners(rule, mine) == set(oracle(theirs)), rule


@oracle_settings(300)
@given(data=weak_profiles(max_candidates=6))
def test_ranked_pairs_and_kemeny_with_ties_match_pref_voting(data):
    m, ballots, weights = data
    mine, theirs = tellers_weak(m, ballots, weights), pv_weak(m, ballots, weights)
    for rule in SLOW_ORACLES:
        assert winners(rule, mine) == set(WEAK_ORACLES[rule](theirs)), rule


@oracle_settings(300)
@given(data=weak_profiles(ties=False))
def test_plurality_and_bucklin_on_truncated_ballots_match_pref_voting(data):
    m, ballots, weights = data
    mine, theirs = tellers_weak(m, ballots, weights), pv_weak(m, ballots, weights)
    scores = theirs.plurality_scores()
    assert winners("plurality", mine) == {c for c, s in scores.items() if s == max(scores.values())}
    assert winners("bucklin", mine) == set(other_methods.bucklin_for_truncated_linear_orders(theirs))


# ---------------------------------------------------------------------- approval


@oracle_settings(300)
@given(
    m=st.integers(1, 7),
    rows=st.lists(st.tuples(st.integers(0, 127), st.integers(1, 5)), min_size=1, max_size=12),
)
def test_approval_matches_hand_count(m, rows):
    approvals = np.array([[bits >> c & 1 for c in range(m)] for bits, _ in rows], dtype=bool)
    weights = [w for _, w in rows]
    totals = [sum(w for (bits, w) in rows if bits >> c & 1) for c in range(m)]
    expected = {str(c) for c in range(m) if totals[c] == max(totals)}
    names = [str(c) for c in range(m)]
    for profile in (
        Profile.from_approvals(approvals, weights),
        Profile.from_approvals([set(np.flatnonzero(a).tolist()) for a in approvals], weights, candidates=names),
    ):
        result = rules.run("approval", profile)
        assert result.winners == expected
        assert result.scores == {str(c): float(totals[c]) for c in range(m)}


# ---------------------------------------------------------------------- Kemeny-Young


@oracle_settings(50)
@given(k=st.integers(3, 8), seed=st.integers(0, 2**32 - 1), spread=st.sampled_from([2, 4, 10]))
def test_kemeny_dynamic_program_agrees_with_integer_program(k, seed, spread):
    """The two exact methods: same optimum, same optimal tops, same verdict on uniqueness."""
    rng = np.random.default_rng(seed)
    margins = rng.integers(-spread, spread + 1, (k, k)).astype(float)
    margins = np.triu(margins, 1) - np.triu(margins, 1).T
    both_ways = np.triu(rng.integers(0, 3, (k, k)), 1).astype(float)
    support = np.maximum(margins, 0) + both_ways + both_ways.T  # support - support.T == margins
    value_dp, tops_dp, order_dp, count_dp = kemeny._subset_dp(support, 1e-9)
    value_ip, tops_ip, order_ip, count_ip = kemeny._milp(support, 1e-9)
    assert value_dp == pytest.approx(value_ip)
    assert list(tops_dp) == list(tops_ip)
    assert count_dp == count_ip
    assert agreement(support, order_dp) == pytest.approx(value_dp)
    assert agreement(support, order_ip) == pytest.approx(value_ip)


@oracle_settings(60)
@given(data=strict_profiles(max_candidates=6))
def test_kemeny_integer_program_path_gives_the_same_result(data):
    """Forcing every Smith layer through HiGHS changes nothing a user sees."""
    m, rankings, weights = data
    profile = Profile.from_rankings(rankings, weights)
    by_dp = rules.run("kemeny_young", profile)
    with patch.object(kemeny, "DP_LIMIT", 0):
        by_ip = rules.run("kemeny_young", profile)
    assert by_ip.winners == by_dp.winners
    assert by_ip.ranking == by_dp.ranking


def agreement(support: np.ndarray, order) -> float:
    """Total support for the pairwise orders a ranking states."""
    order = list(order)
    return float(sum(support[order[i], order[j]] for i in range(len(order)) for j in range(i + 1, len(order))))


def test_kemeny_on_a_thirteen_candidate_cycle_is_optimal():
    rng = np.random.default_rng(2019)
    m = 13
    rotations = [[(start + j) % m for j in range(m)] for start in range(m)]
    noise = [list(rng.permutation(m)) for _ in range(20)]
    weights = [10.0] * m + list(rng.uniform(0.05, 0.45, len(noise)))  # noise < 9 cannot flip a margin >= 10
    profile = Profile.from_rankings(rotations + noise, weights)
    assert len(profile.smith_set()) == m

    result = rules.run("kemeny_young", profile)
    assert result.ranking is not None, "fractional noise should make the optimum unique"
    index = {c: i for i, c in enumerate(profile.candidates)}
    best = [index[c] for (c,) in result.ranking]
    assert result.winners == {profile.candidates[best[0]]}
    value = agreement(profile.support, best)
    note = next(n for n in result.notes if n.startswith("agreement of the optimal ranking: "))
    assert float(note.rsplit(" ", 1)[1]) == pytest.approx(value, rel=1e-5)  # printed with 6 digits

    for _ in range(200):
        assert value >= agreement(profile.support, rng.permutation(m)) - 1e-9
    for name in rules.names():
        ranking = rules.run(name, profile).ranking
        if ranking is not None:
            assert value >= agreement(profile.support, [index[c] for tier in ranking for c in tier]) - 1e-9, name

    # the integer program on the whole cycle agrees with the dynamic program
    value_ip, tops_ip, _, count_ip = kemeny._milp(profile.support, 1e-9)
    assert value_ip == pytest.approx(value)
    assert list(tops_ip) == [best[0]] and count_ip == 1
