"""A polite client for the UK Parliament's Members API: members' party affiliations with dates.

It downloads ``GET {base}/api/Members/{id}/Biography`` into the download cache (once;
``refresh=True`` downloads it again) and reads its ``partyAffiliations`` (``name``,
``house``, ``startDate``, ``endDate``) as :class:`~tellers.records.model.Membership` rows.
Ids are MNIS ids, the ids the Commons Votes data use. Caching, politeness and retries are
:mod:`tellers.records.http_client`'s.

The API gives the day of a party switch both as the old affiliation's end and as the new
one's start; a member belongs to the new party from that day, so an affiliation is ended
the day before the next one (in the same house) starts, as a membership history requires.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path

from tellers.errors import FetchError
from tellers.records.fields import shown, text_problem
from tellers.records.http_client import Download, PoliteClient, api_day, check_id, read_cached
from tellers.records.model import Membership, MembershipHistory
from tellers.records.readers._records import COMMONS

DEFAULT_BASE_URL = "https://members-api.parliament.uk"
HOUSES = {1: COMMONS, 2: "Lords"}
"""The API's house numbers, as the chambers tellers names."""


def check_member_id(member_id: object) -> str:
    """The id as text, if it is a Members API (MNIS) id (a positive whole number)."""
    return check_id(
        member_id,
        "Members API member id",
        "172 (the id in the member's address on members.parliament.uk, and the MemberId of the Commons Votes data)",
    )


class MembersClient(PoliteClient):
    """Downloads members' biographies into a cache directory. Use as a context manager."""

    service = "members"
    default_base_url = DEFAULT_BASE_URL

    def url(self, member_id: str) -> str:
        return f"{self.base_url}/api/Members/{member_id}/Biography"

    def cached_path(self, member_id: str) -> Path:
        return self.cache_dir / "biography" / f"{check_member_id(member_id)}.json"

    def not_found(self, member_id: str, url: str) -> str:
        return (
            f"member {member_id} not found: {url} answered HTTP 404. Check the id: it is the MNIS id of a "
            "member (e.g. 172), as in members.parliament.uk/member/172"
        )

    def check(self, member_id: str, url: str, doc: object) -> list[Membership]:
        return _affiliations(member_id, url, doc)

    def fetch(self, member_id: object, *, refresh: bool = False) -> Download:
        """The cached biography of one member, downloading it unless cached (or ``refresh``)."""
        return self.fetch_item(check_member_id(member_id), refresh=refresh)


def read_affiliations(member_id: str, path: Path) -> list[Membership]:
    """The party affiliations in a member's cached biography, as the API gives them."""
    return _affiliations(check_member_id(member_id), str(path), read_cached(path))


def membership_history(source: str, memberships: Iterable[Membership]) -> MembershipHistory:
    """One history of everyone's affiliations, each member's in order and without overlaps
    (see the module notes)."""
    ordered = sorted(memberships, key=lambda m: (m.member_id, m.chamber, m.start))
    rows: list[Membership] = []
    for _, spells in groupby(ordered, key=lambda m: (m.member_id, m.chamber)):
        rows.extend(_sequential(list(spells)))
    return MembershipHistory(source, tuple(rows))


def _sequential(spells: list[Membership]) -> list[Membership]:
    """One member's affiliations in one house (sorted by start), each ended before the next starts."""
    kept = [spells[0]]
    for spell in spells[1:]:
        last = kept[-1]
        if spell.start == last.start:
            if spell.party != last.party:
                raise FetchError(
                    f"member {spell.member_id}: the Members API gives two parties from {spell.start} "
                    f"({shown(last.party)} and {shown(spell.party)}); nothing was stored. "
                    "Report it to Parliament, or import a corrected membership history CSV instead"
                )
            if last.end is not None and (spell.end is None or spell.end > last.end):
                kept[-1] = spell  # the same party listed twice: keep the longer spell
            continue
        if last.end is None or last.end >= spell.start:
            kept[-1] = replace(last, end=spell.start - timedelta(days=1))
        kept.append(spell)
    return kept


def _affiliations(member_id: str, where: str, doc: object) -> list[Membership]:
    """The ``partyAffiliations`` of a biography answer (``where`` names it in errors)."""
    value = doc.get("value") if isinstance(doc, dict) else None
    if not isinstance(value, dict):
        raise FetchError(f"{where}: not a Members API biography (no 'value' object). Check --base-url")
    items = value.get("partyAffiliations") or []
    if not isinstance(items, list):
        raise FetchError(f"{where}: 'partyAffiliations' is not a list. Check --base-url")
    memberships = []
    for i, item in enumerate(items):
        memberships.append(_membership(member_id, f"{where}: party affiliation {i + 1}", item))
    return memberships


def _membership(member_id: str, where: str, item: object) -> Membership:
    if not isinstance(item, dict):
        raise FetchError(f"{where} is not an object. Check --base-url")
    party = item.get("name")
    problem = "is missing" if not isinstance(party, str) or not party.strip() else text_problem(party)
    if problem:
        raise FetchError(f"{where}: the party name {problem}. Check --base-url")
    house = item.get("house")
    if house is not None and house not in HOUSES:
        raise FetchError(f"{where}: unknown house {shown(house)} (1 is the Commons, 2 the Lords)")
    start = api_day(item.get("startDate"))
    if start is None:
        raise FetchError(f"{where}: startDate {shown(item.get('startDate'))} is not a date. Check --base-url")
    end = _end(where, item.get("endDate"), start)
    return Membership(member_id, party.strip(), start, end, HOUSES.get(house, ""))


def _end(where: str, value: object, start: date) -> date | None:
    if value is None:
        return None
    end = api_day(value)
    if end is None or end < start:
        problem = "is not a date" if end is None else f"is before its startDate {start}"
        raise FetchError(f"{where}: endDate {shown(value)} {problem}. Check --base-url")
    return end
