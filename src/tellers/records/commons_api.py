"""A polite client for the UK Parliament's Commons Votes API.

It downloads ``GET {base}/data/division/{id}.json`` into the download cache, so a division
is downloaded once (``refresh=True`` downloads it again); the Commons JSON reader then
reads the cached file like any other. It lists the divisions of a period (and of search
words) through ``GET {base}/data/divisions.json/search``, page by page, each page cached
under its query. Caching, politeness and retries are :mod:`tellers.records.http_client`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

from tellers.errors import FetchError
from tellers.records.http_client import (
    ATTEMPTS, BACKOFF, CACHE_ENV, MAX_WAIT, TIMEOUT, USER_AGENT, Download, PoliteClient, api_day,
    check_id, default_cache_dir, query_key, read_cached, retry_after_seconds, whole_number_id,
)

__all__ = [
    "ATTEMPTS",
    "BACKOFF",
    "CACHE_ENV",
    "DEFAULT_BASE_URL",
    "MAX_LISTED",
    "MAX_WAIT",
    "SEARCH_PAGE",
    "TIMEOUT",
    "USER_AGENT",
    "CommonsVotesClient",
    "Fetched",
    "Listed",
    "Search",
    "check_division_id",
    "default_cache_dir",
    "retry_after_seconds",
]

DEFAULT_BASE_URL = "https://commonsvotes-api.parliament.uk"
SEARCH_PAGE = 25
"""Divisions per search page: the API's default page size and its largest."""
MAX_LISTED = 5000
"""Most divisions one search may list (about two Parliaments' worth): more is an error, not a long download."""


def check_division_id(division_id: object) -> str:
    """The id as text, if it is a Commons Votes DivisionId (a positive whole number)."""
    return check_id(
        division_id, "Commons Votes division id", "562 (the DivisionId in the division's address on votes.parliament.uk)"
    )


@dataclass(frozen=True)
class Fetched:
    """A division's JSON file in the cache; ``downloaded`` is False when it came from the cache."""

    division_id: str
    path: Path
    downloaded: bool
    attempts: int = 0


@dataclass(frozen=True)
class Listed:
    """A division a search listed, as the listing gives it (``date`` None when it gives none)."""

    division_id: str
    date: date | None
    title: str


@dataclass(frozen=True)
class Search:
    """What a search listed, in the API's order without repeats, and the pages it read."""

    divisions: tuple[Listed, ...]
    pages: tuple[Download, ...]

    @property
    def downloaded(self) -> int:
        """Pages downloaded (the others came from the cache)."""
        return sum(page.downloaded for page in self.pages)


class CommonsVotesClient(PoliteClient):
    """Downloads Commons divisions, and lists them by date and words, into a cache directory.
    Use as a context manager."""

    service = "commons-votes"
    default_base_url = DEFAULT_BASE_URL

    def url(self, division_id: str) -> str:
        return f"{self.base_url}/data/division/{division_id}.json"

    def cached_path(self, division_id: str) -> Path:
        return self.cache_dir / f"{check_division_id(division_id)}.json"

    def not_found(self, division_id: str, url: str) -> str:
        return (
            f"division {division_id} not found: {url} answered HTTP 404. Check the id: it is the DivisionId of "
            "a Commons division (e.g. 562), as in votes.parliament.uk/votes/commons/division/562"
        )

    def check(self, division_id: str, url: str, doc: object) -> None:
        """Accept the answer if it is the JSON of the division asked for."""
        got = doc.get("DivisionId", doc.get("divisionId")) if isinstance(doc, dict) else None
        if str(got) != division_id:
            raise FetchError(
                f"{url} answered, but not with division {division_id} (DivisionId {got!r}). Check --base-url"
            )

    def fetch(self, division_id: object, *, refresh: bool = False) -> Fetched:
        """The cached JSON file of one division, downloading it unless cached (or ``refresh``)."""
        division_id = check_division_id(division_id)
        got = self.fetch_item(division_id, refresh=refresh)
        return Fetched(division_id, got.path, got.downloaded, got.attempts)

    def search(
        self, start: date | None = None, end: date | None = None, words: str = "", *, refresh: bool = False
    ) -> Search:
        """The divisions from ``start`` to ``end`` (both inclusive, either open) whose title or
        number holds ``words``, read page by page; each page is cached under its query."""
        query: dict[str, str | int] = {}
        if start is not None:
            query["queryParameters.startDate"] = start.isoformat()
        if end is not None:
            query["queryParameters.endDate"] = end.isoformat()
        if words.strip():
            query["queryParameters.searchTerm"] = words.strip()
        found: dict[str, Listed] = {}
        pages: list[Download] = []
        skip = 0
        while True:
            page = {**query, "queryParameters.skip": skip, "queryParameters.take": SEARCH_PAGE}
            url = httpx.URL(f"{self.base_url}/data/divisions.json/search", params=page)
            got = self.get_cached(
                url,
                self.cache_dir / "search" / f"{query_key(page)}.json",
                check=_listed,
                not_found=f"{url} answered HTTP 404: no division search there. Check --base-url",
                refresh=refresh,
            )
            pages.append(got)
            listed = _listed(str(got.path), read_cached(got.path))
            before, skip = len(found), skip + len(listed)
            found.update((d.division_id, d) for d in listed if d.division_id not in found)
            if len(listed) < SEARCH_PAGE:
                return Search(tuple(found.values()), tuple(pages))
            if len(found) == before:
                raise FetchError(
                    f"{url} listed only divisions it had listed already: the server ignores paging. Check --base-url"
                )
            if len(found) > MAX_LISTED:
                raise FetchError(
                    f"more than {MAX_LISTED:,} divisions match: narrow the period (--from, --to) or add --search words"
                )


def _listed(where: str, doc: object) -> list[Listed]:
    """The divisions of one search page (``where`` names it in errors)."""
    if not isinstance(doc, list):
        raise FetchError(f"{where}: a division search answered {type(doc).__name__}, not a list. Check --base-url")
    listed = []
    for i, item in enumerate(doc):
        division_id = whole_number_id(item.get("DivisionId")) if isinstance(item, dict) else None
        if division_id is None:
            raise FetchError(f"{where}: item {i} of the division search has no DivisionId. Check --base-url")
        title = item.get("Title")
        listed.append(Listed(division_id, api_day(item.get("Date")), title if isinstance(title, str) else ""))
    return listed
