"""Importing claims: all or nothing, once per file content, audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aban.claims.importer import import_claims, stored_claims
from aban.ingest.issues import FileIssueError
from aban.store import audit
from aban.store.workspace import Workspace
from tests.claims.helpers import EXAMPLE, csv_bytes

TODAY = dt.date(2025, 6, 30)


def counts(ws: Workspace) -> tuple[int, ...]:
    return tuple(
        ws.conn.execute(f"select count(*) from {table}").fetchone()[0]
        for table in ("claims", "claim_imports", "audit")
    )


def test_the_shipped_example_imports(workspace: Workspace) -> None:
    result = import_claims(workspace, EXAMPLE, today=TODAY)
    assert (result.rows, result.accepted, result.unchanged) == (6, 6, 0)
    assert not result.refused and not result.already_imported
    assert result.head == audit.head(workspace.conn)
    stored = stored_claims(workspace.conn)
    assert [(c.date, c.figure) for c in stored] == [
        ("2019-11-19", "at least 100"),
        ("2019-12", "350 to 1,500"),
        ("2019-12-15", "1,500"),
        ("2020-05-20", "at least 304"),
        ("2020-05-31", "200"),
        ("2024-11", "at least 1,500"),
    ]
    assert all(c.claim_id is not None for c in stored)
    (action, detail) = workspace.conn.execute(
        "select action, detail from audit order by seq desc limit 1"
    ).fetchone()
    assert action == "claims-import"
    assert '"accepted":6' in detail and "Amnesty" not in detail


def test_the_same_file_twice_is_a_no_op(workspace: Workspace) -> None:
    import_claims(workspace, EXAMPLE, today=TODAY)
    before = counts(workspace)
    again = import_claims(workspace, EXAMPLE, today=TODAY)
    assert again.already_imported and again.head is None
    assert counts(workspace) == before == (6, 1, 2)


def test_a_claim_already_stored_is_not_stored_twice(
    workspace: Workspace, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    row_a = "NGO A,2019-11-19,100,,,,,NGO A"
    first.write_bytes(csv_bytes(row_a))
    second.write_bytes(csv_bytes(row_a, "NGO B,2019-12-01,200,300,,,,NGO B"))
    import_claims(workspace, first, today=TODAY)
    result = import_claims(workspace, second, today=TODAY)
    assert (result.rows, result.accepted, result.unchanged) == (2, 1, 1)
    assert [c.claimant for c in stored_claims(workspace.conn)] == ["NGO A", "NGO B"]


def test_a_refused_file_changes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        csv_bytes("NGO A,2019-11-19,100,,,,,NGO A", "NGO B,2019-11-20,500,50,,,,NGO B")
    )
    before = counts(workspace)
    result = import_claims(workspace, path, today=TODAY)
    assert result.refused and result.accepted == 0 and result.head is None
    assert [i.code for i in result.errors] == ["claim-range-reversed"]
    assert counts(workspace) == before
    path.write_bytes(
        csv_bytes("NGO A,2019-11-19,100,,,,,NGO A", "NGO B,2019-11-20,50,500,,,,NGO B")
    )
    fixed = import_claims(workspace, path, today=TODAY)
    assert fixed.accepted == 2 and counts(workspace) == (2, 1, before[2] + 1)


def test_a_missing_file(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(FileIssueError) as err:
        import_claims(workspace, tmp_path / "none.csv")
    assert str(err.value) == "none.csv: file not found; check the path [file-not-found]"
    assert audit.verify_chain(workspace.conn).ok
