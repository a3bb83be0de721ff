"""Deaths by day against the event's moments, and the 48-hour figure."""

from __future__ import annotations

import datetime as dt

import pytest

from aban.analysis import COUNTED_GRADES, Victim, by_day
from aban.event import Event, Moment
from tests.analysis.scenario import victims

D = dt.date


def killed() -> list[Victim]:
    return [v for v in victims() if v.status == "killed"]


def event() -> Event:
    return Event(
        "Synthetic protests",
        D(2019, 11, 15),
        D(2019, 11, 20),
        ("Iran",),
        (
            Moment("protests began", "protests_began", D(2019, 11, 15)),
            Moment("internet shutdown began", "shutdown_began", D(2019, 11, 16)),
            Moment("access returned", "restoration", D(2019, 11, 19), D(2019, 11, 20)),
        ),
    )


def rows(days: object) -> list[tuple[object, ...]]:
    table = days.table  # type: ignore[attr-defined]
    return [
        (r.label, *(dict(r.counts)[g] for g in COUNTED_GRADES), r.discounted)
        for r in table.rows
    ]


def test_days_with_moments() -> None:
    days = by_day(killed(), event())
    assert rows(days) == [
        ("2019-11-15", 1, 0, 0, 0, 0),
        ("2019-11-16", 2, 1, 0, 0, 1),
        ("2019-11-17", 0, 1, 1, 0, 1),
        ("2019-11-18", 0, 0, 1, 1, 0),
        ("2019-11-19", 0, 0, 0, 0, 0),
        ("2019-11-20", 0, 0, 0, 0, 0),
        ("2019-11-21", 0, 0, 1, 0, 0),
        ("unknown", 0, 0, 1, 0, 0),
    ]
    assert days.table.total.total == 10 and days.table.total.discounted == 2
    data = days.to_dict()
    marks = {r["label"]: r["moments"] for r in data["rows"] if r["moments"]}
    assert marks == {
        "2019-11-15": ["protests began"],
        "2019-11-16": ["internet shutdown began"],
        "2019-11-19": ["access returned"],
    }
    assert [r["in_event"] for r in data["rows"]] == [True] * 6 + [False, None]
    assert [m["kind"] for m in data["moments"]] == [
        "protests_began",
        "shutdown_began",
        "restoration",
    ]
    assert data["moments"][2]["until"] == "2019-11-20"


def test_within_48_hours_of_the_shutdown() -> None:
    window = by_day(killed(), event()).within_48h
    assert window is not None
    assert (window.first, window.last) == (D(2019, 11, 16), D(2019, 11, 17))
    assert dict(window.counts.counts) == {
        "confirmed": 2,
        "corroborated": 2,
        "single-source": 1,
        "contested": 0,
    }
    assert window.counts.total == 5 and window.counts.discounted == 2  # P9, P14
    assert window.dated == 9
    assert window.share == pytest.approx(5 / 9)
    data = window.to_dict()
    assert (data["from"], data["to"], data["days"]) == ("2019-11-16", "2019-11-17", 2)
    assert (data["total"], data["of_dated"]) == (5, 9)
    assert data["moment"] == "internet shutdown began"


def test_window_boundaries() -> None:
    """The shutdown day and the next are in; the day before and the third are out."""
    people = [
        Victim(f"P{i}", "confirmed", "killed", date=D(2019, 11, day))
        for i, day in enumerate((15, 16, 17, 18))
    ]
    window = by_day(people, event()).within_48h
    assert window is not None and window.counts.total == 2 and window.dated == 4


def test_no_event_frames_the_observed_dates() -> None:
    days = by_day(killed(), None)
    labels = [r.label for r in days.table.rows]
    assert labels == [
        "2019-11-15",
        "2019-11-16",
        "2019-11-17",
        "2019-11-18",
        "2019-11-19",
        "2019-11-20",
        "2019-11-21",
        "unknown",
    ]
    assert days.within_48h is None
    assert days.table.notes == ("no event defined: days are shown without moments",)
    data = days.to_dict()
    assert data["moments"] == [] and data["within_48h"] is None
    assert all(r["moments"] == [] and r["in_event"] is None for r in data["rows"])


def test_event_without_shutdown_has_no_window() -> None:
    plain = Event("e", D(2019, 11, 15), D(2019, 11, 16))
    assert by_day(killed(), plain).within_48h is None


def test_dates_outside_the_event_are_not_filled_between() -> None:
    people = [
        Victim("P1", "confirmed", "killed", date=D(2019, 11, 15)),
        Victim("P2", "confirmed", "killed", date=D(2019, 12, 30)),
    ]
    plain = Event("e", D(2019, 11, 15), D(2019, 11, 16))
    labels = [r.label for r in by_day(people, plain).table.rows]
    assert labels == ["2019-11-15", "2019-11-16", "2019-12-30", "unknown"]


def test_no_dates_at_all() -> None:
    days = by_day([Victim("P1", "confirmed", "killed")], None)
    assert [(r.label, r.total) for r in days.table.rows] == [("unknown", 1)]
