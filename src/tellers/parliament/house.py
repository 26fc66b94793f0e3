"""The house: the one way every command reaches a chamber's divisions and votes.

Two kinds answer the same questions, so every command, the report and the web app work
on either:

- :class:`StoreHouse`, the division records in a tellers database (member-level);
- :class:`CaseHouse`, a case: the bundled 2019 Commons aggregate (members by party and
  voting pattern, no names), or the same case built from member-level record files.

:func:`open_house` picks one, in one documented order (see its docstring), and says
which it picked and why (:attr:`House.why`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from tellers.errors import NotFoundError, TellersError
from tellers.wording import few
from tellers.parliament.cases import Case, bundled_catalogue, case_from_records, load_case
from tellers.parliament.catalogue import Catalogue, Question
from tellers.parliament.options import Option, choose_division
from tellers.parliament.splits import division_totals, party_splits
from tellers.records.model import Division
from tellers.records.patterns import VotingPatterns
from tellers.records.paths import env_path
from tellers.records.rollcalls import MemberVotes
from tellers.records.store import DB_ENV, DivisionResult, DivisionTotals, Store, default_db_path, open_store

T = TypeVar("T")


class House:
    """Divisions and members' votes, from a store or a case."""

    source: str
    """Where the data come from, in words."""
    why: str = ""
    """Why :func:`open_house` chose these data (empty when the caller built the house)."""
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

    def member_votes(self, division_ids: Sequence[str] | None = None, chamber: str | None = None) -> MemberVotes:  # pragma: no cover - abstract
        """One row per member over ``division_ids`` (default: every division of the chamber)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the database, if any."""

    def __enter__(self) -> House:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- shared

    def noted(self, totals: DivisionTotals) -> DivisionTotals:
        """``totals`` with what the catalogue says a reader must know of them (:attr:`DivisionTotals.note`)."""
        note = self.catalogue.announced_line(totals)
        return replace(totals, note=note) if note else totals

    def describe(self) -> str:
        """The data in use and why, in one line (what every command prints first)."""
        return self.source + (f" — {self.why}" if self.why else "")

    def version(self) -> tuple | None:
        """What identifies the data's contents, for those who keep answers; None for data that
        cannot change while the house is open."""
        return None

    def division_ids(self) -> list[str]:
        """Every division id, oldest first."""
        return [t.id for t in self.divisions()]

    def has(self, division_id: str) -> bool:
        """True when the house holds ``division_id``."""
        return division_id in set(self.division_ids())

    def require(self, division_id: str) -> str:
        """The id, or NotFoundError."""
        return self.require_all([division_id])[0]

    def require_all(self, division_ids: Sequence[str]) -> tuple[str, ...]:
        """The ids (stripped), checked against the house's ids at once; NotFoundError naming the first missing."""
        ids = tuple(str(d).strip() for d in division_ids)
        held = self._id_set()
        missing = next((d for d in ids if d not in held), None)
        if missing is not None:
            raise NotFoundError(f"no division {missing!r} in {self.source}", listing="divisions")
        return ids

    def _id_set(self) -> frozenset[str] | set[str]:
        """Every division id, as a set (kept by the houses that can)."""
        return set(self.division_ids())

    def find(self, since: date | None = None, until: date | None = None, search: str | None = None) -> list[DivisionTotals]:
        """The house's divisions held from ``since`` to ``until`` (both inclusive; either may be
        None) whose title holds every word of ``search`` (case-insensitive, anywhere in the title),
        oldest first. A division with no date is left out when a date bound is given."""
        if since is not None and until is not None and since > until:
            raise TellersError(f"the period starts ({since}) after it ends ({until}): give the earlier date first")
        words = [w.casefold() for w in (search or "").split()]
        found = []
        for t in self.divisions():
            if (since is not None or until is not None) and t.date is None:
                continue
            if (since is not None and t.date < since) or (until is not None and t.date > until):
                continue
            if words:
                title = t.title.casefold()
                if not all(w in title for w in words):
                    continue
            found.append(t)
        return found

    def kept(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, computed once while the data are unchanged: for answers derived from the
        whole house (a fitted scale) that several sections or requests ask for."""
        return compute()

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
    """The division records in a tellers database, read-only. ``chamber`` picks one chamber
    where the database holds several.

    The file is open only while a read runs, so `tellers import` can write between reads; a
    read that finds a writer there retries with backoff for up to ``wait`` seconds, then
    raises :class:`~tellers.records.store.StoreBusyError` naming the writer. Answers are kept until the file
    changes (:meth:`version`), so repeated questions do not reopen it.
    """

    member_level = True
    WAIT = 5.0
    """Seconds a read waits for a writer to finish, by default."""
    KEEP = 256
    """Answers kept (the least recently used go first)."""

    def __init__(self, path: Path | None = None, catalogue: Catalogue | None = None, chamber: str | None = None,
                 *, wait: float = WAIT) -> None:
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self.chamber = chamber
        self.wait = wait
        self.source = f"the tellers database {self.path}"
        self.catalogue = catalogue or bundled_catalogue()
        self._answers: OrderedDict[tuple, object] = OrderedDict()
        self._seen: tuple | None = None
        self._lock = threading.Lock()  # guards the answers
        self._read = threading.Lock()  # one read of the file at a time: the next asker finds the answer kept
        self._ask(("check",), lambda store: None)  # a missing, foreign or busy file fails here, not mid-command

    def version(self) -> tuple:
        """What identifies the file's contents: (inode, size, modification time) of the file and its WAL."""
        out: list[int] = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
            except OSError:
                out += [0, -1, 0]
            else:
                out += [st.st_ino, st.st_size, st.st_mtime_ns]
        return tuple(out)

    def divisions(self) -> list[DivisionTotals]:
        return [self.noted(t) for t in self._ask(("divisions",), lambda s: s.divisions(self.chamber))]

    def _id_set(self) -> frozenset[str]:
        return self._ask(("ids",), lambda s: frozenset(d.id for d in s.divisions(self.chamber)))

    def has(self, division_id: str) -> bool:
        return division_id in self._id_set()

    def division(self, division_id: str) -> DivisionResult:
        division_id = self.require(division_id)
        result = self._ask(("division", division_id), lambda s: s.division(division_id, self.chamber))
        return replace(result, totals=self.noted(result.totals))

    def division_record(self, division_id: str) -> Division:
        division_id = self.require(division_id)
        return self._ask(("record", division_id), lambda s: s.division_record(division_id, self.chamber))

    def voting_patterns(self, division_ids: Sequence[str]) -> VotingPatterns:
        ids = self.require_all(division_ids)
        return self._ask(("patterns", ids), lambda s: s.voting_patterns(list(ids), self.chamber))

    def member_votes(self, division_ids: Sequence[str] | None = None, chamber: str | None = None) -> MemberVotes:
        ids = None if division_ids is None else self.require_all(division_ids)
        chamber = chamber or self.chamber
        return self._ask(("members", ids, chamber), lambda s: s.member_votes(None if ids is None else list(ids), chamber))

    def kept(self, key: Hashable, compute: Callable[[], T]) -> T:
        version = self.version()
        key = ("kept", key)
        with self._lock:
            if version == self._seen and key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]  # type: ignore[return-value]
        answer = compute()  # outside the locks: it reads the house
        with self._lock:
            if version == self._seen == self.version():
                self._answers[key] = answer
                while len(self._answers) > self.KEEP:
                    self._answers.popitem(last=False)
        return answer

    def close(self) -> None:
        with self._lock:
            self._answers.clear()

    # -- reading the file

    def _ask(self, key: tuple, read: Callable[[Store], object]) -> object:
        """The answer kept for ``key`` while the file is unchanged, else ``read`` on the file opened read-only."""
        version = self.version()
        with self._lock:
            if version != self._seen:
                self._answers.clear()
                self._seen = version
            elif key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        with self._read:
            with self._lock:
                if self._seen == version and key in self._answers:
                    return self._answers[key]
            store = open_store(self.path, read_only=True, wait=self.wait)
            try:
                answer = read(store)
            finally:
                store.close()
            with self._lock:
                if self._seen == version:
                    self._answers[key] = answer
                    while len(self._answers) > self.KEEP:
                        self._answers.popitem(last=False)
        return answer


