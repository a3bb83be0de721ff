"""Retracted records count nowhere (issue 15): every reader that enumerates records
reads ``live_records``; the few that read ``records`` itself are listed here with
why. A new reader of ``records`` fails this test until it reads ``live_records``
or says here why it need not."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from aban.store.db import transaction
from aban.store.integrity import verify_register
from aban.store.workspace import Workspace
from tests.store.fake_linker import import_rows

ROOT = Path(__file__).resolve().parents[2]
#: Modules that read the records table itself, how often, and why.
READS_RECORDS = {
    # reached from reviewers' decisions and detentions, which stay on their
    # records (a retracted record is in no live person: a dormant person keeps
    # its links, so readers of persons' records read live_records)
    "aban/export/read.py": (2, "records of decisions and detentions"),
    # writing, checking and looking records up by name
    "aban/export/fields.py": (1, "a column's description, not SQL"),
    "aban/ingest/replace.py": (2, "a new version of a list writes records"),
    "aban/ingest/storing.py": (1, "an import checks the record ids it holds"),
    "aban/store/evidence.py": (2, "evidence names a record by its id"),
    "aban/store/integrity.py": (1, "verification reads every record"),
    "aban/store/migrations.py": (1, "migration 15 defines live_records"),
    "aban/store/records.py": (2, "digests and keys of every record"),
    "aban/web/entry.py": (1, "the record just entered, by its id"),
    "aban/workflow/corrections.py": (1, "the records a new version changed"),
}
_READ = re.compile(r"\b(?:from|join) records\b")


def test_every_reader_of_records_leaves_retracted_ones_out() -> None:
    found = Counter(
        {
            str(path.relative_to(ROOT)): n
            for path in sorted((ROOT / "aban").rglob("*.py"))
            if (n := len(_READ.findall(path.read_text("utf-8"))))
        }
    )
    assert found == Counter({k: n for k, (n, _) in READS_RECORDS.items()})


def test_a_retraction_removed_behind_abans_back_is_reported(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_rows(workspace, tmp_path, "ngo", [{"record_id": "r1", "full_name": "A B"}])
    with transaction(workspace.conn):
        workspace.conn.execute(
            "insert into retractions (record_id, import_id, retracted_at) "
            "values (1, 1, '2020-01-01')"
        )
        workspace.record_audit("test-retract", {})
    assert verify_register(workspace.conn).ok
    workspace.conn.execute("delete from retractions")
    workspace.conn.commit()
    report = verify_register(workspace.conn)
    assert report.problem == (
        "retractions of records 0-1023: which records are retracted removed "
        "without an audit entry (entry 3 recorded them last)"
    )


def test_an_earlier_version_edited_behind_abans_back_is_reported(
    workspace: Workspace, tmp_path: Path
) -> None:
    from aban.ingest.importer import import_file

    import_rows(workspace, tmp_path, "ngo", [{"record_id": "r1", "full_name": "A B"}])
    new = tmp_path / "v2.csv"
    new.write_text("record_id,full_name\nr1,A C\n", encoding="utf-8")
    result = import_file(workspace, new, source="ngo", replace=True)
    assert result.changes == {"added": 0, "changed": 1, "retracted": 0, "returned": 0}
    assert verify_register(workspace.conn).ok
    workspace.conn.execute("update record_versions set full_name = 'A D'")
    workspace.conn.commit()
    report = verify_register(workspace.conn)
    assert report.problem == "records of import 1 (entry 2) were altered or removed"
