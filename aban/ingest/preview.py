"""What an import of a file would do, without a register: ``aban import --preview``.

The preview reads the file as the import does (the same readers, header and layout,
mapping and checks) and writes nothing: it needs no register, only the workspace's
settings. It does not compare the rows with records already in the register, so
``record-id-changed`` and rows already imported show only in the import itself.

A file of more than :data:`PARALLEL_FROM` rows has the rest of its rows checked in two
forked processes (:mod:`aban.ingest.parallel`): those of a CSV whose rows are its
lines read the file's parts themselves, first pass included.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aban.config import Settings
from aban.ingest import parallel
from aban.ingest.dateorder import ColumnOrder, order_issues
from aban.ingest.firstpass import FirstPass, drop_columns, first_pass
from aban.ingest.headers import guess_columns
from aban.ingest.importer import (
    BATCH_ROWS,
    collector_paused,
    map_columns,
    read_laid_out,
    row_job,
    summary_issues,
    unknown_columns,
)
from aban.ingest.issues import Issue, fail, make_issue
from aban.ingest.layout import Layout
from aban.ingest.lenient import EventDates
from aban.ingest.mapping import ColumnMapping
from aban.ingest.parallel import Split, align_rows, nonempty_batches, split_table
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
        aligned, misfits = align_rows(rows, self.width, fmt, name)
        self.misaligned(misfits)
        return aligned

    def misaligned(self, issues: list[Issue]) -> None:
        """Refuse the rows of these ``row-length`` issues."""
        for issue in issues:
            self.preview.refused_rows += 1
            self.add(issue)

    def prepared(self, batch: PreparedBatch) -> None:
        """Count a batch prepared elsewhere (:mod:`aban.ingest.parallel`)."""
        self._prepared(batch)

    def _prepared(self, batch: PreparedBatch) -> None:
        self._record_ids(batch)
        found = batch.issues
        refused = set()
        if None in batch.records:
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

    def _record_ids(self, batch: PreparedBatch) -> None:
        """The issues of record ids missing, or already seen in the file."""
        seen, numbers = self.seen, batch.numbers
        keys = list(zip(batch.sources, batch.record_ids, strict=True))
        firsts = dict(zip(reversed(keys), reversed(numbers), strict=True))
        if (
            len(firsts) == len(keys)
            and "" not in batch.record_ids
            and seen.keys().isdisjoint(firsts)
        ):
            seen.update(firsts)  # most batches: each id new, one step in C
            return
        found = batch.issues
        for k, (key, number) in enumerate(zip(keys, numbers, strict=True)):
            if not key[1]:
                issue = batch.context(k).issue("record-id-missing", "record_id")
                found.setdefault(k, []).append(issue)
            elif (first := seen.setdefault(key, number)) != number:
                ctx = batch.context(k)
                issue = ctx.issue("record-id-duplicate", "record_id", first=first)
                found.setdefault(k, []).append(issue)


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
    with collector_paused():
        return _preview(
            path,
            data,
            settings,
            source,
            mapping,
            (encoding, sheet, header_row),
            today,
            event,
        )


def _preview(
    path: Path,
    data: bytes,
    settings: Settings,
    source: str | None,
    mapping: ColumnMapping,
    options: tuple[str | None, str | None, int | None],
    today: dt.date | None,
    event: EventDates | None,
) -> Preview:
    table, layout, columns, found, split = _read_columns(
        path, data, mapping, source, options
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
        _check_rows(table, checker, preview, split, layout)
    for issue in summary_issues(table.name, layout):
        checker.add(issue)
    preview.skipped = [(s.row, s.reason) for s in layout.skipped]
    preview.issue_counts = dict(sorted(checker.counts.items()))
    return preview


def _read_columns(
    path: Path,
    data: bytes,
    mapping: ColumnMapping,
    source: str | None,
    options: tuple[str | None, str | None, int | None],
) -> tuple[
    Table, Layout, list[str], FirstPass, tuple[Split, list[str], list[int]] | None
]:
    """As :func:`~aban.ingest.importer.read_columns`; a large CSV whose rows are
    its lines is split (:func:`~aban.ingest.parallel.split_table`): its first rows
    read here, its parts scanned in forked workers, and the file read once. Then
    also the split, with the columns before the empty ones were dropped, and those.
    """
    table, layout = read_laid_out(path, data, mapping, options, keep_text=True)
    columns = map_columns(table, mapping, source)
    head = PARALLEL_FROM // BATCH_ROWS * BATCH_ROWS
    split = split_table(table, mapping.delimiter, mapping.skip_rows, head)
    if split is None:
        table.text = None  # the reader alone holds it (see read_csv)
    found = first_pass(table, columns, mapping, split.scan if split else None)
    if found.scanned:
        del table, layout  # its rows are read: free its text before reading again
        table, layout = read_laid_out(path, data, mapping, options)
    if split is not None and split.before is None:
        split.scan({}, [])  # each part's rows, for the batches' ends
    dropped, kept = drop_columns(table, columns, found.empty)
    parts = None if split is None else (split, columns, found.empty)
    return dropped, layout, kept, found, parts


def _check_rows(
    table: Table,
    checker: _Checker,
    preview: Preview,
    split: tuple[Split, list[str], list[int]] | None,
    layout: Layout,
) -> None:
    """Check the rows a batch at a time; a large file's batches after the first
    :data:`PARALLEL_FROM` rows are prepared in forked processes (of a split CSV,
    its parts; ``split``: the split, with the columns before the empty ones were
    dropped, and those)."""
    batches = _batches(table.rows, preview)
    for batch in itertools.islice(batches, PARALLEL_FROM // BATCH_ROWS):
        checker.check(batch, table.fmt, table.name)
    if split is not None:  # the first rows were all the table's rows
        parts, columns, empty = split
        if checker.samples_left:
            rows = parallel.part_rows(parts, layout, columns, empty)
            for batch in _batches(rows, preview):
                checker.check(batch, table.fmt, table.name)
        else:
            work = columns, empty, checker.width, BATCH_ROWS
            preview.rows += parallel.check_parts(parts, checker, layout, work)
        return
    if checker.samples_left or sys.platform != "linux":
        for batch in batches:
            checker.check(batch, table.fmt, table.name)
        return
    parallel.check_batches(checker, batches, table.fmt, table.name)


def _batches(rows: Iterable[Row], preview: Preview) -> Iterator[list[Row]]:
    """The table's rows that are not empty, counted, a batch at a time."""
    for batch in nonempty_batches(rows, BATCH_ROWS):
        preview.rows += len(batch)
        yield batch
