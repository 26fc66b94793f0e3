"""Views of an ideal-point fit: `tellers idealpoints`.

Thin: every number comes from :mod:`tellers.parliament.preferences.idealpoints` and
:mod:`tellers.parliament.preferences.spatial`; this module lays them out.
"""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.text import Text

from tellers.parliament.preferences.idealpoints import Bootstrap, IdealPoints
from tellers.parliament.preferences.spatial import SpatialModel
from tellers.views.report.literal import LiteralTable
from tellers.wording import plural

Z95 = 1.959963984540054
"""The normal quantile for 95% intervals from asymptotic standard errors."""


def intervals(fit: IdealPoints, boot: Bootstrap | None) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) per member and dimension: bootstrap percentiles, else ±1.96 asymptotic SEs."""
    if boot is not None:
        return boot.position_interval(fit.positions)
    return fit.positions - Z95 * fit.standard_errors, fit.positions + Z95 * fit.standard_errors


def _r(values: np.ndarray) -> list[float]:
    return [round(float(v), 4) for v in np.atleast_1d(values)]


def idealpoints_json(fit: IdealPoints, options: SpatialModel | None, boot: Bootstrap | None) -> dict:
    """The JSON document of `tellers idealpoints --json`."""
    low, high = intervals(fit, boot)
    members = [
        {
            "id": fit.ids[i],
            "name": fit.names[i],
            "party": fit.parties[i],
            "position": _r(fit.positions[i]),
            "low": _r(low[i]),
            "high": _r(high[i]),
        }
        for i in fit.order()
    ]
    placed = [] if options is None else sorted(options.options, key=lambda o: (float(o.position[0]), o.label))
    return {
        "members": members,
        "options": [{"id": o.id, "label": o.label, "position": _r(o.position)} for o in placed],
        "fit": {"correct": round(fit.correct, 4), "apre": round(fit.apre, 4)},
        "dropped": fit.dropped.to_dict(),
    }


def _dims(fit: IdealPoints) -> list[str]:
    return ["position"] if fit.dims == 1 else [f"dim {d + 1}" for d in range(fit.dims)]


def _pos(values: np.ndarray) -> str:
    return ", ".join(f"{v:+.2f}" for v in np.atleast_1d(values))


def summary(fit: IdealPoints, boot: Bootstrap | None, source: str, shown: str = "") -> Text:
    """What was scaled (``shown``: '720 roll calls of the US Senate, 3 January 2019 – 2 January 2021'),
    from where, and how well the scale fits."""
    how = (
        f"{boot.level:.0%} bootstrap intervals ({boot.replicates} replicates, percentiles widened to include the estimate)"
        if boot is not None
        else "95% intervals from asymptotic standard errors (given the votes' parameters)"
    )
    return Text.assemble(
        (f"Ideal points — {shown + ' — ' if shown else ''}{source}\n", "bold"),
        (
            f"{fit.num_members} members on {len(fit.votes)} votes, {fit.dims} dimension{'s' if fit.dims > 1 else ''}; "
            f"sign set by {fit.anchor}; positions standardised (mean 0, sd 1).\n",
            "",
        ),
        (f"Fit: {fit.correct:.1%} of votes classified correctly, APRE {fit.apre:.3f}. ", "bold green"),
        (f"{how}.", "dim"),
    )


def party_table(fit: IdealPoints) -> LiteralTable:
    table = LiteralTable(title="Party medians", title_justify="left")
    table.add_column("party")
    table.add_column("members", justify="right")
    for label in _dims(fit):
        table.add_column(label, justify="right")
    sizes: dict[str, int] = {}
    for p in fit.parties:
        sizes[p] = sizes.get(p, 0) + 1
    for party, median in fit.party_medians().items():
        table.add_row(party or "(none)", str(sizes[party]), *(f"{v:+.2f}" for v in median))
    return table


def options_table(model: SpatialModel) -> LiteralTable:
    table = LiteralTable(
        title="Options on the scale (approval model: Aye when within tolerance of the option)",
        title_justify="left",
    )
    for col, kw in (("option", {}), ("division", {"justify": "right"}), ("position", {"justify": "right"}),
                    ("tolerance", {"justify": "right"}), ("spread", {"justify": "right"}),
                    ("votes classified", {"justify": "right"})):
        table.add_column(col, **kw)
    for o in sorted(model.options, key=lambda o: (float(o.position[0]), o.label)):
        table.add_row(Text(o.label, style="bold"), o.division, _pos(o.position), f"{o.tolerance:.2f}",
                      f"{o.spread:.2f}", f"{o.correct:.1%}")
    return table


def members_table(fit: IdealPoints, boot: Bootstrap | None) -> LiteralTable:
    low, high = intervals(fit, boot)
    table = LiteralTable(title="Members by position", title_justify="left")
    table.add_column("member")
    table.add_column("party")
    for label in _dims(fit):
        table.add_column(label, justify="right")
        table.add_column("interval", justify="right", style="dim")
    for i in fit.order():
        cells = []
        for d in range(fit.dims):
            cells += [f"{fit.positions[i, d]:+.2f}", f"[{low[i, d]:+.2f}, {high[i, d]:+.2f}]"]
        table.add_row(fit.names[i], fit.parties[i], *cells)
    return table


def dropped_text(fit: IdealPoints) -> Text:
    d = fit.dropped
    if not d.votes and not d.members:
        return Text("Nothing dropped.", style="dim")
    parts = []
    if d.votes:
        shown = "; ".join(f"{v} ({r})" for v, r in d.votes[:8])
        parts.append(f"{plural(len(d.votes), 'vote')} dropped: {shown}{' …' if len(d.votes) > 8 else ''}.")
    if d.members:
        shown = "; ".join(f"{n} ({r})" for _, n, r in d.members[:12])
        parts.append(f"{plural(len(d.members), 'member')} dropped: {shown}{' …' if len(d.members) > 12 else ''}.")
    return Text(" ".join(parts), style="dim")


def idealpoints_view(fit: IdealPoints, options: SpatialModel | None, boot: Bootstrap | None, source: str,
                     shown: str = "") -> Group:
    parts: list = [summary(fit, boot, source, shown), party_table(fit)]
    if options is not None:
        parts.append(options_table(options))
    parts += [members_table(fit, boot), dropped_text(fit)]
    return Group(*parts)
