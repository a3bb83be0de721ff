"""Grading a register: stored grades, headline, discounts that survive re-linking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aban.errors import StoreError
from aban.grade.register import (
    discount_person,
    grade_workspace,
    restore_person,
    set_consent,
)
from aban.grade.rules import GradingRules, load_rules
from aban.store.persons import find_person
from aban.store.status import register_status
from aban.store.workspace import Workspace
from tests.grade.helpers import add_source, grades, link, link_evidence, person_of

RULES = GradingRules()


def _row(rid: str, given: str, family: str = "Testi", **more: str) -> dict[str, str]:
    return {"record_id": rid, "given_name": given, "family_name": family, **more}


@pytest.fixture
def linked(workspace: Workspace, tmp_path: Path) -> Workspace:
    """Aram: ngo + family (confirmed); Baran: ngo + press (corroborated);
    Cyra: ngo only; Dana: killed vs detained (contested); Esko and Esko's
    duplicate spelled apart in the press (two persons); Faro: detained only."""
    add_source(
        workspace,
        tmp_path,
        "ngo",
        [
            _row("n1", "Aram", status="killed"),
            _row("n2", "Baran", status="killed"),
            _row("n3", "Cyra", status="killed"),
            _row("n4", "Dana", status="killed"),
            _row("n5", "Esko", status="killed"),
            _row("n6", "Faro", status="detained"),
        ],
        group="ngo-network",
    )
    add_source(
        workspace,
        tmp_path,
        "ngo_mirror",
        [
            _row("m1", "Cyra", status="killed"),
        ],
        group="ngo-network",
    )
    add_source(workspace, tmp_path, "kin", [_row("k1", "Aram")], kind="family")
    add_source(
        workspace,
        tmp_path,
        "press",
        [
            _row("p1", "Baran"),
            _row("p2", "Dana", status="detained"),
            _row("p3", "Eskoo", status="killed"),
        ],
        kind="media",
    )
    link(workspace)
    return workspace


def test_grades_are_stored_with_reasons_and_counted(linked: Workspace) -> None:
    run = grade_workspace(linked, RULES)
    stored = grades(linked)
    by_record = {
        rid: stored[person_of(linked, src, rid)]
        for src, rid in (
            ("ngo", "n1"),
            ("ngo", "n2"),
            ("ngo", "n3"),
            ("ngo", "n4"),
            ("ngo", "n5"),
            ("press", "p3"),
            ("ngo", "n6"),
        )
    }
    assert by_record == {
        "n1": (
            "confirmed",
            "confirmed/primary: 2 independent sources, primary: family",
        ),
        "n2": ("corroborated", "corroborated/independent: 2 independent sources"),
        # ngo and its mirror are one independence group: one source.
        "n3": (
            "single-source",
            "single-source/single: 1 independent source (2 needed to corroborate)",
        ),
        "n4": (
            "contested",
            "contested/status: status detained (1 source) vs killed (1 source)",
        ),
        "n5": (
            "single-source",
            "single-source/single: 1 independent source (2 needed to corroborate)",
        ),
        "p3": (
            "single-source",
            "single-source/single: 1 independent source (2 needed to corroborate)",
        ),
        "n6": (
            "single-source",
            "single-source/single: 1 independent source (2 needed to corroborate)",
        ),
    }
    data = run.to_dict()
    assert (data["minimum"], data["upper"]) == (2, 5)
    assert data["scope"]["outside"] == 1  # Faro, only detained
    assert data["grades"]["contested"] == 1
    assert data["persons_by_grade"] == register_status(linked.conn).persons_by_grade
    (contested,) = data["contested"]
    assert contested["person_id"] == person_of(linked, "ngo", "n4")
    accounts = contested["disputes"][0]["accounts"]
    assert [(a["value"], a["records"]) for a in accounts] == [
        ("detained", [["press", "p2"]]),
        ("killed", [["ngo", "n4"]]),
    ]
    audit = linked.conn.execute(
        "select action, detail, hash from audit order by seq desc limit 1"
    ).fetchone()
    assert audit[0] == "grade" and audit[2] == run.head
    detail = json.loads(audit[1])
    assert (detail["minimum"], detail["persons"], detail["changed"]) == (2, 7, 7)
    for name in ("Aram", "Testi", "Dana", "n4", "press"):
        assert name not in audit[1]
        assert all(name not in reason for _, reason in grades(linked).values())
    kind, settings = linked.conn.execute(
        "select kind, settings from runs where id = ?", (run.run_id,)
    ).fetchone()
    assert kind == "grade" and json.loads(settings) == RULES.to_dict()
    assert grade_workspace(linked, RULES).changed == 0


def test_evidence_confirms(linked: Workspace) -> None:
    cyra = person_of(linked, "ngo", "n3")
    link_evidence(linked, "burial_certificate", cyra)
    grade_workspace(linked, RULES)
    assert grades(linked)[cyra] == (
        "confirmed",
        "confirmed/evidence: burial_certificate linked; 1 independent source",
    )


def test_workspace_config_changes_grades(linked: Workspace) -> None:
    config = linked.path / "aban.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[grading]\nprimary_kinds = []\n",
        encoding="utf-8",
    )
    run = grade_workspace(linked, load_rules(linked.path))
    aram = person_of(linked, "ngo", "n1")
    assert grades(linked)[aram][0] == "corroborated"
    assert run.to_dict()["grades"]["confirmed"] == 0


def test_a_discounted_duplicate_is_never_counted_and_survives_relinking(
    linked: Workspace,
) -> None:
    before = grade_workspace(linked, RULES).headline
    dup = person_of(linked, "press", "p3")
    change = discount_person(linked, dup, "duplicate", RULES, note="same as n5")
    assert (change.grade, change.grade_reason) == (
        "discounted",
        f"discounted/duplicate: reviewer decision {change.decision_id}",
    )
    assert register_status(linked.conn).persons_by_grade["discounted"] == 1
    after = grade_workspace(linked, RULES).headline
    assert (after.minimum, after.upper) == (before.minimum, before.upper - 1)
    assert after.total.counts["discounted"] == 1
    assert all(
        row.counts["discounted"] <= 1 for row in after.by_identification.values()
    )
    link(linked)
    again = grade_workspace(linked, RULES)
    assert grades(linked)[person_of(linked, "press", "p3")][0] == "discounted"
    assert (again.headline.minimum, again.headline.upper) == (
        after.minimum,
        after.upper,
    )
    assert again.lapsed == []
    action, detail = linked.conn.execute(
        "select action, detail from audit where action = 'person-discount'"
    ).fetchone()
    assert json.loads(detail) == {
        "person": dup,
        "decision_id": change.decision_id,
        "reason": "duplicate",
        "records": 1,
        "grade": "discounted",
    }
    assert "same as" not in detail


def test_a_discount_lapses_when_unseen_records_join(
    linked: Workspace, tmp_path: Path
) -> None:
    cyra = person_of(linked, "ngo", "n3")
    change = discount_person(linked, cyra, "found-alive", RULES)
    add_source(linked, tmp_path, "later", [_row("l1", "Cyra", status="killed")])
    link(linked)
    run = grade_workspace(linked, RULES)
    now = person_of(linked, "later", "l1")
    assert now == person_of(linked, "ngo", "n3")
    assert grades(linked)[now] == (
        "corroborated",
        "corroborated/independent: 2 independent sources; discount decision "
        f"{change.decision_id} no longer holds all its records",
    )
    assert run.lapsed == [change.decision_id]
    # Restoring clears the lapsed decision too.
    restored = restore_person(linked, now, RULES)
    assert restored.grade_reason == "corroborated/independent: 2 independent sources"
    assert grade_workspace(linked, RULES).lapsed == []


def test_restore_undoes_a_discount(linked: Workspace) -> None:
    grade_workspace(linked, RULES)
    aram = person_of(linked, "ngo", "n1")
    discount_person(linked, aram, "unrelated", RULES)
    change = restore_person(linked, aram, RULES)
    assert change.grade == "confirmed"
    assert grades(linked)[aram][0] == "confirmed"
    restored = linked.conn.execute(
        "select restored_at is not null, restored_by from grade_decisions"
    ).fetchall()
    assert restored == [(1, "cli")]
    with pytest.raises(StoreError) as caught:
        restore_person(linked, aram, RULES)
    assert str(caught.value) == f"person {aram} is not discounted: nothing to undo"


def test_consent_is_stored_audited_and_kept_by_relinking(linked: Workspace) -> None:
    aram = person_of(linked, "ngo", "n1")
    change = set_consent(linked, aram.lower().replace("p00000", "p"), "withheld")
    assert change.person_id == aram and change.consent == "withheld"
    link(linked)
    (consent,) = linked.conn.execute(
        "select consent from persons where person_id = ?", (aram,)
    ).fetchone()
    assert consent == "withheld"
    assert linked.conn.execute(
        "select detail from audit where action = 'person-consent'"
    ).fetchone()[0] == json.dumps(
        {"consent": "withheld", "person": aram}, separators=(",", ":")
    )


def test_unknown_persons_and_bad_ids(linked: Workspace) -> None:
    with pytest.raises(StoreError) as caught:
        find_person(linked.conn, "P999999")
    assert str(caught.value) == (
        "no person P999999 in the register: check the id, or run 'aban link' first"
    )
    with pytest.raises(StoreError) as caught:
        find_person(linked.conn, "Aram Testi")
    assert "Aram" not in str(caught.value)
    assert str(caught.value).startswith("not a person id: person ids look like")


def test_grading_before_linking_is_an_error(workspace: Workspace) -> None:
    with pytest.raises(StoreError) as caught:
        grade_workspace(workspace, RULES)
    assert str(caught.value) == "no persons in the register: run 'aban link' first"
