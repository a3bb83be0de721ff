"""Grades in the register: grading every person, reviewers' discounts, consent.

:func:`grade_workspace` reads every person with its records, sources, evidence
and discount decisions, grades each with :func:`aban.grade.grading.grade_person`,
stores ``persons.grade`` and ``persons.grade_reason``, keeps the headline figures
as a run of kind ``grade`` (so the history of the count stays in the register) and
appends an audit entry with counts only. Discounts live in ``grade_decisions``
anchored on record ids (see :mod:`aban.grade.decisions`); every write is audited.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from aban.errors import StoreError
from aban.grade.decisions import Decision, DecisionIndex, covering, lapsed
from aban.grade.grading import (
    GradeResult,
    PersonFacts,
    grade_person,
    in_scope,
)
from aban.grade.headline import Headline, headline
from aban.grade.rules import DISCOUNT_REASONS, GradingRules
from aban.store.db import Connection, transaction
from aban.store.persons import find_person, load_records
from aban.store.rows import LIVE_PERSON, count_persons
from aban.store.runs import save_run
from aban.store.sources import sources_by_name
from aban.store.workspace import Workspace, now

Consent = Literal["public", "public-without-name", "withheld"]
CONSENTS: tuple[Consent, ...] = ("public", "public-without-name", "withheld")


@dataclass(frozen=True)
class PersonRow:
    """A person as stored: row id, person id, identification level, record ids."""

    row_id: int
    person_id: str
    identification: str
    records: tuple[int, ...]


@dataclass(frozen=True)
class GradeRun:
    """What ``aban grade`` did; ``to_dict`` is ``aban grade --json``.

    Attributes:
        run_id: the stored run (kind ``grade``).
        headline: the headline figures.
        changed: persons whose grade or reason changed.
        contested: each contested person's id, reason and disputes (the
            disputes name sources, records and values: for the user only).
        lapsed: ids of discount decisions that no longer hold all the records
            of some person they touch.
        rules: the rules applied.
        head: the new audit head.
    """

    run_id: int
    headline: Headline
    changed: int
    contested: list[dict[str, Any]]
    lapsed: list[int]
    rules: GradingRules
    head: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            **self.headline.to_dict(),
            "changed": self.changed,
            "contested": self.contested,
            "lapsed_decisions": self.lapsed,
            "rules": self.rules.to_dict(),
            "head": self.head,
        }


@dataclass(frozen=True)
class PersonChange:
    """What a command on one person did (ids and vocabulary only)."""

    person_id: str
    grade: str
    grade_reason: str
    consent: str | None = None
    decision_id: int | None = None
    head: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def active_decisions(conn: Connection) -> list[Decision]:
    """The discount decisions not restored, oldest first."""
    records: dict[int, set[int]] = {}
    for decision_id, record in conn.execute(
        "select dr.decision_id, dr.record_id from grade_decision_records dr "
        "join grade_decisions d on d.id = dr.decision_id where d.restored_at is null"
    ):
        records.setdefault(int(decision_id), set()).add(int(record))
    rows = conn.execute(
        "select id, reason, person_id from grade_decisions "
        "where restored_at is null order by id"
    )
    return [
        Decision(int(i), reason, frozenset(records.get(int(i), ())), pid)
        for i, reason, pid in rows
    ]


def _persons(conn: Connection, row_ids: Collection[int] | None) -> list[PersonRow]:
    members: dict[int, list[int]] = {}
    for person, record in conn.execute(
        "select person_id, record_id from person_records order by record_id"
    ):
        members.setdefault(int(person), []).append(int(record))
    rows = conn.execute(
        f"select id, person_id, identification from persons p where {LIVE_PERSON} "
        "order by id"
    )
    return [
        PersonRow(int(i), pid, level, tuple(members.get(int(i), ())))
        for i, pid, level in rows
        if row_ids is None or int(i) in row_ids
    ]


def _evidence(conn: Connection) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    by_person: dict[int, set[str]] = {}
    by_record: dict[int, set[str]] = {}
    for person, record, kind in conn.execute(
        "select l.person_id, l.record_id, e.kind from evidence_links l "
        "join evidence e on e.id = l.evidence_id"
    ):
        if person is not None:
            by_person.setdefault(int(person), set()).add(kind)
        if record is not None:
            by_record.setdefault(int(record), set()).add(kind)
    return by_person, by_record


def person_facts(
    conn: Connection, row_ids: Collection[int] | None = None
) -> list[tuple[PersonRow, PersonFacts]]:
    """Each person (all, or those with these row ids) with what grading reads."""
    persons = _persons(conn, row_ids)
    wanted = None if row_ids is None else {r for p in persons for r in p.records}
    records = {r["id"]: r for r in load_records(conn, wanted)}
    by_person, by_record = _evidence(conn)
    index = DecisionIndex.build(active_decisions(conn))
    found = []
    for person in persons:
        touching = index.touching(person.records)
        kinds = set(by_person.get(person.row_id, ()))
        for record in person.records:
            kinds |= by_record.get(record, set())
        facts = PersonFacts(
            person_id=person.person_id,
            records=tuple(records[r] for r in person.records),
            evidence_kinds=tuple(sorted(kinds)),
            decision=covering(person.records, touching),
            lapsed=tuple(d.id for d in lapsed(person.records, touching)),
        )
        found.append((person, facts))
    return found


def _store(conn: Connection, person: PersonRow, result: GradeResult, at: str) -> bool:
    cursor = conn.execute(
        "update persons set grade = ?, grade_reason = ?, updated_at = ? "
        "where id = ? and (grade is not ? or grade_reason is not ?)",
        (result.grade, result.reason, at, person.row_id, result.grade, result.reason),
    )
    return bool(cursor.rowcount)


def _contested(facts: PersonFacts, result: GradeResult) -> dict[str, Any]:
    return {
        "person_id": facts.person_id,
        "reason": result.reason,
        "disputes": [d.to_dict() for d in result.disputes],
    }


@dataclass
class _Graded:
    scored: list[tuple[str, str, bool]] = field(default_factory=list)
    contested: list[dict[str, Any]] = field(default_factory=list)
    lapsed: list[int] = field(default_factory=list)
    changed: int = 0


def _grade_all(conn: Connection, rules: GradingRules, at: str) -> _Graded:
    """Grade and store every person, in the caller's transaction."""
    everyone = person_facts(conn)
    if not everyone:
        raise StoreError("no persons in the register: run 'aban link' first")
    sources = sources_by_name(conn)
    graded, lapsed_ids = _Graded(), set[int]()
    for person, facts in everyone:
        result = grade_person(facts, sources, rules)
        graded.changed += _store(conn, person, result, at)
        scoped = in_scope(facts.records, rules)
        graded.scored.append((result.grade, person.identification, scoped))
        lapsed_ids.update(facts.lapsed)
        if result.grade == "contested":
            graded.contested.append(_contested(facts, result))
    graded.lapsed = sorted(lapsed_ids)
    return graded


