"""Small synthetic workspaces for grading tests (synthetic names only)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aban.ingest.importer import import_file
from aban.linkage.register import link_workspace
from aban.store.db import transaction
from aban.store.sources import set_source
from aban.store.workspace import Workspace, create_workspace
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import FakeLinker


def add_source(
    ws: Workspace,
    tmp: Path,
    name: str,
    rows: Sequence[dict[str, Any]],
    **meta: Any,
) -> None:
    """Import ``rows`` as source ``name`` and set its metadata (kind, group, ...)."""
    columns = sorted({key for row in rows for key in row})
    path = tmp / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    result = import_file(ws, path, source=name)
    assert not result.refused, [i.render() for i in result.issues]
    if meta:
        with transaction(ws.conn):
            set_source(ws.conn, name, **meta)


def link(ws: Workspace) -> None:
    """Link with the fake engine: records with the same name are one person."""
    link_workspace(ws, linker=FakeLinker())


def person_of(ws: Workspace, source: str, record_id: str) -> str:
    """The person id holding a record."""
    row = ws.conn.execute(
        "select p.person_id from persons p "
        "join person_records pr on pr.person_id = p.id "
        "join records r on r.id = pr.record_id "
        "join sources s on s.id = r.source_id "
        "where s.name = ? and r.record_id = ?",
        (source, record_id),
    ).fetchone()
    return str(row[0])


def grades(ws: Workspace) -> dict[str, tuple[str, str]]:
    """Every person's stored grade and reason."""
    rows = ws.conn.execute("select person_id, grade, grade_reason from persons")
    return {pid: (grade, reason) for pid, grade, reason in rows}


def link_evidence(ws: Workspace, kind: str, person_id: str, n: int = 1) -> None:
    """Store an evidence row of ``kind`` linked to a person (no file: tests only)."""
    with transaction(ws.conn):
        cursor = ws.conn.execute(
            "insert into evidence (sha256, kind, blob_id, size, added_at) "
            "values (?, ?, ?, 1, '2020-01-01')",
            (f"{kind}{person_id}{n}".ljust(64, "0"), kind, f"blob{kind}{person_id}{n}"),
        )
        ws.conn.execute(
            "insert into evidence_links (evidence_id, person_id) "
            "select ?, id from persons where person_id = ?",
            (cursor.lastrowid, person_id),
        )


def two_arams(tmp_path: Path) -> Path:
    """A linked workspace: Aram in two sources (one person), 'Aramm' in one."""
    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        rows = [{"record_id": "n1", "full_name": "Aram Testi", "status": "killed"}]
        add_source(ws, tmp_path, "ngo", rows)
        rows = [
            {"record_id": "p1", "full_name": "Aram Testi"},
            {"record_id": "p2", "full_name": "Aramm Testi", "status": "killed"},
        ]
        add_source(ws, tmp_path, "press", rows)
        link(ws)
    return path
