"""The head-to-head analysis on the real 2019 Commons records, proved by counting independently.

Over 400 lines on purpose: every test leans on the one independent counter at the top.

The helper at the top reads ``shared/data/commons-2019-brexit`` with the csv module alone
(the long CSV, one row per member and division, plus ``tellers.csv``: tellers are ``NA`` in
the long CSV and count for the side they told for) and counts each pair of options with
plain loops over members. Its figures, checked once by a second method (a DuckDB query over
the same two files), are written below literally; tellers' ``analyse_majority`` must give
the same ones, both from the member-level records and from the bundled aggregate table.

Tables are keyed by option id (not label) and list pairs in the question's option order:
``(x, y): (prefer x to y, prefer y to x, voted the same way on both, unknown)``.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tellers.ballots import rules
from tellers.parliament.head_to_head import MajorityAnalysis, PairwiseCount, analyse_majority
from tellers.parliament.cases import COMMONS_2019, Case, case_from_records, load_case
from tellers.parliament.catalogue import Catalogue, load_catalogue
from tellers.errors import TellersError
from tellers.records.model import VoteKind
from tellers.records.patterns import KINDS
from tellers.parliament.options import choose_division
from tellers.parliament.preferences import revealed_profile
from tellers.records.readers import load_records

BREXIT = "commons-2019-brexit"
HOUSE = 650
ALIASES = {"Labour (Co-op)": "Labour", "Labour/Co-operative": "Labour", "Sinn F?in": "Sinn Féin", "Sinn Fein": "Sinn Féin"}
"""The catalogue's party_aliases, written out here so the independent count does not read them."""
Counts = dict[tuple[str, str], tuple[int, int, int, int]]
"""(x, y) -> (prefer x to y, prefer y to x, voted the same way on both, unknown)."""


# ---------------------------------------------------------------------- independent count
@dataclass(frozen=True)
class Commons:
    """Each member's party (as the long CSV gives it) and position in each division.

    Positions are named as in the aggregate table: aye, no, no_vote (``NA``), and
    teller_aye / teller_no for the tellers listed in tellers.csv.
    """

    party: dict[str, str]
    votes: dict[str, dict[str, str]]


