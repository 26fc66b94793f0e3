"""A simulation study shown: terminal tables, Parquet rows, and the report's section with charts.

Everything here reads the study's JSON document (:meth:`StudyResult.to_dict`), so the report
can show a study run earlier, even on another machine (`tellers report --study FILE`).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from tellers.errors import TellersError
from tellers.views.report.literal import LiteralTable

if TYPE_CHECKING:
    from tellers.ballots.simulate.results import StudyResult

CULTURES = {
    "impartial": "impartial culture", "iac": "impartial anonymous culture", "mallows": "Mallows",
    "urn": "Pólya–Eggenberger urn", "spatial": "Euclidean spatial", "single-peaked": "single-peaked",
    "parliament": "a chamber's completed ballots",
}
STUDY_KEYS = ("culture", "candidates", "voters", "elections", "seed", "chunk", "chunks", "condorcet_winner_share",
              "elections_with_condorcet_winner", "condorcet_efficiency", "agreement", "procedures", "standard_errors")
AGENDA_WORDS = {"random": "in an order drawn for each election", "given": "in the candidates' order"}


def decimals(errors: list[float | None]) -> int:
    """Decimals that show a share to its largest standard error's first two digits (3 to 6)."""
    worst = max([e for e in errors if e] or [1e-3])
    return min(6, max(3, 1 - math.floor(math.log10(worst))))


def share(x: float | None, se: float | None, d: int) -> str:
    if x is None:
        return "–"
    return f"{x:.{d}f}" if se is None else f"{x:.{d}f} ± {se:.{d}f}"


def describe(doc: dict) -> str:
    """The study in a line: culture, parameters, sizes, seed and chunks."""
    culture = CULTURES.get(doc["culture"], doc["culture"])
    parameters = ", ".join(f"{k} {', '.join(map(str, v)) if isinstance(v, list) else v}"
                           for k, v in doc.get("parameters", {}).items())
    return (f"{culture}{f' ({parameters})' if parameters else ''}: {doc['elections']:,} elections of "
            f"{doc['voters']:,} voters over {doc['candidates']} candidates; seed {doc['seed']}, "
            + (f"{doc['chunks']} chunks of up to {doc['chunk']:,}" if doc["chunks"] > 1 else "one chunk")
            + (f"; options put {AGENDA_WORDS[doc['agenda']]}" if doc.get("agenda") in AGENDA_WORDS else ""))


def simulation_view(doc: dict) -> Group:
    """The study's figures as tables, each share with its Monte Carlo standard error (±)."""
    se = doc["standard_errors"]
    d = decimals([se["condorcet_winner_share"], *se["condorcet_efficiency"].values(), *_leaves(se["procedures"])])
    parts: list = [Text(describe(doc), style="bold")]
    cw = doc["condorcet_winner_share"]
    parts.append(Text(f"Condorcet winner: {share(cw, se['condorcet_winner_share'], d)} of elections "
                      f"({doc['elections_with_condorcet_winner']:,}); Smith set size: mean "
                      f"{share(doc['smith_set_size']['mean'], se['smith_set_size']['mean'], d)}"))
    if "labels" in doc:
        each = ", ".join(f"{name} {share(x, se['condorcet_winners'][name], d)}" for name, x in doc["condorcet_winners"].items())
        parts.append(Text(f"Each option the Condorcet winner: {each}"))
    rules = LiteralTable(title="Rules (± one standard error)", title_justify="left")
    rules.add_column("rule")
    rules.add_column("Condorcet efficiency", justify="right")
    rules.add_column("tied", justify="right")
    manipulable = doc.get("manipulability", {})
    if manipulable:
        rules.add_column("manipulable", justify="right")
    for rule, x in doc["condorcet_efficiency"].items():
        row = [rule, share(x, se["condorcet_efficiency"][rule], d), f"{doc['rule_tie_shares'][rule]:.{d}f}"]
        if manipulable:
            row.append(share(manipulable.get(rule), se["manipulability"].get(rule), d) if rule in manipulable else "–")
        rules.add_row(*row)
    parts.append(rules)
    if doc["procedures"]:
        procedures = LiteralTable(title="Procedures: the Condorcet winner adopted", title_justify="left")
        procedures.add_column("procedure")
        procedures.add_column("sincere", justify="right")
        procedures.add_column("sophisticated", justify="right")
        procedures.add_column("outcomes differ", justify="right")
        for name, by in doc["procedures"].items():
            differs = doc["sophisticated_differs"].get(name)
            procedures.add_row(
                name, share(by.get("sincere"), se["procedures"][name].get("sincere"), d),
                share(by.get("sophisticated"), se["procedures"][name].get("sophisticated"), d) if "sophisticated" in by else "–",
                share(differs, se["sophisticated_differs"].get(name), d) if differs is not None else "–")
        parts.append(procedures)
    parts += agreement_tables(doc)
    words = ("Condorcet efficiency and procedures: shares of the elections with a Condorcet winner in which exactly "
             "it is chosen; the rest, shares of all elections.")
    if manipulable:
        words += (" Manipulable: the voters who prefer some other candidate to the winner(s) can make it the only "
                  "winner (svvamp's CM, with no tie broken in their favour); measured where that is exact and cheap.")
    parts.append(Text(words, style="dim"))
    return Group(*parts)


