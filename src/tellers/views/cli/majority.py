"""What can win a majority: `tellers demo`, `majority`, `options` and `idealpoints`."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from tellers.errors import TellersError
from tellers.parliament.draws import QUICK_DRAWS
from tellers.views.cli.common import (
    ChamberOption, DataOption, DbOption, FormatOption, FromOption, JsonOption, SearchOption, TestedOption, ToOption, app,
    day, house_from, out, progress, say, show, tested_value, user_errors,
)
from tellers.views.report.literal import LiteralTable


class Infer(str, Enum):
    """How ballots are inferred from recorded votes."""

    revealed = "revealed"
    spatial = "spatial"


DimsOption = Annotated[int, typer.Option("--dims", min=1, max=2, help="Dimensions of the ideal-point scale (1 or 2).")]
AnchorOption = Annotated[
    Optional[list[str]],
    typer.Option("--anchor", help="Member or party whose mean position is made positive (repeat: one per dimension). "
                 "Default: the largest party."),
]
JobsOption = Annotated[int, typer.Option("--jobs", min=1, help="Processes for the bootstrap replicates.")]


class Completions(str, Enum):
    """A model of the preferences the votes leave unsaid."""

    uniform = "uniform"
    party = "party"
    spatial = "spatial"


CompletionsOption = Annotated[
    Optional[Completions],
    typer.Option("--completions", show_default=False,
                 help="How sure is the verdict: exact bounds over every completion of the members' votes, and "
                      "simulated completions under this model ('uniform': every completion the votes allow equally likely; "
                      "'party': unknown pairs ordered as a co-partisan who revealed them chose; 'spatial': by noisy distance on "
                      "the chamber's ideal-point scale, over bootstrap replicates)."),
]
DrawsOption = Annotated[
    Optional[int], typer.Option("--draws", min=1, show_default=False, help="Completions to draw (default 20,000).")
]
DEMO_DRAWS = QUICK_DRAWS
"""Completions the demo draws per model and question."""
SeedOption = Annotated[int, typer.Option("--seed", min=0, help="Seed of the draws: the same seed, the same figures.")]


def assess_with_progress(analysis, model: str, draws: int | None, seed: int, house=None):
    """:func:`tellers.parliament.robustness.assess`, with a progress bar on a terminal."""
    from tellers.parliament.robustness import DRAWS, assess

    draws = DRAWS if draws is None else draws
    with progress(draws, f"drawing {draws:,} completions ({model})") as advance:
        return assess(analysis, model=model, draws=draws, seed=seed, house=house, progress=advance)


def checked_with_progress(house, analysis, models: list[str], draws: int, seed: int) -> tuple[list, list]:
    """Each model's completions drawn once, then read twice: how sure the verdict is
    (:func:`tellers.parliament.robustness.assess`) and what every procedure adopts
    (:func:`tellers.parliament.procedures.every_procedure`; none where it does not apply)."""
    from tellers.parliament.procedures import every_procedure
    from tellers.parliament.robustness import assess, concurrently, draw_completions

    def check(model: str):
        with progress(draws, f"drawing {draws:,} completions ({model})") as advance:
            drawn = draw_completions(analysis, model, draws, seed, house, progress=advance)
        checked = assess(analysis, model=model, draws=draws, seed=seed, house=house, drawn=drawn)
        with progress(draws, f"running every procedure on {draws:,} completions ({model})") as advance:
            runs = every_procedure(house, analysis, model=model, draws=draws, seed=seed, progress=advance, drawn=drawn)
        return checked, runs

    # one model at a time under progress bars (one live display at once), else in threads
    tasks = [lambda model=model: check(model) for model in models]
    done = [task() for task in tasks] if out.is_terminal or "spatial" in models else concurrently(tasks)
    return [c for c, _ in done], [runs for _, runs in done if runs is not None]


OptionsHelp = ("Options, comma-separated: division ids (666), option ids (customs_union), labels "
               "(\"common market 2.0\") or a question id (27mar). `tellers options` lists them.")


def write_report(path: Path, document: str) -> None:
    """Write an HTML report, or a clear error."""
    try:
        path.write_text(document, encoding="utf-8")
    except OSError as exc:
        raise TellersError(f"{path}: cannot write the report: {exc.strerror or exc}") from None
    say(f"wrote {path} ({len(document.encode()) // 1024:,} KiB; opens offline in any browser)")


@app.command()
def demo(
    question: Annotated[
        Optional[list[str]], typer.Option("--question", "-q", help="Which question(s): 1apr, 27mar. Default: both.")
    ] = None,
    members: Annotated[bool, typer.Option("--members", help="Also list members by voting pattern (needs member-level data: --data or --db).")] = False,
    tested: TestedOption = None,
    db: DbOption = None,
    data: Annotated[
        Optional[Path],
        typer.Option("--data", help="Member-level records (e.g. shared/data/commons-2019-brexit) instead of the bundled aggregate."),
    ] = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    html_out: Annotated[
        Optional[Path], typer.Option("--html", help="Also write the report with charts to this HTML file (opens offline).")
    ] = None,
    completions: Annotated[
        Optional[list[Completions]],
        typer.Option("--completions", show_default=False,
                     help="Models of what the votes leave unsaid, to check the verdict over (repeat). Default: uniform and party."),
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", min=1, help="Completions to draw per model and question.")
    ] = DEMO_DRAWS,
    seed: SeedOption = 0,
) -> None:
    """The main job: what could have won a Commons majority on Brexit in 2019, from the division lists."""
    from tellers.parliament.cases import bundled_catalogue
    from tellers.parliament.head_to_head import analyse_options
    from tellers.parliament.options import choose_questions, no_questions
    from tellers.views.report.majority import demo_header, majority_json, majority_view, members_table
    from tellers.views.report.procedures import shares_view

    with user_errors():
        wanted = bundled_catalogue().asked()
        with house_from(db, data, wanted=wanted) as house:
            if members and not house.member_level:
                raise TellersError("--members lists members by name: give member-level records with --data DIR or a database with --db")
            questions = choose_questions(house, question)
            if not questions:
                raise no_questions(house, ": compare some with `tellers majority --options`")
            analyses = {q.id: analyse_options(house, [q.id], tested_value(tested)) for q in questions}
            models = [m.value for m in completions] if completions else ["uniform", "party"]
            checked = {key: checked_with_progress(house, a, list(dict.fromkeys(models)), draws, seed)
                       for key, a in analyses.items()}
            checks = {key: c for key, (c, _) in checked.items()}
            agendas = {key: runs for key, (_, runs) in checked.items()}
            if html_out is not None:
                from tellers.views.report.html import build_report, catalogue_sections

                write_report(html_out, build_report(house, catalogue_sections(house, list(analyses), tested_value(tested))))
            def view() -> list:
                size = house.voting_patterns(sorted(set(wanted) & set(house.division_ids()))).num_members
                parts: list = [demo_header(house.catalogue.title, house.source, size)]
                for q in questions:
                    parts.append(majority_view(analyses[q.id], q.title, party_short=house.catalogue.party_short,
                                               robustness=checks[q.id]))
                    for runs in agendas[q.id]:
                        parts.append(shares_view(runs, title=f"What each procedure would have adopted ({runs[0].model} model)"))
                    if members:
                        parts.append(members_table(analyses[q.id]))
                return parts

            show(fmt, as_json, view=view, doc=lambda: {
                key: majority_json(a) | {"robustness": [r.to_dict() for r in checks[key]]}
                | {"procedures": [[s.to_dict() for s in runs] for runs in agendas[key]]} for key, a in analyses.items()})


@app.command()
def majority(
    options: Annotated[str, typer.Option("--options", help=OptionsHelp)],
    db: DbOption = None,
    data: DataOption = None,
    chamber: ChamberOption = None,
    tested: TestedOption = None,
    infer: Annotated[
        Infer,
        typer.Option("--infer", help="Ballots from Aye/No pairs ('revealed'), or complete rankings by distance on an "
                     "ideal-point scale of all the chamber's divisions ('spatial')."),
    ] = Infer.revealed,
    dims: DimsOption = 1,
    anchor: AnchorOption = None,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", min=0, help="With --infer spatial: replicates of a parametric bootstrap; "
                          "reports each option's share of Condorcet wins.")
    ] = 0,
    jobs: JobsOption = 1,
    completions: CompletionsOption = None,
    draws: DrawsOption = None,
    seed: SeedOption = 0,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """Which option can win a majority: the head-to-head record of any options."""
    from tellers.parliament.head_to_head import SpatialSettings, analyse_options
    from tellers.views.report.majority import majority_json, majority_view

    with user_errors():
        if bootstrap and infer is not Infer.spatial:
            raise TellersError("--bootstrap needs --infer spatial")
        settings = SpatialSettings(None, dims, anchor or None, bootstrap=bootstrap, n_jobs=jobs)
        with house_from(db, data, chamber) as house:
            analysis = analyse_options(house, options, tested_value(tested), infer=infer.value, spatial=settings)
            party_short = house.catalogue.party_short
            robustness = (None if completions is None
                          else assess_with_progress(analysis, completions.value, draws, seed, house))
        from tellers.views.report.robustness import robustness_view

        title = "Head to head: " + ", ".join(t.label for t in analysis.options)
        show(fmt, as_json,
             doc=lambda: majority_json(analysis) | ({} if robustness is None else {"robustness": robustness.to_dict()}),
             view=lambda: [majority_view(analysis, title, party_short=party_short, robustness=[robustness] if robustness else []),
                           *([] if robustness is None else [robustness_view(robustness)])])


@app.command("options")
def list_options(db: DbOption = None, data: DataOption = None, as_json: JsonOption = False,
                 fmt: FormatOption = None) -> None:
    """List the options and questions of the catalogue that the data can answer."""
    from tellers.views.report.options import options_json

    with user_errors():
        with house_from(db, data) as house:
            doc, title = options_json(house), house.catalogue.title
        show(fmt, as_json, doc=lambda: doc, view=lambda: _options_view(doc, title))


def _options_view(doc: dict, title: str) -> list:
    """The options' table, each question's line and a hint."""
    table = LiteralTable(title=title, title_justify="left")
    for name in ("id", "label", "short", "divisions"):
        table.add_column(name, style="bold" if name == "id" else None, no_wrap=name != "label")
    for o in doc["options"]:
        cells = Text(", ").join(Text(d, style="" if d in o["here"] else "dim") for d in o["divisions"])
        table.add_row(o["id"], o["label"], o["short"], cells)
    return [table, *(Text.assemble((q["id"], "bold"), f": {q['title']} ({', '.join(q['options'])}; {q['tested']} divisions)")
                     for q in doc["questions"]),
            "[dim]Name options by id, label, division id, or a question id (--options 27mar). "
            "Dim divisions are not in the data.[/]"]


@app.command()
def idealpoints(
    dims: DimsOption = 1,
    divisions: Annotated[
        Optional[list[str]],
        typer.Option("--divisions", help="Division ids to scale (comma-separated or repeated). Default: all of the chamber's."),
    ] = None,
    anchor: AnchorOption = None,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", min=0, help="Replicates of a parametric bootstrap for the intervals (0: asymptotic).")
    ] = 0,
    jobs: JobsOption = 1,
    lapse: Annotated[
        float, typer.Option("--lapse", min=0.0, max=0.49, help="Lapse rate ε in P(Aye) = ε + (1 − 2ε)·Φ(α + βx), a floor on the chance of either vote (0: the plain probit). The default predicts withheld votes best (benchmarks/results/lapse.md).")
    ] = 0.0075,
    min_votes: Annotated[
        Optional[int], typer.Option("--min-votes", min=1, help="Drop members with fewer votes. Default: 20, or a quarter of the votes when fewer than 80.")
    ] = None,
    min_minority: Annotated[
        float, typer.Option("--min-minority", min=0.0, max=0.49, help="Drop votes whose minority is a smaller share of those voting.")
    ] = 0.025,
    since: FromOption = None,
    until: ToOption = None,
    search: SearchOption = None,
    db: DbOption = None,
    data: DataOption = None,
    chamber: ChamberOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """Place members (and the options voted on) on a scale from their votes: ideal points, with intervals.

    Pick the divisions with --divisions, or a period and words with --from, --to and --search
    (e.g. the 116th Senate: --from 2019-01-03 --to 2021-01-03)."""
    from tellers.parliament.preferences.idealpoints import bootstrap_ideal_points, fit_ideal_points
    from tellers.parliament.preferences.spatial import place_voted_options
    from tellers.parliament.titles import shown
    from tellers.views.report.idealpoints import idealpoints_json, idealpoints_view

    with user_errors():
        wanted = [d.strip() for item in divisions or [] for d in item.split(",") if d.strip()] or None
        picking = since is not None or until is not None or bool(search and search.strip())
        if wanted and picking:
            raise TellersError("give --divisions, or --from, --to and --search, not both")
        with house_from(db, data, chamber) as house:
            if picking:
                start, end = day(since), day(until)
                wanted = [t.id for t in house.find(start, end, search)]
                if not wanted:
                    raise TellersError(f"no divisions{_period_words(start, end, search)} in {house.source}", listing="divisions")
            votes = house.member_votes(wanted, chamber).with_parties(house.catalogue.party_aliases)
            source, options = house.source, list(house.catalogue.options.values())
            what = shown(house, votes.divisions).words
        fit = fit_ideal_points(votes, dims=dims, anchor=anchor or None, lapse=lapse, min_votes=min_votes,
                               min_minority=min_minority)
        model = place_voted_options(fit, votes, options)
        boot = bootstrap_ideal_points(fit, bootstrap, n_jobs=jobs) if bootstrap else None
        show(fmt, as_json, doc=lambda: idealpoints_json(fit, model, boot),
             view=lambda: idealpoints_view(fit, model, boot, source, shown=what))


def _period_words(since: date | None, until: date | None, search: str | None) -> str:
    """The period and words asked, for a message: `` from 2019-01-03 to 2021-01-03 whose title holds 'tax cut'``."""
    words = (f" from {since}" if since else "") + (f" to {until}" if until else "")
    return words + (f" whose title holds {' '.join(search.split())!r}" if search and search.strip() else "")
