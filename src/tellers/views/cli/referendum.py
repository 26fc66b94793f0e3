"""`tellers referendum`: what each referendum design would pick from the same ranked preferences."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tellers.views.cli.common import FormatOption, JsonOption, app, show, user_errors


def comparison_of(path: Path, agenda: str | None = None, unit: float | None = None):
    """Read ``path`` and compare the designs; a ballot problem is named with the file."""
    from tellers.ballots.procedures.referendum import compare_designs
    from tellers.errors import ProcedureError
    from tellers.records.readers import load_profile

    profile = load_profile(path)
    names = None if agenda is None else [a.strip() for a in agenda.split(",") if a.strip()]
    if names is not None and not names:
        raise ProcedureError("--agenda names no option; give options separated by commas, e.g. --agenda Remain,Deal")
    try:
        return compare_designs(profile, agenda=names, unit=unit)
    except ProcedureError as exc:
        raise ProcedureError(f"{path}: {exc}") from None


@app.command()
def referendum(
    file: Annotated[Path, typer.Argument(help="Ranked ballots (CSV or PrefLib): one strict ordering of every option "
                                              "per row, weighted by count or share.")],
    agenda: Annotated[
        Optional[str],
        typer.Option("--agenda", metavar="A,B,C", help="The two-question referendum's order: the first option is put "
                     "as 'A or not A?', then the rest head to head. Default: the ballots' order."),
    ] = None,
    unit: Annotated[
        Optional[float],
        typer.Option("--unit", show_default=False,
                     help="The rounding unit of the published figures (e.g. 1 for whole percentages, 0.001). Default: "
                          "inferred from their decimals; whole numbers are taken as exact counts."),
    ] = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
) -> None:
    """Compare referendum designs on the same preferences: a two-question referendum, a plurality
    vote, the alternative vote and a Condorcet count, each with its deciding margin and whether
    that margin is within the data's rounding."""
    from tellers.views.report.referendum import referendum_json, referendum_view

    with user_errors():
        comparison = comparison_of(file, agenda, unit)
        show(fmt, as_json, doc=lambda: referendum_json(str(file), comparison),
             view=lambda: referendum_view(str(file), comparison))