class CaseHouse(House):
    """A case's aggregate (or member-level) voting patterns and divisions."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.source = case.source
        self.catalogue = case.catalogue
        self.member_level = case.patterns.members is not None
        order = sorted(case.patterns.divisions, key=lambda d: (case.divisions[d].date is None, case.divisions[d].date, _natural(d)))
        self._totals = {d: self.noted(division_totals(case.patterns, case.divisions[d], case.source)) for d in order}
        self._kept: dict[Hashable, object] = {}
        self._keeping = threading.Lock()

    def kept(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._keeping:
            if key in self._kept:
                return self._kept[key]  # type: ignore[return-value]
        answer = compute()
        with self._keeping:
            return self._kept.setdefault(key, answer)  # type: ignore[return-value]

    def divisions(self) -> list[DivisionTotals]:
        return list(self._totals.values())

    def _id_set(self) -> dict[str, DivisionTotals]:
        return self._totals  # a dict's keys test membership as a set's do

    def has(self, division_id: str) -> bool:
        return division_id in self._totals

    def division(self, division_id: str) -> DivisionResult:
        division_id = self.require(division_id)
        return DivisionResult(self._totals[division_id], party_splits(self.case.patterns, division_id), ())

    def division_record(self, division_id: str) -> Division:
        return self.case.divisions[self.require(division_id)]

    def voting_patterns(self, division_ids: Sequence[str]) -> VotingPatterns:
        return self.case.patterns.select(list(self.require_all(division_ids)))

    def member_votes(self, division_ids: Sequence[str] | None = None, chamber: str | None = None) -> MemberVotes:
        ids = self.division_ids() if division_ids is None else list(self.require_all(division_ids))
        if self.case.records:  # member-level files: keep the source's member ids
            return MemberVotes.from_records(self.case.records, ids, chamber=chamber)
        return MemberVotes.from_patterns(self.case.patterns.select(ids))


def _natural(division_id: str) -> tuple:
    head = division_id.rstrip("0123456789")
    tail = division_id[len(head):]
    return (head, int(tail) if tail else -1, division_id)


def open_house(
    db: Path | None = None,
    data: Path | None = None,
    *,
    chamber: str | None = None,
    wanted: Sequence[str] = (),
    allow_empty: bool = False,
) -> House:
    """The data a command reads, chosen in one order, the same for every command:

    1. ``data``: member-level record files (a file or folder), read, not stored;
    2. ``db``, else ``$TELLERS_DB``: that tellers database, which must hold divisions
       (unless ``allow_empty``: listing an empty database is no mistake);
    3. the user's database (``tellers.duckdb`` in their data directory, where ``tellers
       import`` writes by default), if it holds divisions (of ``chamber``, and every
       division in ``wanted``, for a command that needs particular ones: the demo's);
    4. the bundled 2019 Commons case (members by party and voting pattern, no names),
       unless a chamber other than the Commons is asked for.

    The house's :attr:`~House.why` says which applied.
    """
    if db is not None and data is not None:
        raise TellersError("give a database or record files, not both")
    if data is not None:
        from tellers.records.readers import load_records

        records = tuple(r for r in load_records(data) if chamber is None or r.chamber.lower() == chamber.lower())
        if not records:
            raise TellersError(f"{data}: no division records of the {chamber} here")
        house = CaseHouse(case_from_records(records, bundled_catalogue(), f"{data} (member-level records)"))
        house.why = "read from the record files, not stored"
        return house
    named = db if db is not None else env_path(DB_ENV)
    if named is not None:
        store = StoreHouse(named, chamber=chamber)
        if not store.divisions() and not allow_empty:
            store.close()
            raise TellersError(f"{named}: the database holds no {_of(chamber)}divisions. Import some with `tellers import FILE`")
        store.why = "the database named" if db is not None else f"from ${DB_ENV}"
        return store
    path = default_db_path()
    reason = f"your database {path} does not exist"
    if path.is_file():
        try:
            store = StoreHouse(path, chamber=chamber)
        except TellersError as exc:
            reason = f"your database {path} cannot be read: {exc}"
        else:
            ids = set(store.division_ids())
            lacking = [d for d in wanted if d not in ids]
            if ids and not lacking:
                store.why = "your database"
                return store
            store.close()
            reason = (f"your database {path} holds no {_of(chamber)}divisions" if not ids else
                      f"your database {path} lacks division(s) {few(lacking)}")
    case = load_case()
    if chamber is not None and all(d.chamber.lower() != chamber.lower() for d in case.divisions.values()):
        raise TellersError(f"no {chamber} divisions: {reason}, and the bundled case is the Commons'. "
                           "Import some with `tellers import FILE`, or name a database")
    house = CaseHouse(case)
    house.why = f"bundled, as {reason}"
    return house


def _of(chamber: str | None) -> str:
    return f"{chamber} " if chamber else ""
