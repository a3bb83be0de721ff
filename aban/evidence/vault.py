"""The evidence vault: files hashed, sealed and linked, with their custody.

:func:`add_evidence` hashes a file (SHA-256, streamed) while sealing it into a new
blob under ``<workspace>/evidence/`` (see :mod:`aban.evidence.blobs`); the original is
only read, never changed. The same content added again is the same item: the blob
just written is removed and only the new link and custody event are stored. Photos
and portraits also get a publishable copy (:mod:`aban.evidence.derivative`), sealed in
a blob of its own. Every write appends an audit entry holding ids, digests and
counts, never givers, receivers, notes or file names.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aban.errors import DerivativeError, EvidenceError
from aban.evidence.blobs import (
    DEFAULT_CHUNK_SIZE,
    SealedBlob,
    commit_blob,
    discard_blob,
    read_blob,
    write_blob,
)
from aban.evidence.derivative import MAX_INPUT_BYTES, MEDIA_TYPE, strip_metadata
from aban.store.db import transaction
from aban.store.evidence import (
    IMAGE_KINDS,
    KINDS,
    Custody,
    StoredBlob,
    StoredEvidence,
    add_custody,
    add_link,
    derivative_of,
    evidence_by_sha,
    find_record,
    insert_derivative,
    insert_evidence,
    set_evidence,
)
from aban.store.persons import find_person
from aban.store.workspace import EVIDENCE_DIR, Workspace, now
from aban.vocab.ids import format_evidence_id


@dataclass(frozen=True)
class EvidenceChange:
    """What a write to the vault did (ids, digests and counts: no personal data).

    Attributes:
        evidence_id: the item (``E000001``).
        sha256: SHA-256 of the original, taken at intake.
        kind: the item's kind.
        size: the original's size in bytes.
        new: the content was not in the vault before.
        publishable: the item may be published (as a copy, for photos).
        derivative: the item has a publishable copy.
        derivative_problem: why a photo or portrait has no copy, if it has none.
        linked: a new link to a person or record was stored.
        custody_id: the custody event stored, if one was.
        head: the new audit head.
    """

    evidence_id: str
    sha256: str
    kind: str
    size: int
    new: bool = False
    publishable: bool = False
    derivative: bool = False
    derivative_problem: str | None = None
    linked: bool = False
    custody_id: int | None = None
    head: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Link:
    person_row: int | None = None
    person_id: str | None = None
    record_row: int | None = None

    @property
    def empty(self) -> bool:
        return self.person_row is None and self.record_row is None


def vault_folder(ws: Workspace) -> Path:
    """The workspace's ``evidence/`` folder (made if missing, owner-only)."""
    folder = ws.path / EVIDENCE_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def check_kind(kind: str) -> str:
    """Return ``kind``, or raise EvidenceError naming the kinds there are."""
    if kind not in KINDS:
        raise EvidenceError(
            f"unknown evidence kind {kind!r}: use one of {', '.join(KINDS)}"
        )
    return kind


def _link(ws: Workspace, person: str | None, record: str | None) -> _Link:
    person_row, person_id = find_person(ws.conn, person) if person else (None, None)
    if record is None:
        return _Link(person_row, person_id)
    record_row, holder = find_record(ws.conn, record)
    if person_row is not None and holder is not None and holder != person_row:
        raise EvidenceError(
            f"record {record} belongs to another person than {person_id}: "
            "link the record or the person, not both"
        )
    return _Link(person_row, person_id, record_row)


def _seal_file(path: Path, folder: Path, chunk_size: int) -> SealedBlob:
    try:
        with path.open("rb") as src:
            return write_blob(folder, src, chunk_size)
    except IsADirectoryError as err:
        raise EvidenceError("the evidence file is a folder: give a file") from err
    except OSError as err:
        raise EvidenceError(
            f"cannot read the evidence file ({err.strerror or 'read error'}): "
            "check the path and its permissions"
        ) from err


def _make_copy(
    folder: Path, blob: SealedBlob, chunk_size: int
) -> tuple[SealedBlob | None, str | None]:
    """Seal a metadata-free copy of an image blob, or say why there is none."""
    if blob.size > MAX_INPUT_BYTES:
        return None, "the image file is too large to re-encode"
    try:
        jpeg = strip_metadata(read_blob(folder / blob.blob_id, blob.key))
    except DerivativeError as err:
        return None, str(err)
    copy = write_blob(folder, io.BytesIO(jpeg), chunk_size)
    commit_blob(folder, copy.blob_id)
    return copy, None


def _stored(blob: SealedBlob) -> StoredBlob:
    return StoredBlob(blob.blob_id, blob.key, blob.sha256, blob.size)


@dataclass(frozen=True)
class _Intake:
    """What :func:`add_evidence` has on disk before the register is written."""

    blob: SealedBlob
    existing: StoredEvidence | None
    copy: SealedBlob | None = None
    copy_problem: str | None = None

    def created(self) -> list[str]:
        if self.existing is not None:
            return []
        return [b.blob_id for b in (self.blob, self.copy) if b is not None]


