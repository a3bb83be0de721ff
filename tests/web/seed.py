"""A small register for the web app's tests, with canaries in every protected place.

Seven synthetic records: six from the list ``ngo`` (one family name in one city,
so the fake linker puts their 15 pairs at probability 0.5, in the review band),
and one from a *protected* family source whose name is a canary. The family
record has the same name as ``k1``, so they link into one person. Protected
fields, the protected source's name, an evidence file's original name and a
detention note from the protected source are all canaries: a viewer must never
see any of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

from argon2 import PasswordHasher

from aban.detention.register import import_detention_events
from aban.grade.register import grade_workspace
from aban.grade.rules import load_rules
from aban.ingest.importer import import_file
from aban.linkage.register import link_workspace
from aban.store import users
from aban.store.db import transaction
from aban.store.sources import set_source
from aban.store.workspace import Workspace, create_workspace, open_workspace
from aban.vocab.columns import ALL_COLUMNS
from aban.web import Database, create_app
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import FakeLinker

FAMILY = "Canary Family Source"
CANARIES = {
    "informant": "Canary Informant Qx",
    "contact": "+00 canary 555",
    "notes_private": "canary private note",
    "national_id": "4815162342",
    "source": FAMILY,
    "original_name": "canary-file-name.mp4",
    "event_note": "canary event note",
}
PASSWORD = "test password 123"
ROLE_USERS = {
    "viewer": "vera",
    "reviewer": "rosa",
    "analyst": "anna",
    "admin": "adam",
    "documenter": "dina",
}
TEST_HOSTS = ("testserver", "127.0.0.1", "localhost")

GIVEN = ("Ali", "Bahram", "Cyrus", "Dara", "Ehsan", "Farid")
NGO = [
    {
        "record_id": f"k{i}",
        "given_name": given,
        "family_name": "Karimi",
        "city": "Shiraz",
        "age": str(20 + i),
        "status": "killed",
        "date_of_death": "2019-11-16",
    }
    for i, given in enumerate(GIVEN, start=1)
]
NGO[0]["national_id"] = CANARIES["national_id"]
FAMILY_ROWS = [
    {
        "record_id": "f1",
        "given_name": "Ali",
        "family_name": "Karimi",
        "city": "Shiraz",
        "status": "detained",
        "date_of_death": "2019-11-17",
        "informant": CANARIES["informant"],
        "contact": CANARIES["contact"],
        "notes_private": CANARIES["notes_private"],
    }
]


def cheap_hasher() -> PasswordHasher:
    """An argon2 hasher fast enough for tests (never for real accounts)."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def import_rows(
    ws: Workspace, tmp: Path, source: str, rows: list[dict[str, str]]
) -> None:
    """Write ``rows`` as a records CSV (every column) and import it for ``source``."""
    path = tmp / f"{source}.csv"
    columns = [c for c in ALL_COLUMNS if c != "source"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    result = import_file(ws, path, source=source)
    assert not result.refused, [i.render() for i in result.issues]


def _evidence(ws: Workspace) -> None:
    with transaction(ws.conn):
        row = ws.conn.execute(
            "select p.id from persons p join person_records pr on pr.person_id = p.id "
            "join records r on r.id = pr.record_id where r.record_id = 'f1'"
        ).fetchone()
        digest = hashlib.sha256(b"synthetic video").hexdigest()
        cursor = ws.conn.execute(
            "insert into evidence (sha256, kind, blob_id, original_name, size, "
            "publishable, added_at) values (?, 'video', 'blob-1', ?, 15, 0, ?)",
            (digest, CANARIES["original_name"], "2020-01-02T10:00:00+00:00"),
        )
        ws.conn.execute(
            "insert into evidence_links (evidence_id, person_id) values (?, ?)",
            (cursor.lastrowid, row[0]),
        )


def _event(ws: Workspace, tmp: Path) -> None:
    path = tmp / "events.json"
    row = {
        "record_id": "f1",
        "date": "2019-11-20",
        "status": "held incommunicado",
        "place": "Prison A",
        "source": FAMILY,
        "note": CANARIES["event_note"],
    }
    path.write_text(json.dumps([row]), encoding="utf-8")
    result = import_detention_events(ws, path, today=dt.date(2024, 1, 1))
    assert result.events == 1, [i.render() for i in result.issues]


def seed_workspace(tmp: Path) -> Path:
    """Create and fill the test workspace under ``tmp``; return its folder."""
    path = tmp / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        import_rows(ws, tmp, "ngo", NGO)
        import_rows(ws, tmp, FAMILY, FAMILY_ROWS)
        with transaction(ws.conn):
            set_source(ws.conn, FAMILY, kind="family")
        link_workspace(ws, linker=FakeLinker())
        grade_workspace(ws, load_rules(ws.path))
        _evidence(ws)
        _event(ws, tmp)
        for role, name in ROLE_USERS.items():
            users.add_user(ws, name, role, PASSWORD)
    return path


def open_app(
    path: Path, hosts: tuple[str, ...] = TEST_HOSTS
) -> tuple[Database, object]:
    """The app over the workspace at ``path`` (and its database, to close)."""
    from aban.store.workspace import open_workspace

    db = Database(open_workspace(path, PASSPHRASE), PASSPHRASE, readers=2)
    return db, create_app(db, allowed_hosts=hosts)


def person_of(path: Path, record_id: str) -> str:
    """The person id holding the record ``record_id`` in the register at ``path``."""
    with open_workspace(path, PASSPHRASE) as ws:
        (found,) = ws.conn.execute(
            "select p.person_id from persons p join person_records pr "
            "on pr.person_id = p.id join records r on r.id = pr.record_id "
            "where r.record_id = ?",
            (record_id,),
        ).fetchone()
    return str(found)
