"""Whole-register integrity: the audit chain, and the records imports vouched for."""

from __future__ import annotations

import json

from aban.store.audit import ChainReport, verify_chain
from aban.store.db import Connection
from aban.store.records import import_digest


def verify_register(conn: Connection, expected_head: str | None = None) -> ChainReport:
    """Check the chain, then every import's records against the digest in its entry."""
    report = verify_chain(conn, expected_head)
    if not report.ok:
        return report
    entries = conn.execute(
        "select seq, detail from audit where action = 'import' order by seq"
    ).fetchall()
    for seq, detail in entries:
        for import_id, expected in json.loads(detail).get("imports", {}).items():
            version = expected.get("digest_version", 1)
            digest = import_digest(conn, int(import_id), version)
            if digest is None or (digest.count, digest.hexdigest()) != (
                expected["records"],
                expected["digest"],
            ):
                return ChainReport(
                    report.entries,
                    report.head,
                    seq,
                    f"records of import {import_id} (entry {seq}) were altered or "
                    "removed",
                )
    return report
