"""Messages a new user reads: long lists summarised, one notation in --help, --version, counts
worded for one, question and option names in any case, and a busy port refused before serving."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from typer.testing import CliRunner

from tellers import __version__
from tellers.errors import OptionError
from tellers.parliament.catalogue import Catalogue, Question
from tellers.parliament.options import choose_questions
from tellers.views.cli import app
from tellers.wording import few, plural

runner = CliRunner()
FIXTURE = Path(__file__).parent / "fixtures" / "commons_division_sample.json"


def _command_paths(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command's words after `tellers`, groups included (the app itself is ())."""
    paths = [path]
    for name, sub in getattr(command, "commands", {}).items():
        paths += _command_paths(sub, (*path, name))
    return paths


# --------------------------------------------------------------------------- long lists summarised


def test_the_senate_demo_error_names_a_count_and_the_listing_not_every_division(shared_data):
    senate = shared_data / "voteview-senate"
    result = runner.invoke(app, ["demo", "--data", str(senate)])
    assert result.exit_code == 2
    error = result.stderr.strip().splitlines()[-1]
    assert len(error) < 400, error
    assert "but 2,770 Senate divisions" in error
    assert error.endswith(f"`tellers divisions --data {senate}` lists them")


def test_a_listing_hint_carries_the_data_the_command_read():
    result = runner.invoke(app, ["division", "9999", "--data", str(FIXTURE)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: no division '9999' in {FIXTURE} (member-level records); "
        f"`tellers divisions --data {FIXTURE}` lists them"
    )


def test_few_lists_a_short_list_in_full_and_summarises_a_long_one():
    assert few(["562", "576"]) == "562, 576"
    assert few(str(i) for i in range(8)) == "0, 1, 2, 3, 4, 5, 6, 7"
    assert few(f"S116-{i}" for i in range(1, 1822)) == "S116-1, S116-2, S116-3, S116-4, S116-5 and 1,816 more"
    assert few([]) == ""


# --------------------------------------------------------------------------- --help and --version


def test_every_help_reads_one_notation():
    for path in _command_paths(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (path, result.output)
        for mark in ("<bool>", "[[", "{"):
            assert mark not in result.output, (path, mark)


def test_usage_lines_name_arguments_one_way():
    def usage(*words: str) -> str:
        text = runner.invoke(app, [*words, "--help"], env={"COLUMNS": "200"}, prog_name="tellers").output
        return next(line.strip() for line in text.splitlines() if "Usage:" in line)

    assert usage("division") == "Usage: tellers division [OPTIONS] DIVISION_ID"
    assert usage("whatif") == "Usage: tellers whatif [OPTIONS] [DIVISION_ID]"
    assert usage("import") == "Usage: tellers import [OPTIONS] PATH..."
    assert usage("scenario") == "Usage: tellers scenario [OPTIONS] [FILE]"
    assert usage("fetch", "commons") == "Usage: tellers fetch commons [OPTIONS] [DIVISION_ID...]"


def test_command_summaries_are_reflowed_not_broken_where_the_docstring_broke():
    text = runner.invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    whatif = [line.strip(" │") for line in text.splitlines() if "whatif" in line]
    assert whatif == ["whatif       What it would take: the fewest members whose votes must change to reverse a division, "
                      "or for an option to beat another (or all others) head to head."]


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"tellers {__version__}\n" == "tellers 0.1.0\n"


# --------------------------------------------------------------------------- counts worded for one


def test_plural_says_one_and_many_with_thousands_separators():
    assert plural(1, "division") == "1 division"
    assert plural(0, "division") == "0 divisions"
    assert plural(2770, "division") == "2,770 divisions"
    assert plural(1, "party") == "1 party"
    assert plural(3, "party") == "3 parties"
    assert plural(2, "day") == "2 days"
    assert plural(2, "party alias") == "2 party aliases"
    assert plural(2, "person", "people") == "2 people"
    assert plural(1.0, "vote") == "1 vote"
    assert plural(2.5, "ballot") == "2.5 ballots"


def test_an_import_of_one_division_says_one_division(tmp_path):
    result = runner.invoke(app, ["import", str(FIXTURE), "--db", str(tmp_path / "one.duckdb")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "1 division added, 8 members added, 8 votes written" in result.output
    assert "one.duckdb: 1 division, 8 members, 8 votes" in " ".join(result.output.split())
    assert "1 divisions" not in result.output


# --------------------------------------------------------------------------- names in any case


def test_a_question_named_in_any_case_gives_the_same_answer():
    args = ["demo", "--json", "--draws", "20"]
    lower = runner.invoke(app, [*args, "-q", "1apr"])
    mixed = runner.invoke(app, [*args, "-q", "1Apr"])
    assert lower.exit_code == 0, lower.output
    assert mixed.exit_code == 0, mixed.output
    assert list(json.loads(mixed.stdout)) == ["1apr"]
    assert mixed.stdout == lower.stdout


def test_options_named_in_any_case_give_the_same_answer():
    lower = runner.invoke(app, ["majority", "--options", "27mar", "--json"])
    upper = runner.invoke(app, ["majority", "--options", "27MAR", "--json"])
    labels = runner.invoke(app, ["majority", "--options", "CUSTOMS_UNION,common MARKET 2.0", "--json"])
    assert upper.exit_code == 0, upper.output
    assert upper.stdout == lower.stdout
    assert labels.exit_code == 0, labels.output
    assert [o["id"] for o in json.loads(labels.stdout)["options"]] == ["customs_union", "common_market_2"]


def test_a_name_that_only_case_tells_apart_is_exact_or_refused():
    questions = {q: Question(q, q, ("a", "b")) for q in ("1apr", "1APR")}
    house = SimpleNamespace(catalogue=Catalogue("t", {}, questions), questions=lambda: list(questions.values()),
                            source="test")
    assert [q.id for q in choose_questions(house, ["1APR"])] == ["1APR"]
    with pytest.raises(OptionError) as caught:
        choose_questions(house, ["1Apr"])
    assert str(caught.value) == "'1Apr' names the questions '1apr' and '1APR', which differ only in case; name one exactly"


# --------------------------------------------------------------------------- serve on a busy port


def test_serve_on_a_busy_port_says_so_before_serving():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: port {port} on 127.0.0.1 is in use; choose another with --port"
    )
    assert "serving on" not in result.output
