"""Reading the register's tables as export rows (dicts keyed by the fields' names).

Protected columns are selected as SQL ``null`` unless the export is full, so their
values never reach memory; source names pass through :class:`SourceNames`. Rows
come in register order, so the same register gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from aban.detention.alerts import AlertSettings
from aban.detention.register import detention_cases
from aban.export.fields import (
    CLAIMS,
    CUSTODY_EVENTS,
    DETENTION_CASES,
    DETENTION_EVENTS,
    EVIDENCE,
    GRADE_DECISIONS,
    OPEN_VALUES,
    PERSON_RECORDS,
    PERSONS,
    RECORDS,
    SCRIPTS,
    SOURCES,
    Table,
)
from aban.export.names import SourceNames
from aban.store.db import Connection
from aban.store.rows import LIVE_PERSON, persons_where
from aban.vocab.columns import NAME_COLUMNS
from aban.vocab.ids import format_evidence_id
from aban.vocab.sources import source_text

Row = dict[str, Any]
Rows = list[Row]

_PERSON_OF = (
    "left join person_records pr on pr.record_id = r.id "
    "left join persons p on p.id = pr.person_id"
)
_REFS = (
    "select x.{key}, s.name, r.record_id from {table} x "
    "join records r on r.id = x.record_id join sources s on s.id = r.source_id "
    "order by x.{key}, r.id"
)


def _select(table: Table, full: bool, exprs: Mapping[str, str]) -> str:
    """The select list of ``table``'s fields; protected ones are null unless full.

    Expressions come from code-owned mappings; a field without one is ``x.name``.
    """
    return ", ".join(
        exprs.get(f.name, f"x.{f.name}") if full or not f.protected else "null"
        for f in table.fields
    )


def _rows(conn: Connection, table: Table, sql: str) -> Rows:
    names = [f.name for f in table.fields]
    return [dict(zip(names, row, strict=True)) for row in conn.execute(sql)]


def _refs(
    conn: Connection, names: SourceNames, table: str, key: str
) -> dict[int, list[str]]:
    """Record references of each ``key`` of a link table (with a ``record_id``)."""
    found: dict[int, list[str]] = {}
    for owner, source, record_id in conn.execute(_REFS.format(key=key, table=table)):
        found.setdefault(int(owner), []).append(names.ref(source, record_id))
    return found


def read_sources(conn: Connection, names: SourceNames) -> Rows:
    """The sources table."""
    exprs = {
        "source": "x.name",
        "records": "(select count(*) from live_records r where r.source_id = x.id)",
    }
    select = _select(SOURCES, names.full, exprs)
    rows = _rows(conn, SOURCES, f"select {select} from sources x order by x.id")
    for row in rows:
        row["source"] = names.source(row["source"])
        row["independence_group"] = names.group(row["independence_group"])
        row["is_list"], row["protected"] = bool(row["is_list"]), bool(row["protected"])
    return rows


def read_records(conn: Connection, names: SourceNames) -> Rows:
    """The records table, each record with its person."""
    exprs = {f.name: f"r.{f.name}" for f in RECORDS.fields}
    exprs.update(
        source="s.name",
        person_id="p.person_id",
        imported_at="i.imported_at",
        file_name="i.file_name",
    )
    sql = (
        f"select {_select(RECORDS, names.full, exprs)} from live_records r "
        "join sources s on s.id = r.source_id join imports i on i.id = r.import_id "
        f"{_PERSON_OF} order by r.id"
    )
    rows = _rows(conn, RECORDS, sql)
    for row in rows:
        row["source"] = names.source(row["source"])
    return rows


def read_person_records(conn: Connection, names: SourceNames) -> Rows:
    """Which record is linked to which person."""
    sql = (
        "select p.person_id, s.name, r.record_id from person_records pr "
        "join persons p on p.id = pr.person_id "
        "join live_records r on r.id = pr.record_id "
        "join sources s on s.id = r.source_id order by p.person_id, r.id"
    )
    rows = _rows(conn, PERSON_RECORDS, sql)
    for row in rows:
        row["source"] = names.source(row["source"])
    return rows


def _flat_values(canonical: Mapping[str, Any]) -> Row:
    """The canonical value of each name (by script) and field, for flat columns."""
    flat: Row = {}
    for column in NAME_COLUMNS:
        by_script = canonical["names"].get(column, {})
        for script in SCRIPTS:
            flat[f"{column}_{script}"] = by_script.get(script, {}).get("value")
    for column in (*OPEN_VALUES, "national_id"):
        flat[column] = canonical["fields"].get(column, {}).get("value")
    return flat


def read_persons(conn: Connection, names: SourceNames) -> Rows:
    """The persons table: grade, consent, canonical values with provenance."""
    sources: dict[int, list[str]] = {}
    for person, source in conn.execute(
        "select distinct pr.person_id, s.name from person_records pr "
        "join live_records r on r.id = pr.record_id "
        "join sources s on s.id = r.source_id "
        "order by pr.person_id, s.id"
    ):
        sources.setdefault(int(person), []).append(str(names.source(source)))
    rows = []
    for person in persons_where(conn, order_by="p.person_id"):
        row: Row = {"row_id": person.pop("id"), **person}
        row["canonical"] = names.canonical(row["canonical"])
        row["sources"] = sources.get(int(row["row_id"]), [])
        row.update(_flat_values(row["canonical"]))
        rows.append({f.name: row[f.name] for f in PERSONS.fields})
    return rows


def read_claims(conn: Connection, names: SourceNames) -> Rows:
    """The claims ledger."""
    select = _select(CLAIMS, names.full, {"claim_id": "x.id"})
    return _rows(conn, CLAIMS, f"select {select} from claims x order by x.id")


def read_detention_events(conn: Connection, names: SourceNames) -> Rows:
    """Detention events, each with the record it hangs on and that record's person.

    A protected source's note is left out unless the export is full (the rule
    the web app follows for viewers: :func:`aban.vocab.sources.source_text`).
    """
    exprs = {
        "event_id": "x.id",
        "record_source": "rs.name",
        "record_id": "r.record_id",
        "person_id": "p.person_id",
        "date": "x.event_date",
        "source": "es.name",
    }
    sql = (
        f"select {_select(DETENTION_EVENTS, names.full, exprs)} "
        "from detention_events x join detentions d on d.id = x.detention_id "
        "left join records r on r.id = d.record_id "
        "left join sources rs on rs.id = r.source_id "
        f"{_PERSON_OF} left join sources es on es.id = x.source_id order by x.id"
    )
    rows = _rows(conn, DETENTION_EVENTS, sql)
    for row in rows:
        protected = names.protected(row["source"])
        row["note"] = source_text(row["note"], protected, names.full)
        row["record_source"] = names.source(row["record_source"])
        row["source"] = names.source(row["source"])
    return rows


def read_grade_decisions(conn: Connection, names: SourceNames) -> Rows:
    """Reviewers' discounts, each with the records it holds."""
    refs = _refs(conn, names, "grade_decision_records", "decision_id")
    exprs = {"decision_id": "x.id", "records": "null"}
    select = _select(GRADE_DECISIONS, names.full, exprs)
    rows = _rows(
        conn, GRADE_DECISIONS, f"select {select} from grade_decisions x order by x.id"
    )
    for row in rows:
        row["records"] = refs.get(int(row["decision_id"]), [])
    return rows


