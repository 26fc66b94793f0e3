"""Who is pivotal and what it would take: `tellers power`, `whatif` and `scenario`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tellers.errors import TellersError
from tellers.views.cli.common import (
    DataOption, DbOption, FormatOption, JsonOption, TestedOption, app, house_from, say_data, show, tested_value,
    user_errors,
)


def parse_weights(text: str) -> dict[str, int]:
    """{name: weight} from "France=4,Germany=4,..."."""
    weights: dict[str, int] = {}
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        name, sep, value = item.rpartition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            weight = int(value)
        except ValueError:
            raise TellersError(f"--weights: {item!r} is not NAME=WEIGHT (e.g. France=4)") from None
        if name.strip() in weights:
            raise TellersError(f"--weights: {name.strip()!r} is named twice")
        weights[name.strip()] = weight
    if not weights:
        raise TellersError("--weights: give NAME=WEIGHT pairs, e.g. --weights France=4,Germany=4,Luxembourg=1")
    return weights


@app.command()
def power(
    weights: Annotated[Optional[str], typer.Option("--weights", help="Players and weights: France=4,Germany=4,...")] = None,
    quota: Annotated[Optional[int], typer.Option("--quota", help="Weight a coalition needs. Default: a majority (for --parties: of the members eligible that day).")] = None,
    scenario_file: Annotated[Optional[Path], typer.Option("--scenario", help="The blocs of a scenario file (or the parties of its base).")] = None,
    parties: Annotated[Optional[str], typer.Option("--parties", metavar="DIVISION_ID", help="The parties as the house stood in this division.")] = None,
    members: Annotated[bool, typer.Option("--members", help="With --parties: every eligible member a player of weight 1.")] = False,
    minimal: Annotated[Optional[bool], typer.Option("--minimal/--no-minimal", help="List the minimal winning coalitions (default: for up to 16 players).")] = None,
    exact: Annotated[Optional[bool], typer.Option("--exact/--float", help="Shapley-Shubik as exact fractions, however long that takes, or as floats with a bound on their relative error. Default: fractions for up to 62 players or one distinct weight, floats above. Banzhaf is always exact.")] = None,
    db: DbOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """Who is pivotal: Shapley-Shubik and (exact) Banzhaf power of each party, bloc or player."""
    from tellers.parliament.coalitions import WeightedGame, power_indices
    from tellers.parliament.coalitions.games import listed_coalitions
    from tellers.views.report.coalitions import power_json, power_view

    with user_errors():
        if sum(x is not None for x in (weights, scenario_file, parties)) != 1:
            raise TellersError("give one of --weights NAME=W,..., --scenario FILE or --parties DIVISION_ID")
        if members and parties is None:
            raise TellersError("--members goes with --parties DIVISION_ID")
        if parties is not None:
            from tellers.parliament.coalitions.house_power import house_power

            with house_from(db, data) as house:
                p = house_power(house, parties, members=members, quota=quota, minimal=minimal, exact=exact)
            division = p.house.division
            title = f"The house in division {division.id}" + (f" ({division.date.isoformat()})" if division.date else "")
            doc = dict(minimal=p.minimal, house=p.house, blocs=p.blocs)
            result_power = p.power
        else:
            if weights is not None:
                game, blocs, house_count = WeightedGame.from_weights(parse_weights(weights), quota), None, None
                title = "Weighted game"
            else:
                from tellers.parliament.coalitions.scenario import evaluate_scenario
                from tellers.parliament.coalitions.scenario_file import load_scenario

                result = evaluate_scenario(load_scenario(scenario_file))
                game, blocs, house_count = result.power.game, result.blocs, result.house
                if quota is not None:
                    game = WeightedGame(game.players, game.weights, quota)
                title = f"Scenario: {result.scenario.title}"
            result_power = power_indices(game, exact=exact)
            doc = dict(minimal=listed_coalitions(game, minimal), house=house_count, blocs=blocs)
        show(fmt, as_json, doc=lambda: power_json(result_power, **doc), view=lambda: power_view(result_power, title, **doc))


@app.command()
def whatif(
    division_id: Annotated[Optional[str], typer.Argument(metavar="DIVISION_ID", help="The division to reverse, e.g. 666.")] = None,
    beat: Annotated[Optional[str], typer.Option("--beat", metavar="X,Y", help="Options X and Y: the fewest ballot changes for X to beat Y head to head.")] = None,
    condorcet: Annotated[Optional[str], typer.Option("--condorcet", metavar="X", help="The fewest ballot changes for option X to beat every one of --options.")] = None,
    options: Annotated[Optional[str], typer.Option("--options", help="With --condorcet: the options X must beat: division or option ids, labels, or a question id (27mar).")] = None,
    tested: TestedOption = None,
    db: DbOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """What it would take: the fewest members whose votes must change to reverse a division, or
    for an option to beat another (or all others) head to head."""
    from tellers.parliament.coalitions.ballot_changes import whatif_condorcet, whatif_options
    from tellers.parliament.coalitions.whatif import whatif_division
    from tellers.parliament.options import parse_tokens
    from tellers.views.report.coalitions import ballot_view, whatif_view

    with user_errors():
        if sum(x is not None for x in (division_id, beat, condorcet)) != 1:
            raise TellersError("give one of DIVISION_ID, --beat X,Y or --condorcet X --options A,B,...")
        if options is not None and condorcet is None:
            raise TellersError("--options goes with --condorcet X")
        if condorcet is not None and options is None:
            raise TellersError("--condorcet X needs --options A,B,... (the options X must beat) or a question id (27mar)")
        with house_from(db, data) as house:
            if division_id is not None:
                flip = whatif_division(house, division_id)
                view = whatif_view(flip)
            elif beat is not None:
                pair = parse_tokens(beat)
                if len(pair) != 2:
                    raise TellersError("--beat takes two options, X,Y: X must beat Y")
                flip = whatif_options(house, pair, pair[0], [pair[1]], tested_value(tested))
                view = ballot_view(flip)
            else:
                flip = whatif_condorcet(house, condorcet, options, tested_value(tested))
                view = ballot_view(flip)
        show(fmt, as_json, doc=flip.to_dict, view=lambda: view)


@app.command()
def scenario(
    file: Annotated[Optional[Path], typer.Argument(help="Scenario TOML file. Omit for the bundled example: the 2019 Commons on the 1 April options, as recorded, with an edit to uncomment.")] = None,
    db: Annotated[Optional[Path], typer.Option("--db", help="For edits to real divisions: use this database instead of the file's base.", show_default=False)] = None,
    data: Annotated[Optional[Path], typer.Option("--data", help="For edits to real divisions: use these record files instead of the file's base.", show_default=False)] = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """Evaluate a scenario: blocs and stances, or edits to real divisions. Each division's result,
    the head-to-head table, what changed against the record, edits that change no vote, and
    the power of each bloc."""
    from tellers.parliament.coalitions.scenario import evaluate_scenario
    from tellers.parliament.coalitions.scenario_example import EXAMPLE
    from tellers.parliament.coalitions.scenario_file import load_scenario
    from tellers.views.report.coalitions import scenario_json, scenario_view

    with user_errors():
        s = load_scenario(EXAMPLE if file is None else file)
        if db is None and data is None:
            result = evaluate_scenario(s)
            say_data(result.source + (f" — its base, {s.base}" if s.base else ""))
        else:
            with house_from(db, data) as house:
                result = evaluate_scenario(s, house)
        show(fmt, as_json, doc=lambda: scenario_json(result), view=lambda: scenario_view(result))
