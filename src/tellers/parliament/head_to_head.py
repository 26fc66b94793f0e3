"""What can win a majority: each option's head-to-head record, from recorded votes.

:func:`analyse_majority` turns voting patterns into revealed-preference ballots, counts
every pair of options (in the House and within each party), finds the Condorcet winner
or the cycle that blocks one, and runs every rule defined on partial ballots.
:func:`analyse_options` asks it of a house, of options named the way users name them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from tellers.ballots import rules
from tellers.errors import OptionError
from tellers.wording import few
from tellers.records.model import Division
from tellers.parliament.options import Option
from tellers.records.patterns import VotingPatterns
from tellers.parliament.options import choose_division, distinct_labels
from tellers.parliament.preferences import revealed_profile
from tellers.parliament.preferences.idealpoints import fit_ideal_points
from tellers.parliament.preferences.spatial import SPATIAL_CAVEAT, SpatialModel, place_options, spatial_bootstrap
from tellers.ballots.profile import Profile
from tellers.records.rollcalls import MemberVotes


@dataclass(frozen=True)
class PairwiseCount:
    """Members who prefer x to y, y to x, voted the same way on both, or are unknown."""

    x: str
    y: str
    x_over_y: int
    y_over_x: int
    same: int
    unknown: int

    @property
    def winner(self) -> str | None:
        if self.x_over_y == self.y_over_x:
            return None
        return self.x if self.x_over_y > self.y_over_x else self.y

    @property
    def margin(self) -> int:
        return abs(self.x_over_y - self.y_over_x)

    def turned(self) -> PairwiseCount:
        """The same count the other way round: y first."""
        return PairwiseCount(self.y, self.x, self.y_over_x, self.x_over_y, self.same, self.unknown)


@dataclass(frozen=True)
class OptionTested:
    """An option, the division that counts for it, and that division's official result."""

    option: Option
    division: Division

    @property
    def label(self) -> str:
        return self.option.label


@dataclass(frozen=True)
class MajorityAnalysis:
    """The head-to-head record of a set of options in one house."""

    options: tuple[OptionTested, ...]
    members: int
    profile: Profile
    pairwise: tuple[PairwiseCount, ...]
    condorcet_winner: str | None
    condorcet_loser: str | None
    smith_set: tuple[str, ...]
    cycle: tuple[str, ...] | None
    description: str
    results: Mapping[str, rules.Result]
    skipped: Mapping[str, str]
    party_sizes: Mapping[str, int]
    by_party: Mapping[str, tuple[PairwiseCount, ...]]
    patterns: VotingPatterns
    infer: str = "revealed"
    """How the ballots were inferred: "revealed" (Aye/No pairs) or "spatial" (distance rankings)."""
    spatial: SpatialModel | None = None
    """With infer="spatial": the members' scale and the options placed on it."""
    condorcet_shares: Mapping[str, float] | None = None
    """With a spatial bootstrap: the fraction of replicates each option is the Condorcet winner in."""
    no_condorcet_winner: float | None = None
    """With a spatial bootstrap: the fraction of replicates with no Condorcet winner."""
    record_note: str | None = None
    """What a reader of the options' recorded totals must know (e.g. records corrected after the day)."""

    @property
    def caveat(self) -> str | None:
        """What the ballots are, when they are a model's rather than the record's."""
        return SPATIAL_CAVEAT if self.infer == "spatial" else None

    def pair(self, x: str, y: str) -> PairwiseCount:
        """The count for options x and y, in that orientation."""
        for p in self.pairwise:
            if (p.x, p.y) == (x, y):
                return p
            if (p.x, p.y) == (y, x):
                return p.turned()
        raise KeyError((x, y))

    def wins(self, label: str) -> list[PairwiseCount]:
        """The head-to-heads ``label`` wins, oriented with it first."""
        return [self.pair(label, o.label) for o in self.options if o.label != label and self.pair(label, o.label).winner == label]


