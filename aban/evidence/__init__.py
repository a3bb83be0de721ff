"""The evidence vault: files hashed at intake, sealed with AES-GCM, custody logged.

Originals are kept immutable and encrypted under ``<workspace>/evidence/`` with
random file names (:mod:`aban.evidence.blobs`); their keys, digests, links and
custody events live in the encrypted register (:mod:`aban.store.evidence`). Photos
and portraits get a publishable copy without metadata
(:mod:`aban.evidence.derivative`).
"""

from __future__ import annotations

from aban.errors import BlobError, DerivativeError, EvidenceError
from aban.evidence.custody import add_custody_event, custody_time
from aban.evidence.derivative import MEDIA_TYPE, strip_metadata
from aban.evidence.flags import publishable_copy, set_publishable, set_verified
from aban.evidence.vault import EvidenceChange, add_evidence, check_kind
from aban.evidence.verify import VaultProblem, VaultReport, verify_vault
from aban.store.evidence import IMAGE_KINDS, KINDS, EvidenceItem, list_evidence

__all__ = [
    "IMAGE_KINDS",
    "KINDS",
    "MEDIA_TYPE",
    "BlobError",
    "DerivativeError",
    "EvidenceChange",
    "EvidenceError",
    "EvidenceItem",
    "VaultProblem",
    "VaultReport",
    "add_custody_event",
    "add_evidence",
    "check_kind",
    "custody_time",
    "list_evidence",
    "publishable_copy",
    "set_publishable",
    "set_verified",
    "strip_metadata",
    "verify_vault",
]
