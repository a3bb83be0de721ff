"""Flags of an evidence item (publishable, verified video) and its publishable copy.

Each change is audited with the item's id and the new value only.
"""

from __future__ import annotations

import hashlib

from aban.errors import BlobError, DerivativeError, EvidenceError
from aban.evidence.blobs import read_blob
from aban.evidence.vault import EvidenceChange, vault_folder
from aban.store.db import transaction
from aban.store.evidence import (
    IMAGE_KINDS,
    VIDEO_KINDS,
    StoredEvidence,
    derivative_of,
    find_evidence,
    set_evidence,
)
from aban.store.workspace import Workspace


def _flag_change(ws: Workspace, item: StoredEvidence, head: str) -> EvidenceChange:
    fresh = find_evidence(ws.conn, item.evidence_id)
    has_copy = derivative_of(ws.conn, item.row_id) is not None
    blob = fresh.blob
    return EvidenceChange(
        fresh.evidence_id,
        blob.sha256,
        fresh.kind,
        blob.size,
        publishable=fresh.publishable,
        derivative=has_copy,
        head=head,
    )


def set_publishable(ws: Workspace, evidence: str, publishable: bool) -> EvidenceChange:
    """Mark an item publishable or not, and audit it.

    Only photos and portraits are ever published as files (their metadata-free
    copy); for other kinds the flag allows publishing their hash and description.

    Raises:
        StoreError: no such item.
    """
    with transaction(ws.conn):
        item = find_evidence(ws.conn, evidence)
        set_evidence(ws.conn, item.row_id, publishable=int(publishable))
        head = ws.record_audit(
            "evidence-publishable",
            {"evidence": item.evidence_id, "publishable": publishable},
        )
        return _flag_change(ws, item, head)


def set_verified(ws: Workspace, evidence: str, verified: bool) -> EvidenceChange:
    """Mark a video verified (kind ``verified_video``) or not (``video``); audit.

    A verified video confirms the persons linked to it when ``verified_video`` is
    among the grading rules' ``evidence_kinds`` (the default); run ``aban grade``.

    Raises:
        StoreError: no such item.
        EvidenceError: the item is not a video.
    """
    with transaction(ws.conn):
        item = find_evidence(ws.conn, evidence)
        if item.kind not in VIDEO_KINDS:
            raise EvidenceError(
                f"{item.evidence_id} is of kind {item.kind!r}: only videos are "
                "marked verified"
            )
        kind = "verified_video" if verified else "video"
        set_evidence(ws.conn, item.row_id, kind=kind)
        head = ws.record_audit(
            "evidence-verified",
            {"evidence": item.evidence_id, "kind": kind, "was": item.kind},
        )
        return _flag_change(ws, item, head)


def publishable_copy(ws: Workspace, evidence_id: str) -> bytes:
    """The publishable copy of a photo or portrait: a JPEG without metadata.

    Args:
        ws: an open workspace.
        evidence_id: the item (``E000012``).

    Returns:
        The JPEG bytes (media type :data:`aban.evidence.derivative.MEDIA_TYPE`),
        checked against the SHA-256 taken when the copy was made.

    Raises:
        StoreError: no such item.
        DerivativeError: the item is not marked publishable, is not a photo or
            portrait, or has no copy (its image could not be re-encoded).
        BlobError: the copy's blob is missing or damaged.
    """
    item = find_evidence(ws.conn, evidence_id)
    if not item.publishable:
        raise DerivativeError(
            f"{item.evidence_id} is not marked publishable: run 'aban evidence "
            f"publishable {item.evidence_id} --yes' first"
        )
    if item.kind not in IMAGE_KINDS:
        raise DerivativeError(
            f"{item.evidence_id} is of kind {item.kind!r}: only photos and portraits "
            "have a publishable copy"
        )
    copy = derivative_of(ws.conn, item.row_id)
    if copy is None:
        raise DerivativeError(
            f"{item.evidence_id} has no publishable copy: its image could not be "
            "re-encoded"
        )
    try:
        data = read_blob(vault_folder(ws) / copy.blob_id, copy.key)
    except BlobError as err:
        raise BlobError(f"{item.evidence_id} copy: {err}") from err
    if hashlib.sha256(data).hexdigest() != copy.sha256:
        raise BlobError(
            f"{item.evidence_id} copy: its SHA-256 differs from the one taken when "
            "it was made"
        )
    return data
