"""Importing a list into the register: one transaction, all or nothing.

Rows are read, checked and written in one pass inside an immediate transaction; if any
row has an error (and ``skip_invalid`` is off), the transaction is rolled back and the
register is as before. A kill at any point leaves the register as before too: SQLite's
rollback journal undoes a transaction that never committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aban.errors import ConfigError
from aban.ingest.columns import ALL_COLUMNS
from aban.ingest.csv import read_csv
from aban.ingest.issues import Issue, fail, make_issue
from aban.ingest.json import read_json
from aban.ingest.mapping import ColumnMapping
from aban.ingest.rows import PreparedRow, RowJob, prepare_rows
from aban.ingest.table import Table
from aban.ingest.validate import RowContext
from aban.ingest.xlsx import read_xlsx
from aban.store.db import BatchWriter, transaction
from aban.store.records import INSERT_RECORD, RecordsDigest
from aban.store.sources import check_source_name, source_id
from aban.store.workspace import Workspace, now

Progress = Callable[[int], None]


@dataclass
class ImportResult:
    """What an import did. ``refused`` means nothing was written."""

    file: str
    content_sha256: str
    rows: int = 0
    accepted: int = 0
    unchanged: int = 0
    rejected: int = 0
    sources: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    refused: bool = False
    already_imported: bool = False
    head: str | None = None

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity in ("error", "fatal")]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "content_sha256": self.content_sha256,
            "rows": self.rows,
            "accepted": self.accepted,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "sources": self.sources,
            "refused": self.refused,
            "already_imported": self.already_imported,
            "issues": [i.to_dict() for i in self.issues],
            "head": self.head,
        }


class _Refused(Exception):
    """Internal: roll the transaction back after collecting row errors."""


def read_table(
    path: Path,
    data: bytes,
    mapping: ColumnMapping,
    encoding: str | None,
    sheet: str | None,
) -> Table:
    """Read ``data`` (the bytes of ``path``) with the reader its extension calls for."""
    suffix = path.suffix.lower()
    encoding = encoding or mapping.encoding
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, path.name, sheet=sheet or mapping.sheet)
    if suffix in (".json", ".jsonl", ".ndjson"):
        return read_json(data, path.name, encoding=encoding)
    return read_csv(data, path.name, encoding=encoding, delimiter=mapping.delimiter)


def _columns(table: Table, mapping: ColumnMapping, source: str | None) -> list[str]:
    renamed = [
        mapping.columns.get(h.strip(), h.strip().lower()) or f"column_{i}"
        for i, h in enumerate(table.header, start=1)
    ]
    seen: set[str] = set()
    for column in renamed:
        if column in seen and column:
            raise fail("header-duplicate-column", table.name, 1)
        seen.add(column)
    if "record_id" not in seen:
        raise fail("header-missing-record-id", table.name, 1)
    if source is None and "source" not in seen:
        raise fail("source-missing", table.name, 1)
    return renamed


class _Batch:
    """The state of one import inside its transaction."""

    def __init__(self, ws: Workspace, result: ImportResult, fmt: str) -> None:
        self.ws, self.result, self.fmt = ws, result, fmt
        self.sources: dict[str, int] = {}  # source name -> import id
        self.source_ids: dict[str, int] = {}
        self.existing: dict[str, dict[str, str]] = {}  # source -> record_id -> sha
        self.seen: dict[str, dict[str, int]] = {}  # source -> record_id -> row
        self.digests: dict[int, RecordsDigest] = {}
        self.pending: list[tuple[Any, ...]] = []
        self.writer = BatchWriter(ws.conn, INSERT_RECORD)
        self.rejected_rows: list[tuple[str, int, str]] = []
        self.reused: set[str] = set()

    def import_id(self, source: str) -> int:
        if source in self.sources:
            return self.sources[source]
        self.writer.wait()
        conn, stamp = self.ws.conn, now()
        sid, _ = source_id(conn, source, stamp)
        self.source_ids[source] = sid
        self.existing[source] = dict(
            conn.execute(
                "select record_id, content_sha256 from records where source_id = ?",
                (sid,),
            ).fetchall()
        )
        self.seen[source] = {}
        row = conn.execute(
            "select id from imports where source_id = ? and content_sha256 = ?",
            (sid, self.result.content_sha256),
        ).fetchone()
        if row:
            self.reused.add(source)
            import_id = int(row[0])
        else:
            import_id = conn.execute(
                "insert into imports (source_id, file_name, content_sha256, "
                "file_format, "
                "rows_read, accepted, unchanged, rejected, imported_at) "
                "values (?, ?, ?, ?, 0, 0, 0, 0, ?)",
                (sid, self.result.file, self.result.content_sha256, self.fmt, stamp),
            ).lastrowid
        self.sources[source] = import_id
        self.digests[import_id] = RecordsDigest()
        return import_id

    def flush(self) -> None:
        if self.pending:
            self.writer.write(self.pending)
            self.pending = []


def import_file(
    ws: Workspace,
    path: Path,
    *,
    source: str | None = None,
    mapping: ColumnMapping | None = None,
    skip_invalid: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Import the records of one file into the workspace's register.

    Args:
        ws: an open workspace.
        path: a CSV, XLSX or JSON file (by extension; anything else is read as CSV).
        source: the source of every row; without it, a ``source`` column must name
            each row's source.
        mapping: how the file's columns map onto the records format.
        skip_invalid: import the valid rows and record the refused ones, instead of
            refusing the whole file.
        encoding: force a text encoding.
        sheet: the XLSX sheet to read (default: the first).
        progress: called with the number of rows read so far.
        today: the date after which dates are in the future (default: today).

    Returns:
        What was imported; ``refused`` if row errors stopped it (nothing written).

    Raises:
        FileIssueError: the file cannot be read as records (nothing written).
        ConfigError: ``source`` is not a usable name.
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
        if _already_imported(ws, source, result.content_sha256):
            result.already_imported, result.sources = True, [source]
            return result
    table = read_table(path, data, mapping, encoding, sheet)
    columns = _columns(table, mapping, source)
    result.issues.extend(
        make_issue("unknown-column", table.name, 1, column)
        for column in columns
        if column and column not in ALL_COLUMNS and column != "source"
    )
    try:
        with transaction(ws.conn):
            batch = _Batch(ws, result, table.fmt)
            with batch.writer:
                _read_rows(batch, table, columns, mapping, source, progress, today)
            if result.errors and not skip_invalid:
                raise _Refused
            _finish(batch)
    except _Refused:
        result.refused = True
    return result


def _already_imported(ws: Workspace, source: str, sha: str) -> bool:
    row = ws.conn.execute(
        "select 1 from imports i join sources s on s.id = i.source_id "
        "where s.name = ? and i.content_sha256 = ?",
        (source, sha),
    ).fetchone()
    return row is not None


def _read_rows(
    batch: _Batch,
    table: Table,
    columns: list[str],
    mapping: ColumnMapping,
    source: str | None,
    progress: Progress | None,
    today: dt.date | None,
) -> None:
    result = batch.result
    raw_header = tuple(
        h if h.strip() else c for h, c in zip(table.header, columns, strict=True)
    )
    job = RowJob(
        table.name,
        tuple(columns),
        raw_header,
        tuple(c for c in columns if c in ALL_COLUMNS),
        mapping.values,
        source,
        batch.ws.settings,
        today or dt.date.today(),
    )
    for prepared in prepare_rows(job, _aligned_rows(table, columns, result)):
        _store_row(batch, prepared)
        if progress and result.rows % 1000 == 0:
            progress(result.rows)
        if len(batch.pending) >= 5000:
            batch.flush()
    batch.flush()
    if progress:
        progress(result.rows)


def _aligned_rows(
    table: Table, columns: list[str], result: ImportResult
) -> Iterator[tuple[int, list[str]]]:
    """Non-empty rows with as many cells as the header; others become issues."""
    width = len(columns)
    for row_number, cells in table.rows:
        if not any(map(str.strip, cells)):
            continue
        result.rows += 1
        if len(cells) == width:
            yield row_number, cells
        elif table.fmt == "csv":
            result.rejected += 1
            result.issues.append(
                make_issue(
                    "row-length",
                    table.name,
                    row_number,
                    found=len(cells),
                    expected=width,
                )
            )
        else:
            yield row_number, (cells + [""] * (width - len(cells)))[:width]


def _store_row(batch: _Batch, row: PreparedRow) -> None:
    """The stateful half: identity checks against file and register, then write."""
    result, issues, ctx = batch.result, row.issues, row.context
    identity = _identity_issues(batch, ctx, row.source)
    if identity:
        issues.extend(identity)
    valid = not issues or not any(i.severity == "error" for i in issues)
    if valid:
        stored = batch.existing[row.source].get(row.record_id)
        if stored == row.content_sha256:
            result.unchanged += 1
            result.issues.extend(issues)
            return
        if stored is not None:
            issues.append(_row_issue(ctx, "record-id-changed", "record_id"))
            valid = False
    if issues:
        result.issues.extend(issues)
    if not valid or row.values is None:
        result.rejected += 1
        batch.rejected_rows.append((row.source, row.row_number, row.raw_json))
        return
    import_id = batch.sources[row.source]  # the identity checks registered it
    batch.digests[import_id].add(row.values)
    batch.pending.append((batch.source_ids[row.source], import_id, *row.values))
    result.accepted += 1


def _identity_issues(batch: _Batch, ctx: RowContext, src: str) -> list[Issue]:
    """record_id and source checks: present, usable, unique within the source."""
    if src not in batch.sources:  # first row of this source: check its name once
        if not src:
            return [_row_issue(ctx, "source-empty", "source")]
        try:
            check_source_name(src)
        except ConfigError:
            return [_row_issue(ctx, "source-invalid", "source")]
        batch.import_id(src)
    if not ctx.record_id:
        return [_row_issue(ctx, "record-id-missing", "record_id")]
    first = batch.seen[src].setdefault(ctx.record_id, ctx.row)
    if first != ctx.row:
        return [_row_issue(ctx, "record-id-duplicate", "record_id", first=first)]
    return []


def _row_issue(ctx: RowContext, code: str, column: str, **fields: Any) -> Issue:
    return make_issue(
        code,
        ctx.file,
        ctx.row,
        column,
        record_id=ctx.record_id,
        source=ctx.source,
        **fields,
    )


def _finish(batch: _Batch) -> None:
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
            "imports": {
                str(i): {
                    "records": batch.digests[i].count,
                    "digest": batch.digests[i].hexdigest(),
                }
                for i in new_imports.values()
            },
        },
    )
