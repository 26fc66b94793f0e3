"""The `tellers` command line. Thin: parse, call the layers below, print."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console
from rich.table import Table

from tellers.ballots import rules
from tellers.errors import TellersError
from tellers.views.report.election import election_json, election_view

app = typer.Typer(
    help="tellers: find the option a divided parliament (or any electorate) can agree on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a user's mistake as one clear line and exit 2, never a traceback."""
    try:
        yield
    except TellersError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


@app.command()
def elect(
    file: Annotated[
        Optional[str],
        typer.Argument(help="Ballot file: PrefLib .soc/.soi/.toc/.toi/.cat, or CSV. Omit for the bundled sample."),
    ] = None,
    rule: Annotated[
        Optional[list[str]], typer.Option("--rule", "-r", help="Rule to run (repeatable). Default: every rule.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
) -> None:
    """Count an election: margins, Condorcet winner or cycle, Smith set, and each rule's winners."""
    from tellers.records.readers import SAMPLE_PATH, load_profile

    with user_errors():
        path = SAMPLE_PATH if file is None else Path(file)
        profile = load_profile(path)
        names = [rules.info(r).name for r in rule] if rule else rules.names()
        results = {name: rules.run(name, profile) for name in dict.fromkeys(names)}
        if as_json:
            sys.stdout.write(json.dumps(election_json(profile, results), indent=2) + "\n")
            return
        source = f"{path.name} (bundled sample)" if file is None else str(path)
        out.print(election_view(source, profile, results))


@app.command("rules")
def list_rules() -> None:
    """List the voting rules tellers knows."""
    table = Table(title="Voting rules")
    table.add_column("name", style="bold")
    table.add_column("rule")
    table.add_column("how it decides")
    for name in rules.names():
        info = rules.info(name)
        table.add_row(name, info.title, info.summary)
    out.print(table)


# --------------------------------------------------------------------------- division records

DbOption = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        help="Database file. Default: $TELLERS_DB, else tellers.duckdb in your user data directory.",
        show_default=False,
    ),
]
ChamberOption = Annotated[
    Optional[str], typer.Option("--chamber", help="The chamber, where an id exists in several (e.g. Commons).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


class BothLobbies(str, Enum):
    """What to do with a member listed in both the Aye and the No lobby."""

    error = "error"
    record = "record"


BothLobbiesOption = Annotated[
    BothLobbies,
    typer.Option(
        "--both-lobbies",
        help="A member listed in both lobbies: 'error' stops the import; 'record' stores one "
        "'both' vote, counted in both totals.",
    ),
]


def _print_json(doc: object) -> None:
    sys.stdout.write(json.dumps(doc, indent=2) + "\n")


def _import_and_show(records: list, db: Optional[Path], as_json: bool) -> None:
    """Import records (one transaction per file) and print what each file did."""
    from tellers.views.report.divisions import import_json, import_view
    from tellers.records.store import Store

    with Store(db) as store:
        summaries = store.import_records(records)
        counts = store.counts()
        path = store.path
    if as_json:
        _print_json(import_json(summaries, path, counts))
    else:
        out.print(import_view(summaries, path, counts))


@app.command("import")
def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Division-record files or folders: Commons Votes API JSON or CSV export, the long "
            "Brexit CSV, Voteview CSVs.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    both_lobbies: BothLobbiesOption = BothLobbies.error,
    as_json: JsonOption = False,
) -> None:
    """Import division records into the database. Re-importing unchanged data changes nothing."""
    from tellers.records.readers import load_records

    with user_errors():
        # read everything first: a file that cannot be read stops the import before any write
        records = [rec for path in paths for rec in load_records(path, both_lobbies=both_lobbies.value)]
        _import_and_show(records, db, as_json)


@app.command("divisions")
def list_divisions(db: DbOption = None, chamber: ChamberOption = None, as_json: JsonOption = False) -> None:
    """List the divisions in the database: id, date, title, ayes and noes."""
    from tellers.views.report.divisions import divisions_json, divisions_view
    from tellers.records.store import Store

    with user_errors(), Store(db, read_only=True) as store:
        divisions = store.divisions(chamber)
        if as_json:
            _print_json(divisions_json(divisions))
        else:
            out.print(divisions_view(divisions, store.path))


@app.command("division")
def show_division(
    division_id: Annotated[str, typer.Argument(metavar="ID", help="Division id, e.g. 562 (see `tellers divisions`).")],
    db: DbOption = None,
    chamber: ChamberOption = None,
    as_json: JsonOption = False,
) -> None:
    """One division: the result, the split by party with each party's Rice index, and the rebels."""
    from tellers.views.report.divisions import division_json, division_view
    from tellers.records.store import Store

    with user_errors(), Store(db, read_only=True) as store:
        result = store.division(division_id, chamber)
        if as_json:
            _print_json(division_json(result))
        else:
            out.print(division_view(result))


fetch_app = typer.Typer(
    help="Download division records from a live source, cache them and import them.",
    no_args_is_help=True,
)
app.add_typer(fetch_app, name="fetch")


@fetch_app.command("commons")
def fetch_commons(
    division_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="DIVISION_ID...", help="Commons Votes DivisionIds, e.g. 562 623 664.", show_default=False
        ),
    ],
    db: DbOption = None,
    cache: Annotated[
        Optional[Path],
        typer.Option(
            "--cache",
            help="Download cache folder. Default: $TELLERS_CACHE, else your user cache directory.",
            show_default=False,
        ),
    ] = None,
    base_url: Annotated[str, typer.Option("--base-url", help="The Commons Votes API.")] = (
        "https://commonsvotes-api.parliament.uk"
    ),
    refresh: Annotated[bool, typer.Option("--refresh", help="Download again even if cached.")] = False,
    both_lobbies: BothLobbiesOption = BothLobbies.error,
    as_json: JsonOption = False,
) -> None:
    """Download Commons divisions from the Commons Votes API (cached on disk) and import them."""
    from tellers.records.readers.commons import read_commons_json
    from tellers.records.commons_api import CommonsVotesClient

    with user_errors():
        with CommonsVotesClient(base_url, cache) as client:
            fetched = []
            for division_id in division_ids:
                got = client.fetch(division_id, refresh=refresh)
                if not as_json:
                    how = "downloaded" if got.downloaded else "cached"
                    err.print(f"division {got.division_id}: {how} ({got.path})", style="dim", highlight=False)
                fetched.append(got)
        records = [read_commons_json(got.path, both_lobbies=both_lobbies.value) for got in fetched]
        _import_and_show(records, db, as_json)


