"""Profile construction, merging and the majority relation, on hand-checked examples."""

import numpy as np
import pytest

from tellers import Profile
from tellers.errors import ProfileError, TellersError
from tellers.ballots.profile import UNRANKED
from tellers.records.readers import read_ballot_csv, read_preflib

TENNESSEE = dict(
    rankings=[[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 1, 0], [3, 2, 1, 0]],
    weights=[42, 26, 15, 17],
    candidates=["Memphis", "Nashville", "Chattanooga", "Knoxville"],
)


def test_margins_and_condorcet_winner_of_tennessee():
    p = Profile.from_rankings(**TENNESSEE)
    assert p.voters == 100
    assert p.margins.tolist() == [
        [0, -16, -16, -16],
        [16, 0, 36, 36],
        [16, -36, 0, 66],
        [16, -36, -66, 0],
    ]
    assert p.condorcet_winner() == "Nashville"
    assert p.condorcet_loser() == "Memphis"
    assert p.smith_set() == ["Nashville"]
    assert p.majority_cycle() is None


def test_identical_ballots_are_merged_with_summed_weights():
    p = Profile.from_rankings([[0, 1, 2], [0, 1, 2], [2, 1, 0], [0, 1, 2]], weights=[1, 2, 0.5, 3])
    assert p.num_ballots == 2
    assert sorted(p.weights.tolist()) == [0.5, 6.0]


def test_array_and_list_constructors_agree():
    rng = np.random.default_rng(1)
    orders = np.argsort(rng.random((500, 5)), axis=1)
    a = Profile.from_rankings(orders)
    b = Profile.from_rankings(orders.tolist())
    assert np.array_equal(a.margins, b.margins)
    assert a.num_ballots == b.num_ballots <= 120


def test_ties_and_truncation():
    # ballot 1: a > {b, c} > d ; ballot 2: c > a, b and d unranked (tied below a)
    p = Profile.from_rankings([["a", ("b", "c"), "d"], ["c", "a"]], candidates=["a", "b", "c", "d"])
    assert p.ranks.tolist() in ([[0, 1, 1, 2], [1, UNRANKED, 0, UNRANKED]], [[1, UNRANKED, 0, UNRANKED], [0, 1, 1, 2]])
    s = p.support
    assert s[0, 1] == 2  # a over b on both ballots
    assert s[1, 2] == 0 and s[2, 1] == 1  # b, c tied on ballot 1; c over unranked b on ballot 2
    assert s[1, 3] == 1 and s[3, 1] == 0  # b, d both unranked on ballot 2: no preference
    assert p.margins[0, 2] == 0


def test_truncated_array_uses_minus_one_padding():
    p = Profile.from_rankings(np.array([[2, 0, -1], [1, -1, -1]]))
    assert p.support[2, 1] == 1 and p.support[1, 2] == 1
    assert p.support[0, 1] == 1 and p.support[1, 0] == 1


def test_fractional_shares_keep_exact_margins():
    p = Profile.from_rankings(
        [[0, 1, 2], [2, 1, 0], [1, 2, 0], [0, 2, 1], [1, 0, 2], [2, 0, 1]],
        weights=[0.375, 0.228, 0.212, 0.087, 0.059, 0.038],
        candidates=["Remain", "Deal", "No deal"],
    )
    assert p.support[0, 1] == pytest.approx(0.500)
    assert p.support[1, 0] == pytest.approx(0.499)
    assert p.margins[0, 1] == pytest.approx(0.001)
    assert p.condorcet_winner() == "Remain"


def test_cycle_is_described():
    p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[40, 35, 25], candidates=["Deal", "Remain", "No deal"])
    assert p.condorcet_winner() is None
    assert p.smith_set() == ["Deal", "Remain", "No deal"]
    assert p.schwartz_set() == ["Deal", "Remain", "No deal"]
    assert p.majority_cycle() == ["Deal", "Remain", "No deal"]
    assert p.describe_majority() == (
        "No Condorcet winner: majority cycle Deal beats Remain by 30; Remain beats No deal by 50; "
        "No deal beats Deal by 20. Smith set: Deal, Remain, No deal."
    )


def test_smith_and_schwartz_differ_when_a_pair_ties():
    # a and b tie; both beat c. Smith = {a, b}; Schwartz = {a, b} as well.
    # d ties with a, beats b; loses to nobody else -> Smith {a,b,d}, Schwartz {a, d}
    margins_ballots = [
        [["a", "d", "b", "c"], 1],
        [["d", "b", "a", "c"], 1],
    ]
    p = Profile.from_rankings([b for b, _ in margins_ballots], candidates=list("abcd"))
    assert p.margins[0, 3] == 0 and p.margins[3, 1] == 2 and p.margins[0, 1] == 0
    assert p.smith_set() == ["a", "b", "d"]
    assert p.schwartz_set() == ["a", "d"]


def test_restrict_deletes_candidates_from_ballots():
    p = Profile.from_rankings(**TENNESSEE).restrict(["Chattanooga", "Knoxville"])
    assert p.candidates == ("Chattanooga", "Knoxville")
    assert p.margins[0, 1] == 66


def test_approval_profile():
    p = Profile.from_approvals([{0, 1}, {1}, {2}], weights=[2, 1, 1])
    assert p.approval
    assert (p.weights @ p.ranked).tolist() == [2, 3, 1]


@pytest.mark.parametrize(
    "rankings, message",
    [
        ([[0, 0, 1]], "appears twice"),
        ([[0, 5]], "not in 0..2"),
        ([["x"]], "unknown candidate"),
    ],
)
def test_bad_ballots_raise_profile_errors(rankings, message):
    with pytest.raises(ProfileError, match=message):
        Profile.from_rankings(rankings, candidates=["a", "b", "c"])


def test_bad_arrays_raise_profile_errors():
    with pytest.raises(ProfileError, match="appears twice"):
        Profile.from_rankings(np.array([[0, 1, 1]]), candidates=["a", "b", "c"])
    with pytest.raises(ProfileError, match="padding"):
        Profile.from_rankings(np.array([[0, -1, 1]]), candidates=["a", "b", "c"])
    with pytest.raises(ProfileError, match="weights"):
        Profile.from_rankings([[0, 1]], weights=[1, 2])
    with pytest.raises(ProfileError, match="non-negative"):
        Profile.from_rankings([[0, 1]], weights=[-1])
    assert issubclass(ProfileError, TellersError)


def test_file_constructors(tmp_path):
    soi = tmp_path / "e.soi"
    soi.write_text("# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: 3\n# NUMBER UNIQUE ORDERS: 2\n"
                   "# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n2: 1,2\n1: 2\n")
    p = read_preflib(soi)
    assert p.candidates == ("A", "B") and p.margins[0, 1] == 1
    csv = tmp_path / "e.csv"
    csv.write_text("1,2,count\nA,B,2\nB,A,1\n")
    assert read_ballot_csv(csv).margins[0, 1] == 1
