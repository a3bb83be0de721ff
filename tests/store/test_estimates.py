"""Estimating the total from a workspace: histories, strata, runs, sensitivity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aban.errors import EstimationError
from aban.estimate.strata import LcmcrSettings
from aban.grade.rules import GradingRules
from aban.linkage.register import link_workspace
from aban.store.db import transaction
from aban.store.sources import set_source
from aban.store.workspace import Workspace
from aban.workflow.estimate import (
    age_band,
    counted_persons,
    estimate_workspace,
    list_names,
    person_histories,
    stratum_of,
)
from aban.workflow.sensitivity import sensitivity_table
from tests.store.fake_linker import FakeLinker, import_rows

FAST = LcmcrSettings(burnin=1_000, samples=400, thinning=2)


def canonical(**values: Any) -> dict[str, Any]:
    return {"names": {}, "fields": {k: {"value": v} for k, v in values.items()}}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"province": "تهران"}, "Tehran"),
        ({"province": "Ostan-e Khuzestan", "city": "Shiraz"}, "Khuzestan"),
        ({"city": "Bandar-e Mahshahr"}, "Khuzestan"),
        ({"province": "Atlantis  East", "city": "Nowhere"}, "Atlantis East"),
        ({"province": "Atlantis", "city": "شیراز"}, "Fars"),
        ({}, "unknown"),
    ],
)
def test_province_stratum_from_the_gazetteer(
    values: dict[str, Any], expected: str
) -> None:
    assert stratum_of(canonical(**values), "province") == expected


def test_day_sex_and_age_band_strata() -> None:
    assert stratum_of(canonical(date_of_death="2019-11-16"), "day") == "2019-11-16"
    assert stratum_of(canonical(date_of_death="1398-08"), "day") == "unknown"
    assert stratum_of(canonical(), "day") == "unknown"
    assert stratum_of(canonical(sex="f"), "sex") == "female"
    assert stratum_of(canonical(sex="m"), "sex") == "male"
    assert stratum_of(canonical(), "sex") == "unknown"
    assert stratum_of(canonical(age=17), "age-band") == "0-17"
    born = canonical(birth_date="2001-11-17", date_of_death="2019-11-16")
    assert stratum_of(born, "age-band") == "0-17"  # one day short of 18
    assert stratum_of(canonical(), "age-band") == "unknown"
    bands = [age_band(a) for a in (0, 17, 18, 29, 30, 44, 45, 90, None)]
    assert bands == [
        "0-17",
        "0-17",
        "18-29",
        "18-29",
        "30-44",
        "30-44",
        "45+",
        "45+",
        "unknown",
    ]


def person(i: int, **more: Any) -> dict[str, Any]:
    return {
        "record_id": f"r{i}",
        "full_name": f"Given{i} Family{i}",
        "city": f"Town{i}",
        "sex": "f" if i % 4 == 0 else "m",
        "age": str(20 + i % 40),
        **more,
    }


def fill(ws: Workspace, tmp: Path) -> None:
    """45 persons: ngo lists 0-29, media 10-39, family (not a list) 35-44.

    One media record, "Other0 Family0" in Town0, scores 0.5 against person 0.
    """
    import_rows(ws, tmp, "ngo", [person(i) for i in range(30)])
    media = [person(i) for i in range(10, 40)]
    media.append({"record_id": "x0", "full_name": "Other0 Family0", "city": "Town0"})
    import_rows(ws, tmp, "media", media)
    import_rows(ws, tmp, "family", [person(i) for i in range(35, 45)])


@pytest.fixture
def linked(workspace: Workspace, tmp_path: Path) -> Workspace:
    fill(workspace, tmp_path)
    with transaction(workspace.conn):
        set_source(workspace.conn, "ngo", is_list=True)
        set_source(workspace.conn, "media", is_list=True)
    link_workspace(workspace, linker=FakeLinker())
    return workspace


def test_fewer_than_two_lists_is_an_exact_error(
    workspace: Workspace, tmp_path: Path
) -> None:
    fill(workspace, tmp_path)
    with transaction(workspace.conn):
        set_source(workspace.conn, "ngo", is_list=True)
    with pytest.raises(EstimationError) as err:
        estimate_workspace(workspace)
    assert str(err.value) == (
        "1 sources are marked as systematic lists; estimation needs at least 2: "
        "mark each list with 'aban source set NAME --list'"
    )


def test_no_persons_is_an_exact_error(workspace: Workspace, tmp_path: Path) -> None:
    fill(workspace, tmp_path)
    with transaction(workspace.conn):
        set_source(workspace.conn, "ngo", is_list=True)
        set_source(workspace.conn, "media", is_list=True)
    with pytest.raises(EstimationError) as err:
        estimate_workspace(workspace)
    assert str(err.value) == "no persons in the register: run 'aban link' first"


def test_histories_from_persons_and_list_sources(linked: Workspace) -> None:
    lists = list_names(linked.conn)
    assert lists == ("media", "ngo")
    patterns, labels = person_histories(linked.conn, lists, "sex")
    rows = sorted(map(tuple, patterns.tolist()))
    assert len(rows) == 46  # 45 persons and the unmatched "Other0"
    assert rows.count((0, 0)) == 5  # persons 40-44: family only
    assert rows.count((1, 1)) == 20  # persons 10-29
    assert rows.count((0, 1)) == 10 and rows.count((1, 0)) == 11
    assert sorted(set(labels)) == ["female", "male", "unknown"]


def test_estimate_is_stored_with_settings_results_and_audit(linked: Workspace) -> None:
    run = estimate_workspace(linked, model="loglinear")
    # Two lists: the independence model is Lincoln-Petersen, 31 x 30 / 20.
    assert run.result.estimate == pytest.approx(31 * 30 / 20)
    assert (run.persons, run.unlisted, run.result.observed) == (46, 5, 41)
    assert run.notes == ("5 persons are on no systematic list and are left out",)
    row = linked.conn.execute(
        "select kind, settings, counts, results from runs where id = ?",
        (run.run_id,),
    ).fetchone()
    assert row[0] == "estimate"
    settings, counts, results = (json.loads(v) for v in row[1:])
    assert settings["model"] == "loglinear" and settings["by"] is None
    assert settings["link_run"] == 1 and settings["thresholds"] is None
    assert counts == {
        "persons": 46,
        "persons_counted": 46,
        "persons_in_lists": 41,
        "persons_in_no_list": 5,
        "lists": 2,
        "strata": 1,
        "sparse": 0,
    }
    assert results == run.results()
    assert run.to_dict() == {"run_id": run.run_id, **results, "head": run.head}
    action, detail, head = linked.conn.execute(
        "select action, detail, hash from audit order by seq desc limit 1"
    ).fetchone()
    assert (action, head) == ("estimate", run.head)
    assert json.loads(detail)["estimate"] == pytest.approx(46.5)
    assert "Given" not in detail and "Family" not in detail and "Town" not in detail


def test_strata_too_sparse_are_flagged_in_the_stored_run(linked: Workspace) -> None:
    run = estimate_workspace(linked, by="sex", lcmcr=FAST, seed=3)
    data = run.to_dict()
    assert data["by"] == "sex" and data["settings"]["seed"] == 3
    assert data["sparse"] == ["female", "unknown"]
    assert [s["observed"] for s in data["strata"]] == [10, 30, 1]
    assert [s["flag"] for s in data["strata"]] == ["sparse", "", "sparse"]
    male = data["strata"][1]["estimate"]
    assert data["floor"] == 11
    assert data["estimate"] == pytest.approx(male["estimate"] + 11)
    assert data["notes"][1].startswith("2 of 3 strata not estimated (female, unknown)")


def test_sensitivity_reclusters_without_writing(linked: Workspace) -> None:
    persons_before = linked.conn.execute(
        "select person_id, record_id from person_records order by record_id"
    ).fetchall()
    run = estimate_workspace(linked, model="loglinear", thresholds=(0.9, 0.4, 0.99))
    assert run.sensitivity is not None
    table = [(r.threshold, r.persons, r.observed, r.current) for r in run.sensitivity]
    # At 0.4 the 0.5 pair (Other0 with person 0) merges; at the link run's 0.9 the
    # persons are those of the run; at 0.99 the fake's 0.97 pairs link nothing.
    assert table == [(0.4, 45, 40, False), (0.9, 46, 41, True), (0.99, 71, 61, False)]
    assert run.sensitivity[1].estimate == pytest.approx(run.result.estimate)
    assert run.sensitivity[0].estimate == pytest.approx(31 * 30 / 21)
    after = linked.conn.execute(
        "select person_id, record_id from person_records order by record_id"
    ).fetchall()
    assert after == persons_before
    stored = json.loads(
        linked.conn.execute(
            "select results from runs where kind = 'estimate'"
        ).fetchone()[0]
    )
    assert [r["threshold"] for r in stored["sensitivity"]] == [0.4, 0.9, 0.99]


def test_sensitivity_thresholds_must_be_probabilities(linked: Workspace) -> None:
    with pytest.raises(EstimationError) as err:
        sensitivity_table(linked.conn, ("media", "ngo"), (0.5, 1.0), lambda s, r: None)  # type: ignore[arg-type,return-value]
    assert str(err.value) == "linkage thresholds must be between 0 and 1 (got 1)"


def test_discounted_and_out_of_scope_persons_are_not_estimated(
    linked: Workspace,
) -> None:
    conn = linked.conn
    with transaction(conn):
        conn.execute(
            "update persons set grade = 'discounted' where id = (select person_id "
            "from person_records pr join records r on r.id = pr.record_id "
            "where r.record_id = 'x0')"
        )
        conn.execute("update records set status = 'detained' where record_id = 'r12'")
        conn.execute("update records set status = 'killed' where record_id = 'r13'")
    counted = counted_persons(conn, GradingRules())
    assert len(counted) == 44  # 46 persons less the discounted and the detainee
    patterns, _ = person_histories(conn, list_names(conn), None, counted)
    assert sorted(map(tuple, patterns.tolist())).count((1, 1)) == 19
    run = estimate_workspace(linked, model="loglinear", sensitivity=True)
    results = run.results()
    assert (results["persons"], results["persons_counted"]) == (46, 44)
    assert results["persons_in_lists"] == 39  # 44 less the 5 family-only persons
    assert results["notes"][0].startswith("2 persons are discounted or outside")
    assert results["observed"] == 39
    # Re-clustered at the link run's own threshold, the same persons are counted.
    assert run.sensitivity is not None
    (current,) = [row for row in run.sensitivity if row.current]
    assert current.observed == 39