def grade_workspace(ws: Workspace, rules: GradingRules) -> GradeRun:
    """Grade every person of the register and store the grades and headline.

    Args:
        ws: an open workspace whose records are linked (``aban link``).
        rules: the grading rules (:func:`aban.grade.rules.load_rules`).

    Returns:
        The headline figures, contested persons, lapsed decisions and audit head.

    Raises:
        StoreError: there are no persons yet.
    """
    started = now()
    with transaction(ws.conn):
        graded = _grade_all(ws.conn, rules, started)
        figures = headline(graded.scored, rules)
        counts = {**figures.to_dict(), "changed": graded.changed}
        run_id = save_run(
            ws.conn, "grade", started, now(), rules.to_dict(), None, counts
        )
        head = ws.record_audit(
            "grade",
            {
                "run": run_id,
                "persons": figures.persons,
                "changed": graded.changed,
                "minimum": figures.minimum,
                "upper": figures.upper,
                "persons_by_grade": figures.persons_by_grade,
            },
        )
    return GradeRun(
        run_id, figures, graded.changed, graded.contested, graded.lapsed, rules, head
    )


def _graded_person(conn: Connection, text: str) -> tuple[int, str]:
    """The row id and person id of a person to discount or restore.

    Raises:
        StoreError: unknown person, or a dormant one (all its records retracted).
    """
    row_id, person_id = find_person(conn, text)
    if not count_persons(conn, "p.id = ?", (row_id,)):
        raise StoreError(
            f"person {person_id} is dormant: all its records are retracted; its "
            "grade waits for them ('aban source restore', or a new version of the "
            "list that has them)"
        )
    return row_id, person_id


