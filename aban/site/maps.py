"""A bubble map of Iran in SVG from bundled coordinates (no tiles, no requests).

Provinces are placed at approximate centres (``data/places.json``), cities at
the gazetteer's coordinates (:mod:`aban.text.gazetteer`); a coarse outline of
the country gives orientation. The projection is equirectangular, scaled by the
cosine of the map's middle latitude. A bubble's area is proportional to its
count; places with no coordinates (``other``, the places no figure names) and rows
whose count is suppressed are returned to be listed beside the map.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from aban.site.i18n import Locale
from aban.site.svg import INK, Markup, f1, svg_open, text
from aban.text.gazetteer import find_city

__all__ = ["bubble_map", "place_point", "province_points"]

_WEST, _NORTH, _SOUTH, _MID = 43.5, 40.0, 24.8, 32.5
_WIDTH = 640.0
_SCALE = (_WIDTH - 20) / ((63.8 - _WEST) * math.cos(math.radians(_MID)))
_HEIGHT = (_NORTH - _SOUTH) * _SCALE + 10
_MAX_RADIUS = 26.0
_LABELLED = 10
Row = Mapping[str, Any]


@cache
def _places() -> dict[str, Any]:
    raw = resources.files("aban.site").joinpath("data/places.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


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


def bubble_map(
    rows: Sequence[Row],
    kind: str,
    total: Callable[[Row], int],
    loc: Locale,
    title: str,
    label: Callable[[str], str],
) -> tuple[Markup, list[Row]]:
    """Bubbles sized by count at each province's or city's place.

    Args:
        rows: the table's rows (``label`` the gazetteer's English name).
        kind: ``province`` or ``city``.
        total: the count a row shows.
        loc: the page's language.
        title: the map's accessible label.
        label: turns a row's label into the text shown.

    Returns:
        The SVG, and the rows with a count that could not be placed or is
        suppressed.
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
    out = [svg_open(_WIDTH, _HEIGHT, title), _outline()]
    for n, name, (lat, lon) in placed:
        x, y = _xy(lat, lon)
        r = 2.5 + (_MAX_RADIUS - 2.5) * math.sqrt(n / most)
        tip = f"{label(name)}: {loc.num(n)}"
        out.append(
            f'<circle cx="{f1(x)}" cy="{f1(y)}" r="{f1(r)}" fill="#b8483e" '
            f'fill-opacity="0.55" stroke="#7a1f1f"><title>{Markup.escape(tip)}'
            "</title></circle>"
        )
    for n, name, (lat, lon) in placed[:_LABELLED]:
        x, y = _xy(lat, lon)
        shown = f"{label(name)} {loc.num(n)}"
        out.append(text(x, y + 4, shown, "middle", INK, 11, rtl=loc.lang == "fa"))
    out.append("</svg>")
    return Markup("".join(out)), unplaced
