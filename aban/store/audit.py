"""The append-only, hash-chained audit log.

Each entry stores the hash of the entry before it; its own hash covers its sequence
number, time, actor, action, detail and that previous hash. Editing, deleting or
reordering any entry breaks the chain at that entry. Truncating the tail cannot be seen
from inside, so every writing command prints the new head hash, and
``verify_chain(head=...)`` checks the chain against a head the user kept.

Details name counts, sources and file hashes, never personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from aban.store.db import Connection

GENESIS = "0" * 64


def entry_hash(
    seq: int, at: str, actor: str, action: str, detail: str, prev_hash: str
) -> str:
    """The SHA-256 of one entry's fields, in a fixed canonical layout."""
    payload = json.dumps(
        [seq, at, actor, action, detail, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(conn: Connection, actor: str, action: str, detail: dict[str, Any]) -> str:
    """Append an entry (in the caller's transaction); return the new head hash."""
    row = conn.execute(
        "select seq, hash from audit order by seq desc limit 1"
    ).fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = entry_hash(seq, at, actor, action, text, prev)
    conn.execute(
        "insert into audit (seq, at, actor, action, detail, prev_hash, hash) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, text, prev, digest),
    )
    return digest


def head(conn: Connection) -> str:
    """The hash of the newest entry (the genesis hash for an empty log)."""
    row = conn.execute("select hash from audit order by seq desc limit 1").fetchone()
    return str(row[0]) if row else GENESIS


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the audit chain."""

    entries: int
    head: str
    broken_at: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.problem is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "broken_at": self.broken_at,
            "problem": self.problem,
        }


def verify_chain(conn: Connection, expected_head: str | None = None) -> ChainReport:
    """Walk the chain in storage order and report the first broken entry.

    Args:
        conn: an open register.
        expected_head: a head hash printed earlier; if given, it must appear in the
            chain, else entries after it were removed (or it belongs to another
            register).
    """
    prev, count, seen_head = GENESIS, 0, expected_head is None
    rows = conn.execute(
        "select seq, at, actor, action, detail, prev_hash, hash from audit order by seq"
    )
    for position, (seq, at, actor, action, detail, prev_hash, digest) in enumerate(
        rows, start=1
    ):
        count = position
        if seq != position:
            return ChainReport(
                count, prev, seq, f"entry {seq} is out of place (expected {position})"
            )
        if prev_hash != prev:
            return ChainReport(
                count, prev, seq, f"entry {seq} does not follow entry {seq - 1}"
            )
        if entry_hash(seq, at, actor, action, detail, prev_hash) != digest:
            return ChainReport(count, prev, seq, f"entry {seq} was altered")
        prev = digest
        seen_head = seen_head or digest == expected_head
    if not seen_head:
        return ChainReport(
            count,
            prev,
            None,
            "the given head is not in the chain: entries were removed",
        )
    return ChainReport(count, prev)
