"""Errors of the evidence vault.

The hierarchy (under :class:`aban.errors.AbanError`)::

    EvidenceError          the vault cannot do what was asked (no personal data)
    ├── BlobError          a sealed blob is missing, altered, truncated or reordered
    └── DerivativeError    no publishable copy can be made or handed out
"""

from __future__ import annotations

from aban.errors import AbanError


class EvidenceError(AbanError):
    """An evidence file or item cannot be added, changed or read."""


class BlobError(EvidenceError):
    """A sealed blob does not decrypt to what was stored."""


class DerivativeError(EvidenceError):
    """A publishable copy cannot be made, or is refused."""
