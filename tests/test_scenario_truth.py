"""Scenarios that tell the truth: the bundled example is the record, a change says what it
changed, an edit that changes no vote says so, and stances for members who cannot vote are
refused with the reason.

Expected figures are counted here independently, from the bundled aggregate's codes and
from `tellers demo --json`, not through the scenario engine."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from tellers.parliament.cases import load_case
from tellers.parliament.coalitions.scenario_example import EXAMPLE
from tellers.records.model import VoteKind
from tellers.records.patterns import KINDS
from tellers.views.cli import app

runner = CliRunner()

APRIL = ["666", "667", "668", "669", "664"]
DAY = ["666", "667", "668", "669"]
"""The divisions held on 1 April 2019 (MV3, 664, was on 29 March)."""
AYE_SIDE = [KINDS.index(VoteKind.AYE), KINDS.index(VoteKind.TELLER_AYE)]
NO_SIDE = [KINDS.index(VoteKind.NO), KINDS.index(VoteKind.TELLER_NO)]
PRESENT = [KINDS.index(k) for k in (VoteKind.AYE, VoteKind.NO, VoteKind.TELLER_AYE, VoteKind.TELLER_NO, VoteKind.BOTH)]


def cli_json(*args: str) -> dict:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def demo() -> dict:
    return cli_json("demo", "-q", "1apr", "--json")["1apr"]


def members(divisions: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(codes, parties), one row per member of the bundled aggregate, parties merged by the catalogue's aliases."""
    case = load_case()
    p = case.patterns.with_parties(dict(case.catalogue.party_aliases))
    codes = np.repeat(p.codes[:, [p.divisions.index(d) for d in divisions]], p.counts, axis=0)
    return codes, np.repeat(np.array(p.parties, dtype=object), p.counts)


def present(party: str) -> np.ndarray:
    """Rows of ``party``'s members who voted or told in any division of 1 April."""
    codes, parties = members(DAY)
    return (parties == party) & np.isin(codes, PRESENT).any(axis=1)


def totals(codes: np.ndarray, j: int) -> tuple[int, int]:
    both = int((codes[:, j] == KINDS.index(VoteKind.BOTH)).sum())
    return int((codes[:, j] == KINDS.index(VoteKind.AYE)).sum()) + both, int((codes[:, j] == KINDS.index(VoteKind.NO)).sum()) + both


def pairwise(codes: np.ndarray) -> dict[tuple[int, int], tuple[int, int]]:
    """{(i, j): (members Aye on i and No on j, members Aye on j and No on i)}, tellers on their side."""
    aye, no = np.isin(codes, AYE_SIDE), np.isin(codes, NO_SIDE)
    n = codes.shape[1]
    return {(i, j): (int((aye[:, i] & no[:, j]).sum()), int((aye[:, j] & no[:, i]).sum()))
            for i in range(n) for j in range(i + 1, n)}


def label(doc: dict, division: str) -> str:
    return next(o["label"] for o in doc["options"] if o["division"] == division)


# ---------------------------------------------------------------------- 1. the bundled scenario is the record


def test_the_bundled_scenario_gives_the_demos_head_to_head_exactly(demo):
    doc = cli_json("scenario", "--json")
    h2h = doc["head_to_head"]
    assert [o["division"] for o in h2h["options"]] == [o["division"] for o in demo["options"]] == APRIL
    mine = {(p["x"], p["y"]): p for p in h2h["pairwise"]}
    assert len(mine) == len(demo["pairwise"]) == 10
    for p in demo["pairwise"]:
        q = mine[p["x"], p["y"]]
        for field in ("x_over_y", "y_over_x", "same", "unknown"):
            assert type(q[field]) is int and q[field] == p[field], (p["x"], p["y"], field)
    assert (h2h["condorcet_winner"], h2h["majority_cycle"], h2h["members"]) == (demo["condorcet_winner"], None, demo["members"])
    assert h2h["condorcet_winner"] == "Customs union"


