"""What stands between a request and the app: body size and time, the token, and errors
worded without the input they refuse or the files the data come from."""

from __future__ import annotations

import hmac
import json
from pathlib import Path

import anyio
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from tellers.parliament.house import CaseHouse, House, StoreHouse

MAX_BODY = 64 * 1024
"""Largest request body accepted, in bytes (a scenario is a few hundred bytes)."""

BODY_TIMEOUT = 10.0
"""Seconds a client has to send a request's body once its head has arrived."""

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]", "testserver")
"""Host names the app answers by default: this machine's (and the test client's). Any other
``Host:`` gets 400, so a web page elsewhere cannot reach the app by DNS rebinding."""


async def _send_json(send, status: int, detail: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, whether or not they declare their
    length, and bodies not sent within ``timeout`` seconds with 408.

    The body is read (up to the limit) before the app sees the request, then replayed."""

    def __init__(self, app, limit: int = MAX_BODY, timeout: float = BODY_TIMEOUT) -> None:
        self.app, self.limit, self.timeout = app, limit, timeout

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await self._too_large(send)
        chunks, size = [], 0
        with anyio.move_on_after(self.timeout) as timer:
            while True:
                message = await receive()
                if message["type"] != "http.request":  # the client went away
                    return None
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.limit:
                    return await self._too_large(send)
                if not message.get("more_body", False):
                    break
        if timer.cancelled_caught:
            return await _send_json(send, 408, f"request body not received within {self.timeout:g} s",
                                    ((b"connection", b"close"),))
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send) -> None:
        await _send_json(send, 413, f"request body too large: at most {self.limit:,} bytes")


class TokenGuard:
    """Every ``/api/`` request must carry ``Authorization: Bearer TOKEN``, else 401.

    The page and its static files hold no data and need none: the page reads the token from
    its address's fragment (``/#token=TOKEN``, which browsers never send to a server)."""

    def __init__(self, app, token: str) -> None:
        self.app, self.expected = app, f"Bearer {token}".encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                return await _send_json(send, 401, "this app needs its token: open the address `tellers serve` printed "
                                        "(…/#token=…), or send the header Authorization: Bearer TOKEN",
                                        ((b"www-authenticate", b"Bearer"),))
        return await self.app(scope, receive, send)


# --------------------------------------------------------------------------- errors, worded safely


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 naming each field that is wrong and why, never echoing the input (which may be
    ``Infinity`` or ``NaN``, which JSON cannot carry, or merely large)."""
    detail = [{"loc": [part if isinstance(part, (str, int)) else str(part) for part in e.get("loc", ())],
               "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in exc.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


def hidden_paths(house: House) -> dict[str, str]:
    """Each filesystem path the house's words may name, mapped to its last part (longest first)."""
    paths: list[Path] = []
    if isinstance(house, StoreHouse):
        paths.append(house.path)
    if isinstance(house, CaseHouse):
        paths += [Path(r.source) for r in house.case.records or ()]
    names: dict[str, str] = {}
    for path in paths:
        for p in (path, path.absolute(), path.resolve()):
            for q in (p, *p.parents):
                if q.name and len(q.parts) > 1:
                    names[str(q)] = q.name
    return dict(sorted(names.items(), key=lambda kv: -len(kv[0])))


def without_paths(text: str, paths: dict[str, str]) -> str:
    """``text`` with each of ``paths`` replaced by its last part."""
    for path, name in paths.items():
        if path in text:
            text = text.replace(path, name)
    return text


# --------------------------------------------------------------------------- the status codes, for the schema


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}}}}


COMMON = {
    400: {"description": "A `Host:` this app does not answer (plain text), or a request it cannot answer: "
          "an unknown option, a bad stance, a database it cannot read",
          "content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {"type": "string"}}}},
                      "text/plain": {"schema": {"type": "string"}}}},
    401: _error("The app was started with --token and the request does not carry it"),
    503: {"description": "Busy: the database is being written (a `tellers import`) for longer than a read waits, "
          "or the server is at its --limit-concurrency (plain text)",
          "content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {"type": "string"}}}},
                      "text/plain": {"schema": {"type": "string"}}}},
}
"""Status codes any /api/ request can get."""

NOT_FOUND = {404: _error("No division with that id")}
BODY = {413: _error(f"Request body over {MAX_BODY:,} bytes"),
        408: _error(f"Request body not received within {BODY_TIMEOUT:g} s")}
