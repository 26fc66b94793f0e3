"""The app's answers kept by their inputs: the house is read-only, so the same question gets
the same JSON until the data change, and only a new question is computed."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from fastapi.encoders import jsonable_encoder

from tellers.parliament.house import House


class Answers:
    """JSON documents (as bytes) by key, the ``size`` most recently used kept; a key is
    computed by one thread at a time, and the others asking for it wait for that answer."""

    def __init__(self, house: House, size: int = 256) -> None:
        self.house, self.size = house, size
        self._kept: OrderedDict[Hashable, bytes] = OrderedDict()
        self._pending: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def key(self, *inputs: Hashable) -> tuple:
        """The inputs with the identity of the house's data (a store's changes when it is written)."""
        return (self.house.version(), *inputs)

    def kept(self, key: Hashable) -> bytes | None:
        """The answer for ``key``, if kept (cheap: no computing, no database)."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        return None

    def get(self, key: Hashable, compute: Callable[[], object]) -> bytes:
        """The answer for ``key``: kept, or ``compute()`` encoded as JSON. Errors are not kept."""
        found = self.kept(key)
        if found is not None:
            return found
        with self._lock:
            turn = self._pending.setdefault(key, threading.Lock())
        with turn:
            found = self.kept(key)
            if found is not None:
                return found
            try:
                body = encode(compute())
                with self._lock:
                    self._kept[key] = body
                    while len(self._kept) > self.size:
                        self._kept.popitem(last=False)
            finally:
                with self._lock:
                    self._pending.pop(key, None)
        return body


def encode(doc: object) -> bytes:
    """``doc`` as strict JSON (no NaN or Infinity), as FastAPI would encode it."""
    return json.dumps(jsonable_encoder(doc), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
