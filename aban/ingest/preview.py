"""What an import of a file would do, without a register: ``aban import --preview``.

The preview reads the file as the import does (the same readers, header and layout,
mapping and checks) and writes nothing: it needs no register, only the workspace's
settings. It does not compare the rows with records already in the register, so
``record-id-changed`` and rows already imported show only in the import itself.

A file of more than :data:`PARALLEL_FROM` rows has the rest of its rows checked in two
forked processes while this one reads the file: the import cannot do this (its
prepared rows would have to come back pickled), but the preview needs back only the
issues, record ids and refusals.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aban.config import Settings
from aban.errors import IngestError
from aban.ingest.dateorder import ColumnOrder, order_issues
from aban.ingest.headers import guess_columns
from aban.ingest.importer import (
    BATCH_ROWS,
    read_columns,
    row_job,
    summary_issues,
    unknown_columns,
)
from aban.ingest.issues import Issue, fail, make_issue
from aban.ingest.lenient import EventDates
from aban.ingest.mapping import ColumnMapping
from aban.ingest.rows import PreparedBatch, RowPlan
from aban.ingest.table import Row, Table
from aban.store.records import RECORD_FIELDS
from aban.vocab.columns import ALL_COLUMNS, PERSON_COLUMNS, PROTECTED_COLUMNS
from aban.vocab.sources import check_source_name

__all__ = ["SAMPLE_ROWS", "ColumnPreview", "Preview", "preview_file"]

#: Rows whose values the preview shows.
SAMPLE_ROWS = 3
#: Issues the preview lists one by one (all are counted by code).
LISTED_ISSUES = 20
#: Rows the preview checks in one process before it hands the rest of a larger
#: file to two forked processes (the samples are taken by then).
PARALLEL_FROM = 20_000
#: Processes that check rows in parallel (besides the one that reads the file).
WORKERS = 2
#: Batches sent to the workers and not yet counted, at most.
IN_FLIGHT = 4 * WORKERS
_SLOT = {name: i for i, name in enumerate(RECORD_FIELDS)}


@dataclass
class ColumnPreview:
    """One column of the file: the records column it maps to, and sample values.

    Attributes:
        header: the column's name in the file ("" for a value the mapping sets).
        column: its records column, or None if it is kept as raw data only.
        samples: the first rows' values as they would be stored (normalised); for
            protected columns, only whether a value is present.
        suggested: for a column kept as raw data, the records column its header
            word suggests (see ``aban mapping suggest``), if any.
    """

    header: str
    column: str | None
    samples: list[str] = field(default_factory=list)
    suggested: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "header": self.header,
            "column": self.column,
            "samples": self.samples,
            "suggested": self.suggested,
        }


@dataclass
class Preview:
    """What importing a file would do (see the module docstring)."""

    file: str
    fmt: str
    encoding: str | None
    header_row: int
    header_detected: bool
    rows: int = 0
    columns: list[ColumnPreview] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    issue_counts: dict[str, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    refused_rows: int = 0
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    date_orders: list[ColumnOrder] = field(default_factory=list)
    empty_columns: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "file": self.file,
            "format": self.fmt,
            "encoding": self.encoding,
            "header_row": self.header_row,
            "header_detected": self.header_detected,
            "sheet": self.sheet,
            "sheets": self.sheets,
            "rows": self.rows,
            "refused_rows": self.refused_rows,
            "columns": [c.to_dict() for c in self.columns],
            "empty_columns": self.empty_columns,
            "date_orders": [o.to_dict() for o in self.date_orders],
            "skipped": [{"row": r, "reason": why} for r, why in self.skipped],
            "issue_counts": self.issue_counts,
            "issues": [i.to_dict() for i in self.issues],
        }


def _sample(column: str, record: tuple[Any, ...]) -> str:
    """A column's value in a prepared record, as it would be stored."""
    if column in PROTECTED_COLUMNS:
        return "(given)" if record[_SLOT[column]] else ""
    slot = _SLOT.get(f"{column}_norm", _SLOT.get(column))
    value = record[slot] if slot is not None else None
    return "" if value is None else str(value)


