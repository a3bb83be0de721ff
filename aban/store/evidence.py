"""Evidence in the register: items, their links, custody events and derivatives.

The tables are ``evidence`` (one row per distinct content: ``sha256`` is unique),
``evidence_links`` (to persons and records), ``custody_events`` and
``evidence_derivatives`` (migration 8). Each blob's AES key lives in its row, inside
the encrypted register. The files themselves are handled by :mod:`aban.evidence`.
Givers, receivers, notes and original file names are protected: they stay in the
register and reach only the local user (``--show-protected``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from aban.errors import StoreError
from aban.store.db import Connection
from aban.store.rows import LIVE_PERSON
from aban.vocab.ids import format_evidence_id

#: Evidence kinds (DESIGN.md 3). A video becomes ``verified_video`` once verified:
#: the grading rules' default ``evidence_kinds`` confirm a person with it.
KINDS = (
    "video",
    "verified_video",
    "photo",
    "portrait",
    "death_certificate",
    "burial_certificate",
    "testimony",
    "document",
)
#: Kinds whose publishable copy is a re-encoded image without metadata.
IMAGE_KINDS = ("photo", "portrait")
VIDEO_KINDS = ("video", "verified_video")
_EVIDENCE_ID = re.compile(r"^[Ee]?0*(\d{1,12})$")


@dataclass(frozen=True)
class StoredBlob:
    """A blob as the register knows it: file name, key, plaintext digest and size."""

    blob_id: str
    key: bytes
    sha256: str
    size: int


@dataclass(frozen=True)
class StoredEvidence:
    """One evidence row: its original's blob, kind and publishable flag."""

    row_id: int
    kind: str
    publishable: bool
    blob: StoredBlob

    @property
    def evidence_id(self) -> str:
        return format_evidence_id(self.row_id)


_SELECT = "select id, kind, publishable, blob_id, data_key, sha256, size from evidence"


def _stored(row: tuple[Any, ...]) -> StoredEvidence:
    row_id, kind, publishable, blob_id, key, sha256, size = row
    blob = StoredBlob(blob_id, bytes(key or b""), sha256, int(size))
    return StoredEvidence(int(row_id), kind, bool(publishable), blob)


def find_evidence(conn: Connection, text: str) -> StoredEvidence:
    """The evidence item ``text`` names (``E000012``, ``E12`` or ``12``).

    Raises:
        StoreError: not an evidence id, or no such item.
    """
    match = _EVIDENCE_ID.match(text.strip())
    if not match:
        raise StoreError(
            "not an evidence id: evidence ids look like E000012 "
            "('aban evidence list' shows them)"
        )
    evidence_id = format_evidence_id(int(match.group(1)))
    row = conn.execute(f"{_SELECT} where id = ?", (int(match.group(1)),)).fetchone()
    if row is None:
        raise StoreError(f"no evidence {evidence_id} in the register: check the id")
    return _stored(row)


def evidence_by_sha(conn: Connection, sha256: str) -> StoredEvidence | None:
    """The item holding content with this SHA-256, if any."""
    row = conn.execute(f"{_SELECT} where sha256 = ?", (sha256,)).fetchone()
    return None if row is None else _stored(row)


def insert_evidence(
    conn: Connection,
    blob: StoredBlob,
    kind: str,
    original_name: str | None,
    publishable: bool,
    at: str,
) -> int:
    """Store a new item (in the caller's transaction); return its row id."""
    cursor = conn.execute(
        "insert into evidence (sha256, kind, blob_id, data_key, original_name, "
        "size, publishable, added_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            blob.sha256,
            kind,
            blob.blob_id,
            blob.key,
            original_name,
            blob.size,
            int(publishable),
            at,
        ),
    )
    return int(cursor.lastrowid)


