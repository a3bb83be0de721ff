"""Maps of Iran in SVG from bundled data (no tiles, no requests).

A bubble map: provinces are placed at approximate centres (``data/places.json``),
cities at the gazetteer's coordinates (:mod:`aban.text.gazetteer`); a coarse
outline of the country gives orientation. A choropleth of provinces: each
province shaded by its count in a few classes, from the bundled simplified
boundaries (``data/provinces.json``: OpenStreetMap's, under the Open Database
License; ``tools/province_boundaries.py`` made it). The projection is
equirectangular, scaled by the cosine of the map's middle latitude. A bubble's
area is proportional to its count; each bubble and each shaded province is
focusable and named (place and count) for keyboards and screen readers, labels
are placed without overlap, and a list of the places follows the map; places
with no coordinates (``other``, the places no figure names) and rows whose
count is suppressed are returned to be listed beside it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from aban.site.i18n import Locale
from aban.site.svg import INK, Markup, f1
from aban.text.gazetteer import find_city

__all__ = [
    "LABEL_SETS",
    "bubble_map",
    "choropleth_map",
    "place_labels",
    "place_point",
    "province_points",
    "shade_classes",
]

_WEST, _NORTH, _SOUTH, _MID = 43.5, 40.0, 24.8, 32.5
_WIDTH = 640.0
_SCALE = (_WIDTH - 20) / ((63.8 - _WEST) * math.cos(math.radians(_MID)))
_HEIGHT = (_NORTH - _SOUTH) * _SCALE + 10
_MAX_RADIUS = 26.0
Row = Mapping[str, Any]


@cache
def _places() -> dict[str, Any]:
    raw = resources.files("aban.site").joinpath("data/places.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@cache
def _boundaries() -> dict[str, list[list[list[float]]]]:
    data = resources.files("aban.site").joinpath("data/provinces.json")
    provinces: dict[str, list[list[list[float]]]] = json.loads(data.read_text("utf-8"))[
        "provinces"
    ]
    return provinces


def province_points() -> dict[str, tuple[float, float]]:
    """Each province's approximate centre, ``(latitude, longitude)`` by name."""
    return {k: (v[0], v[1]) for k, v in _places()["provinces"].items()}


def place_point(label: str, kind: str) -> tuple[float, float] | None:
    """Where a province or city table row goes on the map, or None if unknown."""
    if kind == "province":
        return province_points().get(label)
    city = find_city(label)
    return None if city is None else (city.lat, city.lon)


def _xy(lat: float, lon: float) -> tuple[float, float]:
    x = 10 + (lon - _WEST) * math.cos(math.radians(_MID)) * _SCALE
    return x, 5 + (_NORTH - lat) * _SCALE


def _outline() -> str:
    points = " ".join(
        f"{f1(x)},{f1(y)}"
        for x, y in (_xy(lat, lon) for lon, lat in _places()["outline"])
    )
    return f'<polygon points="{points}" fill="#f4f1ea" stroke="#b9b2a3"/>'


#: Label sizes (in the map's units, 640 wide) and how many labels at most: the
#: wide set for screens where the map is shown 600 px wide or more, the narrow set
#: (larger letters, fewer labels) for phones, where the map is about 360 px wide.
#: CSS shows one set (site.css, ``.map-labels-*``).
LABEL_SETS = (("wide", 14.0, 14), ("narrow", 24.0, 6))
_GAP = 2.0
Box = tuple[float, float, float, float]


def _text_width(shown: str, size: float) -> float:
    """A generous estimate of a label's width: Persian letters are narrower."""
    latin = sum(1 for c in shown if c.isascii())
    return (0.6 * latin + 0.5 * (len(shown) - latin)) * size


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _candidates(x: float, y: float, r: float, w: float, size: float) -> list[Box]:
    """Where a label may go, in order: right, left, above, below the bubble."""
    half = size * 0.4
    return [
        (x + r + _GAP, y - half - size / 2, x + r + _GAP + w, y + half),
        (x - r - _GAP - w, y - half - size / 2, x - r - _GAP, y + half),
        (x - w / 2, y - r - _GAP - size, x + w / 2, y - r - _GAP),
        (x - w / 2, y + r + _GAP, x + w / 2, y + r + _GAP + size),
    ]


def place_labels(
    bubbles: Sequence[tuple[str, float, float, float]], size: float, most: int
) -> list[tuple[str, Box]]:
    """Greedy label placement without overlap, largest bubble first.

    Each bubble ``(text, x, y, radius)`` gets the first of four places around it
    (right, left, above, below) that stays on the map and meets no label placed
    before it; a bubble with no free place gets no label (it keeps its name on
    the bubble and in the list beside the map). At most ``most`` labels.

    Returns:
        ``(text, box)`` of each placed label, box ``(x0, y0, x1, y1)``.
    """
    placed: list[tuple[str, Box]] = []
    for shown, x, y, r in bubbles:
        if len(placed) >= most:
            break
        width = _text_width(shown, size)
        for box in _candidates(x, y, r, width, size):
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= _WIDTH
            if (
                inside
                and box[3] <= _HEIGHT
                and not any(_overlaps(box, other) for _, other in placed)
            ):
                placed.append((shown, box))
                break
    return placed


