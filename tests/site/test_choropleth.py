"""The province choropleth (issue 17): bundled boundaries, classes, suppression."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import pytest

from aban.site.i18n import Locale
from aban.site.maps import SHADES, choropleth_map, province_points, shade_classes
from aban.text.gazetteer import PROVINCES


def _boundaries() -> dict[str, Any]:
    raw = resources.files("aban.site").joinpath("data/provinces.json").read_text()
    data: dict[str, Any] = json.loads(raw)
    return data


def _inside(lon: float, lat: float, rings: list[list[list[float]]]) -> bool:
    """Even-odd rule: a point is inside when a ray crosses the rings oddly."""
    crossings = 0
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > lat) != (y1 > lat):
                at = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
                crossings += at > lon
    return crossings % 2 == 1


def test_the_boundaries_are_the_gazetteers_provinces_with_their_licence() -> None:
    data = _boundaries()
    assert sorted(data["provinces"]) == sorted(p.name_en for p in PROVINCES)
    assert "OpenStreetMap" in data["about"] and "Open Database License" in data["about"]
    for name, rings in data["provinces"].items():
        assert rings and all(len(r) >= 3 for r in rings), name
        assert all(43 < x < 64 and 24 < y < 40.5 for r in rings for x, y in r), name


def test_each_provinces_centre_lies_in_its_own_boundary_and_no_other() -> None:
    # A wrong name mapping (or a simplification that moved a border past a
    # capital) puts a centre in a neighbour: each must fall in exactly its own.
    rings = _boundaries()["provinces"]
    for name, (lat, lon) in province_points().items():
        holders = [p for p, r in rings.items() if _inside(lon, lat, r)]
        assert holders == [name]


def test_classes_are_round_numbers_holding_the_counts() -> None:
    assert shade_classes([]) == []
    assert shade_classes([7]) == [5]
    bounds = shade_classes([2, 3, 8, 12, 15, 40, 69, 70, 164, 280])
    assert bounds == sorted(set(bounds)) and len(bounds) <= len(SHADES)
    assert bounds[0] == 2 and all(b in (1, 2, 5, 10, 20, 50, 100, 200) for b in bounds)


def _fills(svg: str) -> dict[str, str]:
    """Each province's fill, by its tooltip's place name."""
    found = re.findall(r'fill="(#[0-9a-f]{6})"[^>]*><title>([^<:]+):', svg)
    return {name: fill for fill, name in found}


ROWS = [
    {"label": "Tehran", "counts": {"confirmed": 280}},
    {"label": "Khuzestan", "counts": {"confirmed": 164}},
    {"label": "Fars", "counts": {"confirmed": 76, "contested": 3}},
    {"label": "Kerman", "counts": {"confirmed": 37}},
    {"label": "Gilan", "counts": {"confirmed": 8}},
    {"label": "Ilam", "counts": {"confirmed": 3}, "suppressed": True},
    {"label": "Qom", "counts": {}, "fewer_than": 5},
    {"label": "other", "counts": {"confirmed": 9}},
    {"label": "unknown", "counts": {"confirmed": 4}},
]


def _confirmed(row: Any) -> int:
    return int(row["counts"].get("confirmed", 0))


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_provinces_are_shaded_darker_with_more_and_hidden_when_suppressed(
    lang: str,
) -> None:
    svg = str(choropleth_map(ROWS, _confirmed, Locale(lang), "map", str))
    fills = _fills(svg)
    assert len(fills) == len(PROVINCES)
    order = ["Gilan", "Kerman", "Fars", "Khuzestan", "Tehran"]
    shades = [SHADES.index(fills[p]) for p in order]
    assert shades == sorted(shades) and shades[0] < shades[-1]
    # Suppressed and "fewer than" rows show no class (a class would be a range).
    assert fills["Ilam"] == fills["Qom"] == "#c8c8c8"
    assert fills["Yazd"] == "#f4f1ea"
    loc = Locale(lang)
    assert f"Ilam: {loc.t('not_shown')}" in svg
    assert f"Tehran: {loc.num(280)}" in svg and f"Ilam: {loc.num(3)}" not in svg
    # Focusable: the shaded and the hidden; the unshaded are not.
    focusable = re.findall(
        r'<path class="province" tabindex="0" role="img" aria-label="([^"]+)"', svg
    )
    assert len(focusable) == 7 and focusable[0] == f"Tehran: {loc.num(280)}"
    assert svg.count('class="map-legend"') == 1
    assert choropleth_map(ROWS, _confirmed, Locale(lang), "map", str) == svg


def test_a_choropleth_of_no_counts_is_all_unshaded() -> None:
    svg = str(choropleth_map([], _confirmed, Locale("en"), "map", str))
    assert set(_fills(svg).values()) == {"#f4f1ea"} and "tabindex" not in svg
