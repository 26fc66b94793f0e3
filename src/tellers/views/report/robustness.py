"""How sure the verdict is: the completions of the electorate's votes, in words and tables."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text

from tellers.parliament.robustness import MODELS, Completions, Robustness
from tellers.views.report.literal import LiteralTable


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def robustness_lines(r: Robustness) -> list[str]:
    """The headline sentences: who the electorate is, the exact result, the simulated shares."""
    label = dict(zip(r.ids, r.labels))
    names = lambda ids: ", ".join(label[i] for i in ids) or "none"  # noqa: E731
    lines = [
        f"Electorate: {r.electorate:,} members, those who voted or told on at least one of these divisions; "
        "each had some ranking of all the options that their Aye and No votes do not show.",
        f"Over every completion of their votes (exact): possible Condorcet winners {names(r.possible)}; "
        f"necessary Condorcet winner {names(r.necessary)}.",
    ]
    s = r.shares
    if s is not None:
        for c in sorted(range(len(r.ids)), key=lambda c: -s.condorcet[c]):
            if s.condorcet[c] > 0:
                lines.append(f"{r.labels[c]} is the Condorcet winner in {_pct(s.condorcet[c])} of {s.draws:,} "
                             f"completions ({s.model}: {MODELS[s.model]}).")
        lines.append(f"No Condorcet winner in {_pct(s.no_winner)} (seed {r.seed}).")
    return lines


def robustness_view(r: Robustness) -> Group:
    """The sentences, then each pair's margin bounds and each rule's winner shares."""
    parts: list = [Text("\n".join(robustness_lines(r)))]
    s = r.shares
    pairs = LiteralTable(title="Each pair's margin over the completions (row minus column)", title_justify="left")
    for name in ("pair", "smallest", *(["5%", "median", "95%"] if s is not None else []), "largest"):
        pairs.add_column(name, justify="left" if name == "pair" else "right")
    k = len(r.ids)
    for x in range(k):
        for y in range(x + 1, k):
            cells = [f"{r.shorts[x]} v {r.shorts[y]}", f"{int(r.bounds.min_margin[x, y]):+,}"]
            if s is not None:
                cells += [f"{int(round(s.margins[i, x, y])):+,}" for i in range(3)]
            cells.append(f"{int(r.bounds.max_margin[x, y]):+,}")
            pairs.add_row(*cells)
    parts.append(pairs)
    if s is not None:
        rules = LiteralTable(title=f"Who wins, share of {s.draws:,} completions ({s.model})", title_justify="left")
        rules.add_column("")
        for short in (*r.shorts, "none / tie"):
            rules.add_column(short, justify="right")
        rules.add_row("Condorcet winner", *(_pct(v) for v in s.condorcet), _pct(s.no_winner))
        for name, v in s.rules.items():
            rules.add_row(name, *(_pct(x) for x in v), _pct(s.rule_ties[name]))
        parts.append(rules)
    return Group(*parts)


NO_WINNER = "no winner"
"""The bar for the draws in which no option beats every other."""


@dataclass(frozen=True)
class ShareBar:
    """One option's share of one model's completions in which it is the Condorcet winner
    (or, for :data:`NO_WINNER`, the share with none)."""

    model: str
    label: str
    short: str
    division: str
    """The option's division id; empty for :data:`NO_WINNER`."""
    share: float
    text: str
    order: int


def share_bars(checked: Completions) -> list[ShareBar]:
    """Every option's Condorcet-winner share under every model, then each model's no-winner share."""
    out = []
    for r in checked.checks:
        s = r.shares
        for c in range(len(r.ids)):
            out.append(ShareBar(s.model, r.labels[c], r.shorts[c], r.ids[c], float(s.condorcet[c]),
                                f"{float(s.condorcet[c]):.1%}", c))
        out.append(ShareBar(s.model, NO_WINNER, NO_WINNER, "", float(s.no_winner), f"{float(s.no_winner):.1%}", len(r.ids)))
    return out