def _labels(
    kind: str,
    bubbles: Sequence[tuple[str, float, float, float]],
    size: float,
    most: int,
    rtl: bool,
) -> str:
    direction = ' direction="rtl"' if rtl else ""
    out = [
        f'<g class="map-labels-{kind}" aria-hidden="true" font-size="{f1(size)}"'
        f"{direction}>"
    ]
    for shown, (x0, y0, x1, _) in place_labels(bubbles, size, most):
        out.append(
            f'<text x="{f1((x0 + x1) / 2)}" y="{f1(y0 + size * 0.85)}" '
            f'text-anchor="middle" fill="{INK}" stroke="#ffffff" stroke-width="3" '
            f'paint-order="stroke">{Markup.escape(shown)}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _list(items: Sequence[str], title: str) -> str:
    """The places on the map as a list, for readers who cannot see it."""
    rows = "".join(f"<li>{Markup.escape(item)}</li>" for item in items)
    return (
        f'<details class="map-list"><summary>{Markup.escape(title)}</summary>'
        f"<ol>{rows}</ol></details>"
    )


def bubble_map(
    rows: Sequence[Row],
    kind: str,
    total: Callable[[Row], int],
    loc: Locale,
    title: str,
    label: Callable[[str], str],
) -> tuple[Markup, list[Row]]:
    """Bubbles sized by count at each province's or city's place.

    Every bubble is focusable, with its place and count as its accessible name;
    the largest places are labelled without overlap (:func:`place_labels`, one
    set for wide screens and one for phones), and every place on the map is
    listed under it with its count.

    Args:
        rows: the table's rows (``label`` the gazetteer's English name).
        kind: ``province`` or ``city``.
        total: the count a row shows.
        loc: the page's language.
        title: the map's accessible label.
        label: turns a row's label into the text shown.

    Returns:
        The SVG and the list of its places, and the rows with a count that could
        not be placed or is suppressed.
    """
    placed, unplaced = [], []
    for row in rows:
        if row.get("suppressed"):
            unplaced.append(row)
            continue
        n = total(row)
        point = place_point(str(row["label"]), kind)
        if n and point is not None:
            placed.append((n, str(row["label"]), point))
        elif n:
            unplaced.append(row)
    placed.sort(key=lambda p: (-p[0], p[1]))
    most = placed[0][0] if placed else 1
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="group" '
        f'viewBox="0 0 {f1(_WIDTH)} {f1(_HEIGHT)}" '
        f'aria-label="{Markup.escape(title)}" font-size="12">',
        _outline(),
    ]
    bubbles, items = [], []
    for n, name, (lat, lon) in placed:
        x, y = _xy(lat, lon)
        r = 2.5 + (_MAX_RADIUS - 2.5) * math.sqrt(n / most)
        tip = f"{label(name)}: {loc.num(n)}"
        items.append(tip)
        bubbles.append((f"{label(name)} {loc.num(n)}", x, y, r))
        out.append(
            f'<circle class="bubble" tabindex="0" role="img" '
            f'aria-label="{Markup.escape(tip)}" cx="{f1(x)}" cy="{f1(y)}" '
            f'r="{f1(r)}" fill="#b8483e" fill-opacity="0.55" stroke="#7a1f1f">'
            f"<title>{Markup.escape(tip)}</title></circle>"
        )
    rtl = loc.lang == "fa"
    out += [_labels(k, bubbles, size, cap, rtl) for k, size, cap in LABEL_SETS]
    out.append("</svg>")
    listed = _list(items, loc.t("map_list", title=title)) if items else ""
    return Markup("".join(out) + listed), unplaced


#: Shades of the choropleth's classes, light to dark (ColorBrewer's sequential
#: "Reds", 5 classes): more persons, darker.
SHADES = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
_NONE_FILL, _HIDDEN_FILL, _BORDER = "#f4f1ea", "#c8c8c8", "#ffffff"
_LADDER: tuple[int, ...] = tuple(m * 10**e for e in range(7) for m in (1, 2, 5))


def shade_classes(counts: Sequence[int]) -> list[int]:
    """The lower bounds of the choropleth's classes for these counts.

    At most five classes, on round numbers (1, 2, 5, 10, 20, 50, ...): the
    first starts at the smallest count rounded down to one, the others at the
    counts' quintiles rounded down, so that each class holds some places.

    Returns:
        Increasing lower bounds, the first the smallest; empty for no counts.
    """
    shown = sorted(n for n in counts if n > 0)
    if not shown:
        return []

    def down(n: int) -> int:
        return max(v for v in _LADDER if v <= n)

    bounds = {down(shown[0])}
    for q in (0.2, 0.4, 0.6, 0.8):
        bounds.add(down(shown[min(len(shown) - 1, int(q * len(shown)))]))
    return sorted(bounds)[-len(SHADES) :]