def _intake(ws: Workspace, path: Path, kind: str, chunk_size: int) -> _Intake:
    folder = vault_folder(ws)
    blob = _seal_file(path, folder, chunk_size)
    existing = evidence_by_sha(ws.conn, blob.sha256)
    if existing is not None:
        discard_blob(folder, blob.blob_id)
        if existing.kind != kind:
            raise EvidenceError(
                f"this file is already {existing.evidence_id}, of kind "
                f"{existing.kind!r}: add it again with --kind {existing.kind}"
            )
        return _Intake(blob, existing)
    commit_blob(folder, blob.blob_id)
    if kind not in IMAGE_KINDS:
        return _Intake(blob, None)
    try:
        copy, problem = _make_copy(folder, blob, chunk_size)
    except BaseException:
        discard_blob(folder, blob.blob_id)
        raise
    return _Intake(blob, None, copy, problem)


def _store_item(
    ws: Workspace, intake: _Intake, kind: str, name: str, publishable: bool
) -> tuple[int, bool]:
    """The item's row id (new or existing) and whether it is publishable now."""
    at = now()
    if intake.existing is None:
        row_id = insert_evidence(
            ws.conn, _stored(intake.blob), kind, name, publishable, at
        )
        if intake.copy is not None:
            insert_derivative(ws.conn, row_id, _stored(intake.copy), MEDIA_TYPE, at)
        return row_id, publishable
    row_id = intake.existing.row_id
    if publishable and not intake.existing.publishable:
        set_evidence(ws.conn, row_id, publishable=1)
    return row_id, publishable or intake.existing.publishable


def add_evidence(
    ws: Workspace,
    path: Path,
    *,
    kind: str,
    person: str | None = None,
    record: str | None = None,
    received_from: str | None = None,
    received_by: str | None = None,
    publishable: bool = False,
    note: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> EvidenceChange:
    """Hash, seal and register an evidence file, linked to a person or record.

    Args:
        ws: an open workspace.
        path: the original file (only read, never changed).
        kind: one of :data:`aban.store.evidence.KINDS`.
        person: a person id to link (``P000123``).
        record: a record to link, as ``SOURCE:RECORD_ID``.
        received_from: who handed the file over (protected).
        received_by: who received it (protected).
        publishable: the item may be published (photos only as their copy).
        note: a custody note (protected).
        chunk_size: plaintext bytes per sealed chunk.

    Returns:
        What was stored. Content already in the vault (same SHA-256) keeps its
        item; the new link and custody event are added to it. A new item always
        gets a custody event (its intake); a known one only when ``received_from``,
        ``received_by`` or ``note`` is given.

    Raises:
        EvidenceError: unknown kind, unreadable file, or the content is already
            in the vault under another kind.
        StoreError: unknown person or record.
    """
    check_kind(kind)
    link = _link(ws, person, record)
    intake = _intake(ws, path, kind, chunk_size)
    try:
        custody = Custody(0, now(), received_from, received_by, note, now())
        return _register(ws, intake, kind, link, path.name, publishable, custody)
    except BaseException:
        for blob_id in intake.created():
            discard_blob(vault_folder(ws), blob_id)
        raise


def _register(
    ws: Workspace,
    intake: _Intake,
    kind: str,
    link: _Link,
    name: str,
    publishable: bool,
    custody: Custody,
) -> EvidenceChange:
    given = any(
        v is not None
        for v in (custody.received_from, custody.received_by, custody.note)
    )
    with transaction(ws.conn):
        row_id, publishable = _store_item(ws, intake, kind, name, publishable)
        linked = not link.empty and add_link(
            ws.conn, row_id, link.person_row, link.record_row
        )
        custody_id = None
        if intake.existing is None or given:
            custody_id = add_custody(ws.conn, row_id, custody)
        has_copy = intake.copy is not None or (
            intake.existing is not None and derivative_of(ws.conn, row_id) is not None
        )
        change = EvidenceChange(
            format_evidence_id(row_id),
            intake.blob.sha256,
            kind,
            intake.blob.size,
            intake.existing is None,
            publishable,
            has_copy,
            intake.copy_problem,
            linked,
            custody_id,
        )
        detail = _audit_detail(change, link, intake)
        head = ws.record_audit("evidence-add", detail)
    return EvidenceChange(**{**asdict(change), "head": head})


def _audit_detail(
    change: EvidenceChange, link: _Link, intake: _Intake
) -> dict[str, Any]:
    detail = {
        k: v
        for k, v in change.to_dict().items()
        if k not in ("head", "derivative_problem")
    }
    detail.update(person=link.person_id, record=link.record_row)
    if intake.copy is not None:
        # 'aban evidence verify' checks the copy against it.
        detail["copy_sha256"] = intake.copy.sha256
    return detail
