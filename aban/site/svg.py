"""Small helpers to write SVG by hand: escaped text, fixed number formats, colours.

Charts are plain inline SVG (no script, no request to any other host), written
with fixed decimals so the same figures always give the same bytes.
"""

from __future__ import annotations

from markupsafe import Markup, escape

__all__ = ["GRADE_COLOURS", "Markup", "f1", "rect", "svg_open", "text"]

#: Fill colour of each grade's part of a bar (dark to light: surer to less sure).
GRADE_COLOURS = {
    "confirmed": "#7a1f1f",
    "corroborated": "#b8483e",
    "single-source": "#e3a08f",
    "contested": "#9a9a9a",
}
INK = "#222222"
MUTED = "#6b6b6b"
GRID = "#dddddd"


def f1(value: float) -> str:
    """A coordinate with one decimal, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def svg_open(width: float, height: float, label: str, rtl: bool = False) -> str:
    """The opening tag of a chart: scalable, with an accessible label."""
    direction = ' direction="rtl"' if rtl else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {f1(width)} {f1(height)}" aria-label="{escape(label)}"'
        f'{direction} font-size="12">'
    )


def rect(x: float, y: float, w: float, h: float, fill: str, title: str = "") -> str:
    """A filled rectangle, with a tooltip when ``title`` is given."""
    body = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<rect x="{f1(x)}" y="{f1(y)}" width="{f1(max(w, 0.0))}" '
        f'height="{f1(max(h, 0.0))}" fill="{fill}">{body}</rect>'
    )


def text(
    x: float,
    y: float,
    content: str,
    anchor: str = "start",
    fill: str = INK,
    size: int | None = None,
    rtl: bool = False,
) -> str:
    """A text element (escaped); ``rtl`` lays it out right to left."""
    extra = f' font-size="{size}"' if size else ""
    extra += ' direction="rtl"' if rtl else ""
    return (
        f'<text x="{f1(x)}" y="{f1(y)}" text-anchor="{anchor}" fill="{fill}"'
        f"{extra}>{escape(content)}</text>"
    )
