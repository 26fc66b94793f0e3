"""A polite client for the UK Parliament's Commons Votes API.

It downloads ``GET {base}/data/division/{id}.json`` and keeps the raw JSON in a cache
on disk, so a division is downloaded once (``refresh=True`` downloads it again). The
Commons JSON reader then reads the cached file like any other.

Politeness: one request at a time, a User-Agent that names tellers, and bounded retries
with exponential backoff on connection failures, timeouts, HTTP 429 and 5xx, honouring
the server's ``Retry-After``. Other answers (404, 400, 403…) are not retried.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

import httpx

from tellers import __version__
from tellers.errors import FetchError
from tellers.records.paths import env_path, user_cache

DEFAULT_BASE_URL = "https://commonsvotes-api.parliament.uk"
CACHE_ENV = "TELLERS_CACHE"
"""Environment variable naming the download cache directory (``--cache`` wins over it)."""
USER_AGENT = f"tellers/{__version__} (division records for the tellers command-line tool; python-httpx)"
ATTEMPTS = 4
"""Requests per division at most (the first try and three retries)."""
BACKOFF = 1.0
"""Seconds before the first retry; doubled before each further one."""
MAX_WAIT = 60.0
"""Longest wait before a retry (a larger Retry-After is an error: try again later)."""
TIMEOUT = httpx.Timeout(30.0, connect=10.0)

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504}) | frozenset(range(505, 600))
_ID = re.compile(r"^[1-9][0-9]{0,9}$")


def default_cache_dir() -> Path:
    """``$TELLERS_CACHE``, else the user's cache directory for tellers."""
    return env_path(CACHE_ENV) or user_cache()


def check_division_id(division_id: object) -> str:
    """The id as text, if it is a Commons Votes DivisionId (a positive whole number)."""
    text = str(division_id).strip()
    if not _ID.match(text):
        raise FetchError(
            f"{division_id!r} is not a Commons Votes division id: give a positive whole number, "
            "e.g. 562 (the DivisionId in the division's address on votes.parliament.uk)"
        )
    return text


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header (seconds, or an HTTP date) as seconds from now; None if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass(frozen=True)
class Fetched:
    """A division's JSON file in the cache; ``downloaded`` is False when it came from the cache."""

    division_id: str
    path: Path
    downloaded: bool
    attempts: int = 0


class CommonsVotesClient:
    """Downloads Commons divisions into a cache directory. Use as a context manager."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        cache_dir: str | os.PathLike[str] | None = None,
        *,
        attempts: int = ATTEMPTS,
        backoff: float = BACKOFF,
        max_wait: float = MAX_WAIT,
        timeout: httpx.Timeout | float = TIMEOUT,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        url = httpx.URL(self.base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise FetchError(f"--base-url {base_url!r} is not an http(s) address, e.g. {DEFAULT_BASE_URL}")
        root = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        # one folder per server, so that a test or mirror server never fills the real cache
        host = url.host + (f"_{url.port}" if url.port else "")
        self.cache_dir = root / "commons-votes" / re.sub(r"[^A-Za-z0-9._-]", "_", host)
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep or time.sleep
        self.http = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=timeout,
            follow_redirects=True,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def url(self, division_id: str) -> str:
        return f"{self.base_url}/data/division/{division_id}.json"

    def cached_path(self, division_id: str) -> Path:
        return self.cache_dir / f"{check_division_id(division_id)}.json"

    def fetch(self, division_id: object, *, refresh: bool = False) -> Fetched:
        """The cached JSON file of one division, downloading it unless cached (or ``refresh``)."""
        division_id = check_division_id(division_id)
        path = self.cached_path(division_id)
        if path.is_file() and not refresh:
            return Fetched(division_id, path, downloaded=False)
        body, attempts = self._download(division_id)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(body)
            os.replace(tmp, path)  # atomic: a half-written file is never in the cache
        except OSError as exc:
            raise FetchError(
                f"{path}: cannot write the download cache ({exc.strerror}). Choose another with --cache"
            ) from None
        return Fetched(division_id, path, downloaded=True, attempts=attempts)

    def _download(self, division_id: str) -> tuple[bytes, int]:
        url = self.url(division_id)
        for attempt in range(1, self.attempts + 1):
            wait: float | None = None
            try:
                response = self.http.get(url)
            except httpx.UnsupportedProtocol:
                raise FetchError(f"{url}: not an http(s) address. Check --base-url") from None
            except httpx.TransportError as exc:
                problem = f"cannot reach the server ({type(exc).__name__}: {exc or 'no detail'})"
            else:
                status = response.status_code
                if status == 200:
                    return self._checked(division_id, url, response), attempt
                if status == 404:
                    raise FetchError(
                        f"division {division_id} not found: {url} answered HTTP 404. Check the id: it is the "
                        "DivisionId of a Commons division (e.g. 562), as in "
                        "votes.parliament.uk/votes/commons/division/562"
                    )
                if status not in _RETRY_STATUS:
                    raise FetchError(f"{url} answered HTTP {status} {response.reason_phrase}: not retried")
                problem = f"HTTP {status} {response.reason_phrase}"
                wait = retry_after_seconds(response.headers.get("Retry-After"))
            if attempt == self.attempts:
                break
            if wait is None:
                wait = self.backoff * 2 ** (attempt - 1)
            if wait > self.max_wait:
                raise FetchError(f"{url}: {problem}; the server asks to wait {wait:.0f} s. Try again later")
            self.sleep(wait)
        raise FetchError(
            f"{url}: {problem}; gave up after {self.attempts} attempts. "
            "Check your connection (or --base-url) and try again later"
        )

    @staticmethod
    def _checked(division_id: str, url: str, response: httpx.Response) -> bytes:
        """The body, if it is the JSON of the division asked for."""
        body = response.content
        try:
            doc = json.loads(body)
        except ValueError:
            start = body[:60].decode("utf-8", "replace")
            raise FetchError(f"{url} answered with something that is not JSON (it starts {start!r})") from None
        got = doc.get("DivisionId", doc.get("divisionId")) if isinstance(doc, dict) else None
        if str(got) != division_id:
            raise FetchError(
                f"{url} answered, but not with division {division_id} (DivisionId {got!r}). Check --base-url"
            )
        return body
