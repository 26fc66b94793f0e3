"""Hostile ballot files: each seeded case in ``tests/data/hostile/ballots`` ends in exit 2 with
its exact message through ``tellers elect``, and the limits and the streaming hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tellers.errors import BallotFileError
from tellers.records.readers import (
    _ballots,
    load_profile,
    read_ballot_csv,
    read_preflib,
)
from tellers.views.cli import app

HOSTILE = Path(__file__).parent / "data" / "hostile" / "ballots"

# file, line, message after "<path>, line <line>: "
CASES = [
    ("alternative_4301_digits.soi", 2, "'2222222222222222222222222222222222222222' is not an alternative number (digits 0-9, at most 15). List alternatives by number, separated by commas, with ties in braces: 1,{2,3},4"),
    ("alternative_name_0.soi", 2, 'ALTERNATIVE NAME 0: alternatives are numbered from 1. Renumber the alternatives 1, 2, 3, ... (in the names and the ballots)'),
    ("arabic_indic_count.soi", 4, "the count is '٣', not a whole number in the digits 0-9. Write the count as a whole number of 0 or more in the digits 0-9, e.g. 12"),
    ("cell_over_limit.csv", 2, 'a cell is longer than 131,072 characters. Close every opening quote; write a quote inside a quoted cell as ""'),
    ("count_401_digits.soi", 2, 'the count has 401 digits, more than 15. Write the count as a whole number of 0 or more in the digits 0-9, e.g. 12'),
    ("empty.csv", 1, 'the file is empty. Give a file that contains ballots'),
    ("empty.soi", 1, 'the file is empty. Give a file that contains ballots'),
    ("escape_in_name.soi", 2, "the alternative name 'A\\x1bB' contains the control character U+001B. Remove control characters (NUL, tabs, line breaks) from names"),
    ("fullwidth_count.soi", 4, "the count is '１', not a whole number in the digits 0-9. Write the count as a whole number of 0 or more in the digits 0-9, e.g. 12"),
    ("header_after_ballots.soi", 5, "a header line ('#') after the first ballot. Move every '# KEY: value' line above the ballots"),
    ("huge_declared.soi", 1, '10,000,000 candidates is more than the limit of 3,000. Raise the limit with --max-candidates N (max_candidates=N in Python) if the file really has that many and the machine has the memory'),
    ("huge_name_number.soi", 1, '1,000,000,000 candidates is more than the limit of 3,000. Raise the limit with --max-candidates N (max_candidates=N in Python) if the file really has that many and the machine has the memory'),
    ("invalid_utf8.csv", 1, "wrong encoding: byte 3 (0xff) is not UTF-8. Re-save the file as UTF-8 (a spreadsheet's 'CSV UTF-8' option, or `iconv -f latin1 -t utf-8`)"),
    ("invalid_utf8.soi", 5, "wrong encoding: byte 80 (0xff) is not UTF-8. Re-save the file as UTF-8 (a spreadsheet's 'CSV UTF-8' option, or `iconv -f latin1 -t utf-8`)"),
    ("negative_count.soi", 4, 'the count is -5, which is negative. Write the count as a whole number of 0 or more in the digits 0-9, e.g. 12'),
    ("newline_in_name.csv", 2, "the candidate name 'A\\nB' contains the control character U+000A. Remove control characters (NUL, tabs, line breaks) from names"),
    ("nul_in_name.csv", 2, "the candidate name 'A\\x00' contains the control character U+0000. Remove control characters (NUL, tabs, line breaks) from names"),
    ("nul_in_name.soi", 2, "the alternative name 'A\\x00B' contains the control character U+0000. Remove control characters (NUL, tabs, line breaks) from names"),
    ("superscript_alternative.soi", 4, "'²' is not an alternative number (digits 0-9, at most 15). List alternatives by number, separated by commas, with ties in braces: 1,{2,3},4"),
    ("superscript_alternative.toi", 4, "'²' is not an alternative number (digits 0-9, at most 15). List alternatives by number, separated by commas, with ties in braces: 1,{2,3},4"),
    ("superscript_count.soi", 4, "the count is '²', not a whole number in the digits 0-9. Write the count as a whole number of 0 or more in the digits 0-9, e.g. 12"),
    ("unclosed_quote.csv", 2, 'a quoted cell starts here and is never closed. Close every opening quote; write a quote inside a quoted cell as ""'),
    ("underscore_count.soi", 4, "the count is '1_000', not a whole number in the digits 0-9. Write the count as a whole number of 0 or more in the digits 0-9, e.g. 12"),
    ("voters_5000_digits.soi", 1, "header NUMBER VOTERS: '9999999999999999999999999999999999999999' is not a whole number (digits 0-9, at most 15). Correct the header line"),
    ("voters_mismatch.soi", 4, 'bad count: the header says NUMBER VOTERS is 7, but the counts sum to 3. Correct the header or the counts (the file may be truncated)'),
    ("weight_arabic_indic.csv", 2, "the weight (column 'count') is '١٢', not a number in the digits 0-9. Write the weight (column 'count') as a number of 0 or more in the digits 0-9, e.g. 12"),
    ("weight_infinite.csv", 2, "the weight (column 'count') is 1e999, too large to count. Write the weight (column 'count') as a number of 0 or more in the digits 0-9, e.g. 12"),
    ("weight_nan.csv", 2, "the weight (column 'count') is 'nan', not a number in the digits 0-9. Write the weight (column 'count') as a number of 0 or more in the digits 0-9, e.g. 12"),
    ("weight_negative.csv", 2, "the weight (column 'count') is -1, which is negative. Write the weight (column 'count') as a number of 0 or more in the digits 0-9, e.g. 12"),
    ("weight_underscore.csv", 2, "the weight (column 'count') is '1_000', not a number in the digits 0-9. Write the weight (column 'count') as a number of 0 or more in the digits 0-9, e.g. 12"),
    ("weights_overflow.csv", 3, 'the weights add up past 1.798e+308, the largest number tellers can count. Scale the weights down (shares or percentages are fine)'),
]


def test_every_hostile_file_has_a_case() -> None:
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize("name, line, message", CASES, ids=[c[0] for c in CASES])
def test_hostile_file_is_exit_2_with_its_message(name: str, line: int, message: str) -> None:
    path = HOSTILE / name
    result = CliRunner().invoke(app, ["elect", str(path), "-r", "plurality"])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"error: {path}, line {line}: {message}"
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_max_candidates_is_a_parameter(tmp_path: Path) -> None:
    soi = write(tmp_path, "five.soi", "# NUMBER ALTERNATIVES: 5\n1: 1,2\n")
    assert load_profile(soi).num_candidates == 5
    with pytest.raises(BallotFileError) as info:
        load_profile(soi, max_candidates=4)
    assert str(info.value) == (
        f"{soi}, line 1: 5 candidates is more than the limit of 4. Raise the limit with "
        "--max-candidates N (max_candidates=N in Python) if the file really has that many "
        "and the machine has the memory"
    )
    big = write(tmp_path, "big.soi", "# NUMBER ALTERNATIVES: 3001\n1: 1,2\n")
    assert load_profile(big, max_candidates=3001).num_candidates == 3001
    csv = write(tmp_path, "five.csv", "1,2\nA,B\nC,D\nE,A\n")
    assert read_ballot_csv(csv, max_candidates=5).candidates == ("A", "B", "C", "D", "E")
    with pytest.raises(BallotFileError, match=r"five\.csv, line 4: 5 candidates is more than the limit of 4"):
        load_profile(csv, max_candidates=4)
    wide = write(tmp_path, "wide.csv", ",".join(map(str, range(1, 6))) + "\nA,B\n")
    with pytest.raises(BallotFileError, match=r"line 1: 5 rank columns is more than the limit of 4"):
        load_profile(wide, max_candidates=4)


def test_huge_declared_count_is_refused_before_any_allocation(tmp_path: Path) -> None:
    path = write(tmp_path, "huge.soi", "# NUMBER ALTERNATIVES: 1000000000\n1: 1,2\n")
    with pytest.raises(BallotFileError, match="1,000,000,000 candidates is more than the limit of 3,000"):
        load_profile(path)


def test_weights_within_range_still_add_up(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", "1,2,count\nA,B,1e307\nA,B,1e307\nB,A,0.5\n")
    profile = load_profile(path)
    assert profile.voters == pytest.approx(2e307)
    assert np.isfinite(profile.margins).all()


def test_crlf_bom_and_bare_cr_line_endings(tmp_path: Path) -> None:
    text = "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n2: 1,2\n1: 2\n"
    expected = load_profile(write(tmp_path, "lf.soi", text))
    for name, variant in [("crlf.soi", text.replace("\n", "\r\n")), ("cr.soi", text.replace("\n", "\r"))]:
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + variant.encode())
        profile = load_profile(path)
        assert profile.candidates == expected.candidates
        assert profile.ranks.tolist() == expected.ranks.tolist()
        assert profile.weights.tolist() == expected.weights.tolist()


@pytest.mark.parametrize("suffix", [".toi", ".csv", ".cat"])
def test_reading_in_chunks_gives_the_same_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    rng = np.random.default_rng(5)
    m, rows = 6, 400
    orders = np.argsort(rng.random((rows, m)), axis=1) + 1
    lengths = rng.integers(0, m + 1, rows)
    if suffix == ".csv":
        lines = [",".join(map(str, range(1, m + 1))) + ",count"]
        lines += [",".join([f"C{c}" for c in o[:k]] + [""] * (m - k)) + f",{w}"
                  for o, k, w in zip(orders, lengths, rng.integers(0, 4, rows))]
    else:
        lines = [f"# NUMBER ALTERNATIVES: {m}"]
        for o, k, w in zip(orders, lengths, rng.integers(0, 4, rows)):
            body = ",".join(map(str, o[:k]))
            if suffix == ".cat":
                body = f"{{{body}}}" + (f",{{{o[k]}}}" if k < m else "")
            elif k > 2 and w % 2:  # some ties
                body = f"{o[0]},{{{o[1]},{o[2]}}}" + "".join(f",{c}" for c in o[3:k])
            lines.append(f"{w}: {body}")
    path = write(tmp_path, "random" + suffix, "\n".join(lines) + "\n")
    whole = load_profile(path)
    monkeypatch.setattr(_ballots, "_CHUNK", 7)
    chunked = load_profile(path)
    assert chunked.candidates == whole.candidates
    assert chunked.approval == whole.approval
    assert chunked.num_ballots == whole.num_ballots < rows
    assert (chunked.support == whole.support).all()
    assert sorted(zip(map(tuple, chunked.ranks.tolist()), chunked.weights.tolist())) == sorted(
        zip(map(tuple, whole.ranks.tolist()), whole.weights.tolist())
    )


def test_lines_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "long.soi"
    path.write_text("# NUMBER ALTERNATIVES: 2\n1: " + "1," * 600_000 + "2\n")
    with pytest.raises(BallotFileError, match=r"long\.soi, line 2: the line is longer than 1,048,576 bytes"):
        read_preflib(path)


def test_only_tellers_errors_leave_a_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "x.soi", "# NUMBER ALTERNATIVES: 2\n1: 1,2\n")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("unforeseen")

    monkeypatch.setattr("tellers.records.readers.preflib._check_declared", boom)
    with pytest.raises(BallotFileError) as info:
        read_preflib(path)
    assert str(info.value).startswith(f"{path}: cannot read the file (RuntimeError: unforeseen)")
