"""The event a workspace documents: name, dates, places and key moments.

An event is the table ``[event]`` of the workspace's ``aban.toml`` (or of a
standalone TOML file, :func:`read_event_file`)::

    [event]
    name = "Protests of November 2019"
    name_fa = "اعتراضات آبان ۱۳۹۸"     # optional: the name on Persian pages
    start = 2019-11-15              # first day (ISO date)
    end = 2019-11-27                # last day, inclusive
    places = ["Iran"]               # optional

    [[event.moments]]
    name = "internet shutdown ordered"
    name_fa = "دستور قطع اینترنت"      # optional: the words on Persian pages
    kind = "shutdown_began"         # one of MOMENT_KINDS
    date = 2019-11-16               # ISO date, or a time with its UTC offset:
                                    # 2019-11-16T12:00:00+03:30
    until = 2019-11-17              # optional last day of a moment that spans days

Dates may be TOML dates or ISO text (``"2019-11-16"``). Every moment falls within
the event's dates. The event holds no personal data. The Persian names
(``name_fa``) are optional: an older file without them still reads, and Persian
pages then show the English name, marked as English.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from aban.config import CONFIG_NAME, load_section
from aban.errors import ConfigError

MomentKind = Literal[
    "protests_began", "shutdown_began", "restoration", "shutdown_ended", "other"
]
#: The kinds of key moment: protests began; internet shutdown began; access began
#: to return (often gradually, over days); access fully restored; anything else.
MOMENT_KINDS: tuple[MomentKind, ...] = (
    "protests_began",
    "shutdown_began",
    "restoration",
    "shutdown_ended",
    "other",
)
_EVENT_KEYS = ("name", "name_fa", "start", "end", "places", "moments")
_MOMENT_KEYS = ("name", "name_fa", "kind", "date", "until")
_PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")


@dataclass(frozen=True)
class Moment:
    """A key moment of the event, such as "internet shutdown began".

    Attributes:
        name: what happened, in words.
        kind: one of :data:`MOMENT_KINDS`.
        date: the day it happened (the local date of ``at`` when a time is given).
        until: the last day of a moment that spans days, else None.
        at: the time with its UTC offset, when one was given.
        name_fa: what happened, in Persian ("" when not given).
    """

    name: str
    kind: MomentKind
    date: dt.date
    until: dt.date | None = None
    at: dt.datetime | None = None
    name_fa: str = ""

    @property
    def last(self) -> dt.date:
        """The moment's last day (its date unless it spans days)."""
        return self.until or self.date

    def to_dict(self) -> dict[str, Any]:
        # name_fa only when given: a file without it publishes as before.
        found: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "at": self.at.isoformat() if self.at else None,
        }
        if self.name_fa:
            found["name_fa"] = self.name_fa
        return found


