"""Reading persons and records: one accessor instead of a query per caller.

In the spirit of sqlite-utils' ``rows_where``: a caller names the fields it wants,
a ``where`` clause written in code (values always as ``?`` parameters), an order
and a page, and gets dicts back. Fields are looked up in fixed tables of
expressions (:data:`PERSON_FIELDS`, :data:`RECORD_FIELDS`), so no identifier ever
comes from input. Persons are read as ``p``, records as ``r`` with their source
``s``, their import ``i`` and their person ``p`` (through ``pr``): a ``where``
clause uses those aliases.

Persons are the live ones (:data:`LIVE_PERSON`): a person all of whose records are
retracted is dormant, kept with its id, consent and record links until its records
come back, and read by no one meanwhile.

A person's ``canonical`` field comes back decoded (a dict). For large registers a
caller can take single canonical values instead (``canonical_paths``), extracted
by SQLite without decoding whole documents.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from aban.store.db import Connection
from aban.store.records import RECORD_FIELDS as STORED_COLUMNS

#: What a person row can hold, by name.
PERSON_FIELDS: dict[str, str] = {
    "id": "p.id",
    "person_id": "p.person_id",
    "canonical": "p.canonical",
    "identification": "p.identification",
    "grade": "p.grade",
    "grade_reason": "p.grade_reason",
    "consent": "p.consent",
    "created_at": "p.created_at",
    "updated_at": "p.updated_at",
    "records": "(select count(*) from person_records x where x.person_id = p.id)",
}
#: What a record row can hold, by name: its stored columns, the name of its source,
#: its import's time and file name, and its person.
RECORD_FIELDS: dict[str, str] = {
    "id": "r.id",
    "import_id": "r.import_id",
    **{c: f"r.{c}" for c in STORED_COLUMNS},
    "source": "s.name",
    "source_row": "s.id",
    "imported_at": "i.imported_at",
    "file_name": "i.file_name",
    "person_id": "p.person_id",
    "person_row": "p.id",
}
#: The condition that person ``p`` is live: it holds a record that is not retracted
#: (checked only when some record is). A person all of whose records are retracted
#: is *dormant* (issue 15): its row, consent and links to its records stay, so that
#: it comes back with them (``aban source restore``, a later version of the list),
#: but it is counted, graded, estimated, exported, published and listed nowhere.
LIVE_PERSON = (
    "(not exists (select 1 from retractions) or exists (select 1 from "
    "person_records lp join live_records lr on lr.id = lp.record_id "
    "where lp.person_id = p.id))"
)
#: Retracted records are left out (:mod:`aban.store.retractions`).
_RECORDS_FROM = (
    "live_records r join sources s on s.id = r.source_id "
    "join imports i on i.id = r.import_id "
    "left join person_records pr on pr.record_id = r.id "
    "left join persons p on p.id = pr.person_id"
)


def _columns(known: Mapping[str, str], select: Sequence[str]) -> str:
    unknown = [name for name in select if name not in known]
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(unknown)}")
    return ", ".join(known[name] for name in select)


def _tail(
    where: str | None, order_by: str | None, limit: int | None, offset: int | None
) -> tuple[str, list[Any]]:
    sql, params = "", []
    if where:
        sql += f" where {where}"
    if order_by:
        sql += f" order by {order_by}"
    if limit is not None:
        sql += " limit ? offset ?"
        params += [limit, offset or 0]
    return sql, params


def _live(where: str | None) -> str:
    return LIVE_PERSON if not where else f"({where}) and {LIVE_PERSON}"


def persons_where(
    conn: Connection,
    where: str | None = None,
    params: Sequence[Any] = (),
    *,
    select: Sequence[str] = tuple(PERSON_FIELDS),
    canonical_paths: Mapping[str, str] | None = None,
    order_by: str | None = "p.id",
    limit: int | None = None,
    offset: int | None = None,
) -> list[dict[str, Any]]:
    """Live persons (:data:`LIVE_PERSON`) as dicts, optionally filtered, ordered
    and paged.

    Args:
        conn: the register.
        where: a condition on ``p`` (the persons table), written in code.
        params: the values of the condition's ``?`` marks.
        select: the fields to read, from :data:`PERSON_FIELDS`.
        canonical_paths: name to a JSON path in the canonical values (such as
            ``$.city.value``), each read as one more field, without decoding the rest.
        order_by: the order, written in code; None for none.
        limit: at most this many persons (with ``offset`` for a page).
        offset: skip this many first.

    Returns:
        One dict per person with the fields named, ``canonical`` decoded.

    Raises:
        ValueError: a field that persons do not have.
    """
    paths = dict(canonical_paths or {})
    extra = "".join(", json_extract(p.canonical, ?)" for _ in paths)
    tail, tail_params = _tail(_live(where), order_by, limit, offset)
    sql = f"select {_columns(PERSON_FIELDS, select)}{extra} from persons p{tail}"
    rows = conn.execute(sql, [*paths.values(), *params, *tail_params])
    names = (*select, *paths)
    found = [dict(zip(names, row, strict=True)) for row in rows]
    if "canonical" in select:
        for person in found:
            person["canonical"] = json.loads(person["canonical"])
    return found


def count_persons(
    conn: Connection, where: str | None = None, params: Sequence[Any] = ()
) -> int:
    """How many live persons meet ``where`` (a condition on ``p``; every live person
    if None)."""
    tail, _ = _tail(_live(where), None, None, None)
    (n,) = conn.execute(f"select count(*) from persons p{tail}", params).fetchone()
    return int(n)


def records_where(
    conn: Connection,
    where: str | None = None,
    params: Sequence[Any] = (),
    *,
    select: Sequence[str] = ("id", "source", "record_id"),
    order_by: str | None = "r.id",
    limit: int | None = None,
    offset: int | None = None,
) -> list[dict[str, Any]]:
    """Records as dicts, with their source, import and person, filtered and ordered.

    Args:
        conn: the register.
        where: a condition on ``r`` (records), ``s`` (its source), ``i`` (its
            import), ``pr`` and ``p`` (its person), written in code.
        params: the values of the condition's ``?`` marks.
        select: the fields to read, from :data:`RECORD_FIELDS`. Protected fields
            come back only when named.
        order_by: the order, written in code; None for none.
        limit: at most this many records (with ``offset`` for a page).
        offset: skip this many first.

    Returns:
        One dict per record with the fields named.

    Raises:
        ValueError: a field that records do not have.
    """
    tail, tail_params = _tail(where, order_by, limit, offset)
    sql = f"select {_columns(RECORD_FIELDS, select)} from {_RECORDS_FROM}{tail}"
    rows = conn.execute(sql, [*params, *tail_params])
    return [dict(zip(select, row, strict=True)) for row in rows]
