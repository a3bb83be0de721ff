"""Publication releases: each ``aban publish`` is a numbered release in the register.

A release records when it was built, a digest of what it published, the figures
it showed (counts only: no personal data), the policy in force, the snapshot of
the register's figures it froze (:func:`aban.claims.snapshots.freeze_snapshot`,
label ``release N``, so the claims ledger's history holds it) and the audit head
of the entry that recorded it. Publishing content identical to the last release
(same digest) rebuilds that release instead of numbering a new one, so the same
register always gives the same site.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aban.claims.snapshots import freeze_snapshot
from aban.store.db import Connection, transaction
from aban.store.workspace import Workspace

__all__ = ["Release", "latest_release", "list_releases", "record_release"]

_COLUMNS = "id, published_at, digest, snapshot_id, figures, policy, head"


@dataclass(frozen=True)
class Release:
    """One numbered publication.

    Attributes:
        number: the release number (1, 2, ...).
        published_at: the build time of the release (UTC, ISO 8601).
        digest: SHA-256 of the published content.
        snapshot_id: the snapshot of the register's figures it froze.
        figures: what it published, in counts (listed persons, minimum, upper,
            by grade, by identification level, the estimate).
        policy: the publication policy in force.
        head: the audit head of the entry that recorded it.
        new: whether this call recorded it (False when rebuilt unchanged).
    """

    number: int
    published_at: str
    digest: str
    snapshot_id: int | None
    figures: dict[str, Any]
    policy: dict[str, Any]
    head: str
    new: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (published on the site)."""
        return {
            "number": self.number,
            "published_at": self.published_at,
            "digest": self.digest,
            "figures": self.figures,
            "head": self.head,
        }


def _release(row: tuple[Any, ...]) -> Release:
    number, published_at, digest, snapshot_id, figures, policy, head = row
    return Release(
        int(number),
        str(published_at),
        str(digest),
        None if snapshot_id is None else int(snapshot_id),
        json.loads(figures),
        json.loads(policy),
        str(head),
    )


def list_releases(conn: Connection) -> list[Release]:
    """Every release, oldest first."""
    rows = conn.execute(f"select {_COLUMNS} from releases order by id")
    return [_release(row) for row in rows]


def latest_release(conn: Connection) -> Release | None:
    """The newest release, or None before the first publication."""
    row = conn.execute(
        f"select {_COLUMNS} from releases order by id desc limit 1"
    ).fetchone()
    return None if row is None else _release(row)


def _snapshot_id(ws: Workspace, label: str) -> int:
    """The snapshot labelled ``label``, frozen now unless an earlier try left it."""
    row = ws.conn.execute(
        "select id from count_snapshots where label = ?", (label,)
    ).fetchone()
    if row is not None:
        return int(row[0])
    return freeze_snapshot(ws, label).snapshot_id


def record_release(
    ws: Workspace,
    digest: str,
    figures: Mapping[str, Any],
    policy: Mapping[str, Any],
    published_at: str,
) -> Release:
    """The release for this content: the latest if its digest matches, else a new one.

    A new release freezes the register's figures (snapshot ``release N``), then
    stores the release with an audit entry (counts and digest only).

    Args:
        ws: an open workspace.
        digest: SHA-256 of the content to publish.
        figures: its counts (no personal data).
        policy: the publication policy (no personal data).
        published_at: the build time (UTC, ISO 8601).

    Returns:
        The release; ``new`` says whether it was recorded now.
    """
    last = latest_release(ws.conn)
    if last is not None and last.digest == digest:
        return last
    number = 1 if last is None else last.number + 1
    snapshot_id = _snapshot_id(ws, f"release {number}")
    figures_text = json.dumps(figures, sort_keys=True, ensure_ascii=False)
    policy_text = json.dumps(policy, sort_keys=True, ensure_ascii=False)
    with transaction(ws.conn):
        ws.conn.execute(
            "insert into releases (id, published_at, digest, snapshot_id, figures, "
            "policy) values (?, ?, ?, ?, ?, ?)",
            (number, published_at, digest, snapshot_id, figures_text, policy_text),
        )
        head = ws.record_audit(
            "publish-release",
            {
                "release": number,
                "snapshot": snapshot_id,
                "digest": digest,
                "listed": figures.get("listed"),
            },
        )
        ws.conn.execute("update releases set head = ? where id = ?", (head, number))
    return Release(
        number,
        published_at,
        digest,
        snapshot_id,
        json.loads(figures_text),
        json.loads(policy_text),
        head,
        new=True,
    )
