"""Records as stored, and the digest that lets the audit log vouch for them.

Records are append-only: a source's statement is never edited. Each import's audit entry
holds a SHA-256 over every stored column of the records it wrote, so an edit or deletion
of a record behind the tool's back is found by ``aban audit verify``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from aban.store.db import Connection

RECORD_FIELDS = (
    "record_id",
    "row_number",
    "raw",
    "content_sha256",
    "script",
    "full_name",
    "full_name_norm",
    "given_name",
    "given_name_norm",
    "family_name",
    "family_name_norm",
    "father_name",
    "father_name_norm",
    "sex",
    "age",
    "birth_date",
    "date_of_death",
    "city",
    "city_norm",
    "province",
    "province_norm",
    "country",
    "status",
    "cause",
    "injury_location",
    "circumstances",
    "occupation",
    "national_id",
    "informant",
    "contact",
    "notes_private",
)
INSERT_RECORD = (
    f"insert into records (source_id, import_id, {', '.join(RECORD_FIELDS)}) "
    f"values (?, ?, {', '.join('?' * len(RECORD_FIELDS))})"
)


class RecordsDigest:
    """A running SHA-256 over stored record rows, in insertion order."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.count = 0

    def add(self, values: Sequence[Any]) -> None:
        # repr of a tuple of str, int and None is canonical and round-trips through
        # SQLite unchanged, and is several times cheaper than JSON.
        self._hash.update(repr(tuple(values)).encode("utf-8") + b"\n")
        self.count += 1

    def add_many(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Add ``rows`` (tuples) in order: the same digest as adding each in turn."""
        if rows:
            self._hash.update(("\n".join(map(repr, rows)) + "\n").encode("utf-8"))
            self.count += len(rows)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def import_digest(conn: Connection, import_id: int) -> RecordsDigest:
    """Recompute the digest of the records an import wrote, from the register."""
    digest = RecordsDigest()
    rows = conn.execute(
        f"select {', '.join(RECORD_FIELDS)} from records where import_id = ? "
        "order by id",
        (import_id,),
    )
    for row in rows:
        digest.add(row)
    return digest
