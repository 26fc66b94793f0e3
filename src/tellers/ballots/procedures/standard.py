"""The registered procedures: agendas (amendment, successive), indicative votes, ballots
(exhaustive, preferential) and the round robin (condorcet)."""

from __future__ import annotations

import numpy as np

from tellers.ballots import majority, rules
from tellers.ballots.procedures import agendas
from tellers.ballots.procedures.agendas import SOPHISTICATED, Paths
from tellers.ballots.procedures.outcome import Vote
from tellers.ballots.procedures.registry import Count, Motion, agenda_array, procedure
from tellers.ballots.rules._common import tolerance

TIE_RULE = ("a tie is lost: the question put fails, as when the Commons' Speaker votes to leave things as they are "
            "(in an amendment agenda the option put later, nearer the status quo, goes on)")


def _count(m: Motion, paths: Paths, successive: bool) -> Count:
    """A :class:`Count` from the one case in ``paths``."""
    names = m.profile.candidates
    rounds = []
    for r in range(paths.put.shape[1]):
        if not paths.held[0, r]:
            break
        put = tuple(names[i] for i in paths.put[0, r] if i >= 0)
        weighed = tuple(names[i] for i in paths.weighed[0, r])
        carried = bool(paths.carried[0, r])
        if successive:
            result = "adopted" if carried else "dropped"
        else:
            result = put[0] if carried else put[1]
        # what members weighed, where it is not simply the options put: a successive Aye against
        # where a No leads, or the two branches' outcomes of an amendment vote
        shown = m.voting == SOPHISTICATED and (successive or weighed != put)
        rounds.append(Vote(put, result, float(paths.ayes[0, r]), float(paths.noes[0, r]), bool(paths.tied[0, r]),
                           weighed=weighed if shown else None))
    notes = []
    winner = int(paths.winner[0])
    if successive and not rounds:
        notes.append(f"{names[winner]}, alone on the agenda, is adopted without a vote")
    elif successive and rounds[-1].result == "dropped":
        notes.append(f"{names[winner]}, last on the agenda, is adopted without a vote once the others are dropped")
    if any(v.tied for v in rounds):
        notes.append("tie rule: " + TIE_RULE)
    return Count((winner,), tuple(rounds), notes=tuple(notes))


@procedure("amendment", "Amendment agenda (Westminster and US)", ordered=True, strategic=True)
def amendment(m: Motion) -> Count:
    """The first option is put against the second, the survivor against the next, and so on; the last survivor is adopted."""
    return _count(m, agendas.amendment(m.profile.support, agenda_array(m), m.voting, tol=tolerance(m.profile)),
                  successive=False)


@procedure("successive", "Successive agenda (continental)", ordered=True, strategic=True)
def successive(m: Motion) -> Count:
    """Each option is put in turn and adopted by a majority of Ayes, else dropped; the last is adopted if reached."""
    order = agenda_array(m)
    favourites = None
    if m.voting != SOPHISTICATED:
        favourites = agendas.suffix_favourites(m.profile.ranks, m.profile.weights, order)
    paths = agendas.successive(m.profile.support, order, m.voting, favourites, tol=tolerance(m.profile))
    return _count(m, paths, successive=True)


@procedure("indicative", "Indicative votes", ordered=False, strategic=False, needs_default=True)
def indicative(m: Motion) -> Count:
    """Every option is voted on separately against the default; those with a majority are listed, the one with most Ayes first."""
    support, d, names, tol = m.profile.support, m.default, m.profile.candidates, tolerance(m.profile)
    rounds, carried = [], []
    for x in m.agenda:
        ayes, noes = float(support[x, d]), float(support[d, x])
        rounds.append(Vote((names[x],), "carried" if ayes > noes + tol else "lost", ayes, noes, abs(ayes - noes) <= tol))
        if ayes > noes + tol:
            carried.append(x)
    if not carried:
        return Count((d,), tuple(rounds), notes=(f"no option carried a majority against the default; {names[d]} stands",))
    most = max(support[x, d] for x in carried)
    return Count(tuple(x for x in carried if support[x, d] >= most - tol), tuple(rounds), tuple(carried))


def _runoff(m: Motion, ballot: bool) -> Count:
    """The alternative vote's count (the engine's ``irv`` rule) among the agenda's options."""
    sub = m.profile.restrict(m.agenda)
    result = rules.run("irv", sub)
    rounds = []
    for r in result.rounds:
        if r.eliminated:
            what = ("eliminated" if ballot else "transferred") + ": " + ", ".join(r.eliminated)
        elif len(result.winners) > 1:
            what = "all remaining tied"
        else:
            what = f"{next(iter(result.winners))} has a majority"
        rounds.append(Vote(tuple(r.tallies), what, tallies=dict(r.tallies)))
    notes = [f"ties for last place: {result.tie_rule}"]
    if ballot:
        notes.append("with every member voting sincerely on complete preferences, the rounds of an exhaustive ballot "
                     "are the alternative vote's counts")
    index = m.profile.candidates.index
    return Count(tuple(index(w) for w in m.profile.candidates if w in result.winners), tuple(rounds), notes=tuple(notes))


@procedure("exhaustive", "Exhaustive ballot (the Commons' Speaker election)", ordered=False, strategic=False)
def exhaustive(m: Motion) -> Count:
    """Repeated plurality ballots, the last eliminated each time, until one option has a majority of the votes cast."""
    return _runoff(m, ballot=True)


@procedure("preferential", "Preferential vote (alternative vote)", ordered=False, strategic=False)
def preferential(m: Motion) -> Count:
    """One ranked ballot, counted by the alternative vote: the fewest first preferences are transferred until one option has a majority."""
    return _runoff(m, ballot=False)


@procedure("condorcet", "Round robin (Condorcet)", ordered=False, strategic=False)
def condorcet(m: Motion) -> Count:
    """Every pair of options is put head to head; the option that beats every other is adopted, and none when there is a cycle."""
    support, names, order, tol = m.profile.support, m.profile.candidates, m.agenda, tolerance(m.profile)
    rounds = []
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            ayes, noes = float(support[a, b]), float(support[b, a])
            tied = abs(ayes - noes) <= tol
            rounds.append(Vote((names[a], names[b]), "tie" if tied else names[a] if ayes > noes else names[b],
                               ayes, noes, tied))
    sub = support[np.ix_(order, order)]
    margins = sub - sub.T
    winner = majority.condorcet_winner(np.where(np.abs(margins) <= tol, 0.0, margins))
    if winner is not None:
        return Count((order[winner],), tuple(rounds))
    return Count((), tuple(rounds), notes=(m.profile.restrict(order).describe_majority(),))
