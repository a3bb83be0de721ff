"""The bundle: deterministic bytes, its layout, manifest, README and audit entries."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from aban.export import TABLES, export_workspace, parse_build_time
from aban.export.run import ExportResult
from aban.grade.methodology import methodology
from aban.grade.rules import load_rules
from aban.store import audit
from aban.store.db import transaction
from aban.store.sources import set_source
from aban.store.workspace import open_workspace
from tests.conftest import PASSPHRASE
from tests.export.helpers import BUILD_TIME, CANARIES, forms

BUILD = parse_build_time(BUILD_TIME)
ROOT = "aban-bundle/"


def bundle(ws_path: Path, out: Path, full: bool = False, **kw: object) -> ExportResult:
    with open_workspace(ws_path, PASSPHRASE) as ws:
        options = {"build_time": BUILD, **kw}
        return export_workspace(ws, "bundle", out, full=full, **options)  # type: ignore[arg-type]


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def test_the_same_register_gives_a_byte_identical_bundle(
    canary_ws: Path, tmp_path: Path
) -> None:
    first = bundle(canary_ws, tmp_path / "a.zip")
    second = bundle(canary_ws, tmp_path / "b.zip")
    a, b = (tmp_path / "a.zip").read_bytes(), (tmp_path / "b.zip").read_bytes()
    assert a == b
    assert first.sha256 == second.sha256 == hashlib.sha256(a).hexdigest()
    # The export's own audit entry moved the log's head, not the exported head.
    assert first.head != second.head
    assert first.audit == second.audit
    other = bundle(
        canary_ws, tmp_path / "c.zip", build_time=parse_build_time("2021-01-01")
    )
    assert (tmp_path / "c.zip").read_bytes() != a
    assert other.build_time == "2021-01-01T00:00:00Z"


def test_a_change_to_the_register_changes_the_exported_head(
    canary_ws: Path, tmp_path: Path
) -> None:
    before = bundle(canary_ws, tmp_path / "a.zip")
    with open_workspace(canary_ws, PASSPHRASE) as ws, transaction(ws.conn):
        set_source(ws.conn, "media_en", reliability="B")
        changed = ws.record_audit("source-set", {"source": "media_en"})
        (seq,) = ws.conn.execute("select max(seq) from audit").fetchone()
    after = bundle(canary_ws, tmp_path / "b.zip")
    assert after.audit.head == changed != before.audit.head
    # The set's entry, not the exports' (the template may hold earlier exports
    # made by other tests, so the count between the two is not fixed).
    assert after.audit.seq == seq > before.audit.seq


def test_bundle_layout_and_zip_entries(canary_template: Path, tmp_path: Path) -> None:
    result = bundle(canary_template, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    expected = sorted(
        [ROOT + "README.md", ROOT + "manifest.json", ROOT + "METHODOLOGY.md"]
        + [f"{ROOT}{t.name}.csv" for t in TABLES]
    )
    assert names == expected
    for info in infos:
        assert info.date_time == (2020, 6, 1, 0, 0, 0)
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.external_attr >> 16 == 0o100600
    assert result.rows["persons"] > 20 and result.rows["evidence"] == 1
    text = entries(tmp_path / "b.zip")[ROOT + "METHODOLOGY.md"].decode("utf-8")
    with open_workspace(canary_template, PASSPHRASE) as ws:
        assert text == methodology(load_rules(ws.path), None)
    assert text.startswith("# Methodology")


def test_manifest_hashes_and_counts_every_file(
    canary_template: Path, tmp_path: Path
) -> None:
    result = bundle(canary_template, tmp_path / "b.zip")
    files = entries(tmp_path / "b.zip")
    manifest = json.loads(files[ROOT + "manifest.json"])
    assert manifest["format"] == "aban-export/1"
    assert (manifest["kind"], manifest["full"]) == ("bundle", False)
    assert manifest["build_time"] == "2020-06-01T00:00:00Z"
    with open_workspace(canary_template, PASSPHRASE) as ws:
        heads = [
            h
            for (h,) in ws.conn.execute(
                "select hash from audit where action != 'export'"
            )
        ]
    assert manifest["audit"]["head"] == heads[-1] == result.audit.head
    assert manifest["audit"]["verified"] is True
    listed = {f["file"]: f for f in manifest["files"]}
    assert set(listed) == {n.removeprefix(ROOT) for n in files} - {"manifest.json"}
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(files[ROOT + name]).hexdigest()
        if entry["table"]:
            text = files[ROOT + name].decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(text)))
            assert len(rows) == entry["rows"] == result.rows[entry["table"]]


def test_the_evidence_manifest(canary_template: Path, tmp_path: Path) -> None:
    bundle(canary_template, tmp_path / "b.zip")
    text = entries(tmp_path / "b.zip")[ROOT + "evidence.csv"].decode("utf-8-sig")
    (item,) = list(csv.DictReader(io.StringIO(text)))
    assert item["sha256"] == "ab" * 32
    assert (item["kind"], item["size"], item["custody_events"]) == (
        "video",
        "1234",
        "2",
    )
    assert item["persons"].startswith("P0") and "/" in item["records"]
    assert "original_name" not in item and "blob_id" not in item


@pytest.mark.parametrize("full", [False, True])
def test_readme_describes_every_file_and_column(
    canary_template: Path, tmp_path: Path, full: bool
) -> None:
    bundle(canary_template, tmp_path / "b.zip", full=full)
    files = entries(tmp_path / "b.zip")
    readme = files[ROOT + "README.md"].decode("utf-8")
    columns = 0
    for name, data in files.items():
        if not name.endswith(".csv"):
            continue
        header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        section = readme.split(f"### {name.removeprefix(ROOT)} (", 1)[1]
        section = section.split("\n### ", 1)[0]
        described = [
            line.split(" | ")[0].removeprefix("| ")
            for line in section.splitlines()
            if line.startswith("| ") and not line.startswith(("| field", "| ---"))
        ]
        assert described == header, name
        columns += len(header)
    assert columns > 100
    assert ("FULL partner export" in readme) is full
    head = json.loads(files[ROOT + "manifest.json"])["audit"]["head"]
    assert f"`aban audit verify --head {head}`" in readme
    for canary in CANARIES.values():
        assert not any(form in readme.encode() for form in forms(canary))


def test_every_export_is_audited_without_personal_data(
    canary_ws: Path, tmp_path: Path
) -> None:
    result = bundle(canary_ws, tmp_path / "b.zip", full=True)
    with open_workspace(canary_ws, PASSPHRASE) as ws:
        action, detail, digest = ws.conn.execute(
            "select action, detail, hash from audit order by seq desc limit 1"
        ).fetchone()
        assert audit.head(ws.conn) == digest == result.head
    assert action == "export"
    recorded = json.loads(detail)
    assert recorded == {
        "build_time": "2020-06-01T00:00:00Z",
        "exported_head": result.audit.head,
        "format": "bundle",
        "full": True,
        "rows": result.rows,
        "sha256": hashlib.sha256((tmp_path / "b.zip").read_bytes()).hexdigest(),
        "verified": True,
    }
    for canary in CANARIES.values():
        assert canary.split()[0].lower() not in detail.lower()


def test_a_broken_chain_is_exported_as_broken(canary_ws: Path, tmp_path: Path) -> None:
    with open_workspace(canary_ws, PASSPHRASE) as ws, transaction(ws.conn):
        ws.conn.execute("update audit set detail = '{}' where seq = 2")
    result = bundle(canary_ws, tmp_path / "b.zip")
    assert not result.audit.verified
    assert result.audit.broken_at == 2
    manifest = json.loads(entries(tmp_path / "b.zip")[ROOT + "manifest.json"])
    assert manifest["audit"]["problem"] == "entry 2 was altered"
    readme = entries(tmp_path / "b.zip")[ROOT + "README.md"].decode()
    assert "BROKEN at entry 2: entry 2 was altered" in readme
