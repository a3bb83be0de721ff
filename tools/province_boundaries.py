"""Make ``aban/site/data/provinces.json``, the bundled province boundaries.

The boundaries are OpenStreetMap's (the 31 provinces, ``admin_level=4``,
``ISO3166-2=IR-*``), © OpenStreetMap contributors, available under the Open
Database License 1.0 (https://opendatacommons.org/licenses/odbl/1-0/). They
were read from the extract ``data/provinces/provinces.min.geojson`` of
https://github.com/hosseinhabibi2004/iran-geojson at commit 890ff6c (downloaded
there from the Overpass API). This script simplifies them with shared borders
kept shared (a topology, so that neighbouring provinces meet without gaps or
overlaps), drops islands too small to see on a 640-unit map, and rounds
coordinates to 0.01 degree (about 1 km). The result is a derived database under
the same licence (ODbL 1.0); its notice is in the file itself.

It is not part of aban and needs two packages aban does not depend on. Run it
in a virtual environment of its own::

    python -m venv /tmp/geo && /tmp/geo/bin/pip install topojson shapely
    /tmp/geo/bin/python tools/province_boundaries.py provinces.min.geojson
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import shapely
import topojson

#: OpenStreetMap's English names where the site's (aban/site/data/places.json)
#: spell them differently.
RENAME = {
    "Chaharmahal and Bakhtiyari": "Chaharmahal and Bakhtiari",
    "Kohgiluye and Buyer Ahmad": "Kohgiluyeh and Boyer-Ahmad",
}
#: Douglas-Peucker tolerance in degrees (0.03 is about 3 km, a map unit).
TOLERANCE = 0.03
#: Islands smaller than this (square degrees, about 100 km²) are dropped.
MIN_AREA = 0.01
OUT = Path(__file__).parent.parent / "aban/site/data/provinces.json"
NOTICE = (
    "Province boundaries of Iran, simplified for a map about 640 units wide "
    "(tools/province_boundaries.py). Source: OpenStreetMap, (c) OpenStreetMap "
    "contributors, available under the Open Database License 1.0 "
    "(https://opendatacommons.org/licenses/odbl/1-0/); this simplified file is "
    "a derived database under the same licence. Coordinates are longitude, "
    "latitude (WGS 84) rounded to 0.01 degree; borders are approximate and "
    "imply no position on any boundary."
)


def main(source: str) -> None:
    """Read ``source`` (GeoJSON), write the simplified provinces to :data:`OUT`."""
    features = json.loads(Path(source).read_text("utf-8"))["features"]
    named = [
        {
            "type": "Feature",
            "properties": {"name": RENAME.get(name, name)},
            "geometry": f["geometry"],
        }
        for f in features
        for name in [f["properties"]["name:en"]]
    ]
    topo = topojson.Topology(
        {"type": "FeatureCollection", "features": named},
        toposimplify=TOLERANCE,
        prequantize=False,
    )
    simple = json.loads(topo.to_geojson())
    provinces: dict[str, list[list[list[float]]]] = {}
    for feature in simple["features"]:
        shape = shapely.geometry.shape(feature["geometry"])
        parts = getattr(shape, "geoms", [shape])
        rings = []
        for part in sorted(parts, key=lambda p: -p.area):
            if part.area < MIN_AREA and rings:
                continue
            for ring in (part.exterior, *part.interiors):
                points = [[round(x, 2), round(y, 2)] for x, y in ring.coords[:-1]]
                kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
                if len(kept) >= 3:
                    rings.append(kept)
        provinces[feature["properties"]["name"]] = rings
    data = {"about": NOTICE, "provinces": dict(sorted(provinces.items()))}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", "utf-8")
    points = sum(len(r) for rings in provinces.values() for r in rings)
    print(f"{len(provinces)} provinces, {points} points, {OUT.stat().st_size:,} bytes")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1])
