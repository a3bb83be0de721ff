"""The state the audit log vouches for (issue 13): what each entry seals, what
verify checks, and registers made before sealing began."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from aban.cli import cli
from aban.export.fields import TABLES
from aban.export.model import AuditState, ExportData
from aban.export.readme import readme_text
from aban.ingest.importer import import_file
from aban.store import coverage, migrations, state
from aban.store.db import transaction
from aban.store.integrity import verify_register
from aban.store.sources import update_source
from aban.store.workspace import Workspace, open_workspace
from tests.conftest import PASSPHRASE
from tests.store.tamper import build_register, raw

ROOT = Path(__file__).resolve().parents[2]
#: Tables verify leaves out, each named in NOT_COVERED, or checked otherwise.
UNSEALED = {
    "records": "import digests",
    "record_versions": "import digests",
    "audit": "the chain itself",
    "issues": "import issues and refused rows",
    "rejected_rows": "import issues and refused rows",
    "scored_pairs": "the scored pairs of the last link run",
    "portrait_copies": "the portrait cache",
    "_meta": "aban's own bookkeeping (_meta, _migrations)",
    "_migrations": "aban's own bookkeeping (_meta, _migrations)",
}
#: Columns of covered tables that are not sealed, and why.
UNSEALED_COLUMNS = {
    ("persons", "id"): "derived: sealed in ranges",
    ("persons", "canonical"): "derived: sealed in ranges",
    ("persons", "identification"): "derived: sealed in ranges",
    ("persons", "grade"): "derived: sealed in ranges",
    ("persons", "grade_reason"): "derived: sealed in ranges",
    ("persons", "created_at"): "when persons were created and updated",
    ("persons", "updated_at"): "when persons were created and updated",
    ("count_snapshots", "head"): "checked against the chain",
    ("releases", "head"): "checked against the chain",
    ("web_sessions", "last_seen_at"): "changes freely: the idle limit",
    ("user_totp", "last_step"): "changes freely: the code last used",
}


def _columns(ws: Workspace, table: str) -> set[str]:
    return {row[1] for row in ws.conn.execute(f"pragma table_info({table})")}


def test_every_table_is_sealed_or_said_not_to_be(workspace: Workspace) -> None:
    tables = {
        name
        for (name,) in workspace.conn.execute(
            "select name from sqlite_master where type = 'table'"
        )
    }
    sealed = {spec.table for spec in coverage.ROWS}
    sealed |= {part.table for spec in coverage.ROWS for part in spec.parts}
    sealed |= {ranges.table for ranges in coverage.RANGES}
    assert tables - sealed == set(UNSEALED)
    assert set(UNSEALED.values()) - {"import digests", "the chain itself"} == set(
        coverage.NOT_COVERED
    ) - {"when persons were created and updated"}


def test_every_column_of_a_sealed_table_is_sealed_or_said_not_to_be(
    workspace: Workspace,
) -> None:
    for spec in coverage.ROWS:
        columns = _columns(workspace, spec.table)
        assert set(spec.columns) <= columns, spec.table
        for column in columns - {spec.key, *spec.columns}:
            assert (spec.table, column) in UNSEALED_COLUMNS, (spec.table, column)
        for part in spec.parts:
            assert _columns(workspace, part.table) == {part.parent, *part.columns}
    for ranges in coverage.RANGES:
        digested = {ranges.order, *ranges.columns}
        assert digested <= _columns(workspace, ranges.table)


def test_an_entry_seals_what_its_write_changed(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("record_id,full_name,status\na1,Zqx Testi,killed\n", "utf-8")
    import_file(workspace, path, source="ngo")
    update_source(workspace, "ngo", protected=True)
    (text,) = workspace.conn.execute(
        "select state from audit order by seq desc limit 1"
    ).fetchone()
    sealed = json.loads(text)
    assert list(sealed) == ["rows"] and list(sealed["rows"]) == ["sources"]
    before, after = sealed["rows"]["sources"]["1"]
    assert all(re.fullmatch("[0-9a-f]{32}", seal) for seal in (before, after))
    assert after == state.seal_row(workspace.conn, coverage.ROWS[0], "1")
    (imported,) = workspace.conn.execute(
        "select state from audit where action = 'import'"
    ).fetchone()
    assert json.loads(imported)["rows"]["sources"]["1"] == [None, before]
    assert "Zqx" not in text and "ngo" not in text
    assert verify_register(workspace.conn).ok


def test_writes_on_another_connection_are_not_sealed(workspace: Workspace) -> None:
    conn = raw(workspace.path)
    conn.execute("insert into sources (name, created_at) values ('x', '2020')")
    conn.close()
    with transaction(workspace.conn):
        workspace.record_audit("test", {})
    report = verify_register(workspace.conn)
    assert report.problem == "sources row 1: written without an audit entry"
    assert report.broken_at is None and not report.ok


def test_a_register_made_before_sealing_keeps_verifying(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As an aban before issue 13 made it: no state column, no seals.
    for number in (13, 14):
        monkeypatch.delitem(migrations.MIGRATIONS, number)
    monkeypatch.setattr(state, "track", lambda conn: None)
    path, head = build_register(tmp_path)
    monkeypatch.undo()
    with open_workspace(path, PASSPHRASE) as ws:
        report = verify_register(ws.conn, head)
        assert report.ok and report.after_head == 1
        actor, action, detail = ws.conn.execute(
            "select actor, action, detail from audit order by seq desc limit 1"
        ).fetchone()
        assert (actor, action, json.loads(detail)) == (
            "aban",
            "state-baseline",
            {"migration": 13},
        )
        assert ws.conn.execute(
            "select count(*) from audit where state is not null"
        ).fetchone() == (1,)
    conn = raw(path)
    conn.execute("update persons set consent = 'public' where person_id = 'P000001'")
    conn.close()
    with open_workspace(path, PASSPHRASE) as ws:
        report = verify_register(ws.conn, head)
    assert report.problem is not None
    assert report.problem.startswith("persons P000001: consent changed")


def test_every_problem_is_listed(workspace: Workspace) -> None:
    conn = raw(workspace.path)
    for name in ("a", "b", "c"):
        conn.execute(
            "insert into sources (name, created_at) values (?, '2020')", (name,)
        )
    conn.close()
    report = verify_register(workspace.conn)
    assert report.mismatches == tuple(
        f"sources row {n}: written without an audit entry" for n in (1, 2, 3)
    )
    assert report.to_dict()["mismatches"] == list(report.mismatches)


def _words(text: str) -> str:
    return " ".join(text.replace("`", "").split())


def test_readme_help_and_bundle_readme_say_what_verify_covers() -> None:
    readme = _words((ROOT / "README.md").read_text("utf-8"))
    help_text = _words(CliRunner().invoke(cli, ["audit", "verify", "--help"]).output)
    data = ExportData(
        False,
        dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        "0",
        AuditState("h", 1, True, None, None),
        {table.name: [] for table in TABLES},
    )
    bundle = _words(readme_text(data, "bundle"))
    for words in coverage.NOT_COVERED:
        for text in (readme, help_text, bundle):
            assert _words(words) in text, words
    for words in coverage.COVERED:
        assert _words(words) in bundle


def test_grades_and_consents_are_read_from_their_index(workspace: Workspace) -> None:
    # Not from the rows, whose canonical values come before them (issue 13: verify
    # on 1,000,000 records).
    grades = next(r for r in coverage.RANGES if r.name == "grades")
    consent = next(r for r in coverage.ROWS if r.table == "persons")
    for query, params in (
        (state._range_select(grades) + " where id >= ? and id < ? order by id", (0, 9)),
        (state._select(consent), ()),
    ):
        plan = workspace.conn.execute(f"explain query plan {query}", params).fetchall()
        assert "COVERING INDEX persons_sealed" in plan[0][3], plan
