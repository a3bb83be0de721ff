"""Exceptions raised by aban.

Data problems found on import are not exceptions: they are issues
(:class:`aban.ingest.issues.Issue`, their codes catalogued in :mod:`aban.vocab.issues`)
collected in a report. Exceptions are for conditions that stop an operation.

The hierarchy::

    AbanError
    ├── ConfigError
    ├── IngestError
    ├── StoreError
    │   ├── WrongPassphraseError
    │   ├── WeakPassphraseError
    │   └── WorkspaceError
    ├── AuditError
    ├── LinkageError
    ├── EstimationError
    │   └── NotConvergedError
    ├── EvidenceError
    │   ├── BlobError
    │   └── DerivativeError
    └── SiteBuildError

Messages never carry personal data: they name files, rows, columns and record ids.
"""

from __future__ import annotations


class AbanError(Exception):
    """Base class of every error aban raises on purpose."""


class ConfigError(AbanError):
    """A setting in aban.toml, the environment or the command line is invalid."""


class IngestError(AbanError):
    """A file could not be read as a list of records at all."""


class StoreError(AbanError):
    """The register could not be opened, read or written."""


class WrongPassphraseError(StoreError):
    """The passphrase does not open the register."""


class WeakPassphraseError(StoreError):
    """A new workspace's passphrase is too short or too easy to guess."""


class WorkspaceError(StoreError):
    """The folder is not a usable workspace."""


class AuditError(AbanError):
    """The audit chain is broken."""


class LinkageError(AbanError):
    """Record linkage failed."""


class EstimationError(AbanError):
    """An estimate could not be computed from the data given."""


class NotConvergedError(EstimationError):
    """An iterative fit or sampler did not converge."""


class EvidenceError(AbanError):
    """An evidence file or item cannot be added, changed or read."""


class BlobError(EvidenceError):
    """A sealed blob is missing, altered, truncated or reordered: it does not decrypt
    to what was stored."""


class DerivativeError(EvidenceError):
    """A publishable copy of an evidence file cannot be made, or is refused."""


class SiteBuildError(AbanError):
    """The publication could not be built."""