MATRIX_RULES = 6
"""Most rules whose agreement is shown as a matrix; past it, the pairs that agree least."""
LEAST = 10


def agreement_tables(doc: dict) -> list:
    """How often each pair of rules picks the same winners: a matrix for a few rules, else the
    pairs that agree least (every pair is in the JSON)."""
    names = list(doc["condorcet_efficiency"])
    if len(names) < 2:
        return []
    agreement = doc["agreement"]
    if len(names) <= MATRIX_RULES:
        table = LiteralTable(title="Rules agreeing (the same winners), share of elections", title_justify="left")
        table.add_column("")
        for b in names[1:]:
            table.add_column(b, justify="right")
        for i, a in enumerate(names[:-1]):
            table.add_row(a, *["" if j <= i else f"{agreement[a][b]:.3f}" for j, b in enumerate(names[1:], 1)])
        return [table]
    pairs = sorted(((x, a, b) for a, row in agreement.items() for b, x in row.items()), key=lambda p: p[0])
    table = LiteralTable(title=f"The {LEAST} pairs of rules agreeing least (the same winners), share of elections",
                         title_justify="left")
    for header in ("rule", "rule", "agree"):
        table.add_column(header, justify="right" if header == "agree" else "left")
    for x, a, b in pairs[:LEAST]:
        table.add_row(a, b, f"{x:.3f}")
    always = [f"{a}~{b}" for x, a, b in pairs if x == 1.0]
    words = f"{len(pairs):,} pairs in all (--json lists them)"
    if always:
        words += f"; always the same: {', '.join(always)}"
    return [table, Text(words, style="dim")]


def _leaves(tree: dict) -> list:
    return [v for branch in tree.values() for v in (_leaves(branch) if isinstance(branch, dict) else [branch])]


