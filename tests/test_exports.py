"""`--format csv|markdown`: exactly the cells of the tables a command prints; `--json` is `--format json`."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from rich.console import Group
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

import test_fetch
import test_fetch_members
from tellers.views.cli import app, common
from tellers.views.report.exports import to_csv, to_markdown
from tellers.views.report.literal import Heading, ListingTable, LiteralTable

runner = CliRunner()
api, dirs = test_fetch.api, test_fetch.dirs  # the loopback API's fixtures, shared

BALLOTS = """# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 9
# ALTERNATIVE NAME 1: Smith, J
# ALTERNATIVE NAME 2: Pipe|Line
# ALTERNATIVE NAME 3: Plain [bold]
4: 1,2,3
3: 2,3,1
2: 3,1,2
"""
"""Candidates whose names need quoting in CSV, escaping in Markdown, and are never markup."""

COMMANDS = {
    "demo": (["demo"], 14),
    "majority": (["majority", "--options", "27mar"], 5),
    "elect": (["elect", "{ballots}", "-r", "borda", "-r", "irv"], 2),
    "divisions": (["divisions"], 1),
    "division": (["division", "666"], 1),
    "power": (["power", "--weights", "A=4,B=4,C=1"], 2),
    "whatif": (["whatif", "666"], 1),
    "options": (["options"], 1),
    "rules": (["rules"], 1),
    "procedure": (["procedure", "--options", "1apr", "--completions", "uniform", "--draws", "200"], 1),
}
"""Each command's arguments, and how many tables it prints."""


# --------------------------------------------------------------------------- the tables, read here, not by the exporter


def tables_of(renderable: object) -> list:
    """The tables and section headings of a printed view, walking its groups."""
    if isinstance(renderable, (Table, ListingTable, Heading)):
        return [renderable]
    if isinstance(renderable, Group):
        return [t for part in renderable.renderables for t in tables_of(part)]
    return []


def plain(cell: object, markup: bool = True) -> str:
    """A cell's text: a plain Rich table reads a string as markup, a listing never does."""
    if isinstance(cell, Text):
        return cell.plain
    return (Text.from_markup(cell).plain if markup else cell) if cell else ""


def cells_of(table: Table | ListingTable) -> tuple[str, list[str], list[list[str]], bool]:
    """A table's title, headers, rows of plain cells, and whether it shows its headers."""
    if isinstance(table, ListingTable):
        rows = [[plain(c, markup=False) for c in row] for row in table.rows]
        return table.title, [c["header"] for c in table.columns], rows, True
    columns = [[plain(cell) for cell in column._cells] for column in table.columns]
    return (plain(table.title), [plain(c.header) for c in table.columns], [list(row) for row in zip(*columns)],
            table.show_header)


def printed_tables(monkeypatch: pytest.MonkeyPatch, args: list[str], headings: bool = False) -> list:
    """The tables the command prints as a table, caught on their way to the terminal; with
    ``headings``, the section headings above any of them too."""
    shown: list = []
    with monkeypatch.context() as patch:
        patch.setattr(common.out, "print", lambda renderable, *a, **k: shown.append(renderable))
        result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    found = [t for renderable in shown for t in tables_of(renderable)]
    last = max((k for k, t in enumerate(found) if not isinstance(t, Heading)), default=-1)
    return [t for k, t in enumerate(found) if (headings and k < last) or not isinstance(t, Heading)]


def csv_blocks(text: str) -> list[list[list[str]]]:
    """The CSV's rows, in blocks separated by blank lines."""
    blocks: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(text)):
        if row:
            blocks[-1].append(row)
        else:
            blocks.append([])
    return blocks


def markdown_tables(text: str) -> list[tuple[str, list[list[str]]]]:
    """Each pipe table's ``### title`` (or "") and its rows of cells, the alignment row left out."""
    lines, found, i = text.split("\n"), [], 0
    while i < len(lines):
        if not lines[i].startswith("|"):
            i += 1
            continue
        start = i
        while i < len(lines) and lines[i].startswith("|"):
            i += 1
        title = lines[start - 2][4:] if start >= 2 and lines[start - 2].startswith("### ") else ""
        rows = [[c.replace("\\|", "|").replace("<br>", "\n") for c in re.split(r"(?<!\\) \| ", line[2:-2])]
                for line in lines[start:i]]
        found.append((title, [rows[0], *rows[2:]]))
    return found


