"""The catalogue's options and questions as a house can answer them: `tellers options --json`
and the ``options`` and ``questions`` of GET /api/info."""

from __future__ import annotations

from tellers.parliament.house import House
from tellers.parliament.options import choose_division


def options_json(house: House) -> dict:
    """``{"options": [{"id", "label", "short", "divisions", "here"}], "questions": [{"id", "title",
    "options", "tested", "divisions"}]}``: ``here`` lists the option's divisions the house holds;
    only the questions the house can answer are listed, each with the divisions that count."""
    cat = house.catalogue
    have = set(house.division_ids())
    return {
        "options": [
            {"id": o.id, "label": o.label, "short": o.abbreviation, "divisions": list(o.divisions),
             "here": [d for d in o.divisions if d in have]}
            for o in cat.options.values()
        ],
        "questions": [
            {"id": q.id, "title": q.title, "options": list(q.options), "tested": q.tested,
             "divisions": [choose_division(cat.options[o], q.tested) for o in q.options]}
            for q in house.questions()
        ],
    }