class Tested(str, Enum):
    """Which division counts for an option the house voted on more than once."""

    latest = "latest"
    earliest = "earliest"


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

TestedOption = Annotated[
    Optional[Tested],
    typer.Option("--tested", help="For options voted on twice: count the latest or the earliest division."),
]


@app.command()
def demo(
    data: Annotated[
        Optional[Path],
        typer.Option("--data", help="Member-level records (e.g. shared/data/commons-2019-brexit) instead of the bundled aggregate."),
    ] = None,
    question: Annotated[
        Optional[list[str]], typer.Option("--question", "-q", help="Which question(s): 1apr, 27mar. Default: both.")
    ] = None,
    members: Annotated[bool, typer.Option("--members", help="Also list members by voting pattern (needs --data).")] = False,
    tested: TestedOption = None,
    as_json: JsonOption = False,
    html_out: Annotated[
        Optional[Path], typer.Option("--html", help="Also write the report with charts to this HTML file (opens offline).")
    ] = None,
) -> None:
    """The main job: what could have won a Commons majority on Brexit in 2019, from the division lists."""
    from tellers.parliament.head_to_head import analyse_majority
    from tellers.parliament.cases import COMMONS_2019, case_from_records, load_case
    from tellers.parliament.catalogue import load_catalogue
    from tellers.views.report.majority import demo_header, majority_json, majority_view, members_table
    from tellers.records.readers import load_records

    with user_errors():
        if data is None:
            if members:
                raise TellersError("--members lists members by name: give the member-level records with --data DIR")
            case = load_case()
        else:
            catalogue = load_catalogue(COMMONS_2019 / "options.toml")
            case = case_from_records(load_records(data), catalogue, f"{data} (member-level records)")
        catalogue = case.catalogue
        keys = question or list(catalogue.questions)
        analyses = {}
        for key in keys:
            if key not in catalogue.questions:
                raise TellersError(f"unknown question {key!r}; questions are: {', '.join(catalogue.questions)}")
            q = catalogue.questions[key]
            options = [catalogue.option(o) for o in q.options]
            analyses[key] = analyse_majority(
                case.patterns, options, case.divisions,
                tested=tested.value if tested else q.tested, party_aliases=catalogue.party_aliases,
            )
        if html_out is not None:
            from tellers.parliament.house import CaseHouse
            from tellers.views.report.html import build_report, catalogue_sections

            house = CaseHouse(case)
            _write_report(html_out, build_report(house, catalogue_sections(house, keys, tested.value if tested else None)))
        if as_json:
            _print_json({key: majority_json(a) for key, a in analyses.items()})
            return
        out.print(demo_header(catalogue.title, case.source, case.patterns.num_members))
        for key, a in analyses.items():
            out.print(majority_view(a, catalogue.questions[key].title, party_short=catalogue.party_short))
            if members:
                out.print(members_table(a))


