"""The one accessor for persons and records (store/rows.py), on a small register."""

from __future__ import annotations

from pathlib import Path

import pytest

from aban.store.rows import count_persons, persons_where, records_where
from aban.store.workspace import Workspace
from tests.grade.helpers import add_source, link

ROWS = [
    {"record_id": "1", "full_name": "Aram Testi", "city": "Karaj", "status": "killed"},
    {"record_id": "2", "full_name": "Behnaz Nemuni", "city": "Tehran", "age": "30"},
    {"record_id": "3", "full_name": "Cyrus Sakhti", "status": "detained"},
]


@pytest.fixture
def linked(workspace: Workspace, tmp_path: Path) -> Workspace:
    add_source(workspace, tmp_path, "ngo_a", ROWS)
    add_source(
        workspace,
        tmp_path,
        "family_b",
        [{"record_id": "x", "full_name": "Aram Testi", "informant": "Dara Khiali"}],
    )
    link(workspace)
    return workspace


def test_persons_come_back_as_dicts_with_canonical_decoded(linked: Workspace) -> None:
    persons = persons_where(linked.conn, select=("person_id", "canonical", "records"))
    assert [p["person_id"] for p in persons] == ["P000001", "P000002", "P000003"]
    assert persons[0]["records"] == 2
    assert persons[0]["canonical"]["fields"]["city"]["value"] == "Karaj"
    assert set(persons[0]) == {"person_id", "canonical", "records"}


def test_where_order_and_page(linked: Workspace) -> None:
    conn = linked.conn
    where, params = "p.person_id <> ?", ("P000002",)
    assert count_persons(conn, where, params) == 2
    assert count_persons(conn) == 3
    page = persons_where(
        conn, where, params, select=("person_id",), order_by="p.id desc", limit=1
    )
    assert page == [{"person_id": "P000003"}]
    second = persons_where(
        conn, select=("person_id",), order_by="p.id", limit=1, offset=1
    )
    assert second == [{"person_id": "P000002"}]


def test_canonical_paths_read_single_values(linked: Workspace) -> None:
    persons = persons_where(
        linked.conn,
        select=("person_id",),
        canonical_paths={"city": "$.fields.city.value", "age": "$.fields.age.value"},
    )
    assert persons[0] == {"person_id": "P000001", "city": "Karaj", "age": None}
    assert persons[1]["age"] == 30


def test_records_with_source_and_person(linked: Workspace) -> None:
    records = records_where(
        linked.conn,
        "s.name = ?",
        ("family_b",),
        select=("source", "record_id", "person_id", "file_name"),
    )
    assert records == [
        {
            "source": "family_b",
            "record_id": "x",
            "person_id": "P000001",
            "file_name": "family_b.csv",
        }
    ]


def test_protected_fields_only_when_named(linked: Workspace) -> None:
    default = records_where(linked.conn, "r.record_id = ?", ("x",))
    assert "informant" not in default[0]
    named = records_where(linked.conn, "r.record_id = ?", ("x",), select=("informant",))
    assert named == [{"informant": "Dara Khiali"}]


@pytest.mark.parametrize("field", ["nonsense", "id; drop table persons", "informant"])
def test_an_unknown_person_field_is_refused(linked: Workspace, field: str) -> None:
    with pytest.raises(ValueError, match="unknown fields"):
        persons_where(linked.conn, select=("person_id", field))


def test_an_unknown_record_field_is_refused(linked: Workspace) -> None:
    with pytest.raises(ValueError, match="unknown fields: canonical"):
        records_where(linked.conn, select=("canonical",))
