"""The house an analysis reads: its divisions and how its members voted.

Two kinds answer the same questions, so the report and the web app work on either:

- :class:`StoreHouse`, the division records in a tellers database (member-level);
- :class:`CaseHouse`, a case folder such as the bundled 2019 Commons aggregate (members
  by party and voting pattern, no names), or the same case built from member-level records.

:func:`open_house` picks the store when it holds divisions, else the bundled case.
:func:`analyse_options` runs the head-to-head analysis on options named the way the CLI
names them (division ids or catalogue option ids), optionally under bloc stances
(:mod:`tellers.parliament.stances`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tellers.parliament.head_to_head import MajorityAnalysis, analyse_majority
from tellers.parliament.cases import COMMONS_2019, Case, load_case
from tellers.parliament.catalogue import Catalogue, Question, load_catalogue
from tellers.errors import NotFoundError, OptionError, TellersError
from tellers.records.model import Division, VoteKind
from tellers.parliament.options import Option
from tellers.records.patterns import KINDS, VotingPatterns
from tellers.parliament.preferences import choose_division
from tellers.records.store import DivisionResult, DivisionTotals, PartySplit, Store, default_db_path

TESTED = ("latest", "earliest")


class House:
    """Divisions and members' votes, from a store or a case folder."""

    source: str
    """Where the data come from, in words."""
    catalogue: Catalogue
    member_level: bool
    """True when members are known by name (a rebel list is possible)."""

    def divisions(self) -> list[DivisionTotals]:  # pragma: no cover - abstract
        raise NotImplementedError

    def division(self, division_id: str) -> DivisionResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def division_record(self, division_id: str) -> Division:  # pragma: no cover - abstract
        raise NotImplementedError

    def voting_patterns(self, division_ids: Sequence[str]) -> VotingPatterns:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        """Release the database, if any."""

    # -- shared

    def division_ids(self) -> list[str]:
        """Every division id, oldest first."""
        return [t.id for t in self.divisions()]

    def require(self, division_id: str) -> str:
        """The id, or NotFoundError naming how to list the ids."""
        division_id = str(division_id).strip()
        if division_id not in set(self.division_ids()):
            raise NotFoundError(f"no division {division_id!r} in {self.source}; GET /api/divisions (or `tellers divisions`) lists them")
        return division_id

    def questions(self) -> list[Question]:
        """The catalogue's questions whose options all have a division here."""
        have = set(self.division_ids())
        return [
            q for q in self.catalogue.questions.values()
            if all(choose_division(self.catalogue.options[o], q.tested) in have for o in q.options)
        ]

    def option_of(self, division_id: str) -> Option | None:
        """The catalogue option a division tested, if any."""
        return self.catalogue.by_division(division_id)


class StoreHouse(House):
    """The division records in a tellers database, opened read-only (one lock: DuckDB
    connections are not shared across threads)."""

    member_level = True

    def __init__(self, path: Path | None = None, catalogue: Catalogue | None = None) -> None:
        self.store = Store(path, read_only=True)
        self.source = f"the tellers database {self.store.path}"
        self.catalogue = catalogue or load_catalogue(COMMONS_2019 / "options.toml")
        self._lock = threading.Lock()

    def divisions(self) -> list[DivisionTotals]:
        with self._lock:
            return self.store.divisions()

    def division(self, division_id: str) -> DivisionResult:
        division_id = self.require(division_id)
        with self._lock:
            return self.store.division(division_id)

    def division_record(self, division_id: str) -> Division:
        division_id = self.require(division_id)
        with self._lock:
            return self.store.division_record(division_id)

    def voting_patterns(self, division_ids: Sequence[str]) -> VotingPatterns:
        ids = [self.require(d) for d in division_ids]
        with self._lock:
            return self.store.voting_patterns(ids)

    def close(self) -> None:
        with self._lock:
            self.store.close()


