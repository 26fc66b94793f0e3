"""The HTML report: `tellers report` and `tellers demo --html`.

One self-contained file: the charts are Vega-Lite specs written by Altair
(:mod:`tellers.views.report.charts`), drawn by the Vega JavaScript inlined in the page
(:mod:`tellers.views.report.vega`), so the file opens with no network. Every chart has a
caption saying what it shows and where the data come from. This module lays them out.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tellers.parliament.head_to_head import MajorityAnalysis
from tellers.errors import TellersError
from tellers.parliament.head_to_head import analyse_options
from tellers.parliament.house import House
from tellers.parliament.options import choose_questions
from tellers.parliament.titles import attribution, shown
from tellers.views.report.charts import (
    Figure,
    divisions_chart,
    head_to_head_chart,
    ideal_points_chart,
    power_chart,
    robustness_chart,
    whatif_chart,
)
from tellers.views.report.majority_graph import majority_graph_chart
from tellers.views.report.vegalite import FONT
from tellers.parliament.robustness import assess_models
from tellers.views.report.majority import meaning
from tellers.views.report.vega import EMBED_OPTIONS, javascript_bundle, spec_json


@dataclass(frozen=True)
class Section:
    """A question's part of the report: a heading, paragraphs and figures."""

    key: str
    title: str
    paragraphs: tuple[str, ...]
    figures: tuple[Figure, ...]
    notes: tuple[str, ...] = field(default=())
    divisions: tuple[str, ...] = field(default=())
    """The divisions the section shows (what the report's title names)."""


# --------------------------------------------------------------------------- optional sections

FigureHook = Callable[[House, MajorityAnalysis, str], list[Figure]]
EXTRA_FIGURES: list[FigureHook] = []
"""Functions adding figures to a question's section (e.g. ideal points); each returns [] when it has nothing."""


# --------------------------------------------------------------------------- document


def question_section(house: House, key: str, title: str, options: str | Sequence[str], tested: str | None = None) -> Section:
    """A question's section: verdict, plain-English meaning, and its charts."""
    a = analyse_options(house, options, tested)
    source = house.source
    figs = [
        divisions_chart(house, [t.division.id for t in a.options], key=f"{key}-divisions"),
        head_to_head_chart(a, key=f"{key}-head-to-head", source=source),
        majority_graph_chart(a, key=f"{key}-majority-graph", source=source),
    ]
    notes = []
    checked = assess_models(house, a)  # None for spatial preferences, or a single option
    if checked is not None:
        figs.append(robustness_chart(checked, a, key=f"{key}-robustness", source=source))
    optional = (
        ("Ideal points", lambda: ideal_points_chart(house, a, key=f"{key}-ideal-points")),
        ("What it would take", lambda: whatif_chart(house, a, key=f"{key}-whatif")),
        ("Voting power", lambda: power_chart(house, a.options[0].division.id, key=f"{key}-power")),
    )
    for name, draw in optional:
        try:
            figs.append(draw())
        except TellersError as exc:  # e.g. too few divisions to fit a scale: say so, draw the rest
            notes.append(f"{name}: not drawn — {exc}.")
    for hook in EXTRA_FIGURES:
        figs += hook(house, a, key)
    verdict = a.description.replace("candidate", "option")
    return Section(key, title, (verdict, meaning(a)), tuple(figs), tuple(notes), tuple(t.division.id for t in a.options))


def catalogue_sections(house: House, keys: Sequence[str] | None = None, tested: str | None = None) -> list[Section]:
    """One section per catalogue question the house can answer (or those named)."""
    return [question_section(house, q.id, q.title, q.options, tested or q.tested) for q in choose_questions(house, keys)]


