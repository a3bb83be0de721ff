"""The stateful half of an import: checks against the file so far and the register,
and writing.

Rows come here prepared (aban/ingest/rows.py). Each row's record id must be new in its
source, both in this file and in the register (where the same record unchanged is
counted, and a changed one refused); records that pass are queued for the writer
thread and their import's digest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aban.errors import ConfigError
from aban.ingest.issues import FileImport, Issue
from aban.ingest.replace import replaced, stored_rows
from aban.ingest.rows import PreparedBatch
from aban.ingest.validate import RowContext
from aban.store.db import BatchWriter
from aban.store.records import INSERT_RECORD, RecordsDigest
from aban.store.sources import source_id
from aban.store.workspace import Workspace, now
from aban.text.identifiers import has_invisible, normalise_identifier
from aban.vocab.sources import check_source_name


@dataclass
class ImportResult(FileImport):
    """What an import of records did. ``refused`` means nothing was written."""

    accepted: int = 0
    rejected: int = 0
    sources: list[str] = field(default_factory=list)
    #: A new version of a list (--replace): records added, changed, retracted
    #: and brought back.
    changes: dict[str, int] | None = None

    def counts(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "accepted": self.accepted,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "sources": self.sources,
        }
        if self.changes is not None:
            found["changes"] = self.changes
        return found


class ImportState:
    """The state of one import inside its transaction."""

    def __init__(
        self, ws: Workspace, result: ImportResult, fmt: str, replace: bool = False
    ) -> None:
        self.ws, self.result, self.fmt = ws, result, fmt
        # A new version of the list (--replace): each record's row id and whether
        # it is retracted, and the changed records (row id, values) and retracted
        # ones it brings back.
        self.replace = replace
        # A correction of the records it names only (import_file's ``correct``):
        # the records it leaves out stay as they are.
        self.keep_others = False
        self.row_ids: dict[str, dict[str, tuple[int, bool]]] = {}
        self.changed: list[tuple[int, tuple[Any, ...]]] = []
        self.returned: list[int] = []
        self.sources: dict[str, int] = {}  # source name -> import id
        self.source_ids: dict[str, int] = {}
        self.existing: dict[str, dict[str, str]] = {}  # source -> record_id -> sha
        self.seen: dict[str, dict[str, int]] = {}  # source -> record_id -> row
        self.digests: dict[int, RecordsDigest] = {}
        self.written: dict[int, list[tuple[Any, ...]]] = {}  # import id -> to digest
        self.pending: list[tuple[Any, ...]] = []
        self.writer = BatchWriter(ws.conn, INSERT_RECORD)
        self.rejected_rows: list[tuple[str, int, str]] = []
        self.reused: set[str] = set()
        self.protected: set[str] = set()  # protected sources that existed before

    def import_id(self, source: str) -> int:
        """This file's import of ``source``: on first sight, the source is registered
        (waiting for the writer, which shares the connection) and its stored record
        ids are loaded."""
        if source in self.sources:
            return self.sources[source]
        self.writer.wait()
        conn, stamp = self.ws.conn, now()
        sid, created = source_id(conn, source, stamp)
        self.source_ids[source] = sid
        if (
            not created
            and conn.execute(
                "select protected from sources where id = ?", (sid,)
            ).fetchone()[0]
        ):
            self.protected.add(source)
        # Ids in NFC, as rows give them: an id stored before ids were composed
        # still matches its row.
        self.existing[source] = {
            normalise_identifier(record_id): sha
            for record_id, sha in conn.execute(
                "select record_id, content_sha256 from records where source_id = ?",
                (sid,),
            )
        }
        self.seen[source] = {}
        if self.replace:
            self.row_ids[source] = stored_rows(conn, sid)
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
            # Who wrote it: a field documenter sees only the records it wrote.
            conn.execute(
                "insert into import_actors (import_id, actor) values (?, ?)",
                (import_id, self.ws.settings.actor),
            )
        self.sources[source] = import_id
        self.digests[import_id] = RecordsDigest()
        self.written[import_id] = []
        return import_id

    def write(self, src: str, record: tuple[Any, ...]) -> None:
        """Queue a record of source ``src`` (registered) for writing and digesting."""
        import_id = self.sources[src]
        self.written[import_id].append(record)
        self.pending.append((self.source_ids[src], import_id, *record))
        self.result.accepted += 1

    def digest_written(self) -> None:
        """Add the records queued since the last call to their imports' digests."""
        for import_id, records in self.written.items():
            self.digests[import_id].add_many(records)
            records.clear()

    def flush(self) -> None:
        """Hand the queued records to the writer thread."""
        if self.pending:
            self.writer.write(self.pending)
            self.pending = []


