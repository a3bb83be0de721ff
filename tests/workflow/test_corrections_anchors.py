"""Decisions anchored on record ids survive corrections (issue 15): link decisions,
discounts and consents through a new version that changes a record, through the
retraction of all of a person's records and their return (a source withdrawn and
restored; a new version that drops a record and a later one that adds it back);
and while all of a person's records are retracted the person is neither counted,
nor published, nor listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aban.errors import StoreError
from aban.evidence import add_evidence, list_evidence
from aban.grade.register import discount_person, grade_workspace, set_consent
from aban.grade.rules import load_rules
from aban.site.collect import collect_site
from aban.site.policy import load_policy
from aban.store.db import transaction
from aban.store.integrity import verify_register
from aban.store.links import add_decision
from aban.store.rows import count_persons, persons_where
from aban.store.status import register_status
from aban.store.workspace import Workspace, now
from aban.workflow.corrections import replace_list, restore_source, retract_source
from aban.workflow.estimate import person_histories
from aban.workflow.link import link_and_grade
from tests.store.fake_linker import FakeLinker, import_rows
from tests.workflow.test_corrections import person, write


def row_id(ws: Workspace, source: str, record_id: str) -> int:
    (found,) = ws.conn.execute(
        "select r.id from records r join sources s on s.id = r.source_id "
        "where s.name = ? and r.record_id = ?",
        (source, record_id),
    ).fetchone()
    return int(found)


def person_of(ws: Workspace, source: str, record_id: str) -> tuple[str, str, Any]:
    """The person id, grade and consent of the person holding a record."""
    found = ws.conn.execute(
        "select p.person_id, p.grade, p.consent from persons p "
        "join person_records pr on pr.person_id = p.id "
        "where pr.record_id = ?",
        (row_id(ws, source, record_id),),
    ).fetchone()
    assert found is not None, f"{source}:{record_id} is in no person"
    return found[0], found[1], found[2]


def verified(ws: Workspace) -> bool:
    report = verify_register(ws.conn)
    assert report.ok, report.mismatches
    return True


def relink(ws: Workspace) -> None:
    link_and_grade(ws, linker=FakeLinker())


@pytest.fixture
def decided(workspace: Workspace, tmp_path: Path) -> Workspace:
    """ngo names persons 0-9, media 0-4. Reviewers then decided: ngo:r1 and
    media:r1 are not one person; ngo:r5 and ngo:r6 are (a must-link); the persons
    of r2 and r8 are duplicates; the persons of r3 and r7 withheld their consent."""
    import_rows(workspace, tmp_path, "ngo", [person(i) for i in range(10)])
    import_rows(workspace, tmp_path, "media", [person(i) for i in range(5)])
    with transaction(workspace.conn):
        add_decision(
            workspace.conn,
            row_id(workspace, "ngo", "r1"),
            row_id(workspace, "media", "r1"),
            "non_match",
            "tester",
            now(),
        )
        add_decision(
            workspace.conn,
            row_id(workspace, "ngo", "r5"),
            row_id(workspace, "ngo", "r6"),
            "match",
            "tester",
            now(),
        )
    relink(workspace)
    rules = load_rules(workspace.path)
    for i in (2, 8):
        pid = person_of(workspace, "ngo", f"r{i}")[0]
        discount_person(workspace, pid, "duplicate", rules)
    for i in (3, 7):
        set_consent(workspace, person_of(workspace, "ngo", f"r{i}")[0], "withheld")
    return workspace


def assert_decisions_stand(ws: Workspace) -> None:
    assert person_of(ws, "ngo", "r1")[0] != person_of(ws, "media", "r1")[0]
    assert person_of(ws, "ngo", "r5")[0] == person_of(ws, "ngo", "r6")[0]
    assert person_of(ws, "ngo", "r2")[1] == "discounted"
    assert person_of(ws, "ngo", "r8")[1] == "discounted"  # r8 is on ngo only
    assert person_of(ws, "ngo", "r3")[2] == "withheld"  # r3 is also on media
    assert person_of(ws, "ngo", "r7")[2] == "withheld"  # r7 is on ngo only


def test_the_fixture_decisions_stand(decided: Workspace) -> None:
    # 10 ngo persons, media's r0, r2-r4 joined to them, media:r1 apart; r5+r6 one.
    assert count_persons(decided.conn) == 10
    assert_decisions_stand(decided)


def test_decisions_survive_a_new_version_that_changes_their_records(
    decided: Workspace, tmp_path: Path
) -> None:
    before = {i: person_of(decided, "ngo", f"r{i}")[0] for i in range(10)}
    rows = [person(i) for i in range(10)]
    for i in (1, 2, 3, 5, 7):
        rows[i]["age"] = str(60 + i)  # a correction of each decided record
    done = replace_list(decided, write(tmp_path / "ngo-v2.csv", rows), "ngo")
    assert done.result.changes == {
        "added": 0,
        "changed": 5,
        "retracted": 0,
        "returned": 0,
    }
    assert_decisions_stand(decided)
    relink(decided)
    assert_decisions_stand(decided)
    assert {i: person_of(decided, "ngo", f"r{i}")[0] for i in range(10)} == before
    assert verified(decided)


def dormant_checks(ws: Workspace, gone: set[str]) -> None:
    """The persons ``gone`` (all their records retracted) are kept, with their
    consent, but counted, graded, estimated, published and listed nowhere."""
    marks = ", ".join("?" * len(gone))
    (kept,) = ws.conn.execute(
        f"select count(*) from persons where person_id in ({marks})", sorted(gone)
    ).fetchone()
    assert kept == len(gone)
    listed = {p["person_id"] for p in persons_where(ws.conn)}
    assert not listed & gone
    assert count_persons(ws.conn) == len(listed)
    status = register_status(ws.conn).to_dict()
    assert status["persons"] == sum(status["persons_by_grade"].values()) == len(listed)
    rules = load_rules(ws.path)
    graded = grade_workspace(ws, rules)
    assert sum(graded.headline.persons_by_grade.values()) == len(listed)
    patterns, _ = person_histories(ws.conn, ["ngo", "media"], None)
    assert len(patterns) == len(listed)
    site = collect_site(ws, load_policy(ws.path), rules)
    assert not {p.person_id for p in site.persons} & gone
    assert not {p for item in list_evidence(ws.conn) for p in item.persons} & gone
    assert sum(site.headline["persons_by_grade"].values()) == len(listed)


def withdrawn_and_restored(ws: Workspace) -> dict[int, tuple[str, str, Any]]:
    """Retract and restore ngo, then link; the persons of ngo's records before."""
    before = {i: person_of(ws, "ngo", f"r{i}") for i in range(10)}
    change = retract_source(ws, "ngo", "doubtful list")
    assert change.records == 10
    # Persons 5-9 had ngo records only: all their records are retracted.
    gone = {before[i][0] for i in range(5, 10)}
    dormant_checks(ws, gone)
    assert count_persons(ws.conn) == 5  # media's r0-r4
    assert verified(ws)
    relink(ws)  # a link run while they are retracted leaves them dormant
    dormant_checks(ws, gone)
    assert verified(ws)
    restore_source(ws, "ngo")
    relink(ws)
    assert verified(ws)
    return before


