"""A register with a row in every table the audit log vouches for, and the changes
an insider holding the passphrase could make to it behind aban's back (issue 13).

Everything here is synthetic. :func:`build_register` fills a workspace only through
aban's own audited functions, so the register verifies; each entry of
:data:`TAMPERS` then changes it with raw SQL on a connection of its own, as someone
with the passphrase and an SQLite shell would, and names what ``aban audit verify``
must report.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlcipher3

from aban.claims.importer import import_claims
from aban.claims.snapshots import freeze_snapshot
from aban.demo import MODEL_CASE, examples_dir
from aban.detention.register import import_detention_events
from aban.evidence import add_evidence
from aban.evidence.blobs import commit_blob, write_blob
from aban.grade.register import discount_person, grade_workspace, set_consent
from aban.grade.rules import load_rules
from aban.ingest.importer import import_file
from aban.linkage.register import decide_pair, link_workspace
from aban.site.releases import record_release
from aban.store import audit, state, users
from aban.store.db import PAGE_SIZE
from aban.store.sources import update_source
from aban.store.workspace import REGISTER_NAME, create_workspace
from aban.web.security import create_session
from tests.conftest import PASSPHRASE
from tests.evidence.test_derivative import exif_jpeg
from tests.store.fake_linker import FakeLinker

#: Synthetic names and protected values: none may appear in what verify prints.
CANARIES = ("Zqxalpha", "Zqxbeta", "Zqxgamma", "Zqxgiver", "Zqxnote", "zqxinformant")
NGO = [
    {"record_id": "n1", "full_name": "Zqxalpha Testi", "status": "killed"},
    {"record_id": "n2", "full_name": "Zqxbeta Testi", "status": "killed"},
    {"record_id": "n3", "full_name": "Zqxgamma Testi", "status": "killed"},
]
WITNESS = [
    {
        "record_id": "w1",
        "full_name": "Zqxalpha Testi",
        "status": "killed",
        "informant": "zqxinformant one",
    },
]
EVENTS = [
    ("n1", "", "2019-11-16", "arrested", "Prison A", "ngo", "Zqxnote event"),
]


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, sorted({k for row in rows for k in row}))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _write_events(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ("record_id", "person_id", "date", "status", "place", "source", "note")
        )
        writer.writerows(EVENTS)
    return path


def build_register(root: Path) -> tuple[Path, str]:
    """Fill a workspace under ``root`` through aban's audited functions.

    Returns:
        The workspace folder and the audit head after the last write.
    """
    path, files = root / "ws", root / "in"
    files.mkdir()
    with create_workspace(path, PASSPHRASE) as ws:
        for name, rows in (("ngo", NGO), ("witness_a", WITNESS)):
            result = import_file(
                ws, _write_csv(files / f"{name}.csv", rows), source=name
            )
            assert not result.refused, [i.render() for i in result.issues]
        update_source(ws, "witness_a", kind="witness")
        link_workspace(ws, linker=FakeLinker())
        rules = load_rules(ws.path)
        grade_workspace(ws, rules)
        n1, n2 = (
            ws.conn.execute(
                "select id from records where record_id = ?", (rid,)
            ).fetchone()[0]
            for rid in ("n1", "n2")
        )
        decide_pair(ws, SimpleNamespace(record_a=n1, record_b=n2), "non_match")
        set_consent(ws, "P000001", "withheld")
        discount_person(ws, "P000003", "duplicate", rules, note="Zqxnote discount")
        hasher = users.HASHER
        users.HASHER = users.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        try:
            user, _ = users.add_user(ws, "ana", "viewer", "a long enough password")
        finally:
            users.HASHER = hasher
        create_session(ws, user)
        document = files / "certificate.pdf"
        document.write_bytes(b"%PDF-1.4 synthetic certificate\n")
        add_evidence(
            ws,
            document,
            kind="death_certificate",
            person="P000001",
            received_from="Zqxgiver One",
        )
        portrait = files / "portrait.jpg"
        portrait.write_bytes(exif_jpeg())
        add_evidence(ws, portrait, kind="portrait", person="P000002")
        import_claims(ws, examples_dir() / MODEL_CASE / "claims.csv")
        events = import_detention_events(ws, _write_events(files / "events.csv"))
        assert not events.refused, [i.render() for i in events.issues]
        freeze_snapshot(ws, "spring")
        record_release(ws, "ab" * 32, {"listed": 2}, {"fields": []}, "2020-01-01")
        # Every write above sealed what it wrote into its own entry.
        assert state.drain(ws.conn) == {}
        head = audit.head(ws.conn)
    return path, head


def raw(workspace: Path) -> Any:
    """A plain SQLCipher connection to the register: an insider's SQLite shell."""
    conn = sqlcipher3.connect(str(workspace / REGISTER_NAME), isolation_level=None)
    conn.execute(f"pragma key = '{PASSPHRASE}'")
    conn.execute(f"pragma cipher_page_size = {PAGE_SIZE}")
    return conn


