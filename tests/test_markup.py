"""Text is never markup, and JSON is JSON: names, titles and paths from the data reach the
terminal as written, whatever brackets, emoji codes or escape characters they hold."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from rich.text import Text
from typer.testing import CliRunner

from tellers.errors import TellersError
from tellers.records.model import Division, DivisionRecords, Member, Vote, VoteKind
from tellers.records.store import Store
from tellers.views.cli import app
from tellers.views.cli.common import print_json
from tellers.views.report.literal import LiteralConsole, LiteralTable

runner = CliRunner()
WIDE = {"COLUMNS": "250"}  # no title, name or column header wraps
HYPERLINK = "\x1b]8;"
LINK = "[link=https://example.com]Click[/link]"

TITLE = "T [/link]"
PARTY = "Lab[/i]"
MEMBER = "[bold]x"
EMOJI_PARTY = "Con :smile:"
"""Hostile texts stored in the database: a division title, parties and a member's name."""

CUTS = (-0.6, -0.3, 0.0, 0.2, 0.5, -0.1, 0.35, -0.45)
TITLES = (TITLE, f"{LINK} motion", "[bold red]Customs union", "Public vote \\[x]", "Revoke [/]", "EEA :smile:",
          "No deal [i]", "Norway [/link]")


def _members() -> list[Member]:
    """24 members on a line from -1 to 1: the left half in ``PARTY``, the right in ``EMOJI_PARTY``."""
    members = []
    for i in range(24):
        name = MEMBER if i == 7 else f"Member {i} [dim]"  # 7 votes against their party in division 900
        members.append(Member(str(i + 1), name, PARTY if i < 12 else EMOJI_PARTY, f"Seat {i}"))
    return members


def _position(i: int) -> float:
    return -1 + 2 * i / 23


def _records() -> DivisionRecords:
    """Eight divisions in which members vote Aye when right of a cut, with a few crossing over."""
    members = _members()
    divisions, votes = [], []
    for j, (cut, title) in enumerate(zip(CUTS, TITLES)):
        ayes = noes = 0
        for i, m in enumerate(members):
            aye = (_position(i) > cut) != ((i + j) % 7 == 0)  # some members cross the line
            kind = VoteKind.AYE if aye else VoteKind.NO
            ayes, noes = ayes + aye, noes + (not aye)
            votes.append(Vote(str(900 + j), m.id, kind, m.party))
        divisions.append(Division(str(900 + j), "Commons", date(2019, 3, 1) + timedelta(days=j), title,
                                  number=j + 1, ayes=ayes, noes=noes))
    return DivisionRecords("hostile [/link].json", "Commons", tuple(members), tuple(divisions), tuple(votes))


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("markup") / "[red]hostile.duckdb"
    with Store(db) as store:
        store.import_records([_records()])
    return db


@pytest.fixture(scope="module")
def ballots(tmp_path_factory) -> dict[str, Path]:
    """Ballot files with hostile candidates: CSV (where ``=`` ties two candidates) and PrefLib."""
    folder = tmp_path_factory.mktemp("ballots")
    csv = folder / "hostile.csv"
    csv.write_text(f'first,second,third,count\n"{LINK}",Bob :smile:,"[bold]Ann [/]",3\n'
                   f'Bob :smile:,"[bold]Ann [/]","{LINK}",2\n"[bold]Ann [/]","{LINK}",Bob :smile:,2\n',
                   encoding="utf-8")
    soc = folder / "hostile.soc"
    soc.write_text(
        "# FILE NAME: hostile.soc\n# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 7\n"
        "# NUMBER UNIQUE ORDERS: 3\n"
        f"# ALTERNATIVE NAME 1: {LINK}\n# ALTERNATIVE NAME 2: Bob :smile:\n# ALTERNATIVE NAME 3: [bold]Ann [/]\n"
        "3: 1,2,3\n2: 2,3,1\n2: 3,1,2\n",
        encoding="utf-8",
    )
    return {"csv": csv, "soc": soc}


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args, env=WIDE)
    assert result.exit_code == 0, result.output
    assert HYPERLINK not in result.output
    return result.output


def _terminal(renderable) -> str:
    """What a colour terminal receives for ``renderable`` (styles and hyperlinks included)."""
    buffer = io.StringIO()
    LiteralConsole(file=buffer, force_terminal=True, color_system="standard", width=250).print(renderable)
    return buffer.getvalue()


def _plain(renderable) -> str:
    buffer = io.StringIO()
    LiteralConsole(file=buffer, width=250).print(renderable)
    return buffer.getvalue()


# --------------------------------------------------------------------------- division records


def test_divisions_lists_hostile_titles_as_written(hostile_db):
    output = _ok(["divisions", "--db", str(hostile_db)])
    for title in TITLES:
        assert title in output
    assert "[red]hostile.duckdb" in output  # the database's path, in the table's title


def test_division_shows_hostile_title_party_and_member_as_written(hostile_db):
    output = _ok(["division", "900", "--db", str(hostile_db)])
    assert TITLE in output and PARTY in output and EMOJI_PARTY in output
    assert MEMBER in output  # a rebel
    assert "[red]hostile.duckdb" in output  # the data: line names the database


def test_division_views_in_a_terminal_keep_text_literal(hostile_db):
    from tellers.parliament.house import open_house
    from tellers.views.report.divisions import division_view, divisions_view

    house = open_house(hostile_db, None)
    try:
        listing, one = house.divisions(), house.division("901")
        for render in (_terminal, _plain):
            text = render(divisions_view(listing, house.source)) + render(division_view(one))
            assert HYPERLINK not in text
            assert f"{LINK} motion" in text and PARTY in text and EMOJI_PARTY in text
    finally:
        house.close()


