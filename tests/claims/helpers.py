"""Small registers for the claims ledger: persons and runs written directly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aban.store.db import Connection, transaction

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "iran-2019-11" / "claims.csv"
HEADER = "claimant,date,low,high,kind,scope,method,citation"
STAMP = "2024-01-01T00:00:00+00:00"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def add_persons(conn: Connection, grade: str, level: str, n: int) -> None:
    """Insert ``n`` persons of one grade and identification level (synthetic)."""
    (start,) = conn.execute("select count(*) from persons").fetchone()
    with transaction(conn):
        conn.executemany(
            "insert into persons (person_id, identification, grade, created_at, "
            "updated_at) values (?, ?, ?, ?, ?)",
            [(f"P{start + i:05d}", level, grade, STAMP, STAMP) for i in range(n)],
        )


def add_run(
    conn: Connection,
    kind: str,
    results: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    finished_at: str = STAMP,
) -> int:
    """Insert a run row as ``aban link`` or ``aban estimate`` stores one."""
    with transaction(conn):
        cursor = conn.execute(
            "insert into runs (kind, started_at, finished_at, settings, counts, "
            "results) values (?, ?, ?, ?, '{}', ?)",
            (
                kind,
                STAMP,
                finished_at,
                json.dumps(settings or {}),
                None if results is None else json.dumps(results),
            ),
        )
    return int(cursor.lastrowid)


def estimate_results(estimate: float, lower: float, upper: float) -> dict[str, Any]:
    return {
        "model": "lcmcr",
        "by": None,
        "estimate": estimate,
        "lower": lower,
        "upper": upper,
        "observed": 9,
        "interval": "posterior quantiles",
    }
