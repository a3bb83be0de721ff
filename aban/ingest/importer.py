"""Importing a list into the register: one transaction, all or nothing.

Rows are read, checked and written in one pass inside an immediate transaction; if any
row has an error (and ``skip_invalid`` is off), the transaction is rolled back and the
register is as before. A kill at any point leaves the register as before too: SQLite's
rollback journal undoes a transaction that never committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from aban.config import Settings
from aban.errors import ConfigError
from aban.event import load_event
from aban.ingest.csv import read_csv
from aban.ingest.dateorder import ColumnOrder, order_issues
from aban.ingest.firstpass import FirstPass, drop_columns, first_pass
from aban.ingest.issues import Issue, fail, make_issue
from aban.ingest.json import read_json
from aban.ingest.layout import Layout, lay_out
from aban.ingest.lenient import EventDates
from aban.ingest.mapping import ColumnMapping, map_header
from aban.ingest.replace import check_replace, finish_replace
from aban.ingest.rows import RowJob, RowPlan
from aban.ingest.storing import ImportResult, ImportState, store_rows
from aban.ingest.table import Row, Table
from aban.ingest.xlsx import read_xlsx
from aban.store.db import transaction
from aban.store.workspace import Workspace, now
from aban.vocab.columns import ALL_COLUMNS, PERSON_COLUMNS
from aban.vocab.sources import check_source_name

Progress = Callable[[int], None]
#: Rows read and checked together (larger batches keep more objects alive at once,
#: which makes the garbage collector's passes slower), and rows written together.
__all__ = [
    "BATCH_ROWS",
    "SKIP_MODES",
    "WRITE_ROWS",
    "ImportResult",
    "SkipMode",
    "collector_paused",
    "event_dates",
    "import_file",
    "map_columns",
    "read_columns",
    "read_laid_out",
    "read_table",
]
#: What ``skip_invalid`` skips: a row with an error (``rows``), or only the cell
#: whose value is an error, keeping the row (``cells``; errors that are not about
#: one cell's value still refuse the row).
SkipMode = Literal["rows", "cells"]
SKIP_MODES: tuple[SkipMode, ...] = ("rows", "cells")

BATCH_ROWS = 500
WRITE_ROWS = 5000
#: The records format's words in the message of ``unknown-column``.
_UNKNOWN_COLUMN = {"fmt": "records", "kept": "kept as raw data only"}


class _Refused(Exception):
    """Internal: roll the transaction back after collecting row errors."""


def read_table(
    path: Path,
    data: bytes,
    mapping: ColumnMapping,
    encoding: str | None,
    sheet: str | None,
    *,
    keep_text: bool = False,
) -> Table:
    """Read ``data`` (the bytes of ``path``) with the reader its extension calls for
    (the first row is the header: see :func:`aban.ingest.layout.lay_out`);
    ``keep_text``: a CSV's table keeps its text (see :func:`read_csv`)."""
    suffix = path.suffix.lower()
    encoding = encoding or mapping.encoding
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, path.name, sheet=sheet or mapping.sheet)
    if suffix in (".json", ".jsonl", ".ndjson"):
        return read_json(data, path.name, encoding=encoding, repeat=mapping.repeat)
    return read_csv(
        data,
        path.name,
        encoding=encoding,
        delimiter=mapping.delimiter,
        keep_text=keep_text,
    )


def read_columns(
    path: Path,
    data: bytes,
    mapping: ColumnMapping,
    source: str | None,
    options: tuple[str | None, str | None, int | None],
) -> tuple[Table, Layout, list[str], FirstPass]:
    """The file's table laid out (:func:`~aban.ingest.layout.lay_out`), its layout,
    the records column of each of its columns (:func:`map_columns`) and what the
    first pass over it found (:mod:`aban.ingest.firstpass`), its empty columns
    without a header dropped.

    When the first pass is needed, it reads the rows of the table read first and the
    rows are read again from a second reading, made once the first is freed (a CSV's
    text is held once at a time, not twice).

    Args:
        path: the file, ``data`` its bytes, ``mapping`` its mapping.
        source: the source of every row, if given.
        options: the encoding, sheet and header row asked for.

    Raises:
        FileIssueError: as :func:`read_table`, :func:`lay_out` and
            :func:`map_columns`.
    """
    table, layout = read_laid_out(path, data, mapping, options)
    columns = map_columns(table, mapping, source)
    found = first_pass(table, columns, mapping)
    if found.scanned:
        del table, layout  # its rows are read: free its text before reading again
        table, layout = read_laid_out(path, data, mapping, options)
    table, columns = drop_columns(table, columns, found.empty)
    return table, layout, columns, found