@app.command()
def blocs(
    data: Annotated[Path, typer.Option("--data", help="Member-level division records (a file or folder).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write patterns.csv and divisions.csv into.")],
    title: Annotated[str, typer.Option(help="Title line for the files.")] = "Members by party and voting pattern",
) -> None:
    """Derive the aggregate table (members by party and voting pattern) from member-level records."""
    from tellers.parliament.cases import Case, write_case
    from tellers.parliament.catalogue import Catalogue
    from tellers.records.patterns import VotingPatterns
    from tellers.records.readers import load_records

    with user_errors():
        records = load_records(data)
        patterns = VotingPatterns.from_records(records)
        case = Case(patterns, {d.id: d for r in records for d in r.divisions}, Catalogue(title, {}, {}), str(data))
        write_case(case, out_dir, title=title)
        err.print(
            f"wrote {out_dir / 'patterns.csv'} ({len(patterns.parties)} party-and-pattern rows, "
            f"{patterns.num_members} members, {len(patterns.divisions)} divisions) and {out_dir / 'divisions.csv'}",
            highlight=False,
        )


@app.command()
def majority(
    options: Annotated[
        str, typer.Option("--options", help="Comma-separated division ids (each one an option) or option ids from the catalogue.")
    ],
    db: DbOption = None,
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
    as_json: JsonOption = False,
) -> None:
    """Which option can win a majority: the head-to-head record of options in the store."""
    from tellers.parliament.head_to_head import SpatialSettings, analyse_majority
    from tellers.parliament.cases import COMMONS_2019
    from tellers.parliament.catalogue import load_catalogue
    from tellers.parliament.options import Option
    from tellers.parliament.preferences import choose_division
    from tellers.views.report.majority import majority_json, majority_view
    from tellers.records.store import Store

    with user_errors():
        catalogue = load_catalogue(COMMONS_2019 / "options.toml")
        tokens = [t.strip() for t in options.split(",") if t.strip()]
        if len(tokens) < 2:
            raise TellersError("--options needs at least two options, e.g. --options 666,667,668,669,664")
        with Store(db, read_only=True) as store:
            chosen = []
            for token in tokens:
                if token in catalogue.options:
                    option = catalogue.options[token]
                    token = choose_division(option, tested.value if tested else "latest")
                else:
                    known = catalogue.by_division(token)
                    try:
                        title = store.division_record(token, chamber).title
                    except TellersError as exc:
                        raise TellersError(f"{exc}. Options may also be named by id: {', '.join(catalogue.options)}") from None
                    option = Option(token, known.label if known else title, (token,))
                chosen.append((option, store.division_record(token, chamber)))
            patterns = store.voting_patterns([d.id for _, d in chosen], chamber)
            settings = None
            if infer is Infer.spatial:
                votes = store.member_votes(None, chosen[0][1].chamber)
                settings = SpatialSettings(votes, dims, anchor or None, bootstrap=bootstrap, n_jobs=jobs)
            elif bootstrap:
                raise TellersError("--bootstrap needs --infer spatial")
        analysis = analyse_majority(
            patterns, [o for o, _ in chosen], {d.id: d for _, d in chosen},
            tested={o.id: d.id for o, d in chosen}, party_aliases=catalogue.party_aliases,
            infer=infer.value, spatial=settings,
        )
        if as_json:
            _print_json(majority_json(analysis))
        else:
            title = "Head to head: " + ", ".join(o.label for o, _ in chosen)
            out.print(majority_view(analysis, title, party_short=catalogue.party_short))


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
        float, typer.Option("--lapse", min=0.0, max=0.49, help="Robust model: ε in P(Aye) = ε + (1 − 2ε)·Φ(α + βx), a floor on the chance of either vote (0: plain probit).")
    ] = 0.0,
    min_votes: Annotated[
        Optional[int], typer.Option("--min-votes", min=1, help="Drop members with fewer votes. Default: 20, or a quarter of the votes when fewer than 80.")
    ] = None,
    min_minority: Annotated[
        float, typer.Option("--min-minority", min=0.0, max=0.49, help="Drop votes whose minority is a smaller share of those voting.")
    ] = 0.025,
    db: DbOption = None,
    data: Annotated[
        Optional[Path], typer.Option("--data", help="Read division records from this file or folder instead of the database.")
    ] = None,
    chamber: ChamberOption = None,
    as_json: JsonOption = False,
) -> None:
    """Place members (and the options voted on) on a scale from their votes: ideal points, with intervals."""
    from tellers.parliament.cases import COMMONS_2019
    from tellers.parliament.catalogue import load_catalogue
    from tellers.parliament.preferences.idealpoints import bootstrap_ideal_points, fit_ideal_points
    from tellers.parliament.preferences.spatial import place_options
    from tellers.views.report.idealpoints import idealpoints_json, idealpoints_view
    from tellers.records.rollcalls import MemberVotes

    with user_errors():
        wanted = [d.strip() for item in divisions or [] for d in item.split(",") if d.strip()] or None
        if data is not None:
            from tellers.records.readers import load_records

            votes = MemberVotes.from_records(load_records(data), wanted, chamber=chamber)
            source = str(data)
        else:
            from tellers.records.store import Store

            with Store(db, read_only=True) as store:
                votes = store.member_votes(wanted, chamber)
                source = str(store.path)
        catalogue = load_catalogue(COMMONS_2019 / "options.toml")
        votes = votes.with_parties(catalogue.party_aliases)
        fit = fit_ideal_points(votes, dims=dims, anchor=anchor or None, lapse=lapse, min_votes=min_votes,
                               min_minority=min_minority)
        placed = [(o, next(d for d in reversed(o.divisions) if d in votes.divisions))
                  for o in catalogue.options.values() if any(d in votes.divisions for d in o.divisions)]
        model = place_options(fit, votes, [o for o, _ in placed], [d for _, d in placed]) if placed else None
        boot = bootstrap_ideal_points(fit, bootstrap, n_jobs=jobs) if bootstrap else None
        if as_json:
            _print_json(idealpoints_json(fit, model, boot))
        else:
            out.print(idealpoints_view(fit, model, boot, source))


