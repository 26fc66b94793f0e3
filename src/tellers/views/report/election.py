"""The `tellers elect` view: an election's profile and each rule's result, as JSON or Rich."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from tellers.ballots.profile import Profile
from tellers.ballots.rules import Result
from tellers.views.report.literal import LiteralTable

MAX_MATRIX = 16
"""Above this many candidates the margin matrix is left out of the terminal view."""


def number(x: float) -> str:
    """A count as an integer when it is one, else with up to 4 significant decimals."""
    x = float(x)
    return f"{x:,.0f}" if x.is_integer() else f"{x:,.4g}"


def election_json(profile: Profile, results: dict[str, Result]) -> dict:
    """The JSON document of `tellers elect --json`."""
    return {
        "candidates": list(profile.candidates),
        "voters": profile.voters,
        "ballots": profile.num_ballots,
        "condorcet_winner": profile.condorcet_winner(),
        "condorcet_loser": profile.condorcet_loser(),
        "smith_set": profile.smith_set(),
        "schwartz_set": profile.schwartz_set(),
        "majority_cycle": profile.majority_cycle(),
        "margins": profile.margins.tolist(),
        "results": {name: r.to_dict(profile.candidates) for name, r in results.items()},
    }


def margin_table(profile: Profile) -> LiteralTable:
    """Margins as a matrix: row candidate minus column candidate; wins in green."""
    table = LiteralTable(title="Head-to-head margins (row over column)", title_justify="left")
    table.add_column("")
    for c in profile.candidates:
        table.add_column(c, justify="right", overflow="fold")
    for a, name in enumerate(profile.candidates):
        cells = []
        for b in range(profile.num_candidates):
            v = profile.margins[a, b]
            if a == b:
                cells.append(Text("·", style="dim"))
            else:
                style = "green" if v > 0 else "red" if v < 0 else "yellow"
                cells.append(Text(("+" if v > 0 else "") + number(v), style=style))
        table.add_row(Text(name, style="bold"), *cells)
    return table


def explanation(result: Result, limit: int = 5) -> str:
    """The ranking, or for an elimination count the order candidates went out and the final tally."""
    if result.ranking is not None:
        tiers = [" = ".join(t) for t in result.ranking]
        return " > ".join(tiers[:limit]) + (" > …" if len(tiers) > limit else "")
    if result.rounds:
        out = [" = ".join(r.eliminated) for r in result.rounds if r.eliminated]
        contested = [r for r in result.rounds if len(r.tallies) > 1] or list(result.rounds)
        last = contested[-1].tallies
        final = ", ".join(f"{c} {number(v)}" for c, v in sorted(last.items(), key=lambda kv: -kv[1])[:3])
        return ("out: " + ", ".join(out) + "; " if out else "") + f"last count: {final}"
    return ""


def results_table(profile: Profile, results: dict[str, Result]) -> LiteralTable:
    """One row per rule: winners (ties shown), ranking or count, and notes."""
    table = LiteralTable(title="Winners by rule", title_justify="left")
    table.add_column("rule", style="bold", no_wrap=True)
    table.add_column("winner(s)", ratio=2)
    table.add_column("ranking / count", ratio=3)
    table.add_column("notes", style="dim", ratio=2)
    order = {c: i for i, c in enumerate(profile.candidates)}
    for name, result in results.items():
        winners = sorted(result.winners, key=order.__getitem__)
        text = Text(" = ".join(winners), style="bold yellow" if result.tied else "bold green")
        if result.tied:
            text.append(" (tie)", style="yellow")
        table.add_row(name, text, explanation(result), "; ".join(result.notes[:1]))
    return table


def election_view(source: str, profile: Profile, results: dict[str, Result]) -> Group:
    """Everything `tellers elect` prints."""
    header = Text()
    header.append(f"{source}\n", style="bold")
    header.append(
        f"{profile.num_candidates} candidates, "
        + (f"{number(profile.voters)} voters, " if float(profile.voters).is_integer() else f"total weight {number(profile.voters)}, ")
        + (f"{profile.num_ballots:,} distinct ballots\n" if profile.merged else f"{profile.num_ballots:,} ballots, nearly all distinct (not merged)\n")
    )
    header.append("Candidates: " + ", ".join(profile.candidates) + "\n")
    parts: list = [header]
    if profile.num_candidates <= MAX_MATRIX:
        parts.append(margin_table(profile))
    else:
        parts.append(Text(f"(margin matrix of {profile.num_candidates} candidates left out; see --json)", style="dim"))
    winner = profile.condorcet_winner()
    verdict = Text("\n" + profile.describe_majority() + "\n", style="bold green" if winner else "bold yellow")
    parts.append(verdict)
    parts.append(results_table(profile, results))
    return Group(*parts)

