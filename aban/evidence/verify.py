"""Checking the vault: every blob decrypts and hashes to what the register holds.

:func:`verify_vault` decrypts every blob (originals and publishable copies) with its
key from the register, re-hashes the plaintext and compares it with the SHA-256 and
size taken at intake. Each missing blob, failed decryption (altered, truncated or
reordered chunks) or mismatch is one problem naming the item; so is a file in
``evidence/`` that the register does not know (a leftover of an interrupted add,
or something put there by hand). Nothing is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aban.errors import BlobError
from aban.evidence.blobs import open_stream
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

    problems = []
    for label, blob in blobs:
        problem = check_blob(folder, blob, tick)
        if problem is not None:
            problems.append(VaultProblem(label, problem))
    problems += _strays(folder, {blob.blob_id for _, blob in blobs})
    items = sum(1 for label, _ in blobs if " " not in label)
    return VaultReport(items, len(blobs), done, tuple(problems))
