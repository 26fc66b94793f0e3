"""What a study measures, counted chunk by chunk as whole numbers so chunks add up exactly.

Each measure is a *tally*: ``hits`` elections out of ``trials`` (a share, with its Monte
Carlo standard error ``sqrt(p (1 − p) / trials)``), named by a measure and a key:

- ``condorcet``: elections with a Condorcet winner (a candidate with a strictly positive
  margin over every other), out of all;
- ``winner/C``: elections where candidate C (its index) is the Condorcet winner, out of all;
- ``efficiency/RULE``: elections where the rule's winner set is exactly the Condorcet
  winner, out of those with one (the rule's *Condorcet efficiency*);
- ``tie/RULE``: elections where the rule leaves several winners tied, out of all;
- ``agreement/RULE~RULE``: elections where two rules' winner sets are the same, out of all;
- ``procedure/PROCEDURE:VOTING``: elections where the procedure adopts exactly the
  Condorcet winner, out of those with one;
- ``sophisticated_differs/PROCEDURE``: elections where sophisticated and sincere voting
  adopt different options, out of all;
- ``smith/SIZE``: elections whose Smith set has SIZE candidates, out of all;
- ``manipulable/RULE``: elections where some coalition can manipulate the rule
  (:mod:`.manipulation`), out of all, for the rules where that is cheap to decide exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from tellers.ballots.completions import condorcet_winners
from tellers.ballots.procedures.agendas import SINCERE, SOPHISTICATED
from tellers.ballots.simulate.elections import Elections
from tellers.ballots.simulate.elimination import smith_mask
from tellers.ballots.simulate.manipulation import manipulable
from tellers.ballots.simulate.procedures import STRATEGIC, procedure_winners
from tellers.ballots.simulate.rules import winners


@dataclass(frozen=True)
class Tally:
    """``hits`` of ``trials`` elections, for one measure and key."""

    measure: str
    key: str
    hits: int
    trials: int

    @property
    def share(self) -> float | None:
        return self.hits / self.trials if self.trials else None

    @property
    def standard_error(self) -> float | None:
        """The share's Monte Carlo standard error (the elections are independent draws)."""
        p = self.share
        return None if p is None else float(np.sqrt(p * (1 - p) / self.trials))


def tally_chunk(
    elections: Elections, rules: Sequence[str], procedures: Sequence[str], manipulation: bool = True,
    agendas: np.ndarray | None = None,
) -> list[Tally]:
    """Every measure of the module notes, over one chunk of elections; the procedures put
    every candidate in the order of ``agendas`` ((E, m); None: the candidates' order)."""
    e, m = elections.elections, elections.candidates
    margins = elections.margins
    winner = condorcet_winners(margins)
    has = winner >= 0
    with_winner = int(has.sum())
    target = np.zeros((e, m), dtype=bool)
    target[np.flatnonzero(has), winner[has]] = True

    def exactly_winner(won: np.ndarray) -> int:
        return int(((won == target).all(axis=1) & has).sum())

    tallies = [Tally("condorcet", "", with_winner, e)]
    each = np.bincount(winner[has], minlength=m)
    tallies += [Tally("winner", str(c), int(each[c]), e) for c in range(m)]
    sizes = np.bincount(smith_mask(margins).sum(axis=1), minlength=m + 1)
    tallies += [Tally("smith", str(size), int(sizes[size]), e) for size in range(1, m + 1)]
    won = {rule: winners(rule, elections) for rule in rules}
    for rule, w in won.items():
        tallies.append(Tally("efficiency", rule, exactly_winner(w), with_winner))
        tallies.append(Tally("tie", rule, int((w.sum(axis=1) > 1).sum()), e))
    for i, a in enumerate(rules):
        for b in rules[i + 1:]:
            tallies.append(Tally("agreement", f"{a}~{b}", int((won[a] == won[b]).all(axis=1).sum()), e))
    for procedure in procedures:
        adopted = {}
        for voting in (SINCERE, SOPHISTICATED) if procedure in STRATEGIC else (SINCERE,):
            adopted[voting] = procedure_winners(procedure, voting, elections, agendas)
            tallies.append(Tally("procedure", f"{procedure}:{voting}", exactly_winner(adopted[voting]), with_winner))
        if len(adopted) == 2:
            differ = (adopted[SINCERE] != adopted[SOPHISTICATED]).any(axis=1)
            tallies.append(Tally("sophisticated_differs", procedure, int(differ.sum()), e))
    if manipulation:
        for rule, w in won.items():
            found = manipulable(rule, elections, w)
            if found is not None:
                tallies.append(Tally("manipulable", rule, int(found.sum()), e))
    return tallies


def combine(chunks: Iterable[Sequence[Tally]]) -> list[Tally]:
    """The study's tallies: each measure's hits and trials summed over the chunks (whole
    numbers, so the sum is the same in any order)."""
    hits: dict[tuple[str, str], list[int]] = {}
    for chunk in chunks:
        for t in chunk:
            total = hits.setdefault((t.measure, t.key), [0, 0])
            total[0] += t.hits
            total[1] += t.trials
    return [Tally(measure, key, h, n) for (measure, key), (h, n) in hits.items()]
