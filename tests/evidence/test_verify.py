"""aban evidence verify, as a library: each damaged, missing or stray blob is named."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from aban.evidence import add_evidence, verify_vault
from aban.evidence.blobs import HEADER, TAG_SIZE, commit_blob, write_blob
from aban.store.evidence import derivative_of, find_evidence
from aban.store.workspace import Workspace
from tests.evidence.test_derivative import exif_jpeg

CHUNK = 128


@pytest.fixture
def vault(workspace: Workspace, tmp_path: Path) -> Workspace:
    """E000001 a video of 5 chunks, E000002 a document, E000003 a photo + copy."""
    for name, kind, data in (
        ("v.mp4", "video", os.urandom(5 * CHUNK)),
        ("d.pdf", "document", b"%PDF document"),
        ("p.jpg", "photo", exif_jpeg()),
    ):
        (tmp_path / name).write_bytes(data)
        add_evidence(workspace, tmp_path / name, kind=kind, chunk_size=CHUNK)
    return workspace


def _blob(ws: Workspace, evidence_id: str) -> Path:
    item = find_evidence(ws.conn, evidence_id)
    return ws.path / "evidence" / item.blob.blob_id


def _lines(ws: Workspace) -> list[str]:
    return [p.line() for p in verify_vault(ws).problems]


def test_intact_vault(vault: Workspace) -> None:
    seen: list[tuple[int, int]] = []
    report = verify_vault(vault, lambda done, total: seen.append((done, total)))
    assert report.ok and (report.items, report.blobs) == (3, 4)
    assert report.checked_bytes == seen[-1][0] == seen[-1][1]
    assert report.to_dict()["problems"] == []


def test_flipped_byte_is_named(vault: Workspace) -> None:
    path = _blob(vault, "E1")
    data = bytearray(path.read_bytes())
    data[HEADER.size + 2 * (CHUNK + TAG_SIZE) + 7] ^= 0x40
    path.write_bytes(bytes(data))
    assert _lines(vault) == [
        "E000001: chunk 2 does not decrypt: the blob was altered, truncated or "
        "reordered"
    ]


def test_truncated_and_swapped_blobs(vault: Workspace) -> None:
    step = CHUNK + TAG_SIZE
    video = _blob(vault, "E1")
    data = video.read_bytes()
    video.write_bytes(data[: HEADER.size + 4 * step])  # last chunk dropped
    photo = _blob(vault, "E3")
    data = photo.read_bytes()
    head, body = data[: HEADER.size], data[HEADER.size :]
    photo.write_bytes(head + body[step : 2 * step] + body[:step] + body[2 * step :])
    problems = verify_vault(vault).problems
    assert [(p.item, p.problem.split(":")[0]) for p in problems] == [
        ("E000001", "chunk 3 does not decrypt"),
        ("E000003", "chunk 0 does not decrypt"),
    ]


def test_missing_blob_copy_and_stray_files(vault: Workspace) -> None:
    _blob(vault, "E2").unlink()
    copy = derivative_of(vault.conn, find_evidence(vault.conn, "E3").row_id)
    assert copy is not None
    (vault.path / "evidence" / copy.blob_id).write_bytes(
        b"some other file put in its place"
    )
    (vault.path / "evidence" / "planted.bin").write_bytes(b"?")
    item = find_evidence(vault.conn, "E2")
    assert _lines(vault) == [
        f"E000002: blob missing (evidence/{item.blob.blob_id})",
        "E000003 copy: not a sealed evidence blob (unknown header)",
        "evidence/planted.bin: not in the register (left by an interrupted add, or "
        "put there by hand): move it out of the workspace",
    ]


def test_digest_edited_in_register(vault: Workspace) -> None:
    vault.conn.execute("update evidence set sha256 = ? where id = 2", ("0" * 64,))
    vault.conn.execute("update evidence set size = 3 where id = 1")
    entries = _intake_seqs(vault)
    assert _lines(vault) == [
        f"E000001: size 3 in the register differs from the {5 * CHUNK} bytes its "
        f"intake recorded (audit entry {entries[0]})",
        "E000002: SHA-256 in the register differs from the one its intake recorded "
        f"(audit entry {entries[1]})",
    ]


def _intake_seqs(ws: Workspace) -> list[int]:
    return [
        int(seq)
        for (seq,) in ws.conn.execute(
            "select seq from audit where action = 'evidence-add' order by seq"
        )
    ]


def test_a_swapped_item_is_found_by_its_intake_entry(vault: Workspace) -> None:
    # Issue 13: a file, its key and its SHA-256 replaced together in the register
    # decrypt and hash as the register says; only the intake entry tells.
    content = b"another file altogether"
    folder = vault.path / "evidence"
    blob = write_blob(folder, io.BytesIO(content))
    commit_blob(folder, blob.blob_id)
    _blob(vault, "E1").unlink()
    vault.conn.execute(
        "update evidence set sha256 = ?, blob_id = ?, data_key = ?, size = ? "
        "where id = 1",
        (hashlib.sha256(content).hexdigest(), blob.blob_id, blob.key, len(content)),
    )
    assert _lines(vault) == [
        "E000001: SHA-256 in the register differs from the one its intake recorded "
        f"(audit entry {_intake_seqs(vault)[0]})",
    ]


def test_a_swapped_copy_is_found_by_its_intake_entry(vault: Workspace) -> None:
    content = b"another picture"
    folder = vault.path / "evidence"
    blob = write_blob(folder, io.BytesIO(content))
    commit_blob(folder, blob.blob_id)
    vault.conn.execute(
        "update evidence_derivatives set sha256 = ?, blob_id = ?, data_key = ?, "
        "size = ? where evidence_id = 3",
        (hashlib.sha256(content).hexdigest(), blob.blob_id, blob.key, len(content)),
    )
    assert _lines(vault)[0] == (
        "E000003 copy: SHA-256 in the register differs from the one its intake "
        f"recorded (audit entry {_intake_seqs(vault)[2]})"
    )


def test_an_item_without_an_intake_entry_is_named(vault: Workspace) -> None:
    vault.conn.execute("delete from audit where seq = ?", (_intake_seqs(vault)[0],))
    assert _lines(vault)[0] == (
        "E000001: no intake entry in the audit log: it was added outside aban"
    )
