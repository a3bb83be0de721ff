"""Reading the detention events CSV (DESIGN.md section 4), without the register.

Columns: ``record_id`` or ``person_id`` (either or both columns; each row names one),
``date``, ``status``, ``place``, ``source``, ``note``. ``status`` is a status or a
fact of :mod:`aban.detention.vocab` or a synonym; dates are ISO, day-first or Solar
Hijri. This module checks each cell; :mod:`aban.detention.register` then checks the
names against the register. Problems are issues (codes of
:mod:`aban.vocab.issues`), never exceptions, and their messages never repeat a cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from aban.config import Settings
from aban.detention.vocab import FACTS, STATUSES, EventWordError, parse_event_word
from aban.ingest.issues import FileIssueError, Issue, make_issue
from aban.ingest.table import Table
from aban.ingest.validate import RowContext, cell_issues
from aban.text.dates import DateError, parse_date
from aban.text.identifiers import has_invisible, normalise_identifier

EVENT_COLUMNS: tuple[str, ...] = (
    "record_id",
    "person_id",
    "date",
    "status",
    "place",
    "source",
    "note",
)
_REQUIRED = ("date", "status", "source")

#: The issue of a detention events file (codes and messages: :mod:`aban.vocab.issues`).
detention_issue = make_issue
#: The fields of the messages whose words differ by format.
_STATUS_WORDS = {"kinds": "status or fact", "words": ", ".join((*STATUSES, *FACTS))}
_UNKNOWN_COLUMN = {"fmt": "detention events", "kept": "ignored"}


@dataclass(frozen=True)
class EventRow:
    """One row of a detention events file, its cells checked (or an event read from
    a row of a detainee list: :mod:`aban.detention.lists`; only those may be
    undated)."""

    row: int
    record_id: str | None
    person_id: str | None
    date: dt.date | None
    kind: str
    place: str | None
    source: str
    note: str | None


def event_columns(table: Table) -> list[str]:
    """The header as column names (lower case).

    Raises:
        FileIssueError: a required column is missing or a column repeats.
    """
    columns = [h.strip().lower() for h in table.header]
    if len(set(columns)) != len(columns):
        raise FileIssueError(detention_issue("header-duplicate-column", table.name, 1))
    for needed in (("record_id", "person_id"), *((c,) for c in _REQUIRED)):
        if not set(needed) & set(columns):
            raise FileIssueError(
                detention_issue(
                    "header-missing-column", table.name, 1, names=" or ".join(needed)
                )
            )
    return columns


def _date(value: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    try:
        day = parse_date(value)
    except DateError as err:
        return None, err.code
    if day is None:
        return None, "date-missing"
    if day > today:
        return None, "date-in-future"
    return day, None


def _kind(value: str) -> tuple[str | None, str | None]:
    try:
        kind = parse_event_word(value)
    except EventWordError:
        return None, "status-unknown"
    return (kind, None) if kind else (None, "status-missing")


def check_row(
    name: str, row: int, cells: dict[str, str], settings: Settings, today: dt.date
) -> EventRow | list[Issue]:
    """Check one row's cells; the row, or its issues."""
    ctx = RowContext(name, row, None, None)
    issues = [i for i in cell_issues(cells, ctx, settings) if i.severity == "error"]
    get = {c: (cells.get(c) or "").strip() for c in EVENT_COLUMNS}
    for column in ("record_id", "source"):
        get[column] = normalise_identifier(get[column])
    if not get["record_id"] and not get["person_id"]:
        issues.append(detention_issue("target-missing", name, row, "record_id"))
    day, date_code = _date(get["date"], today)
    if date_code:
        issues.append(detention_issue(date_code, name, row, "date"))
    kind, kind_code = _kind(get["status"])
    if kind_code:
        issues.append(detention_issue(kind_code, name, row, "status", **_STATUS_WORDS))
    if not get["source"]:
        issues.append(detention_issue("source-empty", name, row, "source"))
    elif has_invisible(get["source"]):
        issues.append(detention_issue("invisible-characters", name, row, "source"))
    if issues or day is None or kind is None:
        return issues
    return EventRow(
        row,
        get["record_id"] or None,
        get["person_id"] or None,
        day,
        kind,
        get["place"] or None,
        get["source"],
        get["note"] or None,
    )


def read_event_rows(
    table: Table, settings: Settings, today: dt.date
) -> tuple[list[EventRow], list[Issue], int]:
    """Every row of a detention events table, checked cell by cell.

    Args:
        table: the file as read by :func:`aban.ingest.importer.read_table`.
        settings: the workspace settings (cell length limit).
        today: dates after it are in the future.

    Returns:
        The good rows, the issues of the others (plus warnings for ignored
        columns), and the number of rows read (empty rows are skipped).

    Raises:
        FileIssueError: the header lacks a required column, or repeats one.
    """
    columns = event_columns(table)
    issues = [
        detention_issue("unknown-column", table.name, 1, column, **_UNKNOWN_COLUMN)
        for column in columns
        if column not in EVENT_COLUMNS
    ]
    rows: list[EventRow] = []
    read = 0
    for number, cells in _aligned(table, columns, issues):
        read += 1
        checked = check_row(table.name, number, cells, settings, today)
        if isinstance(checked, EventRow):
            rows.append(checked)
        else:
            issues.extend(checked)
    return rows, issues, read + len({i.row for i in issues if i.code == "row-length"})


def _aligned(
    table: Table, columns: Sequence[str], issues: list[Issue]
) -> Iterator[tuple[int, dict[str, str]]]:
    for number, cells in table.rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns) and table.fmt == "csv":
            issues.append(
                detention_issue(
                    "row-length",
                    table.name,
                    number,
                    found=len(cells),
                    expected=len(columns),
                )
            )
            continue
        yield number, dict(zip(columns, cells, strict=False))
