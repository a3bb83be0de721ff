"""Detention cases in the register: importing events, loading cases.

Each event hangs on a *detention*: one row of ``detentions`` per anchor record
(``detentions.record_id``). A row of the events file that names a record anchors on
that record; one that names a person anchors on the person's first detention record
(its lowest row id among records with a detention status), else its first record.
Cases are grouped at read time by the anchors' persons (:mod:`aban.detention.cases`),
so they follow ``aban link``; ``detentions.person_id`` is left empty.

An import is all or nothing: any row error refuses the file and writes nothing. The
same file content again is a no-op (``detention_imports`` keeps its SHA-256), and an
event already stored (same record, date, status, place, source and note) is not
stored twice. An import that writes adds one audit entry with counts and digests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aban.config import load_section
from aban.detention.alerts import AlertSettings, alert_settings
from aban.detention.cases import (
    Case,
    CaseName,
    DetentionReport,
    RecordFacts,
    assemble_cases,
)
from aban.detention.events import EventRow, detention_issue, read_event_rows
from aban.detention.history import Entry
from aban.detention.vocab import RECORD_STATUSES
from aban.errors import ConfigError
from aban.ingest.importer import read_table
from aban.ingest.issues import FileImport, Issue, fail
from aban.ingest.mapping import ColumnMapping
from aban.store.db import Connection, transaction
from aban.store.rows import persons_where
from aban.store.sources import source_id
from aban.store.workspace import Workspace, now
from aban.text import script_of
from aban.vocab.canonical import display_name, name_in_script
from aban.vocab.sources import check_source_name, independence_sql

_CHUNK = 500
_GROUP = independence_sql("s")
_MARKS = ", ".join("?" * len(RECORD_STATUSES))


@dataclass
class DetentionImport(FileImport):
    """What an import of detention events did. ``refused``: nothing was written."""

    events: int = 0
    new_detentions: int = 0
    created_sources: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "unchanged": self.unchanged,
            "new_detentions": self.new_detentions,
            "created_sources": self.created_sources,
        }


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    wanted = sorted(set(values))
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start : start + _CHUNK]


def _records_named(conn: Connection, ids: Iterable[str]) -> dict[str, list[Any]]:
    """record_id -> [(row id, source name, person id or None), ...]."""
    found: dict[str, list[Any]] = {}
    for chunk in _chunks(ids):
        rows = conn.execute(
            "select r.id, r.record_id, s.name, p.person_id from live_records r "
            "join sources s on s.id = r.source_id "
            "left join person_records pr on pr.record_id = r.id "
            "left join persons p on p.id = pr.person_id "
            f"where r.record_id in ({', '.join('?' * len(chunk))}) order by r.id",
            chunk,
        )
        for row, record_id, source, person in rows:
            found.setdefault(record_id, []).append((int(row), source, person))
    return found


def _person_anchors(conn: Connection, ids: Iterable[str]) -> dict[str, int]:
    """person_id -> the record row id its events anchor on."""
    found: dict[str, int] = {}
    for chunk in _chunks(ids):
        rows = conn.execute(
            "select p.person_id, "
            f"min(case when r.status in ({_MARKS}) then r.id end), min(r.id) "
            "from persons p join person_records pr on pr.person_id = p.id "
            "join live_records r on r.id = pr.record_id "
            f"where p.person_id in ({', '.join('?' * len(chunk))}) "
            "group by p.person_id",
            (*RECORD_STATUSES, *chunk),
        )
        found.update({pid: int(first or any_row) for pid, first, any_row in rows})
    return found


@dataclass
class _Resolver:
    """Names in the events file checked against the register."""

    records: dict[str, list[Any]]
    persons: dict[str, int]
    sources: dict[str, int]
    create_sources: bool

    def anchor(self, row: EventRow) -> int | str:
        """The anchor record's row id, or the code of the problem."""
        person = self.persons.get(row.person_id or "")
        if row.person_id and person is None:
            return "person-unknown"
        if not row.record_id:
            return person if person is not None else "person-unknown"
        candidates = self.records.get(row.record_id, [])
        if len(candidates) > 1:
            candidates = [c for c in candidates if c[1] == row.source]
        if not candidates:
            return (
                "record-ambiguous"
                if row.record_id in self.records
                else ("record-unknown")
            )
        record, _, linked = candidates[0]
        if row.person_id and linked != row.person_id:
            return "target-mismatch"
        return int(record)

    def source(self, name: str) -> str | None:
        """The code of a problem with the source name, if any."""
        if name in self.sources:
            return None
        if not self.create_sources:
            return "source-unknown"
        try:
            check_source_name(name)
        except ConfigError:
            return "source-invalid"
        return None


