"""Views of stored division records: `tellers import`, `tellers divisions`, `tellers division`.

Thin: every number comes from :mod:`tellers.records.store`; this module only lays it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Group
from rich.text import Text

from tellers.chambers import Verdict
from tellers.records.store import DivisionResult, DivisionTotals, ImportSummary, MembershipSummary
from tellers.views.report.literal import ListingTable, LiteralTable
from tellers.wording import plural

VOTE_LABELS = {
    "aye": "Aye",
    "no": "No",
    "teller_aye": "Teller (Ayes)",
    "teller_no": "Teller (Noes)",
    "no_vote": "No vote",
    "both": "Both lobbies",
}
OUTCOMES = {"aye": "The Ayes have it", "no": "The Noes have it", "tie": "Tie"}


def result_phrase(v: Verdict, ayes: int, noes: int) -> str:
    """'won by 12', 'lost by 3', 'tied; the Vice President carried it', 'failed (needs three fifths of
    the members sworn)': the outcome (the record's where it gives one) in a few words."""
    passed = v.passed
    if v.tie:
        return "tied" + ("" if passed is None else f"; {'carried' if passed else 'lost'} on the casting vote")
    if v.majority.simple and v.agrees is not False:
        gap = ayes - noes
        return f"{'won' if gap > 0 else 'lost'} by {abs(gap)}"
    word = {True: "passed", False: "failed", None: "undecided"}[passed]
    if v.agrees is False:
        return f"{word} as recorded (the counts say otherwise)"
    return f"{word} (needs {v.majority.describe()})"


def outcome_words(t: DivisionTotals) -> str:
    """The outcome in words: the record's result where it gives one, else the chamber's rules on the counts."""
    if t.result:
        return f"{t.result} (as recorded)"
    return OUTCOMES[t.outcome]


def result_note(t: DivisionTotals) -> str:
    """How the outcome follows from the counts under the chamber's rules, and why they disagree where they do."""
    v = t.verdict
    if v.majority.simple and not v.tie and v.agrees is not False:
        return ""
    return v.why[0].upper() + v.why[1:] + "."


def _date(d: object) -> str:
    return "" if d is None else str(d)