def _swap_evidence(conn: Any, workspace: Path) -> None:
    """Replace E000001's file, key and SHA-256 together with another content."""
    content = b"%PDF-1.4 another certificate\n"
    folder = workspace / "evidence"
    blob = write_blob(folder, io.BytesIO(content))
    commit_blob(folder, blob.blob_id)
    (old,) = conn.execute("select blob_id from evidence where id = 1").fetchone()
    (folder / old).unlink()
    conn.execute(
        "update evidence set sha256 = ?, blob_id = ?, data_key = ?, size = ? "
        "where id = 1",
        (hashlib.sha256(content).hexdigest(), blob.blob_id, blob.key, len(content)),
    )


def _rechain(conn: Any, workspace: Path) -> None:
    """Edit an old entry, then recompute every hash after it: a rewritten log."""
    conn.execute(
        "update audit set detail = '{\"schema\":1}' where seq = 1 and action = 'init'"
    )
    prev = audit.GENESIS
    rows = conn.execute(
        "select seq, at, actor, action, detail, state from audit order by seq"
    ).fetchall()
    for seq, at, actor, action, detail, sealed in rows:
        digest = audit.entry_hash(seq, at, actor, action, detail, prev, sealed)
        conn.execute(
            "update audit set prev_hash = ?, hash = ? where seq = ?",
            (prev, digest, seq),
        )
        prev = digest


def _sql(*statements: str) -> Callable[[Any, Path], None]:
    def change(conn: Any, workspace: Path) -> None:
        for statement in statements:
            conn.execute(statement)

    return change


@dataclass(frozen=True)
class Tamper:
    """A change behind aban's back, and the words verify must print for it."""

    name: str
    change: Callable[[Any, Path], None]
    expected: tuple[str, ...]


def _source(name: str) -> str:
    return f"(select id from sources where name = '{name}')"