def read_commons(folder: Path) -> Commons:
    party: dict[str, str] = {}
    votes: dict[str, dict[str, str]] = {}
    long_votes = {"aye": "aye", "no": "no", "NA": "no_vote"}
    with open(folder / "brexit_parliament.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            member, division = row["member_id"], row["vote_uin"].split(":")[-1]
            party[member] = row["member_party"]
            assert division not in votes.setdefault(member, {}), (member, division)
            votes[member][division] = long_votes[row["vote"]]
    with open(folder / "tellers.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            member, division = row["member_id"], row["division_id"]
            assert votes[member][division] == "no_vote", (member, division)
            votes[member][division] = {"aye": "teller_aye", "no": "teller_no"}[row["side"]]
    assert len(votes) == HOUSE and all(len(v) == 23 for v in votes.values())
    return Commons(party, votes)


def lobby(position: str) -> str | None:
    """The side a member voted or told for, or None."""
    return {"aye": "aye", "teller_aye": "aye", "no": "no", "teller_no": "no"}.get(position)


def head_to_head(commons: Commons, dx: str, dy: str, party: str | None = None) -> tuple[int, int, int, int]:
    """(prefer x to y, prefer y to x, same way on both, unknown) for the motions in divisions dx, dy."""
    x_over_y = y_over_x = same = unknown = 0
    for member, votes in commons.votes.items():
        if party is not None and ALIASES.get(commons.party[member], commons.party[member]) != party:
            continue
        x, y = lobby(votes[dx]), lobby(votes[dy])
        if x == "aye" and y == "no":
            x_over_y += 1
        elif x == "no" and y == "aye":
            y_over_x += 1
        elif x is not None and x == y:
            same += 1
        else:
            unknown += 1
    return x_over_y, y_over_x, same, unknown


def majority_facts(table: Counts) -> tuple[str | None, str | None, set[str]]:
    """Condorcet winner, Condorcet loser and Smith set of a pairwise table, by brute force."""
    options = list(dict.fromkeys(o for pair in table for o in pair))
    beats = {(x, y) for (x, y), (xy, yx, _, _) in table.items() if xy > yx}
    beats |= {(y, x) for (x, y), (xy, yx, _, _) in table.items() if yx > xy}
    winner = next((x for x in options if all((x, y) in beats for y in options if y != x)), None)
    loser = next((x for x in options if all((y, x) in beats for y in options if y != x)), None)
    smith = next(
        set(group)
        for size in range(1, len(options) + 1)
        for group in itertools.combinations(options, size)
        if all((s, o) in beats for s in group for o in options if o not in group)
    )
    return winner, loser, smith


# ---------------------------------------------------------------------- the figures
APRIL_1 = {"customs_union": "666", "common_market_2": "667", "confirmatory_vote_e": "668",
           "parliamentary_supremacy": "669", "withdrawal_agreement": "664"}  # fmt: skip
APRIL_1_PAIRS = {
    ("customs_union", "common_market_2"): (25, 15, 461, 149),
    ("customs_union", "confirmatory_vote_e"): (43, 29, 448, 130),
    ("customs_union", "parliamentary_supremacy"): (37, 25, 367, 221),
    ("customs_union", "withdrawal_agreement"): (229, 207, 110, 104),
    ("common_market_2", "confirmatory_vote_e"): (29, 27, 463, 131),
    ("common_market_2", "parliamentary_supremacy"): (26, 25, 383, 216),
    ("common_market_2", "withdrawal_agreement"): (226, 205, 109, 110),
    ("confirmatory_vote_e", "parliamentary_supremacy"): (6, 0, 466, 178),
    ("confirmatory_vote_e", "withdrawal_agreement"): (268, 231, 69, 82),
    ("parliamentary_supremacy", "withdrawal_agreement"): (182, 237, 61, 170),
}

MARCH_27 = {"no_deal": "655", "common_market_2": "656", "efta_eea": "657", "customs_union": "658",
            "labour_plan": "659", "revocation_no_deal": "660", "confirmatory_vote_m": "661",
            "preferential_arrangements": "662"}  # fmt: skip
MARCH_27_PAIRS = {
    ("no_deal", "common_market_2"): (155, 181, 107, 207),
    ("no_deal", "efta_eea"): (138, 39, 239, 234),
    ("no_deal", "customs_union"): (159, 260, 77, 154),
    ("no_deal", "labour_plan"): (158, 233, 113, 146),
    ("no_deal", "revocation_no_deal"): (160, 184, 93, 213),
    ("no_deal", "confirmatory_vote_m"): (159, 265, 99, 127),
    ("no_deal", "preferential_arrangements"): (39, 7, 488, 116),
    ("common_market_2", "efta_eea"): (53, 27, 283, 287),
    ("common_market_2", "customs_union"): (14, 32, 413, 191),
    ("common_market_2", "labour_plan"): (35, 33, 390, 192),
    ("common_market_2", "revocation_no_deal"): (34, 41, 298, 277),
    ("common_market_2", "confirmatory_vote_m"): (33, 42, 364, 211),
    ("common_market_2", "preferential_arrangements"): (176, 122, 140, 212),
    ("efta_eea", "customs_union"): (39, 116, 240, 255),
    ("efta_eea", "labour_plan"): (59, 117, 223, 251),
    ("efta_eea", "revocation_no_deal"): (52, 140, 216, 242),
    ("efta_eea", "confirmatory_vote_m"): (49, 160, 214, 227),
    ("efta_eea", "preferential_arrangements"): (41, 109, 264, 236),
    ("customs_union", "labour_plan"): (32, 6, 491, 121),
    ("customs_union", "revocation_no_deal"): (33, 19, 360, 238),
    ("customs_union", "confirmatory_vote_m"): (39, 22, 439, 150),
    ("customs_union", "preferential_arrangements"): (253, 136, 113, 148),
    ("labour_plan", "revocation_no_deal"): (18, 26, 378, 228),
    ("labour_plan", "confirmatory_vote_m"): (25, 25, 458, 142),
    ("labour_plan", "preferential_arrangements"): (229, 136, 142, 143),
    ("revocation_no_deal", "confirmatory_vote_m"): (2, 7, 454, 187),
    ("revocation_no_deal", "preferential_arrangements"): (179, 137, 127, 207),
    ("confirmatory_vote_m", "preferential_arrangements"): (261, 136, 127, 126),
}

# The 1 April set with tested="earliest": customs union and CM2.0 as first put on 27 March,
# the Withdrawal Agreement as first put (MV1, 15 January, with its four tellers).
EARLIEST = {**APRIL_1, "customs_union": "658", "common_market_2": "656", "withdrawal_agreement": "562"}
EARLIEST_PAIRS = {
    ("customs_union", "common_market_2"): (32, 14, 413, 191),
    ("customs_union", "confirmatory_vote_e"): (35, 25, 444, 146),
    ("customs_union", "parliamentary_supremacy"): (30, 18, 366, 236),
    ("customs_union", "withdrawal_agreement"): (230, 128, 178, 114),
    ("common_market_2", "confirmatory_vote_e"): (30, 45, 367, 208),
    ("common_market_2", "parliamentary_supremacy"): (30, 41, 299, 280),
    ("common_market_2", "withdrawal_agreement"): (152, 122, 198, 178),
    ("confirmatory_vote_e", "parliamentary_supremacy"): (6, 0, 466, 178),
    ("confirmatory_vote_e", "withdrawal_agreement"): (270, 150, 152, 78),
    ("parliamentary_supremacy", "withdrawal_agreement"): (184, 156, 143, 167),
}

# Customs union (666) against the Withdrawal Agreement (MV3, 664), party by party.
CU_WA_BY_PARTY = {
    "Conservative": (0, 205, 67, 41),
    "Labour": (225, 1, 12, 8),
    "Scottish National Party": (0, 0, 0, 35),
    "Independent": (3, 1, 15, 3),
    "Liberal Democrat": (1, 0, 5, 5),
    "Democratic Unionist Party": (0, 0, 10, 0),
    "Sinn Féin": (0, 0, 0, 7),
    "Plaid Cymru": (0, 0, 0, 4),
    "Green Party": (0, 0, 1, 0),
    "Speaker": (0, 0, 0, 1),
}

ALL_DIVISIONS = ("562", "576", "577", "578", "579", "580", "581", "582", "623", "628", "655", "656",
                 "657", "658", "659", "660", "661", "662", "664", "666", "667", "668", "669")  # fmt: skip
TOLD = {"562", "623", "628", "664"}
"""The divisions whose tellers are known (two a side)."""


# ---------------------------------------------------------------------- fixtures and helpers
@pytest.fixture(scope="module")
def commons(shared_data: Path) -> Commons:
    return read_commons(shared_data / BREXIT)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(COMMONS_2019 / "options.toml")


@pytest.fixture(scope="module")
def records_case(shared_data: Path, catalogue: Catalogue) -> Case:
    return case_from_records(load_records(shared_data / BREXIT), catalogue, "member-level records")


@pytest.fixture(scope="module", params=["records", "bundled"])
def case(request: pytest.FixtureRequest) -> Case:
    """The case from the member-level records (needs shared data), then the bundled aggregate."""
    return request.getfixturevalue("records_case") if request.param == "records" else load_case()


def analyse(case: Case, question: str, tested: str | dict[str, str] | None = None) -> MajorityAnalysis:
    q = case.catalogue.questions[question]
    return analyse_majority(
        case.patterns,
        [case.catalogue.option(key) for key in q.options],
        case.divisions,
        tested=q.tested if tested is None else tested,
        party_aliases=case.catalogue.party_aliases,
    )


def by_id(analysis: MajorityAnalysis, counts: tuple[PairwiseCount, ...]) -> Counts:
    """Pairwise counts keyed by option ids."""
    id_of = {o.label: o.option.id for o in analysis.options}
    return {(id_of[p.x], id_of[p.y]): (p.x_over_y, p.y_over_x, p.same, p.unknown) for p in counts}


def chosen(analysis: MajorityAnalysis) -> dict[str, str]:
    return {o.option.id: o.division.id for o in analysis.options}


def assert_independent_count(commons: Commons, divisions: dict[str, str], table: Counts) -> None:
    assert list(table) == list(itertools.combinations(divisions, 2))
    for (x, y), expected in table.items():
        assert head_to_head(commons, divisions[x], divisions[y]) == expected, (x, y)
        assert sum(expected) == HOUSE


def assert_majority(analysis: MajorityAnalysis, table: Counts, winner: str, loser: str) -> None:
    """The analysis agrees with the table's own Condorcet winner, loser and Smith set."""
    label = {o.option.id: o.label for o in analysis.options}
    assert majority_facts(table) == (winner, loser, {winner})
    assert analysis.condorcet_winner == label[winner]
    assert analysis.condorcet_loser == label[loser]
    assert analysis.smith_set == (label[winner],)
    assert analysis.cycle is None
    assert analysis.members == HOUSE
    partial_rules = {name for name in rules.names() if rules.info(name).partial}
    assert set(analysis.results) == partial_rules and set(analysis.skipped) == set(rules.names()) - partial_rules
    assert {name: r.winners for name, r in analysis.results.items()} == {
        name: frozenset({label[winner]}) for name in partial_rules
    }


# ---------------------------------------------------------------------- 1. 1 April and MV3
def test_independent_count_1_april(commons):
    assert_independent_count(commons, APRIL_1, APRIL_1_PAIRS)


def test_analysis_1_april(case):
    assert case.catalogue.questions["1apr"].options == tuple(APRIL_1)
    a = analyse(case, "1apr")
    assert chosen(a) == APRIL_1
    assert by_id(a, a.pairwise) == APRIL_1_PAIRS
    assert_majority(a, APRIL_1_PAIRS, winner="customs_union", loser="parliamentary_supremacy")


def test_records_and_bundled_give_the_same_analysis(records_case):
    bundled = load_case()
    for question in ("1apr", "27mar"):
        mine, theirs = analyse(records_case, question), analyse(bundled, question)
        for field in ("options", "members", "pairwise", "condorcet_winner", "condorcet_loser", "smith_set",
                      "cycle", "description", "results", "skipped", "party_sizes", "by_party"):  # fmt: skip
            assert getattr(mine, field) == getattr(theirs, field), (question, field)


# ---------------------------------------------------------------------- 2. 27 March
def test_independent_count_27_march(commons):
    assert_independent_count(commons, MARCH_27, MARCH_27_PAIRS)


def test_analysis_27_march(case):
    q = case.catalogue.questions["27mar"]
    assert q.options == tuple(MARCH_27) and q.tested == "earliest"
    a = analyse(case, "27mar")
    assert chosen(a) == MARCH_27  # CM2.0 and customs union as first put, not on 1 April
    assert by_id(a, a.pairwise) == MARCH_27_PAIRS
    assert_majority(a, MARCH_27_PAIRS, winner="customs_union", loser="efta_eea")


# ---------------------------------------------------------------------- 3. by party
def test_party_breakdown_customs_union_against_the_withdrawal_agreement(case, catalogue):
    assert catalogue.party_aliases == ALIASES
    a = analyse(case, "1apr")
    assert a.party_sizes == {party: sum(counts) for party, counts in CU_WA_BY_PARTY.items()}
    assert a.party_sizes["Labour"] == 246  # 213 Labour and 33 Labour (Co-op)
    by_party = {party: by_id(a, pairs)["customs_union", "withdrawal_agreement"] for party, pairs in a.by_party.items()}
    assert by_party == CU_WA_BY_PARTY


def test_party_breakdown_matches_the_independent_count(commons, records_case):
    a = analyse(records_case, "1apr")
    for x, y in itertools.combinations(APRIL_1, 2):
        theirs = {party: by_id(a, pairs)[x, y] for party, pairs in a.by_party.items()}
        assert theirs == {party: head_to_head(commons, APRIL_1[x], APRIL_1[y], party) for party in theirs}, (x, y)
    assert {party: head_to_head(commons, "666", "664", party) for party in CU_WA_BY_PARTY} == CU_WA_BY_PARTY


@pytest.mark.parametrize("question", ["1apr", "27mar"])
def test_parties_sum_to_the_house(case, question):
    a = analyse(case, question)
    house = by_id(a, a.pairwise)
    parties = [by_id(a, pairs) for pairs in a.by_party.values()]
    assert sum(a.party_sizes.values()) == HOUSE
    for pair, counts in house.items():
        assert tuple(np.sum([p[pair] for p in parties], axis=0)) == counts, pair


# ---------------------------------------------------------------------- 4. the bundled table
def test_bundled_table_equals_the_member_level_records(records_case):
    bundled, records = load_case(), records_case
    assert bundled.patterns.divisions == records.patterns.divisions == ALL_DIVISIONS
    assert bundled.patterns.parties == records.patterns.parties
    assert np.array_equal(bundled.patterns.codes, records.patterns.codes)
    assert np.array_equal(bundled.patterns.counts, records.patterns.counts)
    assert bundled.patterns.num_members == HOUSE and len(bundled.patterns.counts) == 241  # 252 rows before Labour (Co-op) merges into Labour
    assert bundled.divisions == records.divisions  # dates, numbers, titles, official totals


def test_bundled_table_equals_the_independent_reading(commons):
    table = load_case().patterns
    rows = {
        (party, tuple(KINDS[c].value for c in codes)): int(n)
        for party, codes, n in zip(table.parties, table.codes, table.counts)
    }
    assert len(rows) == len(table.counts)  # one row per (party, pattern)
    mine: dict[tuple[str, tuple[str, ...]], int] = {}
    for member, votes in commons.votes.items():
        key = (ALIASES.get(commons.party[member], commons.party[member]), tuple(votes[d] for d in ALL_DIVISIONS))
        mine[key] = mine.get(key, 0) + 1
    assert rows == mine


def test_bundled_tallies_equal_the_official_totals(shared_data):
    with open(shared_data / BREXIT / "divisions.csv", newline="", encoding="utf-8") as f:
        official = {row["division_id"]: (int(row["ayes"]), int(row["noes"])) for row in csv.DictReader(f)}
    case = load_case()
    assert tuple(official) == ALL_DIVISIONS
    for d, (ayes, noes) in official.items():
        assert (case.patterns.tally(d, VoteKind.AYE), case.patterns.tally(d, VoteKind.NO)) == (ayes, noes), d
        assert (case.divisions[d].ayes, case.divisions[d].noes) == (ayes, noes), d
        tellers = (case.patterns.tally(d, VoteKind.TELLER_AYE), case.patterns.tally(d, VoteKind.TELLER_NO))
        assert tellers == ((2, 2) if d in TOLD else (0, 0)), d
    assert official["666"] == (273, 276) and official["664"] == (286, 344)


# ---------------------------------------------------------------------- 5. which division counts
def test_independent_count_earliest(commons):
    assert_independent_count(commons, EARLIEST, EARLIEST_PAIRS)


def test_earliest_divisions_change_the_counts(case):
    a = analyse(case, "1apr", tested="earliest")
    assert chosen(a) == EARLIEST
    assert by_id(a, a.pairwise) == EARLIEST_PAIRS
    # Only the pairs that involve a re-chosen division change.
    changed = {pair for pair in APRIL_1_PAIRS if APRIL_1_PAIRS[pair] != EARLIEST_PAIRS[pair]}
    assert changed == {pair for pair in APRIL_1_PAIRS if {APRIL_1[o] for o in pair} != {EARLIEST[o] for o in pair}}
    assert_majority(a, EARLIEST_PAIRS, winner="customs_union", loser="withdrawal_agreement")


def test_tested_per_option(case):
    """A mapping re-chooses some options (by "earliest" or a division id); the rest take the latest."""
    a = analyse(case, "1apr", tested={"customs_union": "earliest", "common_market_2": "656"})
    assert chosen(a) == {**APRIL_1, "customs_union": "658", "common_market_2": "656"}
    counts = by_id(a, a.pairwise)
    assert counts["customs_union", "withdrawal_agreement"] == (227, 207, 100, 116)
    assert counts["common_market_2", "withdrawal_agreement"] == (150, 201, 119, 180)
    assert counts["customs_union", "common_market_2"] == EARLIEST_PAIRS["customs_union", "common_market_2"]


def test_tested_per_option_independent_count(commons):
    assert head_to_head(commons, "658", "664") == (227, 207, 100, 116)
    assert head_to_head(commons, "656", "664") == (150, 201, 119, 180)


# ---------------------------------------------------------------------- 6. errors
def test_a_division_the_option_was_not_tested_in(catalogue):
    with pytest.raises(TellersError) as caught:
        choose_division(catalogue.option("customs_union"), "664")
    assert "was tested in division(s) 658, 666, not '664'" in str(caught.value)
    with pytest.raises(TellersError, match="658, 666, not '667'"):
        analyse(load_case(), "1apr", tested={"customs_union": "667"})


def test_one_option_is_not_a_comparison(catalogue):
    patterns = load_case().patterns
    with pytest.raises(TellersError, match="needs at least two options"):
        revealed_profile(patterns, [catalogue.option("customs_union")], ["666"])
    with pytest.raises(TellersError, match="two options name the same division"):
        two = [catalogue.option("customs_union"), catalogue.option("common_market_2")]
        revealed_profile(patterns, two, ["666", "666"])


def test_selecting_an_unknown_division():
    patterns = load_case().patterns
    with pytest.raises(TellersError) as caught:
        patterns.select(["666", "999"])
    message = str(caught.value)
    assert message == "division(s) 999 are not in this table; it has 23 divisions: 562, 576, 577, 578, 579 and 18 more"