def _column_previews(
    table: Table, columns: list[str], mapping: ColumnMapping
) -> list[ColumnPreview]:
    guesses = guess_columns(table.header)
    taken = set(columns) | set(mapping.constants)
    previews = []
    for header, column in zip(table.header, columns, strict=True):
        if column in ALL_COLUMNS:
            previews.append(ColumnPreview(header, column))
        else:
            guess = guesses.get(header)
            suggested = guess if guess and guess not in taken else None
            previews.append(ColumnPreview(header, None, [], suggested))
    previews.extend(ColumnPreview("", column) for column in mapping.constants)
    return previews


class _Checker:
    """Checks the rows batch by batch, counting issues and keeping samples."""

    def __init__(self, preview: Preview, plan: RowPlan, width: int) -> None:
        self.preview, self.plan, self.width = preview, plan, width
        self.counts: Counter[str] = Counter()
        self.seen: dict[tuple[str, str], int] = {}
        self.samples_left = SAMPLE_ROWS

    def add(self, issue: Issue) -> None:
        self.counts[issue.code] += 1
        if len(self.preview.issues) < LISTED_ISSUES:
            self.preview.issues.append(issue)

    def check(self, rows: list[Row], fmt: str, name: str) -> None:
        aligned = self.align(rows, fmt, name)
        if aligned:
            self._prepared(self.plan.prepare(aligned))

    def align(self, rows: list[Row], fmt: str, name: str) -> list[Row]:
        """The rows whose cells line up with the header (padded outside CSV); a CSV
        row of another length is refused with an issue."""
        aligned = []
        for number, cells in rows:
            if len(cells) == self.width:
                aligned.append((number, cells))
            elif fmt == "csv":
                self.preview.refused_rows += 1
                found, expected = len(cells), self.width
                self.add(
                    make_issue(
                        "row-length", name, number, found=found, expected=expected
                    )
                )
            else:
                aligned.append((number, (cells + [""] * self.width)[: self.width]))
        return aligned

    def prepared(self, batch: PreparedBatch) -> None:
        """Count a batch prepared elsewhere (see :func:`_check_in_parallel`)."""
        self._prepared(batch)

    def _prepared(self, batch: PreparedBatch) -> None:
        found = batch.issues
        seen, numbers = self.seen, batch.numbers
        rows = zip(batch.sources, batch.record_ids, numbers, strict=True)
        for k, (src, record_id, number) in enumerate(rows):
            if not record_id:
                issue = batch.context(k).issue("record-id-missing", "record_id")
                found.setdefault(k, []).append(issue)
            elif (first := seen.setdefault((src, record_id), number)) != number:
                ctx = batch.context(k)
                issue = ctx.issue("record-id-duplicate", "record_id", first=first)
                found.setdefault(k, []).append(issue)
        refused = {k for k, record in enumerate(batch.records) if record is None}
        for k in sorted(found):
            for issue in found[k]:
                self.add(issue)
                if issue.severity == "error":
                    refused.add(k)
        self.preview.refused_rows += len(refused)
        for k, record in enumerate(batch.records):
            if not self.samples_left:
                break
            if k not in refused and record is not None:
                self.samples_left -= 1
                for column in self.preview.columns:
                    if column.column is not None:
                        column.samples.append(_sample(column.column, record))


