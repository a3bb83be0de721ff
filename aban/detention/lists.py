"""Reading a detainee list: one row per person, read into dated detention events.

A detainee list is a records list (``record_id``, names, age, city, ... as in
``aban import``, through the same column mapping) with columns of its own
(:data:`aban.vocab.detainees.DETAINEE_COLUMNS`), named by the mapping (``"Arrest
date": arrest_date``) or set by it for every row (``set: {facility: Evin}``), else
found by their header in English or Persian (case, spaces and Persian letter forms
do not matter; :data:`aban.vocab.detainees.DETAINEE_HEADER_WORDS`):

* ``arrest_date``: the day of the arrest (an ``arrested`` event, at the city);
* ``facility``: the prison or detention centre (the place of the status events);
* ``status``: the current status as free text ("sentenced to 5 years",
  "transferred to Evin", "in detention, no family visits", "۵ سال حبس", "آزاد با
  وثیقه"), read by :func:`aban.detention.vocab.read_status_text`; a column mapped
  onto the records column ``status`` is this column too;
* ``status_date``: the date of the last news, the date of the status events (else
  the ``--as-of`` date of the list, else the arrest date, with a warning);
* ``sentence``, ``charges``, ``family_access``, ``lawyer_access``: a sentence
  (``sentenced`` with its term, or ``death_sentence``), a ``charged`` event with the
  charges as its note, and yes / no access facts, dated as the status;
* ``release_date``: a ``released`` event on that day (the status's release, if it
  states one, such as ``released on bail``, takes the day instead);
* ``source_url``: kept in the record's raw data only.

This module reads a table into event rows and issues; it does not touch the
register (:mod:`aban.detention.list_import` does). Problems are warnings, never
errors: the records decide whether the file is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from aban.detention.events import EventRow, detention_issue
from aban.detention.vocab import (
    CUSTODY,
    FREE,
    TERMINAL,
    StatusPart,
    read_status_text,
    sentence_term,
)
from aban.ingest.headers import header_key
from aban.ingest.issues import Issue
from aban.ingest.mapping import ColumnMapping, map_header
from aban.ingest.table import Table
from aban.text.dates import DateError, parse_date
from aban.text.identifiers import normalise_identifier
from aban.text.vocab import is_unknown, vocabulary_key
from aban.vocab.detainees import DETAINEE_COLUMNS, DETAINEE_HEADER_WORDS

#: The columns a detainee list's reader looks for: its own and the status.
LIST_COLUMNS: tuple[str, ...] = ("status", *DETAINEE_COLUMNS)
_HEADER_WORDS = {
    vocabulary_key(word): column
    for column, words in DETAINEE_HEADER_WORDS.items()
    for word in (column, *words)
}
#: Statuses placed at the list's facility when the text names none (a release
#: from it too).
_AT_FACILITY = (CUSTODY - {"arrested"}) | TERMINAL | FREE
#: Statuses that a date of arrest dates rightly (no warning when they take it).
_SINCE_ARREST = frozenset({"arrested", "detained"})
# fmt: off
#: Cells of an access column that say yes or no (after vocabulary_key).
_YES = frozenset(map(vocabulary_key, (
    "yes", "y", "allowed", "granted", "given", "has access", "visited", "بله", "بلی",
    "آری", "دارد", "مجاز", "آزاد", "برقرار")))
_NO = frozenset(map(vocabulary_key, (
    "no", "n", "none", "denied", "refused", "banned", "not allowed", "no access",
    "خیر", "نه", "ندارد", "ممنوع", "محروم", "ممنوع الملاقات", "ممنوع الارتباط",
    "قطع")))
# fmt: on


@dataclass(frozen=True)
class ListLayout:
    """Where a detainee list's columns are: the records column names of its header
    (after the mapping), the index of each list column found, and the list columns
    the mapping sets for every row."""

    names: tuple[str, ...]
    at: dict[str, int]
    constants: dict[str, str] = field(default_factory=dict)

    def cell(self, cells: Sequence[str], column: str) -> str:
        """The cell of ``column`` in a row, stripped (the mapping's value for every
        row, or "" when the list lacks it)."""
        index = self.at.get(column)
        if index is None:
            return self.constants.get(column, "")
        return cells[index].strip() if index < len(cells) else ""


def list_layout(table: Table, mapping: ColumnMapping) -> ListLayout:
    """Find the list's columns: each header as the records import names it, and the
    list columns among them (a header the mapping names is the column it names; one
    it does not is looked up in the header words)."""
    renamed, _ = map_header(table.header, mapping)
    mapped = {header_key(k) for k in mapping.columns}
    at: dict[str, int] = {}
    for index, (header, name) in enumerate(zip(table.header, renamed, strict=True)):
        column = name if name in LIST_COLUMNS else None
        if column is None and header_key(header) not in mapped:
            column = _HEADER_WORDS.get(vocabulary_key(header))
        for wanted in (
            column,
            name if name in ("record_id", "source", "city") else None,
        ):
            if wanted and wanted not in at and wanted not in mapping.constants:
                at[wanted] = index
    constants = {
        c: v for c, v in mapping.constants.items() if c in LIST_COLUMNS and c not in at
    }
    return ListLayout(tuple(renamed), at, constants)


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


def sentence_parts(text: str) -> tuple[StatusPart, ...]:
    """A sentence column's cell read as the parts of a status: "5 years" and "۵ سال"
    are a ``sentenced`` part with that term, "death" a ``death_sentence``; a part
    that states neither is left unread (``kind`` None).

    Example:
        >>> [(p.kind, p.term) for p in sentence_parts("5 years")]
        [('sentenced', '5 years')]
    """
    found = []
    for part in read_status_text(text):
        if part.kind in ("sentenced", "death_sentence"):
            found.append(part)
        elif vocabulary_key(part.text) in {vocabulary_key("death"), "مرگ"}:
            found.append(StatusPart(part.text, "death_sentence"))
        elif term := sentence_term(part.text):
            found.append(StatusPart(part.text, "sentenced", term))
        else:
            found.append(dataclasses.replace(part, kind=None))
    return tuple(found)


def access_part(text: str, fact: str) -> StatusPart | None:
    """An access column's cell (``fact``: ``family_access`` or ``lawyer_access``)
    read as that fact or its denial; ``None`` for an empty cell or a word for "not
    known"; a part with ``kind`` None if the cell says neither yes nor no.

    Example:
        >>> access_part("ممنوع الملاقات", "family_access").kind
        'family_access_denied'
    """
    key = vocabulary_key(text)
    if not key:
        return None
    if key in _YES:
        return StatusPart(text, fact)
    if key in _NO:
        return StatusPart(text, f"{fact}_denied")
    if is_unknown(text):
        return None
    kinds = [p.kind for p in read_status_text(text)]
    for kind in (f"{fact}_denied", fact):
        if kind in kinds:
            return StatusPart(text, kind)
    return StatusPart(text, None)


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
    release_date: dt.date | None = None
    details: tuple[tuple[str, StatusPart], ...] = ()


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

    def _details(self, cells: Sequence[str]) -> tuple[tuple[str, StatusPart], ...]:
        """The parts of the charges, sentence and access columns (in this order),
        each with its column."""
        cell = self.layout.cell
        charges = cell(cells, "charges")
        found = []
        if charges and not is_unknown(charges):
            found.append(("charges", StatusPart(charges, "charged")))
        found += [("sentence", p) for p in sentence_parts(cell(cells, "sentence"))]
        for column in ("family_access", "lawyer_access"):
            part = access_part(cell(cells, column), column)
            found += [(column, part)] if part else []
        return tuple(found)

    def read_row(self, row: int, cells: Sequence[str]) -> tuple[ListRow, list[Issue]]:
        """The row's cells, with warnings for dates it cannot read."""
        issues: list[Issue] = []
        days = {}
        for column in ("arrest_date", "status_date", "release_date"):
            days[column], more = self._date(cells, column, row)
            issues += more
        source = self.source or self.layout.cell(cells, "source")
        return (
            ListRow(
                row,
                normalise_identifier(self.layout.cell(cells, "record_id")),
                normalise_identifier(source),
                days["arrest_date"],
                days["status_date"] or self.as_of,
                self.layout.cell(cells, "city") or None,
                self.layout.cell(cells, "facility") or None,
                read_status_text(self.layout.cell(cells, "status")),
                days["release_date"],
                self._details(cells),
            ),
            issues,
        )

    def events(self, row: ListRow) -> tuple[list[EventRow], list[Issue]]:
        """The row's events in order: the arrest; a ``detained`` event at the
        list's facility when no status places the person there; then each status or
        fact of its status text and of its sentence, charges and access columns;
        then the release. On one day, the charges and the sentence of their columns
        come before the status text's parts, the access facts after them. The
        parts not read are the note of the arrest (else of the ``detained``
        event)."""
        issues = []
        day = row.status_date
        # The charges and the sentence come before the current status (the text of
        # the status column) on the same day; access facts after it.
        details = self._new_details(row)
        parts = [
            *(p for p in details if p.kind in CUSTODY),
            *row.parts,
            *(p for p in details if p.kind not in CUSTODY),
        ]
        kinds = {p.kind for p in parts if p.kind}
        if day is None and row.arrest_date is not None and kinds - _SINCE_ARREST:
            issues.append(self._issue("status-dated-at-arrest", row, "status_date"))
        day = day or row.arrest_date
        events = [
            self._event(row, part, self._day(row, part, day))
            for part in parts
            if part.kind
        ]
        if row.release_date is not None and not kinds & FREE:
            released = StatusPart("", "released")
            events.append(self._event(row, released, row.release_date))
        notes = [p.text for p in row.parts if not p.kind]
        issues += [self._issue("status-kept-as-note", row, "status") for _ in notes[:1]]
        unread = [(c, p) for c, p in row.details if not p.kind]
        issues += [self._issue("list-cell-kept-as-note", row, c) for c, _ in unread]
        notes += [f"{column}: {p.text}" for column, p in unread]
        issues += [
            self._issue("status-read-as-death-sentence", row, column)
            for column, p in [*(("status", p) for p in row.parts), *row.details]
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

    @staticmethod
    def _new_details(row: ListRow) -> list[StatusPart]:
        """The parts of the detail columns read, less those the status text
        states already (the same status or fact with the same term)."""
        stated = {(p.kind, p.term) for p in row.parts if p.kind}
        return [p for _, p in row.details if p.kind and (p.kind, p.term) not in stated]

    @staticmethod
    def _day(row: ListRow, part: StatusPart, day: dt.date | None) -> dt.date | None:
        """A release stated by the status is dated by the release date, if any."""
        if part.kind in FREE and row.release_date is not None:
            return row.release_date
        return day

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
