"""What a procedure adopts and by what path, and its shares over completions: JSON and Rich."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from tellers.ballots.procedures import Outcome, info
from tellers.ballots.procedures.reach import Reach
from tellers.views.report.election import number
from tellers.views.report.literal import LiteralTable, section

if TYPE_CHECKING:  # the shares' type only: `tellers procedure` on a ballot file needs no parliament
    from tellers.parliament.procedures import ProcedureShares


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def outcome_json(outcome: Outcome, reach: Reach | None, candidates: Sequence[str]) -> dict:
    """The JSON of `tellers procedure` on complete ballots: the outcome, and with ``reach``
    the options some ordering of the agenda adopts, one agenda for each, and how that was found."""
    doc = outcome.to_dict()
    if reach is not None:
        doc["reachable"] = [candidates[i] for i in reach.reachable]
        doc["agendas"] = {candidates[i]: [candidates[j] for j in agenda] for i, agenda in reach.agendas.items()}
        doc["reach_method"] = reach.method
    return doc


def heading(procedure: str, voting: str) -> str:
    """``Amendment agenda (Westminster and US), sophisticated voting``."""
    entry = info(procedure)
    return entry.title + (f", {voting} voting" if entry.strategic else "")


ABBREVIATIONS = {"amendment": "amend.", "successive": "succ.", "sincere": "sinc.", "sophisticated": "soph."}
LEGEND = ("amend.: amendment agenda; succ.: successive agenda; sinc./soph.: sincere or sophisticated voting; "
          "tie or none: options tie, or (a round robin's cycle) none is adopted.")


def short_heading(procedure: str, voting: str) -> str:
    """``amend. soph.``: a narrow table's row name (:data:`LEGEND` spells it out)."""
    if not info(procedure).strategic:
        return procedure
    return f"{ABBREVIATIONS.get(procedure, procedure)} {ABBREVIATIONS.get(voting, voting)}"


def outcome_view(outcome: Outcome, reach: Reach | None, candidates: Sequence[str], source: str = "") -> Group:
    """Everything `tellers procedure` prints for one complete profile."""
    head = Text(f"{source}\n" if source else "", style="bold")
    head.append(heading(outcome.procedure, outcome.voting) + "\n", style="bold")
    head.append("Agenda, in the order put: " + ", ".join(outcome.agenda))
    if outcome.default is not None:
        head.append(f" (each against the default, {outcome.default})")
    if outcome.left_out:
        head.append("\nLeft out of the agenda: " + ", ".join(outcome.left_out), style="yellow")
    parts: list = [head, _rounds_table(outcome)]
    if outcome.default is not None:
        parts.append(Text("Carried against the default: " + (", ".join(outcome.carried) or "none")))
    if outcome.winners:
        verdict = " and ".join(outcome.winners) + (" tie" if len(outcome.winners) > 1 else " is adopted")
        parts.append(Text(verdict + ".", style="bold green" if outcome.winner else "bold yellow"))
    else:
        parts.append(Text("Nothing is adopted.", style="bold yellow"))
    for note in outcome.notes:
        parts.append(Text(note, style="dim"))
    if reach is not None:
        parts.append(reach_table(reach, candidates))
    return Group(*parts)


