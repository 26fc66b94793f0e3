"""`tellers procedure`: what an agenda, a ballot or a round robin adopts, and what an agenda setter can reach."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tellers.ballots import procedures
from tellers.errors import TellersError
from tellers.views.cli.common import (
    ChamberOption, DbOption, Format, FormatOption, JsonOption, TestedOption, app, house_from, output_format, progress, say,
    show, tested_value, user_errors,
)
from tellers.views.cli.majority import AnchorOption, Completions, DimsOption, DrawsOption, Infer, OptionsHelp

Procedure = Enum("Procedure", {name: name for name in procedures.names()}, type=str)  # type: ignore[misc]
Voting = Enum("Voting", {name: name for name in procedures.VOTING}, type=str)  # type: ignore[misc]

CompletionsOption = Annotated[
    Optional[Completions],
    typer.Option("--completions", show_default=False,
                 help="With --options: run the procedure on simulated completions of the members' votes under this model "
                      "('uniform', 'party' or 'spatial', as `tellers majority --completions`) and report each option's "
                      "share of the draws in which it is adopted."),
]
SeedOption = Annotated[
    Optional[int], typer.Option("--seed", min=0, show_default=False, help="Seed of the draws (default 0): the same seed, the same figures.")
]


@app.command("procedure")
def procedure_command(
    ballots: Annotated[
        Optional[str],
        typer.Argument(metavar="BALLOTS", show_default=False,
                       help="Ballot file (PrefLib or CSV, as `tellers elect` reads); omit it to use a chamber's votes with --options."),
    ] = None,
    procedure: Annotated[
        Procedure, typer.Option("--procedure", "-p", help="amendment or successive agenda, indicative votes, exhaustive "
                                "or preferential ballot, or a round robin (condorcet).")
    ] = Procedure.amendment,  # type: ignore[attr-defined]
    agenda: Annotated[
        Optional[list[str]], typer.Option("--agenda", metavar="A,B,C", show_default=False,
                                          help="The options in the order put, named as in the ballot file (comma-separated, "
                                               "or repeat --agenda for names with commas). Default: all, in the file's order.")
    ] = None,
    voting: Annotated[
        Voting, typer.Option("--voting", help="'sincere': vote for the option preferred of those put; 'sophisticated': "
                             "for the branch whose eventual outcome is preferred (backward induction).")
    ] = Voting.sincere,  # type: ignore[attr-defined]
    default: Annotated[
        Optional[str], typer.Option("--default", show_default=False,
                                    help="Indicative votes: the option each other one is voted on against (e.g. no deal).")
    ] = None,
    reachable: Annotated[
        bool, typer.Option("--reachable", help="Also find the options some ordering of the agenda adopts, with one agenda for each.")
    ] = False,
    options: Annotated[Optional[str], typer.Option("--options", show_default=False, help=OptionsHelp + " Their order is the agenda.")] = None,
    db: DbOption = None,
    data: Annotated[Optional[Path], typer.Option("--data", show_default=False, help="Member-level division records instead of a database.")] = None,
    chamber: ChamberOption = None,
    tested: TestedOption = None,
    infer: Annotated[
        Infer, typer.Option("--infer", help="With --options: 'spatial' ranks every option for every member by distance "
                            "on an ideal-point scale; 'revealed' needs --completions.")
    ] = Infer.revealed,
    dims: DimsOption = 1,
    anchor: AnchorOption = None,
    completions: CompletionsOption = None,
    draws: DrawsOption = None,
    seed: SeedOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """What a procedure adopts, the votes on the way, and (--reachable) what an agenda setter could reach."""
    with user_errors():
        if (ballots is None) == (options is None):
            raise TellersError("give a ballot file, or --options to use a chamber's votes (not both)")
        if draws is not None or seed is not None:
            if completions is None:
                raise TellersError("--draws and --seed apply to simulated completions: give --options and --completions")
        if ballots is not None:
            _on_ballots(Path(ballots), procedure.value, agenda, voting.value, default, reachable, output_format(fmt, as_json))
            return
        if agenda is not None:
            raise TellersError("with --options the agenda is the order of --options: drop --agenda")
        _on_chamber(options, procedure.value, voting.value, default, reachable, db, data, chamber, tested, infer,
                    dims, anchor, completions, draws, seed, output_format(fmt, as_json))


def _on_ballots(path: Path, name: str, agenda: list[str] | None, voting: str, default: str | None, reachable: bool,
                fmt: Format) -> None:
    from tellers.ballots.procedures.reach import reach
    from tellers.records.readers import load_profile
    from tellers.views.report.procedures import outcome_json, outcome_view

    profile = load_profile(path)
    order = None if agenda is None else [
        name for item in agenda
        for name in ([item] if item in profile.candidates else [a.strip() for a in item.split(",") if a.strip()])
    ]
    outcome = procedures.run(name, profile, order, voting, default)
    found = reach(procedures.motion(profile, order, voting, default, name), name) if reachable else None
    show(fmt, doc=lambda: outcome_json(outcome, found, profile.candidates),
         view=lambda: outcome_view(outcome, found, profile.candidates, str(path)))


def _on_chamber(options, name, voting, default, reachable, db, data, chamber, tested, infer, dims, anchor,
                completions, draws, seed, fmt: Format) -> None:
    from tellers.parliament import procedures as chamber_procedures
    from tellers.parliament.head_to_head import SpatialSettings, analyse_options
    from tellers.parliament.robustness import DRAWS
    from tellers.views.report.procedures import outcome_json, outcome_view, shares_view

    if completions is not None and infer is Infer.spatial:
        raise TellersError("--completions completes the revealed preferences; --infer spatial replaces them: choose one")
    with house_from(db, data, chamber) as house:
        analysis = analyse_options(house, options, tested_value(tested), infer=infer.value,
                                   spatial=SpatialSettings(None, dims, anchor or None))
        if completions is None:
            outcome, found = chamber_procedures.outcome(house, analysis, name, voting=voting, default=default,
                                                        with_reach=reachable)
            labels = analysis.profile.candidates
            show(fmt, doc=lambda: outcome_json(outcome, found, labels) | {"caveat": analysis.caveat},
                 view=lambda: outcome_view(outcome, found, labels, house.source))
            if fmt is not Format.json:
                say(analysis.caveat, "yellow")
            return
        n = DRAWS if draws is None else draws
        with progress(n, f"running {name} on {n:,} completions ({completions.value})") as advance:
            result, = chamber_procedures.shares_each(house, analysis, [(name, voting)], default=default,
                                                     model=completions.value, draws=n, seed=seed or 0,
                                                     reachable=reachable, progress=advance)
    show(fmt, doc=result.to_dict,
         view=lambda: shares_view([result], title="What the procedure adopts, over the completions of the members' votes"))