def test_the_bundled_scenario_gives_the_record_totals(demo):
    doc = cli_json("scenario", "--json")
    assert doc["kind"] == "edits" and doc["notices"] == []
    record = {o["division"]: (o["ayes"], o["noes"]) for o in demo["options"]}
    assert record == {"666": (273, 276), "667": (261, 282), "668": (280, 292), "669": (191, 292), "664": (286, 344)}
    for d in doc["divisions"]:
        assert (d["ayes"], d["noes"]) == (d["before"]["ayes"], d["before"]["noes"]) == record[d["id"]]
        assert d["passed"] is False
    assert doc["changes"]["reproduces"] is True
    assert doc["changes"]["said"] == [
        "The scenario reproduces the record: every division's totals and every head-to-head count are as recorded."
    ]


def test_the_independent_count_is_the_demos(demo):
    """The oracle the next tests use agrees with the record's head to head."""
    codes, _ = members(APRIL)
    counted = pairwise(codes)
    labels = [label(demo, d) for d in APRIL]
    for (i, j), (x, y) in counted.items():
        p = next(p for p in demo["pairwise"] if (p["x"], p["y"]) == (labels[i], labels[j]))
        assert (p["x_over_y"], p["y_over_x"]) == (x, y)
    assert [totals(codes, j) for j in range(5)] == [(273, 276), (261, 282), (280, 292), (191, 292), (286, 344)]


def test_the_bundled_files_example_edit_is_commented_out_and_works(tmp_path, demo):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "# Uncomment to see what changes" in text and "\n[[edit]]" not in text
    head, _, example = text.partition("# Uncomment to see what changes")
    edited = tmp_path / "snp.toml"  # what a user does: the lines after that one, uncommented
    edited.write_text(head + "\n".join(line.removeprefix("# ") for line in example.splitlines()[1:]) + "\n", encoding="utf-8")
    doc = cli_json("scenario", str(edited), "--json")
    snp = int(present("Scottish National Party").sum())
    codes, parties = members(["666"])
    assert snp == 32 and not np.isin(codes[parties == "Scottish National Party"], PRESENT).any()  # the SNP abstained
    assert doc["changes"]["said"][0] == f"Customs union: lost 273–276 → won {273 + snp}–276"


# ---------------------------------------------------------------------- 2. what a change changes


def test_a_changed_stance_says_which_results_and_verdicts_changed(tmp_path, demo):
    """Conservatives present on 1 April all vote Aye on Common Market 2.0 (667)."""
    path = tmp_path / "con.toml"
    path.write_text(f'title = "Conservatives for CM2.0"\nbase = "commons2019"\ndivisions = {json.dumps(APRIL)}\n\n'
                    '[[edit]]\nparty = "Conservative"\ndivision = "667"\nvote = "aye"\n', encoding="utf-8")
    doc = cli_json("scenario", str(path), "--json")
    # counted independently: the edit on the aggregate's rows
    codes, _ = members(APRIL)
    before = pairwise(codes)
    j = APRIL.index("667")
    moved = present("Conservative") & (codes[:, j] != KINDS.index(VoteKind.TELLER_AYE))
    codes[moved, j] = KINDS.index(VoteKind.AYE)
    ayes, noes = totals(codes, j)
    assert (ayes, noes) == (510, 54)
    cm = next(d for d in doc["divisions"] if d["id"] == "667")
    assert (cm["ayes"], cm["noes"], cm["passed"]) == (ayes, noes, True)
    after = pairwise(codes)
    labels = [label(demo, d) for d in APRIL]
    said = [f"Common Market 2.0: lost 261–282 → won {ayes}–{noes}"]
    for (i, k), (x, y) in after.items():
        bx, by = before[i, k]
        if (bx > by) != (x > y) or (bx == by) != (x == y):
            first, second, turn = (i, k, False) if x > y else (k, i, True)
            b, a = ((by, bx), (y, x)) if turn else ((bx, by), (x, y))
            words = ["won" if m > n else "lost" if m < n else "tied" for m, n in (b, a)]
            said.append(f"{labels[first]} v {labels[second]}: {words[0]} {b[0]}–{b[1]} → {words[1]} {a[0]}–{a[1]}")
    said.append("Condorcet winner: Customs union → Common Market 2.0")
    assert said[1] == "Common Market 2.0 v Customs union: lost 15–25 → won 237–15"
    assert doc["changes"]["said"] == said
    assert doc["changes"]["condorcet_winner"] == {"before": "Customs union", "after": "Common Market 2.0"}
    assert doc["head_to_head"]["condorcet_winner"] == "Common Market 2.0"
    text = " ".join(runner.invoke(app, ["scenario", str(path)]).output.split())
    assert "What changes against the record" in text
    assert f"Common Market 2.0: lost 261–282 → won {ayes}–{noes}" in text