def _rounds_table(outcome: Outcome) -> LiteralTable:
    ballot = any(v.tallies is not None for v in outcome.rounds)
    weighed = any(v.weighed is not None for v in outcome.rounds)
    table = LiteralTable(title="The questions put", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("put" if not ballot else "standing")
    if ballot:
        table.add_column("count")
    else:
        table.add_column("ayes", justify="right")
        table.add_column("noes", justify="right")
    if weighed:
        table.add_column("members weighed")
    table.add_column("result")
    for i, v in enumerate(outcome.rounds, 1):
        cells = [str(i), " v ".join(v.put) if not ballot else ", ".join(v.put)]
        if ballot:
            cells.append(", ".join(f"{c} {number(x)}" for c, x in sorted(v.tallies.items(), key=lambda kv: -kv[1])))
        else:
            cells += [number(v.ayes), number(v.noes)]
        if weighed:
            cells.append(" v ".join(v.weighed) if v.weighed else "")
        cells.append(v.result + (" (tie)" if v.tied and v.result != "tie" else ""))
        table.add_row(*cells)
    return table


def reach_table(reach: Reach, candidates: Sequence[str]) -> LiteralTable | Text:
    """Each option an agenda setter can reach, with one agenda that reaches it."""
    if not reach.agendas:
        return Text(f"No ordering of the agenda adopts any option ({reach.method}).")
    table = LiteralTable(title="What an agenda setter can reach", title_justify="left", caption=reach.method,
                         caption_justify="left")
    table.add_column("option")
    table.add_column("one agenda that adopts it (in the order put)")
    for option, agenda in reach.agendas.items():
        table.add_row(candidates[option], ", ".join(candidates[i] for i in agenda))
    return table


def shares_view(runs: Sequence[ProcedureShares], title: str = "") -> Group:
    """Each option's share of the completions in which each procedure adopts it (and, where
    asked, in which some ordering of the agenda does): for one procedure a line per option, for
    several a table across the options (where it does not fit, a block of lines per procedure)."""
    first = runs[0]
    heading = [section(title)] if title else []
    lines = Text()
    lines.append(f"{first.draws:,} completions of the {first.electorate:,} members' votes ({first.model} model), "
                 f"seed {first.seed}. Agenda, in the order put: {', '.join(first.shorts[i] for i in first.agenda)}")
    defaults = {r.default for r in runs if r.default is not None}
    if defaults:
        lines.append(f"; indicative votes against {first.shorts[defaults.pop()]}")
    lines.append(".")
    if len(runs) == 1:
        return Group(*heading, lines, _by_option(runs))
    table = LiteralTable(title="Adopted, share of completions", title_justify="left", caption=LEGEND,
                         caption_justify="left")
    _share_columns(table, [*first.shorts, "tie or none"])
    for r in runs:  # a count ties, or a round robin adopts nothing; never both in one procedure
        table.add_row(short_heading(r.procedure, r.voting), *(_pct(w) for w in r.wins), _pct(r.tie_share + r.none_share))
    wide: list = [table]
    ordered = [r for r in runs if r.reachable is not None and info(r.procedure).ordered]
    if ordered:
        reach = LiteralTable(title="Reachable by some ordering of the agenda, share of completions", title_justify="left")
        _share_columns(reach, first.shorts)
        for r in ordered:
            reach.add_row(short_heading(r.procedure, r.voting), *(_pct(w) for w in r.reachable))
        wide.append(reach)
    return Group(*heading, lines, *wide)


def _by_option(runs: Sequence[ProcedureShares]) -> LiteralTable:
    """One line per procedure and option: the share adopted and, where asked, reachable."""
    reachable = any(r.reachable is not None for r in runs)
    table = LiteralTable(title="Adopted (and reachable by some ordering), share of completions", title_justify="left",
                         caption=LEGEND if len(runs) > 1 else None, caption_justify="left")
    if len(runs) > 1:
        table.add_column("procedure", no_wrap=True)
    table.add_column("option")
    table.add_column("adopted", justify="right", no_wrap=True)
    if reachable:
        table.add_column("reachable", justify="right", no_wrap=True)
    for r in runs:
        rows = [(short, r.wins[c], None if r.reachable is None else r.reachable[c]) for c, short in enumerate(r.shorts)]
        rows += [("tie", r.tie_share, None), ("none", r.none_share, None)]
        for option, adopted, reach in rows:
            cells = [short_heading(r.procedure, r.voting)] if len(runs) > 1 else []
            cells += [option, _pct(adopted)]
            if reachable:
                cells.append("" if reach is None else _pct(reach))
            table.add_row(*cells)
    return table


def _share_columns(table: LiteralTable, names: Sequence[str]) -> None:
    """A procedure column, then one percentage column per name, never cut ("100.0%" fits)."""
    table.add_column("procedure", no_wrap=True)
    for name in names:
        table.add_column(name, justify="right", overflow="fold", min_width=6)
