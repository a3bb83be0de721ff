"""Reviewers' link decisions in the register: a match or non-match on a pair.

Pairs are stored by record row id with ``record_a < record_b``; the latest
decision on a pair stands.
"""

from __future__ import annotations

from typing import Literal

from aban.store.db import Connection

Decision = Literal["match", "non_match"]
DECISIONS: tuple[Decision, ...] = ("match", "non_match")


def decisions(conn: Connection) -> dict[tuple[int, int], Decision]:
    """The standing decision on each decided pair (the latest one wins).

    Returns:
        ``{(record_a, record_b): "match" | "non_match"}`` with ``record_a <
        record_b``.
    """
    standing: dict[tuple[int, int], Decision] = {}
    rows = conn.execute(
        "select record_a, record_b, decision from link_decisions order by id"
    )
    for a, b, decision in rows:
        standing[(min(a, b), max(a, b))] = decision
    return standing


def add_decision(
    conn: Connection,
    record_a: int,
    record_b: int,
    decision: Decision,
    reviewer: str,
    decided_at: str,
    note: str | None = None,
) -> int:
    """Store a reviewer's decision on a pair (in the caller's transaction)."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}")
    a, b = sorted((record_a, record_b))
    cursor = conn.execute(
        "insert into link_decisions (record_a, record_b, decision, reviewer, note, "
        "decided_at) values (?, ?, ?, ?, ?, ?)",
        (a, b, decision, reviewer, note, decided_at),
    )
    return int(cursor.lastrowid)
