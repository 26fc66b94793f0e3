"""The `tellers` command line. Thin: parse, open the house, call the layers below, print.

One module per group of commands; each registers its commands on the shared Typer app
(:data:`tellers.views.cli.common.app`). Every command that reads divisions opens them
through :func:`~tellers.views.cli.common.house_from` and says on stderr which data it used.
"""

from tellers.views.cli import elections, records, fetch, majority, coalitions, see, procedures, referendum, simulate  # noqa: F401, I001  (registers the commands, in this order)
from tellers.views.cli.common import app

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover - console entry point
    app()
