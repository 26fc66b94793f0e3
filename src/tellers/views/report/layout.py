"""Where a chart's labels go, worked out before the browser draws them.

Vega truncates a label that outruns its limit and lets labels overlap, so the charts that
place their own labels size them here: :func:`text_width` estimates a label's width (on the
wide side, with DejaVu Sans' proportions, the widest of the usual sans-serif fonts),
:func:`wrap` breaks a label into lines that fit, and :func:`spread` packs labels along a
line, each as near its wished place as the others leave room for.
"""

from __future__ import annotations

from collections.abc import Sequence

NARROW = frozenset(" .,:;'!|/ilI")
SLIGHT = frozenset("fjrt()[]-")
SIGNS = frozenset("+−–=<>")
WIDE = frozenset("mwMW—%")
BOLD = 1.1
"""How much wider a bold face runs."""


def _em(c: str) -> float:
    if c in NARROW:
        return 0.33
    if c in SLIGHT:
        return 0.43
    if c in WIDE:
        return 1.0
    if c in SIGNS:
        return 0.86
    if c.isupper():
        return 0.78
    return 0.7 if c.isdigit() else 0.66


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in pixels of ``text`` at ``size`` pixels: an estimate, on the wide side."""
    return sum(_em(c) for c in text) * size * (BOLD if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False, after: str = "") -> list[str]:
    """``text`` in lines no wider than ``width`` where its words allow (a word wider than
    ``width`` keeps a line of its own); too wide, it breaks first after ``after`` (e.g. " ·")."""
    if after and after in text and text_width(text, size, bold) > width:
        head, _, tail = text.partition(after)
        return wrap(head + after, width, size, bold) + wrap(tail, width, size, bold)
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [text]


def spread(wished: Sequence[float], widths: Sequence[float], lo: float, hi: float, gap: float) -> list[float] | None:
    """Centres for labels of ``widths`` in the order given, within [lo, hi], at least ``gap``
    apart, as near the ``wished`` centres as possible (least squares); None if they do not fit.

    The labels' left edges less the room the labels before them take must not decrease: an
    isotonic regression (pool adjacent violators), clipped to the bounds.
    """
    n = len(wished)
    before = [0.0] * n
    for i in range(1, n):
        before[i] = before[i - 1] + widths[i - 1] + gap
    need = (before[-1] + widths[-1]) if n else 0.0
    if need > hi - lo:
        return None
    target = [w - widths[i] / 2 - before[i] for i, w in enumerate(wished)]
    blocks: list[list[float]] = []  # [mean, count]
    for t in target:
        blocks.append([t, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, c2 = blocks.pop()
            m1, c1 = blocks.pop()
            blocks.append([(m1 * c1 + m2 * c2) / (c1 + c2), c1 + c2])
    shifts = [m for m, c in blocks for _ in range(int(c))]
    top = hi - need
    return [min(max(s, lo), top) + before[i] + widths[i] / 2 for i, s in enumerate(shifts)]
