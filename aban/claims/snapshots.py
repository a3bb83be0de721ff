"""The history of the register's own figures: snapshots frozen at publication.

Each publication freezes its figures (:func:`freeze_snapshot`): the counts by grade
and identification level, the enumerated minimum and upper end, and the latest
estimate, under a label and a time. The freeze is one audited write; the snapshot
keeps the audit head of the entry that recorded it, so ``aban audit verify --head``
with that head proves the figures were in the register's chain.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aban.claims.figures import (
    EstimateFigures,
    RegisterFigures,
    latest_estimate,
    register_figures,
)
from aban.errors import ConfigError
from aban.grade.rules import load_rules
from aban.store.db import Connection, transaction
from aban.store.workspace import Workspace, now

__all__ = ["Snapshot", "freeze_snapshot", "list_snapshots"]

_LABEL = re.compile(r"[^\x00-\x1f\x7f]{1,100}")


@dataclass(frozen=True)
class Snapshot:
    """The register's figures frozen under a label.

    Attributes:
        snapshot_id: its id in the register.
        label: what it was frozen for (a publication, a report).
        taken_at: when (UTC, ISO 8601).
        register: the counts at that moment.
        estimate: the latest estimate at that moment, if any.
        head: the audit head of the entry that recorded the snapshot.
    """

    snapshot_id: int
    label: str
    taken_at: str
    register: RegisterFigures
    estimate: EstimateFigures | None
    head: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.snapshot_id,
            "label": self.label,
            "taken_at": self.taken_at,
            "register": self.register.to_dict(),
            "estimate": None if self.estimate is None else self.estimate.to_dict(),
            "head": self.head,
        }


def check_label(label: str) -> str:
    """Return ``label`` stripped, or raise ConfigError if it cannot label a snapshot."""
    stripped = " ".join(label.split())
    if not _LABEL.fullmatch(stripped):
        raise ConfigError(
            "a snapshot label must be 1-100 characters without control characters"
        )
    return stripped


def freeze_snapshot(ws: Workspace, label: str) -> Snapshot:
    """Freeze the register's current figures and latest estimate under ``label``.

    The publishing step calls this: each publication freezes its figures. The
    counts are taken and stored in one transaction, with an audit entry that
    holds them.

    Args:
        ws: an open workspace.
        label: a unique name for the snapshot (1-100 characters).

    Returns:
        The snapshot, with the new audit head.

    Raises:
        ConfigError: the label is empty, too long or already used.
    """
    label = check_label(label)
    with transaction(ws.conn):
        used = ws.conn.execute(
            "select id from count_snapshots where label = ?", (label,)
        ).fetchone()
        if used is not None:
            raise ConfigError(
                f"snapshot {used[0]} already has this label; choose another label"
            )
        figures = register_figures(ws.conn, load_rules(ws.path))
        estimate = latest_estimate(ws.conn)
        taken_at = now()
        snapshot_id = _insert(ws.conn, label, taken_at, figures, estimate)
        head = ws.record_audit(
            "claims-freeze",
            {
                "snapshot": snapshot_id,
                **figures.to_dict(),
                "estimate_run": None if estimate is None else estimate.run_id,
            },
        )
        ws.conn.execute(
            "update count_snapshots set head = ? where id = ?", (head, snapshot_id)
        )
    return Snapshot(snapshot_id, label, taken_at, figures, estimate, head)


def _insert(
    conn: Connection,
    label: str,
    taken_at: str,
    figures: RegisterFigures,
    estimate: EstimateFigures | None,
) -> int:
    cursor = conn.execute(
        "insert into count_snapshots (label, taken_at, persons, minimum, upper, "
        "by_grade, by_identification, estimate) values (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            label,
            taken_at,
            figures.persons,
            figures.minimum,
            figures.upper,
            json.dumps(figures.by_grade),
            json.dumps(figures.by_identification),
            None if estimate is None else json.dumps(estimate.to_dict()),
        ),
    )
    return int(cursor.lastrowid)


def list_snapshots(conn: Connection) -> list[Snapshot]:
    """Every snapshot, oldest first (by time, then by id)."""
    rows = conn.execute(
        "select id, label, taken_at, persons, minimum, upper, by_grade, "
        "by_identification, estimate, head from count_snapshots "
        "order by taken_at, id"
    )
    return [_snapshot(row) for row in rows]


def _snapshot(row: tuple[Any, ...]) -> Snapshot:
    sid, label, taken_at, persons, minimum, upper, grades, levels, est, head = row
    figures = RegisterFigures(
        int(persons), json.loads(grades), json.loads(levels), int(minimum), int(upper)
    )
    estimate = None if est is None else EstimateFigures.from_dict(json.loads(est))
    return Snapshot(int(sid), str(label), str(taken_at), figures, estimate, str(head))
