"""Terminal tables never cut a number, at any width (issue 17, "Terminal").

Each command is drawn, in process, as a terminal 60, 80 and 200 columns wide without colour
(``out.as_terminal``), and as a pipe. A *number* is a word of the text (split at whitespace and
at the en dash of "155–18"), trimmed of brackets and punctuation, that is all digits with
optional sign, thousands separators and decimals: "+25,904", "(313)" and "68.7%" hold one each;
a number glued to letters ("CM2.0") is part of a name, not a number.

What each command's ``--json`` shows in its tables and lines (:data:`SHOWN`):

- ``demo``, ``majority``: each option's Ayes and Noes and its division's id; every pair's
  members preferring X to Y and Y to X (and, where the "Every pair" table is printed, those the
  same on both and unknown); each shown party's size and its net preference on each pair (X over
  Y minus Y over X, as that table prints it), the House's net; the members counted (650); for
  ``demo``, each robustness check's draws and electorate.
- ``elect``: every margin off the diagonal, as the matrix prints it ("+25,904"); voters and
  distinct ballots.
- ``division``: Ayes, Noes, members recording no vote, and each party's aye, no and no-vote counts.
- ``idealpoints``: each party's members (counted from the JSON's members) and each option's and
  member's position and interval (two decimals, signed, as printed).
- ``power``, ``scenario``: the quota, each bloc's players and weight, the house's members listed,
  eligible and not taking their seats; for ``scenario`` each division's totals before and after
  and the head-to-head counts.
- ``whatif``: the division's totals before and after, the fewest changes and the members who
  cannot vote.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import chdir
from functools import cache
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from tellers.views.cli import app
from tellers.views.cli.common import out
from tellers.views.report.fitting import Phrases, share
from tellers.views.report.literal import ListingTable, LiteralConsole, LiteralTable

COMMONS = Path(__file__).resolve().parents[2] / "shared" / "data" / "commons-2019-brexit"
PREFLIB = Path(__file__).resolve().parents[2] / "shared" / "data" / "preflib" / "00001-irish"
MEATH = PREFLIB / "00001-00000003.soi"
"""The 2002 Meath election: 14 candidates, margins in the tens of thousands."""

COMMANDS = {
    "demo": ["demo"],
    "majority": ["majority", "--options", "27mar"],
    "elect": ["elect", MEATH.name],
    "division": ["division", "666"],
    "idealpoints": ["idealpoints"],
    "power": ["power", "--parties", "666"],
    "whatif": ["whatif", "666"],
    "scenario": ["scenario"],
}
WIDTHS = (60, 80, 200)
WIDE = 200

NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+-]?\d+(?:\.\d+)?")


def numbers(text: str) -> Counter:
    """The multiset of numbers in ``text`` (see the module's docstring)."""
    found = Counter()
    for word in re.split(r"[\s–]+", text):
        word = word.strip("()[]{},.;:%'\"!?")
        if NUMBER.fullmatch(word):
            found[word] += 1
    return found


@cache
def invoke(args: tuple[str, ...], width: int | None, cwd: Path) -> str:
    """Standard output of ``tellers ARGS`` run in ``cwd``: as a terminal ``width`` wide, or as a pipe (None)."""
    runner = CliRunner()
    with chdir(cwd):
        if width:
            with out.as_terminal(width):
                result = runner.invoke(app, args, env={"COLUMNS": "80"})
        else:
            result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


def run(command: str, width: int | None) -> str:
    """A command's output at ``width`` (None: piped), or its JSON (0)."""
    if command == "elect" and not MEATH.exists():
        pytest.skip(f"the Meath PrefLib file is not there ({MEATH}): ../shared/data is absent")
    args = tuple(COMMANDS[command]) + (("--json",) if width == 0 else ())
    cwd = PREFLIB if command == "elect" else Path.cwd()  # the file by its name: no path wider than the terminal
    return invoke(args, width or None, cwd)


# --------------------------------------------------------------------------- what each command shows


def _signed(n: int) -> str:
    return f"{n:+,d}" if n else "0"


def _majority(doc: dict, every_pair: bool = True) -> Iterator[str]:
    for option in doc["options"]:
        yield from (str(option["ayes"]), str(option["noes"]), option["division"])
    for pair in doc["pairwise"]:
        yield from (str(pair["x_over_y"]), str(pair["y_over_x"]))
        if every_pair:
            yield from (str(pair["same"]), str(pair["unknown"]))
    yield str(doc["members"])
    yield from map(str, doc["party_sizes"].values())
    for pairs in doc["by_party"].values():
        nets = [p["x_over_y"] - p["y_over_x"] for p in pairs]
        if any(nets):  # parties that separate no pair are named in the caption, not tabled
            yield from map(_signed, nets)
    yield from (_signed(p["x_over_y"] - p["y_over_x"]) for p in doc["pairwise"])


def _demo(doc: dict) -> Iterator[str]:
    for question in doc.values():
        yield from _majority(question)
        for check in question.get("robustness", []):
            yield from (f"{check['draws']:,}", f"{check['electorate']:,}")


def _elect(doc: dict) -> Iterator[str]:
    yield from (f"{doc['voters']:,.0f}", f"{doc['ballots']:,}")
    for a, row in enumerate(doc["margins"]):
        yield from ((f"{m:+,.0f}" if m else "0") for b, m in enumerate(row) if a != b)


def _division(doc: dict) -> Iterator[str]:
    yield from (str(doc["ayes"]), str(doc["noes"]), str(doc["no_vote"]))
    for party in doc["parties"].values():
        yield from (str(party["aye"]), str(party["no"]), str(party["no_vote"]))


def _idealpoints(doc: dict) -> Iterator[str]:
    yield from map(str, Counter(m["party"] for m in doc["members"]).values())
    for thing in doc["options"] + doc["members"]:
        yield from (f"{x:+.2f}" for x in thing["position"])
    for member in doc["members"]:
        yield from (f"{x:+.2f}" for x in member["low"] + member["high"])


def _power(doc: dict) -> Iterator[str]:
    power, house = doc.get("power", doc), doc["house"]
    yield str(power["quota"])
    for bloc in power["blocs"].values():
        yield str(bloc["players"])
    for player, weight in power["weights"].items():
        if player in power["blocs"]:
            yield str(weight)
    yield from (str(house["listed"]), str(house["eligible"]), *map(str, house["not_taking_seats"].values()))


def _scenario(doc: dict) -> Iterator[str]:
    for d in doc["divisions"]:
        yield from map(str, (d["ayes"], d["noes"], d["before"]["ayes"], d["before"]["noes"]))
    for pair in doc["head_to_head"]["pairwise"]:
        yield from (str(pair["x_over_y"]), str(pair["y_over_x"]))
    yield from _power(doc)


def _whatif(doc: dict) -> Iterator[str]:
    yield from map(str, (doc["ayes"], doc["noes"], doc["fewest_changes"], doc["ayes_after"], doc["noes_after"],
                         doc["cannot_vote"]))


SHOWN: dict[str, Callable[[dict], Iterator[str]]] = {
    "demo": _demo, "majority": _majority, "elect": _elect, "division": _division, "idealpoints": _idealpoints,
    "power": _power, "whatif": _whatif, "scenario": _scenario,
}


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_number_intact_at_every_width(command: str, width: int) -> None:
    text = run(command, width)
    found = numbers(text)
    expected = sorted(set(SHOWN[command](json.loads(run(command, 0)))))
    assert expected, "the JSON shows no number: the test checks nothing"
    missing = [n for n in expected if not found[n]]
    assert not missing, f"{command} at {width} columns lacks {missing[:10]}"
    if width != WIDE:
        assert found == numbers(run(command, WIDE)), (
            f"{command}: the numbers at {width} columns differ from those at {WIDE}: "
            f"{(found - numbers(run(command, WIDE))) + (numbers(run(command, WIDE)) - found)}")
    wider = [line for line in text.splitlines() if cell_len(line) > width]
    assert not wider, f"{command}: {len(wider)} lines wider than {width} columns, e.g. {wider[0]!r}"


TABLE_BODY = re.compile(r"^│.*│$")


@pytest.mark.parametrize("command", ["demo", "majority", "whatif", "idealpoints"])
def test_a_pipe_gets_every_table_and_line_at_its_natural_width(command: str) -> None:
    """Piped (not a terminal, whatever COLUMNS says), no table row wraps onto a second line and no
    table line is padded past its table: each table's lines are one width, its rows one line each."""
    text = run(command, None)
    lines = text.splitlines()
    tables: list[list[str]] = []
    for line in lines:
        if line and line[0] in "┏┃┡│└":
            if line[0] == "┏":
                tables.append([])
            tables[-1].append(line)
    assert tables
    for table in tables:
        assert len({cell_len(line) for line in table}) == 1, table[0]
        body = [line for line in table if TABLE_BODY.match(line)]
        # a wrapped row's second line has an empty first cell; no first column here is ever empty
        continued = [line for line in body if re.match(r"^│\s+│", line)]
        assert not continued, f"{command}: a row wrapped: {continued[0]!r}"
    assert max(map(cell_len, lines)) < 2000  # nothing padded to the pipe's width
    if "What it means" in lines:  # a paragraph is one line, not wrapped at 80
        paragraph = lines[lines.index("What it means") + 1]
        assert paragraph.startswith("Every one of these") and "members are unknown on a pair" in paragraph


@pytest.mark.skipif(not COMMONS.exists(), reason=f"no member-level records at {COMMONS}: ../shared/data is absent")
def test_members_names_at_their_natural_width_and_never_split() -> None:
    """`demo --members`: piped, each row's names sit on its one line, as many as its member count;
    in a terminal (a table at 120 columns, blocks at 80) no name is split across lines."""
    args = ("demo", "--data", str(COMMONS), "--members")
    piped = invoke(args, None, Path.cwd())
    names, inside = [], False
    for line in piped.splitlines():
        inside = (inside or line.startswith("Members by voting pattern")) and not line.startswith("└")
        if inside and line.startswith("│"):  # a row of a members table: ..., members, names
            *_, members, row = [c.strip() for c in line.split("│")[1:-1]]
            assert len(row.split(", ")) == int(members), line[:200]
            names += row.split(", ")
    assert len(names) > 1000  # both questions' tables: 650 members each, less the Speaker and Sinn Féin
    for width in (120, 80):
        lines = invoke(args, width, Path.cwd()).splitlines()
        whole = {name for line in lines for name in re.split(r"\s*[│,]\s*|\s{2,}", line.strip())}
        split = sorted({n for n in names if n not in whole})
        assert not split, f"at {width} columns these names are split: {split[:5]}"


# --------------------------------------------------------------------------- the layout's parts


def test_share_narrows_the_widest_columns_first_and_none_past_its_longest_word() -> None:
    assert share([38, 10, 12, 6, 6, 13], [12, 10, 12, 6, 6, 6], 73) == [26, 10, 12, 6, 6, 13]
    assert share([10, 20], [5, 5], 24) == [10, 14]
    assert share([10, 20], [5, 18], 24) == [6, 18]
    assert share([30, 30, 30], [5, 5, 5], 50) == [17, 17, 16]
    assert share([10, 20], [5, 5], 40) == [10, 20]  # the natural widths, where they fit
    assert share([10, 20], [5, 5], 9) is None  # not even the longest words: blocks


def draw(renderable: object, width: int) -> str:
    buffer = io.StringIO()
    LiteralConsole(file=buffer, width=width).print(renderable)
    return buffer.getvalue()


def test_names_wrap_between_names_only() -> None:
    table = LiteralTable()
    table.add_column("party")
    table.add_column("names")
    table.add_row("Con", Phrases(["Alan Mak", "Sir Geoffrey Clifton-Brown", "Chloe Smith"]))
    assert [line.split("│")[2].strip() for line in draw(table, 44).splitlines()[3:-1]] == [
        "Alan Mak,", "Sir Geoffrey Clifton-Brown,", "Chloe Smith"]


def test_blocks_show_text_literally_and_whole() -> None:
    """Too narrow for its columns' longest words, a table is a block of lines per row: a cell
    that reads like markup stays text, and the numbers stay whole."""
    table = LiteralTable(title="T", title_justify="left")
    for header in ("name", "[bold]votes[/bold]", "margin"):
        table.add_column(header, justify="left" if header == "name" else "right")
    table.add_row("[link=https://example.org]x[/link]", "64,081", "+25,904")
    listing = ListingTable("L")
    listing.add_column("id")
    listing.add_column("title", wrap=True)
    listing.add_row("562", "[red]European Union (Withdrawal)[/red]")
    assert draw(table, 40).splitlines() == [
        "T", "[link=https://example.org]x[/link]", "  [bold]votes[/bold]   64,081", "  margin              +25,904"]
    assert draw(listing, 22).splitlines() == ["L", "562", "  title", "    [red]European", "    Union", "    (Withdrawal)[/red]"]


def test_headers_wrap_before_any_cell():
    # every cell fits on one line (bodies 20 of 24): the 4 left unwrap the headers that need least
    assert share([10, 9, 9], [5, 5, 5], 24, bodies=[8, 6, 6]) == [10, 8, 6]
    # cells too wide even so: narrowed as without headers, widest first, none below its minimum
    assert share([12, 12, 4], [3, 3, 3], 14, bodies=[10, 6, 4]) == [5, 5, 4]
    assert share([12, 12, 4], [3, 3, 3], 14) == [5, 5, 4]


def test_a_number_beside_a_wide_character_is_never_cut():
    table = LiteralTable()
    table.add_column("candidate")
    table.add_column("votes", justify="right")
    table.add_row("名 155–181 votes", "12")
    console = Console(width=22, color_system=None, file=io.StringIO())
    console.print(table)
    text = console.file.getvalue()
    assert "155–181" in text and "…" not in text
