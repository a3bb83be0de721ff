"""A simulated register seeded with canaries in every protected place (synthetic).

The simulator's sources are imported with extra protected columns holding canary
values; one source is renamed to a canary and protected (kind witness, in a group
named by a canary), its file named by a canary. Detention events, the model case's
claims, a reviewer's discount and evidence with a chain of custody are added, each
protected field a canary. :func:`leaks` finds any canary in exported bytes in every
encoding an export might use.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from aban.claims.importer import import_claims
from aban.demo import MODEL_CASE, examples_dir
from aban.detention.register import import_detention_events
from aban.grade.register import grade_workspace
from aban.grade.rules import load_rules
from aban.ingest.importer import import_file
from aban.linkage.register import link_workspace
from aban.simulate import SimulationSettings, simulate, write_scenario
from aban.store.db import transaction
from aban.store.sources import set_source
from aban.store.workspace import Workspace, create_workspace
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import FakeLinker

#: The protected source's name, its group and its file's name.
SOURCE = "xqsrccanary-منبع"
GROUP = "xqgroupcanary"
FILE = "xqfilecanary.csv"
#: Per-row canaries of the protected record columns start with these markers.
ROW_CANARIES = {
    "informant": "xqinformantcanary مخبرقناری",
    "contact": "xqcontactcanary +98-0000",
    "notes_private": "xqnotescanary یادداشت‌قناری",
    "national_id": "XQNID",
}
#: Canaries of protected fields outside records.
OTHER_CANARIES = {
    "source_contact": "xqsourcecontactcanary",
    "reviewer": "xqreviewercanary",
    "decision_note": "xqdecisionnotecanary",
    "original_name": "xqoriginalnamecanary.mp4",
    "blob_id": "xqblobcanary",
    "received_from": "xqgivercanary قناری‌دهنده",
    "received_by": "xqreceivercanary",
    "custody_note": "xqcustodynotecanary",
    "event_note": "xqeventnotecanary یادداشت‌رویداد",
}
#: Every canary (a value or a marker every value of a column starts with).
CANARIES = {
    "source": SOURCE,
    "group": GROUP,
    "file": FILE.removesuffix(".csv"),
    **ROW_CANARIES,
    **OTHER_CANARIES,
}
#: Secrets no export holds, not even the full one (a blob's encryption key).
SECRETS = {"data_key": "xqdatakeycanary"}
BUILD_TIME = "2020-06-01T00:00:00Z"


def _rewrite(path: Path, out: Path, source: str | None) -> None:
    """Copy a records CSV, adding the protected columns (canaries per row)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for n, row in enumerate(rows, start=1):
        for column, canary in ROW_CANARIES.items():
            row[column] = f"{canary}{n:04d}"
        if source is not None:
            row["source"] = source
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _events(path: Path, out: Path, renamed: str) -> None:
    """Copy the simulator's detention events, the protected source renamed and
    its notes canaries (a protected source's note is protected: issue 13)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["source"] == renamed:
            row["source"] = SOURCE
            row["note"] = OTHER_CANARIES["event_note"]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _decision_and_evidence(ws: Workspace) -> None:
    conn = ws.conn
    with transaction(conn):
        conn.execute(
            "update sources set contact = ? where name = ?",
            (OTHER_CANARIES["source_contact"], SOURCE),
        )
        person, record = conn.execute(
            "select p.person_id, pr.record_id from persons p "
            "join person_records pr on pr.person_id = p.id order by p.id limit 1"
        ).fetchone()
        cur = conn.execute(
            "insert into grade_decisions (person_id, reason, note, reviewer, "
            "decided_at) values (?, 'duplicate', ?, ?, '2020-02-01T00:00:00+00:00')",
            (person, OTHER_CANARIES["decision_note"], OTHER_CANARIES["reviewer"]),
        )
        conn.execute(
            "insert into grade_decision_records values (?, ?)", (cur.lastrowid, record)
        )
        cur = conn.execute(
            "insert into evidence (sha256, kind, blob_id, original_name, size, "
            "added_at, data_key) "
            "values (?, 'video', ?, ?, 1234, '2020-01-05T00:00:00+00:00', ?)",
            (
                "ab" * 32,
                OTHER_CANARIES["blob_id"],
                OTHER_CANARIES["original_name"],
                SECRETS["data_key"].encode(),
            ),
        )
        evidence = cur.lastrowid
        conn.execute(
            "insert into evidence_links (evidence_id, record_id) values (?, ?)",
            (evidence, record),
        )
        for at in ("2020-01-05T00:00:00+00:00", "2020-01-06T00:00:00+00:00"):
            conn.execute(
                "insert into custody_events (evidence_id, received_from, "
                "received_by, happened_at, note) values (?, ?, ?, ?, ?)",
                (
                    evidence,
                    OTHER_CANARIES["received_from"],
                    OTHER_CANARIES["received_by"],
                    at,
                    OTHER_CANARIES["custody_note"],
                ),
            )
        # Rows written by this fixture's own SQL, on aban's connection: an entry
        # seals them, as aban's own writes are, so the register verifies.
        ws.record_audit("test-fixture", {})


def canary_register(root: Path, persons: int = 60) -> Path:
    """Build the canary register under ``root``; return the workspace folder."""
    scenario = root / "scenario"
    write_scenario(
        simulate(SimulationSettings(persons=persons, sources=3, seed=11)), scenario
    )
    files = sorted((scenario / "sources").glob("*.csv"))
    renamed = files[-1].stem
    (root / "in").mkdir()
    path = root / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        for file in files:
            target = root / "in" / (FILE if file.stem == renamed else file.name)
            _rewrite(file, target, SOURCE if file.stem == renamed else None)
            result = import_file(ws, target)
            assert not result.refused, [i.render() for i in result.issues]
        with transaction(ws.conn):
            set_source(ws.conn, SOURCE, kind="witness", group=GROUP)
        link_workspace(ws, linker=FakeLinker())
        grade_workspace(ws, load_rules(ws.path))
        _events(scenario / "detentions.csv", root / "in" / "events.csv", renamed)
        events = import_detention_events(ws, root / "in" / "events.csv")
        assert not events.refused and events.events > 0
        import_claims(ws, examples_dir() / MODEL_CASE / "claims.csv")
        _decision_and_evidence(ws)
    return path


def forms(text: str) -> list[bytes]:
    """The byte forms a text could take in an export."""
    escaped = json.dumps(text)[1:-1]
    return [
        text.encode("utf-8"),
        escaped.encode("ascii"),
        text.encode("utf-16-le"),
        text.encode("utf-16-be"),
    ]


def contents(path: Path) -> list[tuple[str, bytes]]:
    """Every file's bytes under ``path``; a zip's entries decompressed as well."""
    found = []
    for file in sorted([path] if path.is_file() else path.rglob("*")):
        if not file.is_file():
            continue
        data = file.read_bytes()
        found.append((str(file), data))
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    found.append((f"{file}!{info.filename}", info.filename.encode()))
                    found.append((f"{file}!{info.filename}", archive.read(info)))
    return found


def leaks(path: Path) -> dict[str, list[str]]:
    """Which canaries and secrets appear in which files under ``path``."""
    found: dict[str, list[str]] = {}
    for name, data in contents(path):
        lowered = data.lower()
        for key, canary in {**CANARIES, **SECRETS}.items():
            needles = {f for word in (canary, *canary.split()) for f in forms(word)}
            if any(n in data or n.lower() in lowered for n in needles):
                found.setdefault(key, []).append(name)
    return found