def _regrade(ws: Workspace, row_id: int, rules: GradingRules) -> GradeResult:
    ((person, facts),) = person_facts(ws.conn, {row_id})
    result = grade_person(facts, sources_by_name(ws.conn), rules)
    _store(ws.conn, person, result, now())
    return result


def _add_decision(
    ws: Workspace, row_id: int, person_id: str, reason: str, note: str | None
) -> tuple[int, int]:
    """Store a discount holding the person's records; return its id and size."""
    records = [
        int(r)
        for (r,) in ws.conn.execute(
            "select record_id from person_records where person_id = ?", (row_id,)
        )
    ]
    if not records:
        raise StoreError(f"person {person_id} has no records: run 'aban link'")
    cursor = ws.conn.execute(
        "insert into grade_decisions (person_id, reason, note, reviewer, "
        "decided_at) values (?, ?, ?, ?, ?)",
        (person_id, reason, note, ws.settings.actor, now()),
    )
    decision_id = int(cursor.lastrowid)
    ws.conn.executemany(
        "insert into grade_decision_records (decision_id, record_id) values (?, ?)",
        [(decision_id, r) for r in records],
    )
    return decision_id, len(records)


def discount_person(
    ws: Workspace,
    text: str,
    reason: str,
    rules: GradingRules,
    note: str | None = None,
) -> PersonChange:
    """Discount a person (kept, never counted) and audit the decision.

    The decision holds the person's current records, so it survives re-linking.

    Args:
        ws: an open workspace.
        text: the person id.
        reason: ``duplicate``, ``found-alive`` or ``unrelated``.
        rules: the grading rules (to grade the person again).
        note: the reviewer's note, kept in the register, never in the audit log.

    Raises:
        StoreError: unknown person, a person without records, or a dormant one.
        ValueError: an unknown reason.
    """
    if reason not in DISCOUNT_REASONS:
        raise ValueError(f"unknown discount reason {reason!r}")
    with transaction(ws.conn):
        row_id, person_id = _graded_person(ws.conn, text)
        decision_id, records = _add_decision(ws, row_id, person_id, reason, note)
        result = _regrade(ws, row_id, rules)
        head = ws.record_audit(
            "person-discount",
            {
                "person": person_id,
                "decision_id": decision_id,
                "reason": reason,
                "records": records,
                "grade": result.grade,
            },
        )
    return PersonChange(
        person_id, result.grade, result.reason, decision_id=decision_id, head=head
    )


def restore_person(ws: Workspace, text: str, rules: GradingRules) -> PersonChange:
    """Undo the discounts that touch a person's records, grade it again, audit.

    Raises:
        StoreError: unknown or dormant person, or no discount decision touches it.
    """
    with transaction(ws.conn):
        row_id, person_id = _graded_person(ws.conn, text)
        ids = [
            int(i)
            for (i,) in ws.conn.execute(
                "select distinct d.id from grade_decisions d "
                "join grade_decision_records dr on dr.decision_id = d.id "
                "join person_records pr on pr.record_id = dr.record_id "
                "where pr.person_id = ? and d.restored_at is null order by d.id",
                (row_id,),
            )
        ]
        if not ids:
            raise StoreError(f"person {person_id} is not discounted: nothing to undo")
        at = now()
        ws.conn.executemany(
            "update grade_decisions set restored_at = ?, restored_by = ? where id = ?",
            [(at, ws.settings.actor, i) for i in ids],
        )
        result = _regrade(ws, row_id, rules)
        head = ws.record_audit(
            "person-restore",
            {"person": person_id, "decisions": ids, "grade": result.grade},
        )
    return PersonChange(person_id, result.grade, result.reason, head=head)


def set_consent(ws: Workspace, text: str, consent: Consent) -> PersonChange:
    """Record a person's publication consent (DESIGN.md 5) and audit it.

    Raises:
        StoreError: unknown person.
        ValueError: an unknown consent value.
    """
    if consent not in CONSENTS:
        raise ValueError(f"unknown consent {consent!r}")
    with transaction(ws.conn):
        row_id, person_id = find_person(ws.conn, text)
        ws.conn.execute(
            "update persons set consent = ?, updated_at = ? where id = ?",
            (consent, now(), row_id),
        )
        grade, reason = ws.conn.execute(
            "select grade, grade_reason from persons where id = ?", (row_id,)
        ).fetchone()
        head = ws.record_audit(
            "person-consent", {"person": person_id, "consent": consent}
        )
    return PersonChange(person_id, grade, reason or "", consent=consent, head=head)