def dropped_and_added_back(
    ws: Workspace, tmp_path: Path
) -> dict[int, tuple[str, str, Any]]:
    """A version without r7, then one with it (its rows in another order: the
    first file again byte for byte is refused); then link."""
    before = {i: person_of(ws, "ngo", f"r{i}") for i in range(10)}
    dropped = [person(i) for i in range(10) if i != 7]
    replace_list(ws, write(tmp_path / "v2.csv", dropped), "ngo")
    dormant_checks(ws, {before[7][0]})
    assert count_persons(ws.conn) == 9
    again = [person(i) for i in reversed(range(10))]
    back = replace_list(ws, write(tmp_path / "v3.csv", again), "ngo")
    assert back.result.changes == {
        "added": 0,
        "changed": 0,
        "retracted": 0,
        "returned": 1,
    }
    relink(ws)
    assert verified(ws)
    return before


def test_decisions_survive_a_source_withdrawn_and_restored(
    decided: Workspace,
) -> None:
    before = withdrawn_and_restored(decided)
    assert_decisions_stand(decided)
    # Every person keeps its id, its grade and its consent (before this was
    # fixed, a person all of whose records were retracted was deleted, and came
    # back from the next link with a new id and no consent).
    assert {i: person_of(decided, "ngo", f"r{i}") for i in range(10)} == before


def test_decisions_survive_a_version_that_drops_a_record_and_one_that_adds_it_back(
    decided: Workspace, tmp_path: Path
) -> None:
    before = dropped_and_added_back(decided, tmp_path)
    assert_decisions_stand(decided)
    assert {i: person_of(decided, "ngo", f"r{i}") for i in range(10)} == before


def test_a_dormant_persons_consent_may_change_but_not_its_grade(
    decided: Workspace,
) -> None:
    seven = person_of(decided, "ngo", "r7")[0]
    retract_source(decided, "ngo", "doubtful list")
    rules = load_rules(decided.path)
    with pytest.raises(StoreError) as err:
        discount_person(decided, seven, "duplicate", rules)
    assert str(err.value) == (
        f"person {seven} is dormant: all its records are retracted; its grade waits "
        "for them ('aban source restore', or a new version of the list that has them)"
    )
    set_consent(decided, seven, "public")
    assert verified(decided)
    restore_source(decided, "ngo")
    assert person_of(decided, "ngo", "r7")[0::2] == (seven, "public")


def test_evidence_listing_names_no_dormant_person(
    decided: Workspace, tmp_path: Path
) -> None:
    # Issue 15: aban evidence list named the person of a withdrawn source's record.
    # An item linked to the person of ngo:r7 (ngo's only) and to the record ngo:r8,
    # another linked to the record media:r0 (its person also holds ngo:r0).
    seven, eight, zero = (person_of(decided, s, r)[0] for s, r in
                          (("ngo", "r7"), ("ngo", "r8"), ("media", "r0")))  # fmt: skip
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("a certificate", encoding="utf-8")
    second.write_text("a testimony", encoding="utf-8")
    add_evidence(decided, first, kind="document", person=seven)
    add_evidence(decided, first, kind="document", record="ngo:r8")
    add_evidence(decided, second, kind="testimony", record="media:r0")

    def listed() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        return [(i.persons, i.records) for i in list_evidence(decided.conn)]

    both = [(tuple(sorted((seven, eight))), ("ngo:r8",)), ((zero,), ("media:r0",))]
    assert listed() == both
    retract_source(decided, "ngo", "doubtful list")
    assert listed() == [((), ("ngo:r8",)), ((zero,), ("media:r0",))]
    restore_source(decided, "ngo")
    assert listed() == both
    assert verified(decided)
