"""Where each key of a TOML file is, so that an error can name the line.

tomllib gives no positions for a value it parsed, so the line of a key is found by
scanning the text.
"""

from __future__ import annotations

import re


class KeyLines:
    """Where each key of a TOML file is: top-level keys, and keys of each ``[[array]]`` entry."""

    _HEADER = re.compile(r"^\s*\[\[\s*([^\]\s]+)\s*\]\]")
    _TABLE = re.compile(r"^\s*\[\s*([^\]\s]+)\s*\]")
    _KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")

    def __init__(self, text: str) -> None:
        self.top: dict[str, int] = {}
        self.arrays: dict[str, list[tuple[int, dict[str, int]]]] = {}
        self.tables: dict[str, tuple[int, dict[str, int]]] = {}
        current: dict[str, int] | None = self.top
        for n, line in enumerate(text.splitlines(), start=1):
            if m := self._HEADER.match(line):
                current = {}
                self.arrays.setdefault(m.group(1), []).append((n, current))
            elif m := self._TABLE.match(line):
                current = {}
                self.tables[m.group(1)] = (n, current)
            elif m := self._KEY.match(line):
                key = next(g for g in m.groups() if g is not None)
                current.setdefault(key, n)

    def of(self, key: str | None = None, array: str | None = None, index: int = 0) -> int:
        """The line of ``key`` (top level, or in entry ``index`` of ``[[array]]``); the entry's header without a key."""
        if array is None:
            return self.top.get(key, 1) if key else 1
        entries = self.arrays.get(array, [])
        if index >= len(entries):
            return 1
        header, keys = entries[index]
        return keys.get(key, header) if key else header
