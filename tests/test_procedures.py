"""Parliamentary procedures (``tellers.ballots.procedures``).

Hand-worked agenda examples from the literature (Black 1958; Farquharson 1969; Miller 1977),
then differential tests on random complete strict profiles against independent counts
written here: plain recursion over the agenda tree, counting voter by voter from the
ballots, never from ``Profile.support``.
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import pytest

from tellers import Profile
from tellers.ballots import procedures
from tellers.ballots.procedures import reach
from tellers.errors import ProcedureError

ABC = ["A", "B", "C"]
# The Condorcet paradox: A beats B (voters 1, 3), B beats C (1, 2), C beats A (2, 3), each 2-1.
CYCLE = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], candidates=ABC)


def votes(outcome) -> list[tuple]:
    return [(v.put, v.ayes, v.noes, v.result) for v in outcome.rounds]


# ---------------------------------------------------------------- independent counts


class Ballots:
    """Strict complete ballots (candidate indices, best first), counted voter by voter."""

    def __init__(self, rankings) -> None:
        self.place = [{int(c): i for i, c in enumerate(r)} for r in rankings]
        self.pairs: dict[tuple[int, int], int] = {}

    def over(self, x: int, y: int) -> int:
        """Voters who rank x above y."""
        if (x, y) not in self.pairs:
            self.pairs[x, y] = sum(p[x] < p[y] for p in self.place)
        return self.pairs[x, y]

    def wins(self, x: int, y: int) -> bool:
        """x carries against y (a tie is lost)."""
        return self.over(x, y) > self.over(y, x)


def amendment_sincere(b: Ballots, agenda) -> int:
    survivor = agenda[0]
    for x in agenda[1:]:
        survivor = survivor if b.wins(survivor, x) else x  # a tie: the option put later goes on
    return survivor


def amendment_sophisticated(b: Ballots, agenda) -> int:
    @cache
    def outcome(survivor: int, j: int) -> int:  # the node: survivor standing, agenda[j] put next
        if j == len(agenda):
            return survivor
        keep, take = outcome(survivor, j + 1), outcome(agenda[j], j + 1)
        # each voter votes for the branch whose eventual outcome they prefer
        return keep if keep != take and b.wins(keep, take) else take

    return outcome(agenda[0], 1)


def successive_sincere(b: Ballots, agenda) -> int:
    for i, x in enumerate(agenda[:-1]):
        later = agenda[i + 1:]
        ayes = sum(all(p[x] < p[y] for y in later) for p in b.place)  # x their favourite of those left
        noes = sum(any(p[y] < p[x] for y in later) for p in b.place)
        if ayes > noes:
            return x
    return agenda[-1]


def successive_sophisticated(b: Ballots, agenda) -> int:
    def outcome(i: int) -> int:  # what the agenda adopts once agenda[i] is put
        if i == len(agenda) - 1:
            return agenda[i]
        rest = outcome(i + 1)  # a No leads there
        return agenda[i] if b.wins(agenda[i], rest) else rest

    return outcome(0)


ORACLES = {
    ("amendment", "sincere"): amendment_sincere,
    ("amendment", "sophisticated"): amendment_sophisticated,
    ("successive", "sincere"): successive_sincere,
    ("successive", "sophisticated"): successive_sophisticated,
}


def random_cases(count: int, seed: int, parity: int = 1):
    """(profile, ballots, agenda as indices) on complete strict ballots; an odd electorate by
    default (parity 0: even); the agenda a random ordering of a random subset, mostly all."""
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(count):
        k, n = int(rng.integers(3, 7)), 2 * int(rng.integers(1, 13)) + parity
        rankings = np.argsort(rng.random((n, k)), axis=1)
        size = k if rng.random() < 0.6 else int(rng.integers(2, k + 1))
        agenda = tuple(int(x) for x in rng.permutation(k)[:size])
        profile = Profile.from_rankings(rankings, candidates=[f"o{i}" for i in range(k)])
        cases.append((profile, Ballots(rankings), agenda))
    return cases


ODD = random_cases(300, seed=20190327)


# ---------------------------------------------------------------- hand-worked examples


@pytest.mark.parametrize(("agenda", "winner"), [("ABC", "C"), ("BCA", "A"), ("CAB", "B")])
def test_cycle_each_ordering_a_different_sincere_amendment_winner(agenda, winner):
    # ABC: A v B -> A (2-1), A v C -> C (2-1).  BCA: B v C -> B, B v A -> A.  CAB: C v A -> C,
    # C v B -> B. In a three-cycle the first vote's winner always loses to the option put last.
    out = procedures.run("amendment", CYCLE, list(agenda))
    first, last = agenda[0], agenda[2]
    survivor = {"ABC": "A", "BCA": "B", "CAB": "C"}[agenda]
    assert votes(out) == [((first, agenda[1]), 2.0, 1.0, survivor), ((survivor, last), 1.0, 2.0, last)]
    assert out.winners == (winner,) and out.notes == ()


def test_cycle_sophisticated_amendment_by_backward_induction():
    # The last vote is sincere: if A survives, A v C -> C; if B survives, B v C -> B. So the
    # first vote, A v B, is really C against B, and B beats C 2-1: voter 3 (C>A>B) votes A,
    # voter 1 (A>B>C) votes B to avoid C. Sincere agenda ABC adopts C; sophisticated, B.
    out = procedures.run("amendment", CYCLE, ABC, "sophisticated")
    assert out.winners == ("B",)
    assert votes(out) == [(("A", "B"), 1.0, 2.0, "B"), (("B", "C"), 2.0, 1.0, "B")]
    assert [v.weighed for v in out.rounds] == [("C", "B"), None]  # the last vote weighs what is put


def test_cycle_successive_sincere_and_sophisticated():
    # Sincere ABC: A is only voter 1's favourite of A, B, C -> dropped 1-2; B is the favourite
    # of B, C for voters 1 and 2 -> adopted 2-1.
    out = procedures.run("successive", CYCLE, ABC)
    assert out.winners == ("B",)
    assert votes(out) == [(("A",), 1.0, 2.0, "dropped"), (("B",), 2.0, 1.0, "adopted")]
    # Sophisticated: S(C) = C; B beats C, so S(B) = B; A beats B, so a No on A leads to B and
    # voters 1 and 3 (A>B) adopt A at once, 2-1.
    out = procedures.run("successive", CYCLE, ABC, "sophisticated")
    assert out.winners == ("A",)
    assert votes(out) == [(("A",), 2.0, 1.0, "adopted")]


def test_sophisticated_successive_reports_what_members_weighed():
    # The Aye on A leads to A, the No to S(B) = B: members weighed A against B (Vote.weighed).
    out = procedures.run("successive", CYCLE, ABC, "sophisticated")
    assert out.rounds[0].weighed == ("A", "B")


def test_indicative_votes():
    cu, cm, nd = "Customs union", "Common market", "No deal"
    names = [cu, cm, nd]
    # Each option loses 2-3 against the default: nothing carries and No deal stands.
    lost = Profile.from_rankings([[nd, cu, cm], [nd, cu, cm], [cu, cm, nd], [cm, nd, cu], [cu, nd, cm]],
                                 candidates=names)
    out = procedures.run("indicative", lost, [cu, cm], default=nd)
    assert out.winners == (nd,) and out.carried == () and out.default == nd
    assert votes(out) == [((cu,), 2.0, 3.0, "lost"), ((cm,), 2.0, 3.0, "lost")]
    assert "no option carried" in out.notes[0]
    # Both carry (3-2 and 4-1); most Ayes wins: Common market, though Customs union beats it 3-2.
    both = Profile.from_rankings([[cu, cm, nd], [cu, cm, nd], [cm, cu, nd], [nd, cu, cm], [cm, nd, cu]],
                                 candidates=names)
    out = procedures.run("indicative", both, [cu, cm], default=nd)
    assert out.winners == (cm,) and out.carried == (cu, cm)
    assert votes(out) == [((cu,), 3.0, 2.0, "carried"), ((cm,), 4.0, 1.0, "carried")]
    assert both.margins[0, 1] == 1


def test_even_electorate_tie_rule():
    # Two members A>B>C and two B>A>C: A v B ties 2-2.
    even = Profile.from_rankings([[0, 1, 2], [0, 1, 2], [1, 0, 2], [1, 0, 2]], candidates=ABC)
    for voting in procedures.VOTING:
        # Amendment: a tie is lost, so the option put later (B) goes on, then beats C 4-0.
        out = procedures.run("amendment", even, ABC, voting)
        assert votes(out) == [(("A", "B"), 2.0, 2.0, "B"), (("B", "C"), 4.0, 0.0, "B")]
        assert [v.tied for v in out.rounds] == [True, False] and out.winners == ("B",)
        assert any(n.startswith("tie rule") and "tie is lost" in n for n in out.notes)
        assert out.to_dict()["rounds"][0]["tied"] is True
    # Successive: A has 2 Ayes (favourite) and 2 Noes -> dropped on the tie; B then 4-0.
    out = procedures.run("successive", even, ABC)
    assert votes(out) == [(("A",), 2.0, 2.0, "dropped"), (("B",), 4.0, 0.0, "adopted")]
    assert out.rounds[0].tied and out.winners == ("B",)


def test_condorcet_round_robin_with_a_cycle_adopts_nothing():
    out = procedures.run("condorcet", CYCLE)
    assert out.winners == () and out.winner is None
    assert votes(out) == [(("A", "B"), 2.0, 1.0, "A"), (("A", "C"), 1.0, 2.0, "C"), (("B", "C"), 2.0, 1.0, "B")]
    assert "majority cycle" in out.notes[0] and out.notes[0].endswith("Smith set: A, B, C.")
    # Without C, A beats B: a Condorcet winner, no note.
    out = procedures.run("condorcet", CYCLE, ["A", "B"])
    assert out.winners == ("A",) and out.notes == () and out.left_out == ("C",)


@pytest.mark.parametrize(("name", "verb"), [("exhaustive", "eliminated"), ("preferential", "transferred")])
def test_runoff_with_an_elimination(name, verb):
    # 4 A>B>C, 3 B>C>A, 2 C>B>A: no majority (5 of 9 needed); C last goes, its 2 to B: B 5-4.
    p = Profile.from_rankings([[0, 1, 2]] * 4 + [[1, 2, 0]] * 3 + [[2, 1, 0]] * 2, candidates=ABC)
    out = procedures.run(name, p)
    assert [(v.tallies, v.result) for v in out.rounds] == [
        ({"A": 4.0, "B": 3.0, "C": 2.0}, f"{verb}: C"), ({"A": 4.0, "B": 5.0}, "B has a majority")]
    assert out.winners == ("B",) and p.condorcet_winner() == "B"


def test_ties_and_truncation_abstain():
    # A alone (B, C unranked: level with each other); (B=C) > A; B>C>A; C>A>B.
    p = Profile.from_rankings([["A"], [("B", "C"), "A"], ["B", "C", "A"], ["C", "A", "B"]], candidates=ABC)
    # Amendment B, C, A: on B v C the first two abstain, 1-1, a tie: C goes on, and beats A 3-1.
    out = procedures.run("amendment", p, ["B", "C", "A"])
    assert votes(out) == [(("B", "C"), 1.0, 1.0, "C"), (("C", "A"), 3.0, 1.0, "C")] and out.rounds[0].tied
    # Successive: on B, ballot 1 is a No (A above B), ballot 2 abstains (B only ties C for top),
    # 3 Aye, 4 No: dropped 1-2. On C (A left): Noes from ballot 1 only, carried 3-1.
    out = procedures.run("successive", p, ["B", "C", "A"])
    assert votes(out) == [(("B",), 1.0, 2.0, "dropped"), (("C",), 3.0, 1.0, "adopted")]


# ---------------------------------------------------------------- bad input, output shape


def test_bad_input():
    names = ["Customs union", "Common market", "Revoke"]
    p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 1, 0]], candidates=names)
    with pytest.raises(ProcedureError, match="did you mean 'Customs union'"):
        procedures.run("amendment", p, ["Customs unoin", "Revoke"])
    with pytest.raises(ProcedureError, match="'Revoke' more than once"):
        procedures.run("successive", p, ["Revoke", "Common market", "Revoke"])
    with pytest.raises(ProcedureError, match="complete"):
        procedures.run("amendment", Profile(p.ranks, p.weights, names, partial=True))
    with pytest.raises(ProcedureError, match="sophisticated"):
        procedures.run("indicative", p, ["Revoke"], "sophisticated", default="Customs union")
    with pytest.raises(ProcedureError, match="--default"):
        procedures.run("indicative", p, ["Revoke"])
    with pytest.raises(ProcedureError, match="leave it out"):
        procedures.run("indicative", p, ["Revoke", "Customs union"], default="Customs union")
    with pytest.raises(ProcedureError, match="--default applies"):
        procedures.run("amendment", p, default="Revoke")
    with pytest.raises(ProcedureError, match="unknown procedure"):
        procedures.run("plurality", p)
    with pytest.raises(ProcedureError, match="unknown voting"):
        procedures.run("amendment", p, voting="strategic")
    with pytest.raises(ProcedureError, match="no option"):
        procedures.run("amendment", p, [])
    # an agenda may leave options out; they are listed; names match in any case
    out = procedures.run("amendment", p, ["revoke", "Common market"])
    assert out.left_out == ("Customs union",) and out.agenda == ("Revoke", "Common market")


def test_reach_refuses_more_than_eight_enumerated_options():
    rng = np.random.default_rng(9)
    p = Profile.from_rankings(np.argsort(rng.random((51, 9)), axis=1))
    with pytest.raises(ProcedureError, match=r"up to 8 options .*this agenda has 9"):
        reach.reach(procedures.motion(p, procedure_name="successive"), "successive")
    # amendment on a tournament needs no enumeration: the theorem answers for 9 options
    found = reach.reach(procedures.motion(p), "amendment")
    assert set(p.names(found.reachable)) == set(p.smith_set()) and "Miller" in found.method


def test_outcome_to_dict_keys():
    base = {"procedure", "voting", "agenda", "winner", "winners", "rounds", "left_out"}
    out = procedures.run("amendment", CYCLE, ABC, "sophisticated")
    doc = out.to_dict()
    assert set(doc) == base and doc["left_out"] == []
    assert [set(v) for v in doc["rounds"]] == [{"put", "ayes", "noes", "result", "weighed"},
                                               {"put", "ayes", "noes", "result"}]
    assert set(procedures.run("condorcet", CYCLE).to_dict()) == base | {"notes"}
    doc = procedures.run("indicative", CYCLE, ["A"], default="B").to_dict()
    assert set(doc) == base | {"default", "carried"} and doc["left_out"] == ["C"] and doc["carried"] == ["A"]
    doc = procedures.run("preferential", CYCLE).to_dict()
    assert set(doc["rounds"][0]) == {"put", "ayes", "noes", "result", "tallies"}


# ---------------------------------------------------------------- against the independent counts


@pytest.mark.parametrize(("procedure", "voting"), list(ORACLES))
def test_agenda_outcome_matches_independent_count(procedure, voting):
    oracle = ORACLES[procedure, voting]
    for profile, ballots, agenda in ODD:
        out = procedures.run(procedure, profile, profile.names(agenda), voting)
        assert out.winners == (profile.candidates[oracle(ballots, agenda)],), (profile.ranks, agenda)
        if voting == "sincere" and procedure == "amendment":  # every round's figures, from the ballots
            for v in out.rounds:
                x, y = (profile.index(c) for c in v.put)
                assert (v.ayes, v.noes) == (ballots.over(x, y), ballots.over(y, x))


def enumerated(oracle, ballots, agenda) -> set[int]:
    return {oracle(ballots, order) for order in itertools.permutations(agenda)}


@pytest.mark.parametrize(("procedure", "voting"), list(ORACLES))
def test_reach_matches_enumeration(procedure, voting):
    oracle = ORACLES[procedure, voting]
    for profile, ballots, agenda in ODD[:100]:
        found = reach.reach(procedures.motion(profile, profile.names(agenda), voting, procedure_name=procedure),
                            procedure)
        assert set(found.reachable) == enumerated(oracle, ballots, agenda), (profile.ranks, agenda)
        for x, order in found.agendas.items():  # each reported agenda really adopts its option
            assert sorted(order) == sorted(agenda) and oracle(ballots, order) == x
        if procedure == "amendment" and voting == "sincere":  # Miller: the top cycle
            assert set(profile.names(found.reachable)) == set(profile.restrict(agenda).smith_set())


@pytest.mark.parametrize("voting", procedures.VOTING)
def test_amendment_reach_with_majority_ties_enumerates(voting):
    oracle, tried = ORACLES["amendment", voting], 0
    for profile, ballots, agenda in random_cases(120, seed=2, parity=0):
        found = reach.reach(procedures.motion(profile, profile.names(agenda), voting), "amendment")
        assert set(found.reachable) == enumerated(oracle, ballots, agenda)
        assert all(oracle(ballots, order) == x for x, order in found.agendas.items())
        tried += found.method.startswith("every ordering")
    assert tried > 20  # the enumeration path, not only the theorems


def test_condorcet_winner_on_the_agenda_is_adopted():
    rng, checked = np.random.default_rng(5), 0
    for profile, _, _ in ODD:
        winner = profile.condorcet_winner()
        if winner is None:
            continue
        others = [c for c in profile.candidates if c != winner]
        agenda = list(rng.permutation(others)[:int(rng.integers(1, len(others) + 1))]) + [winner]
        agenda = list(rng.permutation(agenda))
        for procedure, voting in [("amendment", "sincere"), ("amendment", "sophisticated"),
                                  ("successive", "sophisticated")]:
            assert procedures.run(procedure, profile, agenda, voting).winners == (winner,)
        checked += 1
    assert checked > 100


def test_fractional_weights_tie_within_float_noise():
    # A>B>C 0.1, A>C>B 0.2, B>C>A 0.3: A v B is 0.1+0.2 against 0.3, which floats make 0.30000000000000004
    # against 0.3. That is a tie (as with weights 1, 2, 3), so the question is lost and B goes on.
    p = Profile.from_rankings([[0, 1, 2], [0, 2, 1], [1, 2, 0]], [0.1, 0.2, 0.3], candidates=ABC)
    out = procedures.run("amendment", p, ["A", "B"])
    assert out.winner == "B" and out.rounds[0].tied
    assert out.rounds[0].to_dict()["ayes"] == 0.3  # shown without the float noise


def test_an_enumerated_agenda_adopts_its_option_under_fractional_weights():
    # reviewer's case: the agenda reach reports must adopt its option when run
    ranks = [[0, 0, 0, 0], [2, 3, 1, 0], [2, 1, 3, 0], [2, 0, 0, 1], [2, 0, 2, 1], [3, 0, 2, 1], [1, 1, 0, 2], [1, 0, 1, 2]]
    p = Profile(np.array(ranks), [0.51, 0.93, 0.03, 0.11, 0.32, 0.08, 0.31, 0.39], ["o0", "o1", "o2", "o3"])
    for voting in procedures.VOTING:
        found = reach.reach(procedures.motion(p, None, voting, None, "successive"), "successive")
        for option, agenda in found.agendas.items():
            assert procedures.run("successive", p, [p.candidates[i] for i in agenda], voting).winner == p.candidates[option]


def test_truncated_ballots_are_counted_with_a_note_and_names_resolved_exactly():
    p = Profile.from_rankings([["A"], ["B", "C"], ["C", "A", "B"]], candidates=ABC)
    assert "weight 2 leave some of these options unranked" in procedures.run("amendment", p).notes[-1]
    twins = Profile.from_rankings([[0, 1], [1, 0], [0, 1]], candidates=["Deal", "deal"])
    assert procedures.run("amendment", twins, ["deal", "Deal"]).winner == "Deal"
    with pytest.raises(ProcedureError, match="differ only in case"):
        procedures.run("amendment", twins, ["DEAL", "Deal"])
