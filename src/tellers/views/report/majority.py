"""Views of a head-to-head analysis: `tellers majority` and `tellers demo`.

Thin: every number comes from :class:`tellers.parliament.head_to_head.MajorityAnalysis`; this module
lays the numbers out and words them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.console import Group
from rich.text import Text

from tellers.parliament.head_to_head import MajorityAnalysis, PairwiseCount
from tellers.parliament.robustness import Robustness
from tellers.parliament.splits import division_verdict
from tellers.views.report.divisions import result_phrase
from tellers.records.patterns import ATTRIBUTION
from tellers.views.report.fitting import Phrases
from tellers.views.report.literal import LiteralTable, section
from tellers.wording import plural


def _pair_json(p: PairwiseCount) -> dict:
    return {"x": p.x, "y": p.y, "x_over_y": p.x_over_y, "y_over_x": p.y_over_x, "same": p.same, "unknown": p.unknown}


def majority_json(a: MajorityAnalysis) -> dict:
    """The JSON document of `tellers majority --json`.

    Spatial ballots add ``"infer": "spatial"`` and the model's ``"caveat"``, and ``"condorcet_shares"`` with a
    bootstrap; options whose record was corrected after the day add ``"record_note"``.
    """
    doc = {
        "options": [
            {
                "id": t.option.id,
                "label": t.label,
                "divisions": list(t.option.divisions),
                "division": t.division.id,
                "date": None if t.division.date is None else t.division.date.isoformat(),
                "ayes": t.division.ayes,
                "noes": t.division.noes,
            }
            for t in a.options
        ],
        "members": a.members,
        "pairwise": [_pair_json(p) for p in a.pairwise],
        "condorcet_winner": a.condorcet_winner,
        "condorcet_loser": a.condorcet_loser,
        "smith_set": list(a.smith_set),
        "majority_cycle": None if a.cycle is None else list(a.cycle),
        "rules": {name: r.to_dict(a.profile.candidates) for name, r in a.results.items()},
        "skipped": dict(a.skipped),
        "party_sizes": dict(a.party_sizes),
        "by_party": {party: [_pair_json(p) for p in pairs] for party, pairs in a.by_party.items()},
    }
    if a.infer != "revealed":
        doc["infer"] = a.infer
    if a.caveat:
        doc["caveat"] = a.caveat
    if a.record_note:
        doc["record_note"] = a.record_note
    if a.condorcet_shares is not None:
        doc["condorcet_shares"] = {label: round(share, 4) for label, share in a.condorcet_shares.items()}
    return doc


def options_table(a: MajorityAnalysis) -> LiteralTable:
    """Each option with the division that counts for it and its official result."""
    table = LiteralTable(title="The options and how their own divisions went", title_justify="left")
    for col, kw in (("option", {}), ("division", {"justify": "right"}), ("date", {}), ("ayes", {"justify": "right"}),
                    ("noes", {"justify": "right"}), ("result", {})):
        table.add_column(col, **kw)
    for t in a.options:
        d = t.division
        if d.ayes is None or d.noes is None:
            result = Text("—")
        else:
            v = division_verdict(d)
            result = Text(result_phrase(v, d.ayes, d.noes),
                          style="green" if v.passed else "red" if v.passed is False else "yellow")
        table.add_row(Text(t.label, style="bold"), d.id, "" if d.date is None else d.date.isoformat(),
                      _n(d.ayes), _n(d.noes), result)
    if a.record_note:
        table.caption, table.caption_justify = a.record_note, "left"
    return table


def head_to_head_table(a: MajorityAnalysis) -> LiteralTable:
    """Members preferring the row option to the column option, and the reverse."""
    labels = [t.label for t in a.options]
    table = LiteralTable(title="Head to head: members preferring row to column – column to row", title_justify="left",
                         caption="A member prefers X to Y when they voted Aye on X and No on Y.", caption_justify="left")
    table.add_column("")
    for t in a.options:
        table.add_column(t.option.abbreviation, justify="center", overflow="fold")
    for x in labels:
        cells = []
        for y in labels:
            if x == y:
                cells.append(Text("·", style="dim"))
                continue
            p = a.pair(x, y)
            style = "green" if p.winner == x else "red" if p.winner == y else "yellow"
            cells.append(Text(f"{p.x_over_y}–{p.y_over_x}", style=style))
        table.add_row(Text(x, style="bold"), *cells)
    return table


def pairs_table(a: MajorityAnalysis) -> LiteralTable:
    """Every pair: for, against, same way on both, unknown."""
    table = LiteralTable(title="Every pair", title_justify="left")
    for col in ("X", "Y", "prefer X", "prefer Y", "same on both", "unknown", "head to head"):
        table.add_column(col, justify="right" if col.startswith(("prefer", "same", "unknown")) else "left")
    for p in a.pairwise:
        verdict = Text(f"{p.winner} by {p.margin}" if p.winner else "tie", style="green" if p.winner else "yellow")
        table.add_row(p.x, p.y, str(p.x_over_y), str(p.y_over_x), str(p.same), str(p.unknown), verdict)
    return table


def rules_table(a: MajorityAnalysis) -> LiteralTable:
    table = LiteralTable(title="What each counting rule would pick (rules defined on revealed preferences)", title_justify="left")
    table.add_column("rule", style="bold")
    table.add_column("winner(s)")
    for name, result in a.results.items():
        winners = [c for c in a.profile.candidates if c in result.winners]
        table.add_row(name, Text(" = ".join(winners) + (" (tie)" if result.tied else ""),
                                 style="bold yellow" if result.tied else "bold green"))
    return table


def party_table(a: MajorityAnalysis, party_short: dict[str, str] | None = None) -> LiteralTable:
    """For each pair, each party's net preference (prefer X minus prefer Y).

    Parties whose members' votes separate no pair (net 0 everywhere) are left out.
    """
    short = party_short or {}
    parties = [p for p in a.party_sizes if any(q.x_over_y != q.y_over_x for q in a.by_party[p])]
    abbrev = {t.label: t.option.abbreviation for t in a.options}
    table = LiteralTable(title="Whose preferences decide each head to head: net members preferring X to Y, by party",
                         title_justify="left", blocks="columns")
    table.add_column("X v Y")  # wraps between words before the table falls back to blocks
    for party in parties:
        table.add_column(f"{short.get(party, party)} ({a.party_sizes[party]})", justify="right")
    table.add_column("House", justify="right", style="bold")
    for i, pair in enumerate(a.pairwise):
        cells = []
        for party in parties:
            q = a.by_party[party][i]
            cells.append(_net(q.x_over_y - q.y_over_x, "dim"))
        table.add_row(f"{abbrev[pair.x]} v {abbrev[pair.y]}", *cells, _net(pair.x_over_y - pair.y_over_x, "yellow"))
    hidden = [p for p in a.party_sizes if p not in parties]
    if hidden:
        table.caption = "Not shown (their votes separate no pair): " + ", ".join(f"{p} ({a.party_sizes[p]})" for p in hidden)
        table.caption_justify = "left"
    return table


def _net(net: int, zero_style: str) -> Text:
    return Text(f"{net:+d}" if net else "0", style="green" if net > 0 else "red" if net < 0 else zero_style)


def verdict(a: MajorityAnalysis, robustness: Sequence[Robustness] = ()) -> Text:
    """The headline: the verdict, what it rests on, and how it fares over each model's completions."""
    style = "bold green" if a.condorcet_winner else "bold yellow"
    text = Text(a.description.replace("candidate", "option").rstrip("."), style=style)
    if a.infer == "revealed":
        text.append(", among the members whose votes compare each pair.", style=style)
    else:
        text.append(".", style=style)
    for r in robustness:
        text.append("\n" + completion_line(a, r))
    return text


