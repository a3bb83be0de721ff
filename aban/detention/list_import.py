"""Importing a detainee list: its records, then each person's dated detention events.

The records go in through :func:`aban.ingest.importer.import_file`, the path of
``aban import`` (the same mapping, checks, audit entry and no-op on the same file
for the same source), so that linkage, grading and the audit see them. The list's
own columns (:mod:`aban.detention.lists`) are kept in each record's raw data; the
status column gives the record its status (``executed``, ``died_in_custody``,
``disappeared``, else ``detained``). Then the events read from each row are stored
as a detention events import (:func:`aban.detention.register.store_events`), anchored
on the row's record, with its own audit entry.

The two steps are two transactions: if the second fails, importing the list again
adds the events (the records are then already in, unchanged).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from aban.detention.events import EventRow
from aban.detention.lists import (
    LIST_COLUMNS,
    ListLayout,
    ListReader,
    list_layout,
    status_mapping,
)
from aban.detention.register import DetentionImport, store_events
from aban.ingest.importer import ImportResult, import_file, read_table
from aban.ingest.issues import FileImport, Issue, fail
from aban.ingest.layout import lay_out
from aban.ingest.mapping import ColumnMapping
from aban.ingest.table import Table
from aban.store.workspace import Workspace
from aban.vocab.detainees import DETAINEE_COLUMNS
from aban.vocab.sources import check_source_name


@dataclass
class DetaineeListImport(FileImport):
    """What an import of a detainee list did: its records and its events."""

    accepted: int = 0
    rejected: int = 0
    sources: list[str] = dataclasses.field(default_factory=list)
    events: int = 0
    events_unchanged: int = 0
    new_detentions: int = 0

    def counts(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "sources": self.sources,
            "events": self.events,
            "events_unchanged": self.events_unchanged,
            "new_detentions": self.new_detentions,
        }


def _adapted(
    table: Table, mapping: ColumnMapping, layout: ListLayout, rows: list[Any]
) -> ColumnMapping:
    """The mapping the records import takes: without the list's own columns set
    for every row (they are no records columns); the status column mapped onto
    ``status``, its texts onto records statuses (the mapping's own values first)."""
    constants = {
        c: v for c, v in mapping.constants.items() if c not in DETAINEE_COLUMNS
    }
    mapping = dataclasses.replace(mapping, constants=constants)
    at = layout.at.get("status")
    if at is None:
        return mapping
    columns = dict(mapping.columns)
    columns.setdefault(table.header[at].strip(), "status")
    texts = {layout.cell(cells, "status") for _, cells in rows}
    values = dict(mapping.values)
    values["status"] = {**status_mapping(layout, texts), **values.get("status", {})}
    return dataclasses.replace(mapping, columns=columns, values=values)


def detention_file_kind(
    path: Path, mapping: ColumnMapping | None = None, encoding: str | None = None
) -> Literal["events", "list"]:
    """Whether a file is a detention events file or a detainee list.

    An events file has a ``date`` column and none of a list's own columns
    (:data:`aban.vocab.detainees.DETAINEE_COLUMNS`, found by their header words);
    a file read with a mapping is a list.

    Raises:
        FileIssueError: the file cannot be read.
    """
    if mapping is not None:
        return "list"
    try:
        data = path.read_bytes()
    except OSError as err:
        raise fail("file-not-found", path.name) from err
    table = read_table(path, data, ColumnMapping(), encoding, None)
    layout = list_layout(table, ColumnMapping())
    header = {h.strip().lower() for h in table.header}
    own = set(layout.at) & (set(DETAINEE_COLUMNS) - {"source_url"})
    return "events" if "date" in header and not own else "list"


def _list_columns(layout: ListLayout) -> set[str]:
    return {layout.names[i] for c, i in layout.at.items() if c in LIST_COLUMNS}


def import_detainee_list(
    ws: Workspace,
    path: Path,
    *,
    source: str | None = None,
    mapping: ColumnMapping | None = None,
    as_of: dt.date | None = None,
    skip_invalid: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    progress: Callable[[int], None] | None = None,
    today: dt.date | None = None,
) -> DetaineeListImport:
    """Import a detainee list (one row per person) into the register.

    Args:
        ws: an open workspace.
        path: a CSV, XLSX or JSON list (:mod:`aban.detention.lists`).
        source: the source of every row; without it, a ``source`` column.
        mapping: how the file's columns map onto the records format.
        as_of: the date of the list: the date of statuses whose row gives no date
            of last news.
        skip_invalid: import the valid records (and their events), record the rest.
        encoding: force a text encoding.
        sheet: the XLSX sheet to read.
        progress: called with the number of records read so far.
        today: dates after it are in the future (default: today).

    Returns:
        What was imported; ``refused`` if record errors stopped it (nothing
        written), ``already_imported`` if this list was imported before.

    Raises:
        FileIssueError: the file cannot be read as records.
        ConfigError: ``source`` is not a usable name.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise fail("file-not-found", path.name) from err
    source = check_source_name(source) if source is not None else None
    mapping = mapping or ColumnMapping()
    # The header and rows as the records import finds them (below a title, without
    # totals rows).
    table, _ = lay_out(read_table(path, data, mapping, encoding, sheet), mapping)
    layout = list_layout(table, mapping)
    rows = list(table.rows)
    records = import_file(
        ws,
        path,
        source=source,
        mapping=_adapted(table, mapping, layout, rows),
        skip_invalid=skip_invalid,
        encoding=encoding,
        sheet=sheet,
        progress=progress,
        today=today,
    )
    result = _from_records(records, _list_columns(layout))
    if result.refused:
        return result
    day = today or dt.date.today()
    reader = ListReader(table.name, layout, source, as_of, day)
    events, issues = _read_events(reader, rows)
    refused = {i.row for i in result.errors}
    issues = [i for i in issues if i.row not in refused]  # no events there
    digest = hashlib.sha256(data + b"\n" + (source or "").encode("utf-8"))
    found = DetentionImport(path.name, digest.hexdigest(), records.rows)
    store_events(ws, found, events, issues, unanchored="skip")
    result.issues = sorted([*result.issues, *found.issues], key=lambda i: i.row or 0)
    result.events, result.events_unchanged = found.events, found.unchanged
    result.new_detentions = found.new_detentions
    result.already_imported = records.already_imported and found.already_imported
    result.head = found.head or records.head
    return result


def _from_records(records: ImportResult, list_columns: set[str]) -> DetaineeListImport:
    """The list import's counts and issues from its records import (without the
    ``unknown-column`` warnings of the list's own columns, which are read)."""
    return DetaineeListImport(
        records.file,
        records.content_sha256,
        records.rows,
        records.unchanged,
        [
            i
            for i in records.issues
            if not (i.code == "unknown-column" and i.column in list_columns)
        ],
        records.refused,
        records.already_imported,
        records.head,
        records.accepted,
        records.rejected,
        list(records.sources),
    )


def _read_events(
    reader: ListReader, rows: list[Any]
) -> tuple[list[EventRow], list[Issue]]:
    events: list[EventRow] = []
    issues: list[Issue] = []
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        row, found = reader.read_row(number, cells)
        if not row.record_id or not row.source:
            continue  # the records import refused the row already
        more, warnings = reader.events(row)
        events += more
        issues += [*found, *warnings]
    return events, issues
