"""Retracted records, withdrawn sources and the list of imports.

A record is retracted when a new version of its list leaves it out (``aban import
--replace``) or when its whole source is withdrawn (``aban source retract``). It
stays in the register, with its history, and counts nowhere: every reader that
enumerates records reads the ``live_records`` view (migration 15), which leaves
retracted records out, and a retraction takes them out of persons at once
(:mod:`aban.workflow.corrections`).

A source's retraction reason is protected free text, like a reviewer's note: it
may name people. It stays in the encrypted register, out of audit details,
exports, the site and messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from aban.errors import ConfigError
from aban.store.db import Connection

_CHUNK = 500
#: What an import's records are now: see :class:`ImportRow`.
ImportStanding = Literal["current", "replaced", "retracted"]


def retract_records(
    conn: Connection,
    record_ids: Sequence[int],
    at: str,
    *,
    import_id: int | None = None,
    source_retraction_id: int | None = None,
) -> int:
    """Retract live records (in the caller's transaction); return how many."""
    conn.executemany(
        "insert into retractions (record_id, import_id, source_retraction_id, "
        "retracted_at) values (?, ?, ?, ?)",
        [(r, import_id, source_retraction_id, at) for r in record_ids],
    )
    return len(record_ids)


def unretract_records(conn: Connection, record_ids: Sequence[int]) -> None:
    """Bring retracted records back (in the caller's transaction)."""
    conn.executemany(
        "delete from retractions where record_id = ?", [(r,) for r in record_ids]
    )


def retracted_records(conn: Connection) -> set[int]:
    """The row ids of every retracted record."""
    return {int(r) for (r,) in conn.execute("select record_id from retractions")}


def _source(conn: Connection, name: str) -> int:
    row = conn.execute("select id from sources where name = ?", (name,)).fetchone()
    if row is None:
        raise ConfigError("no such source; 'aban sources' lists them")
    return int(row[0])


def open_retraction(conn: Connection, name: str) -> int | None:
    """The id of source ``name``'s standing retraction, if it is retracted."""
    row = conn.execute(
        "select x.id from source_retractions x join sources s on s.id = x.source_id "
        "where s.name = ? and x.restored_at is null",
        (name,),
    ).fetchone()
    return None if row is None else int(row[0])


def withdraw_source(
    conn: Connection, name: str, reason: str, actor: str, at: str
) -> tuple[int, list[int]]:
    """Retract every live record of a source (in the caller's transaction).

    Returns:
        The retraction's id and the row ids of the records it retracted.

    Raises:
        ConfigError: no such source, an empty reason, or already retracted.
    """
    source_id = _source(conn, name)
    if not reason.strip():
        raise ConfigError("give a reason (--reason): why the source is withdrawn")
    if open_retraction(conn, name) is not None:
        raise ConfigError(
            "the source is already retracted; 'aban source restore' brings it back"
        )
    retraction = conn.execute(
        "insert into source_retractions (source_id, reason, retracted_by, "
        "retracted_at) values (?, ?, ?, ?)",
        (source_id, reason.strip(), actor, at),
    ).lastrowid
    live = [
        int(r)
        for (r,) in conn.execute(
            "select id from live_records where source_id = ? order by id",
            (source_id,),
        )
    ]
    retract_records(conn, live, at, source_retraction_id=int(retraction))
    return int(retraction), live


def bring_back_source(
    conn: Connection, name: str, actor: str, at: str
) -> tuple[int, list[int]]:
    """Restore a retracted source's records (in the caller's transaction).

    Records that a new version of its list had retracted stay retracted.

    Returns:
        The retraction's id and the row ids of the records brought back.

    Raises:
        ConfigError: no such source, or it is not retracted.
    """
    _source(conn, name)
    retraction = open_retraction(conn, name)
    if retraction is None:
        raise ConfigError("the source is not retracted; 'aban sources' lists them")
    back = [
        int(r)
        for (r,) in conn.execute(
            "select record_id from retractions where source_retraction_id = ? "
            "order by record_id",
            (retraction,),
        )
    ]
    unretract_records(conn, back)
    conn.execute(
        "update source_retractions set restored_by = ?, restored_at = ? where id = ?",
        (actor, at, retraction),
    )
    return retraction, back


@dataclass(frozen=True)
class ImportRow:
    """One import as ``aban imports`` lists it (no personal data).

    Attributes:
        id: the import's id.
        source: its source's name.
        file_name: the file's name.
        file_sha256: the SHA-256 of the file's content.
        imported_at: when.
        rows: rows read.
        added: records added.
        changed: records a new version changed.
        retracted: records a new version left out.
        returned: retracted records a new version brought back.
        unchanged: rows already in the register as they were.
        rejected: rows refused.
        replace: whether it was a new version of the list (``--replace``).
        records_live: its records that count now (not retracted, not changed by
            a later version).
        state: ``current``; ``replaced`` when a later import of its source was
            a new version of the list (``replaced_by``); ``retracted`` while its
            source is withdrawn (``aban source retract``).
        replaced_by: the id of the first later new version of its list, if any.
    """

    id: int
    source: str
    file_name: str
    file_sha256: str
    imported_at: str
    rows: int
    added: int
    changed: int
    retracted: int
    returned: int
    unchanged: int
    rejected: int
    replace: bool
    records_live: int
    state: ImportStanding = "current"
    replaced_by: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _state(
    row: ImportRow, later: Sequence[ImportRow], withdrawn: set[str]
) -> ImportRow:
    """The import with its state, given the later imports of its source."""
    if row.source in withdrawn:
        return replace(row, state="retracted")
    by = next((r.id for r in later if r.replace), None)
    return row if by is None else replace(row, state="replaced", replaced_by=by)


def list_imports(conn: Connection) -> list[ImportRow]:
    """Every import of records, oldest first, with its state (:class:`ImportRow`)."""
    withdrawn = {
        name
        for (name,) in conn.execute(
            "select s.name from source_retractions x join sources s "
            "on s.id = x.source_id where x.restored_at is null"
        )
    }
    found = _imports(conn)
    return [
        _state(row, [r for r in found[k + 1 :] if r.source == row.source], withdrawn)
        for k, row in enumerate(found)
    ]


def _imports(conn: Connection) -> list[ImportRow]:
    rows = conn.execute(
        "select i.id, s.name, i.file_name, i.content_sha256, i.imported_at, "
        "i.rows_read, i.accepted, i.unchanged, i.rejected, c.added, c.changed, "
        "c.retracted, c.returned, (select count(*) from live_records r "
        "where r.import_id = i.id) from imports i "
        "join sources s on s.id = i.source_id "
        "left join import_changes c on c.import_id = i.id order by i.id"
    )
    found = []
    for row in rows:
        import_id, source, name, sha, at, read, accepted, unchanged, rejected = row[:9]
        added, changed, retracted, returned, live = row[9:]
        replace = added is not None
        found.append(
            ImportRow(
                id=int(import_id),
                source=source,
                file_name=name,
                file_sha256=sha,
                imported_at=at,
                rows=read,
                added=added if replace else accepted,
                changed=changed or 0,
                retracted=retracted or 0,
                returned=returned or 0,
                unchanged=unchanged,
                rejected=rejected,
                replace=replace,
                records_live=live,
            )
        )
    return found