def find_record(conn: Connection, text: str) -> tuple[int, int | None]:
    """The row id of record ``SOURCE:RECORD_ID`` and of the person holding it.

    Source names and record ids may hold colons: every split is tried.

    Raises:
        StoreError: no record matches.
    """
    for at in (i for i, char in enumerate(text) if char == ":"):
        row = conn.execute(
            "select r.id, pr.person_id from records r "
            "join sources s on s.id = r.source_id "
            "left join person_records pr on pr.record_id = r.id "
            "where s.name = ? and r.record_id = ?",
            (text[:at], text[at + 1 :]),
        ).fetchone()
        if row is not None:
            return int(row[0]), None if row[1] is None else int(row[1])
    raise StoreError(
        f"no record {text} in the register: give SOURCE:RECORD_ID, the source's "
        "name and the record_id of its file"
    )


def add_link(
    conn: Connection, row_id: int, person: int | None, record: int | None
) -> bool:
    """Link an item to a person and/or a record; False if that link exists."""
    exists = conn.execute(
        "select 1 from evidence_links where evidence_id = ? "
        "and person_id is ? and record_id is ?",
        (row_id, person, record),
    ).fetchone()
    if exists:
        return False
    conn.execute(
        "insert into evidence_links (evidence_id, person_id, record_id) "
        "values (?, ?, ?)",
        (row_id, person, record),
    )
    return True


@dataclass(frozen=True)
class Custody:
    """One custody event: who received the file from whom, when (protected)."""

    custody_id: int
    happened_at: str
    received_from: str | None
    received_by: str | None
    note: str | None
    recorded_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.custody_id,
            "at": self.happened_at,
            "from": self.received_from,
            "by": self.received_by,
            "note": self.note,
            "recorded_at": self.recorded_at,
        }


def add_custody(conn: Connection, row_id: int, event: Custody) -> int:
    """Store a custody event for an item; return its id (``event.custody_id`` is
    ignored)."""
    cursor = conn.execute(
        "insert into custody_events (evidence_id, received_from, received_by, "
        "happened_at, note, recorded_at) values (?, ?, ?, ?, ?, ?)",
        (
            row_id,
            event.received_from,
            event.received_by,
            event.happened_at,
            event.note,
            event.recorded_at,
        ),
    )
    return int(cursor.lastrowid)


def set_evidence(conn: Connection, row_id: int, **values: Any) -> None:
    """Change ``kind`` and/or ``publishable`` of an item."""
    for column in ("kind", "publishable"):
        if column in values:
            # Column names come from the fixed tuple above, never from input.
            conn.execute(
                f"update evidence set {column} = ? where id = ?",
                (values[column], row_id),
            )


def insert_derivative(
    conn: Connection, row_id: int, blob: StoredBlob, media_type: str, at: str
) -> None:
    """Store the publishable copy's blob of an item."""
    conn.execute(
        "insert into evidence_derivatives (evidence_id, blob_id, data_key, sha256, "
        "size, media_type, created_at) values (?, ?, ?, ?, ?, ?, ?)",
        (row_id, blob.blob_id, blob.key, blob.sha256, blob.size, media_type, at),
    )


def derivative_of(conn: Connection, row_id: int) -> StoredBlob | None:
    """The publishable copy's blob of an item, if it has one."""
    row = conn.execute(
        "select blob_id, data_key, sha256, size from evidence_derivatives "
        "where evidence_id = ?",
        (row_id,),
    ).fetchone()
    return None if row is None else StoredBlob(row[0], bytes(row[1]), row[2], row[3])


def all_blobs(conn: Connection) -> list[tuple[str, StoredBlob]]:
    """Every blob the register knows, labeled ``E000001`` or ``E000001 copy``."""
    found = [
        (format_evidence_id(e.row_id), e.blob)
        for e in map(_stored, conn.execute(f"{_SELECT} order by id"))
    ]
    for row_id, blob_id, key, sha256, size in conn.execute(
        "select evidence_id, blob_id, data_key, sha256, size "
        "from evidence_derivatives order by evidence_id"
    ):
        label = f"{format_evidence_id(int(row_id))} copy"
        found.append((label, StoredBlob(blob_id, bytes(key), sha256, int(size))))
    return found


