"""The append-only, hash-chained audit log.

Each entry stores the hash of the entry before it; its own hash covers its sequence
number, time, actor, action, detail and that previous hash. Editing, deleting or
reordering any entry breaks the chain at that entry. Two changes cannot be seen from
inside: cutting the tail, and rewriting an entry then recomputing every hash after it
(a rechain: the chain is whole again). The hashes are not keyed, as any key kept in
the register is known to whoever holds the passphrase. So every writing command
prints the new head hash, releases and export bundles record it, and
``verify_chain(head=...)`` checks the chain against a head the user kept outside
the register: a rewritten or cut log no longer holds it.

Details name counts, sources and file hashes, never personal data. An entry's
``state`` holds the seals of the covered rows its write changed
(:mod:`aban.store.state`); the entry's hash covers it.
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
    seq: int,
    at: str,
    actor: str,
    action: str,
    detail: str,
    prev_hash: str,
    state: str | None = None,
) -> str:
    """The SHA-256 of one entry's fields, in a fixed canonical layout.

    An entry without state (all entries before migration 13) keeps the layout it
    was written with; one with state adds it last.
    """
    fields: list[Any] = [seq, at, actor, action, detail, prev_hash]
    if state is not None:
        fields.append(state)
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _text(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def append(
    conn: Connection,
    actor: str,
    action: str,
    detail: dict[str, Any],
    state: dict[str, Any] | None = None,
) -> str:
    """Append an entry (in the caller's transaction); return the new head hash.

    Args:
        conn: the register, in a transaction.
        actor: who wrote (the ``actor`` setting).
        action: what was done (``import``, ``person-consent`` ...).
        detail: what it did: ids, counts and digests, never personal data.
        state: the seals of the state it wrote (:mod:`aban.store.state`), if any.
    """
    row = conn.execute(
        "select seq, hash from audit order by seq desc limit 1"
    ).fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    text, sealed = _text(detail), None if not state else _text(state)
    digest = entry_hash(seq, at, actor, action, text, prev, sealed)
    values = (seq, at, actor, action, text, prev, digest)
    if sealed is None:
        # Written as before migration 13 (which adds the column), so that
        # migrations may write entries too.
        conn.execute(
            "insert into audit (seq, at, actor, action, detail, prev_hash, hash) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            values,
        )
    else:
        conn.execute(
            "insert into audit (seq, at, actor, action, detail, prev_hash, hash, "
            "state) values (?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, sealed),
        )
    return digest


def head(conn: Connection) -> str:
    """The hash of the newest entry (the genesis hash for an empty log)."""
    row = conn.execute("select hash from audit order by seq desc limit 1").fetchone()
    return str(row[0]) if row else GENESIS


#: What verify says when the kept head is not in the chain.
HEAD_MISSING = (
    "the kept head is not in the chain: the log was rewritten and rechained "
    "(every hash after an edit recomputed), or cut after that head, or the head "
    "is of another register"
)


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the audit chain, and the register against it.

    Attributes:
        entries: entries in the chain.
        head: the hash of the newest entry.
        broken_at: the entry where the chain breaks, or the entry that last
            recorded what differs, when known.
        problem: the first problem found.
        mismatches: the register's state that the log does not vouch for, one
            line each (``problem`` is the first); empty when the chain breaks.
        more: mismatches found beyond those listed.
        after_head: entries after the kept head, when one was given.
    """

    entries: int
    head: str
    broken_at: int | None = None
    problem: str | None = None
    mismatches: tuple[str, ...] = ()
    more: int = 0
    after_head: int | None = None

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
            "mismatches": list(self.mismatches),
            "more": self.more,
            "after_head": self.after_head,
        }


def verify_chain(conn: Connection, expected_head: str | None = None) -> ChainReport:
    """Walk the chain in storage order and report the first broken entry.

    Args:
        conn: an open register.
        expected_head: a head hash printed earlier; if given, it must appear in the
            chain, else the log was rewritten and rechained, or cut after it (or
            it belongs to another register).
    """
    prev, count, found_at = GENESIS, 0, None
    rows = conn.execute(
        "select seq, at, actor, action, detail, prev_hash, hash, state from audit "
        "order by seq"
    )
    for position, row in enumerate(rows, start=1):
        seq, at, actor, action, detail, prev_hash, digest, state = row
        count = position
        if seq != position:
            return ChainReport(
                count, prev, seq, f"entry {seq} is out of place (expected {position})"
            )
        if prev_hash != prev:
            return ChainReport(
                count, prev, seq, f"entry {seq} does not follow entry {seq - 1}"
            )
        if entry_hash(seq, at, actor, action, detail, prev_hash, state) != digest:
            return ChainReport(count, prev, seq, f"entry {seq} was altered")
        prev = digest
        if digest == expected_head:
            found_at = position
    if expected_head is None:
        return ChainReport(count, prev)
    if found_at is None:
        return ChainReport(count, prev, None, HEAD_MISSING)
    return ChainReport(count, prev, after_head=count - found_at)
