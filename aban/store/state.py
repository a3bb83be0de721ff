"""The register's state the audit log vouches for, beyond the records.

Imports vouch for records (:mod:`aban.store.records`). Everything else that
publication, grading or access depends on is covered here, in two ways:

* **Rows** (:data:`ROWS`): each row of a covered table has a *seal*, a digest of
  its covered columns (and of its parts, rows of other tables folded into it:
  an evidence item's links and publishable copy, a discount's records). Every
  audit entry holds in its ``state`` (under ``rows``) the seal of each row its
  write inserted, changed or deleted (null for a deleted row). ``aban audit verify``
  replays the seals and names each row whose live seal is not the last one the
  log recorded.
* **Whole tables** (:data:`WHOLE`): what linking and grading derive (persons'
  links, canonical values, identification levels and grades). Each entry whose
  write changed them holds a digest of the whole table (``state`` ``tables``);
  verify recomputes it and names the table (``aban link`` and ``aban grade``
  rebuild them from covered state).

Writes are found by temporary triggers (:func:`track`) on each connection aban
opens: they note which rows changed, and :func:`drain` seals them into the next
audit entry. A change made on any other connection (an SQLite shell holding the
passphrase) is noted nowhere, so no entry holds its seal, and verify reports it.
The triggers live in the connection's memory, never in the register.

The entry's hash covers its state, so the seals are as hard to change as the
entry. Seals are truncated SHA-256 digests (128 bits) kept in the encrypted
register only; they hold no value in clear. :data:`NOT_COVERED` lists what
verify does not check, so that it can say so.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aban.store.db import Connection
from aban.vocab.ids import format_evidence_id

#: Hex digits kept of a row's SHA-256 seal (128 bits).
SEAL_LENGTH = 32
_CHANGED = "temp._aban_changed"


@dataclass(frozen=True)
class Part:
    """Rows of another table folded into a covered row's seal.

    Attributes:
        table: the other table.
        parent: its column holding the covered row's key.
        columns: the columns sealed, in this order (rows sorted by them).
    """

    table: str
    parent: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Rows:
    """A table whose every row the log vouches for.

    Attributes:
        table: the table.
        columns: the columns sealed (a column left out may change freely).
        key: the column naming a row (unique).
        scope: a condition on the row (``{r}`` its alias): rows outside it are
            sealed as absent (a person without a consent).
        parts: rows of other tables sealed with each row.
        may_end: rows may be deleted without an entry (sessions end).
        what: what a change is called in a report (``consent``).
    """

    table: str
    columns: tuple[str, ...]
    key: str = "id"
    scope: str = ""
    parts: tuple[Part, ...] = ()
    may_end: bool = False
    what: str = ""

    def name(self, key: str) -> str:
        """How a report names a row: ``persons P000012``, ``sources row 3``."""
        if self.table == "evidence":
            return f"evidence {format_evidence_id(int(key))}"
        if self.key == "person_id":
            return f"{self.table} {key}"
        if self.key == "token_sha256":
            return f"{self.table} row {key[:12]}"
        return f"{self.table} row {key}"


@dataclass(frozen=True)
class Whole:
    """A table the log vouches for as a whole (derived by linking and grading).

    Attributes:
        table: the table.
        columns: the columns digested, rows in ``order``.
        order: the unique column the rows are digested in order of.
        what: what it holds, for a report.
    """

    table: str
    columns: tuple[str, ...]
    order: str
    what: str


ROWS: tuple[Rows, ...] = (
    Rows(
        "sources",
        (
            "name",
            "kind",
            "independence_group",
            "reliability",
            "is_list",
            "protected",
            "contact",
            "created_at",
        ),
    ),
    Rows(
        "imports",
        (
            "source_id",
            "file_name",
            "content_sha256",
            "file_format",
            "rows_read",
            "accepted",
            "unchanged",
            "rejected",
            "imported_at",
        ),
    ),
    Rows(
        "persons",
        ("consent",),
        key="person_id",
        scope="{r}.consent is not null",
        what="consent",
    ),
    Rows(
        "link_decisions",
        ("record_a", "record_b", "decision", "reviewer", "note", "decided_at"),
    ),
    Rows(
        "grade_decisions",
        (
            "person_id",
            "reason",
            "note",
            "reviewer",
            "decided_at",
            "restored_at",
            "restored_by",
        ),
        parts=(Part("grade_decision_records", "decision_id", ("record_id",)),),
    ),
    Rows("users", ("name", "role", "password_hash", "disabled", "created_at")),
    Rows(
        "web_sessions",
        ("user_id", "csrf", "created_at", "expires_at"),
        key="token_sha256",
        may_end=True,
    ),
    Rows(
        "evidence",
        (
            "sha256",
            "kind",
            "blob_id",
            "data_key",
            "original_name",
            "size",
            "publishable",
            "added_at",
        ),
        parts=(
            Part("evidence_links", "evidence_id", ("person_id", "record_id")),
            Part(
                "evidence_derivatives",
                "evidence_id",
                ("blob_id", "data_key", "sha256", "size", "media_type", "created_at"),
            ),
        ),
    ),
    Rows(
        "custody_events",
        (
            "evidence_id",
            "received_from",
            "received_by",
            "happened_at",
            "note",
            "recorded_at",
        ),
    ),
    Rows(
        "claim_imports",
        (
            "file_name",
            "content_sha256",
            "rows_read",
            "accepted",
            "unchanged",
            "imported_at",
        ),
    ),
    Rows(
        "claims",
        (
            "claimant",
            "claim_date",
            "low",
            "high",
            "kind",
            "scope",
            "method",
            "citation",
            "import_id",
            "row_number",
            "digest",
            "added_at",
        ),
    ),
    Rows(
        "detention_imports",
        ("file_name", "content_sha256", "rows_read", "events", "imported_at"),
    ),
    Rows(
        "detentions",
        (
            "person_id",
            "record_id",
            "arrest_date",
            "arrest_place",
            "facility",
            "whereabouts",
            "family_access",
            "lawyer_access",
        ),
    ),
    Rows(
        "detention_events",
        (
            "detention_id",
            "event_date",
            "status",
            "place",
            "source_id",
            "note",
            "import_id",
            "row_number",
            "person_ref",
        ),
    ),
    # The head of a snapshot or release is its own entry's hash, written after
    # the entry: verify checks it is in the chain instead (see integrity.py).
    Rows(
        "count_snapshots",
        (
            "label",
            "taken_at",
            "persons",
            "minimum",
            "upper",
            "by_grade",
            "by_identification",
            "estimate",
        ),
    ),
    Rows(
        "releases",
        ("published_at", "digest", "snapshot_id", "figures", "policy"),
    ),
    Rows(
        "runs",
        ("kind", "started_at", "finished_at", "settings", "model", "counts", "results"),
    ),
)
WHOLE: tuple[Whole, ...] = (
    Whole(
        "persons",
        ("id", "person_id", "canonical", "identification", "grade", "grade_reason"),
        "person_id",
        "canonical values, identification levels or grades",
    ),
    Whole("person_records", ("person_id", "record_id"), "record_id", "links"),
)
#: What ``aban audit verify`` checks, in words (README, help and bundles say so).
COVERED = (
    "every entry of the audit log, each against the one before it",
    "each import's records: their content, each in its import's source, and "
    "none under an import no entry names",
    "each row of sources, imports, persons' consent, link decisions, grade "
    "decisions (with their records), users, sessions, evidence items (with their "
    "links and publishable copies), custody events, claims and their imports, "
    "detentions, detention events and their imports, snapshots, releases and "
    "runs, against the seal the last entry that wrote it recorded",
    "as whole tables, what linking and grading derive: which records make each "
    "person, and persons' canonical values, identification levels and grades",
    "the heads that snapshots and releases recorded, which must be in the chain",
)
#: What ``aban audit verify`` does not check, in words.
NOT_COVERED = (
    "import issues and refused rows",
    "the scored pairs of the last link run",
    "the portrait cache",
    "when persons were created and updated",
    "aban's own bookkeeping (_meta, _migrations)",
)


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


def _part_rows(conn: Connection, part: Part, key: str) -> list[list[Any]]:
    columns = ", ".join(part.columns)
    return [
        list(row)
        for row in conn.execute(
            f"select {columns} from {part.table} where {part.parent} = ? "
            f"order by {columns}",
            (key,),
        )
    ]


def seal_row(conn: Connection, spec: Rows, key: str) -> str | None:
    """The seal of row ``key`` of a covered table as stored now (None: absent)."""
    row = conn.execute(f"{_select(spec)} and r.{spec.key} = ?", (key,)).fetchone()
    if row is None:
        return None
    parts = [_part_rows(conn, part, key) for part in spec.parts]
    return _seal(spec.table, key, [*row[1:], *parts])


def _all_parts(conn: Connection, part: Part) -> dict[str, list[list[Any]]]:
    columns = ", ".join(part.columns)
    grouped: dict[str, list[list[Any]]] = {}
    for parent, *values in conn.execute(
        f"select cast({part.parent} as text), {columns} from {part.table} "
        f"order by {part.parent}, {columns}"
    ):
        grouped.setdefault(parent, []).append(values)
    return grouped


def live_seals(conn: Connection, spec: Rows) -> Iterator[tuple[str, str]]:
    """Every row of a covered table with its seal, streamed."""
    parts = [_all_parts(conn, part) for part in spec.parts]
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


def _mark(spec_table: str, key: str) -> str:
    # Unqualified: a trigger's statements may not name a schema, and the name
    # finds the temporary table first.
    return (
        "insert or ignore into _aban_changed (tbl, key) "
        f"values ('{spec_table}', cast({key} as text))"
    )


def _triggers(spec: Rows) -> Iterator[str]:
    """The statements creating the triggers that note a covered table's writes."""
    name, table, key = f"_aban_{spec.table}", spec.table, spec.key

    def when(row: str) -> str:
        return f"when {spec.scope.format(r=row)} " if spec.scope else ""

    columns = ", ".join(dict.fromkeys((key, *spec.columns)))
    either = (
        f"when ({spec.scope.format(r='old')}) or ({spec.scope.format(r='new')}) "
        if spec.scope
        else ""
    )
    yield (
        f"create temp trigger {name}_i after insert on main.{table} {when('new')}"
        f"begin {_mark(table, f'new.{key}')}; end"
    )
    yield (
        f"create temp trigger {name}_u after update of {columns} on main.{table} "
        f"{either}begin {_mark(table, f'old.{key}')}; {_mark(table, f'new.{key}')}; "
        "end"
    )
    yield (
        f"create temp trigger {name}_d after delete on main.{table} {when('old')}"
        f"begin {_mark(table, f'old.{key}')}; end"
    )
    for part in spec.parts:
        pname, pcols = f"{name}_{part.table}", ", ".join((part.parent, *part.columns))
        mark_new, mark_old = (
            _mark(table, f"{row}.{part.parent}") for row in ("new", "old")
        )
        yield (
            f"create temp trigger {pname}_i after insert on main.{part.table} "
            f"begin {mark_new}; end"
        )
        yield (
            f"create temp trigger {pname}_u after update of {pcols} "
            f"on main.{part.table} begin {mark_old}; {mark_new}; end"
        )
        yield (
            f"create temp trigger {pname}_d after delete on main.{part.table} "
            f"begin {mark_old}; end"
        )


