"""Checking the vault: every blob decrypts and hashes to what its intake recorded.

:func:`verify_vault` first compares each item's SHA-256 and size in the register
with those its intake entry (``evidence-add`` in the audit log) recorded, and a
publishable copy's SHA-256 with its entry's where the entry holds one (entries
written before issue 13 do not): whoever swaps a file, its key and its SHA-256
together in the register cannot change the entry. It then decrypts every blob
(originals and publishable copies) with its key from the register, re-hashes the
plaintext and compares it with the SHA-256 and size the register holds. Each
mismatch, missing blob or failed decryption (altered, truncated or reordered
chunks) is one problem naming the item; so is a file in ``evidence/`` that the
register does not know (a leftover of an interrupted add, or something put there by
hand). Nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aban.errors import BlobError
from aban.evidence.blobs import open_stream
from aban.store.db import Connection
from aban.store.evidence import StoredBlob, all_blobs
from aban.store.workspace import EVIDENCE_DIR, Workspace

#: Called with (bytes checked so far, bytes in all blobs).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class VaultProblem:
    """One problem: the item (``E000001``, ``E000001 copy`` or a stray file) and
    what is wrong with it."""

    item: str
    problem: str

    def line(self) -> str:
        return f"{self.item}: {self.problem}"

    def to_dict(self) -> dict[str, str]:
        return {"item": self.item, "problem": self.problem}


@dataclass(frozen=True)
class VaultReport:
    """What :func:`verify_vault` found; ``to_dict`` is ``aban evidence verify
    --json``."""

    items: int
    blobs: int
    checked_bytes: int
    problems: tuple[VaultProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "items": self.items,
            "blobs": self.blobs,
            "checked_bytes": self.checked_bytes,
            "problems": [p.to_dict() for p in self.problems],
        }


def check_blob(
    folder: Path, blob: StoredBlob, tick: Callable[[int], None] | None = None
) -> str | None:
    """What is wrong with one blob, or None when it decrypts to its digest."""
    path = folder / blob.blob_id
    if not path.is_file():
        return f"blob missing ({EVIDENCE_DIR}/{blob.blob_id})"
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("rb") as src:
            for chunk in open_stream(src, blob.key):
                digest.update(chunk)
                size += len(chunk)
                if tick is not None:
                    tick(len(chunk))
    except BlobError as err:
        return str(err)
    except OSError as err:
        return f"blob unreadable ({err.strerror or 'read error'})"
    if size != blob.size:
        return f"size {size} differs from the {blob.size} bytes taken at intake"
    if digest.hexdigest() != blob.sha256:
        return "SHA-256 differs from the one taken at intake"
    return None


@dataclass(frozen=True)
class Intake:
    """What an item's intake entry recorded: its digest, size and copy's digest."""

    seq: int
    sha256: str
    size: int | None
    copy_sha256: str | None


def intake_entries(conn: Connection) -> dict[str, Intake]:
    """Each item's intake as its ``evidence-add`` entry recorded it, by item id."""
    found: dict[str, Intake] = {}
    rows = conn.execute(
        "select seq, detail from audit where action = 'evidence-add' order by seq"
    )
    for seq, text in rows:
        detail = json.loads(text)
        if detail.get("new"):
            found[detail["evidence_id"]] = Intake(
                int(seq),
                detail["sha256"],
                detail.get("size"),
                detail.get("copy_sha256"),
            )
    return found


def check_intake(label: str, blob: StoredBlob, intake: Intake | None) -> str | None:
    """What differs between a blob as the register holds it and its intake entry."""
    if intake is None:
        return "no intake entry in the audit log: it was added outside aban"
    copy = label.endswith(" copy")
    recorded = intake.copy_sha256 if copy else intake.sha256
    if recorded is not None and recorded != blob.sha256:
        return (
            "SHA-256 in the register differs from the one its intake recorded "
            f"(audit entry {intake.seq})"
        )
    if not copy and intake.size is not None and intake.size != blob.size:
        return (
            f"size {blob.size} in the register differs from the {intake.size} "
            f"bytes its intake recorded (audit entry {intake.seq})"
        )
    return None


def _strays(folder: Path, known: set[str]) -> list[VaultProblem]:
    if not folder.is_dir():
        return []
    return [
        VaultProblem(
            f"{EVIDENCE_DIR}/{path.name}",
            "not in the register (left by an interrupted add, or put there by "
            "hand): move it out of the workspace",
        )
        for path in sorted(folder.iterdir())
        if path.name not in known
    ]


def verify_vault(ws: Workspace, progress: Progress | None = None) -> VaultReport:
    """Decrypt and re-hash every blob of the vault; report each problem.

    Args:
        ws: an open workspace.
        progress: called with (bytes checked, total bytes) as blobs are read.

    Returns:
        The counts checked and the problems, one per item or stray file.
    """
    folder = ws.path / EVIDENCE_DIR
    blobs = all_blobs(ws.conn)
    total, done = sum(blob.size for _, blob in blobs), 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    intakes = intake_entries(ws.conn)
    problems = []
    for label, blob in blobs:
        intake = intakes.get(label.removesuffix(" copy"))
        problem = check_intake(label, blob, intake) or check_blob(folder, blob, tick)
        if problem is not None:
            problems.append(VaultProblem(label, problem))
    problems += _strays(folder, {blob.blob_id for _, blob in blobs})
    items = sum(1 for label, _ in blobs if " " not in label)
    return VaultReport(items, len(blobs), done, tuple(problems))
