"""Which persons the headline toll counts: not discounted, and in scope.

Shared by ``aban estimate`` (only counted persons enter estimation) and the claims
ledger (the register's figures beside the claims), so both count the same persons as
``aban grade``'s headline.
"""

from __future__ import annotations

from aban.grade.rules import GradingRules
from aban.store.db import Connection
from aban.store.rows import persons_where, records_where

__all__ = ["counted_persons"]


def counted_persons(conn: Connection, rules: GradingRules) -> set[int]:
    """Row ids of the persons the toll counts: not discounted, and in scope.

    In scope (as in :func:`aban.grade.grading.in_scope`): a record gives a counted
    status (``killed``, ``executed``, ``died_in_custody`` by default), or no record
    gives a status and ``count_missing_status`` is on. Grades are those of the last
    grading (``aban link`` grades again after linking).
    """
    statuses: dict[int, set[str]] = {}
    for record in records_where(
        conn, "p.id is not null", select=("person_row", "status"), order_by=None
    ):
        found = statuses.setdefault(int(record["person_row"]), set())
        if record["status"]:
            found.add(str(record["status"]))
    counted = set(rules.counted_statuses)

    def in_scope(row_id: int) -> bool:
        if row_id in statuses and statuses[row_id]:
            return bool(statuses[row_id] & counted)
        return rules.count_missing_status

    return {
        int(p["id"])
        for p in persons_where(conn, select=("id", "grade"))
        if p["grade"] != "discounted" and in_scope(int(p["id"]))
    }
