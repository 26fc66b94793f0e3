"""One polite, cached HTTP getter that every live client (Commons Votes, Members) shares.

An answer is kept as a JSON file in a cache on disk, one folder per API and server, so
it is downloaded once (``refresh=True`` downloads it again); a half-written or unchecked
answer never enters the cache.

Politeness: one request at a time, a User-Agent that names tellers, and bounded retries
with exponential backoff on connection failures, timeouts, HTTP 429 and 5xx, honouring
the server's ``Retry-After``. Other answers (404, 400, 403…) are not retried.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import ClassVar, Self

import httpx

from tellers import __version__
from tellers.errors import FetchError
from tellers.records.paths import env_path, user_cache

CACHE_ENV = "TELLERS_CACHE"
"""Environment variable naming the download cache directory (``--cache`` wins over it)."""
USER_AGENT = f"tellers/{__version__} (parliamentary records for the tellers command-line tool; python-httpx)"
ATTEMPTS = 4
"""Requests per answer at most (the first try and three retries)."""
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


def whole_number_id(value: object) -> str | None:
    """``value`` as text if it is a positive whole number (the form of a Parliament API id), else None."""
    text = str(value).strip()
    return text if _ID.match(text) else None


def check_id(value: object, what: str, example: str) -> str:
    """``value`` as text if it is a positive whole number; else a FetchError naming ``what`` it should be."""
    text = whole_number_id(value)
    if text is None:
        raise FetchError(f"{value!r} is not a {what}: give a positive whole number, e.g. {example}")
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
class Download:
    """An answer's JSON file in the cache; ``downloaded`` is False when it came from the cache."""

    path: Path
    downloaded: bool
    attempts: int = 0


Check = Callable[[str, object], object]
"""Raises :class:`FetchError` unless a parsed answer (from the address given) is what was asked for."""


class PoliteClient:
    """Polite, cached GETs of JSON from one API server. Use as a context manager.

    Subclasses name their API: ``service`` (the cache folder) and ``default_base_url``; those
    that download one item by id (:meth:`fetch_item`) also say where it is (:meth:`url`,
    :meth:`cached_path`), what a 404 means (:meth:`not_found`) and what a right answer is
    (:meth:`check`).
    """

    service: ClassVar[str]
    default_base_url: ClassVar[str]

    def __init__(
        self,
        base_url: str | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        *,
        attempts: int = ATTEMPTS,
        backoff: float = BACKOFF,
        max_wait: float = MAX_WAIT,
        timeout: httpx.Timeout | float = TIMEOUT,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        base_url = self.default_base_url if base_url is None else base_url
        self.base_url = base_url.rstrip("/")
        url = httpx.URL(self.base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise FetchError(f"--base-url {base_url!r} is not an http(s) address, e.g. {self.default_base_url}")
        root = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        # one folder per server, so that a test or mirror server never fills the real cache
        host = url.host + (f"_{url.port}" if url.port else "")
        self.cache_dir = root / self.service / re.sub(r"[^A-Za-z0-9._-]", "_", host)
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

    def url(self, key: str) -> str:
        raise NotImplementedError

    def cached_path(self, key: str) -> Path:
        raise NotImplementedError

    def not_found(self, key: str, url: str) -> str:
        raise NotImplementedError

    def check(self, key: str, url: str, doc: object) -> object:
        raise NotImplementedError

    def fetch_item(self, key: str, *, refresh: bool = False) -> Download:
        """The cached answer for one item, downloading it unless cached (or ``refresh``)."""
        url = self.url(key)
        return self.get_cached(
            url, self.cached_path(key), check=partial(self.check, key), not_found=self.not_found(key, url), refresh=refresh
        )

    def get_cached(
        self,
        url: str | httpx.URL,
        path: Path,
        *,
        check: Check,
        not_found: str,
        refresh: bool = False,
    ) -> Download:
        """The answer to ``GET url`` cached at ``path``: downloaded unless cached (or ``refresh``),
        and cached only once ``check`` accepts it. A 404 raises FetchError(``not_found``)."""
        if path.is_file() and not refresh:
            return Download(path, downloaded=False)
        url = str(url)
        body, attempts = self._download(url, not_found)
        check(url, self._json(url, body))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(body)
            os.replace(tmp, path)  # atomic: a half-written file is never in the cache
        except OSError as exc:
            raise FetchError(
                f"{path}: cannot write the download cache ({exc.strerror}). Choose another with --cache"
            ) from None
        return Download(path, downloaded=True, attempts=attempts)

    def _download(self, url: str, not_found: str) -> tuple[bytes, int]:
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
                    return response.content, attempt
                if status == 404:
                    raise FetchError(not_found)
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
    def _json(url: str, body: bytes) -> object:
        try:
            return json.loads(body)
        except ValueError:
            start = body[:60].decode("utf-8", "replace")
            raise FetchError(f"{url} answered with something that is not JSON (it starts {start!r})") from None


def read_cached(path: Path) -> object:
    """A cached answer, parsed; a cache file that cannot be read says how to download it again."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise FetchError(f"{path}: cannot read this cached answer ({exc}). Download it again with --refresh") from None


def api_day(value: object) -> date | None:
    """The day of a Parliament API timestamp ("2019-03-27T19:00:00"); None if it is not one."""
    try:
        return datetime.fromisoformat(value).date() if isinstance(value, str) else None
    except ValueError:
        return None


def query_key(params: Mapping[str, object]) -> str:
    """A file name for the answer to a query: the same parameters, in any order, give the same name."""
    canonical = str(httpx.QueryParams(sorted((k, str(v)) for k, v in params.items())))
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]
