"""The Vega, Vega-Lite and Vega-Embed JavaScript, bundled offline by vl-convert.

One bundle (about 0.9 MB) serves both the HTML report, which inlines it, and the web app,
which serves it from ``/static/vega.js``: no page tellers writes loads anything from the
network. Bundling takes vl-convert a second or two, and gives the same script for the same
versions: it is kept in the cache directory (``$TELLERS_CACHE``, else the user's), named by
the versions, and bundled again only when they change or the file cannot be read.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import altair as alt

from tellers.records.paths import env_path, user_cache


def bundle_path() -> Path:
    """Where the bundle for the installed vl-convert and the Vega-Lite version Altair writes is kept."""
    try:
        version = metadata.version("vl-convert-python")
    except metadata.PackageNotFoundError:  # pragma: no cover - vl-convert is a dependency
        version = "unknown"
    folder = env_path("TELLERS_CACHE") or user_cache()
    return folder / "vega" / f"bundle-vl-convert-{version}-vega-lite-{_vl_version()}.js"


def _vl_version() -> str:
    return ".".join(alt.SCHEMA_VERSION.split(".")[:2])


@lru_cache(maxsize=1)
def javascript_bundle() -> str:
    """Vega-Embed, Vega-Lite (the version Altair writes) and Vega, as one script that sets
    ``window.vegaEmbed``, ``window.vegaLite`` and ``window.vega``: read from the cache, else
    bundled by vl-convert and kept there (a cache that cannot be written is no error)."""
    path = bundle_path()
    try:
        kept = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        kept = ""
    if "window.vegaEmbed" in kept:  # a whole bundle: a torn or foreign file is bundled again
        return kept
    import vl_convert

    bundle = vl_convert.javascript_bundle(vl_version=_vl_version())
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as f:
            temporary = f.name
            f.write(bundle)
        os.replace(temporary, path)  # whole or not at all, whoever reads it meanwhile
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return bundle


def spec_json(spec: dict) -> str:
    """A spec as JSON that is safe inside a <script> element: every ``<`` (only ever in a string)
    written ``\\u003c``, so no title can close the element or open a comment in it."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


EMBED_OPTIONS = {"actions": {"export": True, "source": False, "compiled": False, "editor": False}, "renderer": "svg"}
"""Vega-Embed options: SVG (crisp, text selectable), download buttons, no editor link."""
