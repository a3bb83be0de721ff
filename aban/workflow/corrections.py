"""Corrections: a new version of a list, and a whole source withdrawn or restored.

Each writes what changed (:mod:`aban.ingest.replace`, :mod:`aban.store.retractions`),
then takes retracted records out of persons and gives the persons that held them
or a changed record their values again (:func:`aban.linkage.persons.refresh_persons`),
then grades every person again, so the register never counts a retracted record,
even before the next ``aban link``. A person all of whose records are retracted is
dormant: kept with its id, consent and links to its records, counted nowhere, and
back with its records when they come back. Records added, and records brought back
whose person kept other records, are in no person until ``aban link``, as after any
import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aban.grade.register import GradeRun, grade_workspace
from aban.grade.rules import GradingRules, load_rules
from aban.ingest.importer import ImportResult, import_file
from aban.linkage.persons import PersonsRefresh, refresh_persons
from aban.store.db import transaction
from aban.store.retractions import bring_back_source, withdraw_source
from aban.store.rows import count_persons
from aban.store.sources import sources_by_name
from aban.store.workspace import Workspace, now


@dataclass(frozen=True)
class Regraded:
    """What taking retracted records out of persons changed, and the grades after.

    Attributes:
        persons: the refresh's counts.
        grades: the grade run after it (None when there are no persons).
        head: the audit head after both.
    """

    persons: PersonsRefresh
    grades: GradeRun | None
    head: str

    def to_dict(self) -> dict[str, Any]:
        grades = None
        if self.grades is not None:
            headline = self.grades.headline
            grades = {
                "persons_by_grade": headline.persons_by_grade,
                "minimum": headline.minimum,
                "upper": headline.upper,
            }
        return {**self.persons.to_dict(), "grades": grades}


def _refresh(
    ws: Workspace, changed: list[int], action: str, detail: dict[str, Any]
) -> tuple[PersonsRefresh, str]:
    """Refresh persons and write the audit entry, in the caller's transaction."""
    refresh = refresh_persons(ws.conn, changed, sources_by_name(ws.conn), now())
    head = ws.record_audit(action, {**detail, "persons": refresh.to_dict()})
    return refresh, head


def _grade(
    ws: Workspace, refresh: PersonsRefresh, head: str, rules: GradingRules | None
) -> Regraded:
    """Grade everyone again, if there is anyone (a dormant person is no one)."""
    if not count_persons(ws.conn):
        return Regraded(refresh, None, head)
    graded = grade_workspace(ws, load_rules(ws.path) if rules is None else rules)
    return Regraded(refresh, graded, graded.head)


@dataclass
class Replaced:
    """``aban import --replace``: the import, and persons and grades after it."""

    result: ImportResult
    regraded: Regraded | None = None

    @property
    def head(self) -> str | None:
        return self.regraded.head if self.regraded else self.result.head

    def to_dict(self) -> dict[str, Any]:
        found = self.result.to_dict()
        if self.regraded is not None:
            found["persons"] = self.regraded.to_dict()
            found["head"] = self.regraded.head
        return found


def replace_list(
    ws: Workspace,
    path: Path,
    source: str,
    *,
    rules: GradingRules | None = None,
    **options: Any,
) -> Replaced:
    """Import ``path`` as a new version of ``source``'s list, then refresh persons.

    Args:
        ws: an open workspace.
        path: the new version of the list.
        source: its source.
        rules: the grading rules; the workspace's when None.
        **options: as :func:`aban.ingest.importer.import_file` takes them.

    Returns:
        The import (its ``changes``: added, changed, retracted, returned) and,
        unless it was refused or changed nothing, the persons' refresh and grades.
    """
    result = import_file(ws, path, source=source, replace=True, **options)
    if result.refused or result.already_imported or not result.changes:
        return Replaced(result)
    changes = result.changes
    if not (changes["changed"] or changes["retracted"] or changes["returned"]):
        return Replaced(result)
    changed = [
        int(r)
        for (r,) in ws.conn.execute(
            "select r.id from records r join imports i on i.id = r.import_id "
            "join sources s on s.id = i.source_id "
            "where s.name = ? and i.content_sha256 = ?",
            (source, result.content_sha256),
        )
    ]
    with transaction(ws.conn):
        detail = {"source": source, "file_sha256": result.content_sha256}
        refresh, head = _refresh(ws, changed, "persons-refresh", detail)
    return Replaced(result, _grade(ws, refresh, head, rules))


@dataclass(frozen=True)
class SourceChange:
    """``aban source retract`` or ``restore``: counts only (never the reason).

    Attributes:
        source: the source's name.
        action: ``retract`` or ``restore``.
        retraction: the retraction's id.
        records: the records withdrawn or brought back.
        regraded: persons and grades after it.
        unlinked: records brought back in no person (their persons kept other
            records), until ``aban link``.
    """

    source: str
    action: str
    retraction: int
    records: int
    regraded: Regraded = field(compare=False)
    unlinked: int = 0

    @property
    def head(self) -> str:
        return self.regraded.head

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "action": self.action,
            "retraction": self.retraction,
            "records": self.records,
            "unlinked": self.unlinked,
            "persons": self.regraded.to_dict(),
            "head": self.head,
        }


def retract_source(
    ws: Workspace, name: str, reason: str, rules: GradingRules | None = None
) -> SourceChange:
    """Withdraw every record of source ``name``; refresh persons and grades.

    The reason is stored protected (never in the audit detail or a message).

    Raises:
        ConfigError: no such source, no reason, or already retracted.
    """
    with transaction(ws.conn):
        retraction, records = withdraw_source(
            ws.conn, name, reason, ws.settings.actor, now()
        )
        detail = {"source": name, "retraction": retraction, "records": len(records)}
        refresh, head = _refresh(ws, [], "source-retract", detail)
    regraded = _grade(ws, refresh, head, rules)
    return SourceChange(name, "retract", retraction, len(records), regraded)


def restore_source(
    ws: Workspace, name: str, rules: GradingRules | None = None
) -> SourceChange:
    """Bring back the records a source's retraction withdrew; refresh persons and
    grades.

    A dormant person is back with its records, its id and consent; a record whose
    person kept other records is in no person until the next ``aban link``.

    Raises:
        ConfigError: no such source, or it is not retracted.
    """
    with transaction(ws.conn):
        retraction, records = bring_back_source(ws.conn, name, ws.settings.actor, now())
        detail = {"source": name, "retraction": retraction, "records": len(records)}
        # Dormant persons are back with their records (those that also held
        # records of a source still retracted let go of them).
        refresh, head = _refresh(ws, records, "source-restore", detail)
        linked = {
            int(r) for (r,) in ws.conn.execute("select record_id from person_records")
        }
    regraded = _grade(ws, refresh, head, rules)
    unlinked = len(set(records) - linked)
    return SourceChange(name, "restore", retraction, len(records), regraded, unlinked)