STYLE = """
:root { color-scheme: light; }
body { font-family: %(font)s; color: #1a1a1a; background: #fff; margin: 0; line-height: 1.5; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 28px; margin: 8px 0 4px; }
h2 { font-size: 22px; margin: 48px 0 8px; padding-top: 12px; border-top: 3px solid #1a1a1a; }
h3 { font-size: 17px; margin: 28px 0 6px; }
p.lead { font-size: 16px; color: #333; }
p.verdict { font-size: 17px; font-weight: 600; }
p.meta, p.attribution { font-size: 13px; color: #555; }
nav ol { padding-left: 20px; }
figure { margin: 16px 0 32px; padding: 0; }
figure .chart { max-width: 100%%; overflow-x: auto; }
figcaption { font-size: 14px; color: #333; max-width: 860px; margin-top: 6px; padding-left: 10px; border-left: 3px solid #ccc; }
.note { font-size: 14px; color: #555; }
""" % {"font": FONT}


def render(title: str, lead: str, sections: Sequence[Section], source: str, *, showing: str = "",
           attributed: str = "") -> str:
    """The report as one HTML document with the Vega JavaScript inlined; ``showing`` says what
    divisions it shows, ``attributed`` credits the data's source."""
    e = html.escape
    shows = f"Shown: {showing}. " if showing else ""
    out = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>", f"<style>{STYLE}</style>",
        f"<script>{javascript_bundle()}</script>", "</head>", "<body>", "<main>",
        f"<h1>{e(title)}</h1>", f'<p class="lead">{e(lead)}</p>',
        f'<p class="meta">{e(shows)}Data: {e(source)}. Made by tellers on {datetime.now(UTC):%-d %B %Y}.</p>',
        "<nav><ol>" + "".join(f'<li><a href="#{e(s.key)}">{e(s.title)}</a></li>' for s in sections) + "</ol></nav>",
    ]
    for s in sections:
        out.append(f'<section id="{e(s.key)}"><h2>{e(s.title)}</h2>')
        if s.paragraphs:
            out.append(f'<p class="verdict">{e(s.paragraphs[0])}</p>')
            out += [f"<p>{e(p)}</p>" for p in s.paragraphs[1:]]
        for f in s.figures:
            out += [
                f'<figure id="{e(f.key)}"><h3>{e(f.title)}</h3>',
                f'<div class="chart" id="chart-{e(f.key)}"></div>',
                f'<script type="application/json" class="vega-lite" data-target="chart-{e(f.key)}" data-title="{e(f.title)}">{spec_json(f.spec)}</script>',
                f"<figcaption>{e(f.caption)}</figcaption></figure>",
            ]
        out += [f'<p class="note">{e(n)}</p>' for n in s.notes]
        out.append("</section>")
    out += [
        *([f'<p class="attribution">{e(attributed)}</p>'] if attributed else []), "</main>",
        "<script>",
        f"const embedOptions = {spec_json(EMBED_OPTIONS)};",
        "window.tellersViews = {};  // each chart's Vega view, by figure key: for whoever inspects the page",
        "for (const el of document.querySelectorAll('script.vega-lite')) {",
        "  vegaEmbed('#' + el.dataset.target, JSON.parse(el.textContent), embedOptions)",
        "    .then(result => { window.tellersViews[el.dataset.target.slice(6)] = result.view; }).catch(console.error);",
        "}",
        "</script>", "</body>", "</html>",
    ]
    return "\n".join(out) + "\n"


def build_report(house: House, sections: Sequence[Section] | None = None, title: str | None = None) -> str:
    """The full report: every catalogue question the house can answer (or ``sections``)."""
    sections = list(sections) if sections is not None else catalogue_sections(house)
    ids = list(dict.fromkeys(d for s in sections for d in s.divisions))
    what = shown(house, ids or None)
    title = title or f"tellers report — {what.title}"
    lead = (
        "Which option could have won a majority? For each question: how each option's own division went, "
        "party by party; how many members preferred each option to each other, as revealed by their Aye and No "
        "votes; the majority graph those counts draw; how sure that verdict is over what the votes leave unsaid; the fewest changed votes that would have flipped each "
        "division; and how much power each party held."
    )
    return render(title, lead, sections, house.source, showing=what.words, attributed=attribution(what.chambers))
