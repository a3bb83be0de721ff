"""Data entry through the same path as an import: one row, checked like a file.

A form's values become a one-row JSON document held in memory
(:class:`MemoryFile`, never written to disk) and go through
:func:`aban.ingest.importer.import_file` or
:func:`aban.detention.register.import_detention_events`: the same cell checks,
normalisation, issues, no-op for the same content, transaction and audit entry
as ``aban import`` and ``aban detentions import``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PosixPath

from aban.detention.register import import_detention_events
from aban.errors import ConfigError
from aban.ingest.importer import import_file
from aban.ingest.issues import FileIssueError, Issue, make_issue
from aban.store.workspace import Workspace
from aban.vocab.canonical import FIELDS, NAME_FIELDS
from aban.vocab.columns import PROTECTED_COLUMNS
from aban.workflow.corrections import replace_list

#: The fields of the new-record form, in order (record_id and source apart).
RECORD_FORM_FIELDS = (*NAME_FIELDS, *FIELDS, *PROTECTED_COLUMNS)
#: The fields of the detention event form.
EVENT_FORM_FIELDS = ("person_id", "date", "status", "place", "source", "note")
RECORD_FILE = "web-form.json"
EVENT_FILE = "web-event.json"


class MemoryFile(PosixPath):
    """A path whose content is held in memory: ``read_bytes`` returns it."""

    _content: bytes

    def read_bytes(self) -> bytes:
        return self._content


def memory_file(name: str, content: bytes) -> Path:
    """A :class:`MemoryFile` called ``name`` holding ``content``."""
    path = MemoryFile(name)
    path._content = content
    return path


def _document(values: Mapping[str, str]) -> bytes:
    return json.dumps([dict(values)], ensure_ascii=False).encode("utf-8")


@dataclass
class EntryResult:
    """What a form entry did: stored, unchanged, or refused with its issues."""

    stored: bool = False
    unchanged: bool = False
    record_id: str = ""
    row_id: int | None = None
    issues: list[Issue] = field(default_factory=list)
    head: str | None = None

    def by_field(self) -> dict[str, list[str]]:
        """Issue messages by form field (``""`` for the form as a whole)."""
        found: dict[str, list[str]] = {}
        for issue in self.issues:
            if issue.severity in ("error", "fatal"):
                found.setdefault(issue.column or "", []).append(issue.message)
        return found


def _file_issue(err: FileIssueError | ConfigError, column: str) -> Issue:
    if isinstance(err, FileIssueError):
        return err.issue
    # import_file raises ConfigError only for a source name it cannot use.
    return make_issue("source-invalid", RECORD_FILE, None, column)


def enter_record(ws: Workspace, source: str, values: Mapping[str, str]) -> EntryResult:
    """Store one record typed into the form, checked as an import of one row.

    Args:
        ws: the workspace (its actor is the signed-in user).
        source: the source's name (created with default metadata if new).
        values: ``record_id`` (a random one when empty) and the fields of
            :data:`RECORD_FORM_FIELDS`; empty values are left out.

    Returns:
        Whether it was stored, or was there already, or the issues that refused it.
    """
    record_id = values.get("record_id", "").strip() or f"web-{secrets.token_hex(4)}"
    row = {"record_id": record_id}
    row.update({f: values[f] for f in RECORD_FORM_FIELDS if values.get(f, "").strip()})
    result = EntryResult(record_id=record_id)
    try:
        imported = import_file(
            ws, memory_file(RECORD_FILE, _document(row)), source=source
        )
    except (FileIssueError, ConfigError) as err:
        result.issues = [_file_issue(err, "source")]
        return result
    result.issues, result.head = imported.issues, imported.head
    result.stored = imported.accepted == 1 and not imported.refused
    result.unchanged = imported.already_imported or imported.unchanged == 1
    if result.stored or result.unchanged:
        row = ws.conn.execute(
            "select r.id from records r join sources s on s.id = r.source_id "
            "where s.name = ? and r.record_id = ?",
            (source.strip(), record_id),
        ).fetchone()
        result.row_id = int(row[0]) if row else None
    return result


def enter_event(ws: Workspace, values: Mapping[str, str]) -> EntryResult:
    """Store one detention event typed into the form, checked as an events file.

    Args:
        ws: the workspace (its actor is the signed-in user).
        values: the fields of :data:`EVENT_FORM_FIELDS`; the source must exist.
    """
    row = {f: values.get(f, "") for f in EVENT_FORM_FIELDS}
    result = EntryResult()
    try:
        imported = import_detention_events(ws, memory_file(EVENT_FILE, _document(row)))
    except FileIssueError as err:
        result.issues = [err.issue]
        return result
    result.issues, result.head = imported.issues, imported.head
    result.stored = imported.events == 1 and not imported.refused
    result.unchanged = imported.already_imported or imported.unchanged == 1
    return result


def correct_record(
    ws: Workspace, source: str, record_id: str, values: Mapping[str, str]
) -> EntryResult:
    """Store a record edited in the form as a correction of that record only: a
    new version of its source's list that names it alone and retracts nothing
    (the record keeps its row id; its earlier values stay in its history), then
    persons and grades are refreshed as after ``aban import --replace``.

    Args:
        ws: the workspace (its actor is the signed-in user).
        source: the record's source.
        record_id: the record's id in its source.
        values: the fields of :data:`RECORD_FORM_FIELDS`; empty ones are cleared.
    """
    row = {"record_id": record_id}
    row.update({f: values[f] for f in RECORD_FORM_FIELDS if values.get(f, "").strip()})
    result = EntryResult(record_id=record_id)
    try:
        replaced = replace_list(
            ws, memory_file(RECORD_FILE, _document(row)), source, correct=True
        )
    except FileIssueError as err:
        result.issues = [err.issue]
        return result
    except ConfigError as err:
        result.issues = [Issue("form-refused", "error", "form", None, "", str(err))]
        return result
    imported = replaced.result
    result.issues, result.head = imported.issues, replaced.head
    result.stored = imported.accepted == 1 and not imported.refused
    result.unchanged = imported.already_imported or imported.unchanged == 1
    return result