# --------------------------------------------------------------------------- analyses


def test_majority_labels_options_with_hostile_titles(hostile_db):
    output = _ok(["majority", "--options", "900,901,902", "--db", str(hostile_db)])
    assert TITLE in output and f"{LINK} motion" in output and "[bold red]Customs union" in output
    assert PARTY in output  # the by-party table's column header


def test_whatif_names_hostile_members_and_parties(hostile_db):
    output = _ok(["whatif", "900", "--db", str(hostile_db)])
    assert TITLE in output and EMOJI_PARTY in output and "Member 12 [dim]" in output


def test_power_of_hostile_parties(hostile_db):
    output = _ok(["power", "--parties", "900", "--db", str(hostile_db)])
    assert PARTY in output and EMOJI_PARTY in output


def test_idealpoints_of_hostile_members(hostile_db):
    output = _ok(["idealpoints", "--db", str(hostile_db)])
    assert MEMBER in output and PARTY in output and EMOJI_PARTY in output


# --------------------------------------------------------------------------- elections


def test_elect_shows_hostile_candidates_as_written(ballots):
    output = _ok(["elect", str(ballots["soc"])])
    assert LINK in output and "Bob :smile:" in output and "[bold]Ann [/]" in output
    # in a CSV, "=" ties two candidates at one place: the link splits, and still shows as written
    output = _ok(["elect", str(ballots["csv"])])
    assert "[link" in output and "https://example.com]Click[/link]" in output and "[bold]Ann [/]" in output


def test_elect_in_a_terminal_makes_no_hyperlink(ballots):
    from tellers.ballots import rules
    from tellers.records.readers import load_profile
    from tellers.views.report.election import election_view

    for path in ballots.values():
        profile = load_profile(path)
        results = {name: rules.run(name, profile) for name in ("plurality", "irv", "schulze")}
        text = _terminal(election_view(str(path), profile, results))
        assert "\x1b[" in text  # styled: a terminal
        assert HYPERLINK not in text and "Bob :smile:" in text


def test_elect_command_on_a_colour_terminal_makes_no_hyperlink(ballots):
    """The real command, its consoles created on a terminal (FORCE_COLOR), in its own process."""
    env = os.environ | {"FORCE_COLOR": "1", "COLUMNS": "250"}
    env.pop("NO_COLOR", None)
    code = "from tellers.views.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code, "elect", str(ballots["soc"]), "-r", "irv"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "\x1b[" in done.stdout and HYPERLINK not in done.stdout
    assert LINK in done.stdout


def test_escape_characters_in_text_never_reach_the_terminal():
    """Rich passes control characters in text straight through; the command line's consoles drop them."""
    table = LiteralTable(title="t\x1b[2J")
    table.add_column("a\x07")
    table.add_row("x\x1b]8;;https://example.com\x1b\\Click\x1b]8;;\x1b\\ \x9b31m")
    text = _terminal(table)
    assert HYPERLINK not in text and "\x1b[2J" not in text and "\x07" not in text and "\x9b" not in text
    assert "]8;;https://example.com\\Click" in text
    assert "\x1b[" in text  # the console's own styles still pass


def test_literal_table_renders_plain_text_as_a_rich_table_does():
    from rich.table import Table

    tables = []
    for cls in (Table, LiteralTable):
        table = cls(title="Title", caption="Caption", title_justify="left")
        table.add_column("name", style="bold")
        table.add_column("n", justify="right")
        table.add_row("Ann Ash", "3")
        table.add_row(Text("Bob", style="green"), "12")
        tables.append(_terminal(table))
    assert tables[0] == tables[1]


# --------------------------------------------------------------------------- errors and JSON


def test_an_error_message_is_printed_as_written(tmp_path):
    missing = tmp_path / "[bold]no [/link] such.csv"
    result = runner.invoke(app, ["elect", str(missing)], env=WIDE)
    assert result.exit_code == 2
    assert "[bold]no [/link] such.csv" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_print_json_refuses_non_finite_numbers(bad, capsys):
    with pytest.raises(TellersError, match=r"non-finite number \((nan|inf|-inf) at results\.irv\[1\]\.A\)"):
        print_json({"results": {"irv": [{"A": 1.0}, {"A": bad}]}, "ok": 1})
    assert capsys.readouterr().out == ""  # nothing half-written


def test_print_json_writes_strict_json(capsys):
    print_json({"a": [1, 2.5, None], "b": "[bold]x"})
    assert json.loads(capsys.readouterr().out) == {"a": [1, 2.5, None], "b": "[bold]x"}


def test_a_command_whose_result_is_not_finite_exits_2(monkeypatch):
    """A non-finite number in a command's --json output is a clean error (exit 2), not invalid JSON."""
    from tellers.views.report import election

    def poisoned(profile, results):
        doc = real(profile, results)
        doc["voters"] = math.inf
        return doc

    real = election.election_json
    monkeypatch.setattr(election, "election_json", poisoned)
    result = runner.invoke(app, ["elect", "--json", "-r", "irv"])
    assert result.exit_code == 2
    assert "non-finite number (inf at voters)" in result.stderr
    assert result.stdout == ""


def test_a_chart_spec_cannot_close_its_script_element():
    from tellers.views.report.vega import spec_json

    spec = {"title": "T </script><!--<script> [/link]", "transform": [{"filter": "datum.x < 0"}]}
    written = spec_json(spec)
    assert "<" not in written
    assert json.loads(written) == spec