def completion_line(a: MajorityAnalysis, r: Robustness) -> str:
    """How often the verdict holds over one model's completions, in one sentence."""
    s = r.shares
    if s is None:
        return ""
    if a.condorcet_winner:
        c = r.labels.index(a.condorcet_winner)
        return (f"{a.condorcet_winner} is the Condorcet winner in {100 * s.condorcet[c]:.0f}% of {s.draws:,} completions "
                f"of the {r.electorate:,} members' votes ({s.model}); no option is in {100 * s.no_winner:.0f}%.")
    best = int(np.argmax(s.condorcet))
    return (f"No Condorcet winner in {100 * s.no_winner:.0f}% of {s.draws:,} completions ({s.model}); the likeliest "
            f"is {r.labels[best]}, in {100 * s.condorcet[best]:.0f}%.")


def exact_sentence(r: Robustness) -> str:
    """Possible and necessary Condorcet winners, in plain English."""
    label = dict(zip(r.ids, r.labels))
    possible = [label[i] for i in r.possible]
    if r.necessary:
        return (f"Whatever the {r.electorate:,} members' unknown preferences, {label[r.necessary[0]]} would be the "
                "Condorcet winner: it wins every completion of their votes.")
    if not possible:
        return "In no completion of the members' votes does any option beat every other."
    return (f"The votes do not settle it: filling in what they leave unsaid one way or another, "
            f"{_listing(possible)} could each be the Condorcet winner, and none is in every completion.")


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def meaning(a: MajorityAnalysis, robustness: Sequence[Robustness] = ()) -> str:
    """One plain-English paragraph on what the analysis shows."""
    lost = [t for t in a.options if t.division.ayes is not None and t.division.noes is not None
            and division_verdict(t.division).passed is False]
    parts = []
    if len(lost) == len(a.options):
        closest = min(lost, key=lambda t: t.division.noes - t.division.ayes)
        parts.append(
            f"Every one of these {len(a.options)} options lost its own division; the closest was "
            f"{closest.label}, lost by {closest.division.noes - closest.division.ayes} "
            f"({closest.division.ayes}–{closest.division.noes})."
        )
    if a.condorcet_winner:
        wins = a.wins(a.condorcet_winner)
        listed = "; ".join(f"{w.y} by {w.x_over_y} to {w.y_over_x}" for w in wins)
        parts.append(
            f"Yet comparing the options two at a time, among the members whose votes say which of the two they "
            f"prefer, {a.condorcet_winner} beats every other option: {listed}. It is the Condorcet winner — no "
            f"alternative is preferred to it by more of the members who voted on both."
        )
    elif a.cycle:
        parts.append(
            "No option beats every other head to head: the majorities run in a circle ("
            + " beats ".join(a.cycle + (a.cycle[0],))
            + f"), so any winner depends on the order of voting. The options in the Smith set — {', '.join(a.smith_set)} — "
            "each beat everything outside it."
        )
    else:
        parts.append(f"No option beats every other head to head; the Smith set is {', '.join(a.smith_set)}.")
    agree = [n for n, r in a.results.items() if a.condorcet_winner and r.winners == {a.condorcet_winner}]
    if a.results and len(agree) == len(a.results):
        parts.append(f"All {len(a.results)} counting rules that work on such partial preferences pick it too.")
    elif a.results:
        picks = sorted({w for r in a.results.values() for w in r.winners})
        parts.append(f"The counting rules that work on partial preferences pick: {', '.join(picks)}.")
    most_same = max(a.pairwise, key=lambda p: p.same)
    most_unknown = max(p.unknown for p in a.pairwise)
    parts.append(
        f"The margins are thin and the evidence partial: most members voted the same way on both options of a "
        f"pair (for example {most_same.same} of {a.members} on {most_same.x} and {most_same.y}), and up to "
        f"{plural(most_unknown, 'member')} {'is' if most_unknown == 1 else 'are'} unknown on a pair because "
        f"{'it' if most_unknown == 1 else 'they'} did not vote on one of its options."
    )
    if robustness:
        parts.append(exact_sentence(robustness[0]))
    return " ".join(parts)