def _whole_triggers(spec: Whole) -> Iterator[str]:
    mark = _mark(f"*{spec.table}", "''")
    events = {
        "i": "insert",
        "u": f"update of {', '.join(spec.columns)}",
        "d": "delete",
    }
    for suffix, event in events.items():
        yield (
            f"create temp trigger _aban_whole_{spec.table}_{suffix} after {event} "
            f"on main.{spec.table} begin {mark}; end"
        )


def track(conn: Connection) -> None:
    """Note every write to covered state on this connection, for :func:`drain`.

    Temporary triggers, in the connection's memory: they end with it.
    """
    if _tracking(conn):
        return
    conn.execute(
        f"create table {_CHANGED} (tbl text not null, key text not null, "
        "primary key (tbl, key)) without rowid"
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


_BY_TABLE = {spec.table: spec for spec in ROWS}
_WHOLE_BY_TABLE = {spec.table: spec for spec in WHOLE}


def drain(conn: Connection) -> dict[str, Any]:
    """The seals of the rows written since the last call, for an audit entry.

    Returns:
        ``{"rows": {table: {key: seal or None}}, "tables": {table: digest}}``
        (empty parts left out; ``{}`` when nothing covered was written).
    """
    if not _tracking(conn):
        return {}
    pending = conn.execute(f"select tbl, key from {_CHANGED} order by tbl").fetchall()
    if not pending:
        return {}
    conn.execute(f"delete from {_CHANGED}")
    rows: dict[str, dict[str, str | None]] = {}
    tables: dict[str, str] = {}
    for table, group in itertools.groupby(pending, key=lambda p: str(p[0])):
        if table.startswith("*"):
            tables[table[1:]] = whole_digest(conn, _WHOLE_BY_TABLE[table[1:]])
            continue
        spec = _BY_TABLE[table]
        rows[table] = {key: seal_row(conn, spec, key) for _, key in group}
    return {name: part for name, part in (("rows", rows), ("tables", tables)) if part}


def baseline(conn: Connection) -> dict[str, Any]:
    """The seals of every covered row and the digest of every whole table now.

    The first entry a register gets after it is upgraded to a version that seals
    state holds this, so that state written before verifies from then on.
    """
    return {
        "rows": {spec.table: dict(live_seals(conn, spec)) for spec in ROWS},
        "tables": {spec.table: whole_digest(conn, spec) for spec in WHOLE},
    }


@dataclass
class Recorded:
    """What the audit log says the state is: each row's last seal and the entry
    that recorded it, and each whole table's last digest."""

    rows: dict[str, dict[str, tuple[str | None, int]]] = field(default_factory=dict)
    tables: dict[str, tuple[str, int]] = field(default_factory=dict)

    def add(self, seq: int, state: dict[str, Any]) -> None:
        for table, seals in state.get("rows", {}).items():
            recorded = self.rows.setdefault(table, {})
            for key, seal in seals.items():
                recorded[key] = (seal, seq)
        for table, digest in state.get("tables", {}).items():
            self.tables[table] = (digest, seq)


def recorded_state(conn: Connection) -> Recorded:
    """Replay the state every audit entry recorded, oldest first."""
    recorded = Recorded()
    rows = conn.execute(
        "select seq, state from audit where state is not null order by seq"
    )
    for seq, text in rows:
        recorded.add(int(seq), json.loads(text))
    return recorded


_EMPTY = hashlib.sha256().hexdigest()


def _check_rows(
    conn: Connection, spec: Rows, recorded: dict[str, tuple[str | None, int]]
) -> Iterator[tuple[str, int | None]]:
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


def check_state(conn: Connection) -> Iterator[tuple[str, int | None]]:
    """Each covered row or table that differs from what the log recorded, as
    (problem, the entry that recorded it last or None)."""
    recorded = recorded_state(conn)
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
