from __future__ import annotations

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