def majority_view(
    a: MajorityAnalysis, title: str, *, party_short: dict[str, str] | None = None, full: bool = True,
    robustness: Sequence[Robustness] = (),
) -> Group:
    """A question's full report (with ``robustness``: how the verdict fares over each model's completions)."""
    if a.infer == "spatial":
        return spatial_view(a, title, party_short=party_short)
    parts: list = [section(title), options_table(a), head_to_head_table(a)]
    if full:
        parts.append(pairs_table(a))
    parts += [verdict(a, robustness), rules_table(a)]
    if a.skipped:
        parts.append(Text(f"Not run: {', '.join(a.skipped)} — they need every member's full order of the options, "
                          "which Aye/No votes do not reveal.", style="dim"))
    parts += [party_table(a, party_short), Text("What it means", style="bold underline"), Text(meaning(a, robustness)),
              Text("")]
    return Group(*parts)


def demo_header(title: str, source: str, members: int) -> Group:
    return Group(
        Text(f"tellers demo — {title}", style="bold"),
        Text(f"Data: {source}; {members} members", style="dim"),
        Text(ATTRIBUTION, style="dim"),
        Text(""),
    )


def members_table(a: MajorityAnalysis) -> LiteralTable:
    """Members by party and voting pattern on the options (member-level data only)."""
    labels = [t.label for t in a.options]
    table = LiteralTable(title="Members by voting pattern on these options", title_justify="left")
    table.add_column("party")
    for label in labels:
        table.add_column(label, overflow="fold")
    table.add_column("members", justify="right")
    table.add_column("names")
    pat = a.patterns
    order = sorted(range(len(pat.parties)), key=lambda i: (-int(pat.counts[i]), pat.parties[i]))
    from tellers.records.patterns import KINDS

    for i in order:
        names = Phrases(pat.members[i]) if pat.members else ""  # wrapped between names, never inside one
        table.add_row(pat.parties[i], *(KINDS[c].value for c in pat.codes[i]), str(int(pat.counts[i])), names)
    return table


