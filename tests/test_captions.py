"""What a reader must know beside the figures: corrected records and a model's caveat.

The 27 March 2019 records of three indicative votes were corrected after the day, one vote
each; the House was told, and the press reported, the earlier figures. A spatial model's
ballots are not what the division lists record. Both are said wherever the figures are shown.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tellers.parliament.cases import load_case
from tellers.parliament.head_to_head import analyse_options
from tellers.parliament.house import CaseHouse
from tellers.parliament.preferences.spatial import SPATIAL_CAVEAT
from tellers.views.cli import app
from tellers.views.report.majority import majority_json

CORRECTED = ("Corrected records: Common Market 2.0 189–283, EFTA and EEA 64–377, Customs union 265–271 are the "
             "totals as the record was later corrected; the House was told, and the press reported, 188–283, "
             "65–377, 264–272.")


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_27_march_question_says_which_totals_were_corrected():
    house = CaseHouse(load_case())
    doc = majority_json(analyse_options(house, "27mar"))
    assert doc["record_note"] == CORRECTED
    totals = {o["division"]: (o["ayes"], o["noes"]) for o in doc["options"]}
    assert (totals["656"], totals["657"], totals["658"]) == ((189, 283), (64, 377), (265, 271))
    assert "record_note" not in majority_json(analyse_options(house, "1apr"))


def test_the_terminal_shows_the_note_under_the_options():
    text = " ".join(run("majority", "--options", "27mar").split())
    assert CORRECTED in text


def test_one_division_and_the_listing_say_what_the_house_was_told():
    doc = json.loads(run("division", "658", "--json"))
    assert (doc["ayes"], doc["noes"]) == (265, 271)
    assert doc["record_note"] == ("The record was corrected after the day: the House was told, and the press "
                                  "reported, 264–272; these are the corrected totals.")
    listed = {d["id"]: d["record_note"] for d in json.loads(run("divisions", "--json"))}
    assert [i for i, note in listed.items() if note] == ["656", "657", "658"]
    assert "65–377" in listed["657"] and "188–283" in listed["656"]
    assert "658: The record was corrected" in run("divisions")


def test_spatial_results_carry_their_caveat():
    doc = json.loads(run("majority", "--options", "1apr", "--infer", "spatial", "--json"))
    assert doc["caveat"] == SPATIAL_CAVEAT
    assert "not what the division lists record" in SPATIAL_CAVEAT
    text = " ".join(run("majority", "--options", "1apr", "--infer", "spatial").split())
    assert text.count(f"Caveat: {SPATIAL_CAVEAT}") == 2  # under the heading, and under the verdict
    assert "caveat" not in json.loads(run("majority", "--options", "1apr", "--json"))


def test_the_report_charts_say_it_too():
    from tellers.views.report.charts import divisions_chart, ideal_points_chart
    from tellers.parliament.preferences.spatial import SCALE_CAVEAT

    house = CaseHouse(load_case())
    caption = divisions_chart(house, ["655", "656", "657", "658"]).caption
    assert caption.count("The record was corrected after the day") == 3
    assert "the press reported, 264–272" in caption and "No deal (655): The record" not in caption
    assert "corrected" not in divisions_chart(house, ["666", "667"]).caption
    assert ideal_points_chart(house, analyse_options(house, "1apr")).caption.endswith(f"Caveat: {SCALE_CAVEAT}")
