"""Charts, the map's coordinates and the two languages' messages."""

from __future__ import annotations

import string

from aban.site.charts import bar_chart, ledger_chart, timeline_chart
from aban.site.i18n import Locale
from aban.site.maps import (
    LABEL_SETS,
    _xy,
    bubble_map,
    place_labels,
    place_point,
    province_points,
)
from aban.site.messages import LABELS, MESSAGES
from aban.text.gazetteer import PROVINCES

ROWS = [
    {"label": "Tehran", "counts": {"confirmed": 3, "single-source": 1}},
    {"label": "Atlantis", "counts": {"confirmed": 2}},
    {"label": "unknown", "counts": {"confirmed": 0}},
]


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_in_both_languages_with_the_same_fields() -> None:
    for key, (en, fa) in MESSAGES.items():
        assert en.strip() and fa.strip(), key
        assert _fields(en) == _fields(fa), key
    for kind, labels in LABELS.items():
        assert all(en and fa for en, fa in labels.values()), kind


def test_every_province_has_a_place_on_the_map() -> None:
    points = province_points()
    assert sorted(points) == sorted(p.name_en for p in PROVINCES)
    assert all(25 < lat < 40 and 44 < lon < 64 for lat, lon in points.values())
    assert place_point("Ahvaz", "city") == place_point("اهواز", "city")
    assert place_point("Atlantis", "city") is None


def test_bubbles_for_known_places_and_the_rest_listed() -> None:
    svg, unplaced = bubble_map(
        ROWS, "city", lambda r: sum(r["counts"].values()), Locale("fa"), "map", str
    )
    assert svg.count("<circle") == 1 and "<polygon" in svg
    assert "Tehran ۴" in svg and 'direction="rtl"' in svg
    assert [r["label"] for r in unplaced] == ["Atlantis"]
    again, _ = bubble_map(
        ROWS, "city", lambda r: sum(r["counts"].values()), Locale("fa"), "map", str
    )
    assert again == svg


# Cities around Tehran, close enough on the map for their labels to collide.
CROWDED = [
    {"label": name, "counts": {"confirmed": n}}
    for n, name in enumerate(
        (
            "Tehran Karaj Eslamshahr Shahriar Qods Malard Pakdasht Varamin "
            "Nasimshahr Andisheh Fardis Kamalshahr Qom Isfahan Shiraz Ahvaz"
        ).split(),
        start=3,
    )
]


def _total(row: dict[str, object]) -> int:
    return sum(row["counts"].values())  # type: ignore[attr-defined]


def test_map_labels_never_overlap_at_either_size() -> None:
    """Issue 17: around Tehran the labels overlapped into illegibility."""
    svg, _ = bubble_map(CROWDED, "city", _total, Locale("en"), "map", str)
    for kind, size, most in LABEL_SETS:
        assert f'class="map-labels-{kind}"' in svg
        bubbles = []
        for row in sorted(CROWDED, key=lambda r: -_total(r)):
            point = place_point(str(row["label"]), "city")
            assert point is not None
            x, y = _xy(*point)
            bubbles.append((str(row["label"]), x, y, 5.0))
        boxes = [box for _, box in place_labels(bubbles, size, most)]
        assert 0 < len(boxes) <= most
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    # Labels on the map itself: no two of one set overlap either.
    assert svg.count("<text") <= sum(most for _, _, most in LABEL_SETS)


def test_every_bubble_is_focusable_with_its_name_and_count() -> None:
    svg, _ = bubble_map(CROWDED, "city", _total, Locale("fa"), "map", str)
    assert svg.count('tabindex="0"') == svg.count("<circle") == len(CROWDED)
    assert 'aria-label="Ahvaz: ۱۸"' in svg and 'role="group"' in svg
    assert svg.count("<li>") == len(CROWDED)  # the list beside the map
    assert str(svg).split("<ol>")[1].startswith("<li>Ahvaz: ۱۸</li>")  # largest


def test_bars_are_mirrored_in_persian() -> None:
    grades = ["confirmed", "single-source"]
    en = bar_chart(ROWS[:2], grades, Locale("en"), "t", str)
    fa = bar_chart(ROWS[:2], grades, Locale("fa"), "t", str)
    assert en.count("<rect") == fa.count("<rect") == 3
    assert '<text x="184" y="13" text-anchor="end"' in en
    assert 'text-anchor="start" fill="#222222" direction="rtl">Tehran' in fa
    assert "<title>confirmed: 3</title>" in en and ">۴</text>" in fa


def test_timeline_and_ledger_charts() -> None:
    days = [
        {"label": f"2019-11-{d}", "counts": {"confirmed": d - 14}} for d in (15, 16, 17)
    ]
    moments = [
        {"name": "shutdown", "date": "2019-11-16", "until": None},
        {"name": "return", "date": "2019-11-16", "until": "2019-11-17"},
    ]
    svg = timeline_chart(days, moments, ["confirmed"], Locale("en"), "days")
    assert svg.count('stroke-dasharray="4 3"') == 1
    assert "<title>return</title>" in svg and ">2</text>" in svg
    columns = [
        {"kind": "claim", "point": {"value": None, "low": 100, "high": None}},
        {"kind": "register", "point": {"value": 70, "low": 70, "high": 90}},
    ]
    ledger = ledger_chart(columns, Locale("en"), "ledger")
    assert ledger.count("<circle") == 2 and 'stroke-dasharray="3 3"' in ledger
