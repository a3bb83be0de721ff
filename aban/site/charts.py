"""Charts of the report pages as inline SVG: bars by category, deaths by day, claims.

Every chart takes the published figures' tables (:mod:`aban.site.figures`) or the
claims ledger's series and returns SVG markup; bars are stacked by grade, with the
grades the publication policy shows. A suppressed row (a small count) has no bar:
a bar chart writes "fewer than N" where its count would be, the timeline marks its
day with a thin grey line. Persian charts put category labels on the right and
grow bars to the left; time runs left to right in both languages. Tooltips give
dates in the page's calendar (Solar Hijri on Persian pages), grades in its words
and counts in its digits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aban.site.i18n import Locale
from aban.site.svg import GRADE_COLOURS, GRID, MUTED, Markup, f1, rect, svg_open, text

__all__ = ["bar_chart", "count_text", "ledger_chart", "timeline_chart"]

Row = Mapping[str, Any]
_WIDTH = 640.0
_LABEL = 190.0
_LONGEST = 28
_BAR = 18.0
_GAP = 6.0
SERIES_COLOURS = {"claim": "#3b5b92", "register": "#7a1f1f", "estimate": "#c27c0e"}


def _counts(row: Row) -> Mapping[str, int]:
    """A row's counts by grade (none for a suppressed row)."""
    counts: Mapping[str, int] = row["counts"] or {}
    return counts


def _shown(row: Row, grades: Sequence[str]) -> int:
    return sum(int(_counts(row).get(g, 0)) for g in grades)


def count_text(loc: Locale, row: Row, grades: Sequence[str]) -> str:
    """A row's count as pages show it: the number, "fewer than N" for a small
    count, "not shown" for one suppressed so that a small one cannot be worked
    out (:mod:`aban.site.figures`)."""
    if row.get("fewer_than"):
        return loc.t("fewer_than", n=int(row["fewer_than"]))
    if row.get("suppressed"):
        return loc.t("not_shown")
    return loc.num(_shown(row, grades))


def _segments(
    row: Row, grades: Sequence[str], x0: float, scale: float, sign: float, loc: Locale
) -> list[str]:
    parts, at = [], x0
    for grade in grades:
        n = int(_counts(row).get(grade, 0))
        if n == 0:
            continue
        width = n * scale
        start = at if sign > 0 else at - width
        parts.append((start, width, grade, n))
        at += sign * width
    return [
        rect(s, 0, w, _BAR, GRADE_COLOURS.get(g, MUTED), _tip(loc, g, n))
        for s, w, g, n in parts
    ]


def bar_chart(
    rows: Sequence[Row],
    grades: Sequence[str],
    loc: Locale,
    title: str,
    label: Callable[[str], str],
) -> Markup:
    """Horizontal bars, one per row, stacked by grade, with the row's total.

    Args:
        rows: the table's rows (``label``, ``counts`` by grade).
        grades: the grades to stack, surest first.
        loc: the page's language.
        title: the chart's accessible label.
        label: turns a row's label into the text shown.
    """
    rtl = loc.lang == "fa"
    most = max((_shown(r, grades) for r in rows), default=0) or 1
    room = _WIDTH - _LABEL - 60.0
    scale = room / most
    height = len(rows) * (_BAR + _GAP) + _GAP
    out = [svg_open(_WIDTH, height, title)]
    for i, row in enumerate(rows):
        y = _GAP + i * (_BAR + _GAP)
        total = _shown(row, grades)
        x0 = _WIDTH - _LABEL if rtl else _LABEL
        sign = -1.0 if rtl else 1.0
        bars = "".join(_segments(row, grades, x0, scale, sign, loc))
        out.append(f'<g transform="translate(0 {f1(y)})">{bars}')
        name = label(str(row["label"]))
        if len(name) > _LONGEST:
            name = name[: _LONGEST - 1] + "…"
        label_x = _WIDTH - 4 if rtl else _LABEL - 6
        out.append(text(label_x, 13, name, "start" if rtl else "end", rtl=rtl))
        end = x0 + sign * (total * scale + 4)
        shown = count_text(loc, row, grades)
        out.append(text(end, 13, shown, "start", MUTED, rtl=rtl))
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


def _tip(loc: Locale, grade: str, n: int) -> str:
    """A bar's tooltip: its grade and count in the page's words and digits."""
    return f"{loc.label('grade', grade)}: {loc.num(n)}"


def _moment_name(moment: Mapping[str, Any], loc: Locale) -> str:
    """A key moment's words in the page's language (English without Persian)."""
    if loc.lang == "fa" and moment.get("name_fa"):
        return str(moment["name_fa"])
    return str(moment["name"])


def _day_label(iso: str, loc: Locale) -> str:
    shown = loc.date(iso)
    return " ".join(shown.split()[:2])