def run(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def command_args(tmp_path):
    ballots = tmp_path / "small.soc"
    ballots.write_text(BALLOTS, encoding="utf-8")
    return lambda name: [str(ballots) if a == "{ballots}" else a for a in COMMANDS[name][0]]


# --------------------------------------------------------------------------- every command: the cells, as printed


@pytest.mark.parametrize("name", list(COMMANDS))
def test_csv_holds_exactly_the_cells_of_each_table(name, command_args, monkeypatch):
    args = command_args(name)
    items = printed_tables(monkeypatch, args, headings=True)
    assert len([t for t in items if not isinstance(t, Heading)]) == COMMANDS[name][1]
    expected = []
    for table in items:
        if isinstance(table, Heading):  # which question the tables below answer: a one-cell block
            expected.append([[table.plain]])
            continue
        title, headers, rows, header_shown = cells_of(table)
        expected.append(([[title]] if len(items) > 1 else []) + ([headers] if header_shown else []) + rows)
    assert csv_blocks(run([*args, "--format", "csv"])) == expected


@pytest.mark.parametrize("name", list(COMMANDS))
def test_markdown_has_one_pipe_table_per_table_with_the_same_cells(name, command_args, monkeypatch):
    args = command_args(name)
    tables = printed_tables(monkeypatch, args)
    expected = []
    for table in tables:
        title, headers, rows, header_shown = cells_of(table)
        expected.append((" ".join(title.split()), [headers if header_shown else [""] * len(headers), *rows]))
    text = run([*args, "-f", "markdown"])
    assert markdown_tables(text) == expected
    headings = [h.plain for h in printed_tables(monkeypatch, args, headings=True) if isinstance(h, Heading)]
    assert [line[3:] for line in text.split("\n") if line.startswith("## ")] == headings


def test_division_666_party_split_as_csv_and_markdown():
    """The customs union of 1 April 2019, lost 273 to 276, from the bundled aggregate."""
    split = [
        ("Conservative", 36, 236, 41, "0.74"), ("Labour", 230, 10, 6, "0.92"),
        ("Scottish National Party", 0, 0, 35, "—"), ("Independent", 6, 14, 2, "0.40"),
        ("Liberal Democrat", 1, 5, 5, "0.67"), ("Democratic Unionist Party", 0, 10, 0, "1.00"),
        ("Sinn Féin", 0, 0, 7, "—"), ("Plaid Cymru", 0, 0, 4, "—"), ("Green Party", 0, 1, 0, "1.00"),
        ("Speaker", 0, 0, 1, "—"),
    ]
    assert sum(r[1] for r in split) == 273 and sum(r[2] for r in split) == 276
    rows = "".join(",".join(map(str, r)) + "\n" for r in split)
    assert run(["division", "666", "--format", "csv"]) == "party,aye,no,no vote,Rice\n" + rows
    markdown = "".join("| " + " | ".join(map(str, r)) + " |\n" for r in split)
    assert run(["division", "666", "-f", "markdown"]) == (
        "### By party\n\n| party | aye | no | no vote | Rice |\n| --- | ---: | ---: | ---: | ---: |\n" + markdown)


def test_elect_names_are_quoted_escaped_and_never_markup(command_args):
    args = command_args("elect")[:2] + ["-r", "borda"]
    assert run([*args, "-f", "csv"]) == (
        "Head-to-head margins (row over column)\n"
        ',"Smith, J",Pipe|Line,Plain [bold]\n'
        '"Smith, J",·,+3,-1\n'
        "Pipe|Line,-3,·,+5\n"
        "Plain [bold],+1,-5,·\n"
        "\n"
        "Winners by rule\n"
        "rule,winner(s),ranking / count,notes\n"
        'borda,"Smith, J = Pipe|Line (tie)","Smith, J = Pipe|Line > Plain [bold]",\n'
    )
    assert "| Pipe\\|Line | -3 | · | +5 |\n" in run([*args, "-f", "markdown"])


def test_a_view_without_a_table_exports_nothing_and_says_why():
    result = runner.invoke(app, ["divisions", "--search", "no such words anywhere", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "No divisions in" in result.stderr


# --------------------------------------------------------------------------- --json is --format json


@pytest.mark.parametrize("args", [["division", "666"], ["power", "--weights", "A=4,B=4,C=1"], ["rules"]])
def test_json_is_short_for_format_json(args):
    short = run([*args, "--json"])
    assert json.loads(short)
    assert run([*args, "--format", "json"]) == short
    assert run([*args, "-f", "json"]) == short
    assert run([*args, "--json", "--format", "json"]) == short


@pytest.mark.parametrize("given, other", [(["--json", "--format", "csv"], "csv"), (["-f", "markdown", "--json"], "markdown")])
def test_json_beside_another_format_is_refused_in_one_line(given, other, tmp_path):
    # refused before any work: the missing ballot file is never read
    for args in (["division", "666"], ["elect", str(tmp_path / "missing.soc")]):
        result = runner.invoke(app, [*args, *given])
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (f"error: --json is short for --format json: give --json or --format {other}, "
                                 "not both\n")


# --------------------------------------------------------------------------- the exporters


def test_cells_are_plain_text_quoted_escaped_and_without_control_characters():
    table = LiteralTable(title="Odd | names", caption="What the\nodd names are.")
    table.add_column("name")
    table.add_column("votes", justify="right")
    table.add_row(Text("Smith, \"J\"", style="bold"), "1")
    table.add_row("two\nlines", "[red]2[/red]")
    table.add_row("a|b\x1b[31m", "3")
    assert to_csv(table) == 'name,votes\n"Smith, ""J""",1\n"two\nlines",[red]2[/red]\na|b[31m,3\n'
    assert to_markdown(table) == (
        "### Odd | names\n\n| name | votes |\n| --- | ---: |\n| Smith, \"J\" | 1 |\n| two<br>lines | [red]2[/red] |\n"
        "| a\\|b[31m | 3 |\n\nWhat the\nodd names are.\n"
    )


def test_several_tables_each_titled_a_listing_and_a_headless_plain_table():
    listing = ListingTable(title="Divisions")
    listing.add_column("id")
    listing.add_column("title", wrap=True)
    listing.add_row("1", Text("[not markup]", style="dim"))
    headless = Table(title="[b]Coalitions[/b]", show_header=False)
    headless.add_column()
    headless.add_column(justify="center")
    headless.add_row("A + B", "[i]8[/i]")
    view = Group(Text("a line the exports leave out"), listing, Group(headless))
    assert to_csv(view) == "Divisions\nid,title\n1,[not markup]\n\nCoalitions\nA + B,8\n"
    assert to_markdown([view]) == ("### Divisions\n\n| id | title |\n| --- | --- |\n| 1 | [not markup] |\n\n"
                                   "### Coalitions\n\n|  |  |\n| --- | :---: |\n| A + B | 8 |\n")


def test_no_table_no_export():
    assert to_csv(Group(Text("nothing tabulated"))) == ""
    assert to_markdown(Text("nothing tabulated")) == ""


# --------------------------------------------------------------------------- a fetch, from test_fetch's loopback API


def test_fetch_members_as_csv_is_the_table_alone(api, dirs):
    test_fetch_members.serve(api, 4501, (200, {}, test_fetch_members.SOUBRY))
    result = test_fetch_members.fetch(api, dirs, "4501", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("member,chamber,party,from,to\n"
                             "4501,Commons,Conservative,2010-05-06,2019-02-19\n"  # a switch: the day before
                             "4501,Commons,The Independent Group,2019-02-20,2019-03-28\n"
                             "4501,Commons,Change UK - The Independent Group,2019-03-29,2019-12-12\n")
    assert "member 4501: downloaded" not in result.stderr  # the progress notes go with the terminal's table


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_an_export_says_the_rest_on_stderr(fmt):
    """Only the tables' cells go to stdout; the caveat, the verdict and (for CSV, which has no place
    for captions) the note under the options say themselves on stderr, never lost."""
    from tellers.parliament.preferences.spatial import SPATIAL_CAVEAT

    result = runner.invoke(app, ["majority", "--options", "1apr", "--infer", "spatial", "-f", fmt])
    assert result.exit_code == 0, result.output
    assert SPATIAL_CAVEAT not in result.stdout
    assert result.stderr.count(f"Caveat: {SPATIAL_CAVEAT}") == 2
    assert "Parliamentary supremacy beats every other option head to head" in result.stderr
    result = runner.invoke(app, ["majority", "--options", "27mar", "-f", fmt])
    note = "the House was told, and the press reported, 188–283, 65–377, 264–272."
    assert (note in " ".join(result.stderr.split())) is (fmt == "csv")
    assert (note in " ".join(result.stdout.split())) is (fmt == "markdown")
