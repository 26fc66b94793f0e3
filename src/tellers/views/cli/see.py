"""See it: `tellers report` (one HTML file) and `tellers serve` (the local web app)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tellers.errors import TellersError
from tellers.views.cli.common import (
    DataOption, DbOption, TestedOption, app, house_from, say, say_data, tested_value, user_errors,
)
from tellers.views.cli.majority import OptionsHelp, write_report


@app.command()
def report(
    out_file: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("tellers-report.html"),
    db: DbOption = None,
    data: DataOption = None,
    question: Annotated[
        Optional[list[str]], typer.Option("--question", "-q", help="Catalogue question(s), e.g. 1apr, 27mar. Default: all.")
    ] = None,
    options: Annotated[Optional[str], typer.Option("--options", help="Instead of the questions: " + OptionsHelp)] = None,
    tested: TestedOption = None,
    referendum: Annotated[
        Optional[Path], typer.Option("--referendum", metavar="FILE", show_default=False,
                                     help="Also a section comparing referendum designs on these ranked preferences "
                                     "(as `tellers referendum FILE`).")
    ] = None,
    study: Annotated[
        Optional[list[Path]], typer.Option("--study", metavar="FILE", show_default=False,
                                           help="Also a section charting a simulation study written by "
                                           "`tellers simulate --json > FILE` (repeatable).")
    ] = None,
) -> None:
    """Write one self-contained HTML report with charts: each division by party, the head-to-head
    heat map and the majority graph (opens offline)."""
    from tellers.parliament.options import choose_options, no_questions
    from tellers.views.cli.referendum import comparison_of
    from tellers.views.report.charts import brief
    from tellers.views.report.html import build_report, catalogue_sections, question_section
    from tellers.views.report.referendum import referendum_section
    from tellers.views.report.simulation import read_study, simulation_section

    with user_errors():
        compared = None if referendum is None else comparison_of(referendum)  # a bad file fails before the house opens
        studies = [read_study(path) for path in study or []]
        with house_from(db, data) as house:
            if options:
                chosen = choose_options(house, options, tested_value(tested))
                title = "Head to head: " + ", ".join(brief(o.label, d.id) for o, d in zip(chosen.options, chosen.divisions))
                sections = [question_section(house, "options", title, chosen)]
            else:
                sections = catalogue_sections(house, question, tested_value(tested))
                if not sections:
                    raise no_questions(house, ": name some with --options")
            if compared is not None:
                sections.append(referendum_section(str(referendum), compared))
            sections += [simulation_section(doc, f"study-{i}") for i, doc in enumerate(studies, 1)]
            document = build_report(house, sections)
        write_report(out_file, document)


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (localhost by default; any other needs --token).")] = "127.0.0.1",
    db: DbOption = None,
    data: DataOption = None,
    allow_host: Annotated[
        Optional[list[str]], typer.Option("--allow-host", help="Also answer requests for this host name (repeatable); "
                                          "localhost, 127.0.0.1 and ::1 always.", show_default=False)
    ] = None,
    token: Annotated[
        Optional[str], typer.Option("--token", envvar="TELLERS_TOKEN", show_default=False,
                                    help="Require this secret on every /api/ request (Authorization: Bearer TOKEN); "
                                    "the page takes it from the address printed. Required when --host is not loopback.")
    ] = None,
    limit_concurrency: Annotated[
        int, typer.Option("--limit-concurrency", min=1, help="Connections at once beyond which the server answers 503.")
    ] = 100,
) -> None:
    """Run the web app: pick options, change party stances and watch the majority move."""
    import uvicorn

    from tellers.parliament.house import open_house
    from tellers.views.web import create_app
    from tellers.views.web.server import bound_socket, is_loopback, raise_open_files_limit, server_config

    hosts = list(allow_host or [])
    with user_errors():
        if not is_loopback(host):
            if not token:
                raise TellersError(f"--host {host} lets other machines connect: give a secret with --token "
                                   "(or $TELLERS_TOKEN), which every request must carry")
            say(f"warning: listening on {host}: other machines can reach the app; requests need the token, "
                "and the traffic is not encrypted", "bold yellow", soft_wrap=True)
            if host not in ("0.0.0.0", "::"):
                hosts.append(host)
        house = open_house(db, data)
        web_app = create_app(house=house, allowed_hosts=hosts, token=token)
        say_data(house.describe())
        sock = bound_socket(host, port)
        shown = f"[{host}]" if ":" in host else host
        port = sock.getsockname()[1]  # the one bound: --port 0 asks the system for a free one
        address = f"http://{shown}:{port}/" + (f"#token={token}" if token else "")
        say(f"tellers: serving on {address} (Ctrl-C to stop)", soft_wrap=True)
    raise_open_files_limit()
    uvicorn.Server(server_config(web_app, host, port, limit_concurrency=limit_concurrency)).run(sockets=[sock])
