"""`tellers simulate`: how often each rule and procedure finds the majority, over many elections."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tellers.errors import TellersError
from tellers.views.cli.common import (
    DbOption, DataOption, Format, FormatOption, JsonOption, TestedOption, app, house_from, output_format, progress, say,
    show, tested_value, user_errors,
)


class Culture(str, Enum):
    impartial = "impartial"
    iac = "iac"
    mallows = "mallows"
    urn = "urn"
    spatial = "spatial"
    single_peaked = "single-peaked"
    parliament = "parliament"


class Model(str, Enum):
    uniform = "uniform"
    party = "party"
    spatial = "spatial"


CULTURE_OPTIONS = {"mallows": ("phi", "reference"), "urn": ("alpha",), "spatial": ("dims", "distribution"),
                   "single-peaked": ("sampler",)}
"""Each culture's own options."""


def culture_parameters(culture: str, given: dict) -> dict:
    """The culture's parameters from the options given, or an error naming an option that
    belongs to another culture."""
    own = CULTURE_OPTIONS.get(culture, ())
    for name in given:
        if name not in own:
            owner = next(c for c, names in CULTURE_OPTIONS.items() if name in names)
            raise TellersError(f"--{name} applies to --culture {owner}, not {culture}")
    return given


def _names(text: str | None) -> list[str] | None:
    """A comma-separated list, or None when not given."""
    if text is None:
        return None
    return [name.strip() for name in text.split(",") if name.strip()]


@app.command()
def simulate(
    culture: Annotated[Culture, typer.Option("--culture", "-c", help="Where the elections come from.")] = Culture.impartial,
    candidates: Annotated[Optional[int], typer.Option("--candidates", "-m", show_default=False,
                                                      help="Options in each election (default 3; a parliament's: its options).")] = None,
    voters: Annotated[Optional[int], typer.Option("--voters", "-n", show_default=False,
                                                  help="Voters in each election (default 1,001; a parliament's: its members).")] = None,
    elections: Annotated[int, typer.Option("--elections", "-e", help="Elections to simulate.")] = 10_000,
    rules_: Annotated[Optional[str], typer.Option("--rules", metavar="R1,R2", show_default=False,
                                                  help="Rules to measure, comma-separated, or 'all' (default: the rules counted for whole batches at once).")] = None,
    procedures_: Annotated[Optional[str], typer.Option("--procedures", metavar="P1,P2", show_default=False,
                                                       help="Procedures to put, comma-separated, 'all' or 'none' (default: amendment, successive, indicative, preferential).")] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="The study's seed: the same seed, the same figures, however many workers.")] = 0,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes of a local Dask cluster (1: in this process).")] = 1,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", metavar="ADDRESS", show_default=False,
                                                     help="Send the chunks to this dask.distributed scheduler (e.g. tcp://10.0.0.5:8786).")] = None,
    agenda: Annotated[Optional[str], typer.Option("--agenda", metavar="random|given", show_default=False,
                                                  help="The procedures' order of voting: random in each election (default), "
                                                  "or the candidates' order (a parliament's default: the options' order).")] = None,
    chunk: Annotated[int, typer.Option("--chunk", min=0, help="Elections per chunk (0: by size). The figures depend on it and the seed.")] = 0,
    phi: Annotated[Optional[float], typer.Option("--phi", show_default=False, help="Mallows: dispersion, 0 (every voter on the reference order) to 1 (impartial); default 0.5.")] = None,
    reference: Annotated[Optional[str], typer.Option("--reference", metavar="2,0,1", show_default=False, help="Mallows: the reference order, candidates by index from the top (default 0,1,2,...).")] = None,
    alpha: Annotated[Optional[float], typer.Option("--alpha", show_default=False, help="Urn: copies added after each draw, as a fraction of the m! orders (0: impartial); default 0.1.")] = None,
    dims: Annotated[Optional[int], typer.Option("--dims", show_default=False, help="Spatial: dimensions (default 2).")] = None,
    distribution: Annotated[Optional[str], typer.Option("--distribution", show_default=False, help="Spatial: 'uniform' (unit cube, the default) or 'normal'.")] = None,
    sampler: Annotated[Optional[str], typer.Option("--sampler", show_default=False, help="Single-peaked: 'walsh' (the default) or 'conitzer'.")] = None,
    options: Annotated[Optional[str], typer.Option("--options", show_default=False,
                                                   help="Parliament: the options (division ids, names or a question, as for `tellers majority`).")] = None,
    completions: Annotated[Model, typer.Option("--completions", help="Parliament: how members' unknown preferences are drawn.")] = Model.uniform,
    tested: TestedOption = None,
    db: DbOption = None,
    data: DataOption = None,
    manipulation: Annotated[bool, typer.Option("--manipulation/--no-manipulation", help="Measure coalitional manipulability where it is cheap.")] = True,
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FILE.parquet", show_default=False,
                                                     help="Also write one row per chunk and measure (Parquet).")] = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """Simulate many elections: how often there is a Condorcet winner, and how often each rule and procedure picks it."""
    from tellers.ballots.simulate.execution import chunk_tallies
    from tellers.ballots.simulate.plan import plan_study
    from tellers.ballots.simulate.results import result
    from tellers.views.report.simulation import simulation_view, write_parquet

    with user_errors():
        if out_file is not None and out_file.suffix.lower() != ".parquet":
            raise TellersError(f"--out {out_file}: a study's rows are written as Parquet; name a .parquet file")
        given = {"phi": phi, "reference": reference, "alpha": alpha, "dims": dims, "distribution": distribution,
                 "sampler": sampler}
        parameters = culture_parameters(culture.value, {k: v for k, v in given.items() if v is not None})
        if scheduler is not None and workers != 1:
            raise TellersError("--workers starts a local cluster and --scheduler uses yours: give one of them")
        chamber = None
        if culture is Culture.parliament:
            if options is None:
                raise TellersError("the parliament culture draws a chamber's ballots over options: give --options "
                                   "(e.g. --options 1apr)")
            from tellers.parliament.simulation import chamber_culture

            with house_from(db, data) as house:
                chamber = chamber_culture(house, options, tested_value(tested), completions.value, seed)
            parameters = {"options": list(chamber.ids), "completions": completions.value}
        elif options is not None or db is not None or data is not None:
            raise TellersError("--options, --db and --data choose a chamber: use them with --culture parliament")
        study = plan_study(culture.value, candidates, voters, elections, seed=seed, parameters=parameters,
                           rules=_names(rules_), procedures=_names(procedures_), manipulation=manipulation,
                           chunk=chunk, chamber=chamber, agenda=agenda)
        if scheduler is None and workers > (os.cpu_count() or 1):
            say(f"note: {workers} workers on {os.cpu_count()} cores; the figures are the same, only slower", "dim")
        with progress(len(study.chunk_sizes()), f"{study.elections:,} elections") as advance:
            done = result(study, chunk_tallies(study, workers, scheduler, advance))
        if out_file is not None:
            write_parquet(out_file, done)
        show(fmt, as_json, doc=done.to_dict, view=lambda: simulation_view(done.to_dict()))
        if out_file is not None and output_format(fmt, as_json) is not Format.json:
            say(f"wrote {out_file}: one row per chunk and measure", "dim")
