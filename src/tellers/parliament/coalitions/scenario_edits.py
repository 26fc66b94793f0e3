"""Edits to real divisions, applied to the recorded votes: who moves, and who cannot.

An edit sets the vote of a party's members *present that day* (who voted, or told, in any
division held that day, as recorded): ``aye``, ``no``, ``abstain``, or ``split A/N`` (the
first A of them Aye, the next N No). A teller for the side a member now votes stays a
teller, as recorded (tellers are counted in neither total).

An edit that moves no member's vote (every member present already voted that way) gives
a notice saying so. An edit for a party none of whose members could vote (the Speaker, the
Deputy Speakers, a party that does not take its seats: who cannot vote is the chamber's
rule, :mod:`tellers.chambers`, as :mod:`.quota` counts it), or none of whom was present
that day, is refused with the reason: it could change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from tellers.chambers import rules_for
from tellers.parliament.coalitions.scenario_file import STANCE_HELP, PartyEdit, Scenario, ScenarioError, Stance
from tellers.records.model import VoteKind
from tellers.records.patterns import KINDS, VotingPatterns
from tellers.records.store.results import DivisionTotals
from tellers.wording import plural

AYE, NO, TELLER_AYE, TELLER_NO, NO_VOTE = (
    KINDS.index(k) for k in (VoteKind.AYE, VoteKind.NO, VoteKind.TELLER_AYE, VoteKind.TELLER_NO, VoteKind.NO_VOTE)
)
VOTED = tuple(KINDS.index(k) for k in (VoteKind.AYE, VoteKind.NO, VoteKind.TELLER_AYE, VoteKind.TELLER_NO, VoteKind.BOTH))
"""Codes of a member present in a division (voted or told)."""
ALREADY = {"aye": "voted aye", "no": "voted no", "abstain": "did not vote in it"}
"""What an unmoved party's members present already did, by the edit's vote."""


@dataclass(frozen=True)
class EditedVotes:
    """The recorded votes with the edits applied, and a notice for each edit that moved no one."""

    patterns: VotingPatterns
    notices: tuple[str, ...]


def apply_edits(
    s: Scenario,
    base: VotingPatterns,
    held: Mapping[str, DivisionTotals],
    labels: Mapping[str, str],
    short: Mapping[str, str] | None = None,
) -> EditedVotes:
    """``s``'s edits applied to ``base`` (every division held on an edited day, parties merged).

    ``labels`` names each division as the notices call it; a party is named as the lists
    spell it, in any case, or by its short name ("SNP")."""
    rows = np.repeat(np.arange(len(base.parties)), base.counts)
    recorded = base.codes[rows]
    codes = recorded.copy()
    parties = np.array(base.parties, dtype=object)[rows]
    names = [n for members in base.members for n in members] if base.members is not None else None
    known = sorted(set(base.parties))
    by_name = {p.lower(): p for p in known} | {k: v for k, v in (short or {}).items() if v in known}
    notices = []
    for e in s.edits:
        party = by_name.get(e.party.strip().lower())
        if party is None:
            raise ScenarioError(s.path, e.party_line or e.line, f"unknown party {e.party!r}", f"Parties are: {', '.join(known)}")
        division = held[e.division]
        same_day = [j for j, d in enumerate(base.divisions) if held[d].date == division.date]
        members = np.flatnonzero(parties == party)
        present = members[np.isin(recorded[np.ix_(members, same_day)], VOTED).any(axis=1)]
        if not len(present):
            listed = [names[i] for i in members] if names is not None else [None] * len(members)
            raise ScenarioError(s.path, e.party_line or e.line, cannot_move(party, listed, division.chamber, division.date),
                                "Edit a party some of whose members voted that day")
        try:
            stance = Stance.parse(e.vote, len(present))
        except ValueError as exc:
            raise ScenarioError(
                s.path, e.line, f"{e.party} on {e.division} ({len(present)} members present that day): {exc}", STANCE_HELP,
            ) from None
        j = base.divisions.index(e.division)
        before = codes[present, j].copy()
        codes[present, j] = _moved(before, stance)
        if np.array_equal(before, codes[present, j]):
            notices.append(_unmoved(e, labels.get(e.division, e.division), len(present), stance))
    if names is None:
        table = VotingPatterns.from_members(base.divisions, [""] * len(rows), list(parties), codes)
        return EditedVotes(replace(table, members=None), tuple(notices))
    return EditedVotes(VotingPatterns.from_members(base.divisions, names, list(parties), codes), tuple(notices))


def _moved(before: np.ndarray, stance: Stance) -> np.ndarray:
    """The members' new codes: the first ``stance.ayes`` Aye, the next ``stance.noes`` No, the rest
    not voting; a teller for the side they now vote keeps telling."""
    after = np.full(len(before), NO_VOTE, dtype=before.dtype)
    after[: stance.ayes] = AYE
    after[stance.ayes : stance.ayes + stance.noes] = NO
    after[(before == TELLER_AYE) & (after == AYE)] = TELLER_AYE
    after[(before == TELLER_NO) & (after == NO)] = TELLER_NO
    return after


def _unmoved(e: PartyEdit, label: str, present: int, stance: Stance) -> str:
    vote = " ".join(e.vote.strip().lower().split())
    already = ALREADY.get(vote, f"split {stance.ayes} aye, {stance.noes} no, in that order")
    return f"{e.party} {vote} on {label} changes no vote: its {plural(present, 'member')} present that day already {already}"


def cannot_move(party: str, names: Sequence[str | None], chamber: str, when: date | None) -> str:
    """Why an edit for ``party``, whose listed members (``names``, None where unnamed) include none
    present that day, could change nothing: they cannot vote, or none voted that day."""
    rules = rules_for(chamber)
    reasons = {rules.cannot_vote(name, party, when) for name in names}
    n = len(names)
    nothing = "a stance for them changes nothing"
    if reasons == {"the Speaker"}:
        return (f"{party!r} lists only the Speaker, who does not vote (but gives a casting vote in a tie): "
                "a stance for the Speaker changes nothing")
    if reasons == {"a Deputy Speaker"}:
        return f"{party!r} lists the {n} Deputy Speakers, who do not vote: {nothing}"
    members = plural(n, "member")
    if None not in reasons and not reasons & {"the Speaker", "a Deputy Speaker"}:
        takes = "does not take their seat" if n == 1 else "do not take their seats"
        return f"{party}'s {members} {takes} in the {rules.name}, so cast no votes: {nothing}"
    day = f" on {when.isoformat()}" if when else ""
    return f"none of {party}'s {members} voted or told in any division{day}: {nothing}"
