"""See it: `tellers report` (one HTML file) and `tellers serve` (the local web app)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tellers.errors import TellersError
from tellers.views.cli.common import (
    DataOption, DbOption, TestedOption, app, err, house_from, tested_value, user_errors,
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
) -> None:
    """Write one self-contained HTML report with charts: each division by party, the head-to-head
    heat map and the majority graph (opens offline)."""
    from tellers.parliament.options import choose_options
    from tellers.views.report.html import build_report, catalogue_sections, question_section

    with user_errors():
        with house_from(db, data) as house:
            if options:
                chosen = choose_options(house, options, tested_value(tested))
                title = "Head to head: " + ", ".join(o.label for o in chosen.options)
                sections = [question_section(house, "options", title, chosen)]
            else:
                sections = catalogue_sections(house, question, tested_value(tested))
                if not sections:
                    raise TellersError(f"{house.source} holds none of the catalogue's questions; name options with --options")
            document = build_report(house, sections)
        write_report(out_file, document)


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (localhost by default).")] = "127.0.0.1",
    db: DbOption = None,
    data: DataOption = None,
) -> None:
    """Run the web app: pick options, change party stances and watch the majority move."""
    import uvicorn

    from tellers.parliament.house import open_house
    from tellers.views.web import create_app

    with user_errors():
        house = open_house(db, data)
        web_app = create_app(house=house)
        err.print(f"data: {house.describe()}", style="dim", highlight=False, soft_wrap=True)
        err.print(f"tellers: serving on http://{host}:{port}/ (Ctrl-C to stop)", highlight=False)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")
