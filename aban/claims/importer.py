"""Importing a claims CSV into the register: all of it, or nothing.

A file with any row error imports nothing. The same file content again is a no-op
(its SHA-256 is kept in ``claim_imports``). A claim already in the register (the
same fields, from another file) is counted as unchanged and not stored twice; its
Persian claimant and kind, when the file gives them, are kept (``claim_texts``). An
import that writes adds one audit entry holding counts and the file's digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aban.claims.parse import Claim, ClaimsFile, read_claims
from aban.ingest.issues import FileImport, fail
from aban.store.db import Connection, transaction
from aban.store.workspace import Workspace, now

__all__ = ["ClaimsImportResult", "import_claims", "stored_claims"]


@dataclass
class ClaimsImportResult(FileImport):
    """What a claims import did. ``refused`` means nothing was written."""

    accepted: int = 0

    def counts(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "unchanged": self.unchanged}


def import_claims(
    ws: Workspace, path: Path, *, today: dt.date | None = None
) -> ClaimsImportResult:
    """Import the claims of one CSV file into the workspace's register.

    Args:
        ws: an open workspace.
        path: a claims CSV (see :mod:`aban.claims.parse` for its rules).
        today: the date after which claim dates are in the future (default: today).

    Returns:
        What was imported; ``refused`` if row errors stopped it (nothing written),
        ``already_imported`` if this content was imported before (nothing written).

    Raises:
        FileIssueError: the file cannot be read as claims (nothing written).
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise fail("file-not-found", path.name) from err
    result = ClaimsImportResult(path.name, hashlib.sha256(data).hexdigest())
    if _imported_before(ws.conn, result.content_sha256):
        result.already_imported = True
        return result
    parsed = read_claims(data, path.name, today=today, settings=ws.settings)
    result.rows, result.issues = parsed.rows, list(parsed.issues)
    if parsed.errors:
        result.refused = True
        return result
    with transaction(ws.conn):
        _store(ws, parsed, result)
    return result


def _imported_before(conn: Connection, sha: str) -> bool:
    row = conn.execute(
        "select 1 from claim_imports where content_sha256 = ?", (sha,)
    ).fetchone()
    return row is not None


def _store(ws: Workspace, parsed: ClaimsFile, result: ClaimsImportResult) -> None:
    """Write the import, its new claims and the audit entry (in a transaction)."""
    conn, stamp = ws.conn, now()
    import_id = int(
        conn.execute(
            "insert into claim_imports (file_name, content_sha256, rows_read, "
            "accepted, unchanged, imported_at) values (?, ?, 0, 0, 0, ?)",
            (result.file, result.content_sha256, stamp),
        ).lastrowid
    )
    for claim in parsed.claims:
        digest = claim.digest()
        found = conn.execute(
            "select id from claims where digest = ?", (digest,)
        ).fetchone()
        if found:
            result.unchanged += 1
            _store_persian(conn, int(found[0]), claim)
            continue
        cursor = conn.execute(
            "insert into claims (claimant, claim_date, low, high, kind, scope, "
            "method, citation, import_id, row_number, digest, added_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                claim.claimant,
                claim.date,
                claim.low,
                claim.high,
                claim.kind,
                claim.scope,
                claim.method,
                claim.citation,
                import_id,
                claim.row,
                digest,
                stamp,
            ),
        )
        _store_persian(conn, int(cursor.lastrowid), claim)
        result.accepted += 1
    conn.execute(
        "update claim_imports set rows_read = ?, accepted = ?, unchanged = ? "
        "where id = ?",
        (result.rows, result.accepted, result.unchanged, import_id),
    )
    result.head = ws.record_audit(
        "claims-import",
        {
            "file_sha256": result.content_sha256,
            "rows": result.rows,
            "accepted": result.accepted,
            "unchanged": result.unchanged,
        },
    )


def _store_persian(conn: Connection, claim_id: int, claim: Claim) -> None:
    """Keep a claim's Persian claimant and kind (``claim_texts``), when given: a
    file that adds them to claims already stored adds them there."""
    if not (claim.claimant_fa or claim.kind_fa):
        return
    conn.execute(
        "insert into claim_texts (claim_id, claimant_fa, kind_fa) values (?, ?, ?) "
        "on conflict (claim_id) do update set "
        "claimant_fa = coalesce(excluded.claimant_fa, claimant_fa), "
        "kind_fa = coalesce(excluded.kind_fa, kind_fa)",
        (claim_id, claim.claimant_fa, claim.kind_fa),
    )


def stored_claims(conn: Connection) -> list[Claim]:
    """Every claim in the register, by date, then claimant, then id."""
    rows = conn.execute(
        "select c.id, claimant, claim_date, low, high, citation, kind, scope, "
        "method, t.claimant_fa, t.kind_fa from claims c "
        "left join claim_texts t on t.claim_id = c.id "
        "order by claim_date, claimant, c.id"
    )
    return [
        Claim(
            row[1],
            row[2] or "",
            row[3],
            row[4],
            row[5] or "",
            row[6],
            row[7],
            row[8],
            claim_id=int(row[0]),
            claimant_fa=row[9],
            kind_fa=row[10],
        )
        for row in rows
    ]
