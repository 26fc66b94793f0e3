"""Views of power indices, what-ifs and scenarios: `tellers power`, `tellers whatif`, `tellers scenario`.

Thin: every number comes from :mod:`tellers.parliament.coalitions`; this module lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from rich.console import Group
from rich.text import Text

from tellers.parliament.coalitions.games import PowerIndices
from tellers.parliament.coalitions.quota import HouseCount
from tellers.parliament.coalitions.scenario import ScenarioResult
from tellers.parliament.coalitions.scenario_changes import ScenarioChanges
from tellers.parliament.coalitions.ballot_changes import BallotFlip
from tellers.parliament.coalitions.whatif import DivisionFlip
from tellers.parliament.head_to_head import PairwiseCount
from tellers.records.patterns import ATTRIBUTION
from tellers.views.report.literal import LiteralTable, section
from tellers.views.report.majority import head_to_head_table, majority_json, verdict
from tellers.wording import plural

EXACT_DIGITS = 12
"""Exact fractions are shown in tables when their denominator has at most this many digits."""


# --------------------------------------------------------------------------- power


def power_json(
    power: PowerIndices,
    *,
    minimal: Sequence[Sequence[str]] | None = None,
    house: HouseCount | None = None,
    blocs: Mapping[str, Sequence[str]] | None = None,
) -> dict:
    """``{"quota", "shapley_shubik", "shapley_shubik_exact", "shapley_shubik_error", "banzhaf",
    "banzhaf_absolute", "weights", "swings", "exact", ...}``.

    Indices are floats; ``exact`` gives each exact one as a fraction string ("7/30"): Banzhaf
    always, Shapley-Shubik when ``shapley_shubik_exact`` (else ``shapley_shubik_error`` bounds
    each float's relative error)."""
    doc = power.to_dict()
    exact_ss = {"shapley_shubik": {p: str(v) for p, v in power.shapley_shubik.items()}} if power.shapley_shubik_exact else {}
    doc["exact"] = {
        **exact_ss,
        "banzhaf": {p: str(v) for p, v in power.banzhaf.items()},
        "banzhaf_absolute": {p: str(v) for p, v in power.banzhaf_absolute.items()},
    }
    if blocs is not None:
        doc["blocs"] = {}
        for bloc, players in blocs.items():
            ss, bz = power.total(players)
            doc["blocs"][bloc] = {"players": len(players), "shapley_shubik": float(ss), "banzhaf": float(bz)}
    if minimal is not None:
        doc["minimal_winning_coalitions"] = [list(c) for c in minimal]
    if house is not None:
        doc["house"] = _house_json(house)
    return doc


def _house_json(house: HouseCount) -> dict:
    d = house.division
    return {
        "division": d.id,
        "date": None if d.date is None else d.date.isoformat(),
        "listed": house.listed,
        "presiding_officers": list(house.presiding),
        "not_taking_seats": dict(house.abstentionist),
        "eligible": house.eligible,
        "quota": house.quota,
        "how": house.explanation(),
    }


def _fraction(v: Fraction | float) -> str:
    """A short fraction's text; "" for a long one or a float."""
    return str(v) if isinstance(v, Fraction) and len(str(v.denominator)) <= EXACT_DIGITS else ""


def power_view(
    power: PowerIndices,
    title: str,
    *,
    minimal: Sequence[Sequence[str]] | None = None,
    house: HouseCount | None = None,
    blocs: Mapping[str, Sequence[str]] | None = None,
) -> Group:
    """Each player's (or bloc's) weight and power; the quota and how it was counted."""
    game = power.game
    parts: list = [section(title)]
    if house is not None:
        parts.append(Text(house.explanation() + ".", style="dim"))
    parts.append(Text(f"Quota {game.quota} of a total weight {game.total_weight}; {game.num_players} players.", style="bold"))
    table = LiteralTable(title="Power: how often each is pivotal", title_justify="left",
                         caption="Shapley-Shubik: share of orders in which it turns a losing coalition into a winning one. "
                         "Banzhaf: share of all swings (normalised); absolute: swings over the 2^(n-1) coalitions of the others.",
                         caption_justify="left")
    weights = dict(zip(game.players, game.weights))
    grouped = blocs is not None and any(len(p) > 1 for p in blocs.values())
    table.add_column("bloc" if grouped else "player", style="bold")
    if grouped:
        table.add_column("players", justify="right")
    table.add_column("weight", justify="right")
    table.add_column("Shapley-Shubik", justify="right")
    table.add_column("Banzhaf", justify="right")
    table.add_column("Banzhaf (absolute)", justify="right")
    if grouped:
        for bloc, players in blocs.items():
            ss, bz = power.total(players)
            absolute = {power.banzhaf_absolute[p] for p in players}
            weight = f"{len(players)} x {weights[players[0]]}" if len(players) > 1 else str(weights[players[0]])
            each = f"{float(next(iter(absolute))):.4f}" + (" each" if len(players) > 1 else "") if len(absolute) == 1 else "—"
            table.add_row(bloc, str(len(players)), weight, _pct(ss), _pct(bz), each)
        parts.append(table)
        parts.append(Text("A bloc of several players (members without a whip, or every member) shows its players' "
                          "summed Shapley-Shubik and Banzhaf shares, and each player's absolute Banzhaf index.", style="dim"))
    else:
        exact = game.num_players <= 30
        for p in game.players:
            ss, bz, ab = power.shapley_shubik[p], power.banzhaf[p], power.banzhaf_absolute[p]
            table.add_row(p, str(weights[p]), _pct(ss, exact), _pct(bz, exact), _exact_or_float(ab, exact))
        parts.append(table)
    if not power.shapley_shubik_exact:
        parts.append(Text(f"Shapley-Shubik in floating point: each index within a relative {power.shapley_shubik_error:.0e} "
                          "of its exact value (`tellers power --exact` gives fractions). Banzhaf is exact.", style="dim"))
    if minimal is not None:
        mwc = LiteralTable(title=f"Minimal winning coalitions ({len(minimal)})", title_justify="left", show_header=False)
        mwc.add_column("coalition")
        mwc.add_column("weight", justify="right")
        for c in minimal:
            mwc.add_row(" + ".join(c), str(game.weight_of(c)))
        parts.append(mwc)
    return Group(*parts)


def _pct(v: Fraction | float, exact: bool = False) -> str:
    text = f"{float(v):.1%}"
    frac = _fraction(v) if exact else ""
    return f"{text} ({frac})" if frac and v.denominator > 1 else text


def _exact_or_float(v: Fraction | float, exact: bool) -> str:
    frac = _fraction(v) if exact else ""
    return frac if frac else f"{float(v):.4f}"


# --------------------------------------------------------------------------- what if


def whatif_view(flip: DivisionFlip) -> Group:
    """The division, the fewest changes that reverse it, and who."""
    d = flip.division
    when = f", {d.date.isoformat()}" if d.date else ""
    result = "passed" if flip.passed else "lost"
    goal = "fail" if flip.passed else "pass"
    need = flip.rule
    parts: list = [
        section(f"Division {d.id}: {d.title}{when}"),
        Text(f"{result.capitalize()} {flip.ayes}–{flip.noes}. To {goal}: {need}."),
        Text(
            f"Fewest members whose votes must change: {flip.fewest_changes} "
            f"(then {flip.ayes_after}–{flip.noes_after}).",
            style="bold green" if not flip.passed else "bold red",
        ),
    ]
    table = LiteralTable(title="One such set, the members closest to switching first", title_justify="left")
    for col in ("member", "party", "from", "to", "why them"):
        table.add_column(col, overflow="fold")
    for c in flip.changes:
        table.add_row(c.member or "—", c.party, c.from_.replace("no_vote", "not voting"), c.to.replace("no_vote", "not voting"), c.reason)
    parts.append(table)
    notes = []
    if any(c.member is None for c in flip.changes):
        notes.append("Names need member-level records: `tellers import` them and pass --db.")
    if flip.excluded:
        notes.append(f"{plural(flip.excluded, 'member')} who cannot vote (the Speaker and deputies, Sinn Féin) "
                     f"{'was' if flip.excluded == 1 else 'were'} left out.")
    notes.append("No -> Aye is one change (it counts for the Ayes and against the Noes, as far as the chamber's majority "
                 "counts each). Solved exactly as an integer program (HiGHS).")
    parts.append(Text(" ".join(notes), style="dim"))
    return Group(*parts)


def ballot_view(flip: BallotFlip) -> Group:
    """The fewest ballot changes for an option to beat its rivals head to head."""
    goal = (
        f"{flip.winner} the Condorcet winner (beating every other option head to head)"
        if len(flip.rivals) == len(flip.options) - 1 and len(flip.options) > 2
        else f"{flip.winner} beat {', '.join(flip.rivals)} head to head"
    )
    parts: list = [section(f"What it would take to make {goal}")]
    margins = LiteralTable(title="Its margin over each rival (members preferring it minus preferring the rival)", title_justify="left")
    margins.add_column("rival")
    margins.add_column("now", justify="right")
    margins.add_column("after", justify="right")
    for r in flip.rivals:
        before, after = flip.margins_before[r], flip.margins_after[r]
        margins.add_row(r, Text(f"{before:+d}", style="green" if before > 0 else "red"), Text(f"{after:+d}", style="green"))
    parts.append(margins)
    parts.append(Text(
        f"Fewest members whose ballots must change: {flip.fewest_changes} ({flip.vote_changes} votes in all).",
        style="bold green",
    ))
    table = LiteralTable(title="One such set, the fewest votes changed first", title_justify="left")
    for col in ("member", "party", "votes changed"):
        table.add_column(col, overflow="fold")
    for c in flip.changes:
        table.add_row(c.member or "—", c.party, c.reason)
    parts.append(table)
    parts.append(Text(
        "A member prefers X to Y when they voted Aye on X and No on Y. Each changed ballot votes Aye on "
        f"{flip.winner}, and No on some rivals. Solved exactly as an integer program (HiGHS).", style="dim",
    ))
    return Group(*parts)


# --------------------------------------------------------------------------- scenarios


def change_lines(changes: ScenarioChanges) -> list[str]:
    """What the scenario changes, a sentence a line: each division result, each head-to-head
    verdict and the Condorcet winner; or that it reproduces the record."""
    if changes.reproduces:
        return [f"The scenario reproduces {changes.against}: every division's totals and every head-to-head count are as recorded."
                if changes.against == "the record" else f"The scenario reproduces {changes.against}: no edit changes a vote."]
    lines = [f"{r.label}: {_result_words(r.before)} → {_result_words(r.after)}" for r in changes.results]
    for v in changes.verdicts:
        first = v.after.winner or v.before.winner
        b, a = (v.before, v.after) if first == v.after.x else (v.before.turned(), v.after.turned())
        lines.append(f"{b.x} v {b.y}: {_pair_words(b)} → {_pair_words(a)}")
    if changes.condorcet_winner is not None:
        before, after = (w or "none" for w in changes.condorcet_winner)
        lines.append(f"Condorcet winner: {before} → {after}")
    if not changes.results:
        lines.insert(0, "No division's totals change.")
    if changes.counts_changed and not changes.verdicts:
        lines.append("Head-to-head counts change, but no head-to-head verdict.")
    return lines


def _result_words(totals: tuple[int, int, bool | None]) -> str:
    ayes, noes, passed = totals
    return f"{'tied' if passed is None else 'won' if passed else 'lost'} {ayes}–{noes}"


def _pair_words(p: PairwiseCount) -> str:
    return f"{'tied' if p.winner is None else 'won' if p.winner == p.x else 'lost'} {p.x_over_y}–{p.y_over_x}"


def scenario_json(result: ScenarioResult) -> dict:
    """``{"title", "file", "kind", "source", "divisions", "head_to_head", "power", "house", "changes",
    "notices"}``: ``changes`` against the record (or the blocs as declared), with the sentences
    the terminal prints (``said``); ``notices``, a sentence for each edit that changes no vote."""
    changes = None if result.changes is None else result.changes.to_dict() | {"said": change_lines(result.changes)}
    return {
        "title": result.scenario.title,
        "file": str(result.scenario.path),
        "kind": result.scenario.kind,
        "source": result.source,
        "divisions": [o.to_dict() for o in result.outcomes],
        "head_to_head": None if result.analysis is None else majority_json(result.analysis),
        "power": power_json(result.power, minimal=result.minimal_winning, blocs=result.blocs),
        "house": None if result.house is None else _house_json(result.house),
        "changes": changes,
        "notices": list(result.notices),
    }


def scenario_view(result: ScenarioResult) -> Group:
    """Each division's result before and after, the head to head, and each bloc's power."""
    s = result.scenario
    parts: list = [section(f"Scenario: {s.title}"), Text(f"{s.path}", style="dim")]
    if s.kind == "edits":
        parts.append(Text(f"Base: {result.source}", style="dim"))
    before_word = "as declared" if s.kind == "blocs" else "as recorded"
    table = LiteralTable(title="Each division", title_justify="left")
    for col, kw in (("division", {}), ("option", {}), (before_word, {"justify": "right"}), ("scenario", {"justify": "right"}),
                    ("result", {})):
        table.add_column(col, **kw)
    for o in result.outcomes:
        changed = (o.ayes, o.noes) != (o.before_ayes, o.before_noes)
        res = (Text("tie: a casting vote decides", style="yellow") if o.passed is None
               else Text("passes" if o.passed else "fails", style="green" if o.passed else "red"))
        if o.passed != o.passed_before:
            res.append(" (reversed)", style="bold yellow")
        table.add_row(o.id, o.label, f"{o.before_ayes}–{o.before_noes}",
                      Text(f"{o.ayes}–{o.noes}", style="bold" if changed else ""), res)
    parts.append(table)
    if result.analysis is not None:
        parts += [head_to_head_table(result.analysis), verdict(result.analysis)]
    if result.changes is not None:
        parts.append(Text(f"What changes against {result.changes.against}", style="bold"))
        parts += [Text(f"  {line}") for line in change_lines(result.changes)]
    parts += [Text(f"Notice: {n}.", style="yellow") for n in result.notices]
    if result.analysis is not None:
        if s.kind == "blocs" and any(st.text(b.size).startswith("split") for b in s.blocs for st in b.stances.values()):
            parts.append(Text(
                "Split blocs are lined up once, from the keenest: on every option the same members lead the Ayes "
                "and the same trail with the Noes. A stance says how many, not who, so head-to-head counts can "
                "differ from the members' recorded votes (`tellers demo` counts those).", style="dim",
            ))
    parts.append(power_view(result.power, "Power of each bloc", minimal=result.minimal_winning, house=result.house,
                            blocs=result.blocs))
    if s.kind == "edits" or s.path.name == "scenario.toml":
        parts.append(Text(ATTRIBUTION, style="dim"))
    return Group(*parts)
