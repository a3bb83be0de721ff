"""Building synthetic history entries for detention tests."""

from __future__ import annotations

import datetime as dt

from aban.detention.history import Entry, Origin


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def entry(
    kind: str,
    date: str | None,
    source: str = "ngo",
    *,
    group: str | None = None,
    origin: Origin = "event",
    order: int = 0,
    place: str | None = None,
    note: str | None = None,
) -> Entry:
    """An entry; the source is its own independence group unless one is given."""
    return Entry(
        kind,
        day(date) if date else None,
        source,
        group or f"source:{source}",
        place,
        note,
        origin,
        order,
    )