def _shade(n: int, bounds: Sequence[int]) -> str:
    """The shade of count ``n``: its class's, the classes spread over the shades."""
    at = max((i for i, b in enumerate(bounds) if b <= n), default=0)
    if len(bounds) == 1:
        return SHADES[len(SHADES) // 2]
    return SHADES[round(at * (len(SHADES) - 1) / (len(bounds) - 1))]


def _path(rings: Sequence[Sequence[Sequence[float]]]) -> str:
    parts = []
    for ring in rings:
        points = [_xy(lat, lon) for lon, lat in ring]
        parts.append("M" + "L".join(f"{f1(x)} {f1(y)}" for x, y in points) + "Z")
    return "".join(parts)


def _legend(bounds: Sequence[int], loc: Locale, hidden: bool) -> str:
    """The classes as a list under the map: a swatch and its range each, then
    the unshaded and the not shown (HTML, so that it reads at any width)."""
    items: list[tuple[str, str]] = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] - 1 if i + 1 < len(bounds) else None
        if high is None:
            shown = loc.t("shade_more", n=loc.num(low))
        elif high == low:
            shown = loc.num(low)
        else:
            shown = loc.t("shade_range", low=loc.num(low), high=loc.num(high))
        items.append((_shade(low, bounds), shown))
    items.append((_NONE_FILL, loc.t("shade_none")))
    if hidden:
        items.append((_HIDDEN_FILL, loc.t("not_shown")))
    rows = "".join(
        f'<li><svg class="swatch" viewBox="0 0 16 14" aria-hidden="true">'
        f'<rect width="16" height="14" fill="{fill}" stroke="#8a8a8a" '
        f'stroke-width="1"/></svg>{Markup.escape(shown)}</li>'
        for fill, shown in items
    )
    return f'<ul class="map-legend">{rows}</ul>'


def choropleth_map(
    rows: Sequence[Row],
    total: Callable[[Row], int],
    loc: Locale,
    title: str,
    label: Callable[[str], str],
) -> Markup:
    """Provinces shaded by their counts, in at most five classes.

    A province's shade says its class (the legend gives each class's range);
    every shaded province is focusable with its name and count as its
    accessible name and tooltip, the largest are labelled without overlap
    (:func:`place_labels`), and the provinces are listed under the map. A
    province with no row is unshaded ("none, or counted under other places":
    small places are merged there); a suppressed row is grey, "not shown", so
    that no class gives away a count the tables withhold.

    Args:
        rows: the province table's rows (``label`` the gazetteer's English name).
        total: the count a row shows.
        loc: the page's language.
        title: the map's accessible label.
        label: turns a row's label into the text shown.
    """
    boundaries = _boundaries()
    counts: dict[str, int] = {}
    hidden: set[str] = set()
    for row in rows:
        name = str(row["label"])
        if name not in boundaries:
            continue
        if row.get("suppressed") or row.get("fewer_than"):
            hidden.add(name)
        elif total(row):
            counts[name] = total(row)
    bounds = shade_classes(list(counts.values()))
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart choropleth" '
        f'role="group" viewBox="0 0 {f1(_WIDTH)} {f1(_HEIGHT)}" '
        f'aria-label="{Markup.escape(title)}" font-size="12">'
    ]
    order = sorted(boundaries, key=lambda p: (-counts.get(p, 0), p))
    items, labelled = [], []
    centres = province_points()
    for name in order:
        n = counts.get(name)
        if n:
            fill, tip = _shade(n, bounds), f"{label(name)}: {loc.num(n)}"
            items.append(tip)
            if name in centres:
                x, y = _xy(*centres[name])
                labelled.append((f"{label(name)} {loc.num(n)}", x, y, 0.0))
        elif name in hidden:
            fill, tip = _HIDDEN_FILL, f"{label(name)}: {loc.t('not_shown')}"
            items.append(tip)
        else:
            fill, tip = _NONE_FILL, f"{label(name)}: {loc.t('shade_none')}"
        focus = ' tabindex="0" role="img"' if n or name in hidden else ""
        aria = f' aria-label="{Markup.escape(tip)}"' if focus else ""
        out.append(
            f'<path class="province"{focus}{aria} d="{_path(boundaries[name])}" '
            f'fill="{fill}" fill-rule="evenodd" stroke="{_BORDER}" '
            f'stroke-width="1"><title>{Markup.escape(tip)}</title></path>'
        )
    rtl = loc.lang == "fa"
    out += [_labels(k, labelled, size, cap, rtl) for k, size, cap in LABEL_SETS]
    out.append("</svg>")
    out.append(_legend(bounds, loc, bool(hidden)))
    listed = _list(items, loc.t("map_list", title=title)) if items else ""
    return Markup("".join(out) + listed)
