"""Sealing the register's state into the audit log, and checking it against it.

The tables are listed in :mod:`aban.store.coverage`. A row of a :data:`ROWS`
table has a *seal*: a digest of its covered columns and of its parts (rows of
other tables folded into it: an evidence item's links and publishable copy, a
discount's records). A :data:`RANGES` table (what linking and grading derive in
bulk) has a seal per range of :data:`RANGE_ROWS` rows.

Each audit entry holds in its ``state`` (covered by the entry's hash) a
``[before, after]`` pair for each row or range its write changed: the seal it had
when the write began and the one it has now (null: absent). ``aban audit
verify`` replays the pairs: each ``before`` must be the ``after`` of the last
entry that wrote the row, and each row as stored now must be the last ``after``.
So a change made behind aban's back is found, and named by table and row, even
when a later write seals over the same row.

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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from aban.store.coverage import RANGE_ROWS, RANGES, ROWS, Ranges, Rows
from aban.store.db import Connection

#: Hex digits kept of a seal's SHA-256 (128 bits).
SEAL_LENGTH = 32
#: A problem found, and the entry it concerns (None when no entry does).
Found = tuple[str, int | None]
_ROWS = {spec.table: spec for spec in ROWS}
_RANGES = {spec.name: spec for spec in RANGES}
#: How a table sealed in ranges is noted in the tracking table.
_RANGE_MARK = "*"


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


def _range_select(spec: Ranges) -> str:
    columns = [
        f"cast({c} as blob)" if c in spec.large else c
        for c in (spec.order, *spec.columns)
    ]
    return f"select {', '.join(columns)} from {spec.table}"


def _range_seal(spec: Ranges, key: str, rows: Sequence[tuple[Any, ...]]) -> str:
    """The seal of one range's rows (in order); large columns hashed as bytes."""
    large = {i for i, c in enumerate((spec.order, *spec.columns)) if c in spec.large}
    digest = hashlib.sha256(f"{spec.name}\n{key}\n".encode())
    if not large:
        digest.update(("\n".join(map(repr, rows)) + "\n").encode("utf-8"))
        return digest.hexdigest()[:SEAL_LENGTH]
    for row in rows:
        small = [None if i in large else v for i, v in enumerate(row)]
        sizes = [None if v is None else len(v) for i, v in enumerate(row) if i in large]
        digest.update((repr((small, sizes)) + "\n").encode("utf-8"))
        for i in large:
            if row[i] is not None:
                digest.update(row[i])
    return digest.hexdigest()[:SEAL_LENGTH]


def seal_range(
    conn: Connection, spec: Ranges, key: str, without: int | None = None
) -> str | None:
    """The seal of range ``key`` of a table sealed in ranges (None: no rows).

    Args:
        conn: the register.
        spec: the table.
        key: the range's number.
        without: a row left out (one just inserted: the seal before it was).
    """
    low = int(key) * RANGE_ROWS
    rows = conn.execute(
        f"{_range_select(spec)} where {spec.order} >= ? and {spec.order} < ? "
        f"and {spec.order} is not ? order by {spec.order}",
        (low, low + RANGE_ROWS, without),
    ).fetchall()
    return _range_seal(spec, key, rows) if rows else None