def _moment_marks(
    moments: Sequence[Mapping[str, Any]],
    column: Mapping[str, int],
    step: float,
    loc: Locale,
) -> list[str]:
    """Shaded spans and numbered lines for the event's key moments."""
    marks, numbers, used = [], [], Counter[float]()
    for number, moment in enumerate(moments, start=1):
        first, last = moment["date"], moment.get("until") or moment["date"]
        days = [i for d, i in column.items() if first <= d <= last]
        if not days:
            continue
        x = 40 + min(days) * step
        w = (max(days) - min(days) + 1) * step
        if moment.get("until"):
            marks.append(rect(x, 20, w, 190, "#f1e6c8", _moment_name(moment, loc)))
        else:
            marks.append(
                f'<line x1="{f1(x)}" x2="{f1(x)}" y1="20" y2="210" '
                f'stroke="#c27c0e" stroke-dasharray="4 3"/>'
            )
        shift = used[x] * 12
        used[x] += 1
        numbers.append(text(x + 3 + shift, 16, loc.num(number), fill="#c27c0e"))
    return marks + numbers


def timeline_chart(
    rows: Sequence[Row],
    moments: Sequence[Mapping[str, Any]],
    grades: Sequence[str],
    loc: Locale,
    title: str,
) -> Markup:
    """Deaths by day (stacked by grade) with the event's key moments numbered.

    Args:
        rows: the day table's dated rows (``label`` an ISO date), in date order.
        moments: the event's moments (``name``, ``date``, ``until``), numbered in
            order in the chart (the page lists them with the same numbers).
        grades: the grades to stack.
        loc: the page's language.
        title: the chart's accessible label.
    """
    step = (_WIDTH - 50) / max(len(rows), 1)
    most = max((_shown(r, grades) for r in rows), default=0) or 1
    column = {str(r["label"]): i for i, r in enumerate(rows)}
    out = [svg_open(_WIDTH, 250, title), *_moment_marks(moments, column, step, loc)]
    out.append(
        f'<line x1="40" x2="{f1(_WIDTH - 10)}" y1="210" y2="210" stroke="{GRID}"/>'
    )
    out.append(text(36, 28, loc.num(most), "end", MUTED, 10))
    out.append(text(36, 210, loc.num(0), "end", MUTED, 10))
    every = max(1, round(len(rows) / 8))
    for i, row in enumerate(rows):
        x, at = 40 + i * step, 210.0
        if row.get("suppressed"):
            tip = f"{loc.date(str(row['label']))}: {count_text(loc, row, grades)}"
            out.append(rect(x + 1, at - 2, step - 2, 2, MUTED, tip))
        for grade in grades:
            n = int(_counts(row).get(grade, 0))
            if n:
                h = n * 180 / most
                tip = f"{loc.date(str(row['label']))} · {_tip(loc, grade, n)}"
                out.append(rect(x + 1, at - h, step - 2, h, GRADE_COLOURS[grade], tip))
                at -= h
        if i % every == 0:
            out.append(
                text(
                    x + step / 2,
                    226,
                    _day_label(str(row["label"]), loc),
                    "middle",
                    MUTED,
                    10,
                )
            )
    out.append("</svg>")
    return Markup("".join(out))


def _ledger_column(
    x: float, point: Row, colour: str, y_of: Callable[[float], float]
) -> list[str]:
    low = point.get("low") if point.get("low") is not None else point.get("value")
    high = point.get("high")
    parts = []
    top = y_of(float(high)) if high is not None else 22.0
    if low is not None and (high is None or high != low):
        dash = "" if high is not None else ' stroke-dasharray="3 3"'
        parts.append(
            f'<line x1="{f1(x)}" x2="{f1(x)}" y1="{f1(y_of(float(low)))}" '
            f'y2="{f1(top)}" stroke="{colour}" stroke-width="4"{dash}/>'
        )
    value = point.get("value") if point.get("value") is not None else low
    if value is not None:
        parts.append(
            f'<circle cx="{f1(x)}" cy="{f1(y_of(float(value)))}" r="5" '
            f'fill="{colour}"/>'
        )
    return parts


def ledger_chart(
    columns: Sequence[Mapping[str, Any]], loc: Locale, title: str
) -> Markup:
    """The claims ledger: each claim, register count and estimate as a column.

    Columns are in the order given (date order: not to scale in time, as the
    claims span years) and numbered from 1 under the chart, as the page lists
    them. A dot is a single figure, a bar a range, a dashed bar an open upper
    end ("at least").

    Args:
        columns: dicts with ``kind`` (claim, register, estimate) and ``point``
            (a ledger series point: ``value``, ``low``, ``high``).
        loc: the page's language.
        title: the chart's accessible label.
    """
    points = [c["point"] for c in columns]
    top = max(
        (float(p.get(k) or 0) for p in points for k in ("high", "value", "low")),
        default=1.0,
    )
    top = max(top, 1.0)
    most = top * 1.08
    step = (_WIDTH - 60) / max(len(columns), 1)

    def y_of(value: float) -> float:
        return 230 - value * 200 / most

    out = [svg_open(_WIDTH, 262, title)]
    for tick in (0.0, top / 2, top):
        y = y_of(tick)
        out.append(
            f'<line x1="50" x2="{f1(_WIDTH - 6)}" y1="{f1(y)}" '
            f'y2="{f1(y)}" stroke="{GRID}"/>'
        )
        out.append(text(46, y + 4, loc.num(round(tick)), "end", MUTED, 10))
    for i, column in enumerate(columns, start=1):
        x = 50 + (i - 0.5) * step
        colour = SERIES_COLOURS.get(str(column["kind"]), MUTED)
        out += _ledger_column(x, column["point"], colour, y_of)
        out.append(text(x, 248, loc.num(i), "middle", colour, 11))
    out.append("</svg>")
    return Markup("".join(out))