def read_laid_out(
    path: Path,
    data: bytes,
    mapping: ColumnMapping,
    options: tuple[str | None, str | None, int | None],
    *,
    keep_text: bool = False,
) -> tuple[Table, Layout]:
    """The file's table (:func:`read_table`, ``keep_text`` as there) laid out
    (:func:`lay_out`), and its layout; ``options``: the encoding, sheet and header
    row asked for."""
    encoding, sheet, header_row = options
    table = read_table(path, data, mapping, encoding, sheet, keep_text=keep_text)
    return lay_out(table, mapping, header_row)


def map_columns(table: Table, mapping: ColumnMapping, source: str | None) -> list[str]:
    """The records column of each of the table's columns.

    Raises:
        FileIssueError: a mapped column missing, a column twice, no record_id
            column, or no source (neither ``source`` nor a source column).
    """
    renamed, missing = map_header(table.header, mapping)
    row = table.header_row
    if missing:
        names = ", ".join(missing)
        raise fail(
            "mapping-column-missing", table.name, row, columns=names, header_row=row
        )
    seen: set[str] = set()
    for column in renamed:
        if column in seen and column:
            raise fail("header-duplicate-column", table.name, row)
        seen.add(column)
    if set(mapping.constants) & seen:
        raise fail("header-duplicate-column", table.name, row)
    if "record_id" not in seen and not mapping.row_ids:
        raise fail("header-missing-record-id", table.name, row)
    if source is None and "source" not in seen:
        raise fail("source-missing", table.name, row)
    return renamed


