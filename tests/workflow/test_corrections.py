"""Corrections (issue 15): a new version of a list, a source withdrawn and brought
back; what they change in persons, grades, the estimate, the site and the audit."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from aban.errors import ConfigError
from aban.store.db import transaction
from aban.store.integrity import verify_register
from aban.store.retractions import list_imports
from aban.store.rows import count_persons
from aban.store.sources import set_source
from aban.store.workspace import Workspace
from aban.workflow.corrections import replace_list, restore_source, retract_source
from aban.workflow.estimate import estimate_workspace
from aban.workflow.link import link_and_grade
from tests.store.fake_linker import COLUMNS, FakeLinker, import_rows


def person(i: int, **more: Any) -> dict[str, Any]:
    return {
        "record_id": f"r{i}",
        "full_name": f"Given{i} Family{i}",
        "city": f"Town{i}",
        "age": str(20 + i % 40),
        "status": "killed",
        **more,
    }


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def persons(ws: Workspace) -> int:
    return int(ws.conn.execute("select count(*) from persons").fetchone()[0])


def verified(ws: Workspace) -> bool:
    report = verify_register(ws.conn)
    assert report.ok, report.mismatches
    return True


@pytest.fixture
def linked(workspace: Workspace, tmp_path: Path) -> Workspace:
    """ngo (a list) names persons 0-29, media (a list) 10-39, family 35-44."""
    import_rows(workspace, tmp_path, "ngo", [person(i) for i in range(30)])
    import_rows(workspace, tmp_path, "media", [person(i) for i in range(10, 40)])
    import_rows(workspace, tmp_path, "family", [person(i) for i in range(35, 45)])
    with transaction(workspace.conn):
        set_source(workspace.conn, "ngo", is_list=True)
        set_source(workspace.conn, "media", is_list=True)
    link_and_grade(workspace, linker=FakeLinker())
    return workspace


def lincoln_petersen(ws: Workspace) -> float:
    return float(estimate_workspace(ws, model="loglinear").result.estimate)


def test_a_new_version_changes_adds_and_retracts(
    linked: Workspace, tmp_path: Path
) -> None:
    assert persons(linked) == 45
    assert lincoln_petersen(linked) == pytest.approx(30 * 30 / 20)
    # Version 2: persons 25-29 left out, person 3's age corrected, person 100 new.
    rows = [person(i) for i in range(25)] + [person(100)]
    rows[3]["age"] = "61"
    done = replace_list(linked, write(tmp_path / "ngo-v2.csv", rows), "ngo")
    assert done.result.changes == {
        "added": 1,
        "changed": 1,
        "retracted": 5,
        "returned": 0,
    }
    assert (done.result.accepted, done.result.unchanged) == (2, 24)
    assert done.regraded is not None
    assert done.regraded.persons.to_dict() == {
        "records_out": 5,
        "updated": 6,
        "dormant": 0,
    }
    assert verified(linked)
    # At once, before any new link run: ngo 25, media 30, both 15 (persons 10-24).
    assert lincoln_petersen(linked) == pytest.approx(25 * 30 / 15)
    age = linked.conn.execute(
        "select json_extract(p.canonical, '$.fields.age.value') from persons p "
        "join person_records pr on pr.person_id = p.id join records r "
        "on r.id = pr.record_id where r.record_id = 'r3'"
    ).fetchone()[0]
    assert age == 61
    # The old values stay in the record's history, under the import that wrote them.
    (old,) = linked.conn.execute(
        "select v.age from record_versions v join records r on r.id = v.record_row "
        "where r.record_id = 'r3'"
    ).fetchone()
    assert old == 23
    # Linking again takes in person 100 (on ngo only): ngo 26, both 15.
    link_and_grade(linked, linker=FakeLinker())
    assert persons(linked) == 46
    assert lincoln_petersen(linked) == pytest.approx(26 * 30 / 15)
    assert verified(linked)
    rows = [r.to_dict() for r in list_imports(linked.conn)]
    assert [(r["source"], r["added"], r["changed"], r["retracted"]) for r in rows] == [
        ("ngo", 30, 0, 0),
        ("media", 30, 0, 0),
        ("family", 10, 0, 0),
        ("ngo", 1, 1, 5),
    ]
    assert [r["records_live"] for r in rows] == [24, 30, 10, 2]


def test_a_retracted_record_comes_back_with_a_later_version(
    linked: Workspace, tmp_path: Path
) -> None:
    v2 = write(tmp_path / "v2.csv", [person(i) for i in range(29)])
    replace_list(linked, v2, "ngo")
    # Not the first file again byte for byte (that is refused: see below).
    v3 = write(tmp_path / "v3.csv", [person(i) for i in reversed(range(30))])
    back = replace_list(linked, v3, "ngo")
    assert back.result.changes == {
        "added": 0,
        "changed": 0,
        "retracted": 0,
        "returned": 1,
    }
    assert verified(linked)


def test_an_earlier_version_again_is_refused(linked: Workspace, tmp_path: Path) -> None:
    v2 = write(tmp_path / "v2.csv", [person(i) for i in range(29)])
    replace_list(linked, v2, "ngo")
    again = replace_list(linked, v2, "ngo")
    assert again.result.already_imported and again.regraded is None
    replace_list(
        linked, write(tmp_path / "v3.csv", [person(i) for i in range(28)]), "ngo"
    )
    assert [r.records_live for r in list_imports(linked.conn)][-2:] == [0, 0]
    with pytest.raises(ConfigError) as err:
        replace_list(linked, v2, "ngo")
    assert str(err.value) == (
        "this file was imported before for this source (import 4), and a later "
        "version since; a list cannot go back to a file imported already: change the "
        "file (an empty line at the end of a CSV will do) and import it again with "
        "--replace"
    )


def test_retract_and_restore_a_source(linked: Workspace) -> None:
    before = persons(linked)
    change = retract_source(linked, "media", "withdrawn by the outlet: Given3 asked")
    # media held 30 records; persons 30-34 were on media only and are dormant
    # (kept, counted nowhere); persons 10-29 keep their ngo record, 35-39 their
    # family record.
    assert (change.records, change.regraded.persons.dormant) == (30, 5)
    assert count_persons(linked.conn) == before - 5
    assert verified(linked)
    detail = linked.conn.execute(
        "select detail from audit where action = 'source-retract'"
    ).fetchone()[0]
    assert "Given3" not in detail and json.loads(detail)["records"] == 30
    with pytest.raises(ConfigError) as err:
        retract_source(linked, "media", "again")
    assert str(err.value) == (
        "the source is already retracted; 'aban source restore' brings it back"
    )
    restored = restore_source(linked, "media")
    assert restored.records == 30 and verified(linked)
    # The dormant persons are back at once, with their records.
    assert restored.regraded.persons.dormant == 0
    assert count_persons(linked.conn) == before
    link_and_grade(linked, linker=FakeLinker())
    assert persons(linked) == before
    assert lincoln_petersen(linked) == pytest.approx(30 * 30 / 20)
    assert verified(linked)