TAMPERS = (
    Tamper(
        "record moved to another source",
        _sql(
            f"update records set source_id = {_source('witness_a')} "
            "where record_id = 'n2'"
        ),
        ("records row 2",),
    ),
    Tamper(
        "records inserted under an import no entry names",
        _sql(
            "insert into imports (id, source_id, file_name, content_sha256, "
            "file_format, rows_read, accepted, unchanged, rejected, imported_at) "
            f"values (90, {_source('ngo')}, 'x.csv', 'cd', 'csv', 1, 1, 0, 0, '2020')",
            "insert into records (id, source_id, import_id, record_id, row_number, "
            "raw, content_sha256, script) "
            f"values (91, {_source('ngo')}, 90, 'n9', 2, '{{}}', "
            f"'{hashlib.sha256(b'{}').hexdigest()}', 'latin')",
        ),
        ("records row 91", "import 90"),
    ),
    Tamper(
        "import counts changed",
        _sql("update imports set accepted = 9 where id = 1"),
        ("imports row 1",),
    ),
    Tamper(
        "consent changed",
        _sql("update persons set consent = 'public' where person_id = 'P000001'"),
        ("persons P000001", "consent"),
    ),
    Tamper(
        "consent given to a person without one",
        _sql("update persons set consent = 'public' where person_id = 'P000002'"),
        ("persons P000002", "consent"),
    ),
    Tamper(
        "source unprotected",
        _sql("update sources set protected = 0 where name = 'witness_a'"),
        ("sources row 2",),
    ),
    Tamper(
        "source made a list",
        _sql("update sources set is_list = 1, reliability = 'A' where name = 'ngo'"),
        ("sources row 1",),
    ),
    Tamper(
        "grade raised",
        _sql("update persons set grade = 'confirmed' where person_id = 'P000002'"),
        ("persons rows 0-1023: grades changed",),
    ),
    Tamper(
        "record moved to another person",
        _sql(
            "update person_records set person_id = "
            "(select id from persons where person_id = 'P000002') "
            "where record_id = 3"
        ),
        ("person_records of records 0-1023",),
    ),
    Tamper(
        "link decision reversed",
        _sql("update link_decisions set decision = 'match'"),
        ("link_decisions row 1",),
    ),
    Tamper(
        "discount quietly restored",
        _sql("update grade_decisions set restored_at = '2020-01-01'"),
        ("grade_decisions row 1",),
    ),
    Tamper(
        "discount moved to other records",
        _sql("update grade_decision_records set record_id = 1"),
        ("grade_decisions row 1",),
    ),
    Tamper(
        "user made admin",
        _sql("update users set role = 'admin'"),
        ("users row 1",),
    ),
    Tamper(
        "user's password hash replaced",
        _sql("update users set password_hash = 'x'"),
        ("users row 1",),
    ),
    Tamper(
        "session forged",
        _sql(
            "insert into web_sessions values "
            "('ff', 1, 'csrf', '2020-01-01', '2999-01-01', '2999-01-01')"
        ),
        ("web_sessions",),
    ),
    Tamper(
        "evidence made publishable",
        _sql("update evidence set publishable = 1 where id = 1"),
        ("evidence E000001",),
    ),
    Tamper(
        "evidence content, key and SHA-256 swapped",
        _swap_evidence,
        ("evidence E000001",),
    ),
    Tamper(
        "evidence linked to another person",
        _sql("insert into evidence_links (evidence_id, person_id) values (1, 2)"),
        ("evidence E000001",),
    ),
    Tamper(
        "evidence copy replaced",
        _sql("update evidence_derivatives set sha256 = 'ab'"),
        ("evidence E000002",),
    ),
    Tamper(
        "custody giver changed",
        _sql("update custody_events set received_from = 'someone' where id = 1"),
        ("custody_events row 1",),
    ),
    Tamper(
        "custody event deleted",
        _sql("delete from custody_events where id = 1"),
        ("custody_events row 1",),
    ),
    Tamper(
        "claim inflated",
        _sql("update claims set high = 99999 where id = 1"),
        ("claims row 1",),
    ),
    Tamper(
        "detention event changed",
        _sql("update detention_events set status = 'released'"),
        ("detention_events row 1",),
    ),
    Tamper(
        "snapshot figures changed",
        _sql("update count_snapshots set minimum = 999 where id = 1"),
        ("count_snapshots row 1",),
    ),
    Tamper(
        "release policy changed",
        _sql('update releases set policy = \'{"fields":["national_id"]}\''),
        ("releases row 1",),
    ),
    Tamper(
        "release's head replaced",
        _sql("update releases set head = '" + "f" * 64 + "'"),
        ("releases row 1", "head"),
    ),
    Tamper(
        "run results changed",
        _sql(f"update runs set counts = '{json.dumps({'minimum': 999})}' where id = 2"),
        ("runs row 2",),
    ),
    Tamper(
        "log rewritten and rechained",
        _rechain,
        ("rewritten",),
    ),
)
