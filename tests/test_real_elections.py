"""Real elections from PrefLib: Condorcet winners and Smith sets against an independent count.

The independent count parses the files with its own few lines and tallies every pair
with plain Python loops over the distinct ballots; the Smith set is found from its
definition (the smallest top segment of the Copeland order that beats everyone outside).
"""

from __future__ import annotations

import csv
from itertools import combinations

import pytest

from tellers.records.readers import load_profile

FOLDERS = ("00001-irish", "00002-debian", "00005-burlington", "00007-ers", "00008-glasgow",
           "00016-aspen", "00017-berkley", "00019-oakland", "00020-pierce", "00021-sf",
           "00022-sl", "00023-takomapark", "00030-uklabor", "00031-vermont")
MAX_CANDIDATES = 30  # keeps the pure-Python count quick


def independent_count(path):
    """Candidate names and the pairwise support matrix, by plain parsing and loops."""
    names, lines = {}, []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("# ALTERNATIVE NAME"):
            key, _, name = raw[len("# ALTERNATIVE NAME "):].partition(":")
            names[int(key)] = name.strip()
        elif raw and not raw.startswith("#"):
            count, _, body = raw.partition(":")
            groups, depth, current = [], 0, []
            for token in body.replace("{", ",{,").replace("}", ",},").split(","):
                token = token.strip()
                if token == "{":
                    depth, current = 1, []
                elif token == "}":
                    depth = 0
                    groups.append(current)
                elif token:
                    (current.append(int(token)) if depth else groups.append([int(token)]))
            lines.append((float(count), groups))
    cands = sorted(names)
    support = {(a, b): 0.0 for a in cands for b in cands}
    for weight, groups in lines:
        level = {c: i for i, g in enumerate(groups) for c in g}
        bottom = len(groups)
        for a in cands:
            for b in cands:
                if level.get(a, bottom) < level.get(b, bottom):
                    support[a, b] += weight
    return [names[c] for c in cands], cands, support


def smith_by_definition(cands, support):
    beats = {(a, b): support[a, b] > support[b, a] for a in cands for b in cands}
    copeland = sorted(cands, key=lambda a: -sum(beats[a, b] for b in cands))
    for k in range(1, len(cands) + 1):
        top, rest = copeland[:k], copeland[k:]
        if all(beats[a, b] for a in top for b in rest):
            return set(top)
    raise AssertionError("unreachable")


def election_files(shared_data):
    with open(shared_data / "preflib" / "INDEX.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    picked = [r["file"] for r in rows if r["file"].split("/")[0] in FOLDERS and int(r["alternatives"]) <= MAX_CANDIDATES]
    return picked


def test_condorcet_winners_and_smith_sets_match_an_independent_count(shared_data):
    files = election_files(shared_data)
    assert len(files) >= 250
    checked = cycles = 0
    for rel in files:
        path = shared_data / "preflib" / rel
        names, cands, support = independent_count(path)
        profile = load_profile(path)
        assert list(profile.candidates) == names, rel
        idx = {c: i for i, c in enumerate(cands)}
        for a, b in combinations(cands, 2):
            assert profile.support[idx[a], idx[b]] == pytest.approx(support[a, b]), (rel, a, b)
            assert profile.support[idx[b], idx[a]] == pytest.approx(support[b, a]), (rel, a, b)
        winner = [a for a in cands if all(support[a, b] > support[b, a] for b in cands if b != a)]
        expected_cw = names[cands.index(winner[0])] if winner else None
        assert profile.condorcet_winner() == expected_cw, rel
        smith = smith_by_definition(cands, support)
        assert set(profile.smith_set()) == {names[cands.index(c)] for c in smith}, rel
        checked += 1
        cycles += expected_cw is None
    assert checked == len(files)


def test_known_results(shared_data):
    """Figures checked by hand against the files."""
    debian = load_profile(shared_data / "preflib" / "00002-debian" / "00002-00000003.soi")
    assert debian.voters == 504
    dublin_north = load_profile(shared_data / "preflib" / "00001-irish" / "00001-00000001.soi")
    assert dublin_north.voters == 43942
    assert dublin_north.num_candidates == 12
    assert debian.condorcet_winner() == "Branden Robinson"
    assert dublin_north.condorcet_winner() == "Trevor Sargent G.P."


def test_elections_without_a_condorcet_winner(shared_data):
    missing = [rel for rel in election_files(shared_data)
               if load_profile(shared_data / "preflib" / rel).condorcet_winner() is None]
    assert missing == [
        "00007-ers/00007-00000005.soi", "00007-ers/00007-00000005.toc",
        "00007-ers/00007-00000019.soi", "00007-ers/00007-00000019.toc",
        "00007-ers/00007-00000052.soi", "00007-ers/00007-00000052.toc",
        "00008-glasgow/00008-00000009.soi", "00008-glasgow/00008-00000009.toc",
    ]
    glasgow = load_profile(shared_data / "preflib" / "00008-glasgow" / "00008-00000009.soi")
    assert glasgow.describe_majority() == (
        "No Condorcet winner: majority cycle Stephen Dornan beats John Flanagan by 602; "
        "John Flanagan beats Allison Hunter by 86; Allison Hunter beats Stephen Dornan by 21. "
        "Smith set: Stephen Dornan, John Flanagan, Allison Hunter."
    )
    ers52 = load_profile(shared_data / "preflib" / "00007-ers" / "00007-00000052.soi")
    assert ers52.describe_majority() == (
        "No Condorcet winner: Candidate 6 ties Candidate 7. Smith set: Candidate 6, Candidate 7."
    )
