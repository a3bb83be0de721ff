"""Counts of what the register holds (``aban status``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aban.store.db import Connection
from aban.store.rows import LIVE_PERSON, count_persons
from aban.vocab.grades import GRADES
from aban.vocab.identification import LEVELS


@dataclass(frozen=True)
class Status:
    """Register counts; ``to_dict`` is the ``aban status --json`` contract."""

    sources: int
    records: int
    persons: int
    issues: int
    persons_by_grade: dict[str, int] = field(default_factory=dict)
    persons_by_identification: dict[str, int] = field(default_factory=dict)
    audit_entries: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": self.sources,
            "records": self.records,
            "persons": self.persons,
            "issues": self.issues,
            "persons_by_grade": dict(self.persons_by_grade),
            "persons_by_identification": dict(self.persons_by_identification),
            "audit_entries": self.audit_entries,
        }


def _count(conn: Connection, table: str) -> int:
    # Table names come from code, never from input.
    return int(conn.execute(f"select count(*) from {table}").fetchone()[0])


def _grouped(conn: Connection, column: str, keys: tuple[str, ...]) -> dict[str, int]:
    counts = dict.fromkeys(keys, 0)
    for key, n in conn.execute(
        f"select {column}, count(*) from persons p where {LIVE_PERSON} group by 1"
    ):
        counts[key] = n
    return counts


def register_status(conn: Connection) -> Status:
    """Count sources, records, live persons (by grade and identification), issues
    (a dormant person, all of whose records are retracted, counts nowhere)."""
    return Status(
        sources=_count(conn, "sources"),
        records=_count(conn, "live_records"),
        persons=count_persons(conn),
        issues=_count(conn, "issues"),
        persons_by_grade=_grouped(conn, "grade", GRADES),
        persons_by_identification=_grouped(conn, "identification", LEVELS),
        audit_entries=_count(conn, "audit"),
    )
