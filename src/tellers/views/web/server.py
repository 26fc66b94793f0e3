"""How `tellers serve` runs the app under uvicorn: time limits, connection limits, and who may connect."""

from __future__ import annotations

import errno
import ipaddress
import resource
import socket

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from tellers.errors import TellersError

HEAD_TIMEOUT = 10.0
"""Seconds a client has to send a request's head (line and headers) on a new or kept-alive connection."""
KEEP_ALIVE = 5
"""Seconds an idle kept-alive connection stays open."""
MAX_HEAD = 16 * 1024
"""Largest request head, in bytes (h11's limit on an incomplete event)."""
LIMIT_CONCURRENCY = 100
"""Connections (or requests in progress) beyond which the server answers 503 at once."""


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's head: a client that opens a
    connection, or keeps one alive, and does not finish a request's headers within
    :data:`HEAD_TIMEOUT` seconds is disconnected (uvicorn alone would wait for ever)."""

    head_timeout = HEAD_TIMEOUT

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer = None
        self._arm()

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a request's head arrived: the app has it now
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.head_timeout, self.timeout_keep_alive_handler)

    def _disarm(self) -> None:
        if getattr(self, "_head_timer", None) is not None:
            self._head_timer.cancel()
            self._head_timer = None


def server_config(app, host: str = "127.0.0.1", port: int = 8000, *, limit_concurrency: int = LIMIT_CONCURRENCY,
                  head_timeout: float = HEAD_TIMEOUT, log_level: str = "warning") -> uvicorn.Config:
    """The uvicorn configuration `tellers serve` runs ``app`` with (the tests and benchmark use it too)."""
    protocol = type("TimedH11", (TimedH11Protocol,), {"head_timeout": head_timeout})
    return uvicorn.Config(app, host=host, port=port, log_level=log_level, http=protocol,
                          timeout_keep_alive=KEEP_ALIVE, h11_max_incomplete_event_size=MAX_HEAD,
                          limit_concurrency=limit_concurrency, lifespan="on")


def bound_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` for uvicorn to serve on (``Server.run(sockets=...)``), bound
    before `tellers serve` says where it serves: a port in use is one line of error, not a log after it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, as getaddrinfo gives uvicorn's own sockets: asyncio sets TCP_NODELAY only on a socket
    # that says it is TCP, and without it each small answer waits ~40 ms for a delayed ACK (Nagle)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a port left in TIME_WAIT is free
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise TellersError(f"port {port} on {host} is in use; choose another with --port") from None
        raise TellersError(f"cannot listen on port {port} on {host} ({exc.strerror or exc}); "
                           "choose another with --port or --host") from None
    sock.set_inheritable(True)
    return sock


def is_loopback(host: str) -> bool:
    """True for an address or name that only this machine can reach."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def raise_open_files_limit(wanted: int = 8192) -> None:
    """Lift this process's soft limit on open files towards ``wanted`` (within the hard limit), so
    that many connections at once get a 503, not "Too many open files"."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
