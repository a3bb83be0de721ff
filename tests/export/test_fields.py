"""The field lists: every register column is exported or deliberately left out.

A column added to the register later fails here until someone decides whether an
export shows it, and whether it is protected.
"""

from __future__ import annotations

import pytest

from aban.export import PROTECTED_FIELDS, TABLES
from aban.export.fields import OPEN_VALUES, PERSONS, RECORDS
from aban.store.workspace import Workspace

#: Register columns that no export writes (row ids and internal links) or that an
#: export writes under another name (register column -> exported field).
NOT_EXPORTED = {"id", "source_id", "import_id", "detention_id", "digest"}
RENAMED = {
    "sources": {"name": "source"},
    "claims": {"id": "claim_id"},
    "detention_events": {"event_date": "date", "id": "event_id"},
    "grade_decisions": {"id": "decision_id"},
    "evidence": {"id": "evidence_id"},
    "custody_events": {"id": "custody_event_id"},
}
#: Columns that hold nothing a partner needs (import bookkeeping), and secrets that
#: never leave the register, not even in the full export (a blob's AES key).
SKIPPED = {
    "claims": {"import_id", "row_number"},
    "evidence": {"data_key"},
}


def columns(ws: Workspace, table: str) -> set[str]:
    return {row[1] for row in ws.conn.execute(f"pragma table_info({table})")}


@pytest.mark.parametrize(
    "table",
    [
        "sources",
        "records",
        "claims",
        "detention_events",
        "grade_decisions",
        "evidence",
        "custody_events",
    ],
)
def test_every_register_column_is_classified(workspace: Workspace, table: str) -> None:
    exported = {f.name for t in TABLES if t.name == table for f in t.fields}
    renamed = RENAMED.get(table, {})
    missing = {
        c
        for c in columns(workspace, table) - NOT_EXPORTED - SKIPPED.get(table, set())
        if renamed.get(c, c) not in exported
    }
    assert missing == set()


def test_persons_export_every_column_but_the_row_id(workspace: Workspace) -> None:
    exported = {f.name for t in TABLES if t.name == "persons" for f in t.fields}
    assert columns(workspace, "persons") - {"id"} <= exported


def test_protected_record_columns_are_protected() -> None:
    protected = {f.name for f in RECORDS.fields if f.protected}
    assert {"informant", "contact", "notes_private", "national_id", "raw"} <= protected
    assert "records.informant" in PROTECTED_FIELDS
    assert "persons.national_id" in PROTECTED_FIELDS
    assert "custody_events.received_from" in PROTECTED_FIELDS


def test_table_and_field_names_are_unique() -> None:
    assert len({t.name for t in TABLES}) == len(TABLES)
    for table in TABLES:
        names = [f.name for f in table.fields]
        assert len(set(names)) == len(names), table.name
        assert all(f.help and "|" not in f.help for f in table.fields)


def test_the_alleged_force_is_exported_and_open() -> None:
    records = {f.name: f for f in RECORDS.fields}
    persons = {f.name: f for f in PERSONS.fields}
    for field in (records["alleged_force"], records["alleged_force_norm"]):
        assert not field.protected
    assert not persons["alleged_force"].protected
    assert "alleged_force" in OPEN_VALUES
    assert "records.alleged_force" not in PROTECTED_FIELDS
