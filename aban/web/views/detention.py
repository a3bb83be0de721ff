"""One person's detention case, read from that person's records and events only.

The same case as :func:`aban.detention.register.detention_cases` gives for the person
(a test compares them), without evaluating every case of the register for one
page: the person's records with a detention status or an event, and the events
anchored on them, go through :func:`aban.detention.cases.assemble_cases`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aban.detention.alerts import AlertSettings
from aban.detention.cases import RecordFacts, assemble_cases
from aban.detention.history import Entry
from aban.detention.vocab import RECORD_STATUSES
from aban.store.db import Connection
from aban.vocab.sources import independence_sql

_MARKS = ", ".join("?" * len(RECORD_STATUSES))
_GROUP = independence_sql("s")


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _facts(conn: Connection, row_id: int, person_id: str) -> list[RecordFacts]:
    rows = conn.execute(
        f"select r.id, s.name, r.record_id, {_GROUP}, r.status, r.date_of_death, "
        "coalesce(r.city, r.province) from records r "
        "join sources s on s.id = r.source_id "
        "join person_records pr on pr.record_id = r.id "
        f"where pr.person_id = ? and (r.status in ({_MARKS}) or r.id in "
        "(select record_id from detentions where record_id is not null)) "
        "order by r.id",
        (row_id, *RECORD_STATUSES),
    )
    return [
        RecordFacts(int(row), source, rid, group, person_id, status, _day(day), place)
        for row, source, rid, group, status, day, place in rows
    ]


def _entries(conn: Connection, row_id: int) -> list[tuple[int, Entry]]:
    rows = conn.execute(
        f"select d.record_id, e.status, e.event_date, s.name, {_GROUP}, e.place, "
        "e.note, e.id from detention_events e "
        "join detentions d on d.id = e.detention_id "
        "join sources s on s.id = e.source_id "
        "join person_records pr on pr.record_id = d.record_id "
        "where pr.person_id = ? order by e.id",
        (row_id,),
    )
    return [
        (
            int(anchor),
            Entry(kind, _day(day), source, group, place, note, "event", int(n)),
        )
        for anchor, kind, day, source, group, place, note, n in rows
    ]


def person_cases(
    conn: Connection,
    row_id: int,
    person_id: str,
    as_of: dt.date,
    settings: AlertSettings | None = None,
) -> list[dict[str, Any]]:
    """The person's detention case (``Case.to_dict``), as a list of zero or one."""
    cases = assemble_cases(
        _facts(conn, row_id, person_id), _entries(conn, row_id), as_of, settings
    )
    return [c.to_dict() for c in cases]