def _evidence_persons(conn: Connection) -> dict[int, list[str]]:
    """Persons linked to each evidence item, directly or through a record."""
    found: dict[int, set[str]] = {}
    for item, person in conn.execute(
        "select l.evidence_id, p.person_id from evidence_links l "
        f"join persons p on p.id = l.person_id where {LIVE_PERSON} union "
        "select l.evidence_id, p.person_id from evidence_links l "
        "join person_records pr on pr.record_id = l.record_id "
        f"join persons p on p.id = pr.person_id where {LIVE_PERSON}"
    ):
        found.setdefault(int(item), set()).add(str(person))
    return {item: sorted(persons) for item, persons in found.items()}


def read_evidence(conn: Connection, names: SourceNames) -> Rows:
    """The evidence manifest: hash, kind, size, links and custody event counts."""
    persons = _evidence_persons(conn)
    refs = {
        item: sorted(set(found))
        for item, found in _refs(conn, names, "evidence_links", "evidence_id").items()
    }
    exprs = {
        "evidence_id": "x.id",
        "persons": "null",
        "records": "null",
        "custody_events": "(select count(*) from custody_events c "
        "where c.evidence_id = x.id)",
        "derivative_sha256": "(select d.sha256 from evidence_derivatives d "
        "where d.evidence_id = x.id)",
    }
    select = _select(EVIDENCE, names.full, exprs)
    rows = _rows(conn, EVIDENCE, f"select {select} from evidence x order by x.id")
    for row in rows:
        item = int(row["evidence_id"])
        row["evidence_id"] = format_evidence_id(item)
        row["publishable"] = bool(row["publishable"])
        row["persons"], row["records"] = persons.get(item, []), refs.get(item, [])
    return rows


def read_custody_events(conn: Connection, names: SourceNames) -> Rows:
    """The chain of custody of every evidence file."""
    select = _select(CUSTODY_EVENTS, names.full, {"custody_event_id": "x.id"})
    rows = _rows(
        conn,
        CUSTODY_EVENTS,
        f"select {select} from custody_events x "
        "order by x.evidence_id, x.happened_at, x.id",
    )
    for row in rows:
        row["evidence_id"] = format_evidence_id(int(row["evidence_id"]))
    return rows


def read_detention_cases(
    conn: Connection, names: SourceNames, as_of: dt.date, settings: AlertSettings
) -> Rows:
    """Detention cases as of a date, most urgent first (see aban.detention.cases)."""
    rows = []
    for case in detention_cases(conn, as_of, settings):
        refs = [names.ref(source, record_id) for source, record_id in case.records]
        facets = case.facets
        row: Row = {
            "case": case.person_id or (refs[0] if refs else None),
            "person_id": case.person_id,
            "records": refs,
            "status": case.status,
            "status_since": _iso(facets.status_since),
            "last_event": _iso(case.history.last_event),
            "arrest_date": _iso(facets.arrest_date),
            "arrest_place": facets.arrest_place,
            "facility": facets.facility,
            "whereabouts": facets.whereabouts,
            "family_access": facets.family_access,
            "lawyer_access": facets.lawyer_access,
            "alerts": [
                f"{a.kind} since {a.since.isoformat()} ({a.days} days)"
                for a in case.alerts
            ],
            "conflicts": len(case.history.conflicts),
        }
        rows.append({f.name: row[f.name] for f in DETENTION_CASES.fields})
    return rows


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