def _n(x: int | None) -> str:
    return "—" if x is None else str(x)


# --------------------------------------------------------------------------- spatial ballots


def spatial_table(a: MajorityAnalysis) -> LiteralTable:
    """The options' fitted points on the scale (and their bootstrap shares of Condorcet wins)."""
    model = a.spatial
    table = LiteralTable(title="The options on the members' scale (complete rankings by distance)", title_justify="left")
    for col in ("option", "position", "tolerance", "votes classified"):
        table.add_column(col, justify="left" if col == "option" else "right")
    if a.condorcet_shares is not None:
        table.add_column("Condorcet winner in", justify="right")
    for o in sorted(model.options, key=lambda o: float(o.position[0])):
        cells = [Text(o.label, style="bold"), ", ".join(f"{v:+.2f}" for v in o.position), f"{o.tolerance:.2f}", f"{o.correct:.1%}"]
        if a.condorcet_shares is not None:
            cells.append(f"{a.condorcet_shares[o.label]:.0%}")
        table.add_row(*cells)
    fit = model.scale
    table.caption = (
        f"{fit.num_members} members on a {fit.dims}-dimensional scale of {len(fit.votes)} divisions "
        f"({fit.correct:.1%} of votes classified correctly, APRE {fit.apre:.2f}; sign set by {fit.anchor})."
    )
    if a.no_condorcet_winner:
        table.caption += f" No Condorcet winner in {a.no_condorcet_winner:.0%} of replicates."
    table.caption_justify = "left"
    return table


def spatial_view(a: MajorityAnalysis, title: str, *, party_short: dict[str, str] | None = None) -> Group:
    """The report of a head-to-head analysis on spatial ballots."""
    h2h = head_to_head_table(a)
    h2h.caption = "A member prefers X to Y when X lies nearer their ideal point on the fitted scale."
    ranked = rules_table(a)
    ranked.title = "What each counting rule would pick (every rule: the rankings are complete)"
    caveat = Text(f"Caveat: {a.caveat}", style="yellow")
    parts: list = [section(title + " — spatial preferences"), caveat, options_table(a),
                   spatial_table(a), h2h, verdict(a), caveat, ranked, party_table(a, party_short), Text("")]
    return Group(*parts)