def store_rows(
    batch: ImportState, rows: PreparedBatch | None, start: int, stop: int
) -> None:
    """The stateful half: identity checks against file and register, then write.

    Most rows have no issue, a registered source, a new record id: they take the
    short way. Any other row takes :func:`_store_row`, which does every check.
    """
    if rows is None:
        return
    issues, sources, seen, existing = (
        rows.issues,
        batch.sources,
        batch.seen,
        batch.existing,
    )
    source_ids, written, pending = batch.source_ids, batch.written, batch.pending
    accepted = 0
    for k in range(start, stop):
        src, record_id, number = rows.sources[k], rows.record_ids[k], rows.numbers[k]
        record = rows.records[k]
        if (
            record is None
            or k in issues
            or src not in sources
            or not record_id
            or seen[src].setdefault(record_id, number) != number
            or record_id in existing[src]
        ):
            _store_row(batch, rows, k)
        else:  # as batch.write(src, record), without a call per record
            import_id = sources[src]
            written[import_id].append(record)
            pending.append((source_ids[src], import_id, *record))
            accepted += 1
    batch.result.accepted += accepted


def _store_row(batch: ImportState, rows: PreparedBatch, k: int) -> None:
    src, record_id, number = rows.sources[k], rows.record_ids[k], rows.numbers[k]
    issues = rows.issues.get(k, [])
    if src in batch.sources and record_id:
        first = batch.seen[src].setdefault(record_id, number)
        if first != number:
            ctx = rows.context(k)
            issues.append(ctx.issue("record-id-duplicate", "record_id", first=first))
    else:
        issues.extend(_identity_issues(batch, rows.context(k), src))
    write = _check_stored(batch, rows, k, issues)
    if issues:
        batch.result.issues.extend(issues)
    record = rows.records[k]
    if write and record is not None:
        batch.write(src, record)


def _check_stored(
    batch: ImportState, rows: PreparedBatch, k: int, issues: list[Issue]
) -> bool:
    """Whether row ``k`` is to be written; else count it as unchanged or refused."""
    result = batch.result
    valid = not issues or not any(i.severity == "error" for i in issues)
    if valid:
        stored = batch.existing[rows.sources[k]].get(rows.record_ids[k])
        if batch.replace and stored is not None:
            return replaced(batch, rows, k, stored)
        if stored == rows.shas[k]:
            result.unchanged += 1
            return False
        if stored is not None:
            issues.append(rows.context(k).issue("record-id-changed", "record_id"))
            valid = False
    if not valid or rows.records[k] is None:
        result.rejected += 1
        batch.rejected_rows.append((rows.sources[k], rows.numbers[k], rows.raws[k]))
        return False
    return True


def _identity_issues(batch: ImportState, ctx: RowContext, src: str) -> list[Issue]:
    """record_id and source checks: present, usable, unique within the source."""
    if src not in batch.sources:  # first row of this source: check its name once
        if not src:
            return [ctx.issue("source-empty", "source")]
        if has_invisible(src):
            return [ctx.issue("invisible-characters", "source")]
        try:
            check_source_name(src)
        except ConfigError:
            return [ctx.issue("source-invalid", "source")]
        batch.import_id(src)
    if not ctx.record_id:
        return [ctx.issue("record-id-missing", "record_id")]
    first = batch.seen[src].setdefault(ctx.record_id, ctx.row)
    if first != ctx.row:
        return [ctx.issue("record-id-duplicate", "record_id", first=first)]
    return []