def import_file(
    ws: Workspace,
    path: Path,
    *,
    source: str | None = None,
    mapping: ColumnMapping | None = None,
    skip_invalid: bool | SkipMode = False,
    encoding: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    header_row: int | None = None,
    replace: bool = False,
    correct: bool = False,
) -> ImportResult:
    """Import the records of one file into the workspace's register.

    Args:
        ws: an open workspace.
        path: a CSV, XLSX or JSON file (by extension; anything else is read as CSV).
        source: the source of every row; without it, a ``source`` column must name
            each row's source.
        mapping: how the file's columns map onto the records format.
        skip_invalid: ``rows`` (or True): import the valid rows and record the
            refused ones, instead of refusing the whole file; ``cells``: also keep
            a row whose errors are each about one cell's value, with those cells
            emptied (each a ``cell-emptied`` warning).
        encoding: force a text encoding.
        sheet: the XLSX sheet to read (default: the first).
        progress: called with the number of rows read so far.
        today: the date after which dates are in the future (default: today).
        header_row: the header's row (default: the mapping's, else found).
        replace: the file is a new version of ``source``'s list
            (:mod:`aban.ingest.replace`): changed records take their new values,
            and records it leaves out are retracted.
        correct: with ``replace``, the file corrects only the records it names
            (a record edited in the web app): none it leaves out is retracted.

    Returns:
        What was imported; ``refused`` if row errors stopped it (nothing written).

    Raises:
        FileIssueError: the file cannot be read as records, or none of its
            columns is read as a name, national id, age, sex, date or place while
            some are not read at all (``no-person-columns``); nothing written.
        ConfigError: ``source`` is not a usable name; ``replace`` without
            ``source``, of a retracted source, or with an earlier version's file;
            the workspace's ``[event]`` is invalid.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise fail("file-not-found", path.name) from err
    except OSError as err:
        raise fail("file-not-found", path.name) from err
    mapping = mapping or ColumnMapping()
    result = ImportResult(path.name, hashlib.sha256(data).hexdigest())
    if source is not None:
        source = check_source_name(source)
        if replace:
            check_replace(ws.conn, source, result.content_sha256)
        if _already_imported(ws, source, result.content_sha256):
            result.already_imported, result.sources = True, [source]
            return result
    elif replace:
        raise ConfigError("--replace takes a new version of one list: give --source")
    table, layout, columns, found = read_columns(
        path, data, mapping, source, (encoding, sheet, header_row)
    )
    unknown = unknown_columns(table, columns)
    if unknown and not set(PERSON_COLUMNS) & {*columns, *mapping.constants}:
        # Columns that say who the person is are there, unread (issue 15): a
        # mapping is what is missing. (Without any, each row is record-empty.)
        raise fail("no-person-columns", table.name, table.header_row)
    result.issues.extend(unknown)
    result.issues.extend(order_issues(table.name, list(found.orders.values())))
    try:
        with transaction(ws.conn):
            batch = ImportState(ws, result, table.fmt, replace)
            batch.keep_others = correct
            with batch.writer, collector_paused():
                job = row_job(
                    table,
                    columns,
                    mapping,
                    source,
                    ws.settings,
                    today,
                    event=event_dates(ws.path),
                    skip_cells=skip_invalid == "cells",
                    date_orders=found.orders,
                )
                _read_rows(batch, table, job, progress)
            result.issues.extend(summary_issues(table.name, layout))
            if result.errors and not skip_invalid:
                raise _Refused
            if source is None:
                _warn_protected(batch)
            _finish(batch)
    except _Refused:
        result.refused = True
    return result


def row_job(
    table: Table,
    columns: list[str],
    mapping: ColumnMapping,
    source: str | None,
    settings: Settings,
    today: dt.date | None,
    *,
    event: EventDates | None = None,
    skip_cells: bool = False,
    date_orders: dict[str, ColumnOrder] | None = None,
) -> RowJob:
    """What every row of the table is checked against (``event``: the first and
    last day of the workspace's event; ``skip_cells``: ``--skip-invalid cells``;
    ``date_orders``: from :func:`read_columns`, else every date is day first)."""
    raw_header = tuple(
        h if h.strip() else c for h, c in zip(table.header, columns, strict=True)
    )
    return RowJob(
        table.name,
        tuple(columns),
        raw_header,
        tuple(c for c in columns if c in ALL_COLUMNS),
        mapping.values,
        source,
        settings,
        today or dt.date.today(),
        constants=mapping.constants,
        row_ids=mapping.row_ids,
        event=event,
        skip_cells=skip_cells,
        date_orders={c: o.order for c, o in (date_orders or {}).items()},
    )


def unknown_columns(table: Table, columns: list[str]) -> list[Issue]:
    """An ``unknown-column`` warning for each column kept as raw data only."""
    return [
        make_issue("unknown-column", table.name, table.header_row, c, **_UNKNOWN_COLUMN)
        for c in columns
        if c and c not in ALL_COLUMNS and c != "source"
    ]


def summary_issues(file: str, layout: Layout) -> list[Issue]:
    """A ``row-summary`` warning for each totals row skipped."""
    return [make_issue("row-summary", file, row) for row in layout.summaries()]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while rows are read.

    Reading rows makes millions of short-lived objects and no reference cycles
    (they are freed by reference counting), while the collector's passes over the
    objects alive at the time (batches, caches) took a tenth of a large import's time
    (and of a preview's: its forked workers inherit the pause).
    The collector is restored afterwards, and then frees any cycle left.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _already_imported(ws: Workspace, source: str, sha: str) -> bool:
    row = ws.conn.execute(
        "select 1 from imports i join sources s on s.id = i.source_id "
        "where s.name = ? and i.content_sha256 = ?",
        (source, sha),
    ).fetchone()
    return row is not None


def event_dates(workspace: Path) -> EventDates | None:
    """The first and last day of the event of the workspace in folder ``workspace``
    (its aban.toml's ``[event]``), if it has one.

    Raises:
        ConfigError: the workspace's ``[event]`` is invalid.
    """
    event = load_event(workspace)
    return None if event is None else (event.start, event.end)


def _read_rows(
    batch: ImportState, table: Table, job: RowJob, progress: Progress | None
) -> None:
    result, columns = batch.result, list(job.header)
    plan = RowPlan(job)
    for rows, late in _aligned_batches(table, columns, result):
        start = 0
        prepared = plan.prepare(rows) if rows else None
        for position, issue in late:  # row-length issues, in file order
            store_rows(batch, prepared, start, position)
            result.issues.append(issue)
            start = position
        store_rows(batch, prepared, start, len(rows))
        batch.digest_written()
        if len(batch.pending) >= WRITE_ROWS:
            batch.flush()
        if progress:
            progress(result.rows)
    batch.flush()
    result.issues.extend(
        make_issue("not-known-emptied", table.name, None, column, count=count)
        for column, count in sorted(plan.not_known.items(), key=_column_order(job))
    )


def _column_order(job: RowJob) -> Callable[[tuple[str, int]], int]:
    """Sorts (column, count) pairs in the file's column order."""
    return lambda item: job.header.index(item[0])


def _aligned_batches(
    table: Table, columns: list[str], result: ImportResult
) -> Iterator[tuple[list[Row], list[tuple[int, Issue]]]]:
    """Batches of non-empty rows with as many cells as the header, each with the
    row-length issues of the rows left out, by the position they had in the batch."""
    width = len(columns)
    rows: list[Row] = []
    late: list[tuple[int, Issue]] = []
    for row_number, cells in table.rows:
        if not (cells and cells[0].strip()) and not any(map(str.strip, cells)):
            continue
        result.rows += 1
        if len(cells) == width:
            rows.append((row_number, cells))
        elif table.fmt == "csv":
            result.rejected += 1
            found, expected = len(cells), width
            issue = make_issue(
                "row-length", table.name, row_number, found=found, expected=expected
            )
            late.append((len(rows), issue))
        else:
            rows.append((row_number, (cells + [""] * (width - len(cells)))[:width]))
        if len(rows) == BATCH_ROWS:
            yield rows, late
            rows, late = [], []
    if rows or late:
        yield rows, late


def _warn_protected(batch: ImportState) -> None:
    """A warning, first among the issues, for each protected source that existed
    before and that rows of the file's source column were added to."""
    result = batch.result
    added = [
        src
        for src in sorted(batch.protected)
        if src not in batch.reused and batch.digests[batch.sources[src]].count
    ]
    result.issues[:0] = [
        make_issue(
            "protected-source-added",
            result.file,
            min(batch.seen[src].values(), default=None),
            "source",
            source=src,
        )
        for src in added
    ]


def _finish(batch: ImportState) -> None:
    """Store counts, issues, refused rows and the audit entry."""
    ws, result = batch.ws, batch.result
    conn, stamp = ws.conn, now()
    result.sources = sorted(batch.sources)
    new_imports = {s: i for s, i in batch.sources.items() if s not in batch.reused}
    if not new_imports and batch.reused:
        result.already_imported = True
        raise _Refused  # nothing new: roll back the source rows touched on the way
    for import_id in new_imports.values():
        conn.execute(
            "update imports set rows_read = ?, accepted = ?, unchanged = ?, "
            "rejected = ? where id = ?",
            (
                result.rows,
                result.accepted,
                result.unchanged,
                result.rejected,
                import_id,
            ),
        )
    changes = finish_replace(batch, stamp) if batch.replace else {}
    result.changes = changes
    first_import = next(iter(new_imports.values()), None)
    conn.executemany(
        "insert into issues (import_id, source_id, code, severity, file_name, "
        "row_number, column_name, record_id, message, created_at) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                batch.sources.get(i.source or "", first_import),
                batch.source_ids.get(i.source or ""),
                i.code,
                i.severity,
                i.file,
                i.row,
                i.column,
                i.record_id,
                i.message,
                stamp,
            )
            for i in result.issues
        ],
    )
    conn.executemany(
        "insert into rejected_rows (import_id, source_name, row_number, raw) "
        "values (?, ?, ?, ?)",
        [
            (batch.sources.get(s, first_import), s or None, r, raw)
            for s, r, raw in batch.rejected_rows
        ],
    )
    result.head = ws.record_audit(
        "import",
        {
            "file_sha256": result.content_sha256,
            "format": batch.fmt,
            "rows": result.rows,
            "accepted": result.accepted,
            "unchanged": result.unchanged,
            "rejected": result.rejected,
            **({"replace": changes} if batch.replace else {}),
            "imports": {
                str(i): {
                    "records": batch.digests[i].count,
                    "digest": batch.digests[i].hexdigest(),
                    "digest_version": batch.digests[i].version,
                }
                for i in new_imports.values()
            },
        },
    )
