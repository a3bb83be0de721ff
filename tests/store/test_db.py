from __future__ import annotations

import hashlib

from aban.store.records import RecordsDigest
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


def test_a_digest_of_many_records_at_once_equals_one_at_a_time() -> None:
    rows = [("r1", 2, '{"a": "ü"}', None), ("r2", 3, "x\ny", 7), ("r3", 4, "", None)]
    one, many = RecordsDigest(), RecordsDigest()
    for row in rows:
        one.add(row)
    many.add_many(rows[:2])
    many.add_many([])
    many.add_many(rows[2:])
    assert (
        (many.count, many.hexdigest())
        == (one.count, one.hexdigest())
        == (
            3,
            hashlib.sha256(
                "".join(repr(row) + "\n" for row in rows).encode("utf-8")
            ).hexdigest(),
        )
    )
