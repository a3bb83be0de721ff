"""Reading a detainee list: one row per person, read into dated detention events.

A detainee list is a records list (``record_id``, names, age, city, ... as in
``aban import``, through the same column mapping) with four columns of its own,
found by their header in English or Persian (case, spaces and Persian letter forms do
not matter; :data:`LIST_HEADERS`):

* ``arrest_date``: the day of the arrest (an ``arrested`` event, at the city);
* ``facility``: the prison or detention centre (the place of the status events);
* ``status``: the current status as free text ("sentenced to 5 years",
  "transferred to Evin", "in detention, no family visits", "۵ سال حبس", "آزاد با
  وثیقه"), read by :func:`aban.detention.vocab.read_status_text`; a column mapped
  onto the records column ``status`` is this column too;
* ``status_date``: the date of the last news, the date of the status events (else
  the ``--as-of`` date of the list, else the arrest date, with a warning).

This module reads a table into event rows and issues; it does not touch the
register (:mod:`aban.detention.list_import` does). Problems are warnings, never
errors: the records decide whether the file is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aban.detention.events import EventRow, detention_issue
from aban.detention.vocab import CUSTODY, FREE, TERMINAL, StatusPart, read_status_text
from aban.ingest.issues import Issue
from aban.ingest.mapping import ColumnMapping
from aban.ingest.table import Table
from aban.text.dates import DateError, parse_date
from aban.text.identifiers import normalise_identifier
from aban.text.vocab import vocabulary_key

#: The columns of a detainee list beside the records columns.
LIST_COLUMNS: tuple[str, ...] = ("arrest_date", "facility", "status", "status_date")
# fmt: off
#: Headers that name a detainee list's own columns (the column name itself too).
LIST_HEADERS: dict[str, tuple[str, ...]] = {
    "arrest_date": ("arrest date", "date of arrest", "arrested on", "date arrested",
                    "detention date", "date of detention", "تاریخ بازداشت",
                    "تاریخ دستگیری", "زمان بازداشت"),
    "facility": ("prison", "prison/facility", "detention facility",
                 "place of detention", "held at", "held in", "زندان", "محل نگهداری",
                 "محل بازداشت", "بازداشتگاه"),
    "status": ("current status", "situation", "وضعیت", "وضعیت فعلی", "آخرین وضعیت"),
    "status_date": ("date of last news", "last news", "last update", "last updated",
                    "as of", "news date", "تاریخ آخرین خبر", "آخرین خبر",
                    "تاریخ وضعیت", "آخرین اطلاع"),
}
# fmt: on
_HEADER_WORDS = {
    vocabulary_key(word): column
    for column, words in LIST_HEADERS.items()
    for word in (column, *words)
}
#: Statuses placed at the list's facility when the text names none (a release
#: from it too).
_AT_FACILITY = (CUSTODY - {"arrested"}) | TERMINAL | FREE
#: Statuses that a date of arrest dates rightly (no warning when they take it).
_SINCE_ARREST = frozenset({"arrested", "detained"})


@dataclass(frozen=True)
class ListLayout:
    """Where a detainee list's columns are: the records column names of its header
    (after the mapping), and the index of each list column found."""

    names: tuple[str, ...]
    at: dict[str, int]

    def cell(self, cells: Sequence[str], column: str) -> str:
        """The cell of ``column`` in a row, stripped ("" when the list lacks it)."""
        index = self.at.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""


def list_layout(table: Table, mapping: ColumnMapping) -> ListLayout:
    """Find the list's columns: each header as the records import names it, and the
    list columns among them (a header the mapping does not name is looked up in
    :data:`LIST_HEADERS`; the column mapped onto ``status`` is the status)."""
    names, at = [], {}
    for index, header in enumerate(table.header):
        mapped = mapping.columns.get(header.strip())
        name = mapped or header.strip().lower()
        names.append(name)
        column = "status" if name == "status" else None
        if mapped is None:
            column = column or _HEADER_WORDS.get(vocabulary_key(header))
        for wanted in (
            column,
            name if name in ("record_id", "source", "city") else None,
        ):
            if wanted and wanted not in at:
                at[wanted] = index
    return ListLayout(tuple(names), at)


def status_mapping(layout: ListLayout, statuses: Iterable[str]) -> dict[str, str]:
    """Each status text of the list (as the records import sees it, stripped) with
    the records status its record takes: ``executed``, ``died_in_custody``,
    ``disappeared``, else ``detained`` (a person on a detainee list was detained;
    an empty cell too)."""
    if "status" not in layout.at:
        return {}
    found = {"": "detained"}
    for text in statuses:
        kinds = {p.kind for p in read_status_text(text) if p.kind}
        terminal = sorted(kinds & TERMINAL)
        found[text] = (
            terminal[0]
            if terminal
            else "disappeared"
            if "disappeared" in kinds
            else "detained"
        )
    return found


@dataclass(frozen=True)
class ListRow:
    """One row of a detainee list: its record and the cells of its detention."""

    row: int
    record_id: str
    source: str
    arrest_date: dt.date | None
    status_date: dt.date | None
    place: str | None
    facility: str | None
    parts: tuple[StatusPart, ...]


@dataclass
class ListReader:
    """Reads the rows of one detainee list into event rows and warnings."""

    name: str
    layout: ListLayout
    source: str | None
    as_of: dt.date | None
    today: dt.date

    def _date(
        self, cells: Sequence[str], column: str, row: int
    ) -> tuple[dt.date | None, list[Issue]]:
        text = self.layout.cell(cells, column)
        try:
            day = parse_date(text) if text else None
        except DateError:
            day = dt.date.max
        if day is not None and day > self.today:
            return None, [
                detention_issue("list-date-unreadable", self.name, row, column)
            ]
        return day, []

    def read_row(self, row: int, cells: Sequence[str]) -> tuple[ListRow, list[Issue]]:
        """The row's cells, with warnings for dates it cannot read."""
        arrest, issues = self._date(cells, "arrest_date", row)
        news, more = self._date(cells, "status_date", row)
        source = self.source or self.layout.cell(cells, "source")
        return (
            ListRow(
                row,
                normalise_identifier(self.layout.cell(cells, "record_id")),
                normalise_identifier(source),
                arrest,
                news or self.as_of,
                self.layout.cell(cells, "city") or None,
                self.layout.cell(cells, "facility") or None,
                read_status_text(self.layout.cell(cells, "status")),
            ),
            [*issues, *more],
        )

    def events(self, row: ListRow) -> tuple[list[EventRow], list[Issue]]:
        """The row's events in order: the arrest; a ``detained`` event at the
        list's facility when no status places the person there; then each status or
        fact of its status text. The parts not read are the note of the arrest (else
        of the ``detained`` event)."""
        issues = []
        day = row.status_date
        kinds = {p.kind for p in row.parts if p.kind}
        if day is None and row.arrest_date is not None and kinds - _SINCE_ARREST:
            issues.append(self._issue("status-dated-at-arrest", row, "status_date"))
        day = day or row.arrest_date
        events = [self._event(row, part, day) for part in row.parts if part.kind]
        notes = [p.text for p in row.parts if not p.kind]
        issues += [self._issue("status-kept-as-note", row, "status") for _ in notes[:1]]
        issues += [
            self._issue("status-read-as-death-sentence", row, "status")
            for p in row.parts
            if p.ambiguous
        ]
        note = "; ".join(notes) or None
        arrest_note, held_note = (note, None) if row.arrest_date else (None, note)
        placed = any(e.place for e in events if e.kind in _AT_FACILITY)
        if (row.facility and not placed) or held_note:
            held = StatusPart(held_note or "", "detained")
            events.insert(0, self._event(row, held, day))
        if row.arrest_date is not None:
            arrest = EventRow(
                row.row,
                row.record_id,
                None,
                row.arrest_date,
                "arrested",
                row.place,
                row.source,
                arrest_note,
            )
            events.insert(0, arrest)
        return events, issues

    def _event(self, row: ListRow, part: StatusPart, day: dt.date | None) -> EventRow:
        kind = part.kind or "detained"
        place = part.facility or (row.facility if kind in _AT_FACILITY else None)
        return EventRow(
            row.row,
            row.record_id,
            None,
            day,
            kind,
            place,
            row.source,
            part.text or None,
        )

    def _issue(self, code: str, row: ListRow, column: str) -> Issue:
        return detention_issue(
            code, self.name, row.row, column, record_id=row.record_id, source=row.source
        )
