"""Whole-register integrity: the audit chain, then the state the chain vouches for.

:func:`verify_register` checks, in this order:

1. the chain itself (:func:`aban.store.audit.verify_chain`), against a head kept
   outside the register if one is given;
2. the records: each import's records against the digest its entry holds, each
   record in its import's source, and no record under an import no entry names;
3. every other covered table (:mod:`aban.store.coverage`, checked by
   :mod:`aban.store.state`): each entry's seals of what it found against those
   the entry before it left, each row as stored now against the seal the log
   recorded last, and the tables linking and grading derive against their
   digests;
4. the heads that snapshots and releases recorded, which must be in the chain.

Everything found is listed, the first one in ``problem``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

from aban.store.audit import ChainReport, verify_chain
from aban.store.db import Connection
from aban.store.records import check_import
from aban.store.state import Found, check_state

#: Problems listed in a report; more are counted.
LISTED = 100


def verify_register(conn: Connection, expected_head: str | None = None) -> ChainReport:
    """Check the chain, then the records and every other table it vouches for."""
    report = verify_chain(conn, expected_head)
    if not report.ok:
        return report
    found: list[Found] = []
    count = 0
    for problem in _problems(conn):
        count += 1
        if len(found) < LISTED:
            found.append(problem)
    if not found:
        return report
    return dataclasses.replace(
        report,
        broken_at=found[0][1],
        problem=found[0][0],
        mismatches=tuple(problem for problem, _ in found),
        more=count - len(found),
    )


def _problems(conn: Connection) -> Iterator[Found]:
    yield from _records(conn)
    yield from check_state(conn)
    yield from _heads(conn)


def _records(conn: Connection) -> Iterator[Found]:
    """Each import against its entry's digest; records under no named import."""
    named: set[int] = set()
    entries = conn.execute(
        "select seq, detail from audit where action = 'import' order by seq"
    ).fetchall()
    for seq, detail in entries:
        for import_id, expected in json.loads(detail).get("imports", {}).items():
            named.add(int(import_id))
            version = expected.get("digest_version", 1)
            check = check_import(conn, int(import_id), version)
            digest = check.digest
            if digest is None or (digest.count, digest.hexdigest()) != (
                expected["records"],
                expected["digest"],
            ):
                yield (
                    f"records of import {import_id} (entry {seq}) were altered or "
                    "removed",
                    seq,
                )
            elif check.moved is not None:
                yield (
                    f"records row {check.moved}: moved out of the source of its "
                    f"import {import_id} (entry {seq})",
                    seq,
                )
    unnamed = conn.execute(
        "select import_id, min(id), count(*) from records group by import_id "
        "order by import_id"
    )
    for import_id, first, count in unnamed:
        if int(import_id) not in named:
            others = f" and {count - 1} more" if count > 1 else ""
            yield (
                f"records row {first}{others}: under import {import_id}, which no "
                "audit entry names",
                None,
            )


def _heads(conn: Connection) -> Iterator[Found]:
    """Heads recorded by snapshots and releases must be hashes of the chain."""
    for table in ("count_snapshots", "releases"):
        rows = conn.execute(
            f"select id from {table} where head != '' and head not in "
            "(select hash from audit) order by id"
        )
        for (row_id,) in rows:
            yield (
                f"{table} row {row_id}: its audit head is not in the chain",
                None,
            )
