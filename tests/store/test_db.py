from __future__ import annotations

import hashlib
from typing import Any

import pytest

from aban.store.records import RECORD_FIELDS, RecordsDigest, raw_matches
from aban.store.workspace import Workspace


def test_none_binds_as_null_and_other_values_keep_their_type(
    workspace: Workspace,
) -> None:
    conn = workspace.conn
    conn.execute("create temp table t (a, b, c)")
    conn.executemany("insert into t values (?, ?, ?)", [(None, 7, "x"), ("", 0, None)])
    rows = conn.execute("select a, typeof(a), b, typeof(b), c, typeof(c) from t")
    assert rows.fetchall() == [
        (None, "null", 7, "integer", "x", "text"),
        ("", "text", 0, "integer", None, "null"),
    ]
    assert conn.execute("select count(*) from t where a is null").fetchone() == (1,)


def _row(
    record_id: str, raw: str, age: int | None, force: str | None = None
) -> tuple[Any, ...]:
    values: dict[str, Any] = dict.fromkeys(RECORD_FIELDS)
    values.update(record_id=record_id, row_number=2, raw=raw, age=age, script="none")
    values.update(alleged_force=force, alleged_force_norm=force and force.lower())
    values["content_sha256"] = hashlib.sha256(raw.encode()).hexdigest()
    return tuple(values.values())


ROWS = [
    _row("r1", '{"a": "ü"}', None),
    _row("r2", "x\ny", 7, "IRGC"),
    _row("r3", "", None),
]


@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_digest_of_many_records_at_once_equals_one_at_a_time(version: int) -> None:
    one, many = RecordsDigest(version), RecordsDigest(version)
    for row in ROWS:
        one.add(row)
    many.add_many(ROWS[:2])
    many.add_many([])
    many.add_many(ROWS[2:])
    raw = RECORD_FIELDS.index("raw")
    # Versions 1 and 2 leave out the columns added by migration 11 (the last two).
    kept = ROWS if version == 3 else [row[:-2] for row in ROWS]
    digested = kept if version == 1 else [row[:raw] + row[raw + 1 :] for row in kept]
    assert ("IRGC" in repr(digested)) == (version == 3)
    text = "".join(repr(row) + "\n" for row in digested)
    assert (many.count, many.hexdigest()) == (one.count, one.hexdigest())
    assert one.hexdigest() == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_record_s_raw_json_must_match_its_sha() -> None:
    assert all(map(raw_matches, ROWS))
    raw = RECORD_FIELDS.index("raw")
    assert not raw_matches(ROWS[0][:raw] + ("{}",) + ROWS[0][raw + 1 :])
