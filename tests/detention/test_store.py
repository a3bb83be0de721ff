"""Detention events into the register: imports, errors, no-op, cases across links."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from aban.detention.register import (
    detention_cases,
    import_detention_events,
    workspace_detentions,
)
from aban.ingest.importer import import_file
from aban.ingest.issues import FileIssueError
from aban.linkage.register import link_workspace
from aban.simulate import SimulationSettings, simulate, write_scenario
from aban.store.db import transaction
from aban.store.links import add_decision
from aban.store.workspace import Workspace
from tests.store.fake_linker import FakeLinker, import_rows

TODAY = dt.date(2024, 1, 1)
HEADER = ("record_id", "person_id", "date", "status", "place", "source", "note")

NGO = [
    {
        "record_id": "n1",
        "full_name": "Test Alpha",
        "city": "Shiraz",
        "status": "detained",
        "date_of_death": "2019-11-17",
    },
    {
        "record_id": "n2",
        "full_name": "Test Beta",
        "status": "killed",
        "date_of_death": "2019-11-16",
    },
]
MEDIA = [
    {
        "record_id": "m1",
        "full_name": "Test Alpha",
        "city": "Shiraz",
        "status": "disappeared",
    },
    {"record_id": "n2", "full_name": "Test Gamma", "status": "executed"},
]


def write_events(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def register(workspace: Workspace, tmp_path: Path) -> Workspace:
    import_rows(workspace, tmp_path, "ngo", NGO)
    import_rows(workspace, tmp_path, "media", MEDIA)
    return workspace


def counts(ws: Workspace) -> tuple[int, int, int, int]:
    return tuple(  # type: ignore[return-value]
        ws.conn.execute(f"select count(*) from {table}").fetchone()[0]
        for table in ("detentions", "detention_events", "detention_imports", "audit")
    )


GOOD = [
    ("n1", "", "16/11/2019", "arrested", "Shiraz", "ngo", "at a protest"),
    ("m1", "", "1398/09/01", "held incommunicado", "", "media", ""),
    ("n2", "", "2020-05-01", "death sentence", "Prison A", "ngo", ""),
]


def test_import_then_the_same_file_again_is_a_no_op(
    register: Workspace, tmp_path: Path
) -> None:
    path = write_events(tmp_path / "events.csv", GOOD)
    before = counts(register)
    result = import_detention_events(register, path, today=TODAY)
    assert not result.refused and result.issues == []
    assert (result.rows, result.events, result.new_detentions) == (3, 3, 3)
    assert counts(register) == (before[0] + 3, 3, 1, before[3] + 1)
    stored = register.conn.execute(
        "select event_date, status, place, note, row_number from detention_events "
        "order by id"
    ).fetchall()
    assert stored == [
        ("2019-11-16", "arrested", "Shiraz", "at a protest", 2),
        ("2019-11-22", "held_incommunicado", None, None, 3),
        ("2020-05-01", "death_sentence", "Prison A", None, 4),
    ]
    action, detail = register.conn.execute(
        "select action, detail from audit order by seq desc limit 1"
    ).fetchone()
    assert action == "detentions-import"
    detail = json.loads(detail)
    assert detail["file_sha256"] == result.content_sha256
    assert (detail["rows"], detail["events"], detail["new_detentions"]) == (3, 3, 3)
    assert "Test" not in json.dumps(detail) and "Shiraz" not in json.dumps(detail)
    again = import_detention_events(register, path, today=TODAY)
    assert again.already_imported and again.head is None
    assert counts(register) == (before[0] + 3, 3, 1, before[3] + 1)


def test_a_new_file_repeating_events_stores_only_the_new_ones(
    register: Workspace, tmp_path: Path
) -> None:
    import_detention_events(
        register, write_events(tmp_path / "a.csv", GOOD[:2]), today=TODAY
    )
    result = import_detention_events(
        register, write_events(tmp_path / "b.csv", GOOD), today=TODAY
    )
    assert (result.events, result.unchanged, result.new_detentions) == (1, 2, 1)


def test_rows_with_errors_import_nothing(register: Workspace, tmp_path: Path) -> None:
    rows = [
        ("n1", "", "2019-11-16", "arrested", "", "ngo", ""),  # good
        ("zz9", "", "2019-11-16", "arrested", "", "ngo", ""),
        ("", "P000404", "2019-11-16", "arrested", "", "ngo", ""),
        ("n1", "", "2019-11-31", "arrested", "", "ngo", ""),
        ("n1", "", "", "shot", "", "", ""),
        ("n1", "", "2030-01-01", "released", "", "nobody", ""),
        ("", "", "yesterday", "released", "", "ngo", ""),
        ("n1", "", "2019-11-16", "=HYPERLINK(1)", "", "ngo", ""),
        ("n2", "", "2019-11-16", "arrested", "", "family", ""),
    ]
    path = write_events(tmp_path / "bad.csv", rows)
    before = counts(register)
    result = import_detention_events(register, path, today=TODAY)
    assert result.refused and result.head is None
    assert [(i.row, i.column, i.code) for i in result.issues] == [
        (3, "record_id", "record-unknown"),
        (4, "person_id", "person-unknown"),
        (5, "date", "date-impossible"),
        (6, "date", "date-missing"),
        (6, "status", "status-unknown"),
        (6, "source", "source-empty"),
        (7, "date", "date-in-future"),  # names are checked once the cells are good
        (8, "record_id", "target-missing"),
        (8, "date", "date-unparseable"),
        (9, "status", "formula-in-cell"),
        (9, "status", "status-unknown"),
        (10, "record_id", "record-ambiguous"),
        (10, "source", "source-unknown"),
    ]
    assert result.rows == 9
    assert result.issues[0].render() == (
        "bad.csv:3:record_id: no record with this record_id in the register; import "
        "the source's list first, or fix the id [record-unknown]"
    )
    for issue in result.issues:
        assert "zz9" not in issue.message and "P000404" not in issue.message
    assert counts(register) == before


def test_create_sources_adds_the_missing_source(
    register: Workspace, tmp_path: Path
) -> None:
    rows = [("n1", "", "2019-12-01", "family visit", "", "relatives", "")]
    path = write_events(tmp_path / "family.csv", rows)
    result = import_detention_events(register, path, create_sources=True, today=TODAY)
    assert result.created_sources == ["relatives"] and result.events == 1
    names = [r[0] for r in register.conn.execute("select name from sources")]
    assert "relatives" in names


def test_a_missing_column_refuses_the_file(register: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("record_id,date,status\nn1,2019-11-16,arrested\n", "utf-8")
    with pytest.raises(FileIssueError) as err:
        import_detention_events(register, path, today=TODAY)
    assert str(err.value) == (
        "short.csv:1: no source column; a detention events file needs record_id or "
        "person_id, date, status and source [header-missing-column]"
    )
    path.write_text("date,status,source\n", "utf-8")
    with pytest.raises(FileIssueError, match="no record_id or person_id column"):
        import_detention_events(register, path, today=TODAY)


def test_cases_follow_the_link_runs(register: Workspace, tmp_path: Path) -> None:
    rows = [
        ("n1", "", "2019-11-16", "arrested", "Shiraz", "ngo", ""),
        ("m1", "", "2019-11-20", "held_incommunicado", "", "media", ""),
    ]
    import_detention_events(
        register, write_events(tmp_path / "e.csv", rows), today=TODAY
    )
    as_of = dt.date(2019, 12, 31)
    unlinked = {c.key: c.status for c in detention_cases(register.conn, as_of)}
    # ngo:n2 (killed, no event) is no case.
    assert unlinked == {
        "ngo:n1": "detained",  # the record's arrest date follows the event's
        "media:m1": "held_incommunicado",
        "media:n2": "executed",
    }
    link_workspace(register, linker=FakeLinker())
    linked = detention_cases(register.conn, as_of)
    person = next(c for c in linked if c.person_id)
    assert person.records == (("ngo", "n1"), ("media", "m1"))
    assert person.status == "held_incommunicado"
    assert [a.kind for a in person.alerts] == ["held_incommunicado", "no_news"]
    # A reviewer splits the person: each record's events go with it.
    ids = dict(register.conn.execute("select record_id, id from records"))
    with transaction(register.conn):
        add_decision(register.conn, ids["n1"], ids["m1"], "non_match", "t", "x")
    link_workspace(register, linker=FakeLinker())
    split = {c.records: c.status for c in detention_cases(register.conn, as_of)}
    assert split[(("ngo", "n1"),)] == "detained"
    assert split[(("media", "m1"),)] == "held_incommunicado"


def test_events_named_by_person_id(register: Workspace, tmp_path: Path) -> None:
    link_workspace(register, linker=FakeLinker())
    (pid,) = register.conn.execute(
        "select p.person_id from persons p join person_records pr "
        "on pr.person_id = p.id join records r on r.id = pr.record_id "
        "where r.record_id = 'm1'"
    ).fetchone()
    rows = [
        ("", pid, "2019-11-18", "transferred", "Prison B", "media", ""),
        ("m1", pid, "2019-11-19", "charged", "", "media", ""),
        ("n2", pid, "2019-11-19", "charged", "", "ngo", ""),
    ]
    path = write_events(tmp_path / "p.csv", rows)
    result = import_detention_events(register, path, today=TODAY)
    assert [(i.row, i.code) for i in result.issues] == [(4, "target-mismatch")]
    result = import_detention_events(
        register, write_events(tmp_path / "q.csv", rows[:2]), today=TODAY
    )
    assert result.events == 2 and result.new_detentions == 2
    anchors = register.conn.execute(
        "select r.record_id, e.person_ref from detention_events e "
        "join detentions d on d.id = e.detention_id "
        "join records r on r.id = d.record_id"
    ).fetchall()
    # The person's first detention record anchors the person-level event.
    assert anchors == [("n1", pid), ("m1", pid)]
    (case,) = [c for c in detention_cases(register.conn, TODAY) if c.person_id == pid]
    assert case.facets.facility == "Prison B"


def test_workspace_thresholds_come_from_aban_toml(
    register: Workspace, tmp_path: Path
) -> None:
    rows = [("m1", "", "2019-11-20", "held_incommunicado", "", "media", "")]
    import_detention_events(
        register, write_events(tmp_path / "e.csv", rows), today=TODAY
    )
    as_of = dt.date(2019, 11, 25)
    assert workspace_detentions(register, as_of, alerts_only=True).cases == ()
    with (register.path / "aban.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[detentions]\nincommunicado_days = 3\n")
    report = workspace_detentions(register, as_of, alerts_only=True)
    assert [c.key for c in report.cases] == ["media:m1"]
    assert report.settings.incommunicado_days == 3


def test_the_simulators_detentions_import_cleanly(
    workspace: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "sim"
    scenario = simulate(SimulationSettings(persons=3000, sources=4, seed=5))
    write_scenario(scenario, out)
    for path in sorted((out / "sources").glob("*.csv")):
        assert not import_file(workspace, path).refused
    result = import_detention_events(workspace, out / "detentions.csv")
    assert result.issues == [] and not result.refused
    assert result.events == result.rows == len(scenario.detentions)
    statuses = {row[2] for row in scenario.detentions}
    assert "death_sentence" in statuses
    cases = detention_cases(workspace.conn, dt.date(2020, 6, 1))
    assert {c.status for c in cases} >= {"released", "charged", "disappeared"}
