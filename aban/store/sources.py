"""Sources in the register: creating, listing and changing them.

What a source is (kinds, reliability, independence) is :mod:`aban.vocab.sources`.
"""

from __future__ import annotations

from typing import Any

from aban.errors import ConfigError
from aban.store.db import Connection, transaction
from aban.store.workspace import Workspace
from aban.vocab.sources import KINDS, PROTECTED_KINDS, RELIABILITY, Source


def source_id(conn: Connection, name: str, created_at: str) -> tuple[int, bool]:
    """The id of source ``name``, creating it with default metadata if new.

    Returns:
        (id, created)
    """
    row = conn.execute("select id from sources where name = ?", (name,)).fetchone()
    if row:
        return int(row[0]), False
    cursor = conn.execute(
        "insert into sources (name, created_at) values (?, ?)", (name, created_at)
    )
    return int(cursor.lastrowid), True


def list_sources(conn: Connection) -> list[Source]:
    """Every source, by name, with its record count."""
    rows = conn.execute(
        "select s.name, s.kind, s.independence_group, s.reliability, s.is_list, "
        "s.protected, (select count(*) from live_records r where r.source_id = s.id) "
        "from sources s order by s.name"
    )
    return [
        Source(name, kind, group, rel, bool(is_list), bool(protected), n)
        for name, kind, group, rel, is_list, protected, n in rows
    ]


def sources_by_name(conn: Connection) -> dict[str, Source]:
    """Every source by name, with what counting needs (no record counts)."""
    rows = conn.execute(
        "select name, kind, independence_group, reliability, is_list, protected "
        "from sources"
    )
    return {
        name: Source(name, kind, group, rel, bool(is_list), bool(protected))
        for name, kind, group, rel, is_list, protected in rows
    }


def set_source(
    conn: Connection,
    name: str,
    *,
    kind: str | None = None,
    group: str | None = None,
    reliability: str | None = None,
    is_list: bool | None = None,
    protected: bool | None = None,
) -> dict[str, Any]:
    """Change the metadata of an existing source; return what changed.

    Setting the kind to family or witness also protects the source unless ``protected``
    is given explicitly.

    Raises:
        ConfigError: unknown source, kind or reliability.
    """
    row = conn.execute("select id from sources where name = ?", (name,)).fetchone()
    if row is None:
        raise ConfigError(
            "no such source; 'aban sources' lists them, and importing a file "
            "creates one"
        )
    if kind is not None and kind not in KINDS:
        raise ConfigError(
            f"unknown source kind {kind!r}; use one of {', '.join(KINDS)}"
        )
    if reliability is not None and reliability.upper() not in RELIABILITY:
        raise ConfigError("reliability must be one of A, B, C, D, E (HURIDOCS scale)")
    if protected is None and kind in PROTECTED_KINDS:
        protected = True
    changes: dict[str, Any] = {
        "kind": kind,
        "independence_group": group,
        "reliability": reliability.upper() if reliability else None,
        "is_list": None if is_list is None else int(is_list),
        "protected": None if protected is None else int(protected),
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    for column, value in changes.items():
        # Column names come from the fixed dict above, never from input.
        conn.execute(f"update sources set {column} = ? where id = ?", (value, row[0]))
    return changes


def update_source(
    ws: Workspace, name: str, **values: Any
) -> tuple[dict[str, Any], str]:
    """Change source ``name`` as :func:`set_source` does, with its audit entry.

    Args:
        ws: an open workspace.
        name: the source to change.
        **values: ``kind``, ``group``, ``reliability``, ``is_list``, ``protected``.

    Returns:
        What changed, and the audit head after the entry that records it.
    """
    with transaction(ws.conn):
        changes = set_source(ws.conn, name, **values)
        head = ws.record_audit("source-set", {"source": name, **changes})
    return changes, head