def write_parquet(path: Path, result: StudyResult) -> None:
    """One row per chunk and measure (chunk, measure, key, hits, trials), each with the study
    (culture, its parameters as JSON, candidates, voters, elections, seed, elections per chunk,
    agenda), written whole or not at all."""
    import duckdb

    rows = result.rows()
    s = result.study
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with duckdb.connect() as db:
            db.execute("CREATE TABLE chunks (chunk INTEGER, measure VARCHAR, key VARCHAR, hits BIGINT, trials BIGINT)")
            db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?, ?)", rows)
            db.execute(
                "COPY (SELECT ? AS culture, ?::VARCHAR AS parameters, ?::INTEGER AS candidates, ?::BIGINT AS voters, "
                "?::BIGINT AS elections, ?::BIGINT AS seed, ?::BIGINT AS chunk_elections, ? AS agenda, * "
                f"FROM chunks ORDER BY chunk) TO '{_quoted(temporary)}' (FORMAT parquet)",
                [s.culture, json.dumps(s.parameters), s.candidates, s.voters, s.elections, s.seed, s.chunk_elections,
                 s.agenda])
        os.replace(temporary, path)
    except (OSError, duckdb.Error) as exc:
        temporary.unlink(missing_ok=True)
        raise TellersError(f"cannot write {path}: {exc}") from None


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def read_study(path: Path) -> dict:
    """A study written by `tellers simulate --json`, checked, or an error naming the file and fix."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TellersError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise TellersError(f"{path}: not JSON ({exc}); write a study with `tellers simulate --json > {path.name}`") from None
    missing = [k for k in STUDY_KEYS if not isinstance(doc, dict) or k not in doc]
    if missing:
        raise TellersError(f"{path}: not a study (no {', '.join(missing)}); write one with "
                           f"`tellers simulate --json > {path.name}`")
    return doc


def efficiency_rows(doc: dict) -> list[dict]:
    """One row per rule and per procedure's voting: the share adopting the Condorcet winner,
    with a 95% interval (± 1.96 standard errors)."""
    se = doc["standard_errors"]
    rows = [{"what": rule, "kind": "rule", "share": x, "se": se["condorcet_efficiency"][rule]}
            for rule, x in doc["condorcet_efficiency"].items() if x is not None]
    rows += [{"what": f"{name} ({voting})", "kind": f"procedure, {voting}", "share": x, "se": se["procedures"][name][voting]}
             for name, by in doc["procedures"].items() for voting, x in by.items() if x is not None]
    for row in rows:
        row["low"], row["high"] = max(0.0, row["share"] - 1.96 * row["se"]), min(1.0, row["share"] + 1.96 * row["se"])
        row["text"] = f"{row['share']:.3f}"
    return rows


def efficiency_chart(doc: dict, key: str = "study", width: int = 460):
    """Each rule's and procedure's Condorcet efficiency as a bar, with its 95% interval."""
    import altair as alt

    from tellers.views.report.charts import Figure, vega_config, vega_spec

    rows = efficiency_rows(doc)
    order = [r["what"] for r in rows]
    base = alt.Chart(alt.Data(values=rows))
    y = alt.Y("what:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelPadding=8, domain=False, ticks=False))
    x = alt.X("share:Q", title="share of elections with a Condorcet winner that choose it",
              scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(grid=True, format=".0%"))
    bars = base.mark_bar(height={"band": 0.6}).encode(
        y=y, x=x, color=alt.Color("kind:N", legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("what:N", title="rule or procedure"), alt.Tooltip("share:Q", format=".4f"),
                 alt.Tooltip("se:Q", format=".4f", title="standard error")])
    interval = base.mark_rule(color="#222").encode(y=y, x="low:Q", x2="high:Q")
    text = base.mark_text(align="left", dx=6, fontSize=11, color="#222").encode(y=y, x="high:Q", text="text:N")
    chart = alt.layer(bars, interval, text).properties(width=width, height=24 * len(rows))
    caption = (f"Simulated: {describe(doc)}. Each bar is the share of the "
               f"{doc['elections_with_condorcet_winner']:,} elections with a Condorcet winner in which the rule (or "
               f"the procedure, every option put {AGENDA_WORDS.get(doc.get('agenda'), 'in the candidates order')}) "
               "chooses exactly it; the black line is its 95% Monte Carlo interval.")
    return Figure(key, "How often each rule and procedure finds the Condorcet winner", caption,
                  vega_spec(vega_config(chart)))


def simulation_section(doc: dict, key: str = "study"):
    """The report's section for a study: what it found, in words, and the chart."""
    from tellers.views.report.html import Section

    se = doc["standard_errors"]
    efficiency = {r: x for r, x in doc["condorcet_efficiency"].items() if x is not None}
    words = [f"{describe(doc)}. A Condorcet winner in {doc['condorcet_winner_share']:.4f} of the elections "
             f"(± {se['condorcet_winner_share']:.4f}, one standard error)."]
    if efficiency:
        best, worst = max(efficiency, key=efficiency.get), min(efficiency, key=efficiency.get)
        words.append(f"Of the rules measured, {best} chooses it most often ({efficiency[best]:.4f}) and {worst} least "
                     f"often ({efficiency[worst]:.4f}).")
    return Section(key, "Simulation study: how often each rule finds the majority", tuple(words),
                   (efficiency_chart(doc, f"{key}-efficiency"),))