def _resolver(conn: Connection, rows: Sequence[EventRow], create: bool) -> _Resolver:
    return _Resolver(
        _records_named(conn, (r.record_id for r in rows if r.record_id)),
        _person_anchors(conn, (r.person_id for r in rows if r.person_id)),
        {name: int(i) for i, name in conn.execute("select id, name from sources")},
        create,
    )


def _resolve(
    conn: Connection, name: str, rows: Sequence[EventRow], create: bool
) -> tuple[list[tuple[int, EventRow]], list[Issue]]:
    """Each row's anchor record, or issues for names the register lacks."""
    resolver = _resolver(conn, rows, create)
    anchored, issues = [], []
    for row in rows:
        anchor = resolver.anchor(row)
        problem = resolver.source(row.source)
        if isinstance(anchor, str):
            column = "person_id" if anchor.startswith("person") else "record_id"
            issues.append(detention_issue(anchor, name, row.row, column))
        if problem:
            issues.append(detention_issue(problem, name, row.row, "source"))
        if isinstance(anchor, int) and not problem:
            anchored.append((anchor, row))
    return anchored, issues


def _imported_before(conn: Connection, sha: str) -> bool:
    row = conn.execute(
        "select 1 from detention_imports where content_sha256 = ?", (sha,)
    ).fetchone()
    return row is not None


def import_detention_events(
    ws: Workspace,
    path: Path,
    *,
    create_sources: bool = False,
    today: dt.date | None = None,
) -> DetentionImport:
    """Import a detention events file (CSV; XLSX and JSON also read) into the register.

    Args:
        ws: an open workspace.
        path: the file (columns of :mod:`aban.detention.events`).
        create_sources: add the sources the register lacks (default metadata; set
            it with 'aban source set') instead of refusing their rows.
        today: dates after it are in the future (default: today).

    Returns:
        What was imported; ``refused`` if any row had an error (nothing written),
        ``already_imported`` if this content was imported before (nothing written).

    Raises:
        FileIssueError: the file cannot be read, or lacks a required column.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise fail("file-not-found", path.name) from err
    result = DetentionImport(path.name, hashlib.sha256(data).hexdigest())
    table = read_table(path, data, ColumnMapping(), None, None)
    rows, issues, result.rows = read_event_rows(
        table, ws.settings, today or dt.date.today()
    )
    store_events(ws, result, rows, issues, create_sources=create_sources)
    return result


def store_events(
    ws: Workspace,
    result: DetentionImport,
    rows: Sequence[EventRow],
    issues: Sequence[Issue],
    *,
    create_sources: bool = False,
    unanchored: str = "refuse",
) -> None:
    """Check event rows against the register and store them, all or nothing.

    Args:
        ws: an open workspace.
        result: the import (its file, digest and rows read); filled in.
        rows: the event rows read.
        issues: the issues found reading them.
        create_sources: add sources the register lacks.
        unanchored: ``refuse`` a row whose record or person the register lacks,
            or ``skip`` it (a detainee list whose refused records have no events).
    """
    # One immediate transaction from the no-op check to the audit entry: names are
    # checked against the register as it is written.
    with transaction(ws.conn):
        if _imported_before(ws.conn, result.content_sha256):
            result.already_imported, result.issues = True, []
            return
        anchored, problems = _resolve(ws.conn, result.file, rows, create_sources)
        if unanchored == "skip":
            problems = [p for p in problems if p.code != "record-unknown"]
        result.issues = sorted([*issues, *problems], key=lambda i: i.row or 0)
        if result.errors:
            result.refused = True
            return
        _store(ws, anchored, result)


def _event_values(anchor: int, row: EventRow, source: int) -> tuple[Any, ...]:
    day = row.date.isoformat() if row.date else None
    return (anchor, day, row.kind, row.place, source, row.note)


def _detention_ids(conn: Connection, anchors: set[int]) -> tuple[dict[int, int], int]:
    """Each anchor's detention row id (created when new); and how many were new."""
    # rowcount counts the rows inserted, not what triggers write (total_changes
    # does: the audit's change tracking is made of triggers).
    created = conn.executemany(
        "insert or ignore into detentions (record_id) values (?)",
        [(a,) for a in sorted(anchors)],
    ).rowcount
    ids = {}
    for anchor in anchors:
        (ids[anchor],) = conn.execute(
            "select id from detentions where record_id = ?", (anchor,)
        ).fetchone()
    return ids, created


