"""Records as stored, and the digest that lets the audit log vouch for them.

Records are append-only: a source's statement is never edited. Each import's audit entry
holds a SHA-256 over the stored columns of the records it wrote, so an edit or deletion
of a record behind the tool's back is found by ``aban audit verify``.

Digest versions (the entry's ``digest_version``; entries without one are version 1):

1. every stored column, the raw JSON included;
2. every stored column but the raw JSON, which ``content_sha256`` (digested) vouches
   for: verification checks each record's raw JSON against it. A third cheaper to
   compute on import.
3. as 2, with the columns migration 11 added (``alleged_force`` and its normalised
   form). Versions 1 and 2 digest only the columns that existed when they were
   written (:data:`LEGACY_FIELDS`), so imports made before the migration verify
   as before.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aban.store.db import Connection
from aban.vocab.ids import record_key

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
    "alleged_force",
    "alleged_force_norm",
)
#: The stored columns before migration 11: those digest versions 1 and 2 cover.
LEGACY_FIELDS = RECORD_FIELDS[: RECORD_FIELDS.index("alleged_force")]
INSERT_RECORD = (
    f"insert into records (source_id, import_id, {', '.join(RECORD_FIELDS)}) "
    f"values (?, ?, {', '.join('?' * len(RECORD_FIELDS))})"
)


#: The digest version new imports use.
DIGEST_VERSION = 3
_RAW, _SHA = RECORD_FIELDS.index("raw"), RECORD_FIELDS.index("content_sha256")
_LEGACY = len(LEGACY_FIELDS)
#: The columns each digest version covers, as a function of a full record row.
_DIGESTED: dict[int, Callable[[Any], Any]] = {
    1: operator.itemgetter(slice(0, _LEGACY)),
    2: operator.itemgetter(*(i for i in range(_LEGACY) if i != _RAW)),
    3: operator.itemgetter(*(i for i in range(len(RECORD_FIELDS)) if i != _RAW)),
}


class RecordsDigest:
    """A running SHA-256 over stored record rows (in ``RECORD_FIELDS`` order), in
    insertion order.

    Args:
        version: the digest version (see the module docstring).
    """

    def __init__(self, version: int = DIGEST_VERSION) -> None:
        if version not in _DIGESTED:
            raise ValueError(f"unknown records digest version {version}")
        self.version = version
        self._hash = hashlib.sha256()
        self._columns = _DIGESTED[version]
        self.count = 0

    def add(self, values: Sequence[Any]) -> None:
        self.add_many([tuple(values)])

    def add_many(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Add ``rows`` in order: the same digest as adding each in turn."""
        if rows:
            # repr of a tuple of str, int and None is canonical and round-trips
            # through SQLite unchanged, and is several times cheaper than JSON.
            text = "\n".join(map(repr, map(self._columns, rows)))
            self._hash.update((text + "\n").encode("utf-8"))
            self.count += len(rows)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def raw_matches(row: Sequence[Any]) -> bool:
    """Whether a record row's raw JSON has the SHA-256 the row holds for it."""
    sha = hashlib.sha256(str(row[_RAW]).encode("utf-8")).hexdigest()
    return bool(sha == row[_SHA])


@dataclass(frozen=True)
class ImportCheck:
    """An import's records as stored, checked against what its entry vouched for.

    Attributes:
        digest: the digest of its records, or None if (from version 2) a record's
            raw JSON does not match its ``content_sha256``.
        moved: the row id of the first record whose source is not the import's
            (an import writes the records of one source), if any.
    """

    digest: RecordsDigest | None
    moved: int | None = None


def check_import(conn: Connection, import_id: int, version: int = 1) -> ImportCheck:
    """Recompute the digest of the records an import wrote, from the register, and
    check that each is still in the import's source (no digest version covers
    the source: the import's own row does, sealed by the audit log)."""
    row = conn.execute(
        "select source_id from imports where id = ?", (import_id,)
    ).fetchone()
    source = None if row is None else row[0]
    digest, moved = RecordsDigest(version), None
    cursor = conn.execute(*_as_written(conn, import_id))
    while chunk := cursor.fetchmany(5000):
        if version >= 2 and not all(map(raw_matches, chunk)):
            return ImportCheck(None)
        if moved is None and source is not None:
            moved = next((r[-1] for r in chunk if r[-2] != source), None)
        digest.add_many(chunk)
    return ImportCheck(digest, moved)


def _as_written(conn: Connection, import_id: int) -> tuple[str, tuple[int, ...]]:
    """The query of an import's records as it wrote them: those a later version of
    their list changed are read from ``record_versions`` (in their row's place)."""
    # The source and row id come last: the digested columns keep their places.
    columns = f"{', '.join(RECORD_FIELDS)}, source_id"
    current = f"select {columns}, id from records where import_id = ?"
    versions = conn.execute(
        "select 1 from record_versions where import_id = ? limit 1", (import_id,)
    ).fetchone()
    if versions is None:
        return f"{current} order by id", (import_id,)
    return (
        f"{current} union all select {columns}, record_row from record_versions "
        f"where import_id = ? order by {len(RECORD_FIELDS) + 2}",
        (import_id, import_id),
    )


def import_digest(
    conn: Connection, import_id: int, version: int = 1
) -> RecordsDigest | None:
    """Recompute the digest of the records an import wrote, from the register.

    Returns:
        The digest, or None if (from version 2) a record's raw JSON does not match
        its ``content_sha256``.
    """
    return check_import(conn, import_id, version).digest


def record_keys(conn: Connection) -> dict[str, int]:
    """Every record's linkage key mapped to its row id."""
    rows = conn.execute(
        "select r.id, s.name, r.record_id from records r "
        "join sources s on s.id = r.source_id"
    )
    return {record_key(name, rid): int(row_id) for row_id, name, rid in rows}