@dataclass(frozen=True)
class Event:
    """What a workspace documents.

    Attributes:
        name: the event's name.
        start: its first day.
        end: its last day (inclusive).
        places: where it happened (countries, provinces, cities), as written.
        moments: its key moments, by date (then in the order given).
        name_fa: the event's name in Persian ("" when not given).
    """

    name: str
    start: dt.date
    end: dt.date
    places: tuple[str, ...] = ()
    moments: tuple[Moment, ...] = ()
    name_fa: str = ""

    def first(self, kind: MomentKind) -> Moment | None:
        """The earliest moment of ``kind``, or None."""
        return next((m for m in self.moments if m.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "name": self.name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "places": list(self.places),
            "moments": [m.to_dict() for m in self.moments],
        }
        if self.name_fa:
            found["name_fa"] = self.name_fa
        return found


def _text(value: Any, what: str, errors: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{what} must be non-empty text")
        return ""
    return " ".join(value.split())


def _persian(value: Any, what: str, errors: list[str]) -> str:
    """An optional Persian text: "" when absent; else non-empty text in Persian
    letters (an English name given as ``name_fa`` is a slip worth naming)."""
    if value is None:
        return ""
    text = _text(value, what, errors)
    if text and not _PERSIAN_LETTER.search(text):
        errors.append(f"{what} must be written in Persian letters")
        return ""
    return text


def _day(value: Any, what: str, errors: list[str]) -> dt.date | None:
    """A date from a TOML date or ISO text; a date-time is refused here."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.append(f"{what} must be an ISO date such as 2019-11-16")
    return None


def _moment_time(
    value: Any, what: str, errors: list[str]
) -> tuple[dt.date | None, dt.datetime | None]:
    """A moment's date, and its time when one is given with a UTC offset."""
    if isinstance(value, str) and "T" in value.upper():
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            errors.append(f"{what} must be an ISO date or date-time")
            return None, None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            errors.append(
                f"{what} has a time without a UTC offset; add one "
                "(2019-11-16T12:00:00+03:30) or give the date only"
            )
            return None, None
        return value.date(), value
    return _day(value, what, errors), None


def _unknown_keys(
    table: Mapping[str, Any], known: tuple[str, ...], what: str, errors: list[str]
) -> None:
    for key in table:
        if key not in known:
            errors.append(f"unknown key {key!r} in {what} (known: {', '.join(known)})")


def _moment(raw: Any, number: int, errors: list[str]) -> Moment | None:
    what = f"moment {number}"
    if not isinstance(raw, Mapping):
        errors.append(f"{what} must be a table ([[event.moments]])")
        return None
    _unknown_keys(raw, _MOMENT_KEYS, what, errors)
    name = _text(raw.get("name"), f"{what} name", errors)
    name_fa = _persian(raw.get("name_fa"), f"{what} name_fa", errors)
    kind = raw.get("kind")
    if kind not in MOMENT_KINDS:
        errors.append(f"{what} kind must be one of {', '.join(MOMENT_KINDS)}")
    day, at = _moment_time(raw.get("date"), f"{what} date", errors)
    until = None
    if "until" in raw:
        until = _day(raw["until"], f"{what} until", errors)
    if day and until and until < day:
        errors.append(f"{what} until is before its date")
    if day is None or kind not in MOMENT_KINDS or not name:
        return None
    return Moment(name, cast("MomentKind", kind), day, until, at, name_fa)


def _places(value: Any, errors: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        errors.append('places must be a list of text, such as ["Iran"]')
        return ()
    return tuple(_text(p, "each place", errors) for p in value)


def _moments(value: Any, errors: list[str]) -> tuple[Moment, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        errors.append("moments must be an array of tables ([[event.moments]])")
        return ()
    found = [_moment(raw, i, errors) for i, raw in enumerate(value, start=1)]
    return tuple(m for m in found if m is not None)


def _check_within(event: Event, errors: list[str]) -> None:
    for moment in event.moments:
        if moment.date < event.start or moment.last > event.end:
            errors.append(
                f"a moment ({moment.kind}, {moment.date.isoformat()}) falls outside "
                "the event's start and end; widen them or fix the moment's date"
            )


def parse_event(table: Mapping[str, Any], where: str) -> Event:
    """Validate an ``[event]`` table and build the event.

    Args:
        table: the table as TOML reads it.
        where: the file it came from, to name in the error.

    Returns:
        The event, its moments sorted by date (stable for equal dates).

    Raises:
        ConfigError: one line naming every problem found (no personal data).
    """
    errors: list[str] = []
    _unknown_keys(table, _EVENT_KEYS, "[event]", errors)
    name = _text(table.get("name"), "name", errors)
    name_fa = _persian(table.get("name_fa"), "name_fa", errors)
    start = _day(table.get("start"), "start", errors)
    end = _day(table.get("end"), "end", errors)
    if start and end and end < start:
        errors.append("end is before start")
    places = _places(table.get("places"), errors)
    moments = _moments(table.get("moments"), errors)
    if errors or start is None or end is None:
        raise ConfigError(f"{where}: [event] " + "; ".join(errors))
    ordered = tuple(sorted(moments, key=lambda m: m.date))
    event = Event(name, start, end, places, ordered, name_fa)
    _check_within(event, errors)
    if errors:
        raise ConfigError(f"{where}: [event] " + "; ".join(errors))
    return event


def load_event(workspace: Path) -> Event | None:
    """The event of a workspace: the ``[event]`` table of its aban.toml.

    Returns:
        The event, or None when aban.toml has no ``[event]`` table.

    Raises:
        ConfigError: aban.toml is unreadable or the table is invalid.
    """
    table = load_section(workspace, "event")
    if not table:
        return None
    return parse_event(table, str(workspace / CONFIG_NAME))


def read_event_file(path: Path) -> Event:
    """Read an event from a standalone TOML file holding an ``[event]`` table.

    Other tables in the file are ignored, so an aban.toml reads too.

    Raises:
        ConfigError: the file is unreadable, not TOML, has no ``[event]`` table,
            or the table is invalid.
    """
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"{path}: cannot read ({err.strerror})") from err
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML ({err}); fix it") from err
    table = document.get("event")
    if not isinstance(table, dict):
        raise ConfigError(
            f"{path}: no [event] table; write the event under [event] "
            "(see examples/iran-2019-11/event.toml)"
        )
    return parse_event(table, str(path))