def _insert_events(
    conn: Connection,
    anchored: Sequence[tuple[int, EventRow]],
    import_id: int,
    result: DetentionImport,
) -> str:
    """Insert the events not yet stored; return the digest of those inserted."""
    sources = {n: int(i) for i, n in conn.execute("select id, name from sources")}
    ids, result.new_detentions = _detention_ids(conn, {a for a, _ in anchored})
    digest = hashlib.sha256()
    for anchor, row in anchored:
        values = _event_values(ids[anchor], row, sources[row.source])
        if conn.execute(
            "select 1 from detention_events where detention_id = ? and "
            "event_date is ? and status = ? and place is ? and source_id = ? and "
            "note is ?",
            values,
        ).fetchone():
            result.unchanged += 1
            continue
        conn.execute(
            "insert into detention_events (detention_id, event_date, status, place, "
            "source_id, note, import_id, row_number, person_ref) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, import_id, row.row, row.person_id),
        )
        digest.update(json.dumps(values, ensure_ascii=False).encode("utf-8"))
        result.events += 1
    return digest.hexdigest()


def _store(
    ws: Workspace, anchored: Sequence[tuple[int, EventRow]], result: DetentionImport
) -> None:
    """Write the import, its new events and the audit entry (in a transaction)."""
    conn, stamp = ws.conn, now()
    for name in sorted({row.source for _, row in anchored}):
        result.created_sources += [name] if source_id(conn, name, stamp)[1] else []
    import_id = int(
        conn.execute(
            "insert into detention_imports (file_name, content_sha256, rows_read, "
            "events, imported_at) values (?, ?, ?, 0, ?)",
            (result.file, result.content_sha256, result.rows, stamp),
        ).lastrowid
    )
    digest = _insert_events(conn, anchored, import_id, result)
    conn.execute(
        "update detention_imports set events = ? where id = ?",
        (result.events, import_id),
    )
    result.head = ws.record_audit(
        "detentions-import",
        {
            "file_sha256": result.content_sha256,
            "rows": result.rows,
            "events": result.events,
            "unchanged": result.unchanged,
            "new_detentions": result.new_detentions,
            "created_sources": len(result.created_sources),
            "events_digest": digest,
        },
    )


def _record_facts(conn: Connection, person: int | None) -> list[RecordFacts]:
    where = f"(r.status in ({_MARKS}) or r.id in (select record_id from detentions))"
    params: list[Any] = list(RECORD_STATUSES)
    if person is not None:
        where, params = f"pr.person_id = ? and {where}", [person, *params]
    rows = conn.execute(
        f"select r.id, s.name, r.record_id, {_GROUP}, p.person_id, "
        "r.status, r.date_of_death, coalesce(r.city, r.province) "
        "from live_records r join sources s on s.id = r.source_id "
        "left join person_records pr on pr.record_id = r.id "
        f"left join persons p on p.id = pr.person_id where {where} order by r.id",
        params,
    )
    return [
        RecordFacts(
            int(row), source, record_id, group, person_id, status, _day(day), place
        )
        for row, source, record_id, group, person_id, status, day, place in rows
    ]