def pairwise_counts(profile: Profile) -> tuple[PairwiseCount, ...]:
    """Every pair of candidates, in candidate order: for, against, level, unknown."""
    s, ties, compared = profile.support, profile.ties, profile.compared
    out = []
    names = profile.candidates
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            out.append(
                PairwiseCount(
                    names[a],
                    names[b],
                    _whole(s[a, b]),
                    _whole(s[b, a]),
                    _whole(ties[a, b]),
                    _whole(profile.voters - compared[a, b]),
                )
            )
    return tuple(out)


def _whole(x: float) -> int:
    return int(round(float(x)))


def analyse_majority(
    patterns: VotingPatterns,
    options: Sequence[Option],
    divisions: Mapping[str, Division],
    *,
    tested: str | Mapping[str, str] = "latest",
    party_aliases: Mapping[str, str] | None = None,
    rule_names: Sequence[str] | None = None,
    infer: str = "revealed",
    spatial: SpatialSettings | None = None,
) -> MajorityAnalysis:
    """The full head-to-head analysis of ``options`` from members' recorded votes.

    ``infer="spatial"`` ranks the options for every member by distance on an ideal-point
    scale instead (see :func:`analyse_spatial_majority`; ``spatial`` holds its settings).

    ``tested`` picks the division that counts for an option tested more than once:
    "latest" or "earliest" for all, or a mapping of option id to one of those or to a
    division id (options it leaves out take the latest). ``party_aliases`` merges party labels
    for the breakdown (e.g. "Labour (Co-op)" into "Labour").
    """
    if not isinstance(tested, str):
        unknown = set(tested) - {o.id for o in options}
        if unknown:
            raise OptionError(f"'tested' names option(s) not compared: {few(sorted(unknown))}")
    chosen = [choose_division(o, tested if isinstance(tested, str) else tested.get(o.id, "latest")) for o in options]
    options = distinct_labels(options, chosen)
    table = patterns.select(chosen)
    if party_aliases:
        table = table.with_parties(dict(party_aliases))
    if infer == "spatial":
        return analyse_spatial_majority(
            table, options, chosen, divisions, party_aliases=party_aliases, rule_names=rule_names,
            settings=spatial or SpatialSettings(),
        )
    if infer != "revealed":
        raise OptionError(f"unknown inference {infer!r}: use 'revealed' or 'spatial'")
    profile = revealed_profile(table, options, chosen)
    names = list(rule_names) if rule_names else rules.names()
    results, skipped = {}, {}
    for name in names:
        reason = rules.skip_reason(name, profile)
        if reason:
            skipped[name] = reason
        else:
            results[name] = rules.run(name, profile)
    by_party = {}
    for party in table.party_sizes():
        keep = np.array([p == party for p in table.parties])
        sub = VotingPatterns(table.divisions, tuple(p for p in table.parties if p == party), table.codes[keep], table.counts[keep])
        by_party[party] = pairwise_counts(revealed_profile(sub, options, chosen))
    return _majority_analysis(
        profile, options, chosen, divisions,
        members=table.num_members,
        results=results,
        skipped=skipped,
        party_sizes=table.party_sizes(),
        by_party=by_party,
        patterns=table,
    )


def _majority_analysis(
    profile: Profile,
    options: Sequence[Option],
    chosen: Sequence[str],
    divisions: Mapping[str, Division],
    **fields,
) -> MajorityAnalysis:
    """A :class:`MajorityAnalysis` of ``profile``: its head-to-head summary plus ``fields``."""
    cycle = profile.majority_cycle()
    return MajorityAnalysis(
        options=tuple(OptionTested(o, divisions[d]) for o, d in zip(options, chosen)),
        profile=profile,
        pairwise=pairwise_counts(profile),
        condorcet_winner=profile.condorcet_winner(),
        condorcet_loser=profile.condorcet_loser(),
        smith_set=tuple(profile.smith_set()),
        cycle=tuple(cycle) if cycle else None,
        description=profile.describe_majority(),
        **fields,
    )


@dataclass(frozen=True)
class SpatialSettings:
    """How :func:`analyse_spatial_majority` builds the scale and its bootstrap.

    ``votes``: the member-level roll calls to scale (default: the options' own divisions,
    each (party, pattern) row expanded to its members); ``dims``, ``anchor`` and ``lapse`` as
    in ``fit_ideal_points``; ``bootstrap`` replicates (0: none) with ``seed`` and ``n_jobs``.
    """

    votes: MemberVotes | None = None
    dims: int = 1
    anchor: str | Sequence[str] | None = None
    lapse: float = 0.0075
    bootstrap: int = 0
    seed: int = 0
    n_jobs: int = 1


