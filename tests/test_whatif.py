"""What it would take: the fewest vote (or ballot) changes, checked by counting independently."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tellers.views.cli import app
from tellers.parliament.coalitions.ballot_changes import fewest_ballot_changes, whatif_options
from tellers.parliament.coalitions.whatif import WhatIfError, flip_division, whatif_division
from tellers.parliament.house import StoreHouse
from tellers.records.model import Division, VoteKind
from tellers.parliament.options import Option
from tellers.records.patterns import KINDS, VotingPatterns
from tellers.parliament.preferences import revealed_profile
from tellers.records.readers import load_records
from tellers.records.store import Store

runner = CliRunner()
CANNOT_VOTE = {"John Bercow", "Sir Lindsay Hoyle", "Dame Eleanor Laing", "Dame Rosie Winterton"}


# ---------------------------------------------------------------------- the real records


@pytest.fixture(scope="module")
def records(shared_data):
    return load_records(shared_data / "commons-2019-brexit")


@pytest.fixture(scope="module")
def db(records, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("whatif") / "commons.duckdb"
    with Store(path) as store:
        store.import_records(records)
    return path


@pytest.fixture
def house(db):
    h = StoreHouse(db)
    yield h
    h.close()


def independent_fewest_to_pass(records, division: str) -> tuple[int, int, int]:
    """(ayes, noes, fewest changes) for a failed motion to pass, from the votes alone.

    No -> Aye gains 2 on the margin, Not voting -> Aye or No -> Not voting 1; the motion
    needs more Ayes than Noes. Take the largest gains first until the margin is won.
    """
    votes = [v for r in records for v in r.votes if v.division_id == division]
    ayes = sum(v.kind is VoteKind.AYE for v in votes)
    noes = sum(v.kind is VoteKind.NO for v in votes)
    gains = [2] * noes + [1] * sum(v.kind is VoteKind.NO_VOTE for v in votes)
    needed, k = noes - ayes + 1, 0
    while needed > 0:
        needed -= gains[k]
        k += 1
    return ayes, noes, k


@pytest.mark.parametrize("division", ["666", "667", "668", "669"])
def test_fewest_changes_for_each_motion_of_1_april_to_pass(records, house, division):
    ayes, noes, fewest = independent_fewest_to_pass(records, division)
    flip = whatif_division(house, division)
    assert (flip.ayes, flip.noes, flip.passed) == (ayes, noes, False)
    assert flip.fewest_changes == fewest == len(flip.changes)
    assert {"666": 2, "667": 11, "668": 7, "669": 51}[division] == fewest
    # the changes, applied to the recorded votes, pass the motion
    by_name = {m.id: m.name for r in records for m in r.members}
    recorded = {by_name[v.member_id]: v.kind.value for r in records for v in r.votes if v.division_id == division}
    for c in flip.changes:
        assert recorded[c.member] == c.from_ and c.to in ("aye", "no_vote") and c.member not in CANNOT_VOTE
        recorded[c.member] = c.to
    after = list(recorded.values())
    assert after.count("aye") > after.count("no")
    assert (flip.ayes_after, flip.noes_after) == (after.count("aye"), after.count("no"))
    assert all(c.reason for c in flip.changes)


def test_the_closest_members_are_chosen_with_their_reasons(house):
    flip = whatif_division(house, "666")
    # both changes are Conservatives who backed a customs union on 27 March (division 658)
    assert all("Customs union on 27 Mar 2019 (658)" in c.reason for c in flip.changes)
    assert [c.from_ for c in flip.changes] == ["no", "no"]


@pytest.mark.parametrize(("division", "fewest"), [("581", 4), ("582", 8), ("628", 22)])
def test_a_motion_that_passed_needs_ayes_not_above_noes(house, division, fewest):
    flip = whatif_division(house, division)
    assert flip.passed
    assert flip.fewest_changes == fewest == -(-(flip.ayes - flip.noes) // 2)  # a tie defeats it
    assert flip.ayes_after <= flip.noes_after


# ---------------------------------------------------------------------- tiny houses against brute force

CODES = [KINDS.index(k) for k in (VoteKind.AYE, VoteKind.NO, VoteKind.NO_VOTE)]
AYE, NO, NO_VOTE = CODES


def table(rows: list[tuple[int, ...]], parties: list[str] | None = None) -> VotingPatterns:
    """One member per row, named m0, m1, ..."""
    names = [f"m{i}" for i in range(len(rows))]
    parties = parties or ["Party"] * len(rows)
    divisions = [f"d{j}" for j in range(len(rows[0]))]
    return VotingPatterns.from_members(divisions, names, parties, np.array(rows, dtype=np.int8).reshape(len(rows), -1))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(CODES), min_size=1, max_size=7))
def test_flipping_a_division_agrees_with_brute_force(votes):
    division = Division("d0", "Commons", None, "test")
    ayes, noes = votes.count(AYE), votes.count(NO)
    passed = ayes > noes
    best = None
    for new in itertools.product(CODES, repeat=len(votes)):
        a, n = new.count(AYE), new.count(NO)
        if (a > n) != passed:
            changed = sum(x != y for x, y in zip(votes, new))
            best = changed if best is None else min(best, changed)
    if best is None:
        with pytest.raises(WhatIfError):
            flip_division(table([(v,) for v in votes]), division)
        return
    flip = flip_division(table([(v,) for v in votes]), division)
    assert flip.fewest_changes == best
    assert (flip.ayes_after > flip.noes_after) != passed


def ballot_brute_force(rows: list[tuple[int, ...]], winner: int) -> int | None:
    """Fewest members whose ballots (any Aye / No / no vote on each option) must change."""
    m = len(rows[0])
    ballots = list(itertools.product(CODES, repeat=m))

    def wins(current: list[tuple[int, ...]]) -> bool:
        for r in range(m):
            if r == winner:
                continue
            margin = sum((b[winner] == AYE and b[r] == NO) - (b[winner] == NO and b[r] == AYE) for b in current)
            if margin < 1:
                return False
        return True

    for k in range(len(rows) + 1):
        for who in itertools.combinations(range(len(rows)), k):
            for new in itertools.product(ballots, repeat=k):
                current = list(rows)
                for i, b in zip(who, new):
                    current[i] = b
                if wins(current):
                    return k
    return None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(*[st.sampled_from(CODES)] * 3), min_size=1, max_size=4), st.integers(0, 2))
def test_ballot_changes_agree_with_brute_force(rows, winner):
    options = [Option(f"d{j}", f"option {j}", (f"d{j}",)) for j in range(3)]
    expected = ballot_brute_force(rows, winner)
    flip = fewest_ballot_changes(table(rows), options, [o.id for o in options], winner)
    assert flip.fewest_changes == expected
    assert all(v > 0 for v in flip.margins_after.values())


# ---------------------------------------------------------------------- head to head on the real records


def recount(patterns: VotingPatterns, options, divisions, changes) -> np.ndarray:
    """The margins after the changes, counted by revealed_profile from the changed patterns."""
    names = [n for members in patterns.members for n in members]
    rows = np.repeat(np.arange(len(patterns.parties)), patterns.counts)
    codes = patterns.codes[rows].copy()
    index = {n: i for i, n in enumerate(names)}
    code = {"aye": AYE, "no": NO, "no_vote": NO_VOTE}
    labels = [o.label for o in options]
    for c in changes:
        codes[index[c.member]] = [code[c.after[label]] for label in labels]
    changed = VotingPatterns.from_members(patterns.divisions, names, [patterns.parties[r] for r in rows], codes)
    return revealed_profile(changed, options, divisions).margins


def test_common_market_over_customs_union_on_1_april(house):
    flip = whatif_options(house, "667,666", "667", ["666"])
    assert flip.margins_before == {"Customs union": -10}
    # each changed ballot moves the margin by at most 2: 11 needed, so at least 6 members
    assert flip.fewest_changes == 6
    assert flip.margins_after["Customs union"] >= 1
    patterns = house.voting_patterns(["667", "666"])
    options = [Option("667", "Common Market 2.0", ("667",)), Option("666", "Customs union", ("666",))]
    assert recount(patterns, options, ["667", "666"], flip.changes)[0, 1] == flip.margins_after["Customs union"]


@pytest.mark.parametrize(("winner", "fewest"), [("common_market_2", 10), ("customs_union", 0), ("confirmatory_vote_m", 9)])
def test_condorcet_winner_among_the_options_of_27_march(house, winner, fewest):
    q = house.catalogue.questions["27mar"]
    flip = whatif_options(house, list(q.options), winner, None, "earliest")
    # lower bound, independently: a changed ballot gains at most 2 on each rival
    bound = max(max(0, -(-(1 - m) // 2)) for m in flip.margins_before.values())
    assert flip.fewest_changes == fewest >= bound
    assert all(v >= 1 for v in flip.margins_after.values())
    ids = [house.catalogue.options[o].divisions[0] for o in q.options]
    options = [Option(d, house.catalogue.options[o].label, (d,)) for o, d in zip(q.options, ids)]
    margins = recount(house.voting_patterns(ids), options, ids, flip.changes)
    w = [o.label for o in options].index(flip.winner)
    assert all(margins[w, j] >= 1 for j in range(len(ids)) if j != w)
    assert not any(c.member in CANNOT_VOTE for c in flip.changes)


# ---------------------------------------------------------------------- CLI


def test_cli_whatif_json(db):
    result = runner.invoke(app, ["whatif", "668", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {k: doc[k] for k in ("division", "ayes", "noes", "passed", "fewest_changes")} == {
        "division": "668", "ayes": 280, "noes": 292, "passed": False, "fewest_changes": 7,
    }
    assert set(doc["changes"][0]) == {"member", "party", "from", "to", "reason"}


def test_cli_whatif_offline_without_names():
    result = runner.invoke(app, ["whatif", "666"])
    assert result.exit_code == 0, result.output
    assert "Fewest members whose votes must change: 2" in " ".join(result.output.split())


def test_cli_whatif_beat_and_condorcet(db):
    result = runner.invoke(app, ["whatif", "--beat", "667,666", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["fewest_changes"] == 6
    result = runner.invoke(app, ["whatif", "--condorcet", "656", "--options", "655,657,658,659,660,661,662", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Fewest members whose ballots must change: 10" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [([], "give one of"), (["666", "--beat", "666,667"], "give one of"), (["--beat", "666"], "two options"),
     (["--condorcet", "666"], "needs --options"), (["--beat", "666,nonsense"], "nonsense")],
)
def test_cli_whatif_errors(args, message):
    result = runner.invoke(app, ["whatif", *args])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.stderr.split())