def _event_entries(conn: Connection, person: int | None) -> list[tuple[int, Entry]]:
    if person is None:
        where, params = "where d.record_id in (select id from live_records)", []
    else:
        where = (
            "join person_records pr on pr.record_id = d.record_id "
            "where pr.person_id = ?"
        )
        params = [person]
    rows = conn.execute(
        f"select d.record_id, e.status, e.event_date, s.name, {_GROUP}, "
        "e.place, e.note, e.id "
        "from detention_events e join detentions d on d.id = e.detention_id "
        f"join sources s on s.id = e.source_id {where} order by e.id",
        params,
    )
    return [
        (
            int(anchor),
            Entry(kind, _day(day), source, group, place, note, "event", int(order)),
        )
        for anchor, kind, day, source, group, place, note, order in rows
    ]


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def detention_cases(
    conn: Connection,
    as_of: dt.date,
    settings: AlertSettings | None = None,
    *,
    person: int | None = None,
) -> list[Case]:
    """Every detention case in the register as of a date, most urgent first.

    Args:
        conn: the register.
        as_of: the day the cases are seen from (later events are left out).
        settings: alert thresholds (14 and 30 days by default).
        person: only this person's case (its row id): its records with a
            detention status or an event, and the events anchored on them, so
            that one person's page does not evaluate every case of the register.

    Returns:
        The cases (:func:`aban.detention.cases.assemble_cases`).
    """
    return assemble_cases(
        _record_facts(conn, person), _event_entries(conn, person), as_of, settings
    )


def _person_names(conn: Connection, ids: Sequence[str]) -> dict[str, CaseName]:
    found: dict[str, CaseName] = {}
    for chunk in _chunks(ids):
        where = f"p.person_id in ({', '.join('?' * len(chunk))})"
        for person in persons_where(
            conn, where, chunk, select=("person_id", "canonical")
        ):
            canonical = person["canonical"]
            found[person["person_id"]] = CaseName(
                display_name(canonical),
                name_in_script(canonical, "latin"),
                name_in_script(canonical, "persian"),
            )
    return found


def _record_names(conn: Connection, cases: Sequence[Case]) -> dict[str, CaseName]:
    """Names of the cases of records linked to no person (keyed source:record_id)."""
    found: dict[str, CaseName] = {}
    for case in cases:
        source, record_id = case.records[0]  # its one record
        row = conn.execute(
            "select r.full_name, r.given_name, r.family_name from live_records r "
            "join sources s on s.id = r.source_id "
            "where s.name = ? and r.record_id = ?",
            (source, record_id),
        ).fetchone()
        if row is None:
            continue
        name = row[0] or " ".join(p for p in row[1:] if p) or None
        script = script_of(name) if name else ""
        found[case.key] = CaseName(
            name,
            name if script == "latin" else None,
            name if script == "persian" else None,
        )
    return found


def case_names(conn: Connection, cases: Sequence[Case]) -> dict[str, CaseName]:
    """Who each case is about, by case key: a person's canonical name in each
    script a source wrote it in, or an unlinked record's own name.

    Names are personal data: they go to the register's users (the command line,
    the web app's pages), never into messages or logs.
    """
    persons = [c.person_id for c in cases if c.person_id]
    found = _person_names(conn, persons)
    found.update(_record_names(conn, [c for c in cases if not c.person_id]))
    return {c.key: found[c.key] for c in cases if c.key in found}


def detention_report(
    conn: Connection,
    as_of: dt.date,
    settings: AlertSettings,
    *,
    alerts_only: bool = False,
) -> DetentionReport:
    """The register's detention cases as of a date, with who each is about.

    Args:
        conn: the register.
        as_of: the day the cases are seen from (later events are left out).
        settings: alert thresholds.
        alerts_only: keep only the cases with alerts.
    """
    cases = detention_cases(conn, as_of, settings)
    if alerts_only:
        cases = [c for c in cases if c.alerts]
    return DetentionReport(as_of, settings, tuple(cases), case_names(conn, cases))


def workspace_detentions(
    ws: Workspace, as_of: dt.date, *, alerts_only: bool = False
) -> DetentionReport:
    """The workspace's detention cases as of a date, with its alert thresholds.

    Thresholds come from the ``[detentions]`` table of the workspace's aban.toml
    (:func:`aban.detention.alerts.alert_settings`).

    Raises:
        ConfigError: the ``[detentions]`` table is invalid.
    """
    settings = alert_settings(load_section(ws.path, "detentions"))
    return detention_report(ws.conn, as_of, settings, alerts_only=alerts_only)
