"""Reading persons and records from the register.

How link runs write persons is :mod:`aban.linkage.persons`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from aban.errors import StoreError
from aban.store.db import Connection
from aban.vocab.canonical import FIELDS, MATCH_COLUMNS, NAME_FIELDS
from aban.vocab.ids import parse_person_id

RECORD_COLUMNS = (*NAME_FIELDS, *FIELDS)
_SELECT_RECORDS = (
    "select r.id, s.name, r.record_id, "
    + ", ".join(f"r.{c}" for c in (*RECORD_COLUMNS, *MATCH_COLUMNS.values()))
    + " from live_records r join sources s on s.id = r.source_id"
)
_CHUNK = 500


def load_records(
    conn: Connection, ids: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """Records' linkage fields (never protected ones), in register order.

    Retracted records are left out (:mod:`aban.store.retractions`).

    Args:
        conn: the register.
        ids: record row ids to load; every record when None.

    Returns:
        One dict per record: ``id`` (row id), ``source`` (name), ``record_id``,
        the records-format fields and the stored ``*_norm`` matching forms.
    """
    names = ("id", "source", "record_id", *RECORD_COLUMNS, *MATCH_COLUMNS.values())
    if ids is None:
        rows = list(conn.execute(_SELECT_RECORDS + " order by r.id"))
    else:
        wanted, rows = sorted(ids), []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows += conn.execute(
                f"{_SELECT_RECORDS} where r.id in ({marks}) order by r.id", chunk
            ).fetchall()
    return [dict(zip(names, row, strict=True)) for row in rows]


def find_person(conn: Connection, text: str) -> tuple[int, str]:
    """The row id and person id of ``text`` (``P000123``, ``P123`` or ``p123``).

    Raises:
        StoreError: not a person id, or no such person.
    """
    person_id = parse_person_id(text)
    if person_id is None:
        raise StoreError(
            "not a person id: person ids look like P000123 ('aban grade --json' "
            "lists contested ones)"
        )
    row = conn.execute(
        "select id from persons where person_id = ?", (person_id,)
    ).fetchone()
    if row is None:
        raise StoreError(
            f"no person {person_id} in the register: check the id, or run "
            "'aban link' first"
        )
    return int(row[0]), person_id
