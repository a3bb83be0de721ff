"""Deaths by day against the event's key moments.

Dates of death are whole days, so a window of hours is counted in whole days.
*Within 48 hours of the shutdown* means a date of death on the day the first
``shutdown_began`` moment happened or on the next day: the two calendar days that
start with the shutdown (for the model case 16 and 17 November 2019). A death
dated the day after those is outside the window, even if it fell within 48 hours
of the shutdown's hour; a death on the shutdown day before its hour is inside.
The share's denominator is the counted persons with a known date of death.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aban.analysis.tables import (
    UNKNOWN,
    Breakdown,
    Row,
    count_row,
    grades_of,
    tabulate,
)
from aban.analysis.victims import Victim
from aban.event import Event, Moment

#: Calendar days in the 48-hour window: the shutdown day and the next.
WINDOW_DAYS = 2


def _days(first: dt.date, last: dt.date) -> list[str]:
    return [
        (first + dt.timedelta(days=i)).isoformat()
        for i in range((last - first).days + 1)
    ]


def frame(
    victims: Sequence[Victim], event: Event | None
) -> tuple[dt.date, dt.date] | None:
    """The days every one of which gets a row: the event's dates, else the span
    from the first to the last known date of death (None when there is none)."""
    if event is not None:
        return event.start, event.end
    dates = [v.date for v in victims if v.date is not None]
    return (min(dates), max(dates)) if dates else None


@dataclass(frozen=True)
class Window:
    """Persons dead within a window of days from a key moment.

    Attributes:
        moment: the moment the window starts with.
        first: its first day (the moment's date).
        last: its last day.
        counts: persons dead on ``first`` to ``last``, by grade.
        dated: counted persons with a known date of death.
    """

    moment: Moment
    first: dt.date
    last: dt.date
    counts: Row
    dated: int

    @property
    def share(self) -> float | None:
        """``counts.total / dated``, or None when no date is known."""
        return self.counts.total / self.dated if self.dated else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "moment": self.moment.name,
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "days": (self.last - self.first).days + 1,
            **self.counts.to_dict(),
            "of_dated": self.dated,
            "share": self.share,
        }


def window_after(
    victims: Sequence[Victim], moment: Moment, days: int = WINDOW_DAYS
) -> Window:
    """Persons dead on the moment's day or the ``days - 1`` days after it.

    Args:
        victims: the persons.
        moment: the moment that opens the window.
        days: calendar days in the window, the moment's day included (2 for
            "within 48 hours").
    """
    first = moment.date
    last = first + dt.timedelta(days=days - 1)
    inside = [v for v in victims if v.date is not None and first <= v.date <= last]
    label = f"{first.isoformat()} to {last.isoformat()}"
    counts = count_row(label, inside, grades_of(victims))
    dated = count_row("dated", [v for v in victims if v.date], grades_of(victims))
    return Window(moment, first, last, counts, dated.total)


@dataclass(frozen=True)
class DayBreakdown:
    """Persons by date of death, the event's moments, and the 48-hour window.

    Attributes:
        table: one row per day of the frame (even with nobody), then any other
            date of death, in date order, then ``unknown``.
        event: the event, or None when the workspace defines none.
        within_48h: the window after the shutdown, or None when the event has
            no ``shutdown_began`` moment.
    """

    table: Breakdown
    event: Event | None
    within_48h: Window | None

    @property
    def by(self) -> str:
        return self.table.by

    def moments_on(self, day: str) -> list[Moment]:
        """The moments that begin on an ISO ``day``."""
        moments = self.event.moments if self.event else ()
        return [m for m in moments if m.date.isoformat() == day]

    def in_event(self, day: str) -> bool | None:
        """Whether an ISO day is within the event's dates (None without one)."""
        if self.event is None or day == UNKNOWN:
            return None
        return self.event.start.isoformat() <= day <= self.event.end.isoformat()

    def to_dict(self) -> dict[str, Any]:
        data = self.table.to_dict()
        for row in data["rows"]:
            row["moments"] = [m.name for m in self.moments_on(row["label"])]
            row["in_event"] = self.in_event(row["label"])
        data["moments"] = (
            [m.to_dict() for m in self.event.moments] if self.event else []
        )
        data["within_48h"] = self.within_48h.to_dict() if self.within_48h else None
        return data


def by_day(
    victims: Sequence[Victim], event: Event | None, days: int = WINDOW_DAYS
) -> DayBreakdown:
    """Persons by date of death against the event's key moments.

    Args:
        victims: the persons.
        event: the event (its dates frame the table and its moments mark the
            days), or None.
        days: calendar days of the window after the shutdown (see the module).
    """
    span = frame(victims, event)
    order = _days(*span) if span else []
    seen = {v.date.isoformat() for v in victims if v.date is not None}
    order = sorted({*order, *seen})
    notes = [] if event else ["no event defined: days are shown without moments"]
    table = tabulate(
        "day",
        victims,
        lambda v: v.date.isoformat() if v.date else None,
        order,
        notes=notes,
    )
    shutdown = event.first("shutdown_began") if event else None
    window = window_after(victims, shutdown, days) if shutdown else None
    return DayBreakdown(table, event, window)
