"""The Vega, Vega-Lite and Vega-Embed JavaScript, bundled offline by vl-convert.

One bundle (about 0.9 MB) serves both the HTML report, which inlines it, and the web app,
which serves it from ``/static/vega.js``: no page tellers writes loads anything from the
network.
"""

from __future__ import annotations

import json
from functools import lru_cache

import altair as alt


@lru_cache(maxsize=1)
def javascript_bundle() -> str:
    """Vega-Embed, Vega-Lite (the version Altair writes) and Vega, as one script that sets
    ``window.vegaEmbed``, ``window.vegaLite`` and ``window.vega``."""
    import vl_convert

    return vl_convert.javascript_bundle(vl_version=".".join(alt.SCHEMA_VERSION.split(".")[:2]))


def spec_json(spec: dict) -> str:
    """A spec as JSON that is safe inside a <script> element: every ``<`` (only ever in a string)
    written ``\\u003c``, so no title can close the element or open a comment in it."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


EMBED_OPTIONS = {"actions": {"export": True, "source": False, "compiled": False, "editor": False}, "renderer": "svg"}
"""Vega-Embed options: SVG (crisp, text selectable), download buttons, no editor link."""
