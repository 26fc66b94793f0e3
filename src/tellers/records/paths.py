"""Where tellers keeps its files: a path an environment variable names, else the user's directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP = "tellers"


def env_path(name: str) -> Path | None:
    """The path ``$name`` gives (``~`` expanded), or None if it is unset or empty."""
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def user_cache() -> Path:
    """The user's cache directory for tellers (``$XDG_CACHE_HOME/tellers`` on Linux)."""
    return Path(user_cache_dir(APP, appauthor=False))


def user_data() -> Path:
    """The user's data directory for tellers (``$XDG_DATA_HOME/tellers`` on Linux)."""
    return Path(user_data_dir(APP, appauthor=False))