# --------------------------------------------------------------------------- see it: report and web app


def _write_report(path: Path, document: str) -> None:
    try:
        path.write_text(document, encoding="utf-8")
    except OSError as exc:
        raise TellersError(f"{path}: cannot write the report: {exc.strerror or exc}") from None
    err.print(f"wrote {path} ({len(document.encode()) // 1024:,} KiB; opens offline in any browser)", highlight=False)


@app.command()
def report(
    out_file: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("tellers-report.html"),
    db: Annotated[
        Optional[Path],
        typer.Option("--db", help="Database file. Default: $TELLERS_DB or your user database if it holds divisions, "
                     "else the bundled 2019 Commons case.", show_default=False),
    ] = None,
    question: Annotated[
        Optional[list[str]], typer.Option("--question", "-q", help="Catalogue question(s), e.g. 1apr, 27mar. Default: all.")
    ] = None,
    options: Annotated[
        Optional[str], typer.Option("--options", help="Instead of the questions: comma-separated division or option ids.")
    ] = None,
    tested: TestedOption = None,
) -> None:
    """Write one self-contained HTML report with charts: each division by party, the head-to-head
    heat map and the majority graph (opens offline)."""
    from tellers.parliament.house import open_house
    from tellers.views.report.html import build_report, catalogue_sections, question_section

    with user_errors():
        house = open_house(db)
        try:
            if options:
                from tellers.parliament.house import choose_options

                chosen = choose_options(house, options, tested.value if tested else None)
                title = "Head to head: " + ", ".join(o.label for o in chosen.options)
                sections = [question_section(house, "options", title, options, tested.value if tested else None)]
            else:
                sections = catalogue_sections(house, question, tested.value if tested else None)
                if not sections:
                    raise TellersError(
                        f"{house.source} holds none of the catalogue's questions; name options with --options"
                    )
            document = build_report(house, sections)
        finally:
            house.close()
        _write_report(out_file, document)


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (localhost by default).")] = "127.0.0.1",
    db: Annotated[
        Optional[Path],
        typer.Option("--db", help="Database file. Default: $TELLERS_DB or your user database if it holds divisions, "
                     "else the bundled 2019 Commons case.", show_default=False),
    ] = None,
) -> None:
    """Run the web app: pick options, change party stances and watch the majority move."""
    import uvicorn

    from tellers.views.web import create_app

    with user_errors():
        web_app = create_app(db)
        err.print(f"tellers: serving {web_app.state.house.source} on http://{host}:{port}/ (Ctrl-C to stop)", highlight=False)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