def live_ranges(conn: Connection, spec: Ranges) -> Iterator[tuple[str, str]]:
    """Every range of a table sealed in ranges, with its seal, streamed."""
    cursor = conn.execute(f"{_range_select(spec)} order by {spec.order}")
    key: str | None = None
    rows: list[tuple[Any, ...]] = []
    while chunk := cursor.fetchmany(RANGE_ROWS):
        for row in chunk:
            number = str(row[0] // RANGE_ROWS)
            if number != key and rows:
                yield str(key), _range_seal(spec, str(key), rows)
                rows = []
            key = number
            rows.append(row)
    if rows:
        yield str(key), _range_seal(spec, str(key), rows)


# Tracking: the triggers. Each notes (table, key, seal before) on a row's first
# change since the last entry. Their statements name the tracking table without
# its schema (a trigger's statements may not name one); the name finds the
# temporary table first. A new row had no seal before: it is noted after its
# insert, once it has its id.


def _mark(table: str, key: str, before: bool = True, without: str = "null") -> str:
    seal = f"aban_seal('{table}', x.k, {without})" if before else "null"
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
    added = _mark(table, f"new.{key}", before=False)
    new, old = _mark(table, f"new.{key}"), _mark(table, f"old.{key}")
    yield _trigger(f"{table}_i", "after insert", table, when("new"), added)
    update = f"before update of {columns}"
    yield _trigger(f"{table}_u", update, table, when("old", "new"), old, new)
    yield _trigger(f"{table}_d", "before delete", table, when("old"), old)
    for part in spec.parts:
        name, columns = f"{table}_{part.table}", ", ".join((part.parent, *part.columns))
        new, old = (_mark(table, f"{r}.{part.parent}") for r in ("new", "old"))
        yield _trigger(f"{name}_i", "before insert", part.table, "", new)
        update = f"before update of {columns}"
        yield _trigger(f"{name}_u", update, part.table, "", old, new)
        yield _trigger(f"{name}_d", "before delete", part.table, "", old)


def _range_triggers(spec: Ranges) -> Iterator[str]:
    table, order = spec.table, spec.order
    mark = f"{_RANGE_MARK}{spec.name}"
    new, old = (_mark(mark, f"{r}.{order} / {RANGE_ROWS}") for r in ("new", "old"))
    update = f"before update of {', '.join((order, *spec.columns))}"
    name = f"range_{spec.name}"
    # A new row has its id only after its insert; its range's seal before it is
    # that of the range without it.
    added = _mark(mark, f"new.{order} / {RANGE_ROWS}", without=f"new.{order}")
    yield _trigger(f"{name}_i", "after insert", table, "", added)
    yield _trigger(f"{name}_u", update, table, "", old, new)
    yield _trigger(f"{name}_d", "before delete", table, "", old)


def _seal_now(
    conn: Connection, table: str, key: str, without: int | None = None
) -> str | None:
    if table.startswith(_RANGE_MARK):
        return seal_range(conn, _RANGES[table[1:]], key, without)
    return seal_row(conn, _ROWS[table], key)


def track(conn: Connection) -> None:
    """Note every write to covered state on this connection, for :func:`drain`.

    Temporary triggers and a function they call, in the connection's memory:
    they end with it.
    """
    if _tracking(conn):
        return
    conn.create_function("aban_seal", 3, lambda t, k, w: _seal_now(conn, t, k, w))
    conn.execute(
        "create temp table _aban_changed (tbl text not null, key text not null, "
        "before text, primary key (tbl, key)) without rowid"
    )
    for spec in ROWS:
        for statement in _triggers(spec):
            conn.execute(statement)
    for ranges in RANGES:
        for statement in _range_triggers(ranges):
            conn.execute(statement)


def _tracking(conn: Connection) -> bool:
    row = conn.execute(
        "select 1 from temp.sqlite_master where name = '_aban_changed'"
    ).fetchone()
    return row is not None


def drain(conn: Connection) -> dict[str, Any]:
    """The seals before and after of the rows written since the last call.

    Returns:
        ``{"rows": {table: {key: [before, after]}}, "ranges": {table: {range:
        [before, after]}}}`` for an audit entry's state; rows left as they were
        are left out, and ``{}`` is returned when nothing covered changed.
    """
    if not _tracking(conn):
        return {}
    pending = conn.execute(
        "select tbl, key, before from temp._aban_changed order by tbl, key"
    ).fetchall()
    if not pending:
        return {}
    conn.execute("delete from temp._aban_changed")
    found: dict[str, dict[str, dict[str, list[str | None]]]] = {}
    for table, group in itertools.groupby(pending, key=lambda p: str(p[0])):
        ranged = table.startswith(_RANGE_MARK)
        kind, name = ("ranges", table[1:]) if ranged else ("rows", table)
        for _, key, before in group:
            after = _seal_now(conn, table, key)
            if after != before:
                found.setdefault(kind, {}).setdefault(name, {})[key] = [before, after]
    return found


def baseline(conn: Connection) -> dict[str, Any]:
    """Every covered row's and range's seal, as found now.

    The state of the entry a register gets when it is upgraded to a version that
    seals state (migration 13): what was written before verifies from then on.
    """
    return {
        "baseline": True,
        "rows": {
            spec.table: {key: [None, seal] for key, seal in live_seals(conn, spec)}
            for spec in ROWS
        },
        "ranges": {
            spec.name: {key: [None, seal] for key, seal in live_ranges(conn, spec)}
            for spec in RANGES
        },
    }


Spec = Rows | Ranges
#: Each key's last seal and the entry that recorded it.
Seals = dict[str, tuple[str | None, int]]


@dataclass
class Recorded:
    """What the audit log says the state is: each row's and range's last seal
    with the entry that recorded it; and each entry that found a row otherwise
    than the entry before it had left it (a gap)."""

    rows: dict[str, Seals] = field(default_factory=dict)
    ranges: dict[str, Seals] = field(default_factory=dict)
    gaps: list[Found] = field(default_factory=list)

    def add(self, seq: int, state: dict[str, Any]) -> None:
        """Replay one entry's state, noting each gap before it."""
        check = not state.get("baseline")
        for kind, specs, recorded in (
            ("rows", _ROWS, self.rows),
            ("ranges", _RANGES, self.ranges),
        ):
            for table, seals in state.get(kind, {}).items():
                spec: Spec = specs[table]
                last_seals = recorded.setdefault(table, {})
                for key, (before, after) in seals.items():
                    last, at = last_seals.get(key, (None, 0))
                    if check and before != last and not _may_end(spec, before):
                        self.gaps.append(_gap(spec, key, seq, at))
                    last_seals[key] = (after, seq)


def _may_end(spec: Spec, before: str | None) -> bool:
    return isinstance(spec, Rows) and spec.may_end and before is None


def _words(spec: Spec) -> tuple[str, str]:
    """What changed (``consent ``, or nothing) and how to call it (it, them)."""
    what = f"{spec.what} " if spec.what else ""
    return what, "them" if isinstance(spec, Ranges) else "it"


def _gap(spec: Spec, key: str, seq: int, at: int) -> Found:
    what, it = _words(spec)
    last = f"entry {at} recorded {it} last" if at else "no entry recorded it before"
    return (
        f"{spec.label(key)}: {what}changed without an audit entry before entry {seq} "
        f"wrote {it} ({last})",
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


def _compare(
    spec: Spec, live: Iterable[tuple[str, str]], recorded: Seals
) -> Iterator[Found]:
    """Each row (or range) as stored now against the last seal the log holds."""
    what, it = _words(spec)
    seen = set()
    for key, seal in live:
        seen.add(key)
        expected, seq = recorded.get(key, (None, 0))
        if expected is None:
            yield f"{spec.label(key)}: {what}written without an audit entry", None
        elif expected != seal:
            yield (
                f"{spec.label(key)}: {what}changed without an audit entry "
                f"(entry {seq} recorded {it} last)",
                seq,
            )
    if isinstance(spec, Rows) and spec.may_end:
        return
    for key, (expected, seq) in recorded.items():
        if expected is not None and key not in seen:
            yield (
                f"{spec.label(key)}: {what}removed without an audit entry "
                f"(entry {seq} recorded {it} last)",
                seq,
            )


def check_state(conn: Connection) -> Iterator[Found]:
    """Each covered row or range the log does not vouch for, as (problem, the
    entry concerned, if any): gaps between entries first, then the state now."""
    recorded = recorded_state(conn)
    yield from recorded.gaps
    for spec in ROWS:
        live = live_seals(conn, spec)
        yield from _compare(spec, live, recorded.rows.get(spec.table, {}))
    for ranges in RANGES:
        live = live_ranges(conn, ranges)
        yield from _compare(ranges, live, recorded.ranges.get(ranges.name, {}))
