"""Which persons the headline toll counts: not discounted, and in scope.

Shared by ``aban estimate`` (only counted persons enter estimation) and the claims
ledger (the register's figures beside the claims), so both count the same persons as
``aban grade``'s headline.
"""

from __future__ import annotations

from aban.grade.rules import GradingRules
from aban.store.db import Connection

__all__ = ["counted_persons"]


def counted_persons(conn: Connection, rules: GradingRules) -> set[int]:
    """Row ids of the persons the toll counts: not discounted, and in scope.

    In scope (as in :func:`aban.grade.grading.in_scope`): a record gives a counted
    status (``killed``, ``executed``, ``died_in_custody`` by default), or no record
    gives a status and ``count_missing_status`` is on. Grades are those of the last
    grading (``aban link`` grades again after linking).
    """
    statuses: dict[int, set[str]] = {}
    for pid, status in conn.execute(
        "select pr.person_id, r.status from person_records pr "
        "join records r on r.id = pr.record_id"
    ):
        found = statuses.setdefault(int(pid), set())
        if status:
            found.add(str(status))
    counted = set(rules.counted_statuses)
    return {
        int(pid)
        for (pid, grade) in conn.execute("select id, grade from persons")
        if grade != "discounted"
        and (
            bool(statuses.get(int(pid), set()) & counted)
            or (not statuses.get(int(pid)) and rules.count_missing_status)
        )
    }
