"""A new version of a list (``aban import --replace``): what it changes.

Against the records its source holds, each row of the new version is unchanged,
changed (the record keeps its row id, on which reviewers' decisions, consents and
discounts are anchored, and takes the new values; the old ones move to
``record_versions`` under the import that wrote them, so that import's digest
still verifies), new (added as in any import) or back (a record an earlier version
left out, no longer retracted). A record of the source that no row of the new
version names is retracted: kept, and counted nowhere; unless the file is a
correction of the records it names only (a record edited in the web app).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aban.errors import ConfigError, StoreError
from aban.ingest.rows import PreparedBatch
from aban.store.db import Connection
from aban.store.records import DIGEST_VERSION, RECORD_FIELDS, import_digest
from aban.store.retractions import (
    open_retraction,
    retract_records,
    unretract_records,
)
from aban.text.identifiers import normalise_identifier

if TYPE_CHECKING:
    from aban.ingest.storing import ImportState

_COLUMNS = ", ".join(RECORD_FIELDS)
_SAVE_VERSION = (
    f"insert into record_versions (record_row, import_id, source_id, {_COLUMNS}, "
    f"superseded_by) select id, import_id, source_id, {_COLUMNS}, ? "
    "from records where id = ?"
)
_UPDATE = (
    f"update records set {', '.join(f'{c} = ?' for c in RECORD_FIELDS)}, "
    "import_id = ? where id = ?"
)


def check_replace(conn: Connection, source: str, sha: str) -> None:
    """Refuse a new version of a retracted source's list, or a file that was an
    earlier version (the latest again is a no-op, as any import of the same file).

    Raises:
        ConfigError: either.
    """
    if open_retraction(conn, source) is not None:
        raise ConfigError(
            "the source is retracted; restore it ('aban source restore') before "
            "importing a new version of its list"
        )
    rows = conn.execute(
        "select i.id, i.content_sha256 from imports i join sources s "
        "on s.id = i.source_id where s.name = ? order by i.id",
        (source,),
    ).fetchall()
    earlier = [int(i) for i, digest in rows[:-1] if digest == sha]
    if earlier and rows[-1][1] != sha:
        raise ConfigError(
            f"this file was imported before for this source (import {earlier[0]}), "
            "and a later version since; a list cannot go back to a file imported "
            "already: change the file (an empty line at the end of a CSV will do) and "
            "import it again with --replace"
        )


def stored_rows(conn: Connection, source_id: int) -> dict[str, tuple[int, bool]]:
    """Each record id of a source (in NFC) to its row id and whether retracted."""
    rows = conn.execute(
        "select r.record_id, r.id, exists (select 1 from retractions x "
        "where x.record_id = r.id) from records r where r.source_id = ?",
        (source_id,),
    )
    return {
        normalise_identifier(rid): (int(row), bool(gone)) for rid, row, gone in rows
    }


def replaced(batch: ImportState, rows: PreparedBatch, k: int, stored: str) -> bool:
    """Note row ``k``, whose record id the source holds: unchanged or changed, and
    back if it was retracted. Always False: the writer inserts no row for it."""
    row_id, retracted = batch.row_ids[rows.sources[k]][rows.record_ids[k]]
    if retracted:
        batch.returned.append(row_id)
    record = rows.records[k]
    if stored == rows.shas[k] or record is None:
        batch.result.unchanged += 1
    else:
        batch.changed.append((row_id, record))
        batch.result.accepted += 1
    return False


def finish_replace(batch: ImportState, at: str) -> dict[str, int]:
    """Write what a new version changed, in the import's transaction; return counts.

    The import's digest is then taken from the register, in row order, as
    verification reads it (changed records keep their earlier row ids).
    """
    conn = batch.ws.conn
    if not batch.sources:  # no row: a file with no rows changes nothing
        return {}
    ((source, import_id),) = batch.sources.items()
    for row_id, record in batch.changed:
        conn.execute(_SAVE_VERSION, (import_id, row_id))
        conn.execute(_UPDATE, (*record, import_id, row_id))
    seen = batch.seen[source]
    gone = [
        row_id
        for rid, (row_id, retracted) in batch.row_ids[source].items()
        if not retracted and rid not in seen and not batch.keep_others
    ]
    retract_records(conn, gone, at, import_id=import_id)
    unretract_records(conn, batch.returned)
    changed = len(batch.changed)
    counts = {
        "added": batch.result.accepted - changed,
        "changed": changed,
        "retracted": len(gone),
        "returned": len(batch.returned),
    }
    conn.execute(
        "insert into import_changes (import_id, added, changed, retracted, returned) "
        "values (:import_id, :added, :changed, :retracted, :returned)",
        {"import_id": import_id, **counts},
    )
    digest = import_digest(conn, import_id, DIGEST_VERSION)
    if digest is None:  # the rows were written in this transaction: cannot happen
        raise StoreError(f"import {import_id}: records do not match their digests")
    batch.digests[import_id] = digest
    return counts
