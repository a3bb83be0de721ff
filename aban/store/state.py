"""Sealing the register's state into the audit log, and checking it against it.

The tables are listed in :mod:`aban.store.coverage`. A row of a :data:`ROWS`
table has a *seal*: a digest of its covered columns and of its parts (rows of
other tables folded into it: an evidence item's links and publishable copy, a
discount's records). A :data:`WHOLE` table (what linking and grading derive) has
one digest for all its rows.

Each audit entry holds in its ``state`` (covered by the entry's hash) a
``[before, after]`` pair for each row its write changed: the seal the row had
when the write began and the one it has now (null: absent). Tables sealed whole
get such a pair of digests. ``aban audit verify`` replays the pairs: each
``before`` must be the ``after`` of the last entry that wrote the row, and each
row as stored now must be the last ``after``. So a change made behind aban's
back is found even when a later write seals over the same row, and named by
table and row.

Writes are found by temporary triggers (:func:`track`) on each connection aban
opens; they note each row's seal before its first change, and :func:`drain`
seals the changed rows into the next entry. A change made on another connection
(an SQLite shell holding the passphrase) is noted nowhere. The triggers and the
function they call live in the connection's memory, never in the register.

Seals are truncated SHA-256 digests (128 bits), kept in the encrypted register
only; they hold no value in clear.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aban.store.coverage import ROWS, WHOLE, Rows, Whole
from aban.store.db import Connection

#: Hex digits kept of a row's SHA-256 seal (128 bits).
SEAL_LENGTH = 32
#: A problem found, and the entry it concerns (None when no entry does).
Found = tuple[str, int | None]
_BY_TABLE = {spec.table: spec for spec in ROWS}
_WHOLE_BY_TABLE = {spec.table: spec for spec in WHOLE}
_EMPTY = hashlib.sha256().hexdigest()


def _seal(table: str, key: str, values: Iterable[Any]) -> str:
    text = json.dumps(
        [table, key, *values],
        ensure_ascii=False,
        separators=(",", ":"),
        default=lambda b: {"blob": bytes(b).hex()},
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:SEAL_LENGTH]


def _select(spec: Rows) -> str:
    scope = f" and ({spec.scope.format(r='r')})" if spec.scope else ""
    columns = ", ".join(f"r.{c}" for c in spec.columns)
    return (
        f"select cast(r.{spec.key} as text), {columns} from {spec.table} r "
        f"where 1{scope}"
    )


def seal_row(conn: Connection, spec: Rows, key: str) -> str | None:
    """The seal of row ``key`` of a covered table as stored now (None: absent)."""
    row = conn.execute(f"{_select(spec)} and r.{spec.key} = ?", (key,)).fetchone()
    if row is None:
        return None
    parts = []
    for part in spec.parts:
        columns = ", ".join(part.columns)
        rows = conn.execute(
            f"select {columns} from {part.table} where {part.parent} = ? "
            f"order by {columns}",
            (key,),
        )
        parts.append([list(r) for r in rows])
    return _seal(spec.table, key, [*row[1:], *parts])


def _all_parts(conn: Connection, spec: Rows) -> list[dict[str, list[list[Any]]]]:
    found = []
    for part in spec.parts:
        columns = ", ".join(part.columns)
        grouped: dict[str, list[list[Any]]] = {}
        for parent, *values in conn.execute(
            f"select cast({part.parent} as text), {columns} from {part.table} "
            f"order by {part.parent}, {columns}"
        ):
            grouped.setdefault(parent, []).append(values)
        found.append(grouped)
    return found


def live_seals(conn: Connection, spec: Rows) -> Iterator[tuple[str, str]]:
    """Every row of a covered table with its seal, streamed."""
    parts = _all_parts(conn, spec)
    cursor = conn.execute(_select(spec))
    while chunk := cursor.fetchmany(5000):
        for key, *values in chunk:
            extra = [p.get(key, []) for p in parts]
            yield key, _seal(spec.table, key, [*values, *extra])


def whole_digest(conn: Connection, spec: Whole) -> str:
    """The SHA-256 of a whole table's digested columns, in order."""
    digest = hashlib.sha256()
    cursor = conn.execute(
        f"select {', '.join(spec.columns)} from {spec.table} order by {spec.order}"
    )
    while chunk := cursor.fetchmany(5000):
        digest.update(("\n".join(map(repr, chunk)) + "\n").encode("utf-8"))
    return digest.hexdigest()


