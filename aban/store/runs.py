"""Runs in the register: what each link, grade and estimate run used and found.

A *run* row keeps what ``run.json`` would hold (settings, versions, input digest,
the Splink model) inside the encrypted register, so nothing lands on disk in
plaintext.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aban.store.db import Connection


def save_run(
    conn: Connection,
    kind: str,
    started_at: str,
    finished_at: str,
    settings: Mapping[str, Any],
    model: Mapping[str, Any] | None,
    counts: Mapping[str, Any],
) -> int:
    """Store one run's settings, model and counts; return the run id."""
    cursor = conn.execute(
        "insert into runs (kind, started_at, finished_at, settings, model, counts) "
        "values (?, ?, ?, ?, ?, ?)",
        (
            kind,
            started_at,
            finished_at,
            json.dumps(settings, ensure_ascii=False, sort_keys=True),
            None if model is None else json.dumps(model, ensure_ascii=False),
            json.dumps(counts, sort_keys=True),
        ),
    )
    return int(cursor.lastrowid)


def last_run(conn: Connection, kind: str = "link") -> int | None:
    """The id of the newest run of ``kind``, or None."""
    row = conn.execute("select max(id) from runs where kind = ?", (kind,)).fetchone()
    return None if row[0] is None else int(row[0])


def run_details(conn: Connection, run_id: int) -> dict[str, Any]:
    """A run's stored settings, model and counts (what run.json would hold)."""
    row = conn.execute(
        "select kind, started_at, finished_at, settings, model, counts "
        "from runs where id = ?",
        (run_id,),
    ).fetchone()
    kind, started, finished, settings, model, counts = row
    return {
        "id": run_id,
        "kind": kind,
        "started_at": started,
        "finished_at": finished,
        "settings": json.loads(settings),
        "model": None if model is None else json.loads(model),
        "counts": json.loads(counts),
    }