def preview_file(
    path: Path,
    settings: Settings,
    *,
    source: str | None = None,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    today: dt.date | None = None,
    event: EventDates | None = None,
) -> Preview:
    """Read and check a file as :func:`~aban.ingest.importer.import_file` would,
    writing nothing.

    Args:
        path: a CSV, XLSX or JSON file.
        settings: the workspace's settings (the checks depend on them).
        source: the source of every row (else a source column).
        mapping: how the file's columns map onto the records format.
        encoding: force a text encoding.
        sheet: the XLSX sheet to read.
        header_row: the header's row (default: the mapping's, else found).
        today: the date after which dates are in the future (default: today).
        event: the first and last day of the workspace's event, which dates
            without a year are read within (as the import reads them:
            :func:`~aban.ingest.importer.event_dates`).

    Raises:
        FileIssueError: the file cannot be read as records (as the import would).
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise fail("file-not-found", path.name) from err
    mapping = mapping or ColumnMapping()
    if source is not None:
        source = check_source_name(source)
    table, layout, columns, found = read_columns(
        path, data, mapping, source, (encoding, sheet, header_row)
    )
    preview = Preview(
        table.name, table.fmt, table.encoding, layout.header_row, layout.detected
    )
    preview.sheet, preview.sheets = table.sheet, list(table.sheets)
    preview.columns = _column_previews(table, columns, mapping)
    preview.date_orders = list(found.orders.values())
    preview.empty_columns = len(found.empty)
    job = row_job(
        table,
        columns,
        mapping,
        source,
        settings,
        today,
        event=event,
        date_orders=found.orders,
    )
    plan = RowPlan(job, keep_raw=False)
    checker = _Checker(preview, plan, len(columns))
    unknown = unknown_columns(table, columns)
    for issue in unknown:
        checker.add(issue)
    for issue in order_issues(table.name, preview.date_orders):
        checker.add(issue)
    if unknown and not set(PERSON_COLUMNS) & {*columns, *mapping.constants}:
        # The import refuses such a file: the preview says so and shows its
        # columns (with the records column each header suggests), not its rows.
        checker.add(make_issue("no-person-columns", table.name, table.header_row))
    else:
        _check_rows(table, checker, preview)
    for issue in summary_issues(table.name, layout):
        checker.add(issue)
    preview.skipped = [(s.row, s.reason) for s in layout.skipped]
    preview.issue_counts = dict(sorted(checker.counts.items()))
    return preview


def _check_rows(table: Table, checker: _Checker, preview: Preview) -> None:
    """Check the rows a batch at a time; a large file's batches after the first
    :data:`PARALLEL_FROM` rows are prepared in forked processes."""
    batches = _batches(table.rows, preview)
    for batch in itertools.islice(batches, PARALLEL_FROM // BATCH_ROWS):
        checker.check(batch, table.fmt, table.name)
    if checker.samples_left or sys.platform != "linux":
        for batch in batches:
            checker.check(batch, table.fmt, table.name)
        return
    _check_in_parallel(table, checker, batches)


def _batches(rows: Iterable[Row], preview: Preview) -> Iterator[list[Row]]:
    """The table's rows that are not empty, counted, a batch at a time."""
    batch: list[Row] = []
    for row in rows:
        cells = row[1]
        if not (cells and cells[0].strip()) and not any(map(str.strip, cells)):
            continue
        preview.rows += 1
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


#: A batch prepared by a worker, and its cells read as "not known" by column.
_Slim = tuple[PreparedBatch, Counter[str]]
#: The plan forked processes prepare rows with (set before the fork).
_PLAN: list[RowPlan] = []


def _check_in_parallel(
    table: Table, checker: _Checker, batches: Iterator[list[Row]]
) -> None:
    """Prepare the batches in :data:`WORKERS` forked processes, counted here in
    the file's order: the same counts and issues as in one process.

    This process reads the file (a third of the work) and keeps at most
    :data:`IN_FLIGHT` batches with the workers. The rows go to them pickled; what
    comes back is small (issues, record ids and which rows were refused): the
    samples were taken before. A reading error is raised here, as in one process;
    a worker that dies (killed, out of memory) is an error, not a wait.
    """
    _PLAN[:] = [checker.plan]
    fork = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(WORKERS, mp_context=fork) as pool:
            pending: deque[Future[_Slim]] = deque()
            for batch in batches:
                aligned = checker.align(batch, table.fmt, table.name)
                if aligned:
                    pending.append(pool.submit(_prepare_slim, aligned))
                if len(pending) > IN_FLIGHT:
                    _count(checker, pending.popleft().result())
            while pending:
                _count(checker, pending.popleft().result())
    except BrokenProcessPool:
        # A worker was killed (out of memory, a signal): say so, never wait.
        raise IngestError(
            f"{table.name}: the preview's worker process stopped before it finished "
            "(out of memory?); nothing was written"
        ) from None
    finally:
        _PLAN.clear()


def _count(checker: _Checker, slim: _Slim) -> None:
    batch, not_known = slim
    checker.plan.not_known.update(not_known)
    checker.prepared(batch)


_KEPT: tuple[Any, ...] = ()


def _prepare_slim(rows: list[Row]) -> _Slim:
    """A worker's batch: prepared, without the records' values (only whether a row
    was refused for a nested value), and its cells read as "not known"."""
    plan = _PLAN[0]
    plan.not_known = Counter()
    batch = plan.prepare(rows)
    records = [None if r is None else _KEPT for r in batch.records]
    size = len(rows)
    slim = batch._replace(records=records, raws=[""] * size, shas=[""] * size)
    return slim, plan.not_known
