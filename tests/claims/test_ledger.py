"""The register's figures, snapshots over time and the ledger beside the claims."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from aban.claims.figures import latest_estimate, register_figures
from aban.claims.importer import import_claims
from aban.claims.ledger import load_ledger
from aban.claims.snapshots import freeze_snapshot, list_snapshots
from aban.errors import ConfigError
from aban.store import audit
from aban.store.db import transaction
from aban.store.workspace import Workspace
from tests.claims.helpers import EXAMPLE, add_persons, add_run, estimate_results

SMALL = [
    ("confirmed", "full_name", 3),
    ("corroborated", "full_name", 2),
    ("corroborated", "partial_name", 1),
    ("single-source", "descriptors_only", 4),
    ("contested", "unidentified", 2),
    ("discounted", "full_name", 5),
]


@pytest.fixture
def small(workspace: Workspace) -> Workspace:
    for grade, level, n in SMALL:
        add_persons(workspace.conn, grade, level, n)
    return workspace


def test_register_figures_of_a_small_workspace(small: Workspace) -> None:
    figures = register_figures(small.conn)
    assert figures.to_dict() == {
        "persons": 17,
        "minimum": 6,
        "upper": 10,
        "by_grade": {
            "confirmed": 3,
            "corroborated": 3,
            "single-source": 4,
            "contested": 2,
            "discounted": 5,
        },
        "by_identification": {
            "full_name": 5,
            "partial_name": 1,
            "descriptors_only": 4,
            "unidentified": 2,
        },
    }


def test_discounted_persons_are_never_counted(small: Workspace) -> None:
    before = register_figures(small.conn)
    add_persons(small.conn, "discounted", "full_name", 50)
    after = register_figures(small.conn)
    assert (after.minimum, after.upper) == (before.minimum, before.upper) == (6, 10)
    assert after.by_identification == before.by_identification
    assert after.by_grade["discounted"] == 55 and after.persons == 67
    points = load_ledger(small.conn).series()[-2]["points"]
    assert [(p["low"], p["high"]) for p in points] == [(6, 10)]


def test_an_empty_register_counts_zero(workspace: Workspace) -> None:
    figures = register_figures(workspace.conn)
    assert (figures.persons, figures.minimum, figures.upper) == (0, 0, 0)
    assert set(figures.by_grade.values()) == {0}
    assert latest_estimate(workspace.conn) is None


def test_latest_estimate_and_staleness(workspace: Workspace) -> None:
    link = add_run(workspace.conn, "link")
    add_run(
        workspace.conn,
        "estimate",
        estimate_results(40.0, 20.0, 90.0),
        {"link_run": link},
    )
    newest = add_run(
        workspace.conn,
        "estimate",
        estimate_results(45.5, 30.0, 80.0),
        {"link_run": link},
    )
    found = latest_estimate(workspace.conn)
    assert found is not None
    assert (found.run_id, found.estimate, found.lower, found.upper) == (
        newest,
        45.5,
        30.0,
        80.0,
    )
    assert not found.stale
    add_run(workspace.conn, "link")
    stale = latest_estimate(workspace.conn)
    assert stale is not None and stale.stale and stale.run_id == newest


def test_freeze_keeps_the_figures_and_is_audited(small: Workspace) -> None:
    run = add_run(small.conn, "estimate", estimate_results(40.0, 20.0, 90.0))
    snap = freeze_snapshot(small, "  report   one ")
    assert snap.label == "report one"
    assert (snap.register.minimum, snap.register.upper) == (6, 10)
    assert snap.estimate is not None and snap.estimate.run_id == run
    assert snap.head == audit.head(small.conn)
    assert audit.verify_chain(small.conn, snap.head).ok
    action, detail = small.conn.execute(
        "select action, detail from audit order by seq desc limit 1"
    ).fetchone()
    assert action == "claims-freeze"
    assert json.loads(detail)["minimum"] == 6
    add_persons(small.conn, "confirmed", "full_name", 10)
    (stored,) = list_snapshots(small.conn)
    assert stored == snap
    assert register_figures(small.conn).minimum == 16


def test_freeze_refuses_a_used_or_empty_label(workspace: Workspace) -> None:
    freeze_snapshot(workspace, "report")
    entries = audit.verify_chain(workspace.conn).entries
    with pytest.raises(ConfigError) as err:
        freeze_snapshot(workspace, "report")
    assert str(err.value) == "snapshot 1 already has this label; choose another label"
    with pytest.raises(ConfigError) as err:
        freeze_snapshot(workspace, "  ")
    assert str(err.value) == (
        "a snapshot label must be 1-100 characters without control characters"
    )
    assert audit.verify_chain(workspace.conn).entries == entries
    assert len(list_snapshots(workspace.conn)) == 1


def test_snapshots_are_ordered_by_time(small: Workspace) -> None:
    first = freeze_snapshot(small, "first")
    add_persons(small.conn, "single-source", "unidentified", 3)
    second = freeze_snapshot(small, "second")
    history = list_snapshots(small.conn)
    assert [(s.label, s.register.upper) for s in history] == [
        ("first", 10),
        ("second", 13),
    ]
    with transaction(small.conn):
        small.conn.execute(
            "update count_snapshots set taken_at = '2020-01-01T00:00:00+00:00' "
            "where id = ?",
            (second.snapshot_id,),
        )
    assert [s.snapshot_id for s in list_snapshots(small.conn)] == [
        second.snapshot_id,
        first.snapshot_id,
    ]


def test_ledger_sets_claims_beside_the_register(small: Workspace) -> None:
    import_claims(small, EXAMPLE, today=dt.date(2025, 6, 30))
    run = add_run(
        small.conn,
        "estimate",
        estimate_results(40.0, 20.0, 90.0),
        finished_at="2024-02-01T10:00:00+00:00",
    )
    freeze_snapshot(small, "report")
    add_persons(small.conn, "confirmed", "full_name", 4)
    ledger = load_ledger(small.conn)
    data = ledger.to_dict()
    assert list(data) == [
        "as_of",
        "head",
        "claims",
        "register",
        "estimate",
        "history",
        "series",
    ]
    assert data["head"] == audit.head(small.conn)
    assert [c["figure"] for c in data["claims"]][:2] == ["at least 100", "350 to 1,500"]
    assert (data["register"]["minimum"], data["register"]["upper"]) == (10, 14)
    assert data["estimate"]["run_id"] == run and data["estimate"]["upper"] == 90.0
    assert [h["register"]["minimum"] for h in data["history"]] == [6]
    series = {s["name"]: s for s in data["series"]}
    amnesty = series["Amnesty International"]
    assert amnesty["kind"] == "claim"
    found = [(p["date"], p["low"], p["high"], p["value"]) for p in amnesty["points"]]
    assert found == [("2019-11-19", 100, None, None), ("2020-05-20", 304, None, None)]
    assert series["Reuters"]["points"][0]["date"] == "2019-12-01"
    assert series["Reuters"]["points"][0]["precision"] == "month"
    official = series["Interior Minister Abdolreza Rahmani-Fazli"]["points"][0]
    assert official["value"] == 200
    register = series["register"]["points"]
    assert [(p["label"], p["value"], p["high"]) for p in register] == [
        ("report", 6, 10),
        ("now", 10, 14),
    ]
    estimate = series["estimate"]["points"]
    assert [(p["date"], p["value"], p["low"], p["high"]) for p in estimate] == [
        ("2024-02-01", 40.0, 20.0, 90.0),
    ]
    assert json.loads(json.dumps(data)) == data