def _count(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def _rice(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}"


# --------------------------------------------------------------------------- import


def import_status(s: ImportSummary) -> Text:
    """What importing one file did, in words."""
    if s.unchanged:
        text = Text("unchanged", style="dim")
        if s.divisions_superseded:
            text.append(f" ({plural(s.divisions_superseded, 'division')} superseded by a later file)", style="dim")
        return text
    parts = []
    if s.divisions_added:
        parts.append(f"{plural(s.divisions_added, 'division')} added")
    if s.divisions_replaced:
        parts.append(f"{s.divisions_replaced:,} replaced")
    if s.divisions_superseded:
        parts.append(f"{s.divisions_superseded:,} superseded by a later file")
    if s.members_added:
        parts.append(f"{plural(s.members_added, 'member')} added")
    if s.members_updated:
        parts.append(f"{plural(s.members_updated, 'member')} updated")
    if s.votes_written:
        parts.append(f"{plural(s.votes_written, 'vote')} written")
    return Text(", ".join(parts), style="green")


@dataclass
class ImportExtras:
    """What an import did besides division records."""

    memberships: list[MembershipSummary] = field(default_factory=list)
    aliases: list[tuple[str, int]] = field(default_factory=list)
    """(source, aliases written)."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(path, why): files read with another."""


def import_json(summaries: Sequence[ImportSummary], db: Path, counts: dict[str, int],
                extras: ImportExtras | None = None) -> dict:
    """The JSON document of `tellers import --json` and `tellers fetch ... --json`."""
    extras = extras or ImportExtras()
    return {
        "db": str(db),
        "files": [
            {
                "source": s.source,
                "divisions": s.divisions,
                "members": s.members,
                "votes": s.votes,
                "unchanged": s.unchanged,
                "divisions_added": s.divisions_added,
                "divisions_replaced": s.divisions_replaced,
                "divisions_superseded": s.divisions_superseded,
                "members_added": s.members_added,
                "members_updated": s.members_updated,
                "votes_written": s.votes_written,
            }
            for s in summaries
        ],
        "memberships": [
            {"source": m.source, "members": m.members, "memberships": m.memberships, "replaced": m.replaced}
            for m in extras.memberships
        ],
        "party_aliases": [{"source": s, "aliases": n} for s, n in extras.aliases],
        "skipped": [{"source": s, "why": why} for s, why in extras.skipped],
        "store": counts,
    }


def import_view(summaries: Sequence[ImportSummary], db: Path, counts: dict[str, int],
                extras: ImportExtras | None = None) -> Group:
    """One row per file: what it holds and what was written; then what the store holds."""
    extras = extras or ImportExtras()
    table = LiteralTable(title="Imported", title_justify="left")
    table.add_column("file", overflow="fold")
    table.add_column("divisions", justify="right")
    table.add_column("members", justify="right")
    table.add_column("votes", justify="right")
    table.add_column("result", ratio=1)
    for s in summaries:
        table.add_row(s.source, f"{s.divisions:,}", f"{s.members:,}", f"{s.votes:,}", import_status(s))
    lines = [f"{s}: skipped, {why}" for s, why in extras.skipped]
    lines += [
        f"{m.source}: membership history of {plural(m.members, 'member')}, {plural(m.memberships, 'membership')}"
        + (f" ({m.replaced:,} stored before replaced)" if m.replaced else "")
        for m in extras.memberships
    ]
    lines += [f"{s}: {plural(n, 'party alias')}" for s, n in extras.aliases]
    footer = Text(
        f"{db}: {plural(counts['divisions'], 'division')}, {plural(counts['members'], 'member')}, "
        f"{plural(counts['votes'], 'vote')}"
        + (f", {plural(counts['memberships'], 'membership')}" if counts.get("memberships") else "")
        + (f", {plural(counts['party_aliases'], 'party alias')}" if counts.get("party_aliases") else ""),
        style="dim",
    )
    parts: list = [table] if summaries else []
    if lines:
        parts.append(Text("\n".join(lines)))
    return Group(*parts, footer)


# --------------------------------------------------------------------------- divisions


def division_summary_json(t: DivisionTotals) -> dict:
    """One division's entry in `tellers divisions --json` (also the head of `tellers division --json`).

    ``ayes``/``noes`` are the official totals where the source gives them, else those
    counted from the votes; ``counted_ayes``/``counted_noes`` are always counted.
    """
    return {
        "id": t.id,
        "chamber": t.chamber,
        "date": _date(t.date) or None,
        "title": t.title,
        "ayes": t.result_ayes,
        "noes": t.result_noes,
        "counted_ayes": t.counted_ayes,
        "counted_noes": t.counted_noes,
        "official": t.ayes is not None,
        "question": t.question or None,
        "result": t.result,
        "passed": t.passed,
        "passed_recorded": t.recorded_passed,
        "passed_by_count": t.verdict.counted,
        "majority": t.verdict.majority.describe(),
        "agrees": t.verdict.agrees,
        "why": t.verdict.why,
        "record_note": t.note or None,
    }


def divisions_json(divisions: Sequence[DivisionTotals]) -> list[dict]:
    """The JSON document of `tellers divisions --json`."""
    return [division_summary_json(t) for t in divisions]


def _totals_cells(t: DivisionTotals) -> tuple[Text, Text]:
    """Ayes and Noes cells; official totals that differ from the counted ones are flagged."""
    cells = []
    for official, counted, differ in ((t.ayes, t.counted_ayes, t.ayes_differ), (t.noes, t.counted_noes, t.noes_differ)):
        if official is None:
            cells.append(Text(f"{counted:,}", style="italic"))
        elif differ:
            cells.append(Text(f"{official:,} ", style="yellow").append(f"({counted:,} counted)", style="yellow dim"))
        else:
            cells.append(Text(f"{official:,}"))
    return cells[0], cells[1]


def _result_cell(t: DivisionTotals, differs: bool) -> Text:
    """passed / failed (as recorded where the source records a result), or a tie a casting vote decides."""
    words = {True: "passed", False: "failed", None: "tie"}[t.passed] + ("*" if differs else "")
    return Text(words, style="green" if t.passed else "red" if t.passed is False else "yellow")


def divisions_view(divisions: Sequence[DivisionTotals], db: Path | str) -> Group | Text:
    """The table of `tellers divisions`."""
    if not divisions:
        return Text(f"No divisions in {db}. Add some with `tellers import FILE` or `tellers fetch commons ID`.")
    several = len({t.chamber for t in divisions}) > 1
    # a listing may run to thousands of rows: drawn line by line, as a Rich Table would draw it
    table = ListingTable(title=f"Divisions in {db}")
    if several:
        table.add_column("chamber")
    table.add_column("id", style="bold")
    table.add_column("date")
    table.add_column("title", wrap=True)
    table.add_column("ayes", justify="right")
    table.add_column("noes", justify="right")
    table.add_column("result")
    flagged = computed = disagree = False
    for t in divisions:
        ayes, noes = _totals_cells(t)
        flagged = flagged or t.discrepancy
        computed = computed or t.ayes is None
        differs = t.verdict.agrees is False
        disagree = disagree or differs
        row = [t.id, _date(t.date), t.title, ayes, noes, _result_cell(t, differs)]
        table.add_row(*([t.chamber] if several else []), *row)
    notes = []
    if computed:
        notes.append("Totals in italics are counted from the votes: the source gives no official totals.")
    if flagged:
        notes.append("Yellow: the official total differs from the total counted from the votes.")
    if not all(t.result_read for t in divisions):
        notes.append("Some divisions were imported by an older tellers, which did not keep recorded results: "
                     "re-import their files to add them.")
    if disagree:
        notes.append("*: the recorded result is not what the counts give under the chamber's rules as tellers "
                     "knows them; `tellers division ID` says why.")
    notes += [f"{t.id}: {t.note}" for t in divisions if t.note]
    parts: list = [table]
    if notes:
        parts.append(Text("\n".join(notes), style="dim"))
    return Group(*parts)


# --------------------------------------------------------------------------- one division


NO_NAMES = "members by party and voting pattern, without names: no rebels are listed"
"""What a division from the aggregate case says about its missing rebel list."""


def division_json(result: DivisionResult, *, member_level: bool = True) -> dict:
    """The JSON document of `tellers division --json` (and GET /api/divisions/{id})."""
    doc = division_summary_json(result.totals)
    doc["outcome"] = result.totals.outcome
    doc["tellers"] = result.totals.tellers
    doc["no_vote"] = result.totals.no_vote
    doc["both"] = result.totals.both
    doc["parties"] = {
        p.party: {
            "aye": p.aye,
            "no": p.no,
            "no_vote": p.no_vote,
            "tellers": p.tellers,
            "both": p.both,
            "rice": p.rice,
            "majority": p.majority,
            "on_the_day": p.on_the_day,
        }
        for p in result.parties
    }
    doc["party_basis"] = party_basis(result)
    doc["rebels"] = [
        {"member_id": r.member_id, "name": r.name, "party": r.party, "vote": r.vote} for r in result.rebels
    ]
    if not member_level:
        doc["note"] = NO_NAMES
    return doc


def party_basis(result: DivisionResult) -> str:
    """Where each member's party comes from, in one sentence."""
    held = sum(p.on_the_day for p in result.parties)
    listed = sum(p.aye + p.no + p.no_vote + p.tellers + p.both for p in result.parties)
    given = result.totals.party_basis or "as the source gives it"
    if held == 0:
        return (f"Party {given}; no membership history covers these members (import one: a CSV of "
                "member_id,party,start,end, or `fetch members`).")
    if held == listed:
        return "Party on the day, from the membership history, for every member."
    return f"Party on the day from the membership history for {held:,} of {listed:,} members; for the rest {given}."


def party_table(result: DivisionResult) -> LiteralTable:
    """The split by party, with each party's Rice index."""
    table = LiteralTable(title="By party", title_justify="left")
    table.add_column("party", style="bold")
    for name in ("aye", "no", "no vote"):
        table.add_column(name, justify="right")
    # chambers without tellers (the Senate, deferred divisions) need no tellers column
    show_tellers, show_both = result.totals.tellers > 0, result.totals.both > 0
    if show_tellers:
        table.add_column("tellers", justify="right")
    if show_both:
        table.add_column("both lobbies", justify="right")
    table.add_column("Rice", justify="right")
    for p in result.parties:
        cells = [p.party, _count(p.aye), _count(p.no), _count(p.no_vote)]
        if show_tellers:
            cells.append(_count(p.tellers))
        if show_both:
            cells.append(_count(p.both))
        cells.append(_rice(p.rice))
        table.add_row(*cells)
    return table


def rebels_table(result: DivisionResult, member_level: bool = True) -> LiteralTable | Text:
    """Members who voted against their party's majority."""
    if not member_level:
        return Text(f"Data: {NO_NAMES}.", style="dim")
    if not result.rebels:
        return Text("No member voted against the majority of their party.", style="dim")
    table = LiteralTable(title=f"Against their party's majority ({len(result.rebels):,})", title_justify="left")
    table.add_column("member", style="bold")
    table.add_column("party")
    table.add_column("vote")
    for r in result.rebels:
        table.add_row(r.name, r.party, VOTE_LABELS.get(r.vote, r.vote))
    return table


def division_view(result: DivisionResult, *, member_level: bool = True) -> Group:
    """Everything `tellers division` prints."""
    t = result.totals
    header = Text()
    header.append(f"{t.title}\n", style="bold")
    where = f"{t.chamber} division {t.id}"
    if t.number is not None:
        where += f" (No. {t.number})"
    if t.date is not None:
        where += f", {t.date}"
    header.append(where + "\n", style="dim")
    ayes, noes = _totals_cells(t)
    header.append("Ayes ").append_text(ayes).append(", Noes ").append_text(noes)
    header.append(f". {outcome_words(t)}.", style="bold green" if t.outcome != "tie" else "bold yellow")
    if not t.result_read:
        header.append(f"\nImported by an older tellers, which did not keep the recorded result or the question: "
                      f"re-import {t.source} to add them.", style="yellow")
    if note := result_note(t):
        header.append("\n" + note, style="yellow" if t.verdict.agrees is False else "dim")
    if t.note:
        header.append("\n" + t.note, style="yellow")
    extra = [plural(t.tellers, "teller")] if t.tellers else []
    extra.append(f"{t.no_vote:,} recorded no vote")
    if t.both:
        extra.append(f"{t.both:,} in both lobbies (counted on each side)")
    header.append("\n" + "; ".join(extra) + "\n", style="dim")
    if t.discrepancy:
        header.append("The official totals differ from those counted from the votes.\n", style="yellow")
    elif t.ayes is None:
        header.append("The source gives no official totals: these are counted from the votes.\n", style="dim")
    return Group(header, party_table(result), Text(party_basis(result), style="dim"), Text(""),
                 rebels_table(result, member_level))