# ---------------------------------------------------------------------- 3. an edit that changes no vote


def test_a_no_op_edit_is_a_notice_in_the_cli_json(tmp_path):
    dup = present("Democratic Unionist Party")
    codes, _ = members(DAY)
    assert (codes[dup, 0] == KINDS.index(VoteKind.NO)).all()  # every DUP member present voted No on the customs union
    path = tmp_path / "dup.toml"
    path.write_text('title = "DUP against the customs union"\nbase = "commons2019"\n\n'
                    '[[edit]]\nparty = "Democratic Unionist Party"\ndivision = "666"\nvote = "no"\n', encoding="utf-8")
    doc = cli_json("scenario", str(path), "--json")
    assert doc["notices"] == [
        f"Democratic Unionist Party no on Customs union (666) changes no vote: its {int(dup.sum())} members present "
        "that day already voted no"
    ]
    assert int(dup.sum()) == 10
    assert doc["changes"]["reproduces"] is True
    text = " ".join(runner.invoke(app, ["scenario", str(path)]).output.split())
    assert "Notice: Democratic Unionist Party no on Customs union (666) changes no vote" in text


def test_a_no_op_stance_is_a_notice_in_the_web_api(client):
    body = {"options": APRIL, "stances": [{"party": "Democratic Unionist Party", "option": "666", "vote": "no"},
                                          {"party": "Conservative", "option": "667", "vote": "aye"}]}
    r = client.post("/api/scenario", json=body)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["notices"] == [
        "Democratic Unionist Party no on Customs union (666) changes no vote: its 10 members present that day already voted no"
    ]
    assert {"divisions", "head_to_head", "power", "house", "stances", "recorded", "colours", "changes"} <= set(doc)
    assert doc["changes"]["condorcet_winner"] == {"before": "Customs union", "after": "Common Market 2.0"}
    assert client.post("/api/scenario", json={"options": APRIL}).json()["notices"] == []


# ---------------------------------------------------------------------- 4. members who cannot vote


SINN_FEIN = "Sinn Féin's 7 members do not take their seats in the Commons, so cast no votes: a stance for them changes nothing"
SPEAKER = ("'Speaker' lists only the Speaker, who does not vote (but gives a casting vote in a tie): "
           "a stance for the Speaker changes nothing")


@pytest.mark.parametrize(("party", "reason"), [("Sinn Féin", SINN_FEIN), ("Speaker", SPEAKER)])
def test_an_edit_for_members_who_cannot_vote_is_refused_with_file_and_line(tmp_path, party, reason):
    _, parties = members(DAY)
    assert int((parties == party).sum()) == (7 if party == "Sinn Féin" else 1)
    path = tmp_path / "s.toml"
    path.write_text(f'title = "t"\nbase = "commons2019"\n\n[[edit]]\nparty = "{party}"\ndivision = "667"\nvote = "aye"\n',
                    encoding="utf-8")
    result = runner.invoke(app, ["scenario", str(path)])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert message == f"error: {path}, line 5: {reason}. Edit a party some of whose members voted that day"
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("party", "reason"), [("Sinn Féin", SINN_FEIN), ("Speaker", SPEAKER)])
def test_a_stance_for_members_who_cannot_vote_is_a_400_with_the_reason(client, party, reason):
    r = client.post("/api/scenario", json={"options": APRIL, "stances": [{"party": party, "option": "667", "vote": "aye"}]})
    assert r.status_code == 400
    assert r.json() == {"detail": reason}


def test_deputy_speakers_listed_as_such_are_refused(tmp_path, shared_data):
    """The Commons CSV exports list the three Deputy Speakers under the party "Deputy Speaker"."""
    path = tmp_path / "s.toml"
    path.write_text(f'title = "t"\nbase = "{shared_data / "commons-2019-brexit" / "commonsvotes_csv"}"\n\n'
                    '[[edit]]\nparty = "Deputy Speaker"\ndivision = "666"\nvote = "aye"\n', encoding="utf-8")
    result = runner.invoke(app, ["scenario", str(path)])
    assert result.exit_code == 2
    assert "'Deputy Speaker' lists the 3 Deputy Speakers, who do not vote: a stance for them changes nothing" in " ".join(
        result.stderr.split())