def analyse_spatial_majority(
    table: VotingPatterns,
    options: Sequence[Option],
    chosen: Sequence[str],
    divisions: Mapping[str, Division],
    *,
    party_aliases: Mapping[str, str] | None = None,
    rule_names: Sequence[str] | None = None,
    settings: SpatialSettings = SpatialSettings(),
) -> MajorityAnalysis:
    """The head-to-head analysis from spatial preferences: complete rankings by distance.

    Members are placed on an ideal-point scale fitted to ``settings.votes``, each option
    at a point of it (from its division ``chosen[k]``), and every member on the scale
    ranks all options, nearest first. The profile is complete, so every rule runs; with
    ``settings.bootstrap`` replicates, the Condorcet winner's share of them is reported.
    """
    votes = settings.votes if settings.votes is not None else MemberVotes.from_patterns(table)
    if party_aliases:
        votes = votes.with_parties(dict(party_aliases))
    missing = [d for d in chosen if d not in votes.divisions]
    if missing:
        raise OptionError(f"division(s) {few(missing)} are not in the roll calls scaled")
    scale = fit_ideal_points(votes, dims=settings.dims, anchor=settings.anchor, lapse=settings.lapse)
    model = place_options(scale, votes, options, chosen)
    profile = model.profile()
    names = list(rule_names) if rule_names else rules.names()
    results = {name: rules.run(name, profile) for name in names}
    parties = np.array(scale.parties, dtype=object)
    sizes: dict[str, int] = {}
    for party in scale.parties:
        sizes[party] = sizes.get(party, 0) + 1
    party_sizes = dict(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))
    by_party = {party: pairwise_counts(model.profile(np.flatnonzero(parties == party))) for party in party_sizes}
    shares = none = None
    if settings.bootstrap:
        boot = spatial_bootstrap(model, settings.bootstrap, seed=settings.seed, n_jobs=settings.n_jobs)
        shares, none = boot.condorcet_shares(), boot.no_winner
    return _majority_analysis(
        profile, options, chosen, divisions,
        members=scale.num_members,
        results=results,
        skipped={},
        party_sizes=party_sizes,
        by_party=by_party,
        patterns=table,
        infer="spatial",
        spatial=model,
        condorcet_shares=shares,
        no_condorcet_winner=none,
    )


if TYPE_CHECKING:
    from tellers.parliament.house import House
    from tellers.parliament.options import ChosenOptions


def analyse_options(
    house: House,
    options: str | Sequence[str] | ChosenOptions,
    tested: str | None = None,
    patterns: VotingPatterns | None = None,
    *,
    infer: str = "revealed",
    spatial: SpatialSettings | None = None,
) -> MajorityAnalysis:
    """The head-to-head analysis of options in ``house``: what `tellers majority` prints.

    ``options`` are named as :func:`~tellers.parliament.options.choose_options` reads
    them. ``patterns`` replaces the recorded votes (e.g. with bloc stances applied).
    With ``infer="spatial"`` the scale is fitted to every division of the options'
    chamber in the house unless ``spatial.votes`` says otherwise.
    """
    from tellers.parliament.options import ChosenOptions, choose_options

    chosen = options if isinstance(options, ChosenOptions) else choose_options(house, options, tested)
    if patterns is None:
        patterns = house.voting_patterns([d.id for d in chosen.divisions])
    if infer == "spatial" and (spatial is None or spatial.votes is None):
        votes = house.member_votes(None, chosen.divisions[0].chamber)
        spatial = replace(spatial or SpatialSettings(), votes=votes)
    analysis = analyse_majority(
        patterns, list(chosen.options), {d.id: d for d in chosen.divisions},
        tested=chosen.tested, party_aliases=house.catalogue.party_aliases, infer=infer, spatial=spatial,
    )
    return replace(analysis, record_note=house.catalogue.announced_note(chosen.divisions))