# Tracking: the triggers. Each notes (table, key, seal before) on a row's first
# change since the last entry. Their statements name the tracking table without
# its schema (a trigger's statements may not name one); the name finds the
# temporary table first. A new row had no seal before: it is noted after its
# insert, once it has its id.


def _mark(table: str, key: str, before: bool = True) -> str:
    seal = f"aban_seal('{table}', x.k)" if before else "null"
    return (
        f"insert into _aban_changed (tbl, key, before) select '{table}', x.k, "
        f"{seal} from (select cast({key} as text) as k) x where not exists "
        f"(select 1 from _aban_changed y where y.tbl = '{table}' and y.key = x.k)"
    )


def _trigger(name: str, event: str, table: str, when: str, *marks: str) -> str:
    body = " ".join(f"{mark};" for mark in marks)
    return (
        f"create temp trigger _aban_{name} {event} on main.{table} {when}"
        f"begin {body} end"
    )


def _triggers(spec: Rows) -> Iterator[str]:
    """The statements creating the triggers that note a covered table's writes."""
    table, key, scope = spec.table, spec.key, spec.scope

    def when(*rows: str) -> str:
        if not scope:
            return ""
        return "when " + " or ".join(f"({scope.format(r=r)})" for r in rows) + " "

    columns = ", ".join(dict.fromkeys((key, *spec.columns)))
    new, old = _mark(table, f"new.{key}"), _mark(table, f"old.{key}")
    yield _trigger(
        f"{table}_i",
        "after insert",
        table,
        when("new"),
        _mark(table, f"new.{key}", False),
    )
    yield _trigger(
        f"{table}_u", f"before update of {columns}", table, when("old", "new"), old, new
    )
    yield _trigger(f"{table}_d", "before delete", table, when("old"), old)
    for part in spec.parts:
        name, columns = f"{table}_{part.table}", ", ".join((part.parent, *part.columns))
        new, old = (_mark(table, f"{r}.{part.parent}") for r in ("new", "old"))
        yield _trigger(f"{name}_i", "before insert", part.table, "", new)
        yield _trigger(
            f"{name}_u", f"before update of {columns}", part.table, "", old, new
        )
        yield _trigger(f"{name}_d", "before delete", part.table, "", old)


def _whole_triggers(spec: Whole) -> Iterator[str]:
    mark = _mark(f"*{spec.table}", "''")
    events = {
        "i": "before insert",
        "u": f"before update of {', '.join(spec.columns)}",
        "d": "before delete",
    }
    for suffix, event in events.items():
        yield _trigger(f"whole_{spec.table}_{suffix}", event, spec.table, "", mark)


def track(conn: Connection) -> None:
    """Note every write to covered state on this connection, for :func:`drain`.

    Temporary triggers and a function they call, in the connection's memory:
    they end with it.
    """
    if _tracking(conn):
        return

    def seal_before(table: str, key: str) -> str | None:
        if table.startswith("*"):
            return whole_digest(conn, _WHOLE_BY_TABLE[table[1:]])
        return seal_row(conn, _BY_TABLE[table], key)

    conn.create_function("aban_seal", 2, seal_before)
    conn.execute(
        "create temp table _aban_changed (tbl text not null, key text not null, "
        "before text, primary key (tbl, key)) without rowid"
    )
    for spec in ROWS:
        for statement in _triggers(spec):
            conn.execute(statement)
    for whole in WHOLE:
        for statement in _whole_triggers(whole):
            conn.execute(statement)


def _tracking(conn: Connection) -> bool:
    row = conn.execute(
        "select 1 from temp.sqlite_master where name = '_aban_changed'"
    ).fetchone()
    return row is not None


def drain(conn: Connection) -> dict[str, Any]:
    """The seals before and after of the rows written since the last call.

    Returns:
        ``{"rows": {table: {key: [before, after]}}, "tables": {table: [before,
        after]}}`` for an audit entry's state; rows left as they were are left
        out, and ``{}`` is returned when nothing covered changed.
    """
    if not _tracking(conn):
        return {}
    pending = conn.execute(
        "select tbl, key, before from temp._aban_changed order by tbl, key"
    ).fetchall()
    if not pending:
        return {}
    conn.execute("delete from temp._aban_changed")
    rows: dict[str, dict[str, list[str | None]]] = {}
    tables: dict[str, list[str | None]] = {}
    for table, group in itertools.groupby(pending, key=lambda p: str(p[0])):
        for _, key, before in group:
            if table.startswith("*"):
                digest = whole_digest(conn, _WHOLE_BY_TABLE[table[1:]])
                if digest != before:
                    tables[table[1:]] = [before, digest]
                continue
            seal = seal_row(conn, _BY_TABLE[table], key)
            if seal != before:
                rows.setdefault(table, {})[key] = [before, seal]
    return {name: part for name, part in (("rows", rows), ("tables", tables)) if part}