# --------------------------------------------------------------------------- who is pivotal, what would it take

HouseDbOption = Annotated[
    Optional[Path],
    typer.Option("--db", help="Database file. Default: $TELLERS_DB or your user database if it holds divisions, "
                 "else the bundled 2019 Commons case (no names).", show_default=False),
]


def _parse_weights(text: str) -> dict[str, int]:
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
    db: HouseDbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who is pivotal: exact Shapley-Shubik and Banzhaf power of each party, bloc or player."""
    from tellers.parliament.coalitions import WeightedGame, minimal_winning_coalitions, power_indices
    from tellers.views.report.coalitions import power_json, power_view

    with user_errors():
        if sum(x is not None for x in (weights, scenario_file, parties)) != 1:
            raise TellersError("give one of --weights NAME=W,..., --scenario FILE or --parties DIVISION_ID")
        if members and parties is None:
            raise TellersError("--members goes with --parties DIVISION_ID")
        house_count, blocs = None, None
        if weights is not None:
            game = WeightedGame.from_weights(_parse_weights(weights), quota)
            title = "Weighted game"
        elif scenario_file is not None:
            from tellers.parliament.coalitions.scenario import evaluate_scenario, load_scenario

            result = evaluate_scenario(load_scenario(scenario_file))
            game, blocs, house_count = result.power.game, result.blocs, result.house
            if quota is not None:
                game = WeightedGame(game.players, game.weights, quota)
            title = f"Scenario: {result.scenario.title}"
        else:
            from tellers.parliament.coalitions import count_house
            from tellers.parliament.house import open_house

            house = open_house(db)
            try:
                division = house.division_record(parties)
                house_count = count_house(house.voting_patterns([division.id]), division, house.catalogue.party_aliases)
            finally:
                house.close()
            if members:
                game, party_of = house_count.member_game(quota)
                blocs = {}
                for player, party in party_of.items():
                    blocs.setdefault(party, []).append(player)
                blocs = {p: tuple(v) for p, v in blocs.items()}
            else:
                game = house_count.party_game(quota)
                blocs = {p: (p,) for p in house_count.parties}
                if house_count.unwhipped:
                    blocs["Independent"] = house_count.unwhipped
            title = f"The house in division {division.id}" + (f" ({division.date.isoformat()})" if division.date else "")
        result_power = power_indices(game)
        listing = minimal if minimal is not None else game.num_players <= 16
        mwc = minimal_winning_coalitions(game) if listing else None
        if as_json:
            _print_json(power_json(result_power, minimal=mwc, house=house_count, blocs=blocs))
        else:
            out.print(power_view(result_power, title, minimal=mwc, house=house_count, blocs=blocs))


@app.command()
def whatif(
    division_id: Annotated[Optional[str], typer.Argument(metavar="[DIVISION_ID]", help="The division to reverse, e.g. 666.")] = None,
    beat: Annotated[Optional[str], typer.Option("--beat", metavar="X,Y", help="Options X and Y: the fewest ballot changes for X to beat Y head to head.")] = None,
    condorcet: Annotated[Optional[str], typer.Option("--condorcet", metavar="X", help="The fewest ballot changes for option X to beat every one of --options.")] = None,
    options: Annotated[Optional[str], typer.Option("--options", help="With --condorcet: comma-separated division or option ids, or a question id (27mar).")] = None,
    tested: TestedOption = None,
    db: HouseDbOption = None,
    as_json: JsonOption = False,
) -> None:
    """What it would take: the fewest members whose votes must change to reverse a division, or
    for an option to beat another (or all others) head to head."""
    from tellers.parliament.coalitions.whatif import whatif_division, whatif_options
    from tellers.parliament.house import open_house, parse_tokens
    from tellers.views.report.coalitions import ballot_view, whatif_view

    with user_errors():
        if sum(x is not None for x in (division_id, beat, condorcet)) != 1:
            raise TellersError("give one of DIVISION_ID, --beat X,Y or --condorcet X --options A,B,...")
        if options is not None and condorcet is None:
            raise TellersError("--options goes with --condorcet X")
        house = open_house(db)
        try:
            if division_id is not None:
                flip = whatif_division(house, division_id)
                view = whatif_view(flip)
            elif beat is not None:
                pair = parse_tokens(beat)
                if len(pair) != 2:
                    raise TellersError("--beat takes two options, X,Y: X must beat Y")
                flip = whatif_options(house, pair, pair[0], [pair[1]], tested.value if tested else None)
                view = ballot_view(flip)
            else:
                if options is None:
                    raise TellersError("--condorcet X needs --options A,B,... (the options X must beat) or a question id (27mar)")
                tokens = parse_tokens(options)
                how = tested.value if tested else None
                if len(tokens) == 1 and tokens[0] in house.catalogue.questions:  # a catalogue question: its options
                    question = house.catalogue.questions[tokens[0]]
                    tokens, how = list(question.options), how or question.tested
                if condorcet not in tokens:
                    tokens = [condorcet, *tokens]
                flip = whatif_options(house, tokens, condorcet, None, how)
                view = ballot_view(flip)
        finally:
            house.close()
        if as_json:
            _print_json(flip.to_dict())
        else:
            out.print(view)


@app.command()
def scenario(
    file: Annotated[Optional[Path], typer.Argument(help="Scenario TOML file. Omit for the bundled 2019 Commons by party.")] = None,
    db: Annotated[Optional[Path], typer.Option("--db", help="For edits to real divisions: use this database instead of the file's base.", show_default=False)] = None,
    as_json: JsonOption = False,
) -> None:
    """Evaluate a scenario: blocs and stances, or edits to real divisions. Each division's result,
    the head-to-head table and the power of each bloc."""
    from tellers.parliament.coalitions.scenario import EXAMPLE, evaluate_scenario, load_scenario
    from tellers.views.report.coalitions import scenario_json, scenario_view

    with user_errors():
        s = load_scenario(EXAMPLE if file is None else file)
        house = None
        if db is not None:
            from tellers.parliament.house import open_house

            house = open_house(db)
        try:
            result = evaluate_scenario(s, house)
        finally:
            if house is not None:
                house.close()
        if as_json:
            _print_json(scenario_json(result))
        else:
            out.print(scenario_view(result))


def main() -> None:  # pragma: no cover - console entry point
    app()