class CaseHouse(House):
    """A case folder's aggregate (or member-level) voting patterns and divisions."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.source = case.source
        self.catalogue = case.catalogue
        self.member_level = case.patterns.members is not None
        order = sorted(case.patterns.divisions, key=lambda d: (case.divisions[d].date is None, case.divisions[d].date, _natural(d)))
        self._totals = {d: division_totals(case.patterns, case.divisions[d], case.source) for d in order}

    def divisions(self) -> list[DivisionTotals]:
        return list(self._totals.values())

    def division(self, division_id: str) -> DivisionResult:
        division_id = self.require(division_id)
        return DivisionResult(self._totals[division_id], party_splits(self.case.patterns, division_id), ())

    def division_record(self, division_id: str) -> Division:
        return self.case.divisions[self.require(division_id)]

    def voting_patterns(self, division_ids: Sequence[str]) -> VotingPatterns:
        return self.case.patterns.select([self.require(d) for d in division_ids])


def open_house(db_path: Path | None = None) -> House:
    """The store at ``db_path`` (or the default database) when it holds divisions, else the
    bundled 2019 Commons case. An explicit ``db_path`` must be a tellers database."""
    if db_path is not None:
        house = StoreHouse(db_path)
        if not house.divisions():
            house.close()
            raise TellersError(f"{db_path}: the database holds no divisions. Import some with `tellers import FILE`")
        return house
    path = default_db_path()
    if path.is_file():
        try:
            house = StoreHouse(path)
        except TellersError:
            return CaseHouse(load_case())
        if house.divisions():
            return house
        house.close()
    return CaseHouse(load_case())


# --------------------------------------------------------------------------- aggregate facts


def _natural(division_id: str) -> tuple:
    head = division_id.rstrip("0123456789")
    tail = division_id[len(head):]
    return (head, int(tail) if tail else -1, division_id)


def _count(patterns: VotingPatterns, j: int, kinds: Sequence[VoteKind], rows: np.ndarray | None = None) -> int:
    codes = patterns.codes[:, j] if rows is None else patterns.codes[rows, j]
    counts = patterns.counts if rows is None else patterns.counts[rows]
    return int(counts[np.isin(codes, [KINDS.index(k) for k in kinds])].sum())


def division_totals(patterns: VotingPatterns, d: Division, source: str, *, official: bool = True) -> DivisionTotals:
    """A division's official totals beside those counted from the patterns (as the store counts).
    ``official=False`` leaves the official totals out (a scenario's votes are not the record)."""
    j = patterns.divisions.index(d.id)
    official = official and not d.totals_computed
    return DivisionTotals(
        chamber=d.chamber, id=d.id, date=d.date, number=d.number, title=d.title,
        ayes=d.ayes if official else None, noes=d.noes if official else None,
        counted_ayes=_count(patterns, j, (VoteKind.AYE, VoteKind.BOTH)),
        counted_noes=_count(patterns, j, (VoteKind.NO, VoteKind.BOTH)),
        tellers=_count(patterns, j, (VoteKind.TELLER_AYE, VoteKind.TELLER_NO)),
        no_vote=_count(patterns, j, (VoteKind.NO_VOTE,)),
        both=_count(patterns, j, (VoteKind.BOTH,)),
        source=source,
    )


def party_splits(patterns: VotingPatterns, division_id: str) -> tuple[PartySplit, ...]:
    """How each party voted in one division (largest party first), with its Rice index —
    the store's split, counted from a voting-pattern table."""
    j = patterns.divisions.index(division_id)
    parties = np.array(patterns.parties, dtype=object)
    out = []
    for party in dict.fromkeys(patterns.parties):
        rows = parties == party
        aye = _count(patterns, j, (VoteKind.AYE,), rows)
        no = _count(patterns, j, (VoteKind.NO,), rows)
        out.append(PartySplit(
            party, aye, no,
            _count(patterns, j, (VoteKind.NO_VOTE,), rows),
            _count(patterns, j, (VoteKind.TELLER_AYE, VoteKind.TELLER_NO), rows),
            _count(patterns, j, (VoteKind.BOTH,), rows),
            abs(aye - no) / (aye + no) if aye + no else None,
            "aye" if aye > no else "no" if no > aye else None,
        ))
    out.sort(key=lambda p: (-(p.aye + p.no + p.no_vote + p.tellers + p.both), p.party))
    return tuple(out)


def merge_parties(result: DivisionResult, aliases: Mapping[str, str]) -> DivisionResult:
    """The split with party labels merged (e.g. "Labour (Co-op)" into "Labour"); Rice
    index and majority recomputed for merged parties."""
    merged: dict[str, list[int]] = {}
    for p in result.parties:
        row = merged.setdefault(aliases.get(p.party, p.party), [0, 0, 0, 0, 0])
        for i, n in enumerate((p.aye, p.no, p.no_vote, p.tellers, p.both)):
            row[i] += n
    parties = tuple(
        PartySplit(party, aye, no, nv, t, b, abs(aye - no) / (aye + no) if aye + no else None,
                   "aye" if aye > no else "no" if no > aye else None)
        for party, (aye, no, nv, t, b) in sorted(merged.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    )
    return DivisionResult(result.totals, parties, result.rebels)


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class ChosenOptions:
    """Options to compare, each with the division that counts for it."""

    options: tuple[Option, ...]
    divisions: tuple[Division, ...]
    names: tuple[frozenset[str], ...] = ()
    """Every token that names each option: its id, its division id, its catalogue option id."""

    @property
    def tested(self) -> dict[str, str]:
        return {o.id: d.id for o, d in zip(self.options, self.divisions)}

    def division_of(self, token: str) -> str:
        """The division that counts for an option named by option id or division id."""
        names = self.names or tuple(frozenset() for _ in self.options)
        for o, d, n in zip(self.options, self.divisions, names):
            if token in (o.id, d.id) or token in n:
                return d.id
        raise OptionError(
            f"{token!r} is not one of the options compared ({', '.join(o.id for o in self.options)})"
        )


def parse_tokens(options: str | Sequence[str]) -> list[str]:
    """Option tokens from "666,667,668" or a list."""
    tokens = options.split(",") if isinstance(options, str) else list(options)
    return [str(t).strip() for t in tokens if str(t).strip()]


def choose_options(house: House, options: str | Sequence[str], tested: str | None = None) -> ChosenOptions:
    """Options named as the CLI names them: division ids (each one an option, labelled from the
    catalogue where it knows the division) or catalogue option ids (``tested`` picks which of
    an option's divisions counts: latest, the default, or earliest)."""
    tokens = parse_tokens(options)
    if tested is not None and tested not in TESTED:
        raise OptionError(f"tested must be one of {', '.join(TESTED)}, not {tested!r}")
    if len(tokens) < 2:
        raise OptionError("compare at least two options, e.g. options=666,667,668 (division ids or option ids)")
    if len(set(tokens)) != len(tokens):
        raise OptionError(f"an option is named twice in {', '.join(tokens)}")
    chosen = []
    for token in tokens:
        if token in house.catalogue.options:
            option = house.catalogue.options[token]
            token = choose_division(option, tested or "latest")
            try:
                division = house.division_record(token)
            except NotFoundError:
                raise OptionError(f"option {option.id!r} was tested in division {token}, which is not in {house.source}") from None
        else:
            try:
                division = house.division_record(token)
            except NotFoundError:
                raise OptionError(
                    f"{token!r} is neither a division in {house.source} nor an option id "
                    f"({', '.join(house.catalogue.options)})"
                ) from None
            known = house.option_of(token)
            option = Option(token, known.label if known else division.title, (token,), known.short if known else "")
        chosen.append((option, division))
    ids = [d.id for _, d in chosen]
    if len(set(ids)) != len(ids):
        raise OptionError(f"two options name the same division ({', '.join(ids)}); give each option its own")
    names = tuple(
        frozenset({o.id, d.id} | ({k.id} if (k := house.option_of(d.id)) else set())) for o, d in chosen
    )
    return ChosenOptions(tuple(o for o, _ in chosen), tuple(d for _, d in chosen), names)


def analyse_options(
    house: House,
    options: str | Sequence[str] | ChosenOptions,
    tested: str | None = None,
    patterns: VotingPatterns | None = None,
) -> MajorityAnalysis:
    """The head-to-head analysis of ``options`` — the analysis `tellers majority` prints.

    ``patterns`` replaces the recorded votes (e.g. with bloc stances applied)."""
    chosen = options if isinstance(options, ChosenOptions) else choose_options(house, options, tested)
    if patterns is None:
        patterns = house.voting_patterns([d.id for d in chosen.divisions])
    return analyse_majority(
        patterns, list(chosen.options), {d.id: d for d in chosen.divisions},
        tested=chosen.tested, party_aliases=house.catalogue.party_aliases,
    )

