"""Ballot-file readers: real PrefLib and CSV data, handmade files, and every malformed case."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from tellers.errors import BallotFileError
from tellers.ballots.profile import UNRANKED, Profile
from tellers.records.readers import SAMPLE_PATH, load_profile, read_ballot_csv, read_preflib

BREXIT = "brexit-public-preferences/yougov_lauderdale_2018_orderings.csv"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def ballot_weights(profile: Profile) -> dict[tuple[int, ...], float]:
    """Each distinct rank row and its weight."""
    rows = profile.ranks.tolist()
    return {tuple(r): w for r, w in zip(rows, profile.weights.tolist(), strict=True)}


def header(
    n: int = 3, voters: int | None = None, unique: int | None = None, kind: str = "ORDERS"
) -> str:
    lines = [f"# NUMBER ALTERNATIVES: {n}"]
    if voters is not None:
        lines.append(f"# NUMBER VOTERS: {voters}")
    if unique is not None:
        lines.append(f"# NUMBER UNIQUE {kind}: {unique}")
    lines += [f"# ALTERNATIVE NAME {i}: {chr(64 + i)}" for i in range(1, n + 1)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- real data


def test_every_preflib_file_matches_its_index(shared_data: Path) -> None:
    root = shared_data / "preflib"
    rows = list(csv.DictReader((root / "INDEX.csv").open(encoding="utf-8")))
    assert len(rows) == 610
    support: dict[str, list[np.ndarray]] = defaultdict(list)
    for row in rows:
        profile = read_preflib(root / row["file"])
        assert profile.voters == int(row["voters"]), row["file"]
        assert profile.num_candidates == int(row["alternatives"]), row["file"]
        assert profile.num_ballots == int(row["unique_orders"]), row["file"]
        support[row["file"].rsplit(".", 1)[0]].append(profile.support)
    # a .toc file is its .soi/.toi twin with the unranked alternatives tied last:
    # the same pairwise counts
    twins = [s for s in support.values() if len(s) == 2]
    assert len(twins) == 158  # every .toc except the 15 Vermont ones, which have no twin
    for a, b in twins:
        np.testing.assert_array_equal(a, b)


def test_burlington_2009_montroll_is_the_condorcet_winner(shared_data: Path) -> None:
    profile = load_profile(shared_data / "preflib/00005-burlington/00005-00000002.toi")
    assert profile.candidates == (
        "Bob Kiss",
        "Andy Montroll",
        "James Simpson",
        "Dan Smith",
        "Kurt Wright",
        "Write-In",
    )
    assert profile.voters == 8980
    kiss, montroll, wright = (
        profile.index(c) for c in ("Bob Kiss", "Andy Montroll", "Kurt Wright")
    )
    assert profile.support[montroll, kiss] == 4067
    assert profile.support[kiss, montroll] == 3477
    assert profile.support[montroll, wright] == 4597
    assert profile.support[wright, montroll] == 3668
    assert profile.condorcet_winner() == "Andy Montroll"


def test_brexit_public_preferences(shared_data: Path) -> None:
    profile = load_profile(shared_data / BREXIT)
    assert profile.candidates == ("Remain", "Deal", "No deal")
    assert profile.voters == pytest.approx(0.999)  # the published shares are rounded
    s = profile.support
    remain, deal, no_deal = 0, 1, 2
    assert s[remain, deal] == pytest.approx(0.500, abs=1e-12)
    assert s[deal, remain] == pytest.approx(0.499, abs=1e-12)
    assert s[deal, no_deal] == pytest.approx(0.646, abs=1e-12)
    assert s[no_deal, deal] == pytest.approx(0.353, abs=1e-12)
    assert s[remain, no_deal] == pytest.approx(0.521, abs=1e-12)
    assert s[no_deal, remain] == pytest.approx(0.478, abs=1e-12)
    assert profile.margins[remain, deal] == pytest.approx(0.001, abs=1e-12)
    assert profile.condorcet_winner() == "Remain"


# ---------------------------------------------------------------------- bundled sample


def test_sample_is_the_tennessee_capital_election() -> None:
    profile = load_profile("sample")
    assert SAMPLE_PATH.name == "tennessee.csv"
    assert profile.candidates == ("Memphis", "Nashville", "Chattanooga", "Knoxville")
    assert profile.voters == 100
    top = profile.weights @ (profile.ranks == 0)
    assert top.tolist() == [42, 26, 15, 17]  # plurality: Memphis
    assert profile.support.tolist() == [
        [0, 42, 42, 42],
        [58, 0, 68, 68],
        [58, 32, 0, 83],
        [58, 32, 17, 0],
    ]
    assert profile.condorcet_winner() == "Nashville"
    assert profile.condorcet_loser() == "Memphis"


# ---------------------------------------------------------------------- handmade files


def test_toi_ties_and_truncation(tmp_path: Path) -> None:
    path = write(
        tmp_path, "ties.toi", header(4, voters=6, unique=3) + "3: 1,{2,3}\n2: {4, 1}, 3\n1: 2\n"
    )
    profile = read_preflib(path)
    assert profile.candidates == ("A", "B", "C", "D")
    assert ballot_weights(profile) == {
        (0, 1, 1, UNRANKED): 3,
        (0, UNRANKED, 1, 0): 2,
        (UNRANKED, 0, UNRANKED, UNRANKED): 1,
    }
    assert profile.support[1, 2] == 1  # B over C: only the bullet vote; the tie gives neither
    assert profile.support[0, 3] == 3 and profile.support[3, 0] == 0


def test_cat_first_category_is_approved(tmp_path: Path) -> None:
    text = (
        header(4, voters=10, unique=4, kind="PREFERENCES")
        + "# NUMBER CATEGORIES: 2\n# CATEGORY NAME 1: Yes\n# CATEGORY NAME 2: No\n"
        + "4: {1,2},{3,4}\n3: 3,{1,2,4}\n2: {},{1,2,3,4}\n1: {2, 4}\n"
    )
    profile = read_preflib(write(tmp_path, "approval.cat", text))
    assert profile.approval
    assert profile.voters == 10
    approvals = profile.weights @ (profile.ranks == 0)
    assert approvals.tolist() == [4, 5, 3, 1]


def test_preflib_names_fall_back_to_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path, "x.soc", "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 2: Bee\n2: 3,2,1\n"
    )
    profile = read_preflib(path)
    assert profile.candidates == ("1", "Bee", "3")
    assert profile.voters == 2


def test_preflib_alternatives_inferred_from_names(tmp_path: Path) -> None:
    path = write(tmp_path, "x.soi", "# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n5: 2\n")
    assert read_preflib(path).candidates == ("A", "B")


def test_csv_layouts(tmp_path: Path) -> None:
    text = "\ufeffid,Rank 2,rank1,pref3,Votes\nx,B,A=C,,2.5\ny,C,B,A,1\nz,,,,4\n"
    profile = read_ballot_csv(write(tmp_path, "b.csv", text))
    assert profile.candidates == ("A", "C", "B")
    assert profile.voters == 7.5
    assert ballot_weights(profile) == {(0, 0, 1): 2.5, (2, 1, 0): 1, (UNRANKED,) * 3: 4}


@pytest.mark.parametrize(
    "columns",
    [["1", "2"], ["first", "second"], ["choice1", "choice2"], ["preference 1", "preference 2"]],
)
def test_csv_rank_headers(tmp_path: Path, columns: list[str]) -> None:
    path = write(tmp_path, "b.csv", f"{columns[1]},{columns[0]}\nB,A\n,B\n")
    profile = read_ballot_csv(path)
    assert profile.candidates == ("A", "B")  # read in place order, whatever the column order
    assert profile.support.tolist() == [[0, 1], [1, 0]]


# ---------------------------------------------------------------------- errors

MALFORMED = [
    # (file name, content, line named in the message, words in the message)
    ("empty.soi", "", 1, "empty"),
    ("blank.csv", "\n  \n", 1, "empty"),
    (
        "latin1.soi",
        (header() + "1: 1,2\n# é\n").encode("latin-1"),
        6,
        "wrong encoding: byte 106 (0xe9)",
    ),
    ("nocount.soi", header() + "1: 1,2\n1,2,3\n", 6, "count:"),
    ("word.soi", header() + "x: 1,2\n", 5, "count is 'x', not a whole number"),
    ("negative.soi", header() + "-2: 1,2\n", 5, "negative"),
    ("unknown.soi", header() + "1: 1,2\n1: 1,4\n", 6, "alternative 4 is not in 1..3"),
    ("zero.toi", header() + "1: 0,{1,2}\n", 5, "alternative 0"),
    ("letter.soi", header() + "1: 1,b\n", 5, "'b' is not an alternative number"),
    ("twice.soi", header() + "1: 1,2,1\n", 5, "'A' appears twice"),
    ("twice.toi", header() + "1: 1,{2,1}\n", 5, "'A' appears twice"),
    ("unclosed.toi", header() + "1: 1,{2,3\n", 5, "unclosed brace"),
    ("stray.toi", header() + "1: 1,2},3\n", 5, "no matching"),
    ("gapintie.toi", header() + "1: {1,,2}\n", 5, "'' is not an alternative number"),
    ("nested.toi", header() + "1: {1,{2,3}}\n", 5, "inside another"),
    ("noalts.soi", "# TITLE: x\n2: 1,2\n", 2, "NUMBER ALTERNATIVES"),
    ("badalts.soi", "# NUMBER ALTERNATIVES: three\n2: 1,2\n", 1, "not a whole number"),
    ("badname.soi", "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 3: C\n1: 1\n", 2, "outside 1..2"),
    (
        "samename.soi",
        "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: A\n1: 1\n",
        3,
        "both called 'A'",
    ),
    ("badcount.soi", header(voters=5) + "3: 1,2\n1: 2\n", 2, "bad count"),
    ("truncated.soi", header(voters=4, unique=3) + "3: 1,2\n1: 2\n", 3, "may be truncated"),
    (
        "truncated.cat",
        header(voters=4, unique=3, kind="PREFERENCES") + "3: {1,2},3\n1: 2\n",
        3,
        "truncated",
    ),
    ("noballots.soi", header(), 4, "no ballots"),
    ("zeros.soi", header() + "0: 1,2\n0: 2\n", 6, "weight 0"),
    ("nocol.csv", "name,count\nA,3\n", 1, "no rank column"),
    (
        "weight.csv",
        "1,2,count\nA,B,3\nB,A,many\n",
        3,
        "weight (column 'count') is 'many', not a number",
    ),
    ("negweight.csv", "1,2,share\nA,B,-0.5\n", 2, "negative"),
    ("twice.csv", "1,2,3\nA,B,C\nA,B,A\n", 3, "'A' appears twice"),
    ("tiedtwice.csv", "1,2\nA=B,B\n", 2, "'B' appears twice"),
    ("gap.csv", "first,second,third\nA,,C\n", 2, "follows an empty place"),
    ("emptytie.csv", "1,2\nA=,B\n", 2, "empty name"),
    ("samerank.csv", "1,first\nA,B\n", 1, "both give place 1"),
    ("twoweights.csv", "1,count,weight\nA,1,1\n", 1, "two weight columns"),
    ("extra.csv", "1,2\nA,B,C\n", 2, "3 cells"),
    ("noballots.csv", "1,2\n", 1, "no ballots"),
]


@pytest.mark.parametrize("name, content, line, words", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_files(
    tmp_path: Path, name: str, content: str | bytes, line: int, words: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(BallotFileError) as info:
        load_profile(path)
    message = str(info.value)
    assert name in message
    assert f", line {line}:" in message
    assert words in message
    assert info.value.line == line


def test_wrong_encoding_in_csv_names_line_and_suggests_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "cities.csv", "1,2\nZürich,Genève\n".encode("cp1252"))
    with pytest.raises(BallotFileError, match=r"cities\.csv, line 2: wrong encoding.*UTF-8"):
        read_ballot_csv(path)


def test_load_profile_rejects_bad_paths(tmp_path: Path) -> None:
    with pytest.raises(BallotFileError, match="no such file"):
        load_profile(tmp_path / "missing.soi")
    with pytest.raises(BallotFileError, match="is a directory"):
        load_profile(tmp_path)
    with pytest.raises(BallotFileError, match=r"unknown ballot file type '\.txt'.*\.soc, \.soi"):
        load_profile(write(tmp_path, "ballots.txt", "1: 1\n"))