@dataclass(frozen=True)
class EvidenceItem:
    """One item as ``aban evidence list`` shows it.

    ``to_dict()`` holds ids, digests, counts and vocabulary only; with
    ``show_protected`` it adds the original file name, the linked records
    (``SOURCE:RECORD_ID``) and the custody events with givers and receivers.
    """

    evidence_id: str
    sha256: str
    kind: str
    size: int
    publishable: bool
    derivative: bool
    added_at: str
    persons: tuple[str, ...]
    records: tuple[str, ...]
    custody: tuple[Custody, ...]
    original_name: str | None = field(default=None, repr=False)

    def to_dict(self, show_protected: bool = False) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": self.evidence_id,
            "sha256": self.sha256,
            "kind": self.kind,
            "size": self.size,
            "publishable": self.publishable,
            "derivative": self.derivative,
            "added_at": self.added_at,
            "persons": list(self.persons),
            "records": len(self.records),
            "custody_events": len(self.custody),
        }
        if show_protected:
            shown["original_name"] = self.original_name
            shown["linked_records"] = list(self.records)
            shown["custody"] = [c.to_dict() for c in self.custody]
        return shown


def _links(conn: Connection) -> tuple[dict[int, set[str]], dict[int, list[str]]]:
    """The live persons (:data:`aban.store.rows.LIVE_PERSON`) each item is linked
    to, directly or through a record; and the records it is linked to.

    A dormant person (all its records retracted) is listed nowhere, as in every
    other listing: its links stay, and it is named again when its records return.
    """
    persons: dict[int, set[str]] = {}
    records: dict[int, list[str]] = {}
    for row_id, person in conn.execute(
        "select l.evidence_id, p.person_id from evidence_links l "
        f"join persons p on p.id = l.person_id where {LIVE_PERSON} union all "
        "select l.evidence_id, p.person_id from evidence_links l "
        "join person_records pr on pr.record_id = l.record_id "
        f"join persons p on p.id = pr.person_id where {LIVE_PERSON}"
    ):
        persons.setdefault(int(row_id), set()).add(str(person))
    for row_id, source, record_id in conn.execute(
        "select l.evidence_id, s.name, r.record_id from evidence_links l "
        "join records r on r.id = l.record_id "
        "join sources s on s.id = r.source_id order by l.rowid"
    ):
        records.setdefault(int(row_id), []).append(f"{source}:{record_id}")
    return persons, records


def _custody(conn: Connection) -> dict[int, list[Custody]]:
    events: dict[int, list[Custody]] = {}
    for row_id, *values in conn.execute(
        "select evidence_id, id, happened_at, received_from, received_by, note, "
        "recorded_at from custody_events order by happened_at, id"
    ):
        events.setdefault(int(row_id), []).append(Custody(*values))
    return events


def list_evidence(conn: Connection) -> list[EvidenceItem]:
    """Every evidence item, oldest first, with its links and custody events."""
    persons, records = _links(conn)
    custody = _custody(conn)
    copies = {
        int(r) for (r,) in conn.execute("select evidence_id from evidence_derivatives")
    }
    items = []
    for row_id, sha256, kind, size, publishable, added_at, name in conn.execute(
        "select id, sha256, kind, size, publishable, added_at, original_name "
        "from evidence order by id"
    ):
        items.append(
            EvidenceItem(
                format_evidence_id(row_id),
                sha256,
                kind,
                int(size),
                bool(publishable),
                row_id in copies,
                added_at,
                tuple(sorted(persons.get(row_id, ()))),
                tuple(records.get(row_id, ())),
                tuple(custody.get(row_id, ())),
                name,
            )
        )
    return items