def baseline(conn: Connection) -> dict[str, Any]:
    """Every covered row's seal and every whole table's digest, as found now.

    The state of the entry a register gets when it is upgraded to a version that
    seals state (migration 13): what was written before verifies from then on.
    """
    return {
        "baseline": True,
        "rows": {
            spec.table: {key: [None, seal] for key, seal in live_seals(conn, spec)}
            for spec in ROWS
        },
        "tables": {spec.table: [None, whole_digest(conn, spec)] for spec in WHOLE},
    }


@dataclass
class Recorded:
    """What the audit log says the state is: each row's last seal with the entry
    that recorded it, each whole table's last digest; and each entry that found a
    row otherwise than the entry before it had left it."""

    rows: dict[str, dict[str, tuple[str | None, int]]] = field(default_factory=dict)
    tables: dict[str, tuple[str, int]] = field(default_factory=dict)
    gaps: list[Found] = field(default_factory=list)

    def add(self, seq: int, state: dict[str, Any]) -> None:
        """Replay one entry's state, noting each gap before it."""
        check = not state.get("baseline")
        for table, seals in state.get("rows", {}).items():
            spec, recorded = _BY_TABLE[table], self.rows.setdefault(table, {})
            for key, (before, after) in seals.items():
                last, at = recorded.get(key, (None, 0))
                if check and before != last and not (spec.may_end and before is None):
                    self.gaps.append(_gap(spec.name(key), spec.what, seq, at))
                recorded[key] = (after, seq)
        for table, (before, after) in state.get("tables", {}).items():
            last, at = self.tables.get(table, (_EMPTY, 0))
            if check and before != last:
                what = _WHOLE_BY_TABLE[table].what
                self.gaps.append(_gap(table, what, seq, at, whole=True))
            self.tables[table] = (after, seq)


def _gap(name: str, what: str, seq: int, at: int, whole: bool = False) -> Found:
    last = f"entry {at} recorded it last" if at else "no entry recorded it before"
    if whole:
        return f"{name}: {what} changed without an audit entry before entry {seq}", seq
    what = f"{what} " if what else ""
    return (
        f"{name}: {what}changed without an audit entry before entry {seq} wrote it "
        f"({last})",
        seq,
    )


def recorded_state(conn: Connection) -> Recorded:
    """Replay the state every audit entry recorded, oldest first."""
    recorded = Recorded()
    rows = conn.execute(
        "select seq, state from audit where state is not null order by seq"
    )
    for seq, text in rows:
        recorded.add(int(seq), json.loads(text))
    return recorded


def _check_rows(
    conn: Connection, spec: Rows, recorded: dict[str, tuple[str | None, int]]
) -> Iterator[Found]:
    what = f"{spec.what} " if spec.what else ""
    seen = set()
    for key, seal in live_seals(conn, spec):
        seen.add(key)
        expected, seq = recorded.get(key, (None, 0))
        if expected is None:
            yield f"{spec.name(key)}: {what}written without an audit entry", None
        elif expected != seal:
            yield (
                f"{spec.name(key)}: {what}changed without an audit entry "
                f"(entry {seq} recorded it last)",
                seq,
            )
    if spec.may_end:
        return
    for key, (expected, seq) in recorded.items():
        if expected is not None and key not in seen:
            yield (
                f"{spec.name(key)}: {what}removed without an audit entry "
                f"(entry {seq} recorded it last)",
                seq,
            )


def check_state(conn: Connection) -> Iterator[Found]:
    """Each covered row or table the log does not vouch for, as (problem, the
    entry concerned, if any): gaps between entries first, then the state now."""
    recorded = recorded_state(conn)
    yield from recorded.gaps
    for spec in ROWS:
        yield from _check_rows(conn, spec, recorded.rows.get(spec.table, {}))
    for whole in WHOLE:
        expected, seq = recorded.tables.get(whole.table, (_EMPTY, 0))
        if whole_digest(conn, whole) != expected:
            after = f"after entry {seq} " if seq else ""
            yield (
                f"{whole.table}: {whole.what} changed {after}without an audit "
                "entry ('aban link' and 'aban grade' rebuild them from what the "
                "log covers)",
                seq or None,
            )
